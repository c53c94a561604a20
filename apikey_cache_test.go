package enrichd_test

import (
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

// Ensure the authenticator checks the secret's form, caches valid keys for
// AuthCacheTTL only, refuses revoked keys from the cache, and forgets on demand.
func TestKeyAuthenticator(t *testing.T) {
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	k, secret, hash, err := enrichd.PrepareAPIKey("t", enrichd.Plan{}, 10, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	lookups := 0
	lookup := func(h []byte) (*enrichd.APIKey, []byte, error) {
		lookups++
		if string(h) != string(hash) {
			return nil, nil, enrichd.ErrInvalidAPIKey()
		}
		c := *k
		return &c, hash, nil
	}
	var a enrichd.KeyAuthenticator

	if _, err := a.Authenticate("nope", now, lookup); enrichd.ErrorCode(err) != enrichd.EUNAUTHORIZED || lookups != 0 {
		t.Fatalf("implausible secret: err=%v lookups=%d, want EUNAUTHORIZED without a look-up", err, lookups)
	}
	for i, at := range []time.Duration{0, enrichd.AuthCacheTTL / 2} {
		got, err := a.Authenticate(secret, now.Add(at), lookup)
		if err != nil || got.ID != k.ID {
			t.Fatalf("call %d: key=%v err=%v", i, got, err)
		}
		got.Name = "changed by caller" // must not leak into the cache
	}
	if lookups != 1 {
		t.Fatalf("lookups=%d within the TTL, want 1", lookups)
	}
	if got, _ := a.Authenticate(secret, now.Add(enrichd.AuthCacheTTL/2), lookup); got.Name != "t" {
		t.Fatalf("cached key changed by a caller: name=%q", got.Name)
	}
	if _, err := a.Authenticate(secret, now.Add(2*enrichd.AuthCacheTTL), lookup); err != nil || lookups != 2 {
		t.Fatalf("after the TTL: err=%v lookups=%d, want a fresh look-up", err, lookups)
	}
	revoked := now.Add(2 * enrichd.AuthCacheTTL)
	k.RevokedAt = &revoked
	a.Forget()
	if _, err := a.Authenticate(secret, revoked.Add(time.Millisecond), lookup); enrichd.ErrorCode(err) != enrichd.EUNAUTHORIZED {
		t.Fatalf("revoked key: err=%v, want EUNAUTHORIZED", err)
	}
}
