package jsonw_test

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/enrichd/enrichd/internal/jsonw"
	"github.com/enrichd/enrichd/internal/jsonw/jsonwtest"
)

// stdJSON is what the dialects wrote before: encoding/json without HTML escaping.
func stdJSON(tb testing.TB, v any) ([]byte, error) {
	tb.Helper()
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Ensure strings and floats are written byte for byte as encoding/json writes them.
func FuzzString(f *testing.F) {
	for _, s := range []string{"", "plain", `q"uo\te`, "<a&b>", "\x00\x1f\t\n\r\b\f", "\u2028\u2029", "bad \xff\xfe utf8", "é漢字🙂", "\xe2\x80"} {
		f.Add(s, 0.5)
	}
	f.Add("x", 1e-7)
	f.Add("x", 1e21)
	f.Add("x", -0.0)
	f.Add("x", 123456789.123)
	f.Fuzz(func(t *testing.T, s string, fl float64) {
		want, _ := stdJSON(t, s)
		if got := jsonw.AppendString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
		if math.IsNaN(fl) || math.IsInf(fl, 0) {
			return
		}
		want, _ = stdJSON(t, fl)
		if got := jsonw.AppendFloat(nil, fl); !bytes.Equal(got, want) {
			t.Fatalf("AppendFloat(%v) = %s, want %s", fl, got, want)
		}
	})
}

// Ensure a non-finite float, an invalid raw message and an out-of-range time
// mark the writer failed wherever encoding/json fails.
func TestW_Failed(t *testing.T) {
	for name, write := range map[string]func(w *jsonw.W){
		"NaN":      func(w *jsonw.W) { w.Float(math.NaN()) },
		"Inf":      func(w *jsonw.W) { w.Float(math.Inf(-1)) },
		"BadRaw":   func(w *jsonw.W) { w.RawJSON(json.RawMessage(`{"a":`)) },
		"EmptyRaw": func(w *jsonw.W) { w.RawJSON(json.RawMessage{}) },
		"Year":     func(w *jsonw.W) { w.Time(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)) },
		"Zone":     func(w *jsonw.W) { w.Time(time.Date(2020, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 25*3600))) },
	} {
		t.Run(name, func(t *testing.T) {
			var w jsonw.W
			write(&w)
			if !w.Failed() {
				t.Fatalf("not failed: %s", w.B)
			}
		})
	}
	var w jsonw.W
	w.Time(time.Date(2020, 1, 2, 3, 4, 5, 6, time.FixedZone("x", 3600+30)))
	w.RawJSON(json.RawMessage(" { \"a\" : [1, 2] } "))
	if w.Failed() {
		t.Fatalf("failed on valid values: %s", w.B)
	}
}

// Ensure random people, companies, evidence and guessed emails are written
// byte for byte as encoding/json writes them.
func TestW_Records(t *testing.T) {
	g := jsonwtest.New(1)
	for i := 0; i < 3000; i++ {
		p := g.Person()
		c := g.Company()
		ev := g.Evidence()
		ge := g.GuessedEmail()
		var w jsonw.W
		w.Byte('[')
		w.Elem()
		w.Person(p)
		w.Elem()
		w.Company(c)
		w.Elem()
		w.Evidence(ev)
		w.Elem()
		w.GuessedEmail(ge)
		w.Byte(']')
		want, err := stdJSON(t, []any{p, c, ev, ge})
		if err != nil {
			if !w.Failed() {
				t.Fatalf("case %d: encoding/json failed (%v), the writer did not", i, err)
			}
			continue
		}
		if w.Failed() {
			t.Fatalf("case %d: the writer failed, encoding/json did not: %s", i, want)
		}
		if !bytes.Equal(w.B, want) {
			t.Fatalf("case %d:\n got %s\nwant %s", i, w.B, want)
		}
		// With HTML the writer is json.Marshal's (the stored documents).
		h := jsonw.W{HTML: true}
		h.Person(p)
		h.Byte(',')
		h.Company(c)
		wantP, errP := json.Marshal(p)
		wantC, errC := json.Marshal(c)
		switch failed := errP != nil || errC != nil; {
		case failed != h.Failed():
			t.Fatalf("case %d, HTML: writer failed %v, json.Marshal errors %v, %v", i, h.Failed(), errP, errC)
		case !failed && !bytes.Equal(h.B, append(append(wantP, ','), wantC...)):
			t.Fatalf("case %d, HTML:\n got %s\nwant %s,%s", i, h.B, wantP, wantC)
		}
	}
}
