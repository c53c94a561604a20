package storetest

// This file is the accounts part of the suite (issue 4): RunAccounts.

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

// RunAccounts runs the AccountService (and, when the service implements it,
// IdempotencyService) conformance suite. open returns a service over a fresh,
// empty, migrated store; it must clean up through tb.Cleanup.
func RunAccounts(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	t.Run("CreateAPIKey", func(t *testing.T) { testCreateAPIKey(t, open) })
	t.Run("Authenticate", func(t *testing.T) { testAuthenticate(t, open) })
	t.Run("Charge", func(t *testing.T) { testCharge(t, open) })
	t.Run("ChargeConcurrent", func(t *testing.T) { testChargeConcurrent(t, open) })
	t.Run("Grant", func(t *testing.T) { testGrant(t, open) })
	t.Run("ManageKeys", func(t *testing.T) { testManageKeys(t, open) })
	t.Run("Usage", func(t *testing.T) { testUsage(t, open) })
	t.Run("Idempotency", func(t *testing.T) { testIdempotency(t, open) })
}

// MustCreateAPIKey creates a key with the default plan and fails tb on error.
func MustCreateAPIKey(tb testing.TB, s enrichd.AccountService, name string, credits int64) (*enrichd.APIKey, string) {
	tb.Helper()
	k, secret, err := s.CreateAPIKey(context.Background(), name, enrichd.DefaultPlan(), credits, nil)
	if err != nil {
		tb.Fatalf("create api key: %v", err)
	}
	return k, secret
}

func wantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if got := enrichd.ErrorCode(err); got != code {
		tb.Fatalf("error code=%q (%v), want %q", got, err, code)
	}
}

// ledgerSum returns the sum of the key's ledger credits (debits positive).
func ledgerSum(tb testing.TB, s enrichd.AccountService, keyID string) (sum int64, n int) {
	tb.Helper()
	entries, err := s.Usage(context.Background(), keyID, time.Time{})
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range entries {
		sum += e.Credits
	}
	return sum, len(entries)
}

