package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/storeplan"
	"github.com/jackc/pgx/v5"
)

var _ enrichd.IngestService = (*IngestService)(nil)

// IngestService writes records into PostgreSQL, merging each into its golden
// record (see storeplan.Build for the rules).
//
// NOTE: several nodes may ingest at once. New records get ids derived from
// their first identity key, so two transactions creating the same person
// collide on the primary key instead of creating two; the loser rolls back and
// runs its batch again, and then merges. Deadlocks are retried the same way.
type IngestService struct {
	db    *DB
	keyer enrichd.Keyer
	now   func() time.Time
	// bulk is set between BeginBulk and EndBulk.
	bulk atomic.Bool
	// noCopy makes every batch write without COPY, as a retried one does
	// (tests).
	noCopy bool
}

// NewIngestService returns an IngestService over db that indexes records with keyer.
func NewIngestService(db *DB, keyer enrichd.Keyer) *IngestService {
	return &IngestService{db: db, keyer: keyer, now: time.Now}
}

// maxAttempts bounds how often a batch is run again after a conflict.
const maxAttempts = 8

// Ingest saves batch in one transaction and reports what it did per record.
// Returns EINVALID, writing nothing, if a record has no usable identifier;
// the error's Fields are keyed by the record's index in batch.
func (s *IngestService) Ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	for attempt := 1; ; attempt++ {
		// A retried batch writes with INSERT … ON CONFLICT instead of COPY:
		// whatever made the first attempt fail (a concurrent insert of the
		// same row) then cannot fail it again.
		results, err := s.ingest(ctx, batch, attempt == 1 && !s.noCopy)
		if (errors.Is(err, storeplan.ErrRetry) || retryable(err)) && attempt < maxAttempts {
			// Back off a little so that the winner commits first.
			select {
			case <-ctx.Done():
				return nil, ctx.Err()
			case <-time.After(time.Duration(attempt*attempt) * 5 * time.Millisecond):
			}
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("ingest: %w", FormatError(err))
		}
		return results, nil
	}
}

func (s *IngestService) ingest(ctx context.Context, batch []enrichd.IngestRecord, useCopy bool) ([]enrichd.IngestResult, error) {
	tx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background())
	bulk := s.bulk.Load()
	if bulk {
		// NOTE: a bulk load's batches commit without waiting for the WAL
		// flush. A server crash may lose the last few of them, which a
		// re-run of the import writes again; EndBulk commits synchronously,
		// which flushes every batch before it, so a finished import is as
		// durable as any. A kill of this process loses nothing committed.
		if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off`); err != nil {
			return nil, err
		}
	}
	// During a bulk load person_keys has no person_id index (BeginBulk).
	plan, err := storeplan.Build(ctx, &txReader{tx: tx}, s.keyer, batch, storeplan.Options{Now: s.now(), OldKeysFromDoc: bulk})
	if err != nil {
		return nil, err
	}
	if err := write(ctx, tx, plan, useCopy); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return plan.Results, nil
}

// txReader implements storeplan.Reader inside the ingest transaction.
type txReader struct {
	tx pgx.Tx
	// companyTaken tells, for each company key of the batch, whether the id
	// a new company under that key would get (storeplan.NewID(key, 0)) is
	// taken. NOTE: storeplan checks each new company's id on its own; for
	// an import's first batches that is thousands of round trips, which
	// this answers from one query. A company created meanwhile by another
	// transaction still makes the insert fail on the primary key, and the
	// batch is retried, as when it is created right after the check.
	companyTaken map[string]bool
}

func (r *txReader) PersonIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT key, person_id FROM person_keys WHERE key = ANY($1)`, keys)
}

