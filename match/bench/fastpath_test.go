package bench

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/eval"
	"github.com/enrichd/enrichd/sqlite"
)

// plainPeople hides the store's FindPeopleByKeys, so the engine takes the
// two-call path.
type plainPeople struct{ enrichd.PersonService }

// plainCompanies hides the store's FindCompaniesByKeys likewise.
type plainCompanies struct{ enrichd.CompanyService }

// TestIdentifierFastPath checks that matches through the store's one-call
// look-ups (FindPeopleByKeys, FindCompaniesByKeys) answer exactly as the
// two-call paths.
func TestIdentifierFastPath(t *testing.T) {
	ctx := context.Background()
	d := eval.Generate(eval.Config{Seed: 7, People: 1000, Companies: 50, Queries: 100,
		Kinds: []string{eval.KindLinkedIn, eval.KindEmail, eval.KindNameDomain, eval.KindNameCompany}})
	db := sqlite.NewDB(filepath.Join(t.TempDir(), "m.db"))
	if err := db.Open(ctx, false); err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keyer := match.NewKeyer()
	var recs []enrichd.IngestRecord
	for i, p := range d.People {
		c := *d.Employers[i]
		recs = append(recs, enrichd.IngestRecord{Person: p, Company: &c})
	}
	if _, err := sqlite.NewIngestService(db, keyer).Ingest(ctx, recs); err != nil {
		t.Fatal(err)
	}
	people, companies := sqlite.NewPersonService(db), sqlite.NewCompanyService(db)
	fast := match.NewEngine(people, companies, keyer)
	slow := match.NewEngine(plainPeople{people}, plainCompanies{companies}, keyer)
	for _, q := range d.Queries {
		req := q.Req
		req.TopK, req.Explain = 3, true
		a, err := fast.MatchPerson(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := slow.MatchPerson(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if (a.Company == nil) != (b.Company == nil) || a.Company != nil && (a.Company.ID != b.Company.ID || a.CompanyConfidence != b.CompanyConfidence) {
			t.Fatalf("%s %+v: company %v %.3f, want %v %.3f", q.Kind, req, a.Company, a.CompanyConfidence, b.Company, b.CompanyConfidence)
		}
		if len(a.Candidates) != len(b.Candidates) {
			t.Fatalf("%s %+v: %d candidates, want %d", q.Kind, req, len(a.Candidates), len(b.Candidates))
		}
		for i := range a.Candidates {
			ca, cb := a.Candidates[i], b.Candidates[i]
			if ca.Person.ID != cb.Person.ID || ca.Confidence != cb.Confidence || ca.MatchedOn != cb.MatchedOn {
				t.Fatalf("%s %+v: candidate %d = %s %.4f, want %s %.4f", q.Kind, req, i, ca.Person.ID, ca.Confidence, cb.Person.ID, cb.Confidence)
			}
		}
	}
}
