package ocean_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/enrichd/enrichd"
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

// benchHTTP drives h over loopback HTTP from parallel keep-alive clients and
// reports requests per second; the load generator shares the machine.
func benchHTTP(b *testing.B, h http.Handler, body []byte, header, key string) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	url := srv.URL + ocean.EnrichPath
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set(header, key)
			resp, err := client.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkHTTP_Enrich serves the dialect over loopback HTTP with the fake
// engine and in-memory accounts: the dialect's share of the target
// (≥ 50% of BenchmarkHTTP_Bare's requests/s for an identifier enrichment).
func BenchmarkHTTP_Enrich(b *testing.B) {
	h := newHarness(b)
	h.ledger.noRecord = true
	h.ledger.balances["k_ok"] = 1 << 62
	benchHTTP(b, h.h, benchBody, "x-api-token", keyOK)
}

// BenchmarkHTTP_EnrichSQLite is BenchmarkHTTP_Enrich with the real SQLite
// accounts: authentication and charging included.
func BenchmarkHTTP_EnrichSQLite(b *testing.B) {
	srv, accounts := newMeteredServer(b)
	srv.Close()
	_, secret, err := accounts.CreateAPIKey(context.Background(), "bench", enrichd.Plan{Name: "bench"}, 1<<50, nil)
	if err != nil {
		b.Fatal(err)
	}
	benchHTTP(b, srv.Config.Handler, benchBody, "x-api-token", secret)
}

// BenchmarkHTTP_Bare is the baseline: a handler writing the same answer from
// memory over the same HTTP stack.
func BenchmarkHTTP_Bare(b *testing.B) {
	h := newHarness(b)
	r := httptest.NewRequest(http.MethodPost, ocean.EnrichPath, bytes.NewReader(benchBody))
	r.Header.Set("x-api-token", keyOK)
	w := httptest.NewRecorder()
	h.h.ServeHTTP(w, r)
	answer := w.Body.Bytes()
	ctype := w.Header().Get("Content-Type")
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(answer)
	})
	benchHTTP(b, bare, benchBody, "x-api-token", keyOK)
}
