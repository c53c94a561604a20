package enrichd

import (
	"crypto/rand"
	"crypto/sha256"
	"fmt"
	"slices"
	"strings"
	"time"
)

// APIKeySecretPrefix starts every secret, so that leaked keys are easy to
// recognise (e.g. by secret scanners) and customer keys are told apart from
// the admin token.
const APIKeySecretPrefix = "ek_live_"

// apiKeyPrefixLen is how many characters of a secret are kept visible.
const apiKeyPrefixLen = len(APIKeySecretPrefix) + 4

// AllAPIs lists every API surface, in the order documentation shows them.
var AllAPIs = []string{APINative, APICrustdata, APIClodura, APIOcean, APIApiOne}

// Field permission groups that plans grant (Crustdata documents contact
// data, certifications and honors as needing permission).
const (
	FieldContact        = "contact"
	FieldCertifications = "certifications"
	FieldHonors         = "honors"
)

// DefaultPlan is the plan of a key created without one: every API, 600
// requests per minute, no daily quota, and every permission-gated field group,
// so that a fresh (e.g. demo) key sees everything.
func DefaultPlan() Plan {
	return Plan{
		Name:              "default",
		RequestsPerMinute: 600,
		FieldPermissions:  []string{FieldContact, FieldCertifications, FieldHonors},
	}
}

// Validate returns EINVALID listing each problem of the plan.
func (p *Plan) Validate() error {
	fields := map[string]string{}
	if strings.TrimSpace(p.Name) == "" {
		fields["name"] = "is required"
	}
	if p.RequestsPerMinute < 0 {
		fields["requests_per_minute"] = "must be 0 (unlimited) or more"
	}
	if p.DailyQuota < 0 {
		fields["daily_quota"] = "must be 0 (unlimited) or more"
	}
	for _, api := range p.APIs {
		if !slices.Contains(AllAPIs, api) {
			fields["apis"] = fmt.Sprintf("unknown API %q (known: %s)", api, strings.Join(AllAPIs, ", "))
		}
	}
	for _, e := range p.DeniedEndpoints {
		if api, ep, ok := strings.Cut(e, ":"); !ok || !slices.Contains(AllAPIs, api) || ep == "" {
			fields["denied_endpoints"] = fmt.Sprintf("%q is not of the form api:endpoint", e)
		}
	}
	for _, f := range p.FieldPermissions {
		if strings.TrimSpace(f) == "" {
			fields["field_permissions"] = "must not contain empty names"
		}
	}
	for name, credits := range p.Prices {
		if api, item, ok := strings.Cut(name, ":"); !ok || !slices.Contains(AllAPIs, api) || item == "" {
			fields["prices"] = fmt.Sprintf("%q is not of the form api:item", name)
		} else if credits < 0 {
			fields["prices"] = fmt.Sprintf("%q must not be negative", name)
		}
	}
	if len(fields) > 0 {
		return InvalidFields("Invalid plan.", fields)
	}
	return nil
}

// NewAPIKeySecret returns a fresh random secret, its visible prefix, and the
// hash under which stores keep it.
func NewAPIKeySecret() (secret, prefix string, hash []byte) {
	// NOTE: rand.Text gives 26 base32 characters (130 bits); a key this
	// strong needs no slow password hash, so one SHA-256 keeps look-ups cheap.
	secret = APIKeySecretPrefix + rand.Text()
	return secret, secret[:apiKeyPrefixLen], HashAPIKeySecret(secret)
}

// HashAPIKeySecret returns the stored form of secret.
func HashAPIKeySecret(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// NewAPIKeyID returns a random key id of 16 lower-case hex characters.
func NewAPIKeyID() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // NOTE: crypto/rand.Read never fails (Go 1.24+)
	return fmt.Sprintf("%x", b[:])
}

// KeyStatus returns "active", "revoked" or "expired" for k at now.
func (k *APIKey) KeyStatus(now time.Time) string {
	switch {
	case k.RevokedAt != nil:
		return "revoked"
	case k.ExpiresAt != nil && !now.Before(*k.ExpiresAt):
		return "expired"
	}
	return "active"
}

