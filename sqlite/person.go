package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/doccodec"
)

var _ enrichd.PersonService = (*PersonService)(nil)

// DefaultLimitPerKey caps the ids returned per key when a caller passes
// limitPerKey <= 0: blocking keys such as a common surname at a large company
// can index thousands of people.
const DefaultLimitPerKey = 100

// maxParams bounds the placeholders of one statement (SQLite allows 32766).
const maxParams = 30000

// PersonService reads people from SQLite.
type PersonService struct {
	db    *DB
	cache *docCache[enrichd.Person] // decoded documents, see docCache
	// companies decodes the companies read with people (FindPeopleAndCompaniesByKeys).
	companies *docCache[enrichd.Company]
}

// NewPersonService returns a PersonService over db.
func NewPersonService(db *DB) *PersonService {
	return &PersonService{db: db, cache: newDocCache(personCacheSize, decodePerson, clonePerson),
		companies: newDocCache(companyCacheSize/4, decodeCompany, cloneCompany)}
}

// FindPersonByID returns the person. Returns ENOTFOUND if there is none.
func (s *PersonService) FindPersonByID(ctx context.Context, id string) (*enrichd.Person, error) {
	docs, err := s.db.findDocsByIDs(ctx, "people", []string{id})
	if err != nil {
		return nil, fmt.Errorf("find person %s: %w", id, FormatError(err))
	}
	doc, ok := docs[id]
	if !ok {
		return nil, enrichd.Errorf(enrichd.ENOTFOUND, "Person %q not found.", id)
	}
	return s.cache.get(doc)
}

// FindPeopleByIDs returns the people that exist among ids, in the order of ids.
func (s *PersonService) FindPeopleByIDs(ctx context.Context, ids []string) ([]*enrichd.Person, error) {
	docs, err := s.db.findDocs(ctx, "people", ids)
	if err != nil {
		return nil, fmt.Errorf("find people: %w", err)
	}
	out := make([]*enrichd.Person, 0, len(docs))
	for _, id := range ids {
		if doc, ok := docs[id]; ok {
			p, err := s.cache.get(doc)
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
	return s.db.findIDsByKeys(ctx, "person_keys", "person_id", keys, limitPerKey)
}

// CountKeys returns how many people each key indexes; keys with none are absent.
func (s *PersonService) CountKeys(ctx context.Context, keys []string) (map[string]int, error) {
	return s.db.countKeys(ctx, keys)
}

// CountPeople returns the number of people in the store, from a counter kept
// by ingest (counting rows would scan the table).
func (s *PersonService) CountPeople(ctx context.Context) (int, error) {
	var n int
	err := s.db.db.QueryRowContext(ctx, `SELECT n FROM counters WHERE name = 'people'`).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	} else if err != nil {
		return 0, fmt.Errorf("count people: %w", FormatError(err))
	}
	return n, nil
}

func decodePerson(doc string) (*enrichd.Person, error) {
	var p enrichd.Person
	if err := doccodec.DecodePersonString(doc, &p); err != nil {
		return nil, fmt.Errorf("decode person: %w", err)
	}
	return &p, nil
}

func decodeCompany(doc string) (*enrichd.Company, error) {
	var c enrichd.Company
	if err := doccodec.DecodeCompanyString(doc, &c); err != nil {
		return nil, fmt.Errorf("decode company: %w", err)
	}
	return &c, nil
}

// pointRead returns ctx without its cancellation, for the short, bounded
// read statements of matching: one statement of index look-ups returning at
// most a few thousand rows.
//
// NOTE: with a cancellable context (a server request's), database/sql starts
// a goroutine per query to watch it and the driver another one per statement
// to interrupt SQLite; starting and waking them costs several µs, more than
// some of these statements, while cancelling a statement this short gains
// nothing. Scans and multi-statement reads keep the caller's context.
func pointRead(ctx context.Context) context.Context { return context.WithoutCancel(ctx) }

// queryer is what *sql.DB, *sql.Conn and *sql.Tx have in common.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
}

