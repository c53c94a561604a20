package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"slices"
	"strings"
	"sync"

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
		{"person_keys", "person_id", "people", personKeys, personLimit},
		{"company_keys", "company_id", "companies", companyKeys, companyLimit},
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
// docTable per key of keyTable.
type keyLookup struct {
	keyTable, idColumn, docTable string
	keys                         []string
	limit                        int
}

// findDocsByKeys returns up to limit docs of docTable per key of keyTable,
// in id order, in one statement per 32 keys (see findIDsByKeys).
func (db *DB) findDocsByKeys(ctx context.Context, keyTable, idColumn, docTable string, keys []string, limit int) (map[string][]string, error) {
	docs, err := db.findDocsByKeysIn(ctx, []keyLookup{{keyTable, idColumn, docTable, keys, limit}})
	if err != nil {
		return nil, err
	}
	return docs[0], nil
}

// findDocsByKeysIn does each lookup (see findDocsByKeys) and returns their
// docs by key, one map per lookup, in one statement per 32 keys of all the
// lookups together. Company look-ups that fit one statement go through the
// DB's companyKeyCache.
func (db *DB) findDocsByKeysIn(ctx context.Context, lookups []keyLookup) ([]map[string][]string, error) {
	return db.findDocsByKeysCached(ctx, lookups, db.companyKeys, true)
}

// findDocsByKeysCached is findDocsByKeysIn with cache (nil: none), whose
// entries answer look-ups only when useCached; fresh reads are stored in it
// either way.
func (db *DB) findDocsByKeysCached(ctx context.Context, lookups []keyLookup, cache *companyKeyCache, useCached bool) ([]map[string][]string, error) {
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
		cache = nil // the generation would not cover every statement
	}
	var todo []keyPart
	var fromCache []int // lookups answered by the cache
	var cachedGen int64
	withGen := false // read the company generation with the look-ups
	for i, l := range lookups {
		if cache != nil && l.keyTable == "company_keys" {
			withGen = true
			if useCached {
				if docs, gen, ok := cache.lookup(keys[i], l.limit); ok && (len(fromCache) == 0 || gen == cachedGen) {
					out[i], cachedGen = docs, gen
					fromCache = append(fromCache, i)
					continue
				}
			}
		}
		out[i] = make(map[string][]string)
		for _, key := range keys[i] {
			todo = append(todo, keyPart{i, key})
		}
	}
	gen := int64(-1)
	for first := true; len(todo) > 0 || first && withGen; first = false {
		n := min(len(todo), 32)
		args := make([]driver.Value, 0, 2*n)
		for _, p := range todo[:n] {
			args = append(args, p.key, int64(lookups[p.l].limit))
		}
		batch := todo[:n]
		todo = todo[n:]
		query := db.docsSQL.get(lookups, batch, first && withGen)
		err := db.readRows(ctx, query, args, func(row []driver.Value) error {
			i, _ := row[0].(int64)
			if i < 0 {
				gen, _ = row[1].(int64)
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
	if !withGen || gen < 0 {
		return out, nil
	}
	for i, l := range lookups {
		if l.keyTable == "company_keys" && !slices.Contains(fromCache, i) {
			cache.store(gen, keys[i], l.limit, out[i])
		}
	}
	if len(fromCache) > 0 && gen != cachedGen {
		// A company changed since the cached docs were read: forget them,
		// and read these again, past the cache, at the new generation.
		cache.store(gen, nil, 0, nil)
		again := make([]keyLookup, len(fromCache))
		for j, i := range fromCache {
			again[j] = lookups[i]
		}
		docs, err := db.findDocsByKeysCached(ctx, again, cache, false)
		if err != nil {
			return nil, err
		}
		for j, i := range fromCache {
			out[i] = docs[j]
		}
	}
	return out, nil
}

// keyPart is one key of one lookup of findDocsByKeysCached.
type keyPart struct {
	l   int // lookup
	key string
}

// docsSQLCache keeps the statements of findDocsByKeysCached by shape (the
// tables of each part, and whether the generation is read): building one
// costs a Sprintf per key, as much as a fifth of an identifier look-up's Go
// side, and there are few shapes.
type docsSQLCache struct {
	mu sync.RWMutex
	m  map[string]string
}

func (c *docsSQLCache) get(lookups []keyLookup, parts []keyPart, withGen bool) string {
	var buf [256]byte
	sig := buf[:0]
	for _, p := range parts {
		l := &lookups[p.l]
		sig = append(append(append(append(sig, l.keyTable...), ' '), l.docTable...), ' ')
		sig = append(append(sig, l.idColumn...), ',')
	}
	if withGen {
		sig = append(sig, 'g')
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
		sqlParts[i] = fmt.Sprintf(`SELECT * FROM (SELECT %d, d.doc FROM %s k JOIN %s d ON d.id = k.%s WHERE k.key = ? ORDER BY k.%s LIMIT ?)`,
			i, l.keyTable, l.docTable, l.idColumn, l.idColumn)
	}
	if withGen {
		sqlParts = append(sqlParts, companyGenerationSQL)
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
