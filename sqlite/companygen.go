package sqlite

import "sync"

// companyGenerationSQL reads the company generation (migration
// 0005_company_generation) as a row of findDocsByKeysIn's statement.
const companyGenerationSQL = `SELECT -1, n FROM generations WHERE name = 'companies'`

// maxCompanyKeys bounds the companyKeyCache; a full cache starts again empty.
const maxCompanyKeys = 65536

// companyKeyCache remembers the company documents found under each company
// key, all read at one company generation.
//
// NOTE: every write to companies or company_keys, by any connection or
// process, raises the generation (triggers of migration 0005), and a read
// that uses the cache reads the generation in the same statement, so in the
// same snapshot, as the rest of its look-ups: an entry is used only when no
// company changed in that snapshot since it was read, so the cache never
// shows a company older than the read itself sees (reader.go: when a
// committed write becomes visible). Companies are few and change rarely,
// while every business-email and company match looks them up: this saves
// those matches a company key and document read (~8 µs of an email match).
type companyKeyCache struct {
	mu  sync.Mutex
	gen int64 // generation of every entry; -1 before the first read
	m   map[string]companyKeyEntry
}

type companyKeyEntry struct {
	limit int      // the per-key limit the docs were read with
	docs  []string // in id order
}

func newCompanyKeyCache() *companyKeyCache {
	return &companyKeyCache{gen: -1, m: map[string]companyKeyEntry{}}
}

// lookup returns the cached docs under every key, at most limit each, and
// the generation they were read at; ok is false unless all keys are cached.
func (c *companyKeyCache) lookup(keys []string, limit int) (docs map[string][]string, gen int64, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen < 0 {
		return nil, 0, false
	}
	docs = make(map[string][]string, len(keys))
	for _, k := range keys {
		e, hit := c.m[k]
		// An entry read with a smaller limit answers a larger one only
		// if it was complete.
		if !hit || e.limit < limit && len(e.docs) == e.limit {
			return nil, 0, false
		}
		if len(e.docs) > 0 {
			docs[k] = e.docs[:min(limit, len(e.docs))]
		}
	}
	return docs, c.gen, true
}

// store remembers docs, read under keys with limit at generation gen. Any
// other generation than the cache's empties it first, so that every entry
// is of the cache's generation.
func (c *companyKeyCache) store(gen int64, keys []string, limit int, docs map[string][]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || len(c.m) >= maxCompanyKeys {
		c.gen, c.m = gen, make(map[string]companyKeyEntry, len(c.m))
	}
	for _, k := range keys {
		c.m[k] = companyKeyEntry{limit: limit, docs: docs[k]}
	}
}