// placeholders returns "?,?,…" with n marks.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?,", n-1) + "?"
}

// findDocs returns the doc of each id of ids present in table (people or
// companies), in chunks of one IN query each.
func findDocs(ctx context.Context, q queryer, table string, ids []string) (map[string][]byte, error) {
	out := make(map[string][]byte, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), maxParams)
		args := make([]any, n)
		for i, id := range ids[:n] {
			args[i] = id
		}
		ids = ids[n:]
		rows, err := q.QueryContext(ctx, `SELECT id, doc FROM `+table+` WHERE id IN (`+placeholders(n)+`)`, args...)
		if err != nil {
			return nil, FormatError(err)
		}
		for rows.Next() {
			var id string
			var doc []byte
			if err := rows.Scan(&id, &doc); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = doc
		}
		if err := rows.Close(); err != nil {
			return nil, FormatError(err)
		}
		if err := rows.Err(); err != nil {
			return nil, FormatError(err)
		}
	}
	return out, nil
}

// findDocs returns the doc of each of ids present in table, on a reserved
// read connection for the small id lists of matching.
func (db *DB) findDocs(ctx context.Context, table string, ids []string) (map[string]string, error) {
	if len(ids) > 0 && len(ids) < 32 {
		return db.findDocsByIDs(ctx, table, ids)
	}
	out := make(map[string]string, len(ids))
	if len(ids) == 0 || len(ids) > 64 {
		docs, err := findDocs(ctx, db.db, table, ids)
		for id, doc := range docs {
			out[id] = string(doc)
		}
		return out, err
	}
	args := make([]driver.Value, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	parts := make([]string, len(ids))
	for i := range parts {
		parts[i] = `SELECT id, doc FROM ` + table + ` WHERE id = ?`
	}
	err := db.readRows(ctx, strings.Join(parts, " UNION ALL "), args, func(row []driver.Value) error {
		id, _ := row[0].(string)
		doc, _ := row[1].(string)
		out[id] = doc
		return nil
	})
	return out, err
}

// findIDsByKeys returns up to limit ids per key from table (person_keys or
// company_keys) in one statement per 32 keys: a UNION ALL of one LIMITed
// index range per key, so that a match's handful of keys costs one round
// trip into SQLite, not one each.
func (db *DB) findIDsByKeys(ctx context.Context, table, idColumn string, keys []string, limit int) (map[string][]string, error) {
	docTable := "people"
	if table == "company_keys" {
		docTable = "companies"
	}
	// NOTE: through the key caches (keycache.go): a name match's blocking
	// keys hold tens of ids each, and reading them was a third of a name
	// enrichment's server CPU through HTTP.
	ids, err := db.findDocsByKeysIn(ctx, []keyLookup{{keyTable: table, idColumn: idColumn, docTable: docTable, keys: keys, limit: limit, idsOnly: true}})
	if err != nil {
		return nil, fmt.Errorf("find ids by keys: %w", err)
	}
	return ids[0], nil
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

// countKeys counts the rows of each key in person_keys, in one grouped
// statement per chunk of keys.
func (db *DB) countKeys(ctx context.Context, keys []string) (map[string]int, error) {
	out := make(map[string]int)
	keys = dedupe(keys)
	for len(keys) > 0 {
		n := min(len(keys), 64)
		args := make([]driver.Value, n)
		for i, k := range keys[:n] {
			args[i] = k
		}
		keys = keys[n:]
		err := db.readRows(ctx, `SELECT key, COUNT(*) FROM person_keys WHERE key IN (`+placeholders(n)+`) GROUP BY key`, args, func(row []driver.Value) error {
			key, _ := row[0].(string)
			c, _ := row[1].(int64)
			out[key] = int(c)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("count keys: %w", err)
		}
	}
	return out, nil
}
