package jsonw_test

import (
	"math"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/enrichd/enrichd/internal/jsonw"
)

// nanAnswer writes itself but fails, as a NaN does.
type nanAnswer struct {
	F float64 `json:"f"`
}

func (a *nanAnswer) AppendJSON(w *jsonw.W) {
	w.Raw(`{"f":`)
	w.Float(a.F)
	w.Byte('}')
}

// Ensure Respond writes an Appender with an exact Content-Length, and that a
// failed writer falls back to encoding/json, whose failure becomes the 500 body.
func TestRespond(t *testing.T) {
	ct := []string{"application/json"}
	t.Run("OK", func(t *testing.T) {
		rec := httptest.NewRecorder()
		if err := jsonw.Respond(rec, 201, ct, &nanAnswer{F: 0.5}, "internal\n"); err != nil {
			t.Fatal(err)
		}
		if got, want := rec.Body.String(), "{\"f\":0.5}\n"; got != want {
			t.Fatalf("body=%q, want %q", got, want)
		}
		if rec.Code != 201 || rec.Header().Get("Content-Length") != strconv.Itoa(rec.Body.Len()) || rec.Header().Get("Content-Type") != ct[0] {
			t.Fatalf("status %d, headers %v", rec.Code, rec.Header())
		}
	})
	t.Run("Fallback", func(t *testing.T) {
		rec := httptest.NewRecorder()
		if err := jsonw.Respond(rec, 200, ct, map[string]int{"b": 2, "a": 1}, "internal\n"); err != nil {
			t.Fatal(err)
		}
		if got, want := rec.Body.String(), "{\"a\":1,\"b\":2}\n"; got != want {
			t.Fatalf("body=%q, want %q", got, want)
		}
	})
	t.Run("ErrInternal", func(t *testing.T) {
		rec := httptest.NewRecorder()
		if err := jsonw.Respond(rec, 200, ct, &nanAnswer{F: math.NaN()}, "internal\n"); err == nil {
			t.Fatal("no error for NaN")
		}
		if rec.Code != 500 || rec.Body.String() != "internal\n" || rec.Header().Get("Content-Length") != "9" {
			t.Fatalf("status %d, body %q, headers %v", rec.Code, rec.Body, rec.Header())
		}
	})
}