// Ledger labels of entries that are not API calls.
const (
	LedgerAPIAdmin      = "admin" // Charge.API of grants and adjustments
	LedgerEndpointGrant = "grant" // Charge.Endpoint of grants and adjustments
	OutcomeGrant        = "grant" // Charge.Outcome of grants and adjustments
)

// PrepareAPIKey validates the arguments of AccountService.CreateAPIKey and
// returns the key to store (ID, name, prefix, plan, balance, times set), its
// secret and the hash to store. A zero plan becomes DefaultPlan. Stores share
// it so that both backends accept exactly the same input.
func PrepareAPIKey(name string, plan Plan, credits int64, expiresAt *time.Time, now time.Time) (*APIKey, string, []byte, error) {
	fields := map[string]string{}
	name = strings.TrimSpace(name)
	if name == "" {
		fields["name"] = "is required"
	} else if len(name) > 200 {
		fields["name"] = "must be at most 200 characters"
	}
	if credits < 0 {
		fields["credits"] = "must not be negative"
	}
	if expiresAt != nil && !expiresAt.After(now) {
		fields["expires_at"] = "must be in the future"
	}
	if len(fields) > 0 {
		return nil, "", nil, InvalidFields("Invalid API key.", fields)
	}
	if isZeroPlan(&plan) {
		plan = DefaultPlan()
	}
	if err := plan.Validate(); err != nil {
		return nil, "", nil, err
	}
	secret, prefix, hash := NewAPIKeySecret()
	k := &APIKey{ID: NewAPIKeyID(), Name: name, Prefix: prefix, Plan: plan, Balance: credits, CreatedAt: now.UTC()}
	if expiresAt != nil {
		t := expiresAt.UTC().Truncate(time.Microsecond)
		k.ExpiresAt = &t
	}
	return k, secret, hash, nil
}

func isZeroPlan(p *Plan) bool {
	return p.Name == "" && p.RequestsPerMinute == 0 && p.DailyQuota == 0 && len(p.APIs) == 0 &&
		len(p.DeniedEndpoints) == 0 && len(p.FieldPermissions) == 0 && len(p.Prices) == 0
}

// PlausibleAPIKeySecret reports whether secret could be a key at all, so that
// garbage is refused without a database look-up.
func PlausibleAPIKeySecret(secret string) bool {
	return len(secret) > apiKeyPrefixLen && len(secret) <= 128 && strings.HasPrefix(secret, APIKeySecretPrefix)
}

// ErrInvalidAPIKey is the EUNAUTHORIZED error of an unknown key. Its message
// never repeats the key.
func ErrInvalidAPIKey() *Error { return Errorf(EUNAUTHORIZED, "Invalid API key.") }

// ErrInsufficientCredits is the EPAYMENT error of a charge the balance cannot cover.
func ErrInsufficientCredits(need, have int64) *Error {
	return Errorf(EPAYMENT, "Insufficient credits: this request costs %d and the balance is %d.", need, have)
}

// CheckKeyUsable returns EUNAUTHORIZED when k is revoked or expired at now.
func CheckKeyUsable(k *APIKey, now time.Time) error {
	switch k.KeyStatus(now) {
	case "revoked":
		return Errorf(EUNAUTHORIZED, "This API key has been revoked.")
	case "expired":
		return Errorf(EUNAUTHORIZED, "This API key has expired.")
	}
	return nil
}

// ValidateCharge returns EINVALID unless c names a key and debits zero or more credits.
func ValidateCharge(c *Charge) error {
	if c.KeyID == "" {
		return Errorf(EINVALID, "A charge needs a key id.")
	}
	if c.Credits < 0 {
		return Errorf(EINVALID, "A charge cannot be negative; use a grant to add credits.")
	}
	return nil
}

// ValidateGrant returns EINVALID unless a grant names a key and a non-zero amount.
func ValidateGrant(keyID string, credits int64) error {
	if keyID == "" {
		return InvalidFields("Invalid grant.", map[string]string{"key_id": "is required"})
	}
	if credits == 0 {
		return InvalidFields("Invalid grant.", map[string]string{"credits": "must not be zero"})
	}
	return nil
}
