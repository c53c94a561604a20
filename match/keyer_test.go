package match

import (
	"reflect"
	"testing"

	"github.com/enrichd/enrichd"
)

func TestKeyer_PersonIdentityKeys(t *testing.T) {
	k := NewKeyer()
	for _, tt := range []struct {
		name string
		p    enrichd.Person
		want []string
	}{
		{"LinkedInAndEmails", enrichd.Person{
			Social: enrichd.Social{LinkedInURL: "linkedin.com/in/JDoe/"},
			Contact: enrichd.Contact{
				BusinessEmails: []enrichd.Email{{Address: "Jane.Doe@Acme.com"}, {Address: "jd@acme.com", Status: enrichd.StatusGuessed}},
				PersonalEmails: []enrichd.Email{{Address: "jane.doe+x@gmail.com"}},
			},
		}, []string{"li:https://www.linkedin.com/in/jdoe", "em:jane.doe@acme.com", "em:janedoe@gmail.com"}},
		{"NameAtCompany", enrichd.Person{
			FirstName: "Jane", LastName: "Doe",
			Employment: []enrichd.Employment{{CompanyName: "Acme Inc.", CompanyDomain: "https://www.acme.com", Current: true}},
		}, []string{"nm:d=acme.com|jane|doe"}},
		{"NameAtCompanyID", enrichd.Person{
			FullName:   "Dr. José García",
			Employment: []enrichd.Employment{{CompanyID: "00000000000000aa", CompanyName: "Acme", Current: true}},
		}, []string{"nm:n=acme|jose|garcia"}},
		{"NameInCity", enrichd.Person{
			FirstName: "Jane", LastName: "Doe", Location: enrichd.Location{City: "Århus", Country: "Denmark"},
		}, []string{"nm:p=DK/arhus|jane|doe"}},
		{"NameOnly", enrichd.Person{FirstName: "Jane", LastName: "Doe"}, nil},
		{"Nothing", enrichd.Person{}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := k.PersonIdentityKeys(&tt.p); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("keys=%q, want %q", got, tt.want)
			}
		})
	}
}

func TestKeyer_PersonBlockingKeys(t *testing.T) {
	k := NewKeyer()
	p := &enrichd.Person{
		FirstName: "Bob", LastName: "Smith",
		Contact: enrichd.Contact{Phones: []enrichd.Phone{{Number: "+1 415 555 2671"}}},
		Employment: []enrichd.Employment{
			{CompanyName: "Acme", CompanyDomain: "acme.com", Current: true},
			{CompanyName: "Old Corp", End: "2019"},
			{CompanyName: "Older Corp", End: "2015"},
		},
	}
	want := []string{
		"cc:d=acme.com",
		"cph:d=acme.com|s530",
		"cfi:d=acme.com|b|smith",
		"cfi:n=old|b|smith",
		"ln:smith",
		"cfn:d=acme.com|bob",
		"fn:bob",
		"ph:+14155552671",
	}
	got := k.PersonBlockingKeys(p)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("keys=%q, want %q", got, want)
	}
	if len(got)+len(k.PersonIdentityKeys(p)) > 10 {
		t.Fatalf("too many keys per person: %d", len(got))
	}
}

func TestKeyer_CompanyKeys(t *testing.T) {
	k := NewKeyer()
	c := &enrichd.Company{Name: "The Acme Company", LegalName: "Acme, Inc.", Domain: "https://www.Acme.com/", OtherDomains: []string{"acme.co.uk", "gmail.com"}, LinkedInURL: "linkedin.com/company/acme/"}
	want := []string{"cd:acme.com", "cd:acme.co.uk", "cl:https://www.linkedin.com/company/acme", "cn:acme"}
	if got := k.CompanyIdentityKeys(c); !reflect.DeepEqual(got, want) {
		t.Fatalf("identity=%q, want %q", got, want)
	}
	if got, want := k.CompanyBlockingKeys(c), []string{"cnt:acme"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("blocking=%q, want %q", got, want)
	}
}
