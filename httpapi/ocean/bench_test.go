package ocean_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/enrichd/enrichd/httpapi/ocean"
)

var benchBody = []byte(`{"person": {"linkedin": "https://www.linkedin.com/in/johndoe"}, "revealEmails": {"includeEmails": true}}`)

// BenchmarkEnrich measures the dialect's own cost (decode, convert, charge,
// encode) around a constant-time fake engine, next to BenchmarkBare which
// writes the same bytes from memory: their ratio is the dialect's share of
// the HTTP throughput target.
func BenchmarkEnrich(b *testing.B) {
	h := newHarness(b)
	h.ledger.noRecord = true
	h.ledger.balances["k_ok"] = 1 << 62
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, ocean.EnrichPath, bytes.NewReader(benchBody))
		r.Header.Set("x-api-token", keyOK)
		w := httptest.NewRecorder()
		h.h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchmarkBare is the baseline: a handler writing the same answer from memory.
func BenchmarkBare(b *testing.B) {
	h := newHarness(b)
	r := httptest.NewRequest(http.MethodPost, ocean.EnrichPath, bytes.NewReader(benchBody))
	r.Header.Set("x-api-token", keyOK)
	w := httptest.NewRecorder()
	h.h.ServeHTTP(w, r)
	answer := w.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(answer)
	})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, ocean.EnrichPath, bytes.NewReader(benchBody))
		r.Header.Set("x-api-token", keyOK)
		w := httptest.NewRecorder()
		bare.ServeHTTP(w, r)
	}
}
