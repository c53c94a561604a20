package importer

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits of one CSV record. A quoted field that runs past them is taken to be
// an unterminated quote, not a real multi-line value.
const (
	maxRecordBytes = 1 << 20
	maxRecordLines = 200
	maxLineBytes   = 4 << 20
)

// csvRecord is one parsed CSV record.
type csvRecord struct {
	line   int      // physical line where the record starts, 1-based
	raw    string   // the record as read, without its final line break
	fields []string // decoded fields; substrings of raw where no unescaping was needed
}

// rowError is a problem with one record; the import rejects the record and goes on.
type rowError struct{ reason string }

func (e *rowError) Error() string { return e.reason }

func rowErrorf(format string, args ...any) *rowError {
	return &rowError{reason: fmt.Sprintf(format, args...)}
}

// physLine is one physical line of input and its number.
type physLine struct {
	n    int
	text []byte // without the line break
	long bool   // text was cut at maxLineBytes
}

// lineReader reads physical lines with their numbers and can be made to
// read some of them again.
type lineReader struct {
	br     *bufio.Reader
	next   int        // number of the next physical line to read
	replay []physLine // lines to read again after a resync
	eof    bool
	buf    []byte
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{br: bufio.NewReaderSize(r, 256<<10), next: 1}
}

// readLine returns the next physical line, or io.EOF. It strips "\n" and
// "\r\n". The text is valid until the next call. A line longer than
// maxLineBytes comes back cut to that length with long set.
func (r *lineReader) readLine() (physLine, error) {
	long := false
	if len(r.replay) > 0 {
		l := r.replay[0]
		r.replay = r.replay[1:]
		return l, nil
	}
	if r.eof {
		return physLine{}, io.EOF
	}
	r.buf = r.buf[:0]
	for {
		chunk, err := r.br.ReadSlice('\n')
		if !long {
			r.buf = append(r.buf, chunk...)
		}
		if err == bufio.ErrBufferFull {
			// NOTE: keep at most maxLineBytes of a runaway line: it is
			// rejected anyway, and holding gigabytes of it helps no one.
			if len(r.buf) > maxLineBytes {
				r.buf, long = r.buf[:maxLineBytes], true
			}
			continue
		}
		if err == io.EOF {
			r.eof = true
			if len(r.buf) == 0 {
				return physLine{}, io.EOF
			}
		} else if err != nil {
			return physLine{}, err
		}
		break
	}
	text := r.buf
	if n := len(text); n > 0 && text[n-1] == '\n' {
		text = text[:n-1]
	}
	if n := len(text); n > 0 && text[n-1] == '\r' {
		text = text[:n-1]
	}
	l := physLine{n: r.next, text: text, long: long}
	r.next++
	return l, nil
}

// csvReader reads RFC 4180 records and keeps the raw text of each, which
// encoding/csv cannot give back, so that a rejected record is written to the
// rejects file exactly as it was.
//
// NOTE: on a malformed record that spans several lines, only its first line is
// rejected and the following lines are read again as records of their own: an
// unbalanced quote in one row must not swallow the thousands of rows after it.
type csvReader struct {
	*lineReader
	comma byte
}

func newCSVReader(lr *lineReader, comma byte) *csvReader {
	return &csvReader{lineReader: lr, comma: comma}
}

