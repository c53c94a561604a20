package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/storeplan"
)

var _ enrichd.IngestService = (*IngestService)(nil)

// IngestService writes records into SQLite, merging each into its golden
// record (see storeplan.Build for the rules).
//
// NOTE: speed (issue 2: ≥ 50,000 rows/s on two cores) comes from doing per
// batch, not per record, whatever SQLite allows: one IMMEDIATE transaction,
// one IN query per kind of look-up, multi-row INSERTs of key-sorted rows
// through statements prepared once per transaction, JSON encoded on every
// core, and nothing written for an unchanged record.
type IngestService struct {
	db    *DB
	keyer enrichd.Keyer
	now   func() time.Time
	// bulk is set between BeginBulk and EndBulk.
	bulk atomic.Bool
}

// NewIngestService returns an IngestService over db that indexes records with keyer.
func NewIngestService(db *DB, keyer enrichd.Keyer) *IngestService {
	return &IngestService{db: db, keyer: keyer, now: time.Now}
}

// bulkCacheKiB is the page cache of a connection while it ingests: the key
// b-trees of a million people outgrow the default, and every miss is a read.
const bulkCacheKiB = 262144

// bulkLoadCacheKiB is the page cache of the ingesting connection during a
// bulk load (BeginBulk…EndBulk): the key and term b-trees of a million people
// are ~1 GB, and a page that falls out of the cache is read back at random.
const bulkLoadCacheKiB = 1 << 20

// ingestPragmas returns the connection settings of an ingest transaction.
//
// NOTE: during a bulk load, synchronous=OFF: commits and checkpoints do not
// wait for the disk. A killed process loses nothing (WAL frames are in the
// OS's cache); an OS crash or power loss during the load may lose recent
// batches or, in the worst case, corrupt the file, which is why it is limited
// to bulk loads, whose input can be imported again.
func (s *IngestService) ingestPragmas() string {
	if s.bulk.Load() {
		return fmt.Sprintf(`PRAGMA cache_size = -%d; PRAGMA synchronous = OFF`, bulkLoadCacheKiB)
	}
	return fmt.Sprintf(`PRAGMA cache_size = -%d; PRAGMA synchronous = NORMAL`, bulkCacheKiB)
}

// maxAttempts bounds how often a batch is retried after storeplan.ErrRetry.
const maxAttempts = 5

// Ingest saves batch in one transaction and reports what it did per record.
// Returns EINVALID, writing nothing, if a record has no usable identifier;
// the error's Fields are keyed by the record's index in batch.
func (s *IngestService) Ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	for attempt := 1; ; attempt++ {
		results, err := s.ingest(ctx, batch)
		if errors.Is(err, storeplan.ErrRetry) && attempt < maxAttempts {
			continue
		}
		return results, err
	}
}

func (s *IngestService) ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	conn, err := s.db.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("ingest: %w", FormatError(err))
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, s.ingestPragmas()); err != nil {
		return nil, fmt.Errorf("ingest: %w", FormatError(err))
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("ingest: begin: %w", FormatError(err))
	}
	defer tx.Rollback()

	now := s.now()
	// During a bulk load person_keys has no person_id index (BeginBulk).
	plan, err := storeplan.Build(ctx, txReader{tx}, s.keyer, batch,
		storeplan.Options{Now: now, PersonID: orderedID(now), OldKeysFromDoc: s.bulk.Load()})
	if err != nil {
		return nil, err
	}
	w := &writer{ctx: ctx, tx: tx, stmts: make(map[string]*sql.Stmt)}
	defer w.close()
	if err := w.write(plan); err != nil {
		return nil, fmt.Errorf("ingest: %w", FormatError(err))
	}
	err = tx.Commit()
	s.db.keyCachesWritten() // even on an error: the commit may have happened
	if err != nil {
		return nil, fmt.Errorf("ingest: commit: %w", FormatError(err))
	}
	return plan.Results, nil
}

// orderedID returns the id source of one batch: 8 hex digits of the unix
// time, then 8 random ones.
//
// NOTE: ids that grow with time put a batch's rows at the end of every index
// that ends with the id (the people search indexes, person_terms, the
// person_id index of person_keys) instead of at random pages: a third less
// CPU and half the time of an import (docs/BENCHMARKS.md, "Storage"). On
// SQLite, unlike PostgreSQL, ids need not derive from the identity key:
// writers are serialised by IMMEDIATE transactions and look keys up inside
// them, and an interrupted batch leaves nothing, so a re-run import finds
// what committed and cannot create a second person. Collisions (two random
// halves in one second) are caught by storeplan's id check.
func orderedID(now time.Time) func(string, int) string {
	prefix := uint64(uint32(now.Unix())) << 32
	return func(string, int) string {
		return fmt.Sprintf("%016x", prefix|uint64(rand.Uint32()))
	}
}

// txReader implements storeplan.Reader inside the ingest transaction.
type txReader struct{ tx *sql.Tx }

