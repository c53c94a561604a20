// Package dialecttest is the test machinery shared by the vendor dialects'
// suites (apione, clodura, ocean): golden files, a fake ledger and limiter,
// the golden-case checks, the metering scenarios over the real SQLite
// accounts, and the benchmarks' servers. It is imported only from _test.go
// files.
package dialecttest

import (
	"bytes"
	"context"
	"flag"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
	"github.com/enrichd/enrichd/mock"
)

var update = flag.Bool("update", false, "rewrite the golden response files")

// Dialect is what differs between the dialects' suites.
type Dialect struct {
	Path        string // the enrichment endpoint's path
	AuthHeader  string // the header carrying the API key
	KeyOK       string // the default key of the golden cases
	ContentType string // of every answer
	API         string // of every charge
	Endpoint    string // of every charge
}

// Request builds a JSON request to the dialect: method defaults to POST,
// path to d.Path, key to d.KeyOK, and key "-" sends none.
func (d Dialect) Request(method, path, key string, body []byte) *http.Request {
	if method == "" {
		method = http.MethodPost
	}
	if path == "" {
		path = d.Path
	}
	if key == "" {
		key = d.KeyOK
	}
	r := httptest.NewRequest(method, path, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if key != "-" {
		r.Header.Set(d.AuthHeader, key)
	}
	return r
}

// ReadRequest reads the golden case's request body, testdata/<name>.request.json.
func ReadRequest(tb testing.TB, name string) []byte {
	tb.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name+".request.json"))
	if err != nil {
		tb.Fatal(err)
	}
	return body
}

// CheckAnswer checks the answer's status, content type and headers, and
// compares its body with testdata/<name>.response.golden.json.
func (d Dialect) CheckAnswer(tb testing.TB, w *httptest.ResponseRecorder, name string, wantStatus int, wantHeaders map[string]string) {
	tb.Helper()
	if got, want := w.Code, wantStatus; got != want {
		tb.Errorf("status=%d, want %d; body %s", got, want, w.Body)
	}
	if got := w.Header().Get("Content-Type"); got != d.ContentType {
		tb.Errorf("Content-Type=%q", got)
	}
	for k, v := range wantHeaders {
		if got := w.Header().Get(k); got != v {
			tb.Errorf("header %s=%q, want %q", k, got, v)
		}
	}
	AssertGolden(tb, filepath.Join("testdata", name+".response.golden.json"), w.Body.Bytes())
}

// CheckCharges checks the ledger: wantCredits < 0 means no entry at all,
// otherwise exactly one charge of wantCredits on the dialect's endpoint,
// under requestID unless it is empty. It returns the charge, if any.
func (d Dialect) CheckCharges(tb testing.TB, charges []enrichd.Charge, wantCredits int64, requestID string) *enrichd.Charge {
	tb.Helper()
	switch {
	case wantCredits < 0 && len(charges) != 0:
		tb.Errorf("charges=%+v, want none", charges)
	case wantCredits >= 0 && len(charges) != 1:
		tb.Errorf("charges=%+v, want exactly one", charges)
	case wantCredits >= 0:
		c := charges[0]
		if c.Credits != wantCredits || c.API != d.API || c.Endpoint != d.Endpoint || (requestID != "" && c.RequestID != requestID) {
			tb.Errorf("charge=%+v, want %d credits on %s %s under %q", c, wantCredits, d.API, d.Endpoint, requestID)
		}
		return &c
	}
	return nil
}

// CheckInternal ensures an internal error's cause is logged (logs contains
// logged) and never sent (body does not contain leaked).
func CheckInternal(tb testing.TB, body, logs, leaked, logged string) {
	tb.Helper()
	if strings.Contains(body, leaked) || !strings.Contains(logs, logged) {
		tb.Errorf("internal error leaked or not logged: body %s, logs %s", body, logs)
	}
}

