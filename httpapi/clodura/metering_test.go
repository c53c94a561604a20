package clodura_test

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
	"github.com/enrichd/enrichd/httpapi/clodura"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/sqlite"
)

// meterBody is a request that matches a full person (2 credits).
const meterBody = `{"linkedinUrl": "https://in.linkedin.com/in/dipak-bhoi-b3a700172"}`

// newMeteredServer serves the dialect over the real SQLite accounts, so that
// charging, balances, the ledger and idempotent replays are the real ones.
func newMeteredServer(tb testing.TB) (*httptest.Server, *sqlite.AccountService) {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "accounts.db"))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	accounts := sqlite.NewAccountService(db)
	f := newFixture()
	s := &kit.Services{
		Companies: &mock.CompanyService{FindCompanyByIDFn: func(_ context.Context, id string) (*enrichd.Company, error) {
			return f.companies[0], nil
		}},
		Matcher: &mock.Matcher{MatchPersonFn: f.match},
		Kit:     &kit.Kit{Accounts: accounts, Prices: kit.DefaultPrices()},
	}
	srv := httptest.NewServer(clodura.NewHandler(s))
	tb.Cleanup(srv.Close)
	return srv, accounts
}

func post(tb testing.TB, url, secret string, header map[string]string) (int, http.Header, []byte) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+clodura.EnrichPath, bytes.NewReader([]byte(meterBody)))
	req.Header.Set("X-API-KEY", secret)
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
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, body
}

// TestMetering_Concurrent ensures 200 concurrent requests against a key with
// credits for 25 persons give exactly 25 answers and 175 Clodura 402s, and
// that the ledger sums to what was consumed.
func TestMetering_Concurrent(t *testing.T) {
	srv, accounts := newMeteredServer(t)
	ctx := context.Background()
	key, secret, err := accounts.CreateAPIKey(ctx, "meter", enrichd.Plan{Name: "test"}, 50, nil)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu       sync.Mutex
		statuses = map[int]int{}
		wg       sync.WaitGroup
	)
	wantPayment := []byte(`{"statusCode":402,"error":"Payment Required","message":"Payment required: credits exhausted. Upgrade your plan or add credits."}` + "\n")
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, body := post(t, srv.URL, secret, nil)
			if status == http.StatusPaymentRequired && !bytes.Equal(body, wantPayment) {
				t.Errorf("402 body %s", body)
			}
			mu.Lock()
			statuses[status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[200] != 25 || statuses[402] != 175 {
		t.Fatalf("statuses %v, want 25×200 and 175×402", statuses)
	}
	k, err := accounts.FindAPIKeyByID(ctx, key.ID)
	if err != nil {
		t.Fatal(err)
	}
	usage, err := accounts.Usage(ctx, key.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var spent int64
	for _, c := range usage {
		if c.Credits > 0 {
			spent += c.Credits
		}
	}
	if k.Balance != 0 || spent != 50 {
		t.Fatalf("balance %d, ledger debits %d; want 0 and 50", k.Balance, spent)
	}
}

// TestMetering_Idempotent ensures a retry with the same Idempotency-Key gets
// the same answer and is charged once.
func TestMetering_Idempotent(t *testing.T) {
	srv, accounts := newMeteredServer(t)
	ctx := context.Background()
	key, secret, err := accounts.CreateAPIKey(ctx, "idem", enrichd.Plan{Name: "test"}, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	h := map[string]string{kit.HeaderIdempotencyKey: "retry-7f3a"}
	s1, _, b1 := post(t, srv.URL, secret, h)
	s2, h2, b2 := post(t, srv.URL, secret, h)
	if s1 != 200 || s2 != 200 || !bytes.Equal(b1, b2) || h2.Get(kit.HeaderIdempotentReplayed) != "true" {
		t.Fatalf("first %d %s; second %d %s (replayed=%q)", s1, b1, s2, b2, h2.Get(kit.HeaderIdempotentReplayed))
	}
	if k, _ := accounts.FindAPIKeyByID(ctx, key.ID); k == nil || k.Balance != 8 {
		t.Fatalf("balance %+v, want 8 (charged once)", k)
	}
	// A malformed key is a client error in Clodura's envelope.
	status, _, body := post(t, srv.URL, secret, map[string]string{kit.HeaderIdempotencyKey: strings.Repeat("k", 256)})
	if status != 400 || !bytes.Contains(body, []byte(`"statusCode":400`)) {
		t.Fatalf("status %d body %s", status, body)
	}
}
