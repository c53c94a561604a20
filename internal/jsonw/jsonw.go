// Package jsonw appends JSON to a byte slice without reflection, producing
// exactly the bytes encoding/json produces with SetEscapeHTML(false) (or, with
// W.HTML, json.Marshal's): the dialects' hand-written response encoders build
// on it (issue 5: encoding was ~9% of a served look-up's CPU), and so do the
// stored documents (internal/doccodec).
//
// NOTE: a value encoding/json would reject or rewrite in ways not mirrored here
// (NaN, ±Inf, a time outside years 0–9999, an invalid json.RawMessage) marks
// the writer failed; callers then fall back to encoding/json, so that the
// answer, including its error, stays what it was.
package jsonw

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/enrichd/enrichd/internal/jsonstr"
)

// W is an append-only JSON writer over B.
type W struct {
	B []byte
	// HTML escapes <, >, & and U+2028/U+2029 in strings and raw values as
	// json.Marshal does (the stored documents); the dialects' answers leave it
	// off, as SetEscapeHTML(false) does.
	HTML   bool
	failed bool
}

// Failed reports whether a value could not be written the way encoding/json writes it.
func (w *W) Failed() bool { return w.failed }

// Fail marks the writer failed.
func (w *W) Fail() { w.failed = true }

// Raw appends s unchanged.
func (w *W) Raw(s string) { w.B = append(w.B, s...) }

// Byte appends c unchanged.
func (w *W) Byte(c byte) { w.B = append(w.B, c) }

// Key appends an object key (a literal that needs no escaping), preceded by a
// comma unless it is the object's first member.
func (w *W) Key(name string) {
	w.sep('{')
	w.B = append(w.B, '"')
	w.B = append(w.B, name...)
	w.B = append(w.B, '"', ':')
}

// Elem starts an array element: a comma unless it is the first.
func (w *W) Elem() { w.sep('[') }

func (w *W) sep(open byte) {
	if n := len(w.B); n > 0 && w.B[n-1] != open {
		w.B = append(w.B, ',')
	}
}

// String appends s as a JSON string.
func (w *W) String(s string) { w.B = jsonstr.Append(w.B, s, w.HTML) }

// Int appends n.
func (w *W) Int(n int64) { w.B = strconv.AppendInt(w.B, n, 10) }

// Bool appends b.
func (w *W) Bool(b bool) { w.B = strconv.AppendBool(w.B, b) }

// Float appends f as encoding/json formats a float64.
func (w *W) Float(f float64) {
	if math.IsInf(f, 0) || math.IsNaN(f) {
		w.failed = true
		w.B = append(w.B, '0')
		return
	}
	w.B = AppendFloat(w.B, f)
}

// Strings appends ss as an array, or null when ss is nil (as encoding/json does).
func (w *W) Strings(ss []string) {
	if ss == nil {
		w.Raw("null")
		return
	}
	w.B = append(w.B, '[')
	for i, s := range ss {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.String(s)
	}
	w.B = append(w.B, ']')
}

// Time appends t as time.Time's MarshalJSON does (RFC 3339 with nanoseconds),
// failing where it fails: a year outside 0–9999 or a zone of 24 hours or more.
func (w *W) Time(t time.Time) {
	w.B = append(w.B, '"')
	n0 := len(w.B)
	w.B = t.AppendFormat(w.B, time.RFC3339Nano)
	b := w.B
	switch {
	case len(b) < n0+5 || b[n0+4] != '-':
		w.failed = true
	case b[len(b)-1] != 'Z':
		c := b[len(b)-len("Z07:00")]
		hh := 10*(b[len(b)-5]-'0') + (b[len(b)-4] - '0')
		if ('0' <= c && c <= '9') || hh >= 24 {
			w.failed = true
		}
	}
	w.B = append(w.B, '"')
}

// RawJSON appends m as encoding/json writes a json.RawMessage: nil is null,
// anything else is validated and compacted (and HTML-escaped with HTML).
func (w *W) RawJSON(m json.RawMessage) {
	if m == nil {
		w.Raw("null")
		return
	}
	escape := w.HTML && bytes.IndexAny(m, "<>&\u2028\u2029") >= 0
	if !escape && bytes.IndexAny(m, " \t\r\n") < 0 {
		if !json.Valid(m) {
			w.failed = true
			w.Raw("null")
			return
		}
		w.B = append(w.B, m...) // valid and nothing to compact
		return
	}
	var b bytes.Buffer
	if err := json.Compact(&b, m); err != nil {
		w.failed = true
		w.Raw("null")
		return
	}
	if escape {
		var e bytes.Buffer
		json.HTMLEscape(&e, b.Bytes())
		b = e
	}
	w.B = append(w.B, b.Bytes()...)
}

// RawMap appends m as encoding/json writes a map[string]json.RawMessage:
// keys sorted, null when m is nil.
func (w *W) RawMap(m map[string]json.RawMessage) {
	if m == nil {
		w.Raw("null")
		return
	}
	var small [16]string
	keys := small[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w.B = append(w.B, '{')
	for i, k := range keys {
		if i > 0 {
			w.B = append(w.B, ',')
		}
		w.String(k)
		w.B = append(w.B, ':')
		w.RawJSON(m[k])
	}
	w.B = append(w.B, '}')
}

// AppendFloat appends a finite f as encoding/json formats a float64.
func AppendFloat(dst []byte, f float64) []byte {
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// AppendString appends s as a JSON string, escaped exactly as encoding/json
// does without HTML escaping (see jsonstr.Append).
func AppendString(dst []byte, s string) []byte { return jsonstr.Append(dst, s, false) }

// pool recycles writers across requests: a response body is built in one
// buffer and written once.
var pool = sync.Pool{New: func() any { return &W{B: make([]byte, 0, 4096)} }}

// Get returns an empty writer from the pool.
func Get() *W { return pool.Get().(*W) }

// Put returns w to the pool; oversized buffers are dropped so that one huge
// answer does not pin memory.
func Put(w *W) {
	if cap(w.B) > 256<<10 {
		return
	}
	w.B, w.HTML, w.failed = w.B[:0], false, false
	pool.Put(w)
}
