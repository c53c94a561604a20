package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/doccodec"
	"github.com/jackc/pgx/v5"
)

var _ enrichd.PersonService = (*PersonService)(nil)

// DefaultLimitPerKey caps the ids returned per key when a caller passes
// limitPerKey <= 0: blocking keys such as a common surname at a large company
// can index thousands of people.
const DefaultLimitPerKey = 100

// PersonService reads people from PostgreSQL.
type PersonService struct {
	db *DB
}

// NewPersonService returns a PersonService over db.
func NewPersonService(db *DB) *PersonService { return &PersonService{db: db} }

// FindPersonByID returns the person. Returns ENOTFOUND if there is none.
func (s *PersonService) FindPersonByID(ctx context.Context, id string) (*enrichd.Person, error) {
	var doc []byte
	err := s.db.pool.QueryRow(ctx, `SELECT doc FROM people WHERE id = $1`, id).Scan(&doc)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Person %q not found.", id)
	} else if err != nil {
		return nil, fmt.Errorf("find person %s: %w", id, FormatError(err))
	}
	return decodePerson(doc)
}

// FindPeopleByIDs returns the people that exist among ids, in the order of ids.
func (s *PersonService) FindPeopleByIDs(ctx context.Context, ids []string) ([]*enrichd.Person, error) {
	docs, err := findDocs(ctx, s.db.pool, `SELECT id, doc FROM people WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, fmt.Errorf("find people: %w", err)
	}
	out := make([]*enrichd.Person, 0, len(docs))
	for _, id := range ids {
		if doc, ok := docs[id]; ok {
			p, err := decodePerson(doc)
			if err != nil {
				return nil, err
			}
			out = append(out, p)
		}
	}
	return out, nil
}

// FindPersonIDsByKeys returns, for each key that indexes at least one person,
// the ids of the people under it, at most limitPerKey each (DefaultLimitPerKey
// when limitPerKey <= 0), in id order.
func (s *PersonService) FindPersonIDsByKeys(ctx context.Context, keys []string, limitPerKey int) (map[string][]string, error) {
	return findIDsByKeys(ctx, s.db.pool, "person_keys", "person_id", keys, limitPerKey)
}

// CountKeys returns how many people each key indexes; keys with none are absent.
func (s *PersonService) CountKeys(ctx context.Context, keys []string) (map[string]int, error) {
	out := make(map[string]int)
	if len(keys) == 0 {
		return out, nil
	}
	rows, err := s.db.pool.Query(ctx, `SELECT key, COUNT(*) FROM person_keys WHERE key = ANY($1) GROUP BY key`, keys)
	if err != nil {
		return nil, fmt.Errorf("count keys: %w", FormatError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var key string
		var n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, fmt.Errorf("count keys: %w", err)
		}
		out[key] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("count keys: %w", FormatError(err))
	}
	return out, nil
}

// CountPeople returns the number of people in the store, from a counter kept
// by ingest (counting rows would scan the table).
func (s *PersonService) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := s.db.pool.QueryRow(ctx, `SELECT n FROM counters WHERE name = 'people'`).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("count people: %w", FormatError(err))
	}
	return n, nil
}

func decodePerson(doc []byte) (*enrichd.Person, error) {
	var p enrichd.Person
	if err := doccodec.DecodePerson(doc, &p); err != nil {
		return nil, fmt.Errorf("decode person: %w", err)
	}
	return &p, nil
}

func decodeCompany(doc []byte) (*enrichd.Company, error) {
	var c enrichd.Company
	if err := doccodec.DecodeCompany(doc, &c); err != nil {
		return nil, fmt.Errorf("decode company: %w", err)
	}
	return &c, nil
}

// querier is what the pool and a transaction have in common.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// findDocs runs query (selecting id, doc for = ANY($1)) and maps id → doc.
func findDocs(ctx context.Context, q querier, query string, ids []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, query, ids)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var doc []byte
		if err := rows.Scan(&id, &doc); err != nil {
			return nil, err
		}
		out[id] = doc
	}
	return out, FormatError(rows.Err())
}

// pairs runs query (selecting a, b for = ANY($1)) and groups b by a.
func pairs(ctx context.Context, q querier, query string, args []string) (map[string][]string, error) {
	out := make(map[string][]string)
	if len(args) == 0 {
		return out, nil
	}
	rows, err := q.Query(ctx, query, args)
	if err != nil {
		return nil, FormatError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var a, b string
		if err := rows.Scan(&a, &b); err != nil {
			return nil, err
		}
		out[a] = append(out[a], b)
	}
	return out, FormatError(rows.Err())
}

// findIDsByKeys returns up to limit ids per key in one round trip: a lateral
// join runs one index range scan per key.
func findIDsByKeys(ctx context.Context, q querier, table, idColumn string, keys []string, limit int) (map[string][]string, error) {
	if limit <= 0 {
		limit = DefaultLimitPerKey
	}
	out, err := pairs(ctx, q, `SELECT k.key, t.id FROM unnest($1::text[]) AS k(key)
		CROSS JOIN LATERAL (SELECT `+idColumn+` AS id FROM `+table+` WHERE key = k.key ORDER BY `+idColumn+` LIMIT `+fmt.Sprint(limit)+`) t`, dedupe(keys))
	if err != nil {
		return nil, fmt.Errorf("find ids by keys: %w", err)
	}
	return out, nil
}

func dedupe(keys []string) []string {
	seen := make(map[string]bool, len(keys))
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	return out
}
