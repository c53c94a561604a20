package native_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/enrichd/enrichd"
)

// benchBody is an identifier enrichment, the hot path.
var benchBody = []byte(`{"email":"jane.doe@acme.com"}`)

// BenchmarkPersonEnrich compares the native handler (auth, decode, engine
// mock, charge, encode) with a bare handler that writes the same bytes from
// memory, in process and through loopback HTTP. The ratio of the two
// requests/s is the throughput target (≥ 50%).
func BenchmarkPersonEnrich(b *testing.B) {
	env := NewEnv(b, true)
	// A real store's charge is benchmarked by the accounts package; here it is free.
	env.Accounts.ChargeFn = func(ctx context.Context, c enrichd.Charge) (int64, error) { return 1_000_000, nil }
	// Shared answers, as a cache would give: the benchmark measures the
	// handler, not the mocks' allocations.
	key, _ := env.Accounts.AuthenticateFn(context.Background(), keyGood)
	env.Accounts.AuthenticateFn = func(ctx context.Context, secret string) (*enrichd.APIKey, error) { return key, nil }
	m, _ := env.Matcher.MatchPersonFn(context.Background(), enrichd.MatchRequest{Email: "jane.doe@acme.com"})
	env.Matcher.MatchPersonFn = func(ctx context.Context, req enrichd.MatchRequest) (*enrichd.Match, error) { return m, nil }
	rec := post(b, env.Handler, "/v1/person/enrich", keyGood, benchBody)
	if rec.Code != 200 {
		b.Fatalf("status=%d", rec.Code)
	}
	canned := rec.Body.Bytes()
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = w.Write(canned)
	})
	for _, tc := range []struct {
		name string
		h    http.Handler
	}{{"native", env.Handler}, {"bare", bare}} {
		b.Run("inprocess/"+tc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(canned)))
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequest(http.MethodPost, "/v1/person/enrich", bytes.NewReader(benchBody))
					req.Header.Set("Authorization", "Bearer "+keyGood)
					w := httptest.NewRecorder()
					tc.h.ServeHTTP(w, req)
					if w.Code != 200 {
						b.Fatalf("status=%d", w.Code)
					}
				}
			})
		})
		b.Run("http/"+tc.name, func(b *testing.B) {
			srv := httptest.NewServer(tc.h)
			defer srv.Close()
			client := srv.Client()
			client.Transport.(*http.Transport).MaxIdleConnsPerHost = 64
			b.SetParallelism(16)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/person/enrich", bytes.NewReader(benchBody))
					req.Header.Set("Authorization", "Bearer "+keyGood)
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != 200 {
						b.Fatalf("status=%d", resp.StatusCode)
					}
				}
			})
		})
	}
}