func testCreateAPIKey(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		// Ensure a key is returned with its secret once, and found by id with the same fields.
		s := open(t)
		plan := enrichd.Plan{Name: "pro", RequestsPerMinute: 10, DailyQuota: 100, APIs: []string{enrichd.APINative},
			DeniedEndpoints: []string{"native:person/search"}, FieldPermissions: []string{"contact"}, Prices: map[string]int64{"native:match": 3}}
		exp := time.Now().Add(time.Hour)
		k, secret, err := s.CreateAPIKey(ctx, " acme ", plan, 25, &exp)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(secret, enrichd.APIKeySecretPrefix) || !strings.HasPrefix(secret, k.Prefix) || len(k.Prefix) >= len(secret) {
			t.Fatalf("secret=%q prefix=%q", secret, k.Prefix)
		}
		if k.ID == "" || k.Name != "acme" || k.Balance != 25 || k.ExpiresAt == nil || k.RevokedAt != nil {
			t.Fatalf("key=%+v", k)
		}
		got, err := s.FindAPIKeyByID(ctx, k.ID)
		if err != nil {
			t.Fatal(err)
		}
		a, _ := json.Marshal(k)
		b, _ := json.Marshal(got)
		if string(a) != string(b) {
			t.Fatalf("stored key differs:\n%s\n%s", a, b)
		}
		if strings.Contains(string(b), secret) {
			t.Fatal("stored key exposes the secret")
		}
		// The initial credits are a grant in the ledger: balance == -sum.
		if sum, n := ledgerSum(t, s, k.ID); sum != -25 || n != 1 {
			t.Fatalf("ledger sum=%d n=%d, want -25, 1", sum, n)
		}
	})
	t.Run("DefaultPlan", func(t *testing.T) {
		// Ensure a zero plan becomes the default plan.
		s := open(t)
		k, _, err := s.CreateAPIKey(ctx, "demo", enrichd.Plan{}, 0, nil)
		if err != nil {
			t.Fatal(err)
		}
		if k.Plan.Name != "default" || k.Plan.RequestsPerMinute != 600 || len(k.Plan.FieldPermissions) != 3 {
			t.Fatalf("plan=%+v", k.Plan)
		}
	})
	t.Run("UniqueSecrets", func(t *testing.T) {
		// Ensure two keys never share a secret or an id.
		s := open(t)
		a, sa := MustCreateAPIKey(t, s, "a", 0)
		b, sb := MustCreateAPIKey(t, s, "b", 0)
		if a.ID == b.ID || sa == sb {
			t.Fatal("keys collide")
		}
	})
	past := time.Now().Add(-time.Minute)
	for _, tt := range []struct {
		name    string
		keyName string
		plan    enrichd.Plan
		credits int64
		expires *time.Time
		field   string
	}{
		{"ErrNoName", "  ", enrichd.DefaultPlan(), 1, nil, "name"},
		{"ErrNegativeCredits", "x", enrichd.DefaultPlan(), -1, nil, "credits"},
		{"ErrExpired", "x", enrichd.DefaultPlan(), 1, &past, "expires_at"},
		{"ErrUnknownAPI", "x", enrichd.Plan{Name: "p", APIs: []string{"nope"}}, 1, nil, "apis"},
		{"ErrNegativeRate", "x", enrichd.Plan{Name: "p", RequestsPerMinute: -1}, 1, nil, "requests_per_minute"},
		{"ErrBadPrice", "x", enrichd.Plan{Name: "p", Prices: map[string]int64{"native": 1}}, 1, nil, "prices"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Ensure invalid input is refused with EINVALID naming the field, and nothing is stored.
			s := open(t)
			_, _, err := s.CreateAPIKey(ctx, tt.keyName, tt.plan, tt.credits, tt.expires)
			wantCode(t, err, enrichd.EINVALID)
			if e := enrichd.AsError(err); e.Fields[tt.field] == "" {
				t.Fatalf("fields=%v, want %q", e.Fields, tt.field)
			}
			if keys, err := s.FindAPIKeys(ctx); err != nil || len(keys) != 0 {
				t.Fatalf("keys=%d err=%v", len(keys), err)
			}
		})
	}
}

func testAuthenticate(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	s := open(t)
	k, secret := MustCreateAPIKey(t, s, "a", 10)
	t.Run("OK", func(t *testing.T) {
		got, err := s.Authenticate(ctx, secret)
		if err != nil {
			t.Fatal(err)
		}
		if got.ID != k.ID || got.Balance != 10 || got.Plan.Name != "default" {
			t.Fatalf("key=%+v", got)
		}
	})
	for _, tt := range []struct{ name, secret string }{
		{"ErrEmpty", ""},
		{"ErrGarbage", "hello"},
		{"ErrPrefixOnly", k.Prefix},
		{"ErrWrongSecret", secret[:len(secret)-1] + "x"},
		{"ErrTooLong", secret + strings.Repeat("a", 200)},
		{"ErrCase", strings.ToUpper(secret)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			// Ensure anything but the exact secret is EUNAUTHORIZED and the message never echoes it.
			_, err := s.Authenticate(ctx, tt.secret)
			wantCode(t, err, enrichd.EUNAUTHORIZED)
			if tt.secret != "" && strings.Contains(enrichd.ErrorMessage(err), tt.secret) {
				t.Fatal("message echoes the secret")
			}
		})
	}
	t.Run("ErrRevoked", func(t *testing.T) {
		// Ensure a revocation applies at once, even to a key just authenticated (and possibly cached).
		k2, secret2 := MustCreateAPIKey(t, s, "b", 0)
		if _, err := s.Authenticate(ctx, secret2); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeAPIKey(ctx, k2.ID); err != nil {
			t.Fatal(err)
		}
		_, err := s.Authenticate(ctx, secret2)
		wantCode(t, err, enrichd.EUNAUTHORIZED)
		if !strings.Contains(enrichd.ErrorMessage(err), "revoked") {
			t.Fatalf("message=%q", enrichd.ErrorMessage(err))
		}
	})
	t.Run("PlanChange", func(t *testing.T) {
		// Ensure a plan change applies at once, even to a key just authenticated.
		k4, secret4 := MustCreateAPIKey(t, s, "d", 0)
		if _, err := s.Authenticate(ctx, secret4); err != nil {
			t.Fatal(err)
		}
		if err := s.UpdatePlan(ctx, k4.ID, enrichd.Plan{Name: "small", RequestsPerMinute: 1}); err != nil {
			t.Fatal(err)
		}
		got, err := s.Authenticate(ctx, secret4)
		if err != nil || got.Plan.Name != "small" || got.Plan.RequestsPerMinute != 1 {
			t.Fatalf("plan=%+v err=%v", got.Plan, err)
		}
		// The returned key is a copy: changing it changes nothing stored or cached.
		got.Plan.Name = "mutated"
		if again, _ := s.Authenticate(ctx, secret4); again.Plan.Name != "small" {
			t.Fatal("a caller's change leaked into the cache")
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		exp := time.Now().Add(150 * time.Millisecond)
		_, secret3, err := s.CreateAPIKey(ctx, "c", enrichd.DefaultPlan(), 0, &exp)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, secret3); err != nil {
			t.Fatalf("before expiry: %v", err)
		}
		time.Sleep(time.Until(exp) + 20*time.Millisecond)
		_, err = s.Authenticate(ctx, secret3)
		wantCode(t, err, enrichd.EUNAUTHORIZED)
		if !strings.Contains(enrichd.ErrorMessage(err), "expired") {
			t.Fatalf("message=%q", enrichd.ErrorMessage(err))
		}
	})
}

