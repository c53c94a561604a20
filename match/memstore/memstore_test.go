package memstore_test

import (
	"context"
	"testing"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
	"github.com/enrichd/enrichd/match/memstore"
)

func TestStore(t *testing.T) {
	ctx := context.Background()
	s := memstore.New(match.NewKeyer())
	p1 := &enrichd.Person{FirstName: "Jane", LastName: "Doe", Social: enrichd.Social{LinkedInURL: "linkedin.com/in/jdoe"},
		Contact:    enrichd.Contact{BusinessEmails: []enrichd.Email{{Address: "jane@acme.com"}}},
		Employment: []enrichd.Employment{{CompanyName: "Acme", Current: true}}}
	id1, err := s.Add(p1, &enrichd.Company{Name: "Acme Inc", Domain: "acme.com"})
	if err != nil {
		t.Fatal(err)
	}
	// Ensure a record sharing an identity key replaces the person, and the old keys go.
	p2 := &enrichd.Person{FirstName: "Jane", LastName: "Roe", Social: enrichd.Social{LinkedInURL: "https://www.linkedin.com/in/jdoe/"}}
	id2, err := s.Add(p2, nil)
	if err != nil || id2 != id1 {
		t.Fatalf("id2=%q err=%v, want merge into %q", id2, err, id1)
	}
	if n, _ := s.CountPeople(ctx); n != 1 {
		t.Fatalf("people=%d, want 1", n)
	}
	hits, _ := s.FindPersonIDsByKeys(ctx, []string{"ln:doe", "ln:roe"}, 10)
	if len(hits["ln:doe"]) != 0 || len(hits["ln:roe"]) != 1 {
		t.Fatalf("hits=%v, want only ln:roe", hits)
	}
	if got, _ := s.FindEmailsAtDomain(ctx, "acme.com", 10); len(got) != 0 {
		t.Fatalf("emails of a replaced record still indexed: %v", got)
	}
	// Ensure the employer was linked and companies merge by domain.
	if p1.Employment[0].CompanyID == "" || p1.Employment[0].CompanyDomain != "acme.com" {
		t.Fatalf("employment not linked: %+v", p1.Employment[0])
	}
	if id := s.AddCompany(&enrichd.Company{Name: "ACME", Domain: "https://acme.com"}); id != p1.Employment[0].CompanyID {
		t.Fatalf("company %q not merged into %q", id, p1.Employment[0].CompanyID)
	}
	if _, err := s.Add(&enrichd.Person{FirstName: "No", LastName: "Ids"}, nil); enrichd.ErrorCode(err) != enrichd.EINVALID {
		t.Fatalf("err=%v, want EINVALID", err)
	}
	if _, err := s.FindPersonByID(ctx, "nope"); enrichd.ErrorCode(err) != enrichd.ENOTFOUND {
		t.Fatalf("err=%v, want ENOTFOUND", err)
	}
	if _, err := s.SearchPeople(ctx, enrichd.PersonSearch{}); enrichd.ErrorCode(err) != enrichd.ENOTIMPLEMENTED {
		t.Fatalf("err=%v, want ENOTIMPLEMENTED", err)
	}
}
