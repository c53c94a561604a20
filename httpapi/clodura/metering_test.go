package clodura_test

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/clodura"
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
		return clodura.NewHandler(&kit.Services{
			Companies: &mock.CompanyService{FindCompanyByIDFn: func(_ context.Context, id string) (*enrichd.Company, error) {
				return f.companies[0], nil
			}},
			Matcher: &mock.Matcher{MatchPersonFn: f.match},
			Kit:     k,
		})
	})
}

// newMetering is the metering scenario with a request that matches a full
// person (2 credits).
func newMetering(t *testing.T) dialecttest.Metering {
	srv, accounts := newMeteredServer(t)
	wantPayment := []byte(`{"statusCode":402,"error":"Payment Required","message":"Payment required: credits exhausted. Upgrade your plan or add credits."}` + "\n")
	return dialecttest.Metering{Dialect: dialect, Server: srv, Accounts: accounts,
		Body:      []byte(`{"linkedinUrl": "https://in.linkedin.com/in/dipak-bhoi-b3a700172"}`),
		IsPayment: func(body []byte) bool { return bytes.Equal(body, wantPayment) }}
}

// TestMetering_Concurrent ensures 200 concurrent requests against a key with
// credits for 25 persons give exactly 25 answers and 175 Clodura 402s, and
// that the ledger sums to what was consumed.
func TestMetering_Concurrent(t *testing.T) {
	newMetering(t).RunConcurrent(t, 25, 0, 50)
}

// TestMetering_Idempotent ensures a retry with the same Idempotency-Key gets
// the same answer and is charged once, and that a malformed key is a client
// error in Clodura's envelope.
func TestMetering_Idempotent(t *testing.T) {
	newMetering(t).RunIdempotent(t, 8, []byte(`"statusCode":400`))
}
