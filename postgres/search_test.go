package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/postgres"
	"github.com/enrichd/enrichd/searchql"
	"github.com/enrichd/enrichd/storetest"
)

func TestPersonService_SearchPeople(t *testing.T) {
	storetest.RunSearch(t, func(tb testing.TB) storetest.SearchStores {
		db := MustOpenDB(tb)
		return storetest.SearchStores{
			Ingest: postgres.NewIngestService(db, match.NewKeyer()),
			People: postgres.NewPersonService(db),
		}
	})
}

// Ensure every documented filter field is served by an index: with
// sequential scans disabled, an equality condition on it never plans one on
// people or person_terms (the planner falls back to a sequential scan only
// when no index can serve).
func TestSearchPeople_EveryFieldIndexed(t *testing.T) {
	db := MustOpenDB(t)
	ctx := context.Background()
	// Realistic statistics, so that the planner weighs the indexes as it would
	// in production rather than on empty tables.
	var batch []enrichd.IngestRecord
	for i := 0; i < 2000; i++ {
		batch = append(batch, enrichd.IngestRecord{Person: &enrichd.Person{
			FullName: fmt.Sprintf("Person %d Name%d", i, i%97), Title: fmt.Sprintf("Title %d", i%211),
			Headline: fmt.Sprintf("Headline %d", i), Location: enrichd.Location{Raw: fmt.Sprintf("City%d, Country%d", i%53, i%7)},
			Skills:    []string{fmt.Sprintf("skill%d", i%301), fmt.Sprintf("skill%d", i%17)},
			Social:    enrichd.Social{LinkedInURL: fmt.Sprintf("https://www.linkedin.com/in/p%d", i)},
			Education: []enrichd.Education{{School: fmt.Sprintf("School %d", i%89)}},
			Employment: []enrichd.Employment{
				{CompanyName: fmt.Sprintf("Company %d", i%113), Title: fmt.Sprintf("Title %d", i%211), Current: true},
				{CompanyName: fmt.Sprintf("Old %d", i%71), Title: fmt.Sprintf("Past %d", i%59)},
			},
		}})
	}
	if _, err := postgres.NewIngestService(db, match.NewKeyer()).Ingest(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool().Exec(ctx, "ANALYZE"); err != nil {
		t.Fatal(err)
	}
	conn, err := db.Pool().Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SET enable_seqscan = off"); err != nil {
		t.Fatal(err)
	}
	for _, field := range searchql.Fields() {
		for _, op := range []string{"=", "(.)"} {
			var q *searchql.Query
			for _, v := range []any{"xyz", float64(5), "2020", "executive"} {
				if q, err = searchql.Compile(enrichd.PersonSearch{Filter: &enrichd.Filter{Field: field, Type: op, Value: v}}); err == nil {
					break
				}
			}
			if q == nil {
				continue // the operator does not apply to this field
			}
			stmt, args := q.SelectSQL("p.doc")
			rows, err := conn.Query(ctx, "EXPLAIN "+searchql.Rebind(stmt), args...)
			if err != nil {
				t.Fatal(err)
			}
			var plan []string
			for rows.Next() {
				var line string
				if err := rows.Scan(&line); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, line)
			}
			rows.Close()
			for _, line := range plan {
				if strings.Contains(line, "Seq Scan on people") || strings.Contains(line, "Seq Scan on person_terms") {
					t.Errorf("%s %s: plan scans:\n%s", field, op, strings.Join(plan, "\n"))
				}
			}
		}
	}
}