// AssertGolden compares got with the golden file, or rewrites it with -update.
func AssertGolden(tb testing.TB, path string, got []byte) {
	tb.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			tb.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		tb.Fatalf("read golden (run go test -update): %v", err)
	}
	if !bytes.Equal(got, want) {
		tb.Errorf("response differs from %s\n got: %s\nwant: %s", path, got, want)
	}
}

// Ledger is a fake AccountService: keys by secret, balances, and every charge.
type Ledger struct {
	mu       sync.Mutex
	Keys     map[string]*enrichd.APIKey
	Balances map[string]int64
	Charges  []enrichd.Charge
	NoRecord bool // benchmarks: keep balances, drop the entries
}

// NewLedger returns an empty ledger.
func NewLedger() *Ledger {
	return &Ledger{Keys: map[string]*enrichd.APIKey{}, Balances: map[string]int64{}}
}

// Add adds a key with the given secret, id, balance and plan.
func (l *Ledger) Add(secret, id string, balance int64, plan enrichd.Plan) {
	l.Keys[secret] = &enrichd.APIKey{ID: id, Name: id, Plan: plan, Balance: balance}
	l.Balances[id] = balance
}

// Unlimited gives the key id an inexhaustible balance and stops recording
// charges: for benchmarks.
func (l *Ledger) Unlimited(id string) {
	l.NoRecord = true
	l.Balances[id] = 1 << 62
}

// Accounts returns the AccountService over the ledger.
func (l *Ledger) Accounts() *mock.AccountService {
	return &mock.AccountService{
		AuthenticateFn: func(_ context.Context, secret string) (*enrichd.APIKey, error) {
			if k, ok := l.Keys[secret]; ok {
				return k, nil
			}
			return nil, enrichd.Errorf(enrichd.EUNAUTHORIZED, "Invalid API key.")
		},
		ChargeFn: func(_ context.Context, c enrichd.Charge) (int64, error) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.Balances[c.KeyID] < c.Credits {
				return 0, enrichd.Errorf(enrichd.EPAYMENT, "Insufficient credits.")
			}
			l.Balances[c.KeyID] -= c.Credits
			if !l.NoRecord {
				l.Charges = append(l.Charges, c)
			}
			return l.Balances[c.KeyID], nil
		},
	}
}

// Limiter is a fake limiter: key id k_quota has exhausted a daily quota of
// 10, k_limited a per-minute limit of 5 (retry after limitedRetry), and every
// other key is allowed.
func Limiter(limitedRetry time.Duration) *mock.Limiter {
	return &mock.Limiter{AllowFn: func(_ context.Context, key *enrichd.APIKey) (enrichd.RateState, error) {
		reset := time.Unix(1767225600, 0)
		switch key.ID {
		case "k_quota":
			return enrichd.RateState{Limit: 10, Remaining: 0, Reset: reset},
				&enrichd.Error{Code: enrichd.EQUOTA, Message: "Daily quota of 10 requests exhausted.", RetryAfter: 3 * time.Hour}
		case "k_limited":
			return enrichd.RateState{Limit: 5, Remaining: 0, Reset: reset},
				&enrichd.Error{Code: enrichd.ERATELIMIT, Message: "Rate limit of 5 requests per minute exceeded.", RetryAfter: limitedRetry}
		}
		return enrichd.RateState{Limit: 600, Remaining: 599, Reset: reset}, nil
	}}
}

// Harness is a dialect's handler over a fake ledger and a log buffer.
type Harness struct {
	H      http.Handler
	Ledger *Ledger
	Logs   *bytes.Buffer
}

// NewHarness builds the handler with build, given a Kit over the ledger and
// the limiter, and a logger writing to the harness's log buffer.
func NewHarness(ledger *Ledger, limiter enrichd.Limiter, build func(k *kit.Kit, logger *slog.Logger) http.Handler) *Harness {
	logs := &bytes.Buffer{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	k := &kit.Kit{Accounts: ledger.Accounts(), Limiter: limiter, Prices: kit.DefaultPrices(), Logger: logger}
	return &Harness{H: build(k, logger), Ledger: ledger, Logs: logs}
}
