package ocean_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/enrichd/enrichd/httpapi/internal/dialecttest"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/httpapi/ocean"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/sqlite"
)

// newMeteredServer serves the dialect over the real SQLite accounts, so that
// charging, balances, the ledger and idempotent replays are the real ones.
func newMeteredServer(tb testing.TB) (*httptest.Server, *sqlite.AccountService) {
	tb.Helper()
	f := newFixture()
	return dialecttest.NewMeteredServer(tb, func(k *kit.Kit) http.Handler {
		return ocean.NewHandler(&kit.Services{Matcher: &mock.Matcher{MatchPersonFn: f.match}, Kit: k})
	})
}

// newMetering is the metering scenario with a request that matches a
// person, nothing revealed (3 credits).
func newMetering(t *testing.T) dialecttest.Metering {
	srv, accounts := newMeteredServer(t)
	wantPayment := []byte(`{"detail":"Insufficient credits"}` + "\n")
	return dialecttest.Metering{Dialect: dialect, Server: srv, Accounts: accounts,
		Body:      []byte(`{"person": {"linkedin": "https://www.linkedin.com/in/johndoe"}}`),
		IsPayment: func(body []byte) bool { return bytes.Equal(body, wantPayment) }}
}

// TestMetering_Concurrent ensures 200 concurrent requests against a key with
// credits for 16 persons (50 credits at 3) give exactly 16 answers and 184
// Ocean 402s, and that the ledger sums to what was consumed.
func TestMetering_Concurrent(t *testing.T) {
	newMetering(t).RunConcurrent(t, 16, 2, 48)
}

// TestMetering_Idempotent ensures a retry with the same Idempotency-Key gets
// the same answer and is charged once, and that a malformed key is a client
// error in Ocean's envelope.
func TestMetering_Idempotent(t *testing.T) {
	newMetering(t).RunIdempotent(t, 7, []byte(`"detail":"The Idempotency-Key`))
}