func testCharge(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	t.Run("OK", func(t *testing.T) {
		// Ensure a charge debits, returns the new balance, and is a ledger entry with all its fields.
		s := open(t)
		k, _ := MustCreateAPIKey(t, s, "a", 10)
		bal, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "req-1", API: "clodura", Endpoint: "enrich", Outcome: "match", Credits: 2})
		if err != nil {
			t.Fatal(err)
		}
		if bal != 8 {
			t.Fatalf("balance=%d, want 8", bal)
		}
		entries, err := s.Usage(ctx, k.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) != 2 {
			t.Fatalf("entries=%d, want 2", len(entries))
		}
		e := entries[1]
		if e.KeyID != k.ID || e.RequestID != "req-1" || e.API != "clodura" || e.Endpoint != "enrich" || e.Outcome != "match" ||
			e.Credits != 2 || e.BalanceAfter != 8 || time.Since(e.CreatedAt) > time.Minute {
			t.Fatalf("entry=%+v", e)
		}
	})
	t.Run("ZeroCharge", func(t *testing.T) {
		// Ensure a free miss is recorded too, even at a zero balance.
		s := open(t)
		k, _ := MustCreateAPIKey(t, s, "a", 0)
		bal, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, API: "clodura", Endpoint: "enrich", Outcome: "not_found"})
		if err != nil || bal != 0 {
			t.Fatalf("balance=%d err=%v", bal, err)
		}
		if _, n := ledgerSum(t, s, k.ID); n != 1 {
			t.Fatalf("entries=%d, want 1", n)
		}
	})
	t.Run("ExactBalance", func(t *testing.T) {
		// Ensure the last credit can be spent.
		s := open(t)
		k, _ := MustCreateAPIKey(t, s, "a", 4)
		if bal, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, Credits: 4}); err != nil || bal != 0 {
			t.Fatalf("balance=%d err=%v", bal, err)
		}
	})
	t.Run("ErrInsufficient", func(t *testing.T) {
		// Ensure a charge above the balance is EPAYMENT and writes nothing.
		s := open(t)
		k, _ := MustCreateAPIKey(t, s, "a", 3)
		_, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, Credits: 4})
		wantCode(t, err, enrichd.EPAYMENT)
		got, err := s.FindAPIKeyByID(ctx, k.ID)
		if err != nil || got.Balance != 3 {
			t.Fatalf("balance=%d err=%v", got.Balance, err)
		}
		if sum, n := ledgerSum(t, s, k.ID); sum != -3 || n != 1 {
			t.Fatalf("ledger sum=%d n=%d", sum, n)
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		s := open(t)
		_, err := s.Charge(ctx, enrichd.Charge{KeyID: "0000000000000000", Credits: 1})
		wantCode(t, err, enrichd.ENOTFOUND)
	})
	t.Run("ErrInvalid", func(t *testing.T) {
		s := open(t)
		k, _ := MustCreateAPIKey(t, s, "a", 3)
		_, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, Credits: -1})
		wantCode(t, err, enrichd.EINVALID)
		_, err = s.Charge(ctx, enrichd.Charge{Credits: 1})
		wantCode(t, err, enrichd.EINVALID)
	})
}

