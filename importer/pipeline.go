package importer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/enrichd/enrichd"
)

// chunkSize is the number of raw records handed to a conversion worker at once.
const chunkSize = 256

// rawItem is one record as read, before conversion.
type rawItem struct {
	line   int
	raw    string
	fields []string  // CSV only
	err    *rowError // the reader already found it malformed
}

// convItem is one record after conversion: rec, or err when rejected.
type convItem struct {
	rec enrichd.IngestRecord
	err *rowError
}

// chunk is a run of consecutive records of one source.
type chunk struct {
	seq   int
	src   *source
	items []rawItem
	out   []convItem
}

// produce turns the sources into batches, in input order.
//
// NOTE: normalising a row (phone numbers above all: libphonenumber costs
// ~20 µs each) is the expensive part, and rows are independent, so one reader
// cuts the input into chunks, a worker per core converts them, and this
// goroutine puts them back in order before batching. Order matters: a later
// row of the same person must be merged after an earlier one, and a resumed
// import must commit the same batches as the interrupted one.
func (im *Importer) produce(ctx context.Context, srcs []*source, out chan<- *batch, cnt *counters, rejected *atomic.Int64) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := runtime.GOMAXPROCS(0)
	todo := make(chan *chunk, workers)
	done := make(chan *chunk, workers)
	readErr := make(chan error, 1)
	go func() {
		defer close(todo)
		readErr <- im.read(ctx, srcs, todo, cnt)
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			convs := map[*source]*converter{} // per worker: the caches are not shared
			for ch := range todo {
				conv := convs[ch.src]
				if conv == nil {
					c := *ch.src.conv
					conv = &c
					convs[ch.src] = conv
				}
				convert(conv, ch)
				select {
				case done <- ch:
				case <-ctx.Done():
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(done)
	}()

	err := im.assemble(ctx, done, out, cnt, rejected)
	cancel()
	for range done { // let the workers and the reader finish
	}
	if rerr := <-readErr; err == nil && !errors.Is(rerr, context.Canceled) {
		err = rerr
	}
	return err
}

// read cuts every source into chunks of raw records.
func (im *Importer) read(ctx context.Context, srcs []*source, todo chan<- *chunk, cnt *counters) error {
	seq := 0
	for _, s := range srcs {
		ch := &chunk{seq: seq, src: s, items: make([]rawItem, 0, chunkSize)}
		send := func() error {
			select {
			case todo <- ch:
			case <-ctx.Done():
				return ctx.Err()
			}
			seq++
			ch = &chunk{seq: seq, src: s, items: make([]rawItem, 0, chunkSize)}
			return nil
		}
		name := s.name
		cnt.file.Store(&name)
		for {
			var it rawItem
			if s.format == FormatCSV {
				rec, err := s.csv.Read()
				if err == io.EOF {
					break
				}
				var re *rowError
				if errors.As(err, &re) {
					it = rawItem{line: rec.line, raw: rec.raw, err: re}
				} else if err != nil {
					return fmt.Errorf("read %s: %w", s.name, err)
				} else {
					it = rawItem{line: rec.line, raw: rec.raw, fields: rec.fields}
				}
			} else {
				l, err := s.lr.readLine()
				if err == io.EOF {
					break
				} else if err != nil {
					return fmt.Errorf("read %s: %w", s.name, err)
				}
				if len(strings.TrimSpace(string(l.text))) == 0 {
					continue
				}
				it = rawItem{line: l.n, raw: string(l.text)}
				if l.long {
					it.err = rowErrorf("line longer than %d bytes", maxLineBytes)
				}
			}
			ch.items = append(ch.items, it)
			if len(ch.items) == chunkSize {
				if err := send(); err != nil {
					return err
				}
			}
		}
		if len(ch.items) > 0 {
			if err := send(); err != nil {
				return err
			}
		}
	}
	return nil
}

// convert converts a chunk's records in place.
func convert(c *converter, ch *chunk) {
	ch.out = make([]convItem, len(ch.items))
	for i, it := range ch.items {
		if it.err != nil {
			ch.out[i].err = it.err
			continue
		}
		var err error
		if ch.src.format == FormatCSV {
			ch.out[i].rec, err = c.csvRow(ch.src.header, csvRecord{line: it.line, raw: it.raw, fields: it.fields})
		} else {
			ch.out[i].rec, err = c.jsonRow(it.line, []byte(it.raw))
		}
		if err != nil {
			var re *rowError
			if !errors.As(err, &re) {
				re = &rowError{reason: err.Error()}
			}
			ch.out[i].err = re
		}
	}
}

// assemble reorders converted chunks, writes rejects and sends full batches.
func (im *Importer) assemble(ctx context.Context, done <-chan *chunk, out chan<- *batch, cnt *counters, rejected *atomic.Int64) error {
	b := &batch{}
	send := func() error {
		if len(b.recs) == 0 {
			return nil
		}
		select {
		case out <- b:
		case <-ctx.Done():
			return ctx.Err()
		}
		b = &batch{recs: make([]enrichd.IngestRecord, 0, im.cfg.BatchSize), meta: make([]recMeta, 0, im.cfg.BatchSize)}
		return nil
	}
	pending := map[int]*chunk{}
	next := 0
	for ch := range done {
		pending[ch.seq] = ch
		for {
			ch, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			for i, it := range ch.items {
				cnt.read.Add(1)
				meta := recMeta{file: ch.src.name, line: it.line, raw: it.raw}
				if e := ch.out[i].err; e != nil {
					rejected.Add(1)
					if im.cfg.Rejects != nil {
						if err := im.cfg.Rejects.Reject(meta.file, meta.line, e.reason, meta.raw); err != nil {
							return err
						}
					}
					continue
				}
				b.recs = append(b.recs, ch.out[i].rec)
				b.meta = append(b.meta, meta)
				if len(b.recs) >= im.cfg.BatchSize {
					if err := send(); err != nil {
						return err
					}
				}
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	return send()
}
