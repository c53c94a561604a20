package sqlite

import "sync"

// Cache bounds, in keys; a full cache starts again empty. Person documents
// are larger and more numerous than companies', and most are also held by
// the person docCache (the same strings, not copies).
const (
	maxCompanyKeys = 65536
	maxPersonKeys  = 16384
)

// keyCache remembers the documents found under each key of one key table,
// all read at one generation of that table (migrations 0005 and 0006).
//
// NOTE: every write to the table or its documents, by any connection or
// process, raises the generation (triggers), and a read that uses the cache
// reads the generation in the same statement, so in the same snapshot, as
// the rest of its look-ups: an entry is used only when nothing changed in
// that snapshot since it was read, so the cache never shows a document older
// than the read itself sees (reader.go: when a committed write becomes
// visible). Every business-email and company match looks companies up, and
// a served store is read far more than written: an identifier look-up whose
// key was read before costs the generation row (a few pages of a tiny table)
// instead of three b-tree descents into the large ones and a document copy.
type keyCache struct {
	table  string // the key table whose look-ups it answers
	genSQL string // its generation, as a scalar subquery
	max    int

	mu  sync.Mutex
	gen int64 // generation of every entry; -1 before the first read
	m   map[string]keyCacheEntry
}

type keyCacheEntry struct {
	limit int      // the per-key limit the docs were read with
	docs  []string // in id order
}

func newKeyCache(table, generation string, max int) *keyCache {
	return &keyCache{
		table: table, max: max,
		genSQL: "(SELECT n FROM generations WHERE name = '" + generation + "')",
		gen:    -1, m: map[string]keyCacheEntry{},
	}
}

// newKeyCaches returns the caches of company and person look-ups.
func newKeyCaches() []*keyCache {
	return []*keyCache{
		newKeyCache("company_keys", "companies", maxCompanyKeys),
		newKeyCache("person_keys", "people", maxPersonKeys),
	}
}

// lookup returns the cached docs under every key, at most limit each, and
// the generation they were read at; ok is false unless all keys are cached.
func (c *keyCache) lookup(keys []string, limit int) (docs map[string][]string, gen int64, ok bool) {
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
			docs[k] = e.docs[:min(limit, len(e.docs)):min(limit, len(e.docs))]
		}
	}
	return docs, c.gen, true
}

// store remembers docs, read under keys with limit at generation gen. Any
// other generation than the cache's empties it first, so that every entry
// is of the cache's generation.
func (c *keyCache) store(gen int64, keys []string, limit int, docs map[string][]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || len(c.m) >= c.max {
		c.gen, c.m = gen, make(map[string]keyCacheEntry, min(len(c.m), c.max))
	}
	for _, k := range keys {
		c.m[k] = keyCacheEntry{limit: limit, docs: docs[k]}
	}
}
