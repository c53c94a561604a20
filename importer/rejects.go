package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
)

// Rejects writes rejected records as CSV with the columns file, line, reason,
// record: record is the input exactly as read (a CSV row, several lines for a
// quoted multi-line row, or a JSONL line), so that a fixed row can be pasted
// back. It is safe for concurrent use.
type Rejects struct {
	mu     sync.Mutex
	open   func() (io.Writer, error) // opens the destination on the first reject
	w      *csv.Writer
	closer io.Closer
	n      int
	err    error
}

// NewRejects writes rejects to w.
func NewRejects(w io.Writer) *Rejects {
	return &Rejects{open: func() (io.Writer, error) { return w, nil }}
}

// NewRejectsFile writes rejects to the file at path, created (and truncated)
// only when the first record is rejected, so that a clean import leaves no
// empty file behind.
func NewRejectsFile(path string) *Rejects {
	r := &Rejects{}
	r.open = func() (io.Writer, error) {
		f, err := os.Create(path)
		if err != nil {
			return nil, fmt.Errorf("create rejects file: %w", err)
		}
		r.closer = f
		return f, nil
	}
	return r
}

// Reject records one rejected record.
func (r *Rejects) Reject(file string, line int, reason, record string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return r.err
	}
	if r.w == nil {
		w, err := r.open()
		if err != nil {
			r.err = err
			return err
		}
		r.w = csv.NewWriter(w)
		if err := r.w.Write([]string{"file", "line", "reason", "record"}); err != nil {
			r.err = fmt.Errorf("write rejects: %w", err)
			return r.err
		}
	}
	r.n++
	if err := r.w.Write([]string{file, strconv.Itoa(line), reason, record}); err != nil {
		r.err = fmt.Errorf("write rejects: %w", err)
	}
	return r.err
}

// flush writes buffered rejects out; errors surface on the next Reject or Close.
func (r *Rejects) flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.w != nil {
		r.w.Flush()
	}
}

// Count returns the number of records rejected so far.
func (r *Rejects) Count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.n
}

// Close flushes and closes the destination.
func (r *Rejects) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.w != nil {
		r.w.Flush()
		if err := r.w.Error(); err != nil && r.err == nil {
			r.err = fmt.Errorf("write rejects: %w", err)
		}
	}
	if r.closer != nil {
		if err := r.closer.Close(); err != nil && r.err == nil {
			r.err = fmt.Errorf("close rejects: %w", err)
		}
		r.closer = nil
	}
	return r.err
}
