package apione_test

import (
	"context"
	"testing"

	"github.com/enrichd/enrichd"
)

var benchBody = []byte(`{"email": "john.smith@stripe.com"}`)

// BenchmarkEnrich measures the dialect's own cost (decode, convert, charge,
// encode) around a constant-time fake engine, next to BenchmarkBare which
// writes the same bytes from memory: their ratio is the dialect's share of
// the HTTP throughput target.
func BenchmarkEnrich(b *testing.B) {
	h := newHarness(b)
	h.Ledger.Unlimited("k_ok")
	dialect.BenchEnrich(b, h.H, benchBody, keyOK)
}

// BenchmarkBare is the baseline: a handler writing the same answer from memory.
func BenchmarkBare(b *testing.B) {
	dialect.BenchBare(b, newHarness(b).H, benchBody, keyOK)
}

// BenchmarkHTTP_Enrich serves the dialect over loopback HTTP with the fake
// engine and in-memory accounts: the dialect's share of the target
// (≥ 50% of BenchmarkHTTP_Bare's requests/s for an identifier enrichment).
func BenchmarkHTTP_Enrich(b *testing.B) {
	h := newHarness(b)
	h.Ledger.Unlimited("k_ok")
	dialect.BenchHTTP(b, h.H, benchBody, keyOK)
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
	dialect.BenchHTTP(b, srv.Config.Handler, benchBody, secret)
}

// BenchmarkHTTP_Bare is the baseline: a handler writing the same answer from
// memory over the same HTTP stack.
func BenchmarkHTTP_Bare(b *testing.B) {
	dialect.BenchHTTPBare(b, newHarness(b).H, benchBody, keyOK)
}
