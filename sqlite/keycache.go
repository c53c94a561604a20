package sqlite

import (
	"sync"
	"time"
)

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
	table    string // the key table whose look-ups it answers
	docTable string // and the document table, whose look-ups by id it answers too
	genSQL   string // their generation, as a scalar subquery
	max      int

	mu        sync.Mutex
	confirmed time.Time                // when the last statement that read gen began
	writtenAt time.Time                // when this process last wrote the table (DB.keyCachesWritten)
	gen       int64                    // generation of every entry; -1 before the first read
	n         int                      // entries, weighted by size, against max
	m         map[string]keyCacheEntry // docs by key
	ids       map[string]keyCacheEntry // docs by document id
	idsByKey  map[string]keyCacheEntry // document ids by key (keyLookup.idsOnly)
}

type keyCacheEntry struct {
	limit int      // the per-key limit the docs were read with
	docs  []string // in id order (ids, in idsByKey)
}

func newKeyCache(table, docTable, generation string, max int) *keyCache {
	return &keyCache{
		table: table, docTable: docTable, max: max,
		genSQL: "(SELECT n FROM generations WHERE name = '" + generation + "')",
		gen:    -1, m: map[string]keyCacheEntry{}, ids: map[string]keyCacheEntry{}, idsByKey: map[string]keyCacheEntry{},
	}
}

// answers reports whether c caches l's look-ups: those of its key table, or
// by id in its document table (l.keyTable empty), whose writes raise the
// same generation.
func (c *keyCache) answers(l *keyLookup) bool {
	return l.docTable == c.docTable && (l.keyTable == c.table || l.keyTable == "")
}

// entries returns the map of l's kind of look-up; the caller holds c.mu.
func (c *keyCache) entries(l *keyLookup) map[string]keyCacheEntry {
	switch {
	case l.keyTable == "":
		return c.ids
	case l.idsOnly:
		return c.idsByKey
	}
	return c.m
}

// newKeyCaches returns the caches of company and person look-ups.
func newKeyCaches() []*keyCache {
	return []*keyCache{
		newKeyCache("company_keys", "companies", "companies", maxCompanyKeys),
		newKeyCache("person_keys", "people", "people", maxPersonKeys),
	}
}

// lookup returns the cached docs of l under every key, at most l.limit
// each, and the generation they were read at; ok is false unless all keys
// are cached. fresh reports whether that generation was read by a statement
// begun less than lease before now, and after this process's last write.
func (c *keyCache) lookup(l *keyLookup, keys []string, now time.Time, lease time.Duration) (docs map[string][]string, gen int64, ok, fresh bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen < 0 {
		return nil, 0, false, false
	}
	limit, m := l.limit, c.entries(l)
	docs = make(map[string][]string, len(keys))
	for _, k := range keys {
		e, hit := m[k]
		// An entry read with a smaller limit answers a larger one only
		// if it was complete.
		if !hit || e.limit < limit && len(e.docs) == e.limit {
			return nil, 0, false, false
		}
		if len(e.docs) > 0 {
			docs[k] = e.docs[:min(limit, len(e.docs)):min(limit, len(e.docs))]
		}
	}
	fresh = c.confirmed.After(c.writtenAt) && now.Sub(c.confirmed) < lease
	return docs, c.gen, true, fresh
}

// confirm records that a statement begun at start read generation gen,
// unless the cache has moved on or this process wrote since start.
func (c *keyCache) confirm(gen int64, start time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen == c.gen && start.After(c.writtenAt) && start.After(c.confirmed) {
		c.confirmed = start
	}
}

// written records a write by this process: no lookup trusts a generation
// read before it without reading the generation again.
func (c *keyCache) written(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.writtenAt = at
}

// store remembers docs, read by l under keys at generation gen (l nil: none,
// only the generation). Any other generation than the cache's empties it
// first, so that every entry is of the cache's generation.
func (c *keyCache) store(gen int64, l *keyLookup, keys []string, docs map[string][]string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if gen != c.gen || c.n >= c.max {
		c.gen, c.n = gen, 0
		c.m = make(map[string]keyCacheEntry, min(len(c.m), c.max))
		c.ids = make(map[string]keyCacheEntry, min(len(c.ids), c.max))
		c.idsByKey = make(map[string]keyCacheEntry, min(len(c.idsByKey), c.max))
	}
	if l == nil {
		return
	}
	m := c.entries(l)
	for _, k := range keys {
		m[k] = keyCacheEntry{limit: l.limit, docs: docs[k]}
		// NOTE: a blocking key can hold hundreds of ids, each a string of
		// its own (documents are shared with the document cache).
		c.n++
		if l.idsOnly {
			c.n += len(docs[k]) / 8
		}
	}
}