// testChargeConcurrent is issue 4's acceptance test: 200 concurrent requests
// against a key with credits for 50.
func testChargeConcurrent(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	s := open(t)
	const price, affordable, requests = 2, 50, 200
	k, _ := MustCreateAPIKey(t, s, "a", price*affordable)
	var (
		wg               sync.WaitGroup
		mu               sync.Mutex
		ok, paid, others int
		start            = make(chan struct{})
	)
	for i := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, RequestID: "r" + string(rune('a'+i%26)), API: "native", Endpoint: "person/enrich", Outcome: "match", Credits: price})
			mu.Lock()
			defer mu.Unlock()
			switch enrichd.ErrorCode(err) {
			case "":
				ok++
			case enrichd.EPAYMENT:
				paid++
			default:
				others++
				t.Errorf("charge: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if ok != affordable || paid != requests-affordable || others != 0 {
		t.Fatalf("ok=%d payment=%d other=%d, want %d, %d, 0", ok, paid, others, affordable, requests-affordable)
	}
	got, err := s.FindAPIKeyByID(ctx, k.ID)
	if err != nil || got.Balance != 0 {
		t.Fatalf("balance=%d err=%v", got.Balance, err)
	}
	// The ledger holds the initial grant (-100) and exactly 50 debits of 2.
	if sum, n := ledgerSum(t, s, k.ID); sum != 0 || n != affordable+1 {
		t.Fatalf("ledger sum=%d n=%d, want 0, %d", sum, n, affordable+1)
	}
}

func testGrant(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	s := open(t)
	k, _ := MustCreateAPIKey(t, s, "a", 5)
	t.Run("OK", func(t *testing.T) {
		bal, err := s.Grant(ctx, k.ID, 10, "top-up")
		if err != nil || bal != 15 {
			t.Fatalf("balance=%d err=%v", bal, err)
		}
		entries, _ := s.Usage(ctx, k.ID, time.Time{})
		last := entries[len(entries)-1]
		if last.Credits != -10 || last.Note != "top-up" || last.Outcome != enrichd.OutcomeGrant || last.BalanceAfter != 15 {
			t.Fatalf("entry=%+v", last)
		}
	})
	t.Run("TakeBack", func(t *testing.T) {
		bal, err := s.Grant(ctx, k.ID, -15, "refund")
		if err != nil || bal != 0 {
			t.Fatalf("balance=%d err=%v", bal, err)
		}
	})
	t.Run("ErrBelowZero", func(t *testing.T) {
		_, err := s.Grant(ctx, k.ID, -1, "")
		wantCode(t, err, enrichd.EINVALID)
	})
	t.Run("ErrZero", func(t *testing.T) {
		_, err := s.Grant(ctx, k.ID, 0, "")
		wantCode(t, err, enrichd.EINVALID)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.Grant(ctx, "0000000000000000", 5, "")
		wantCode(t, err, enrichd.ENOTFOUND)
	})
	if sum, _ := ledgerSum(t, s, k.ID); sum != 0 {
		t.Fatalf("ledger sum=%d, want 0 (balance 0)", sum)
	}
}

