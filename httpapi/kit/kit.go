// Package kit is the machinery every API surface shares: authentication, plan
// checks, rate limits, idempotent replays and charging. A dialect supplies how
// its vendor carries the key and how its vendor writes errors; kit does the rest
// so that metering behaves the same on every surface.
package kit

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/enrichd/enrichd"
)

// Metrics receives metering events; the server implements it with Prometheus.
type Metrics interface {
	ObserveMatch(api, endpoint, outcome string)
	ObserveCredits(api, endpoint string, credits int64)
}

// Kit holds the shared dependencies of the API surfaces.
type Kit struct {
	Accounts enrichd.AccountService // authenticates and charges
	Limiter  enrichd.Limiter        // nil: no rate limits
	Prices   PriceBook              // defaults; a plan's Prices override single items
	Metrics  Metrics                // nil: no metrics
	Logger   *slog.Logger           // internal errors; nil: none
	// Idempotency stores Idempotency-Key answers; nil uses Accounts when it
	// implements enrichd.IdempotencyService (both stores do), and otherwise
	// the header is ignored.
	Idempotency enrichd.IdempotencyService

	lastPurge atomic.Int64 // unix nanos of the last purge of expired idempotency records
}

// Dialect describes how one vendor's API carries credentials and reports errors.
type Dialect struct {
	API string // enrichd.API* constant
	// Secret extracts the API key from r. It returns an application error
	// (EUNAUTHORIZED, EFORBIDDEN or EINVALID) that WriteError renders the way
	// the vendor does when the key is missing or malformed.
	Secret func(r *http.Request) (string, error)
	// WriteError writes err in the vendor's envelope and status.
	WriteError func(w http.ResponseWriter, r *http.Request, err error)
}

type ctxKey int

const (
	keyCtx ctxKey = iota
	requestIDCtx
	dialectCtx
	meterCtx
)

// meter records, per request, whether anything was written to the ledger:
// an idempotent request that charged must keep its answer even when it failed.
type meter struct{ charged atomic.Bool }

// WithRequestID returns ctx carrying the request id (set by the server's middleware).
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDCtx, id)
}

// RequestID returns the request id in ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDCtx).(string)
	return id
}

// WithKey returns ctx carrying key as the authenticated key, as Protect does;
// for tests of handlers that run without Protect.
func WithKey(ctx context.Context, key *enrichd.APIKey) context.Context {
	return context.WithValue(ctx, keyCtx, key)
}

// KeyFrom returns the authenticated key of the request, or nil outside Protect.
func KeyFrom(ctx context.Context) *enrichd.APIKey {
	k, _ := ctx.Value(keyCtx).(*enrichd.APIKey)
	return k
}

// Protect wraps h so that it runs only for an authenticated key whose plan
// allows d.API and endpoint, within its rate limit and daily quota.
// X-RateLimit-Limit/Remaining/Reset are set on every answer, and Retry-After
// on a 429.
//
// A request carrying an Idempotency-Key header is run at most once per API
// key and Idempotency-Key within enrichd.IdempotencyTTL: a retry gets the
// first answer again (status, headers and body, plus "Idempotent-Replayed:
// true") without being charged, limited or run; see idempotency.go.
func (k *Kit) Protect(d Dialect, endpoint string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if RequestID(r.Context()) == "" {
			// The server's middleware sets one; a bare handler (tests, embedding) still needs one for the ledger.
			r = r.WithContext(WithRequestID(r.Context(), newRequestID()))
		}
		secret, err := d.Secret(r)
		if err != nil {
			d.WriteError(w, r, err)
			return
		}
		key, err := k.Accounts.Authenticate(r.Context(), secret)
		if err != nil {
			k.logError(r, err)
			d.WriteError(w, r, err)
			return
		}
		if err := Allowed(key, d.API, endpoint); err != nil {
			d.WriteError(w, r, err)
			return
		}
		ctx := context.WithValue(r.Context(), keyCtx, key)
		r = r.WithContext(ctx)
		run := func(w http.ResponseWriter, r *http.Request) {
			if k.Limiter != nil {
				st, err := k.Limiter.Allow(r.Context(), key)
				setRateHeaders(w, st, err)
				if err != nil {
					k.logError(r, err)
					d.WriteError(w, r, err)
					return
				}
			}
			h.ServeHTTP(w, r)
		}
		if idem := r.Header.Get(HeaderIdempotencyKey); idem != "" {
			if store := k.idempotencyStore(); store != nil {
				k.serveIdempotent(store, d, key, idem, w, r, run)
				return
			}
		}
		run(w, r)
	})
}

