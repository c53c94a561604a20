package kit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
	"github.com/enrichd/enrichd/ratelimit"
	"github.com/enrichd/enrichd/sqlite"
)

// testDialect carries the key in X-API-Key and answers errors as
// {"code","message"} with the usual statuses, like a small vendor would.
var testDialect = kit.Dialect{
	API: enrichd.APINative,
	Secret: func(r *http.Request) (string, error) {
		if s := r.Header.Get("X-API-Key"); s != "" {
			return s, nil
		}
		return "", enrichd.Errorf(enrichd.EUNAUTHORIZED, "Missing API key.")
	},
	WriteError: func(w http.ResponseWriter, r *http.Request, err error) {
		status := map[string]int{enrichd.EINVALID: 400, enrichd.EUNAUTHORIZED: 401, enrichd.EPAYMENT: 402, enrichd.EFORBIDDEN: 403,
			enrichd.ENOTFOUND: 404, enrichd.ECONFLICT: 409, enrichd.ERATELIMIT: 429, enrichd.EQUOTA: 429}[enrichd.ErrorCode(err)]
		if status == 0 {
			status = 500
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(map[string]string{"code": enrichd.ErrorCode(err), "message": enrichd.ErrorMessage(err)})
	},
}

// mustAccounts opens a SQLite file store (a real pool, so that concurrency is real).
func mustAccounts(tb testing.TB) *sqlite.AccountService {
	tb.Helper()
	db := sqlite.NewDB(filepath.Join(tb.TempDir(), "kit.db"))
	if err := db.Open(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return sqlite.NewAccountService(db)
}

func mustKey(tb testing.TB, s enrichd.AccountService, plan enrichd.Plan, credits int64) (*enrichd.APIKey, string) {
	tb.Helper()
	k, secret, err := s.CreateAPIKey(context.Background(), "test", plan, credits, nil)
	if err != nil {
		tb.Fatal(err)
	}
	return k, secret
}

// chargingHandler charges price credits and answers {"ok":true,"n":<run>}
// with x-credits-used, or the dialect's 402; runs counts its executions.
func chargingHandler(k *kit.Kit, price int64, runs *atomic.Int64, delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := runs.Add(1)
		time.Sleep(delay)
		remaining, err := k.Charge(r, enrichd.APINative, "person/enrich", "match", price)
		if err != nil {
			testDialect.WriteError(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Credits-Used", strconv.FormatInt(price, 10))
		w.WriteHeader(http.StatusOK)
		fmt.Fprintf(w, `{"ok":true,"n":%d,"remaining":%d}`, n, remaining)
	})
}

func do(tb testing.TB, h http.Handler, secret string, header map[string]string, body string) *http.Response {
	tb.Helper()
	r := httptest.NewRequest("POST", "/v1/person/enrich", strings.NewReader(body))
	if secret != "" {
		r.Header.Set("X-API-Key", secret)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Result()
}

func readBody(tb testing.TB, resp *http.Response) string {
	tb.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// Ensure every path of bad or missing credentials answers in the dialect's
// format with the right status, never runs the handler, and never logs the key.
func TestProtect_Credentials(t *testing.T) {
	accounts := mustAccounts(t)
	ctx := context.Background()
	_, good := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
	revokedKey, revoked := mustKey(t, accounts, enrichd.DefaultPlan(), 10)
	if err := accounts.RevokeAPIKey(ctx, revokedKey.ID); err != nil {
		t.Fatal(err)
	}
	exp := time.Now().Add(100 * time.Millisecond)
	_, expired, err := accounts.CreateAPIKey(ctx, "exp", enrichd.DefaultPlan(), 10, &exp)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(exp) + 10*time.Millisecond)
	_, otherAPI := mustKey(t, accounts, enrichd.Plan{Name: "clodura-only", APIs: []string{enrichd.APIClodura}}, 10)
	_, denied := mustKey(t, accounts, enrichd.Plan{Name: "no-enrich", DeniedEndpoints: []string{"native:person/enrich"}}, 10)

	logs := &bytes.Buffer{}
	k := &kit.Kit{Accounts: accounts, Prices: kit.DefaultPrices(), Logger: slog.New(slog.NewTextHandler(logs, nil))}
	var runs atomic.Int64
	h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 1, &runs, 0))
	for _, tt := range []struct {
		name       string
		secret     string
		wantStatus int
		wantMsg    string
	}{
		{"Missing", "", 401, "Missing API key."},
		{"Garbage", "letmein", 401, "Invalid API key."},
		{"Unknown", enrichd.APIKeySecretPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAA", 401, "Invalid API key."},
		{"Truncated", good[:len(good)-2], 401, "Invalid API key."},
		{"Revoked", revoked, 401, "This API key has been revoked."},
		{"Expired", expired, 401, "This API key has expired."},
		{"APINotInPlan", otherAPI, 403, "does not include the native API"},
		{"EndpointDenied", denied, 403, "requires a plan"},
		{"OK", good, 200, `"ok":true`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			before := runs.Load()
			resp := do(t, h, tt.secret, nil, `{}`)
			body := readBody(t, resp)
			if resp.StatusCode != tt.wantStatus || !strings.Contains(body, tt.wantMsg) {
				t.Fatalf("status=%d body=%s, want %d %q", resp.StatusCode, body, tt.wantStatus, tt.wantMsg)
			}
			if ran := runs.Load() - before; (tt.wantStatus == 200) != (ran == 1) {
				t.Fatalf("handler ran %d times", ran)
			}
		})
	}
	for _, s := range []string{good, revoked, expired, otherAPI, denied} {
		if strings.Contains(logs.String(), s) {
			t.Fatal("a key was logged")
		}
	}
}

// Ensure a store failure during authentication is a 500 in the dialect's
// format, logged without the key.
func TestProtect_AuthenticateInternalError(t *testing.T) {
	logs := &bytes.Buffer{}
	accounts := &mock.AccountService{AuthenticateFn: func(context.Context, string) (*enrichd.APIKey, error) {
		return nil, errors.New("database is locked")
	}}
	k := &kit.Kit{Accounts: accounts, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	h := k.Protect(testDialect, "person/enrich", http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Fatal("handler ran") }))
	secret := enrichd.APIKeySecretPrefix + "SECRETSECRETSECRET"
	resp := do(t, h, secret, nil, `{}`)
	if body := readBody(t, resp); resp.StatusCode != 500 || strings.Contains(body, "locked") {
		t.Fatalf("status=%d body=%s", resp.StatusCode, body)
	}
	if !strings.Contains(logs.String(), "database is locked") || strings.Contains(logs.String(), secret) {
		t.Fatalf("logs=%s", logs)
	}
}