func (r *txReader) CompanyIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error) {
	out, err := pairs(ctx, r.tx, `SELECT key, company_id FROM company_keys WHERE key = ANY($1)`, keys)
	if err != nil || len(keys) < 2 || r.companyTaken != nil {
		return out, err // one key: storeplan checking a collision
	}
	ids := make([]string, len(keys))
	for i, k := range keys {
		ids[i] = storeplan.NewID(k, 0)
	}
	taken, err := existing(ctx, r.tx, `SELECT id, '' FROM companies WHERE id = ANY($1)`, ids)
	if err != nil {
		return nil, err
	}
	r.companyTaken = make(map[string]bool, len(ids))
	for _, id := range ids {
		r.companyTaken[id] = taken[id]
	}
	return out, nil
}

func (r *txReader) PeopleDocs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return findDocs(ctx, r.tx, `SELECT id, doc FROM people WHERE id = ANY($1)`, ids)
}

func (r *txReader) CompanyDocs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return findDocs(ctx, r.tx, `SELECT id, doc FROM companies WHERE id = ANY($1)`, ids)
}

func (r *txReader) PersonKeysOf(ctx context.Context, ids []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT person_id, key FROM person_keys WHERE person_id = ANY($1)`, ids)
}

func (r *txReader) CompanyKeysOf(ctx context.Context, ids []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT company_id, key FROM company_keys WHERE company_id = ANY($1)`, ids)
}

func (r *txReader) ExistingPeople(ctx context.Context, ids []string) (map[string]bool, error) {
	return existing(ctx, r.tx, `SELECT id, '' FROM people WHERE id = ANY($1)`, ids)
}

func (r *txReader) ExistingCompanies(ctx context.Context, ids []string) (map[string]bool, error) {
	if out, ok := r.knownCompanies(ids); ok {
		return out, nil
	}
	return existing(ctx, r.tx, `SELECT id, '' FROM companies WHERE id = ANY($1)`, ids)
}

// knownCompanies answers ExistingCompanies from companyTaken, if it holds
// every id.
func (r *txReader) knownCompanies(ids []string) (map[string]bool, bool) {
	out := make(map[string]bool)
	for _, id := range ids {
		taken, ok := r.companyTaken[id]
		if !ok {
			return nil, false
		}
		if taken {
			out[id] = true
		}
	}
	return out, true
}

