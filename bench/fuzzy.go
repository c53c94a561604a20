package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/eval"
	"github.com/enrichd/enrichd/sqlite"
)

// fuzzyKinds are the labelled query kinds of match/eval that look a person up
// by name and company (identifier look-ups are not fuzzy), including people
// who are not in the store.
var fuzzyKinds = []string{
	eval.KindNameDomain, eval.KindNameCompany, eval.KindNameCompanyLI, eval.KindNickname, eval.KindTypo,
	eval.KindAccents, eval.KindLegalSuffix, eval.KindMiddleInitial, eval.KindReversed, eval.KindSameLastName,
	eval.KindNamesake, eval.KindPastEmployer, eval.KindAbsent, eval.KindAbsentNamesake, eval.KindAbsentColleague,
}

// fuzzyStats are one system's answers over the labelled queries.
type fuzzyStats struct {
	Kinds   map[string]*eval.KindStats
	Elapsed time.Duration // for all queries, one client, sequential
	Queries int
}

func (s *fuzzyStats) rps() float64 { return float64(s.Queries) / s.Elapsed.Seconds() }

// totals returns precision (right / answered) and recall (right / queries
// whose person is in the store) over every kind, and the false-match rate on
// absent people.
func (s *fuzzyStats) totals() (precision, recall, absentFalse float64) {
	var right, wrong, present, absent, absentWrong int
	for kind, k := range s.Kinds {
		right += k.Right
		wrong += k.Wrong
		if eval.IsAbsentKind(kind) {
			absent += k.Queries
			absentWrong += k.Wrong
		} else {
			present += k.Queries
		}
	}
	precision, recall = 1, 1
	if right+wrong > 0 {
		precision = float64(right) / float64(right+wrong)
	}
	if present > 0 {
		recall = float64(right) / float64(present)
	}
	if absent > 0 {
		absentFalse = float64(absentWrong) / float64(absent)
	}
	return precision, recall, absentFalse
}

// fuzzyReport compares enrichd's engine with pg_trgm on the same queries.
type fuzzyReport struct {
	People, Companies int
	BuildSecs         float64     // ingest into SQLite through IngestService
	Cached            bool        `json:"-"`
	IDs               []string    // store id of each generated person (in the cache file only)
	PGLoadSecs        float64     `json:"-"` // COPY and index build for pg_trgm
	Enrichd, PG       *fuzzyStats `json:"-"`
	PGNote            string      `json:"-"`
}

// opens reports whether the SQLite store at path opens (and migrates) with
// this build; a store cached by an older build may not.
func opens(ctx context.Context, path string) bool {
	db := sqlite.NewDB(path)
	if err := db.Open(ctx, false); err != nil {
		return false
	}
	return db.Close() == nil
}

// buildFuzzyStore ingests the generated people into a new SQLite store at
// path and returns each person's id and the seconds it took.
func buildFuzzyStore(ctx context.Context, path string, d *eval.Dataset, keyer *match.Keyer) ([]string, float64, error) {
	db := sqlite.NewDB(path)
	if err := db.Open(ctx, false); err != nil {
		return nil, 0, err
	}
	defer db.Close()
	ingest := sqlite.NewIngestService(db, keyer)
	ids := make([]string, len(d.People))
	start := time.Now()
	const batch = 5000
	for i := 0; i < len(d.People); i += batch {
		var recs []enrichd.IngestRecord
		for j := i; j < min(i+batch, len(d.People)); j++ {
			c := *d.Employers[j] // the store links and may modify its copy
			recs = append(recs, enrichd.IngestRecord{Person: d.People[j], Company: &c})
		}
		out, err := ingest.Ingest(ctx, recs)
		if err != nil {
			return nil, 0, fmt.Errorf("ingest: %w", err)
		}
		for j, r := range out {
			ids[i+j] = r.PersonID
		}
	}
	return ids, time.Since(start).Seconds(), nil
}

// answer scores one answer the way match/eval does.
func (s *fuzzyStats) answer(q eval.Query, got, want string) {
	k := s.Kinds[q.Kind]
	if k == nil {
		k = &eval.KindStats{Kind: q.Kind}
		s.Kinds[q.Kind] = k
	}
	k.Queries++
	s.Queries++
	switch {
	case got != "" && got == want:
		k.Right++
	case got != "":
		k.Wrong++
	case want != "":
		k.Missed++
	}
}

