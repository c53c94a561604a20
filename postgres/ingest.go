package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
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
		results, err := s.ingest(ctx, batch)
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

func (s *IngestService) ingest(ctx context.Context, batch []enrichd.IngestRecord) ([]enrichd.IngestResult, error) {
	tx, err := s.db.pool.Begin(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background())
	plan, err := storeplan.Build(ctx, txReader{tx}, s.keyer, batch, storeplan.Options{Now: s.now()})
	if err != nil {
		return nil, err
	}
	if err := write(ctx, tx, plan); err != nil {
		return nil, err
	}
	if err := tx.Commit(ctx); err != nil {
		return nil, err
	}
	return plan.Results, nil
}

// txReader implements storeplan.Reader inside the ingest transaction.
type txReader struct{ tx pgx.Tx }

func (r txReader) PersonIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT key, person_id FROM person_keys WHERE key = ANY($1)`, keys)
}

func (r txReader) CompanyIDsByKeys(ctx context.Context, keys []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT key, company_id FROM company_keys WHERE key = ANY($1)`, keys)
}

func (r txReader) PeopleDocs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return findDocs(ctx, r.tx, `SELECT id, doc FROM people WHERE id = ANY($1)`, ids)
}

func (r txReader) CompanyDocs(ctx context.Context, ids []string) (map[string][]byte, error) {
	return findDocs(ctx, r.tx, `SELECT id, doc FROM companies WHERE id = ANY($1)`, ids)
}