func existing(ctx context.Context, q querier, query string, ids []string) (map[string]bool, error) {
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

// write applies plan. Rows of records new in this batch (people, companies,
// their keys and terms) go in with binary COPY when useCopy, else with
// array-parameter INSERTs; updates, deletes and keys added to stored records
// are sent in one pipelined batch after them.
//
// NOTE: COPY is several times cheaper per row than INSERT … SELECT unnest
// (no parameter arrays to parse, no ON CONFLICT probe) but cannot skip a row
// that exists. Fresh rows never do: their ids were just checked free inside
// this transaction, and keys and terms are only ever written together with
// their record. A concurrent batch creating the same record makes the COPY
// fail on the primary key; Ingest then runs the batch again without COPY,
// and it merges.
func write(ctx context.Context, tx pgx.Tx, plan *storeplan.Plan, useCopy bool) error {
	b := &pgx.Batch{}

	// Companies.
	var nc []*storeplan.CompanyWrite
	var ckeys, cdel, cfresh keyCols
	for _, c := range plan.Companies {
		co := c.Company
		if c.New {
			nc = append(nc, c)
			cfresh.add(c.AddKeys, c.ID)
			continue
		}
		b.Queue(`UPDATE companies SET doc = $1, name = $2, domain = $3, linkedin_url = $4, updated_at = $5 WHERE id = $6`,
			string(c.Doc), co.Name, co.Domain, co.LinkedInURL, co.UpdatedAt, c.ID)
		ckeys.add(c.AddKeys, c.ID)
		cdel.add(c.DelKeys, c.ID)
	}

	// People.
	var np []*storeplan.PersonWrite
	var pkeys, pdel, pfresh keyCols
	var tadd, tdel, tfresh termCols
	for _, p := range plan.People {
		r := &p.Row
		if p.New {
			np = append(np, p)
			pfresh.add(p.AddKeys, p.ID)
			tfresh.add(p.AddTerms, p.ID)
			continue
		}
		b.Queue(`UPDATE people SET doc = $1, full_name = $2, first_name = $3, last_name = $4, title = $5, headline = $6,
			seniority = $7, city = $8, state = $9, country = $10, country_code = $11, location_raw = $12, company_id = $13,
			company_name = $14, company_domain = $15, linkedin_url = $16, current_start = $17, connections = $18,
			followers = $19, updated_at_unix = $20, updated_at = $21 WHERE id = $22`,
			string(p.Doc), r.FullName, r.FirstName, r.LastName, r.Title, r.Headline, r.Seniority, r.City, r.State,
			r.Country, r.CountryCode, r.LocationRaw, r.CompanyID, r.CompanyName, r.CompanyDomain, r.LinkedInURL,
			r.CurrentStart, r.Connections, r.Followers, r.UpdatedAt, p.Person.UpdatedAt, p.ID)
		pkeys.add(p.AddKeys, p.ID)
		pdel.add(p.DelKeys, p.ID)
		tadd.add(p.AddTerms, p.ID)
		tdel.add(p.DelTerms, p.ID)
	}

	if useCopy {
		if err := copyCompanies(ctx, tx, nc); err != nil {
			return err
		}
		if err := cfresh.copy(ctx, tx, "company_keys", "company_id"); err != nil {
			return err
		}
		if err := copyPeople(ctx, tx, np); err != nil {
			return err
		}
		if err := pfresh.copy(ctx, tx, "person_keys", "person_id"); err != nil {
			return err
		}
		if err := tfresh.copy(ctx, tx); err != nil {
			return err
		}
	} else {
		queueInsertCompanies(b, nc)
		ckeys.key, ckeys.id = append(ckeys.key, cfresh.key...), append(ckeys.id, cfresh.id...)
		queueInsertPeople(b, np)
		pkeys.key, pkeys.id = append(pkeys.key, pfresh.key...), append(pkeys.id, pfresh.id...)
		tadd.field, tadd.value, tadd.id = append(tadd.field, tfresh.field...), append(tadd.value, tfresh.value...), append(tadd.id, tfresh.id...)
	}

	cdel.queueDelete(b, "company_keys", "company_id")
	ckeys.queueInsert(b, "company_keys", "company_id")
	pdel.queueDelete(b, "person_keys", "person_id")
	pkeys.queueInsert(b, "person_keys", "person_id")
	if len(tdel.id) > 0 {
		b.Queue(`DELETE FROM person_terms WHERE (field, value, person_id) IN
			(SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))`, tdel.field, tdel.value, tdel.id)
	}
	if len(tadd.id) > 0 {
		tadd.sort()
		b.Queue(`INSERT INTO person_terms (field, value, person_id)
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING`, tadd.field, tadd.value, tadd.id)
	}

	// Counters last: their row lock is then held for the shortest time.
	for _, c := range []struct {
		name string
		n    int
	}{{"companies", plan.NewCompanies}, {"people", plan.NewPeople}} {
		if c.n > 0 {
			b.Queue(`UPDATE counters SET n = n + $1 WHERE name = $2`, c.n, c.name)
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return tx.SendBatch(ctx, b).Close()
}

var companyColumns = []string{"id", "doc", "name", "domain", "linkedin_url", "created_at", "updated_at"}

func companyValues(c *storeplan.CompanyWrite, row []any) {
	co := c.Company
	row[0], row[1], row[2], row[3], row[4], row[5], row[6] = c.ID, json.RawMessage(c.Doc), co.Name, co.Domain, co.LinkedInURL, co.CreatedAt, co.UpdatedAt
}

func copyCompanies(ctx context.Context, tx pgx.Tx, cs []*storeplan.CompanyWrite) error {
	if len(cs) == 0 {
		return nil
	}
	src := &copySource{n: len(cs), row: make([]any, len(companyColumns)), fill: func(i int, row []any) { companyValues(cs[i], row) }}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"companies"}, companyColumns, src); err != nil {
		return fmt.Errorf("copy companies: %w", err)
	}
	return nil
}

func queueInsertCompanies(b *pgx.Batch, cs []*storeplan.CompanyWrite) {
	if len(cs) == 0 {
		return
	}
	cols := make([][]any, len(companyColumns))
	row := make([]any, len(companyColumns))
	for _, c := range cs {
		companyValues(c, row)
		for j, v := range row {
			cols[j] = append(cols[j], v)
		}
	}
	b.Queue(`INSERT INTO companies (id, doc, name, domain, linkedin_url, created_at, updated_at)
		SELECT * FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])`,
		typed[string](cols[0]), typed[json.RawMessage](cols[1]), typed[string](cols[2]), typed[string](cols[3]),
		typed[string](cols[4]), typed[time.Time](cols[5]), typed[time.Time](cols[6]))
}

var personColumns = []string{"id", "doc", "created_at", "updated_at", "full_name", "first_name", "last_name", "title", "headline",
	"seniority", "city", "state", "country", "country_code", "location_raw", "company_id", "company_name", "company_domain",
	"linkedin_url", "current_start", "connections", "followers", "updated_at_unix"}

func personValues(p *storeplan.PersonWrite, row []any) {
	r := &p.Row
	row[0], row[1], row[2], row[3] = p.ID, json.RawMessage(p.Doc), p.Person.CreatedAt, p.Person.UpdatedAt
	row[4], row[5], row[6], row[7], row[8] = r.FullName, r.FirstName, r.LastName, r.Title, r.Headline
	row[9], row[10], row[11], row[12], row[13], row[14] = r.Seniority, r.City, r.State, r.Country, r.CountryCode, r.LocationRaw
	row[15], row[16], row[17], row[18], row[19] = r.CompanyID, r.CompanyName, r.CompanyDomain, r.LinkedInURL, r.CurrentStart
	row[20], row[21], row[22] = int64(r.Connections), int64(r.Followers), r.UpdatedAt
}

func copyPeople(ctx context.Context, tx pgx.Tx, ps []*storeplan.PersonWrite) error {
	if len(ps) == 0 {
		return nil
	}
	// In id order, so that the primary key's b-tree is filled page by page.
	ps = slices.Clone(ps)
	slices.SortFunc(ps, func(a, b *storeplan.PersonWrite) int { return strings.Compare(a.ID, b.ID) })
	src := &copySource{n: len(ps), row: make([]any, len(personColumns)), fill: func(i int, row []any) { personValues(ps[i], row) }}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"people"}, personColumns, src); err != nil {
		return fmt.Errorf("copy people: %w", err)
	}
	return nil
}

