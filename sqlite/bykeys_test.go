package sqlite_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/sqlite"
	"github.com/enrichd/enrichd/storetest"
)

// TestFindByKeys checks that the one-statement look-ups return what the
// two-step ones (ids by key, then documents by id) return, and see updates.
func TestFindByKeys(t *testing.T) {
	ctx := context.Background()
	db := MustOpenDB(t, filepath.Join(t.TempDir(), "s.db"))
	keyer := storetest.NewKeyer()
	ing := sqlite.NewIngestService(db, keyer)
	g := storetest.NewGenerator(5)
	recs := g.Batch(0, 40)
	if _, err := ing.Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, companies := sqlite.NewPersonService(db), sqlite.NewCompanyService(db)
	var keys, ckeys []string
	for _, r := range recs {
		keys = append(keys, keyer.PersonIdentityKeys(r.Person)...)
		keys = append(keys, keyer.PersonBlockingKeys(r.Person)...)
		if r.Company != nil {
			ckeys = append(ckeys, keyer.CompanyIdentityKeys(r.Company)...)
		}
	}
	keys = append(keys, "no-such-key")
	for _, limit := range []int{1, 3, 0} {
		got, err := people.FindPeopleByKeys(ctx, keys, limit)
		if err != nil {
			t.Fatal(err)
		}
		ids, err := people.FindPersonIDsByKeys(ctx, keys, limit)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(ids) || len(got) == 0 {
			t.Fatalf("limit %d: %d keys with people, want %d", limit, len(got), len(ids))
		}
		for k, list := range ids {
			want, err := people.FindPeopleByIDs(ctx, list)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[k], want) {
				t.Fatalf("limit %d, key %s: got %d people, want %d", limit, k, len(got[k]), len(want))
			}
		}
		cgot, err := companies.FindCompaniesByKeys(ctx, ckeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		cids, err := companies.FindCompanyIDsByKeys(ctx, ckeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		for k, list := range cids {
			want, err := companies.FindCompaniesByIDs(ctx, list)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(cgot[k], want) {
				t.Fatalf("limit %d, company key %s: got %v, want %v", limit, k, cgot[k], want)
			}
		}
		// The combined look-up is the two separate ones in one statement.
		bp, bc, err := people.FindPeopleAndCompaniesByKeys(ctx, keys, limit, ckeys, limit)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(bp, got) || !reflect.DeepEqual(bc, cgot) {
			t.Fatalf("limit %d: FindPeopleAndCompaniesByKeys differs from the separate look-ups", limit)
		}
		if bp, bc, err := people.FindPeopleAndCompaniesByKeys(ctx, nil, limit, ckeys, limit); err != nil || len(bp) != 0 || !reflect.DeepEqual(bc, cgot) {
			t.Fatalf("limit %d, companies only: %d people, companies equal %v, err %v", limit, len(bp), reflect.DeepEqual(bc, cgot), err)
		}
	}

	// An update is seen at once (the decoded-document cache never serves a
	// stale person), and a returned person is the caller's to modify.
	key := keyer.PersonIdentityKeys(recs[0].Person)[0]
	before, err := people.FindPeopleByKeys(ctx, []string{key}, 1)
	if err != nil {
		t.Fatal(err)
	}
	before[key][0].Title = "modified by the caller"
	upd := *recs[0].Person
	upd.Title = "Chief Cache Officer"
	if _, err := ing.Ingest(ctx, []enrichd.IngestRecord{{Person: &upd}}); err != nil {
		t.Fatal(err)
	}
	after, err := people.FindPeopleByKeys(ctx, []string{key}, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := after[key][0].Title; got != "Chief Cache Officer" {
		t.Fatalf("after update: title %q", got)
	}
	byID, err := people.FindPersonByID(ctx, after[key][0].ID)
	if err != nil || byID.Title != "Chief Cache Officer" {
		t.Fatalf("FindPersonByID after update: %v, %v", byID, err)
	}
}
