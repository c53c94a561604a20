package enrichd

import (
	"crypto/subtle"
	"sync"
	"time"
)

// AuthCacheTTL is how long an authenticated key is reused without a store
// look-up: a revocation or plan change made through the same service applies
// at once (it clears the cache), one made elsewhere within AuthCacheTTL.
const AuthCacheTTL = time.Second

// keyCacheMax bounds the cache; only valid keys are ever cached.
const keyCacheMax = 10_000

// KeyAuthenticator authenticates secrets against a store look-up, caching
// valid keys for AuthCacheTTL. Both stores' AccountService use it so that the
// checks (plausibility, constant-time compare, usability) are written once.
// The zero value is ready to use.
type KeyAuthenticator struct {
	mu    sync.Mutex
	cache map[string]cachedKey // by secret hash
}

type cachedKey struct {
	key *APIKey
	at  time.Time
}

// Authenticate returns the key whose secret is secret: EUNAUTHORIZED if it is
// unknown, revoked or expired. lookup finds the stored key and its hash by
// the secret's hash; it returns ErrInvalidAPIKey when there is none.
func (a *KeyAuthenticator) Authenticate(secret string, now time.Time, lookup func(hash []byte) (*APIKey, []byte, error)) (*APIKey, error) {
	if !PlausibleAPIKeySecret(secret) {
		return nil, ErrInvalidAPIKey()
	}
	want := HashAPIKeySecret(secret)
	a.mu.Lock()
	c, ok := a.cache[string(want)]
	a.mu.Unlock()
	if ok && now.Sub(c.at) < AuthCacheTTL {
		if err := CheckKeyUsable(c.key, now); err != nil {
			return nil, err
		}
		k := *c.key // a copy: callers may not change the cached key
		return &k, nil
	}
	k, got, err := lookup(want)
	if err != nil {
		return nil, err
	}
	// NOTE: the index found the row by hash; comparing the hashes again in
	// constant time keeps any timing difference out of the final decision.
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return nil, ErrInvalidAPIKey()
	}
	cached := *k
	a.mu.Lock()
	if a.cache == nil || len(a.cache) >= keyCacheMax {
		a.cache = map[string]cachedKey{}
	}
	a.cache[string(want)] = cachedKey{key: &cached, at: now}
	a.mu.Unlock()
	if err := CheckKeyUsable(k, now); err != nil {
		return nil, err
	}
	return k, nil
}

// Forget drops every cached key, so that a change made here applies at once.
func (a *KeyAuthenticator) Forget() {
	a.mu.Lock()
	clear(a.cache)
	a.mu.Unlock()
}