func queueInsertPeople(b *pgx.Batch, ps []*storeplan.PersonWrite) {
	if len(ps) == 0 {
		return
	}
	cols := make([][]any, len(personColumns))
	row := make([]any, len(personColumns))
	for _, p := range ps {
		personValues(p, row)
		for j, v := range row {
			cols[j] = append(cols[j], v)
		}
	}
	args := make([]any, len(cols))
	for j, c := range cols {
		switch j {
		case 1:
			args[j] = typed[json.RawMessage](c)
		case 2, 3:
			args[j] = typed[time.Time](c)
		case 20, 21, 22:
			args[j] = typed[int64](c)
		default:
			args[j] = typed[string](c)
		}
	}
	b.Queue(`INSERT INTO people (`+strings.Join(personColumns, ", ")+`)
		SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
			$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
			$15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::int8[], $22::int8[],
			$23::int8[])`, args...)
}

// typed converts a column of values to a typed slice, as pgx encodes arrays.
func typed[T any](col []any) []T {
	out := make([]T, len(col))
	for i, v := range col {
		out[i] = v.(T)
	}
	return out
}

// copySource feeds CopyFrom n rows through fill, reusing one row slice:
// pgx encodes each row before it asks for the next.
type copySource struct {
	n, i int
	row  []any
	fill func(i int, row []any)
}

