package jsonwtest

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/enrichd/enrichd/internal/flatjson"
	"github.com/enrichd/enrichd/internal/jsonw"
)

// CheckSame fails tb unless v's AppendJSON writes exactly what encoding/json
// (SetEscapeHTML(false)) writes for v, or fails where encoding/json fails.
func CheckSame(tb testing.TB, v jsonw.Appender) {
	tb.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	stdErr := enc.Encode(v)
	var w jsonw.W
	v.AppendJSON(&w)
	w.Byte('\n')
	switch {
	case stdErr != nil && !w.Failed():
		tb.Fatalf("%T: encoding/json failed (%v), the writer did not", v, stdErr)
	case stdErr == nil && w.Failed():
		tb.Fatalf("%T: the writer failed, encoding/json did not: %s", v, b.Bytes())
	case stdErr == nil && !bytes.Equal(w.B, b.Bytes()):
		tb.Fatalf("%T:\n got %s\nwant %s", v, w.B, b.Bytes())
	}
}

// CheckFlat fails tb when flatjson.Scan accepts data with set but
// json.Unmarshal of data into a fresh value does not give what set filled.
// newV returns a pointer to a fresh value and set bound to it.
func CheckFlat[T any](tb testing.TB, data []byte, newV func() (*T, func([]byte, string) bool)) {
	tb.Helper()
	fast, set := newV()
	if !flatjson.Scan(data, set) {
		return
	}
	var want T
	if err := json.Unmarshal(data, &want); err != nil {
		tb.Fatalf("fast path accepted %q, encoding/json did not: %v", data, err)
	}
	if !reflect.DeepEqual(*fast, want) {
		tb.Fatalf("%q: fast %+v, encoding/json %+v", data, *fast, want)
	}
}