func testManageKeys(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	s := open(t)
	a, _ := MustCreateAPIKey(t, s, "a", 1)
	b, _ := MustCreateAPIKey(t, s, "b", 2)
	t.Run("FindAPIKeys", func(t *testing.T) {
		keys, err := s.FindAPIKeys(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 2 || keys[0].ID != a.ID || keys[1].ID != b.ID {
			t.Fatalf("keys=%v", keys)
		}
	})
	t.Run("Revoke", func(t *testing.T) {
		if err := s.RevokeAPIKey(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindAPIKeyByID(ctx, a.ID)
		if got.RevokedAt == nil || got.KeyStatus(time.Now()) != "revoked" {
			t.Fatalf("key=%+v", got)
		}
		first := *got.RevokedAt
		time.Sleep(2 * time.Millisecond)
		if err := s.RevokeAPIKey(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, _ = s.FindAPIKeyByID(ctx, a.ID)
		if !got.RevokedAt.Equal(first) {
			t.Fatal("second revoke moved the revocation time")
		}
		wantCode(t, s.RevokeAPIKey(ctx, "0000000000000000"), enrichd.ENOTFOUND)
	})
	t.Run("UpdatePlan", func(t *testing.T) {
		plan := enrichd.Plan{Name: "basic", RequestsPerMinute: 5, APIs: []string{enrichd.APIClodura}, Prices: map[string]int64{"clodura:person": 1}}
		if err := s.UpdatePlan(ctx, b.ID, plan); err != nil {
			t.Fatal(err)
		}
		got, _ := s.FindAPIKeyByID(ctx, b.ID)
		if got.Plan.Name != "basic" || got.Plan.RequestsPerMinute != 5 || got.Plan.Prices["clodura:person"] != 1 || len(got.Plan.FieldPermissions) != 0 {
			t.Fatalf("plan=%+v", got.Plan)
		}
		wantCode(t, s.UpdatePlan(ctx, b.ID, enrichd.Plan{}), enrichd.EINVALID)
		wantCode(t, s.UpdatePlan(ctx, "0000000000000000", plan), enrichd.ENOTFOUND)
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		_, err := s.FindAPIKeyByID(ctx, "0000000000000000")
		wantCode(t, err, enrichd.ENOTFOUND)
	})
}

func testUsage(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	s := open(t)
	a, _ := MustCreateAPIKey(t, s, "a", 10)
	b, _ := MustCreateAPIKey(t, s, "b", 10)
	mid := time.Now()
	time.Sleep(2 * time.Millisecond)
	for _, k := range []*enrichd.APIKey{a, b, a} {
		if _, err := s.Charge(ctx, enrichd.Charge{KeyID: k.ID, API: "ocean", Endpoint: "person", Outcome: "match", Credits: 3}); err != nil {
			t.Fatal(err)
		}
	}
	// Entries written a while after the last one (a grant; charges
	// committed together) are found from their own time: a store deriving
	// ids from time must not hand out the last id + 1.
	time.Sleep(2 * time.Millisecond)
	granted := time.Now()
	if _, err := s.Grant(ctx, a.ID, 1, "late"); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Millisecond)
	together := time.Now()
	var wg sync.WaitGroup
	for range 20 { // b has 7 credits left: 7 succeed
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Charge(ctx, enrichd.Charge{KeyID: b.ID, API: "ocean", Endpoint: "person", Outcome: "match", Credits: 1})
		}()
	}
	wg.Wait()
	for _, tt := range []struct {
		name  string
		key   string
		since time.Time
		want  int
	}{
		{"AllKeysAllTime", "", time.Time{}, 13},
		{"AllKeysSince", "", mid, 11},
		{"OneKeySince", a.ID, mid, 3},
		{"OneKeyAllTime", b.ID, time.Time{}, 9},
		{"SinceGrant", "", granted, 8},
		{"SinceGrantOneKey", a.ID, granted, 1},
		{"SinceConcurrent", b.ID, together, 7},
		{"Future", "", time.Now().Add(time.Hour), 0},
		{"UnknownKey", "0000000000000000", time.Time{}, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			entries, err := s.Usage(ctx, tt.key, tt.since)
			if err != nil {
				t.Fatal(err)
			}
			if got := len(entries); got != tt.want {
				t.Fatalf("entries=%d, want %d", got, tt.want)
			}
		})
	}
}