func (c *copySource) Next() bool { c.i++; return c.i <= c.n }

func (c *copySource) Values() ([]any, error) {
	c.fill(c.i-1, c.row)
	return c.row, nil
}

func (c *copySource) Err() error { return nil }

type keyCols struct{ key, id []string }

func (k *keyCols) add(keys []string, id string) {
	for _, key := range keys {
		k.key, k.id = append(k.key, key), append(k.id, id)
	}
}

func (k *keyCols) queueInsert(b *pgx.Batch, table, idColumn string) {
	if len(k.key) == 0 {
		return
	}
	// Sorted rows take row locks in one order, which keeps concurrent
	// batches from deadlocking on shared keys.
	keys, ids := k.sorted()
	b.Queue(`INSERT INTO `+table+` (key, `+idColumn+`) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, keys, ids)
}

// copy writes the rows with COPY, in key order (see queueInsert).
func (k *keyCols) copy(ctx context.Context, tx pgx.Tx, table, idColumn string) error {
	if len(k.key) == 0 {
		return nil
	}
	keys, ids := k.sorted()
	src := &copySource{n: len(keys), row: make([]any, 2), fill: func(i int, row []any) { row[0], row[1] = keys[i], ids[i] }}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{table}, []string{"key", idColumn}, src); err != nil {
		return fmt.Errorf("copy %s: %w", table, err)
	}
	return nil
}

// sorted returns the rows ordered by key, then id.
func (k *keyCols) sorted() (keys, ids []string) {
	idx := make([]int, len(k.key))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := strings.Compare(k.key[a], k.key[b]); c != 0 {
			return c
		}
		return strings.Compare(k.id[a], k.id[b])
	})
	keys, ids = make([]string, len(idx)), make([]string, len(idx))
	for i, j := range idx {
		keys[i], ids[i] = k.key[j], k.id[j]
	}
	return keys, ids
}

func (k *keyCols) queueDelete(b *pgx.Batch, table, idColumn string) {
	if len(k.key) == 0 {
		return
	}
	b.Queue(`DELETE FROM `+table+` WHERE (key, `+idColumn+`) IN (SELECT * FROM unnest($1::text[], $2::text[]))`, k.key, k.id)
}

type termCols struct{ field, value, id []string }

func (t *termCols) add(terms []enrichd.SearchTerm, id string) {
	for _, term := range terms {
		t.field, t.value, t.id = append(t.field, term.Field), append(t.value, term.Value), append(t.id, id)
	}
}

func (t *termCols) sort() {
	idx := make([]int, len(t.id))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		if c := strings.Compare(t.field[a], t.field[b]); c != 0 {
			return c
		}
		if c := strings.Compare(t.value[a], t.value[b]); c != 0 {
			return c
		}
		return strings.Compare(t.id[a], t.id[b])
	})
	f, v, id := make([]string, len(idx)), make([]string, len(idx)), make([]string, len(idx))
	for i, j := range idx {
		f[i], v[i], id[i] = t.field[j], t.value[j], t.id[j]
	}
	t.field, t.value, t.id = f, v, id
}

// copy writes the rows with COPY, sorted (see sort).
func (t *termCols) copy(ctx context.Context, tx pgx.Tx) error {
	if len(t.id) == 0 {
		return nil
	}
	t.sort()
	src := &copySource{n: len(t.id), row: make([]any, 3), fill: func(i int, row []any) { row[0], row[1], row[2] = t.field[i], t.value[i], t.id[i] }}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"person_terms"}, []string{"field", "value", "person_id"}, src); err != nil {
		return fmt.Errorf("copy person_terms: %w", err)
	}
	return nil
}
