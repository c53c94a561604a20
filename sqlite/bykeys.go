package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/enrichd/enrichd"
)

// FindPeopleByKeys returns, for each key that indexes at least one person,
// the people under it (at most limitPerKey each, DefaultLimitPerKey when
// limitPerKey <= 0), in id order: FindPersonIDsByKeys and FindPeopleByIDs in
// one statement.
//
// NOTE: each statement on a WAL store is its own read transaction, whose
// shared-memory locks cost two system calls; an identifier match needs the
// key's people and nothing else, so one statement instead of two halves
// that and the round trips into SQLite.
func (s *PersonService) FindPeopleByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]*enrichd.Person, error) {
	docs, err := s.db.findDocsByKeys(ctx, "person_keys", "person_id", "people", keys, limitPerKey)
	if err != nil {
		return nil, fmt.Errorf("find people by keys: %w", err)
	}
	return decodeByKey(docs, s.cache)
}

// FindCompaniesByKeys is FindPeopleByKeys for companies.
func (s *CompanyService) FindCompaniesByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]*enrichd.Company, error) {
	docs, err := s.db.findDocsByKeys(ctx, "company_keys", "company_id", "companies", keys, limitPerKey)
	if err != nil {
		return nil, fmt.Errorf("find companies by keys: %w", err)
	}
	return decodeByKey(docs, s.cache)
}

// FindPeopleAndCompaniesByKeys is FindPeopleByKeys(personKeys) and
// FindCompaniesByKeys(companyKeys) in one statement.
//
// NOTE: an email-only match needs the person under the address and the
// company under its domain; as one statement that is one read transaction and
// one round trip into SQLite instead of two (~8-10 µs of the two on a
// 1,000,000-person store), and each half still sees every committed write.
func (s *PersonService) FindPeopleAndCompaniesByKeys(ctx context.Context, personKeys []string, personLimit int, companyKeys []string, companyLimit int) (map[string][]*enrichd.Person, map[string][]*enrichd.Company, error) {
	docs, err := s.db.findDocsByKeysIn(ctx, []keyLookup{
		{keyTable: "person_keys", idColumn: "person_id", docTable: "people", keys: personKeys, limit: personLimit},
		{keyTable: "company_keys", idColumn: "company_id", docTable: "companies", keys: companyKeys, limit: companyLimit},
	})
	if err != nil {
		return nil, nil, fmt.Errorf("find people and companies by keys: %w", err)
	}
	people, err := decodeByKey(docs[0], s.cache)
	if err != nil {
		return nil, nil, err
	}
	companies, err := decodeByKey(docs[1], s.companies)
	if err != nil {
		return nil, nil, err
	}
	return people, companies, nil
}

// decodeByKey decodes the docs under each key through cache.
func decodeByKey[T any](docs map[string][]string, cache *docCache[T]) (map[string][]*T, error) {
	out := make(map[string][]*T, len(docs))
	for key, list := range docs {
		for _, doc := range list {
			v, err := cache.get(doc)
			if err != nil {
				return nil, err
			}
			out[key] = append(out[key], v)
		}
	}
	return out, nil
}

// keyLookup is one table's part of findDocsByKeysIn: up to limit docs of
// docTable per key of keyTable, or, when keyTable is empty, the doc of
// docTable whose id is each key, or, when idsOnly, up to limit ids
// (idColumn) per key of keyTable instead of their docs.
type keyLookup struct {
	keyTable, idColumn, docTable string
	keys                         []string
	limit                        int
	idsOnly                      bool
}

// findDocsByKeys returns up to limit docs of docTable per key of keyTable,
// in id order, in one statement per 32 keys (see findIDsByKeys).
func (db *DB) findDocsByKeys(ctx context.Context, keyTable, idColumn, docTable string, keys []string, limit int) (map[string][]string, error) {
	docs, err := db.findDocsByKeysIn(ctx, []keyLookup{{keyTable: keyTable, idColumn: idColumn, docTable: docTable, keys: keys, limit: limit}})
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

// findDocsByIDs returns the docs of docTable whose ids are among ids, by id,
// through the key caches when fewer than 32 (findDocsByKeysCached): a
// served answer that needs the matched person's employer, or a profile by
// id, is then one generation read when nothing changed.
func (db *DB) findDocsByIDs(ctx context.Context, docTable string, ids []string) (map[string]string, error) {
	docs, err := db.findDocsByKeysIn(ctx, []keyLookup{{docTable: docTable, keys: ids, limit: 1}})
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(docs[0]))
	for id, list := range docs[0] {
		out[id] = list[0]
	}
	return out, nil
}

