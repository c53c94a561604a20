package sqlite_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/searchql"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

func TestPersonService_SearchPeople(t *testing.T) {
	storetest.RunSearch(t, func(tb testing.TB) storetest.SearchStores {
		tb.Helper()
		db := sqlite.NewDB(filepath.Join(tb.TempDir(), "search.db"))
		if err := db.Open(context.Background(), false); err != nil {
			tb.Fatal(err)
		}
		tb.Cleanup(func() { db.Close() })
		return storetest.SearchStores{
			Ingest: sqlite.NewIngestService(db, match.NewKeyer()),
			People: sqlite.NewPersonService(db),
		}
	})
}

// FuzzSearchPeople ensures that every filter searchql accepts is valid SQL on
// SQLite: a search either answers or is EINVALID, never an internal error.
func FuzzSearchPeople(f *testing.F) {
	for _, s := range []string{
		`{"op":"and","conditions":[{"field":"basic_profile.name","type":"=","value":"a"},{"field":"skills.professional_network_skills","type":"has_all","value":["go","sql"]}]}`,
		`{"field":"experience.employment_details.current.title","type":"(.)","value":"VP|Director|Head of"}`,
		`{"field":"basic_profile.headline","type":"[.]","value":"head of sales"}`,
		`{"field":"metadata.updated_at","type":"in","value":["2024-01-01",5]}`,
		`{"field":"experience.employment_details.current.company_id","type":"not_in","value":[1,"00000000000000aa"]}`,
		`{"field":"basic_profile.location.country","type":"in","value":["US","france"]}`,
		`{"field":"experience.employment_details.start_date","type":"=<","value":"2020-02"}`,
	} {
		f.Add(s, `[{"field":"professional_network.connections","order":"desc"}]`)
	}
	db := sqlite.NewDB(filepath.Join(f.TempDir(), "fuzz.db"))
	if err := db.Open(context.Background(), false); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { db.Close() })
	people := sqlite.NewPersonService(db)
	f.Fuzz(func(t *testing.T, filter, sorts string) {
		var s enrichd.PersonSearch
		if json.Unmarshal([]byte(filter), &s.Filter) != nil || json.Unmarshal([]byte(sorts), &s.Sorts) != nil {
			return
		}
		s.TotalCount = true
		if _, err := people.SearchPeople(context.Background(), s); err != nil && enrichd.ErrorCode(err) != enrichd.EINVALID {
			t.Fatalf("filter %s sorts %s: %v", filter, sorts, err)
		}
	})
}

// Ensure every documented filter field is served by an index: an equality
// condition on it never makes SQLite scan people or person_terms.
func TestSearchPeople_EveryFieldIndexed(t *testing.T) {
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "plan.db"))
	if err := db.Open(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, field := range searchql.Fields() {
		t.Run(field, func(t *testing.T) {
			var q *searchql.Query
			for _, v := range []any{"x", float64(5), "2020", "executive"} {
				var err error
				if q, err = searchql.Compile(enrichd.PersonSearch{Filter: &enrichd.Filter{Field: field, Type: "=", Value: v}}); err == nil {
					break
				}
			}
			if q == nil {
				t.Fatal("no value compiles")
			}
			stmt, args := q.SelectSQL("p.doc")
			rows, err := db.SQL().Query("EXPLAIN QUERY PLAN "+stmt, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			for _, step := range plan {
				if strings.HasPrefix(step, "SCAN people") || strings.HasPrefix(step, "SCAN person_terms") {
					t.Fatalf("plan scans: %q", plan)
				}
			}
		})
	}
}