// Ensure the rate limit and the daily quota answer 429 with Retry-After and
// X-RateLimit-* headers, and that allowed answers carry the headers too.
func TestProtect_Limits(t *testing.T) {
	accounts := mustAccounts(t)
	k := &kit.Kit{Accounts: accounts, Limiter: ratelimit.NewMemory(), Prices: kit.DefaultPrices()}
	var runs atomic.Int64
	h := k.Protect(testDialect, "person/enrich", chargingHandler(k, 0, &runs, 0))
	for _, tt := range []struct {
		name     string
		plan     enrichd.Plan
		wantCode string
		limit    string
	}{
		{"PerMinute", enrichd.Plan{Name: "p", RequestsPerMinute: 2}, enrichd.ERATELIMIT, "2"},
		{"DailyQuota", enrichd.Plan{Name: "p", DailyQuota: 2}, enrichd.EQUOTA, "2"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, secret := mustKey(t, accounts, tt.plan, 0)
			for i := range 2 {
				resp := do(t, h, secret, nil, `{}`)
				if resp.StatusCode != 200 || resp.Header.Get("X-RateLimit-Limit") != tt.limit || resp.Header.Get("X-RateLimit-Remaining") != strconv.Itoa(1-i) {
					t.Fatalf("request %d: status=%d headers=%v", i, resp.StatusCode, resp.Header)
				}
			}
			resp := do(t, h, secret, nil, `{}`)
			body := readBody(t, resp)
			if resp.StatusCode != 429 || !strings.Contains(body, tt.wantCode) {
				t.Fatalf("status=%d body=%s", resp.StatusCode, body)
			}
			ra, err := strconv.Atoi(resp.Header.Get("Retry-After"))
			if err != nil || ra < 1 || ra > 86400 {
				t.Fatalf("Retry-After=%q", resp.Header.Get("Retry-After"))
			}
			reset, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64)
			if err != nil || reset <= time.Now().Unix() || resp.Header.Get("X-RateLimit-Remaining") != "0" || resp.Header.Get("X-RateLimit-Limit") != tt.limit {
				t.Fatalf("headers=%v", resp.Header)
			}
		})
	}
}

