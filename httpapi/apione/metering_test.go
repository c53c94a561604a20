package apione_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/enrichd/enrichd/httpapi/apione"
	"github.com/enrichd/enrichd/httpapi/internal/dialecttest"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/sqlite"
)

// newMeteredServer serves the dialect over the real SQLite accounts, so that
// charging, balances, the ledger and idempotent replays are the real ones.
func newMeteredServer(tb testing.TB) (*httptest.Server, *sqlite.AccountService) {
	tb.Helper()
	f := newFixture()
	return dialecttest.NewMeteredServer(tb, func(k *kit.Kit) http.Handler {
		return apione.NewHandler(&kit.Services{Matcher: &mock.Matcher{MatchPersonFn: f.match}, Kit: k})
	})
}

// newMetering is the metering scenario with a request that matches a person
// (4 credits).
func newMetering(t *testing.T) dialecttest.Metering {
	srv, accounts := newMeteredServer(t)
	return dialecttest.Metering{Dialect: dialect, Server: srv, Accounts: accounts,
		Body: []byte(`{"email": "john.smith@stripe.com"}`),
		IsPayment: func(body []byte) bool {
			return bytes.Contains(body, []byte(`"error":"insufficient_credits"`))
		}}
}

// TestMetering_Concurrent ensures 200 concurrent requests against a key with
// credits for 12 persons (50 credits at 4) give exactly 12 answers and 188
// ApiOne 402s, and that the ledger sums to what was consumed.
func TestMetering_Concurrent(t *testing.T) {
	newMetering(t).RunConcurrent(t, 12, 2, 48)
}

// TestMetering_Idempotent ensures a retry with the same Idempotency-Key gets
// the same answer and is charged once, and that a malformed key is a client
// error in ApiOne's envelope.
func TestMetering_Idempotent(t *testing.T) {
	newMetering(t).RunIdempotent(t, 6, []byte(`"status":"error"`))
}
