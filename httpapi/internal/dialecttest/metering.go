package dialecttest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/sqlite"
)

// NewMeteredServer serves the handler built by build over the real SQLite
// accounts, so that charging, balances, the ledger and idempotent replays
// are the real ones.
func NewMeteredServer(tb testing.TB, build func(k *kit.Kit) http.Handler) (*httptest.Server, *sqlite.AccountService) {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "accounts.db"))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	accounts := sqlite.NewAccountService(db)
	srv := httptest.NewServer(build(&kit.Kit{Accounts: accounts, Prices: kit.DefaultPrices()}))
	tb.Cleanup(srv.Close)
	return srv, accounts
}

// Post sends body to the dialect's endpoint at url with the key secret and
// the extra headers.
func (d Dialect) Post(tb testing.TB, url, secret string, body []byte, header map[string]string) (int, http.Header, []byte) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+d.Path, bytes.NewReader(body))
	req.Header.Set(d.AuthHeader, secret)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Error(err)
		return 0, nil, nil
	}
	defer resp.Body.Close()
	answer, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, answer
}

// Metering is a metering scenario of a dialect over a metered server.
type Metering struct {
	Dialect
	Server   *httptest.Server
	Accounts *sqlite.AccountService
	Body     []byte // a request that matches a person
	// IsPayment reports whether a 402 body is the dialect's.
	IsPayment func(body []byte) bool
}

// RunConcurrent sends 200 concurrent requests against a key with 50 credits,
// wants wantOK answers and the rest the dialect's 402s, and the key's
// balance and the ledger's debits to be wantBalance and wantSpent.
func (m Metering) RunConcurrent(t *testing.T, wantOK int, wantBalance, wantSpent int64) {
	t.Helper()
	ctx := context.Background()
	key, secret, err := m.Accounts.CreateAPIKey(ctx, "meter", enrichd.Plan{Name: "test"}, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		wg       sync.WaitGroup
	)
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, body := m.Post(t, m.Server.URL, secret, m.Body, nil)
			if status == http.StatusPaymentRequired && !m.IsPayment(body) {
				t.Errorf("402 body %s", body)
			}
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[200] != wantOK || statuses[402] != 200-wantOK {
		t.Fatalf("statuses %v, want %d×200 and %d×402", statuses, wantOK, 200-wantOK)
	}
	k, err := m.Accounts.FindAPIKeyByID(ctx, key.ID)
	if err != nil {
		t.Fatal(err)
	}
	usage, err := m.Accounts.Usage(ctx, key.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var spent int64
	for _, c := range usage {
		if c.Credits > 0 {
			spent += c.Credits
		}
	}
	if k.Balance != wantBalance || spent != wantSpent {
		t.Fatalf("balance %d, ledger debits %d; want %d and %d", k.Balance, spent, wantBalance, wantSpent)
	}
}

// RunIdempotent ensures a retry with the same Idempotency-Key gets the same
// answer and is charged once, leaving wantBalance of 10 credits, and that a
// malformed Idempotency-Key is a 400 whose body contains malformed.
func (m Metering) RunIdempotent(t *testing.T, wantBalance int64, malformed []byte) {
	t.Helper()
	ctx := context.Background()
	key, secret, err := m.Accounts.CreateAPIKey(ctx, "idem", enrichd.Plan{Name: "test"}, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{kit.HeaderIdempotencyKey: "retry-7f3a"}
	s1, _, b1 := m.Post(t, m.Server.URL, secret, m.Body, h)
	s2, h2, b2 := m.Post(t, m.Server.URL, secret, m.Body, h)
	if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) || h2.Get(kit.HeaderIdempotentReplayed) != "true" {
		t.Fatalf("first %d %s; second %d %s (replayed=%q)", s1, b1, s2, b2, h2.Get(kit.HeaderIdempotentReplayed))
	}
	if k, _ := m.Accounts.FindAPIKeyByID(ctx, key.ID); k == nil || k.Balance != wantBalance {
		t.Fatalf("balance %+v, want %d (charged once)", k, wantBalance)
	}
	status, _, body := m.Post(t, m.Server.URL, secret, m.Body, map[string]string{kit.HeaderIdempotencyKey: strings.Repeat("k", 256)})
	if status != 400 || !bytes.Contains(body, malformed) {
		t.Fatalf("status %d body %s", status, body)
	}
}
