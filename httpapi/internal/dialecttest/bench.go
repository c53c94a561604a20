package dialecttest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
)

// BenchEnrich measures h's answers to body sent with key in-process.
func (d Dialect) BenchEnrich(b *testing.B, h http.Handler, body []byte, key string) {
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, d.Path, bytes.NewReader(body))
		r.Header.Set(d.AuthHeader, key)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}

// BenchBare is the baseline of BenchEnrich: a handler writing h's answer to
// body from memory.
func (d Dialect) BenchBare(b *testing.B, h http.Handler, body []byte, key string) {
	answer, _ := d.answer(h, body, key)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", d.ContentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(answer)
	})
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r := httptest.NewRequest(http.MethodPost, d.Path, bytes.NewReader(body))
		r.Header.Set(d.AuthHeader, key)
		w := httptest.NewRecorder()
		bare.ServeHTTP(w, r)
	}
}

// BenchHTTP drives h over loopback HTTP from parallel keep-alive clients and
// reports requests per second; the load generator shares the machine.
func (d Dialect) BenchHTTP(b *testing.B, h http.Handler, body []byte, key string) {
	srv := httptest.NewServer(h)
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256}}
	url := srv.URL + d.Path
	b.SetParallelism(16)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set(d.AuthHeader, key)
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

// BenchHTTPBare is the baseline of BenchHTTP: a handler writing h's answer
// to body from memory over the same HTTP stack.
func (d Dialect) BenchHTTPBare(b *testing.B, h http.Handler, body []byte, key string) {
	answer, ctype := d.answer(h, body, key)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Length", strconv.Itoa(len(answer)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(answer)
	})
	d.BenchHTTP(b, bare, body, key)
}

// answer returns h's answer to body and its content type.
func (d Dialect) answer(h http.Handler, body []byte, key string) ([]byte, string) {
	r := httptest.NewRequest(http.MethodPost, d.Path, bytes.NewReader(body))
	r.Header.Set(d.AuthHeader, key)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Body.Bytes(), w.Header().Get("Content-Type")
}

// Bench is the benchmark suite of a dialect: each method is one of the
// dialect package's benchmarks, answering Body.
type Bench struct {
	Dialect
	Body             []byte
	NewHarness       func(testing.TB) *Harness
	NewMeteredServer func(testing.TB) (*httptest.Server, *sqlite.AccountService)
}

// Enrich measures the dialect's own cost (decode, convert, charge, encode)
// around a constant-time fake engine, next to Bare which writes the same
// bytes from memory: their ratio is the dialect's share of the HTTP
// throughput target.
func (s Bench) Enrich(b *testing.B) {
	h := s.NewHarness(b)
	h.Ledger.Unlimited("k_ok")
	s.BenchEnrich(b, h.H, s.Body, s.KeyOK)
}

// Bare is the baseline of Enrich: a handler writing the same answer from memory.
func (s Bench) Bare(b *testing.B) {
	s.BenchBare(b, s.NewHarness(b).H, s.Body, s.KeyOK)
}

// HTTPEnrich serves the dialect over loopback HTTP with the fake engine and
// in-memory accounts: the dialect's share of the target (≥ 50% of
// HTTPBare's requests/s for an identifier enrichment).
func (s Bench) HTTPEnrich(b *testing.B) {
	h := s.NewHarness(b)
	h.Ledger.Unlimited("k_ok")
	s.BenchHTTP(b, h.H, s.Body, s.KeyOK)
}

// HTTPEnrichSQLite is HTTPEnrich with the real SQLite accounts:
// authentication and charging included.
func (s Bench) HTTPEnrichSQLite(b *testing.B) {
	srv, accounts := s.NewMeteredServer(b)
	srv.Close()
	_, secret, err := accounts.CreateAPIKey(context.Background(), "bench", enrichd.Plan{Name: "bench"}, 1<<50, nil)
	if err != nil {
		b.Fatal(err)
	}
	s.BenchHTTP(b, srv.Config.Handler, s.Body, secret)
}

// HTTPBare is the baseline of HTTPEnrich: a handler writing the same answer
// from memory over the same HTTP stack.
func (s Bench) HTTPBare(b *testing.B) {
	s.BenchHTTPBare(b, s.NewHarness(b).H, s.Body, s.KeyOK)
}