func (e *env) runFuzzy(ctx context.Context, people, perKind int, pgURL string) (_ *fuzzyReport, err error) {
	rep := &fuzzyReport{People: people, Companies: max(people/50, 50)}
	d := eval.Generate(eval.Config{Seed: 7, People: people, Companies: rep.Companies, Queries: perKind, Kinds: fuzzyKinds})

	// enrichd: a SQLite store built through the real IngestService, cached
	// with the ids it gave each generated person.
	keyer := match.NewKeyer()
	path := filepath.Join(e.Cache, fmt.Sprintf("fuzzy-%d.db", people))
	var ids []string
	if b, err := os.ReadFile(path + ".json"); err == nil && json.Unmarshal(b, &rep) == nil && len(rep.IDs) == len(d.People) && opens(ctx, path) {
		ids = rep.IDs
		rep.Cached = true
	} else {
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			os.Remove(p)
		}
		e.Logf("fuzzy: ingesting %d generated people into SQLite (cached for later runs)", people)
		if ids, rep.BuildSecs, err = buildFuzzyStore(ctx, path, d, keyer); err != nil {
			return nil, err
		}
		rep.IDs = ids
		b, _ := json.Marshal(rep)
		if err := os.WriteFile(path+".json", b, 0o644); err != nil {
			return nil, err
		}
	}
	rep.IDs = nil
	// NOTE: as for the other comparisons, the store file is read once first:
	// pg_trgm's table was just loaded, so it starts from warm buffers too.
	if err := warmFile(path, path+"-wal"); err != nil {
		return nil, err
	}
	db := sqlite.NewDB(path)
	if err := db.Open(ctx, true); err != nil {
		return nil, err
	}
	defer db.Close()
	engine := match.NewEngine(sqlite.NewPersonService(db), sqlite.NewCompanyService(db), keyer)
	// Warm the engine's caches (name frequencies) as a running server has them.
	for _, q := range d.Queries[:min(len(d.Queries), 200)] {
		engine.MatchPerson(ctx, q.Req)
	}
	rep.Enrichd = &fuzzyStats{Kinds: map[string]*eval.KindStats{}}
	start := time.Now()
	for _, q := range d.Queries {
		m, err := engine.MatchPerson(ctx, q.Req)
		if err != nil {
			return nil, fmt.Errorf("match %+v: %w", q.Req, err)
		}
		got := ""
		if b := m.Best(); b != nil && b.Confidence >= match.DefaultMinConfidence {
			got = b.Person.ID
		}
		rep.Enrichd.answer(q, got, wantID(ids, q))
	}
	rep.Enrichd.Elapsed = time.Since(start)

	if pgURL == "" {
		rep.PGNote = "skipped: no PostgreSQL URL (--postgres)"
		return rep, nil
	}
	if rep.PG, rep.PGLoadSecs, err = e.pgTrgm(ctx, pgURL, d, ids); err != nil {
		return nil, fmt.Errorf("pg_trgm: %w", err)
	}
	return rep, nil
}

func wantID(ids []string, q eval.Query) string {
	if q.Want < 0 {
		return ""
	}
	return ids[q.Want]
}

// canon is the normalisation a user would apply by hand to a domain or URL
// before comparing it: scheme, www., trailing slash and case.
func canon(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	return strings.TrimSuffix(strings.TrimPrefix(s, "www."), "/")
}

// pgTrgm is the obvious alternative: one row per person with the current
// company, GIN trigram indexes on the person's and the company's names, and
// for each query the most similar name (pg_trgm's % operator, similarity ≥
// 0.3) within the company — the company found by exact domain or company
// LinkedIn URL when given, else by trigram similarity of its name.
func (e *env) pgTrgm(ctx context.Context, base string, d *eval.Dataset, ids []string) (*fuzzyStats, float64, error) {
	u, drop, err := pgSchema(ctx, base, "bench_trgm")
	if err != nil {
		return nil, 0, err
	}
	defer drop()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	defer conn.Close(ctx)
	e.Logf("fuzzy: loading the same %d people into PostgreSQL with trigram indexes", len(d.People))
	start := time.Now()
	if _, err := conn.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public"); err != nil {
		return nil, 0, fmt.Errorf("pg_trgm: %w", err)
	}
	if _, err := conn.Exec(ctx, `CREATE TABLE people (id TEXT PRIMARY KEY, full_name TEXT NOT NULL,
		company_name TEXT, company_domain TEXT, company_linkedin TEXT)`); err != nil {
		return nil, 0, err
	}
	rows := make([][]any, len(d.People))
	for i, p := range d.People {
		name := p.FullName
		if name == "" {
			name = strings.TrimSpace(p.FirstName + " " + p.LastName)
		}
		c := d.Employers[i]
		rows[i] = []any{ids[i], name, c.Name, canon(c.Domain), canon(c.LinkedInURL)}
	}
	if _, err := conn.CopyFrom(ctx, pgx.Identifier{"people"}, []string{"id", "full_name", "company_name", "company_domain", "company_linkedin"},
		pgx.CopyFromRows(rows)); err != nil {
		return nil, 0, err
	}
	for _, stmt := range []string{
		"CREATE INDEX ON people USING gin (full_name public.gin_trgm_ops)",
		"CREATE INDEX ON people USING gin (company_name public.gin_trgm_ops)",
		"CREATE INDEX ON people (company_domain)",
		"CREATE INDEX ON people (company_linkedin)",
		"ANALYZE people",
	} {
		if _, err := conn.Exec(ctx, stmt); err != nil {
			return nil, 0, fmt.Errorf("%s: %w", stmt, err)
		}
	}
	loadSecs := time.Since(start).Seconds()

	const pick = ` ORDER BY similarity(full_name, $1) DESC LIMIT 1`
	byDomain := `SELECT id FROM people WHERE company_domain = $2 AND full_name % $1` + pick
	byLinkedIn := `SELECT id FROM people WHERE company_linkedin = $2 AND full_name % $1` + pick
	byName := `SELECT id FROM people WHERE company_name % $2 AND full_name % $1` + pick
	st := &fuzzyStats{Kinds: map[string]*eval.KindStats{}}
	start = time.Now()
	for _, q := range d.Queries {
		name := q.Req.FullName
		if name == "" {
			name = strings.TrimSpace(q.Req.FirstName + " " + q.Req.LastName)
		}
		sql, arg := byName, q.Req.CompanyName
		switch {
		case q.Req.CompanyDomain != "":
			sql, arg = byDomain, canon(q.Req.CompanyDomain)
		case q.Req.CompanyLinkedInURL != "":
			sql, arg = byLinkedIn, canon(q.Req.CompanyLinkedInURL)
		}
		var got string
		if err := conn.QueryRow(ctx, sql, name, arg).Scan(&got); err != nil && err != pgx.ErrNoRows {
			return nil, 0, fmt.Errorf("query %q %q: %w", name, arg, err)
		}
		st.answer(q, got, wantID(ids, q))
	}
	st.Elapsed = time.Since(start)
	return st, loadSecs, nil
}
