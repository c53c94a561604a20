package kit_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/ratelimit"
)

func balance(tb testing.TB, s enrichd.AccountService, id string) int64 {
	tb.Helper()
	k, err := s.FindAPIKeyByID(context.Background(), id)
	if err != nil {
		tb.Fatal(err)
	}
	return k.Balance
}

func TestProtect_Idempotency(t *testing.T) {
	accounts := mustAccounts(t)
	k := &kit.Kit{Accounts: accounts, Limiter: ratelimit.NewMemory(), Prices: kit.DefaultPrices()}
	idem := func(v string) map[string]string { return map[string]string{kit.HeaderIdempotencyKey: v} }

	t.Run("Replay", func(t *testing.T) {
		// Ensure a retry gets the same status, headers and body, and is charged and run once.
		key, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 3, &runs, 0))
		first := do(t, h, secret, idem("retry-1"), `{"email":"a@b.c"}`)
		firstBody := readBody(t, first)
		second := do(t, h, secret, idem("retry-1"), `{"email":"a@b.c"}`)
		secondBody := readBody(t, second)
		if first.StatusCode != 200 || second.StatusCode != 200 || firstBody != secondBody {
			t.Fatalf("first=%d %s second=%d %s", first.StatusCode, firstBody, second.StatusCode, secondBody)
		}
		for _, h := range []string{"Content-Type", "X-Credits-Used", "X-Ratelimit-Limit", "X-Ratelimit-Reset"} {
			if first.Header.Get(h) != second.Header.Get(h) || first.Header.Get(h) == "" {
				t.Fatalf("header %s: %q then %q", h, first.Header.Get(h), second.Header.Get(h))
			}
		}
		if second.Header.Get(kit.HeaderIdempotentReplayed) != "true" || first.Header.Get(kit.HeaderIdempotentReplayed) != "" {
			t.Fatal("replay not marked")
		}
		if runs.Load() != 1 || balance(t, accounts, key.ID) != 7 {
			t.Fatalf("runs=%d balance=%d, want 1 and 7", runs.Load(), balance(t, accounts, key.ID))
		}
		// Without the header, the same request runs again.
		do(t, h, secret, nil, `{"email":"a@b.c"}`)
		if runs.Load() != 2 || balance(t, accounts, key.ID) != 4 {
			t.Fatalf("runs=%d balance=%d, want 2 and 4", runs.Load(), balance(t, accounts, key.ID))
		}
	})
	t.Run("ConcurrentDuplicates", func(t *testing.T) {
		// Ensure concurrent duplicates run once, are charged once, and all get the one answer.
		key, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 2, &runs, 50*time.Millisecond))
		var wg sync.WaitGroup
		bodies := make([]string, 20)
		statuses := make([]int, 20)
		for i := range bodies {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := do(t, h, secret, idem("dup"), `{}`)
				statuses[i], bodies[i] = resp.StatusCode, readBody(t, resp)
			}()
		}
		wg.Wait()
		for i := range bodies {
			if statuses[i] != 200 || bodies[i] != bodies[0] {
				t.Fatalf("answer %d: %d %s, want 200 %s", i, statuses[i], bodies[i], bodies[0])
			}
		}
		if runs.Load() != 1 || balance(t, accounts, key.ID) != 8 {
			t.Fatalf("runs=%d balance=%d, want 1 and 8", runs.Load(), balance(t, accounts, key.ID))
		}
	})
	t.Run("PerAPIKey", func(t *testing.T) {
		// Ensure two API keys using the same Idempotency-Key do not see each other's answers.
		_, a := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		_, b := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
		do(t, h, a, idem("shared"), `{}`)
		resp := do(t, h, b, idem("shared"), `{}`)
		if runs.Load() != 2 || resp.Header.Get(kit.HeaderIdempotentReplayed) != "" {
			t.Fatalf("runs=%d", runs.Load())
		}
	})
	t.Run("ErrDifferentRequest", func(t *testing.T) {
		// Ensure a key reused for another body is refused, not answered with the first response.
		_, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
		do(t, h, secret, idem("reuse"), `{"email":"a@b.c"}`)
		resp := do(t, h, secret, idem("reuse"), `{"email":"x@y.z"}`)
		if body := readBody(t, resp); resp.StatusCode != 400 || !strings.Contains(body, "different request") || runs.Load() != 1 {
			t.Fatalf("status=%d body=%s runs=%d", resp.StatusCode, body, runs.Load())
		}
	})
	t.Run("ErrInvalidKey", func(t *testing.T) {
		_, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
		for _, v := range []string{strings.Repeat("x", 256), "tab\there", "é"} {
			resp := do(t, h, secret, idem(v), `{}`)
			if body := readBody(t, resp); resp.StatusCode != 400 || !strings.Contains(body, "Idempotency-Key") {
				t.Fatalf("%q: status=%d body=%s", v, resp.StatusCode, body)
			}
		}
		if runs.Load() != 0 {
			t.Fatal("handler ran")
		}
	})
	t.Run("UnpaidFailureRunsAgain", func(t *testing.T) {
		// Ensure a 402 is not stored: after a top-up, the retry runs and succeeds, charged once.
		key, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 1)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 3, &runs, 0))
		if resp := do(t, h, secret, idem("topup"), `{}`); resp.StatusCode != 402 {
			t.Fatalf("status=%d, want 402", resp.StatusCode)
		}
		if _, err := accounts.Grant(context.Background(), key.ID, 5, "top-up"); err != nil {
			t.Fatal(err)
		}
		if resp := do(t, h, secret, idem("topup"), `{}`); resp.StatusCode != 200 || resp.Header.Get(kit.HeaderIdempotentReplayed) != "" {
			t.Fatalf("status=%d", resp.StatusCode)
		}
		if resp := do(t, h, secret, idem("topup"), `{}`); resp.Header.Get(kit.HeaderIdempotentReplayed) != "true" {
			t.Fatal("third call not replayed")
		}
		if runs.Load() != 2 || balance(t, accounts, key.ID) != 3 {
			t.Fatalf("runs=%d balance=%d, want 2 and 3", runs.Load(), balance(t, accounts, key.ID))
		}
	})
	t.Run("RateLimitedRunsAgain", func(t *testing.T) {
		// Ensure a replay is not rate limited, and a rate-limited attempt is not stored.
		slowKey, secret := mustKey(t, accounts, enrichd.Plan{Name: "slow", RequestsPerMinute: 1}, 10)
		var runs atomic.Int64
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
		if resp := do(t, h, secret, idem("a"), `{}`); resp.StatusCode != 200 {
			t.Fatalf("status=%d", resp.StatusCode)
		}
		if resp := do(t, h, secret, idem("a"), `{}`); resp.StatusCode != 200 || resp.Header.Get(kit.HeaderIdempotentReplayed) != "true" {
			t.Fatalf("replay status=%d", resp.StatusCode)
		}
		if resp := do(t, h, secret, idem("b"), `{}`); resp.StatusCode != 429 {
			t.Fatalf("status=%d, want 429", resp.StatusCode)
		}
		store := any(accounts).(enrichd.IdempotencyService)
		if got, err := store.ReserveIdempotencyKey(context.Background(), slowKey.ID, "b", "fp", time.Minute); err != nil || got != nil {
			t.Fatalf("reservation of a 429 kept: %v %v", got, err)
		}
	})
	t.Run("PanicReleases", func(t *testing.T) {
		// Ensure a panicking handler leaves no reservation behind.
		_, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
		var runs atomic.Int64
		panicking := k.Protect(testDialect, "person/enrich", http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
			runs.Add(1)
			panic("boom")
		}))
		func() {
			defer func() { recover() }()
			do(t, panicking, secret, idem("p"), `{}`)
		}()
		h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
		if resp := do(t, h, secret, idem("p"), `{}`); resp.StatusCode != 200 || runs.Load() != 2 {
			t.Fatalf("status=%d runs=%d", resp.StatusCode, runs.Load())
		}
	})
	t.Run("WithoutStore", func(t *testing.T) {
		// Ensure a store without idempotency support still serves (the header is ignored).
		key := &enrichd.APIKey{ID: "k", Plan: enrichd.DefaultPlan()}
		var charges atomic.Int64
		m := &mock.AccountService{
			AuthenticateFn: func(context.Context, string) (*enrichd.APIKey, error) { return key, nil },
			ChargeFn:       func(context.Context, enrichd.Charge) (int64, error) { charges.Add(1); return 5, nil },
		}
		mk := &kit.Kit{Accounts: m}
		var runs atomic.Int64
		h := mk.Protect(testDialect, "person/enrich", chargingHandler(mk, 1, &runs, 0))
		for range 2 {
			if resp := do(t, h, "anything", idem("x"), `{}`); resp.StatusCode != 200 {
				t.Fatalf("status=%d", resp.StatusCode)
			}
		}
		if runs.Load() != 2 || charges.Load() != 2 {
			t.Fatalf("runs=%d charges=%d", runs.Load(), charges.Load())
		}
	})
}

// Ensure a request id is assigned when the server's middleware did not, so
// that ledger entries always carry one.
func TestProtect_RequestID(t *testing.T) {
	accounts := mustAccounts(t)
	key, secret := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
	k := &kit.Kit{Accounts: accounts}
	var runs atomic.Int64
	h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
	do(t, h, secret, nil, `{}`)
	r := httptest.NewRequest("POST", "/", nil).WithContext(kit.WithRequestID(context.Background(), "given-id"))
	r.Header.Set("X-API-Key", secret)
	h.ServeHTTP(httptest.NewRecorder(), r)
	entries, err := accounts.Usage(context.Background(), key.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 3 || len(entries[1].RequestID) != 16 || entries[2].RequestID != "given-id" {
		t.Fatalf("entries=%+v", entries)
	}
}
