package match

import "sync"

// Memo bounds: entries per memo (the map is dropped whole when full) and the
// longest input kept, so that odd requests cannot make a memo large.
const (
	maxMemo    = 1 << 16
	maxMemoKey = 256
)

// memo caches a pure function of a string: normalisers that a match calls for
// the same few employer names and domains several times per candidate.
//
// NOTE: only for functions whose answer depends on nothing but the input and
// embedded reference data, so that a cached answer is never stale.
type memo[V any] struct {
	f  func(string) V
	mu sync.RWMutex
	m  map[string]V
}

func newMemo[V any](f func(string) V) *memo[V] {
	return &memo[V]{f: f, m: make(map[string]V)}
}

// get returns f(s), from the memo when s was asked before.
func (c *memo[V]) get(s string) V {
	if len(s) > maxMemoKey {
		return c.f(s)
	}
	c.mu.RLock()
	v, ok := c.m[s]
	c.mu.RUnlock()
	if ok {
		return v
	}
	v = c.f(s)
	c.mu.Lock()
	if len(c.m) >= maxMemo {
		c.m = make(map[string]V)
	}
	c.m[s] = v
	c.mu.Unlock()
	return v
}