// findDocsByKeysIn does each lookup (see findDocsByKeys) and returns their
// docs by key, one map per lookup, in one statement per 32 keys of all the
// lookups together. Look-ups that fit one statement go through the DB's key
// caches (keycache.go).
func (db *DB) findDocsByKeysIn(ctx context.Context, lookups []keyLookup) ([]map[string][]string, error) {
	return db.findDocsByKeysCached(ctx, lookups, db.keyCaches, true)
}

// findDocsByKeysCached is findDocsByKeysIn with caches (nil: none), whose
// entries answer look-ups only when useCached; fresh reads are stored in
// them either way.
func (db *DB) findDocsByKeysCached(ctx context.Context, lookups []keyLookup, caches []*keyCache, useCached bool) ([]map[string][]string, error) {
	out := make([]map[string][]string, len(lookups))
	keys := make([][]string, len(lookups))
	total := 0
	for i := range lookups {
		if lookups[i].limit <= 0 {
			lookups[i].limit = DefaultLimitPerKey
		}
		keys[i] = dedupe(lookups[i].keys)
		total += len(keys[i])
	}
	if total >= 32 {
		caches = nil // a generation would not cover every statement
	}
	start := time.Now()
	allFresh := useCached && caches != nil // every lookup answered by a freshly confirmed cache
	var todo []keyPart
	var withGen []*keyCache                  // the caches whose generation the statement reads
	cachedGen := make([]int64, len(lookups)) // of a lookup answered by its cache; else -1
	for i, l := range lookups {
		cachedGen[i] = -1
		var c *keyCache
		for _, kc := range caches {
			if kc.answers(&l) {
				c = kc
			}
		}
		if c != nil {
			if !slices.Contains(withGen, c) {
				withGen = append(withGen, c)
			}
			if useCached {
				if docs, gen, ok, fresh := c.lookup(&l, keys[i], start, db.keyCacheLease); ok {
					out[i], cachedGen[i] = docs, gen
					allFresh = allFresh && fresh
					continue
				}
			}
		}
		allFresh = false
		out[i] = make(map[string][]string)
		for _, key := range keys[i] {
			todo = append(todo, keyPart{i, key})
		}
	}
	if allFresh {
		// NOTE: every generation was read less than the lease ago, by a
		// statement begun after this process's last write to its tables:
		// each part is what a statement begun then read (keycache.go).
		return out, nil
	}
	gens := make([]int64, len(withGen)) // as read, in withGen's order
	for j := range gens {
		gens[j] = -1
	}
	for first := true; len(todo) > 0 || first && len(withGen) > 0; first = false {
		n := min(len(todo), 32)
		args := make([]driver.Value, 0, 2*n)
		for _, p := range todo[:n] {
			args = append(args, p.key, int64(lookups[p.l].limit))
		}
		batch := todo[:n]
		todo = todo[n:]
		var readGen []*keyCache
		if first {
			readGen = withGen
		}
		query := db.docsSQL.get(lookups, batch, readGen)
		err := db.readRows(ctx, query, args, func(row []driver.Value) error {
			i, _ := row[0].(int64)
			if i < 0 {
				parseGenerations(row[1], gens)
				return nil
			}
			doc, _ := row[1].(string)
			p := batch[i]
			out[p.l][p.key] = append(out[p.l][p.key], doc)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	var again []int // lookups answered from a cache that has changed since
	for j, c := range withGen {
		if gens[j] < 0 {
			continue // no generation row: nothing is cached
		}
		stale := false
		for i := range lookups {
			switch l := &lookups[i]; {
			case !c.answers(l):
			case cachedGen[i] < 0:
				c.store(gens[j], l, keys[i], out[i])
			case cachedGen[i] != gens[j]:
				stale = true
				again = append(again, i)
			}
		}
		if stale {
			c.store(gens[j], nil, nil, nil) // forget the older generation's entries
		}
		c.confirm(gens[j], start)
	}
	if len(again) == 0 {
		return out, nil
	}
	// Read these again, past the caches, at the new generation.
	redo := make([]keyLookup, len(again))
	for j, i := range again {
		redo[j] = lookups[i]
	}
	docs, err := db.findDocsByKeysCached(ctx, redo, caches, false)
	if err != nil {
		return nil, err
	}
	for j, i := range again {
		out[i] = docs[j]
	}
	return out, nil
}

// parseGenerations reads the generations row of findDocsByKeysCached's
// statement into gens: an integer for one, else the numbers separated by
// spaces. gens stay -1 where the value is not a number (no generation row).
func parseGenerations(v driver.Value, gens []int64) {
	switch v := v.(type) {
	case int64:
		if len(gens) == 1 {
			gens[0] = v
		}
	case string:
		for i := range gens {
			f, rest, _ := strings.Cut(v, " ")
			if n, err := strconv.ParseInt(f, 10, 64); err == nil {
				gens[i] = n
			}
			v = rest
		}
	}
}

// keyPart is one key of one lookup of findDocsByKeysCached.
type keyPart struct {
	l   int // lookup
	key string
}

// docsSQLCache keeps the statements of findDocsByKeysCached by shape (the
// tables of each part, and the generations read): building one
// costs a Sprintf per key, as much as a fifth of an identifier look-up's Go
// side, and there are few shapes.
type docsSQLCache struct {
	mu sync.RWMutex
	m  map[string]string
}

func (c *docsSQLCache) get(lookups []keyLookup, parts []keyPart, gens []*keyCache) string {
	var buf [256]byte
	sig := buf[:0]
	for _, p := range parts {
		l := &lookups[p.l]
		sig = append(append(append(append(sig, l.keyTable...), ' '), l.docTable...), ' ')
		sig = append(sig, l.idColumn...)
		if l.idsOnly {
			sig = append(sig, " ids"...)
		}
		sig = append(sig, ',')
	}
	for _, g := range gens {
		sig = append(append(sig, 'g'), g.table...)
	}
	c.mu.RLock()
	query, ok := c.m[string(sig)]
	c.mu.RUnlock()
	if ok {
		return query
	}
	sqlParts := make([]string, len(parts), len(parts)+1)
	for i, p := range parts {
		l := &lookups[p.l]
		// NOTE: the key's position, not the key, comes back: no string to copy out per row.
		switch {
		case l.keyTable == "":
			sqlParts[i] = fmt.Sprintf(`SELECT * FROM (SELECT %d, doc FROM %s WHERE id = ? LIMIT ?)`, i, l.docTable)
			continue
		case l.idsOnly:
			sqlParts[i] = fmt.Sprintf(`SELECT * FROM (SELECT %d, %s FROM %s WHERE key = ? ORDER BY %s LIMIT ?)`,
				i, l.idColumn, l.keyTable, l.idColumn)
			continue
		}
		sqlParts[i] = fmt.Sprintf(`SELECT * FROM (SELECT %d, d.doc FROM %s k JOIN %s d ON d.id = k.%s WHERE k.key = ? ORDER BY k.%s LIMIT ?)`,
			i, l.keyTable, l.docTable, l.idColumn, l.idColumn)
	}
	if len(gens) > 0 {
		// NOTE: one row for all the generations: each row costs a step
		// (a call into SQLite) of its own.
		row := make([]string, len(gens))
		for i, g := range gens {
			row[i] = g.genSQL
		}
		sqlParts = append(sqlParts, "SELECT -1, "+strings.Join(row, " || ' ' || "))
	}
	query = strings.Join(sqlParts, " UNION ALL ")
	c.mu.Lock()
	if c.m == nil || len(c.m) > 4096 {
		c.m = map[string]string{} // bounded: shapes come from the code, not from requests
	}
	c.m[string(sig)] = query
	c.mu.Unlock()
	return query
}