// Ensure issue 4's acceptance case through the HTTP stack: 200 concurrent
// requests against a key with credits for 50 give exactly 50 answers and 150
// insufficient-credits errors, and the ledger sums to what was consumed.
func TestProtectCharge_Concurrent(t *testing.T) {
	accounts := mustAccounts(t)
	const price, affordable, requests = 2, 50, 200
	key, secret := mustKey(t, accounts, enrichd.Plan{Name: "p"}, price*affordable)
	k := &kit.Kit{Accounts: accounts, Limiter: ratelimit.NewMemory(), Prices: kit.DefaultPrices()}
	var runs atomic.Int64
	srv := httptest.NewServer(k.Protect(testDialect, "person/enrich", chargingHandler(k, price, &runs, 0)))
	defer srv.Close()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: requests}}

	var (
		wg       sync.WaitGroup
		statuses sync.Map
		start    = make(chan struct{})
	)
	for range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(`{}`))
			req.Header.Set("X-API-Key", secret)
			resp, err := client.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			n, _ := statuses.LoadOrStore(resp.StatusCode, new(atomic.Int64))
			n.(*atomic.Int64).Add(1)
		}()
	}
	close(start)
	wg.Wait()
	count := func(status int) int64 {
		if n, ok := statuses.Load(status); ok {
			return n.(*atomic.Int64).Load()
		}
		return 0
	}
	if count(200) != affordable || count(402) != requests-affordable {
		statuses.Range(func(k, v any) bool { t.Logf("status %v: %d", k, v.(*atomic.Int64).Load()); return true })
		t.Fatalf("200s=%d 402s=%d, want %d and %d", count(200), count(402), affordable, requests-affordable)
	}
	entries, err := accounts.Usage(context.Background(), key.ID, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var debits, grants int64
	for _, e := range entries {
		if e.Credits > 0 {
			debits += e.Credits
		} else {
			grants -= e.Credits
		}
	}
	got, _ := accounts.FindAPIKeyByID(context.Background(), key.ID)
	if debits != price*affordable || grants != price*affordable || got.Balance != 0 {
		t.Fatalf("debits=%d grants=%d balance=%d", debits, grants, got.Balance)
	}
}

func TestPrice(t *testing.T) {
	k := &kit.Kit{Prices: kit.DefaultPrices()}
	plan := enrichd.Plan{Name: "p", Prices: map[string]int64{"clodura:person": 5, "apione:not_found": 0}}
	for _, tt := range []struct {
		name string
		key  *enrichd.APIKey
		api  string
		item string
		want int64
	}{
		{"Default", nil, enrichd.APIClodura, "person", 2},
		{"PlanOverride", &enrichd.APIKey{Plan: plan}, enrichd.APIClodura, "person", 5},
		{"PlanOverrideZero", &enrichd.APIKey{Plan: plan}, enrichd.APIApiOne, "not_found", 0},
		{"PlanWithoutOverride", &enrichd.APIKey{Plan: plan}, enrichd.APIApiOne, "success", 4},
		{"Unknown", nil, enrichd.APIOcean, "nothing", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", nil)
			if tt.key != nil {
				r = r.WithContext(kit.WithKey(r.Context(), tt.key))
			}
			if got := k.Price(r, tt.api, tt.item); got != tt.want {
				t.Fatalf("price=%d, want %d", got, tt.want)
			}
		})
	}
}

