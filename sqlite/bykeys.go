package sqlite

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

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
	out := make(map[string][]*enrichd.Person, len(docs))
	for key, list := range docs {
		for _, doc := range list {
			p, err := s.cache.get(doc)
			if err != nil {
				return nil, err
			}
			out[key] = append(out[key], p)
		}
	}
	return out, nil
}

// FindCompaniesByKeys is FindPeopleByKeys for companies.
func (s *CompanyService) FindCompaniesByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]*enrichd.Company, error) {
	docs, err := s.db.findDocsByKeys(ctx, "company_keys", "company_id", "companies", keys, limitPerKey)
	if err != nil {
		return nil, fmt.Errorf("find companies by keys: %w", err)
	}
	out := make(map[string][]*enrichd.Company, len(docs))
	for key, list := range docs {
		for _, doc := range list {
			c, err := s.cache.get(doc)
			if err != nil {
				return nil, err
			}
			out[key] = append(out[key], c)
		}
	}
	return out, nil
}

// findDocsByKeys returns up to limit docs of docTable per key of keyTable,
// in id order, in one statement per 32 keys (see findIDsByKeys).
func (db *DB) findDocsByKeys(ctx context.Context, keyTable, idColumn, docTable string, keys []string, limit int) (map[string][]string, error) {
	if limit <= 0 {
		limit = DefaultLimitPerKey
	}
	out := make(map[string][]string)
	keys = dedupe(keys)
	for len(keys) > 0 {
		n := min(len(keys), 32)
		parts := make([]string, n)
		args := make([]driver.Value, 0, 2*n)
		for i, key := range keys[:n] {
			// NOTE: the key's position, not the key, comes back: no string to copy out per row.
			parts[i] = fmt.Sprintf(`SELECT * FROM (SELECT %d, d.doc FROM %s k JOIN %s d ON d.id = k.%s WHERE k.key = ? ORDER BY k.%s LIMIT ?)`,
				i, keyTable, docTable, idColumn, idColumn)
			args = append(args, key, int64(limit))
		}
		batch := keys[:n]
		keys = keys[n:]
		err := db.readRows(ctx, strings.Join(parts, " UNION ALL "), args, func(row []driver.Value) error {
			i, _ := row[0].(int64)
			doc, _ := row[1].(string)
			out[batch[i]] = append(out[batch[i]], doc)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