// Read returns the next record. A malformed record comes back with a
// *rowError (and the record's line and raw text); io.EOF ends the input; any
// other error is an I/O failure. Blank lines are skipped.
func (r *csvReader) Read() (csvRecord, error) {
	for {
		first, err := r.readLine()
		if err != nil {
			return csvRecord{}, err
		}
		if first.long {
			return csvRecord{line: first.n, raw: string(first.text)},
				rowErrorf("line longer than %d bytes", maxLineBytes)
		}
		if len(bytes.TrimSpace(first.text)) == 0 {
			continue
		}
		// Fast path: a line with no quote is a whole record.
		if bytes.IndexByte(first.text, '"') < 0 {
			raw := string(first.text)
			return csvRecord{line: first.n, raw: raw, fields: splitPlain(raw, r.comma)}, nil
		}
		lines := []physLine{{n: first.n, text: bytes.Clone(first.text)}}
		size := len(first.text)
		for {
			raw := joinLines(lines)
			fields, complete, perr := parseQuoted(raw, r.comma)
			if perr == nil && complete {
				return csvRecord{line: first.n, raw: raw, fields: fields}, nil
			}
			if perr == nil && len(lines) < maxRecordLines && size < maxRecordBytes {
				l, err := r.readLine()
				if err == nil && !l.long {
					lines = append(lines, physLine{n: l.n, text: bytes.Clone(l.text)})
					size += len(l.text) + 1
					continue
				} else if err != nil && err != io.EOF {
					return csvRecord{}, err
				}
				if err == nil {
					// A runaway line ends the record; it is read again (and rejected) on its own.
					r.replay = append(r.replay, physLine{n: l.n, text: bytes.Clone(l.text), long: true})
				}
				perr = rowErrorf("unterminated quoted field")
			} else if perr == nil {
				perr = rowErrorf("unterminated quoted field (record longer than %d lines or %d bytes)",
					maxRecordLines, maxRecordBytes)
			}
			// Reject the first line alone and read the rest again.
			r.replay = append(append([]physLine(nil), lines[1:]...), r.replay...)
			return csvRecord{line: first.n, raw: string(lines[0].text)}, perr
		}
	}
}

func joinLines(lines []physLine) string {
	if len(lines) == 1 {
		return string(lines[0].text)
	}
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.Write(l.text)
	}
	return b.String()
}

// splitPlain splits a line that has no quotes.
func splitPlain(s string, comma byte) []string {
	n := strings.Count(s, string(comma)) + 1
	out := make([]string, 0, n)
	for {
		i := strings.IndexByte(s, comma)
		if i < 0 {
			return append(out, s)
		}
		out = append(out, s[:i])
		s = s[i+1:]
	}
}

// errBareQuote and errAfterQuote are the two ways a quoted line is malformed.
var (
	errBareQuote  = errors.New(`bare " in unquoted field`)
	errAfterQuote = errors.New(`extraneous character after closing "`)
)

// parseQuoted parses a record that contains quotes. complete is false when the
// text ends inside a quoted field (the record continues on the next line).
func parseQuoted(s string, comma byte) (fields []string, complete bool, err *rowError) {
	i := 0
	for {
		// At the start of a field.
		if i < len(s) && s[i] == '"' {
			i++
			var b strings.Builder
			start := i
			for {
				j := strings.IndexByte(s[i:], '"')
				if j < 0 {
					return nil, false, nil
				}
				i += j
				if i+1 < len(s) && s[i+1] == '"' {
					b.WriteString(s[start : i+1])
					i += 2
					start = i
					continue
				}
				break
			}
			var f string
			if b.Len() == 0 {
				f = s[start:i]
			} else {
				b.WriteString(s[start:i])
				f = b.String()
			}
			fields = append(fields, f)
			i++ // the closing quote
			if i == len(s) {
				return fields, true, nil
			}
			if s[i] != comma {
				return nil, true, &rowError{reason: fmt.Sprintf("%s (column %d)", errAfterQuote, len(fields))}
			}
			i++
			if i == len(s) {
				return append(fields, ""), true, nil
			}
			continue
		}
		j := strings.IndexByte(s[i:], comma)
		end := len(s)
		if j >= 0 {
			end = i + j
		}
		f := s[i:end]
		if strings.IndexByte(f, '"') >= 0 {
			return nil, true, &rowError{reason: fmt.Sprintf("%s (column %d)", errBareQuote, len(fields)+1)}
		}
		fields = append(fields, f)
		if j < 0 {
			return fields, true, nil
		}
		i = end + 1
		if i == len(s) {
			return append(fields, ""), true, nil
		}
	}
}

// sniffComma picks the delimiter of a header line: the most frequent of
// comma, semicolon, tab and pipe outside quotes, comma on a tie.
func sniffComma(line []byte) byte {
	best, bestN := byte(','), 0
	for _, c := range []byte{',', ';', '\t', '|'} {
		n, inQuote := 0, false
		for _, b := range line {
			if b == '"' {
				inQuote = !inQuote
			} else if b == c && !inQuote {
				n++
			}
		}
		if n > bestN {
			best, bestN = c, n
		}
	}
	return best
}