func TestFieldAllowed(t *testing.T) {
	def := &enrichd.APIKey{Plan: enrichd.DefaultPlan()}
	basic := &enrichd.APIKey{Plan: enrichd.Plan{Name: "basic"}}
	for _, f := range []string{enrichd.FieldContact, enrichd.FieldCertifications, enrichd.FieldHonors} {
		if !kit.FieldAllowed(def, f) || kit.FieldAllowed(basic, f) || kit.FieldAllowed(nil, f) {
			t.Fatalf("field %s", f)
		}
	}
}

// BenchmarkProtectCharge measures what authentication, the rate limiter and
// a one-credit charge add to a request on SQLite (issue 4: ≤ 50 µs), against
// the same handler unprotected.
func BenchmarkProtectCharge(b *testing.B) {
	accounts := mustAccounts(b)
	_, secret := mustKey(b, accounts, enrichd.Plan{Name: "bench", RequestsPerMinute: 1 << 30}, 1<<50)
	k := &kit.Kit{Accounts: accounts, Limiter: ratelimit.NewMemory(), Prices: kit.DefaultPrices()}
	ok := []byte(`{"ok":true}`)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(ok) })
	charged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, err := k.Charge(r, enrichd.APINative, "person/enrich", "match", 1); err != nil {
			b.Fatal(err)
		}
		w.Write(ok)
	})
	run := func(b *testing.B, h http.Handler) {
		r := httptest.NewRequest("POST", "/v1/person/enrich", nil)
		r.Header.Set("X-API-Key", secret)
		r = r.WithContext(kit.WithRequestID(r.Context(), "bench"))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 {
				b.Fatalf("status=%d %s", w.Code, w.Body)
			}
		}
		reportCPU(b, cpu)
	}
	b.Run("Bare", func(b *testing.B) { run(b, bare) })
	b.Run("Protected", func(b *testing.B) { run(b, k.Protect(testDialect, "person/enrich", charged)) })
	b.Run("ProtectedParallel", func(b *testing.B) {
		h := k.Protect(testDialect, "person/enrich", charged)
		b.SetParallelism(16) // 32 concurrent requests, as a loaded server has
		cpu := cpuTime()
		b.RunParallel(func(pb *testing.PB) {
			r := httptest.NewRequest("POST", "/v1/person/enrich", nil)
			r.Header.Set("X-API-Key", secret)
			for pb.Next() {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
			}
		})
		reportCPU(b, cpu)
	})
}

// cpuTime returns the process's user+system CPU time so far: unlike wall
// time, it does not grow when other processes share the machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N)/1e3, "cpu-µs/op")
}

func TestParsePrices(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    kit.PriceBook
		wantErr bool
	}{
		{"", kit.PriceBook{}, false},
		{"native:match=2, clodura:person=0", kit.PriceBook{"native:match": 2, "clodura:person": 0}, false},
		{"native:match", nil, true},
		{"native:match=-1", nil, true},
		{"native:match=two", nil, true},
		{"zoominfo:x=1", nil, true},
		{"native=1", nil, true},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := kit.ParsePrices(tt.in)
			if (err != nil) != tt.wantErr || (err != nil && enrichd.ErrorCode(err) != enrichd.EINVALID) {
				t.Fatalf("err=%v", err)
			}
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
	book := kit.DefaultPrices().With(kit.PriceBook{"native:match": 5})
	if book.Price("native:match") != 5 || book.Price("clodura:person") != 2 || kit.DefaultPrices().Price("native:match") != 1 {
		t.Fatal("With changed the wrong prices")
	}
}