// Allowed returns EFORBIDDEN unless key's plan allows api and endpoint.
func Allowed(key *enrichd.APIKey, api, endpoint string) error {
	if len(key.Plan.APIs) > 0 && !slices.Contains(key.Plan.APIs, api) {
		return enrichd.Errorf(enrichd.EFORBIDDEN, "This API key's plan does not include the %s API.", api)
	}
	if slices.Contains(key.Plan.DeniedEndpoints, api+":"+endpoint) {
		return enrichd.Errorf(enrichd.EFORBIDDEN, "This endpoint requires a plan that includes it.")
	}
	return nil
}

// FieldAllowed reports whether key's plan may see a permission-gated field group.
func FieldAllowed(key *enrichd.APIKey, field string) bool {
	return key != nil && slices.Contains(key.Plan.FieldPermissions, field)
}

func setRateHeaders(w http.ResponseWriter, st enrichd.RateState, err error) {
	if st.Limit > 0 {
		h := w.Header()
		h.Set("X-RateLimit-Limit", strconv.Itoa(st.Limit))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(max(st.Remaining, 0)))
		h.Set("X-RateLimit-Reset", strconv.FormatInt(st.Reset.Unix(), 10))
	}
	if e := enrichd.AsError(err); e != nil && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
}

// Charge debits credits for the request's key and records the ledger entry
// under the request id. A zero charge is recorded too, so that usage shows
// misses. Returns EPAYMENT when the balance cannot cover credits; the handler
// must then answer with its vendor's insufficient-credits error and no data.
func (k *Kit) Charge(r *http.Request, api, endpoint, outcome string, credits int64) (int64, error) {
	key := KeyFrom(r.Context())
	if key == nil {
		return 0, enrichd.Errorf(enrichd.EUNAUTHORIZED, "Missing API key.")
	}
	remaining, err := k.Accounts.Charge(r.Context(), enrichd.Charge{
		KeyID:     key.ID,
		RequestID: RequestID(r.Context()),
		API:       api,
		Endpoint:  endpoint,
		Outcome:   outcome,
		Credits:   credits,
	})
	if err != nil {
		return 0, err
	}
	if m, _ := r.Context().Value(meterCtx).(*meter); m != nil {
		m.charged.Store(true)
	}
	if k.Metrics != nil {
		k.Metrics.ObserveCredits(api, endpoint, credits)
	}
	return remaining, nil
}

// ObserveMatch reports a match outcome to the metrics, if any.
func (k *Kit) ObserveMatch(api, endpoint, outcome string) {
	if k.Metrics != nil {
		k.Metrics.ObserveMatch(api, endpoint, outcome)
	}
}

// Price returns what item costs under the request key's plan.
func (k *Kit) Price(r *http.Request, api, item string) int64 {
	name := api + ":" + item
	if key := KeyFrom(r.Context()); key != nil {
		if p, ok := key.Plan.Prices[name]; ok {
			return p
		}
	}
	return k.Prices.Price(name)
}

// logError logs an error that is not the caller's fault; client errors are not logged.
func (k *Kit) logError(r *http.Request, err error) {
	if k.Logger == nil {
		return
	}
	if code := enrichd.ErrorCode(err); code == enrichd.EINTERNAL || code == enrichd.EUNAVAILABLE {
		k.Logger.ErrorContext(r.Context(), "request failed", "request_id", RequestID(r.Context()), "path", r.URL.Path, "err", err)
	}
}

// LogError logs err when it is internal. Dialects call it before writing an error.
func (k *Kit) LogError(r *http.Request, err error) { k.logError(r, err) }

// Services is what an API surface is built from; httpapi passes the same one to every dialect.
type Services struct {
	People    enrichd.PersonService
	Companies enrichd.CompanyService
	Matcher   enrichd.Matcher
	Kit       *Kit
	Logger    *slog.Logger
}

// OnlyPOST answers any method but POST with a 405 (and Allow: POST) before
// authentication, as a router does; writeError renders an error of code
// methodCode in the dialect's envelope.
func OnlyPOST(writeError func(http.ResponseWriter, *http.Request, error), methodCode string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeError(w, r, &enrichd.Error{Code: methodCode, Message: "Method " + r.Method + " is not allowed; use POST."})
			return
		}
		next.ServeHTTP(w, r)
	})
}

// HeaderSecret returns a Dialect.Secret that reads the key from header and
// returns missing when it is absent or blank.
func HeaderSecret(header string, missing error) func(*http.Request) (string, error) {
	return func(r *http.Request) (string, error) {
		k := strings.TrimSpace(r.Header.Get(header))
		if k == "" {
			return "", missing
		}
		return k, nil
	}
}
