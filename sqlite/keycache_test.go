package sqlite_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

// TestCompanyGeneration checks that company look-ups answered from the
// company-key cache equal fresh reads, and that a company written through
// another handle on the file (another process or node) is seen at once:
// changed, and new under a key that had no company before.
func TestCompanyGeneration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, other := MustOpenDB(t, path), MustOpenDB(t, path)
	keyer := storetest.NewKeyer()
	recs := storetest.NewGenerator(9).Batch(0, 30)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, companies := sqlite.NewPersonService(db), sqlite.NewCompanyService(db)
	var ckeys []string
	for _, r := range recs {
		if r.Company != nil {
			ckeys = append(ckeys, keyer.CompanyIdentityKeys(r.Company)...)
		}
	}
	const absent = "cd:not-yet-a-company.example"
	ckeys = append(ckeys[:min(len(ckeys), 12)], absent)
	pkey := keyer.PersonIdentityKeys(recs[0].Person)[0]

	// fresh reads the companies under ckeys past any cache: ids, then docs.
	fresh := func(limit int) map[string][]*enrichd.Company {
		t.Helper()
		ids, err := companies.FindCompanyIDsByKeys(ctx, ckeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]*enrichd.Company{}
		for k, list := range ids {
			if out[k], err = companies.FindCompaniesByIDs(ctx, list); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	check := func(when string) {
		t.Helper()
		for _, limit := range []int{1, 3, 1, 0, 3} { // repeated: from the cache
			want := fresh(limit)
			got, err := companies.FindCompaniesByKeys(ctx, ckeys, limit)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, limit %d: FindCompaniesByKeys %v, want %v", when, limit, got, want)
			}
			_, both, err := people.FindPeopleAndCompaniesByKeys(ctx, []string{pkey}, 1, ckeys, limit)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(both, want) {
				t.Fatalf("%s, limit %d: FindPeopleAndCompaniesByKeys companies %v, want %v", when, limit, both, want)
			}
		}
	}
	check("at first")

	// Another handle changes a company and adds one under the absent key.
	changed := *recs[0].Company
	changed.Industry = "Cache Invalidation"
	added := enrichd.Company{Name: "Not Yet Ltd", Domain: "not-yet-a-company.example"}
	p2 := *recs[1].Person
	p2.Employment = nil
	ing := sqlite.NewIngestService(other, keyer)
	if _, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: recs[0].Person, Company: &changed}, {Person: &p2, Company: &added}}); err != nil {
		t.Fatal(err)
	}
	check("after writes by another handle")
	got, err := companies.FindCompaniesByKeys(ctx, ckeys, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got[absent]) != 1 || got[absent][0].Name != "Not Yet Ltd" {
		t.Fatalf("the company added under %s: %v", absent, got[absent])
	}
	var industry string
	for _, k := range keyer.CompanyIdentityKeys(recs[0].Company) {
		for _, c := range got[k] {
			industry = c.Industry
		}
	}
	if industry != "Cache Invalidation" {
		t.Fatalf("the changed company's industry: %q", industry)
	}
}

// TestPersonGeneration is TestCompanyGeneration for the people under
// identity keys: answers from the person-key cache equal fresh reads, and a
// person written through another handle, or a key deleted by a statement
// that knows nothing of the cache, is seen at once.
func TestPersonGeneration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, other := MustOpenDB(t, path), MustOpenDB(t, path)
	keyer := storetest.NewKeyer()
	g := storetest.NewGenerator(11)
	recs := g.Batch(0, 30)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people := sqlite.NewPersonService(db)
	var pkeys []string
	for _, r := range recs[:10] {
		pkeys = append(pkeys, keyer.PersonIdentityKeys(r.Person)...)
	}
	later := g.Batch(30, 1)[0] // not in the store yet
	absent := keyer.PersonIdentityKeys(later.Person)[0]
	pkeys = append(pkeys[:min(len(pkeys), 16)], absent)
	var ckey string
	for _, r := range recs {
		if r.Company != nil {
			ckey = keyer.CompanyIdentityKeys(r.Company)[0]
			break
		}
	}

	fresh := func(limit int) map[string][]*enrichd.Person {
		t.Helper()
		ids, err := people.FindPersonIDsByKeys(ctx, pkeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]*enrichd.Person{}
		for k, list := range ids {
			if out[k], err = people.FindPeopleByIDs(ctx, list); err != nil {
				t.Fatal(err)
			}
		}
		return out
	}
	check := func(when string) map[string][]*enrichd.Person {
		t.Helper()
		var want map[string][]*enrichd.Person
		for _, limit := range []int{1, 3, 1, 0, 3} { // repeated: from the cache
			want = fresh(limit)
			got, err := people.FindPeopleByKeys(ctx, pkeys, limit)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s, limit %d: FindPeopleByKeys %v, want %v", when, limit, got, want)
			}
			both, _, err := people.FindPeopleAndCompaniesByKeys(ctx, pkeys, limit, []string{ckey}, 1)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(both, want) {
				t.Fatalf("%s, limit %d: FindPeopleAndCompaniesByKeys people %v, want %v", when, limit, both, want)
			}
		}
		return want
	}
	check("at first")

	// Another handle changes a person and adds one under the absent key.
	changed := *recs[0].Person
	changed.Title = "Chief Cache Invalidator"
	changed.UpdatedAt = changed.UpdatedAt.Add(time.Hour)
	if _, err := sqlite.NewIngestService(other, keyer).Ingest(ctx, []enrichd.IngestRecord{{Person: &changed, Company: recs[0].Company}, later}); err != nil {
		t.Fatal(err)
	}
	got := check("after writes by another handle")
	if len(got[absent]) != 1 {
		t.Fatalf("the person added under %s: %v", absent, got[absent])
	}
	k0 := keyer.PersonIdentityKeys(recs[0].Person)[0]
	if len(got[k0]) != 1 || got[k0][0].Title != "Chief Cache Invalidator" {
		t.Fatalf("the changed person under %s: %v", k0, got[k0])
	}

	// A key deleted past the services.
	if err := sqlite.ExecRaw(other, `DELETE FROM person_keys WHERE key = ?`, absent); err != nil {
		t.Fatal(err)
	}
	if got := check("after a raw delete"); len(got[absent]) != 0 {
		t.Fatalf("%s still finds %v", absent, got[absent])
	}
}