func (r txReader) PersonIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT key, person_id FROM person_keys WHERE key IN (`, keys)
}

func (r txReader) CompanyIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT key, company_id FROM company_keys WHERE key IN (`, keys)
}

func (r txReader) PeopleDocs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return findDocs(ctx, r.tx, "people", ids)
}

func (r txReader) CompanyDocs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return findDocs(ctx, r.tx, "companies", ids)
}

func (r txReader) PersonKeysOf(ctx context.Context, ids []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT person_id, key FROM person_keys WHERE person_id IN (`, ids)
}

func (r txReader) CompanyKeysOf(ctx context.Context, ids []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT company_id, key FROM company_keys WHERE company_id IN (`, ids)
}

func (r txReader) ExistingPeople(ctx context.Context, ids []string) (map[string]bool, error) {
	return existing(ctx, r.tx, `SELECT id, '' FROM people WHERE id IN (`, ids)
}

func (r txReader) ExistingCompanies(ctx context.Context, ids []string) (map[string]bool, error) {
	return existing(ctx, r.tx, `SELECT id, '' FROM companies WHERE id IN (`, ids)
}

// pairs runs query, an open "… IN (" prefix selecting (a, b), over args in
// chunks and groups b by a.
func pairs(ctx context.Context, q queryer, query string, args []string) (map[string][]string, error) {
	out := make(map[string][]string)
	for len(args) > 0 {
		n := min(len(args), maxParams)
		vals := make([]any, n)
		for i, a := range args[:n] {
			vals[i] = a
		}
		args = args[n:]
		rows, err := q.QueryContext(ctx, query+placeholders(n)+`)`, vals...)
		if err != nil {
			return nil, FormatError(err)
		}
		for rows.Next() {
			var a, b string
			if err := rows.Scan(&a, &b); err != nil {
				rows.Close()
				return nil, err
			}
			out[a] = append(out[a], b)
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

func existing(ctx context.Context, q queryer, query string, ids []string) (map[string]bool, error) {
	m, err := pairs(ctx, q, query, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]bool, len(m))
	for id := range m {
		out[id] = true
	}
	return out, nil
}

// writer applies a plan with multi-row statements prepared once per
// transaction and reused for every full chunk.
type writer struct {
	ctx   context.Context
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (w *writer) close() {
	for _, s := range w.stmts {
		s.Close()
	}
}

func (w *writer) exec(query string, args ...any) error {
	st, ok := w.stmts[query]
	if !ok {
		var err error
		if st, err = w.tx.PrepareContext(w.ctx, query); err != nil {
			return err
		}
		w.stmts[query] = st
	}
	// NOTE: through Query, not Exec: the driver binds every argument and
	// steps in one cgo call there, against one call per argument for Exec
	// (a batch of 20,000 people binds ~1.3 million values). An INSERT or
	// UPDATE runs at its first step and returns no rows.
	rows, err := st.QueryContext(w.ctx, args...)
	if err != nil {
		return err
	}
	return rows.Close()
}

// insertRows inserts rows (each of width values) with "prefix VALUES (…),(…)
// suffix" statements of up to chunkRows rows.
func (w *writer) insertRows(prefix, suffix string, width, chunkRows int, rows [][]any) error {
	row := "(" + placeholders(width) + ")"
	for len(rows) > 0 {
		n := min(len(rows), chunkRows)
		args := make([]any, 0, n*width)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		rows = rows[n:]
		query := prefix + " VALUES " + strings.Repeat(row+",", n-1) + row + suffix
		if err := w.exec(query, args...); err != nil {
			return err
		}
	}
	return nil
}

func timeText(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// personColumns are the people columns after id and doc, in the order of personValues.
const personColumns = `full_name, first_name, last_name, title, headline, seniority, city, state, country, country_code,
	location_raw, company_id, company_name, company_domain, linkedin_url, current_start, connections, followers,
	updated_at_unix, updated_at`

func personValues(w *storeplan.PersonWrite) []any {
	r := &w.Row
	return []any{r.FullName, r.FirstName, r.LastName, r.Title, r.Headline, r.Seniority, r.City, r.State, r.Country,
		r.CountryCode, r.LocationRaw, r.CompanyID, r.CompanyName, r.CompanyDomain, r.LinkedInURL, r.CurrentStart,
		r.Connections, r.Followers, r.UpdatedAt, timeText(w.Person.UpdatedAt)}
}

type keyRow struct{ key, id string }

type termRow struct {
	t  enrichd.SearchTerm
	id string
}

func (w *writer) write(plan *storeplan.Plan) error {
	// Companies.
	var newCompanies [][]any
	var addCKeys, delCKeys []keyRow
	for _, c := range plan.Companies {
		co := c.Company
		if c.New {
			newCompanies = append(newCompanies, []any{c.ID, string(c.Doc), co.Name, co.Domain, co.LinkedInURL, timeText(co.CreatedAt), timeText(co.UpdatedAt)})
		} else if err := w.exec(`UPDATE companies SET doc = ?, name = ?, domain = ?, linkedin_url = ?, updated_at = ? WHERE id = ?`,
			string(c.Doc), co.Name, co.Domain, co.LinkedInURL, timeText(co.UpdatedAt), c.ID); err != nil {
			return fmt.Errorf("update company %s: %w", c.ID, err)
		}
		for _, k := range c.AddKeys {
			addCKeys = append(addCKeys, keyRow{k, c.ID})
		}
		for _, k := range c.DelKeys {
			delCKeys = append(delCKeys, keyRow{k, c.ID})
		}
	}
	if err := w.insertRows(`INSERT INTO companies (id, doc, name, domain, linkedin_url, created_at, updated_at)`, "", 7, 200, newCompanies); err != nil {
		return fmt.Errorf("insert companies: %w", err)
	}
	if err := w.keys("company_keys", "company_id", addCKeys, delCKeys); err != nil {
		return err
	}

	// People.
	var newPeople [][]any
	var addKeys, delKeys []keyRow
	var addTerms, delTerms []termRow
	for _, p := range plan.People {
		vals := personValues(p)
		if p.New {
			newPeople = append(newPeople, append([]any{p.ID, string(p.Doc), timeText(p.Person.CreatedAt)}, vals...))
		} else if err := w.exec(`UPDATE people SET doc = ?, (`+personColumns+`) = (`+placeholders(len(vals))+`) WHERE id = ?`,
			append(append([]any{string(p.Doc)}, vals...), p.ID)...); err != nil {
			return fmt.Errorf("update person %s: %w", p.ID, err)
		}
		for _, k := range p.AddKeys {
			addKeys = append(addKeys, keyRow{k, p.ID})
		}
		for _, k := range p.DelKeys {
			delKeys = append(delKeys, keyRow{k, p.ID})
		}
		for _, t := range p.AddTerms {
			addTerms = append(addTerms, termRow{t, p.ID})
		}
		for _, t := range p.DelTerms {
			delTerms = append(delTerms, termRow{t, p.ID})
		}
	}
	if len(newPeople) > 0 {
		width := len(newPeople[0])
		if err := w.insertRows(`INSERT INTO people (id, doc, created_at, `+personColumns+`)`, "", width, 100, newPeople); err != nil {
			return fmt.Errorf("insert people: %w", err)
		}
	}
	if err := w.keys("person_keys", "person_id", addKeys, delKeys); err != nil {
		return err
	}
	if err := w.terms(addTerms, delTerms); err != nil {
		return err
	}

	// Counters.
	for name, n := range map[string]int{"people": plan.NewPeople, "companies": plan.NewCompanies} {
		if n == 0 {
			continue
		}
		if err := w.exec(`UPDATE counters SET n = n + ? WHERE name = ?`, n, name); err != nil {
			return fmt.Errorf("count %s: %w", name, err)
		}
	}
	return nil
}

// keys deletes and inserts key rows. Inserts go in key order, which keeps the
// b-tree writes of a batch on neighbouring pages.
func (w *writer) keys(table, idColumn string, add, del []keyRow) error {
	for _, k := range del {
		if err := w.exec(`DELETE FROM `+table+` WHERE key = ? AND `+idColumn+` = ?`, k.key, k.id); err != nil {
			return fmt.Errorf("delete %s: %w", table, err)
		}
	}
	slices.SortFunc(add, func(a, b keyRow) int {
		if c := strings.Compare(a.key, b.key); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	rows := make([][]any, len(add))
	for i, k := range add {
		rows[i] = []any{k.key, k.id}
	}
	if err := w.insertRows(`INSERT OR IGNORE INTO `+table+` (key, `+idColumn+`)`, "", 2, 500, rows); err != nil {
		return fmt.Errorf("insert %s: %w", table, err)
	}
	return nil
}

func (w *writer) terms(add, del []termRow) error {
	for _, t := range del {
		if err := w.exec(`DELETE FROM person_terms WHERE field = ? AND value = ? AND person_id = ?`, t.t.Field, t.t.Value, t.id); err != nil {
			return fmt.Errorf("delete person_terms: %w", err)
		}
	}
	slices.SortFunc(add, func(a, b termRow) int {
		if c := strings.Compare(a.t.Field, b.t.Field); c != 0 {
			return c
		}
		if c := strings.Compare(a.t.Value, b.t.Value); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	rows := make([][]any, len(add))
	for i, t := range add {
		rows[i] = []any{t.t.Field, t.t.Value, t.id}
	}
	if err := w.insertRows(`INSERT OR IGNORE INTO person_terms (field, value, person_id)`, "", 3, 300, rows); err != nil {
		return fmt.Errorf("insert person_terms: %w", err)
	}
	return nil
}
