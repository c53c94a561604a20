package enrichd

import (
	"context"
	"time"
)

// API surfaces. A plan lists which of them a key may call.
const (
	APINative    = "native"
	APICrustdata = "crustdata"
	APIClodura   = "clodura"
	APIOcean     = "ocean"
	APIApiOne    = "apione"
)

// APIKey is a caller's credential. The secret is shown once at creation and
// stored only as a hash; Prefix identifies the key in lists and logs.
type APIKey struct {
	ID        string     `json:"id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"` // first characters of the secret, e.g. "ek_live_3fA9"
	Plan      Plan       `json:"plan"`
	Balance   int64      `json:"balance"` // credits left
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Plan is what a key may do.
type Plan struct {
	Name              string   `json:"name"`
	RequestsPerMinute int      `json:"requests_per_minute"` // 0 means unlimited
	DailyQuota        int      `json:"daily_quota"`         // requests per UTC day; 0 means unlimited
	APIs              []string `json:"apis,omitempty"`      // empty means all
	// Endpoints denied to this plan, as "api:endpoint" (e.g. "crustdata:person/search").
	DeniedEndpoints []string `json:"denied_endpoints,omitempty"`
	// Fields permitted beyond the default (e.g. "contact", "certifications", "honors").
	FieldPermissions []string `json:"field_permissions,omitempty"`
	// Prices overrides the price book, keyed "api:item" (e.g. "apione:success").
	Prices map[string]int64 `json:"prices,omitempty"`
}

// Charge is one ledger entry.
type Charge struct {
	KeyID     string    `json:"key_id"`
	RequestID string    `json:"request_id"`
	API       string    `json:"api"`
	Endpoint  string    `json:"endpoint"`
	Outcome   string    `json:"outcome"` // e.g. "match", "organisation_only", "not_found", "grant"
	Credits   int64     `json:"credits"` // positive debits, negative grants
	CreatedAt time.Time `json:"created_at"`
	// BalanceAfter is the key's balance once this entry was applied; set by the store.
	BalanceAfter int64 `json:"balance_after"`
	// Note is free text recorded with a grant or an admin adjustment.
	Note string `json:"note,omitempty"`
}

// RateState is what rate-limit headers report.
type RateState struct {
	Limit     int
	Remaining int
	Reset     time.Time
}

// AccountService manages keys, plans, balances and the ledger.
type AccountService interface {
	// CreateAPIKey creates a key with an initial balance and returns it with its secret.
	CreateAPIKey(ctx context.Context, name string, plan Plan, credits int64, expiresAt *time.Time) (*APIKey, string, error)
	// Authenticate returns the key for secret. Returns EUNAUTHORIZED if the
	// secret is unknown, revoked or expired. Compares in constant time.
	Authenticate(ctx context.Context, secret string) (*APIKey, error)
	// Charge atomically debits c.Credits from c.KeyID's balance and records c.
	// Returns EPAYMENT, writing nothing, if the balance is smaller than c.Credits.
	// Returns the balance after the charge.
	Charge(ctx context.Context, c Charge) (int64, error)
	// Grant adds credits (recorded as a negative charge).
	Grant(ctx context.Context, keyID string, credits int64, note string) (int64, error)
	// FindAPIKeys lists keys; RevokeAPIKey revokes one (ENOTFOUND if none).
	FindAPIKeys(ctx context.Context) ([]*APIKey, error)
	FindAPIKeyByID(ctx context.Context, id string) (*APIKey, error)
	RevokeAPIKey(ctx context.Context, id string) error
	UpdatePlan(ctx context.Context, id string, plan Plan) error
	// Usage returns ledger entries of a key (all keys when keyID is "") since t.
	Usage(ctx context.Context, keyID string, since time.Time) ([]Charge, error)
}

// Limiter enforces per-key request rates and daily quotas. Implemented
// in-process and over Redis (shared by every node).
type Limiter interface {
	// Allow counts one request. Returns ERATELIMIT or EQUOTA (with RetryAfter)
	// when over a limit; the RateState is valid either way.
	Allow(ctx context.Context, key *APIKey) (RateState, error)
}
