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
	db, other, plain := MustOpenDB(t, path), MustOpenDB(t, path), MustOpenDB(t, path)
	sqlite.DisableKeyCaches(plain)
	sqlite.SetKeyCacheLease(db, 0) // every write of another handle seen at once
	keyer := storetest.NewKeyer()
	recs := storetest.NewGenerator(9).Batch(0, 30)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, companies := sqlite.NewPersonService(db), sqlite.NewCompanyService(db)
	plainCompanies := sqlite.NewCompanyService(plain)
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
		ids, err := plainCompanies.FindCompanyIDsByKeys(ctx, ckeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]*enrichd.Company{}
		for k, list := range ids {
			if out[k], err = plainCompanies.FindCompaniesByIDs(ctx, list); err != nil {
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
	db, other, plain := MustOpenDB(t, path), MustOpenDB(t, path), MustOpenDB(t, path)
	sqlite.DisableKeyCaches(plain)
	sqlite.SetKeyCacheLease(db, 0) // every write of another handle seen at once
	keyer := storetest.NewKeyer()
	g := storetest.NewGenerator(11)
	recs := g.Batch(0, 30)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, plainPeople := sqlite.NewPersonService(db), sqlite.NewPersonService(plain)
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
		ids, err := plainPeople.FindPersonIDsByKeys(ctx, pkeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]*enrichd.Person{}
		for k, list := range ids {
			if out[k], err = plainPeople.FindPeopleByIDs(ctx, list); err != nil {
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

// TestIDLookupGeneration checks that look-ups by id, answered from the key
// caches at an unchanged generation, equal fresh reads, and see at once a
// person or company changed through another handle, one deleted past the
// services, and one not there before.
func TestIDLookupGeneration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, other, plain := MustOpenDB(t, path), MustOpenDB(t, path), MustOpenDB(t, path)
	sqlite.DisableKeyCaches(plain)
	sqlite.SetKeyCacheLease(db, 0) // every write of another handle seen at once
	keyer := storetest.NewKeyer()
	g := storetest.NewGenerator(13)
	recs := g.Batch(0, 20)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, companies := sqlite.NewPersonService(db), sqlite.NewCompanyService(db)
	plainPeople, plainCompanies := sqlite.NewPersonService(plain), sqlite.NewCompanyService(plain)
	var pids, cids []string
	for _, r := range recs {
		ids, err := plainPeople.FindPersonIDsByKeys(ctx, keyer.PersonIdentityKeys(r.Person)[:1], 1)
		if err != nil {
			t.Fatal(err)
		}
		for _, list := range ids {
			pids = append(pids, list...)
		}
		if r.Company != nil {
			ids, err := plainCompanies.FindCompanyIDsByKeys(ctx, keyer.CompanyIdentityKeys(r.Company)[:1], 1)
			if err != nil {
				t.Fatal(err)
			}
			for _, list := range ids {
				cids = append(cids, list...)
			}
		}
	}
	if len(pids) < 10 || len(cids) < 2 {
		t.Fatalf("found %d people and %d companies", len(pids), len(cids))
	}
	pids = append(pids[:10], "0123456789abcdef") // and one that is not there
	check := func(when string) {
		t.Helper()
		for range 3 { // repeated: from the cache
			want, err := plainPeople.FindPeopleByIDs(ctx, pids)
			if err != nil {
				t.Fatal(err)
			}
			got, err := people.FindPeopleByIDs(ctx, pids)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%s: FindPeopleByIDs %v, want %v", when, got, want)
			}
			for _, id := range pids {
				want, werr := plainPeople.FindPersonByID(ctx, id)
				got, gerr := people.FindPersonByID(ctx, id)
				if !reflect.DeepEqual(got, want) || enrichd.ErrorCode(gerr) != enrichd.ErrorCode(werr) {
					t.Fatalf("%s: FindPersonByID(%s) %v, %v; want %v, %v", when, id, got, gerr, want, werr)
				}
			}
			for _, id := range cids {
				want, werr := plainCompanies.FindCompanyByID(ctx, id)
				got, gerr := companies.FindCompanyByID(ctx, id)
				if !reflect.DeepEqual(got, want) || enrichd.ErrorCode(gerr) != enrichd.ErrorCode(werr) {
					t.Fatalf("%s: FindCompanyByID(%s) %v, %v; want %v, %v", when, id, got, gerr, want, werr)
				}
			}
		}
	}
	check("at first")

	changed := *recs[0].Person
	changed.Title = "Chief Cache Invalidator"
	changed.UpdatedAt = changed.UpdatedAt.Add(time.Hour)
	company := *recs[0].Company
	company.Industry = "Cache Invalidation"
	if _, err := sqlite.NewIngestService(other, keyer).Ingest(ctx, []enrichd.IngestRecord{{Person: &changed, Company: &company}}); err != nil {
		t.Fatal(err)
	}
	check("after writes by another handle")
	if p, err := people.FindPersonByID(ctx, pids[0]); err != nil || p.Title != "Chief Cache Invalidator" {
		t.Fatalf("the changed person: %v, %v", p, err)
	}

	if err := sqlite.ExecRaw(other, `DELETE FROM people WHERE id = ?`, pids[1]); err != nil {
		t.Fatal(err)
	}
	check("after a raw delete")
	if _, err := people.FindPersonByID(ctx, pids[1]); enrichd.ErrorCode(err) != enrichd.ENOTFOUND {
		t.Fatalf("the deleted person: %v", err)
	}
}

// TestBlockingIDsGeneration checks that the ids under blocking keys
// (FindPersonIDsByKeys, a name match's candidates) answered from the key
// cache equal fresh reads, per-key limits included, and that a person
// written through another handle under a key already cached is seen at once.
func TestBlockingIDsGeneration(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, other, plain := MustOpenDB(t, path), MustOpenDB(t, path), MustOpenDB(t, path)
	sqlite.DisableKeyCaches(plain)
	sqlite.SetKeyCacheLease(db, 0) // every write of another handle seen at once
	keyer := storetest.NewKeyer()
	g := storetest.NewGenerator(17)
	recs := g.Batch(0, 40)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, plainPeople := sqlite.NewPersonService(db), sqlite.NewPersonService(plain)
	var keys []string
	for _, r := range recs[:8] {
		keys = append(keys, keyer.PersonBlockingKeys(r.Person)...)
	}
	keys = append(keys, "ln:nobody-has-this-name")
	check := func(when string) map[string][]string {
		t.Helper()
		var last map[string][]string
		for _, limit := range []int{1, 2, 50, 2, 50} { // smaller and larger limits, repeated: from the cache
			for range 2 {
				want, err := plainPeople.FindPersonIDsByKeys(ctx, keys, limit)
				if err != nil {
					t.Fatal(err)
				}
				got, err := people.FindPersonIDsByKeys(ctx, keys, limit)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("%s, limit %d: FindPersonIDsByKeys %v, want %v", when, limit, got, want)
				}
				last = got
			}
		}
		return last
	}
	before := check("at first")
	key := keyer.PersonBlockingKeys(recs[0].Person)[0]
	if len(before[key]) == 0 {
		t.Fatalf("no ids under %q", key)
	}

	// A new person with the first one's last name, written by another handle.
	namesake := g.Batch(1000, 1)[0]
	namesake.Person.LastName = recs[0].Person.LastName
	namesake.Person.FullName = namesake.Person.FirstName + " " + namesake.Person.LastName
	if _, err := sqlite.NewIngestService(other, keyer).Ingest(ctx, []enrichd.IngestRecord{namesake}); err != nil {
		t.Fatal(err)
	}
	after := check("after a write by another handle")
	if len(after[key]) != len(before[key])+1 {
		t.Fatalf("under %q: %d ids after the namesake, %d before", key, len(after[key]), len(before[key]))
	}
}

// TestKeyCacheLease checks the lease on a generation read: within it a
// write through another handle is not yet seen, a write through the same
// handle ends it at once, and once it runs out the other handle's write is
// seen.
func TestKeyCacheLease(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "s.db")
	db, other := MustOpenDB(t, path), MustOpenDB(t, path)
	keyer := storetest.NewKeyer()
	g := storetest.NewGenerator(19)
	recs := g.Batch(0, 4)
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people := sqlite.NewPersonService(db)
	key := keyer.PersonIdentityKeys(recs[0].Person)[0]
	title := func() string {
		t.Helper()
		got, err := people.FindPeopleByKeys(ctx, []string{key}, 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(got[key]) != 1 {
			t.Fatalf("under %s: %v", key, got[key])
		}
		return got[key][0].Title
	}
	retitle := func(db *sqlite.DB, rec enrichd.IngestRecord, title string, n int) {
		t.Helper()
		p := *rec.Person
		p.Title = title
		p.UpdatedAt = p.UpdatedAt.Add(time.Duration(n) * time.Hour)
		if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, []enrichd.IngestRecord{{Person: &p, Company: rec.Company}}); err != nil {
			t.Fatal(err)
		}
	}

	sqlite.SetKeyCacheLease(db, time.Hour)
	before := title()
	title() // the generation is now confirmed
	retitle(other, recs[0], "Lease Holder", 1)
	if got := title(); got != before {
		t.Fatalf("within the lease, another handle's write is seen: %q", got)
	}
	// A write through db itself, even of another person, ends the lease.
	retitle(db, recs[1], "Lease Breaker", 2)
	if got := title(); got != "Lease Holder" {
		t.Fatalf("after a write through the same handle: %q, want %q", got, "Lease Holder")
	}

	sqlite.SetKeyCacheLease(db, 50*time.Millisecond)
	title()
	retitle(other, recs[0], "Lease Expired", 3)
	time.Sleep(60 * time.Millisecond)
	if got := title(); got != "Lease Expired" {
		t.Fatalf("after the lease: %q, want %q", got, "Lease Expired")
	}
}