func (r txReader) PersonKeysOf(ctx context.Context, ids []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT person_id, key FROM person_keys WHERE person_id = ANY($1)`, ids)
}

func (r txReader) CompanyKeysOf(ctx context.Context, ids []string) (map[string][]string, error) {
	return pairs(ctx, r.tx, `SELECT company_id, key FROM company_keys WHERE company_id = ANY($1)`, ids)
}

func (r txReader) ExistingPeople(ctx context.Context, ids []string) (map[string]bool, error) {
	return existing(ctx, r.tx, `SELECT id, '' FROM people WHERE id = ANY($1)`, ids)
}

func (r txReader) ExistingCompanies(ctx context.Context, ids []string) (map[string]bool, error) {
	return existing(ctx, r.tx, `SELECT id, '' FROM companies WHERE id = ANY($1)`, ids)
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

// write applies plan with array-parameter statements (one per kind of row)
// and per-row updates, all sent in one pipelined batch.
func write(ctx context.Context, tx pgx.Tx, plan *storeplan.Plan) error {
	b := &pgx.Batch{}

	// Companies.
	var nc struct {
		id, doc, name, domain, linkedin []string
		created, updated                []time.Time
	}
	var ckeys, cdel keyCols
	for _, c := range plan.Companies {
		co := c.Company
		if c.New {
			nc.id, nc.doc, nc.name = append(nc.id, c.ID), append(nc.doc, string(c.Doc)), append(nc.name, co.Name)
			nc.domain, nc.linkedin = append(nc.domain, co.Domain), append(nc.linkedin, co.LinkedInURL)
			nc.created, nc.updated = append(nc.created, co.CreatedAt), append(nc.updated, co.UpdatedAt)
		} else {
			b.Queue(`UPDATE companies SET doc = $1, name = $2, domain = $3, linkedin_url = $4, updated_at = $5 WHERE id = $6`,
				string(c.Doc), co.Name, co.Domain, co.LinkedInURL, co.UpdatedAt, c.ID)
		}
		ckeys.add(c.AddKeys, c.ID)
		cdel.add(c.DelKeys, c.ID)
	}
	if len(nc.id) > 0 {
		b.Queue(`INSERT INTO companies (id, doc, name, domain, linkedin_url, created_at, updated_at)
			SELECT * FROM unnest($1::text[], $2::jsonb[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[])`,
			nc.id, nc.doc, nc.name, nc.domain, nc.linkedin, nc.created, nc.updated)
	}
	cdel.queueDelete(b, "company_keys", "company_id")
	ckeys.queueInsert(b, "company_keys", "company_id")

	// People.
	var np personCols
	var pkeys, pdel keyCols
	var tadd, tdel termCols
	for _, p := range plan.People {
		r := &p.Row
		if p.New {
			np.add(p)
		} else {
			b.Queue(`UPDATE people SET doc = $1, full_name = $2, first_name = $3, last_name = $4, title = $5, headline = $6,
				seniority = $7, city = $8, state = $9, country = $10, country_code = $11, location_raw = $12, company_id = $13,
				company_name = $14, company_domain = $15, linkedin_url = $16, current_start = $17, connections = $18,
				followers = $19, updated_at_unix = $20, updated_at = $21 WHERE id = $22`,
				string(p.Doc), r.FullName, r.FirstName, r.LastName, r.Title, r.Headline, r.Seniority, r.City, r.State,
				r.Country, r.CountryCode, r.LocationRaw, r.CompanyID, r.CompanyName, r.CompanyDomain, r.LinkedInURL,
				r.CurrentStart, r.Connections, r.Followers, r.UpdatedAt, p.Person.UpdatedAt, p.ID)
		}
		pkeys.add(p.AddKeys, p.ID)
		pdel.add(p.DelKeys, p.ID)
		tadd.add(p.AddTerms, p.ID)
		tdel.add(p.DelTerms, p.ID)
	}
	if len(np.id) > 0 {
		b.Queue(`INSERT INTO people (id, doc, created_at, updated_at, full_name, first_name, last_name, title, headline,
			seniority, city, state, country, country_code, location_raw, company_id, company_name, company_domain,
			linkedin_url, current_start, connections, followers, updated_at_unix)
			SELECT * FROM unnest($1::text[], $2::jsonb[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[],
				$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],
				$15::text[], $16::text[], $17::text[], $18::text[], $19::text[], $20::text[], $21::int8[], $22::int8[],
				$23::int8[])`,
			np.id, np.doc, np.created, np.updated, np.fullName, np.firstName, np.lastName, np.title, np.headline,
			np.seniority, np.city, np.state, np.country, np.countryCode, np.locationRaw, np.companyID, np.companyName,
			np.companyDomain, np.linkedIn, np.currentStart, np.connections, np.followers, np.updatedUnix)
	}
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
	keys, ids := make([]string, len(idx)), make([]string, len(idx))
	for i, j := range idx {
		keys[i], ids[i] = k.key[j], k.id[j]
	}
	b.Queue(`INSERT INTO `+table+` (key, `+idColumn+`) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`, keys, ids)
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

// personCols holds new people column-wise, for one unnest INSERT.
type personCols struct {
	id, doc                                                                  []string
	created, updated                                                         []time.Time
	fullName, firstName, lastName, title, headline, seniority, city, state   []string
	country, countryCode, locationRaw, companyID, companyName, companyDomain []string
	linkedIn, currentStart                                                   []string
	connections, followers, updatedUnix                                      []int64
}

func (c *personCols) add(p *storeplan.PersonWrite) {
	r := &p.Row
	c.id, c.doc = append(c.id, p.ID), append(c.doc, string(p.Doc))
	c.created, c.updated = append(c.created, p.Person.CreatedAt), append(c.updated, p.Person.UpdatedAt)
	c.fullName, c.firstName, c.lastName = append(c.fullName, r.FullName), append(c.firstName, r.FirstName), append(c.lastName, r.LastName)
	c.title, c.headline, c.seniority = append(c.title, r.Title), append(c.headline, r.Headline), append(c.seniority, r.Seniority)
	c.city, c.state, c.country = append(c.city, r.City), append(c.state, r.State), append(c.country, r.Country)
	c.countryCode, c.locationRaw = append(c.countryCode, r.CountryCode), append(c.locationRaw, r.LocationRaw)
	c.companyID, c.companyName = append(c.companyID, r.CompanyID), append(c.companyName, r.CompanyName)
	c.companyDomain, c.linkedIn = append(c.companyDomain, r.CompanyDomain), append(c.linkedIn, r.LinkedInURL)
	c.currentStart = append(c.currentStart, r.CurrentStart)
	c.connections, c.followers = append(c.connections, int64(r.Connections)), append(c.followers, int64(r.Followers))
	c.updatedUnix = append(c.updatedUnix, r.UpdatedAt)
}