func testIdempotency(t *testing.T, open func(tb testing.TB) enrichd.AccountService) {
	ctx := context.Background()
	s, ok := open(t).(enrichd.IdempotencyService)
	if !ok {
		t.Skip("store does not implement enrichd.IdempotencyService")
	}
	const lease = time.Minute
	resp := enrichd.IdempotentResponse{Status: 201, Header: http.Header{"Content-Type": {"application/json"}, "X-Credits-Used": {"2"}}, Body: []byte(`{"ok":true}`)}
	t.Run("ReserveCompleteReplay", func(t *testing.T) {
		got, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-1", "fp", lease)
		if err != nil || got != nil {
			t.Fatalf("reserve: resp=%v err=%v", got, err)
		}
		_, err = s.ReserveIdempotencyKey(ctx, "k1", "idem-1", "fp", lease)
		wantCode(t, err, enrichd.ECONFLICT)
		if err := s.CompleteIdempotencyKey(ctx, "k1", "idem-1", resp); err != nil {
			t.Fatal(err)
		}
		got, err = s.ReserveIdempotencyKey(ctx, "k1", "idem-1", "fp", lease)
		if err != nil || got == nil {
			t.Fatalf("replay: resp=%v err=%v", got, err)
		}
		if got.Status != 201 || string(got.Body) != `{"ok":true}` || got.Header.Get("X-Credits-Used") != "2" || got.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("replay=%+v", got)
		}
		// The same idempotency key of another API key is independent.
		if got, err := s.ReserveIdempotencyKey(ctx, "k2", "idem-1", "fp", lease); err != nil || got != nil {
			t.Fatalf("other key: resp=%v err=%v", got, err)
		}
	})
	t.Run("ErrOtherRequest", func(t *testing.T) {
		if _, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-2", "fp-a", lease); err != nil {
			t.Fatal(err)
		}
		_, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-2", "fp-b", lease)
		wantCode(t, err, enrichd.EINVALID)
		if err := s.CompleteIdempotencyKey(ctx, "k1", "idem-2", resp); err != nil {
			t.Fatal(err)
		}
		_, err = s.ReserveIdempotencyKey(ctx, "k1", "idem-2", "fp-b", lease)
		wantCode(t, err, enrichd.EINVALID)
	})
	t.Run("Release", func(t *testing.T) {
		if _, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-3", "fp", lease); err != nil {
			t.Fatal(err)
		}
		if err := s.ReleaseIdempotencyKey(ctx, "k1", "idem-3"); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-3", "fp", lease); err != nil || got != nil {
			t.Fatalf("after release: resp=%v err=%v", got, err)
		}
		// Completing an unknown reservation is an error, not a silent no-op.
		wantCode(t, s.CompleteIdempotencyKey(ctx, "k1", "never-reserved", resp), enrichd.ENOTFOUND)
	})
	t.Run("StaleReservation", func(t *testing.T) {
		// Ensure a reservation whose holder died is taken over after the lease.
		if _, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-4", "fp", lease); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Millisecond)
		if got, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-4", "fp-new", time.Millisecond); err != nil || got != nil {
			t.Fatalf("take over: resp=%v err=%v", got, err)
		}
	})
	t.Run("Concurrent", func(t *testing.T) {
		// Ensure exactly one of many concurrent duplicates gets the reservation.
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			reserved int
		)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-5", "fp", lease)
				if err == nil && got == nil {
					mu.Lock()
					reserved++
					mu.Unlock()
				} else if enrichd.ErrorCode(err) != enrichd.ECONFLICT {
					t.Errorf("reserve: %v", err)
				}
			}()
		}
		wg.Wait()
		if reserved != 1 {
			t.Fatalf("reserved=%d, want 1", reserved)
		}
	})
	t.Run("Purge", func(t *testing.T) {
		n, err := s.PurgeIdempotencyKeys(ctx, time.Now().Add(time.Second))
		if err != nil || n < 5 {
			t.Fatalf("purged=%d err=%v", n, err)
		}
		if got, err := s.ReserveIdempotencyKey(ctx, "k1", "idem-1", "other", lease); err != nil || got != nil {
			t.Fatalf("after purge: resp=%v err=%v", got, err)
		}
	})
}
