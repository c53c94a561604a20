package enrichd_test

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/enrichd/enrichd"
)

var (
	mt0 = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	mt1 = mt0.Add(time.Hour)
	mt2 = mt1.Add(time.Hour)
)

func seen(source, id string, at time.Time) []enrichd.Provenance {
	return []enrichd.Provenance{{Source: source, RecordID: id, SeenAt: at}}
}

func TestMergePerson(t *testing.T) {
	// base returns the golden record, last changed at mt1.
	base := func() *enrichd.Person {
		return &enrichd.Person{
			ID: "0123456789abcdef", FirstName: "Ann", LastName: "Lee", Title: "Engineer",
			Skills:   []string{"Go"},
			Location: enrichd.Location{City: "Paris", Country: "France"},
			Employment: []enrichd.Employment{
				{CompanyID: "c1", CompanyName: "Acme", Title: "Engineer", Start: "2020", Current: true},
			},
			Contact: enrichd.Contact{
				BusinessEmails: []enrichd.Email{{Address: "ann@acme.com", Status: enrichd.StatusUnknown}},
				Phones:         []enrichd.Phone{{Number: "+33123456789"}},
			},
			Extra:     map[string]json.RawMessage{"x.a": json.RawMessage(`1`)},
			Sources:   seen("a.csv", "a.csv:2", mt1),
			CreatedAt: mt0,
			UpdatedAt: mt1,
		}
	}
	tests := []struct {
		name        string
		src         *enrichd.Person
		wantChanged bool
		check       func(t *testing.T, p *enrichd.Person)
	}{
		{
			name:        "SameRecordAgain",
			src:         base(),
			wantChanged: false,
			check: func(t *testing.T, p *enrichd.Person) {
				if !reflect.DeepEqual(p, base()) {
					t.Fatalf("changed: %+v", p)
				}
			},
		},
		{
			name:        "SameDataNewerSourceRecordSeenAgain",
			src:         &enrichd.Person{Title: "Engineer", Skills: []string{"GO"}, Sources: seen("a.csv", "a.csv:2", mt2)},
			wantChanged: false,
			check: func(t *testing.T, p *enrichd.Person) {
				if !p.UpdatedAt.Equal(mt1) || len(p.Sources) != 1 {
					t.Fatalf("UpdatedAt=%v sources=%v: want untouched", p.UpdatedAt, p.Sources)
				}
			},
		},
		{
			name:        "NewerWinsPerField",
			src:         &enrichd.Person{Title: "CTO", Headline: "Builder", Sources: seen("b.csv", "b.csv:2", mt2)},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if p.Title != "CTO" || p.Headline != "Builder" || p.FirstName != "Ann" {
					t.Fatalf("title=%q headline=%q first=%q", p.Title, p.Headline, p.FirstName)
				}
				if !p.UpdatedAt.Equal(mt2) || len(p.Sources) != 2 || !p.CreatedAt.Equal(mt0) || p.ID != "0123456789abcdef" {
					t.Fatalf("updated=%v sources=%d created=%v id=%q", p.UpdatedAt, len(p.Sources), p.CreatedAt, p.ID)
				}
			},
		},
		{
			name:        "OlderOnlyFillsBlanks",
			src:         &enrichd.Person{Title: "Intern", Headline: "Student", Sources: seen("old.csv", "old.csv:2", mt0)},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if p.Title != "Engineer" || p.Headline != "Student" {
					t.Fatalf("title=%q headline=%q", p.Title, p.Headline)
				}
				if !p.UpdatedAt.Equal(mt1) {
					t.Fatalf("UpdatedAt=%v, want %v (older data does not move it forward)", p.UpdatedAt, mt1)
				}
			},
		},
		{
			name: "NoTimeCountsAsNewer",
			src:  &enrichd.Person{Title: "CTO"},
			check: func(t *testing.T, p *enrichd.Person) {
				if p.Title != "CTO" || !p.UpdatedAt.After(mt2) {
					t.Fatalf("title=%q updated=%v", p.Title, p.UpdatedAt)
				}
			},
			wantChanged: true,
		},
		{
			name: "ListsUnionWithoutDuplicates",
			src: &enrichd.Person{
				Skills:      []string{"go", "Rust", "rust"},
				Departments: []string{"Engineering"},
				Contact: enrichd.Contact{
					BusinessEmails: []enrichd.Email{{Address: "ANN@acme.com", Status: enrichd.StatusVerified}, {Address: "a.lee@acme.com"}},
					PersonalEmails: []enrichd.Email{{Address: "ann@gmail.com"}},
					Phones:         []enrichd.Phone{{Number: "+33123456789", Type: "work"}, {Number: "+4512345678"}},
					Websites:       []string{"https://ann.dev"},
				},
				Sources: seen("b.csv", "b.csv:2", mt2),
			},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if want := []string{"Go", "Rust"}; !reflect.DeepEqual(p.Skills, want) {
					t.Fatalf("skills=%v, want %v", p.Skills, want)
				}
				be := p.Contact.BusinessEmails
				if len(be) != 2 || be[0].Address != "ann@acme.com" || be[0].Status != enrichd.StatusVerified {
					t.Fatalf("business emails=%+v", be)
				}
				if len(p.Contact.Phones) != 2 || p.Contact.Phones[0].Type != "work" {
					t.Fatalf("phones=%+v", p.Contact.Phones)
				}
				if len(p.Contact.PersonalEmails) != 1 || len(p.Contact.Websites) != 1 || len(p.Departments) != 1 {
					t.Fatalf("contact=%+v departments=%v", p.Contact, p.Departments)
				}
			},
		},
		{
			name: "SameJobMergesNewJobDemotesOldCurrent",
			src: &enrichd.Person{
				Employment: []enrichd.Employment{
					{CompanyName: "ACME", Title: "engineer", Start: "2020", End: "2024"},
					{CompanyName: "Globex", Title: "CTO", Start: "2024", Current: true},
				},
				Sources: seen("b.csv", "b.csv:2", mt2),
			},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if len(p.Employment) != 2 {
					t.Fatalf("employment=%+v, want 2 jobs", p.Employment)
				}
				acme, globex := p.Employment[0], p.Employment[1]
				if acme.CompanyID != "c1" || acme.End != "2024" || acme.Current {
					t.Fatalf("acme job=%+v, want ended and not current", acme)
				}
				if !globex.Current || p.CurrentJob().CompanyName != "Globex" {
					t.Fatalf("globex job=%+v, want current", globex)
				}
			},
		},
		{
			name: "JobWithBlankStartMatches",
			src: &enrichd.Person{
				Employment: []enrichd.Employment{{CompanyID: "c1", Title: "Engineer", Department: "R&D", Current: true}},
				Sources:    seen("b.csv", "b.csv:2", mt2),
			},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if len(p.Employment) != 1 || p.Employment[0].Department != "R&D" || p.Employment[0].Start != "2020" {
					t.Fatalf("employment=%+v", p.Employment)
				}
			},
		},
		{
			name: "OlderJobDoesNotDemote",
			src: &enrichd.Person{
				Employment: []enrichd.Employment{{CompanyName: "Initech", Title: "Intern", Current: true}},
				Sources:    seen("old.csv", "old.csv:9", mt0),
			},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if len(p.Employment) != 2 || !p.Employment[0].Current {
					t.Fatalf("employment=%+v: the newer Acme job must stay current", p.Employment)
				}
			},
		},
		{
			name:        "LocationDetailFillsAgreeingPlace",
			src:         &enrichd.Person{Location: enrichd.Location{City: "paris", CountryCode: "FR"}, Sources: seen("old.csv", "old.csv:2", mt0)},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if want := (enrichd.Location{City: "Paris", Country: "France", CountryCode: "FR"}); p.Location != want {
					t.Fatalf("location=%+v, want %+v", p.Location, want)
				}
			},
		},
		{
			name:        "NewerLocationReplacesAsAUnit",
			src:         &enrichd.Person{Location: enrichd.Location{City: "Berlin"}, Sources: seen("b.csv", "b.csv:2", mt2)},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if want := (enrichd.Location{City: "Berlin"}); p.Location != want {
					t.Fatalf("location=%+v, want %+v (no Berlin, France)", p.Location, want)
				}
			},
		},
		{
			name:        "OlderConflictingLocationIgnored",
			src:         &enrichd.Person{Location: enrichd.Location{City: "Berlin"}, Sources: seen("old.csv", "old.csv:2", mt0)},
			wantChanged: true, // its source is still recorded
			check: func(t *testing.T, p *enrichd.Person) {
				if p.Location.City != "Paris" {
					t.Fatalf("location=%+v", p.Location)
				}
			},
		},
		{
			name: "ExtraNewerWinsPerKey",
			src: &enrichd.Person{Extra: map[string]json.RawMessage{"x.a": json.RawMessage(`2`), "x.b": json.RawMessage(`true`)},
				Sources: seen("b.csv", "b.csv:2", mt2)},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if string(p.Extra["x.a"]) != "2" || string(p.Extra["x.b"]) != "true" {
					t.Fatalf("extra=%s", p.Extra)
				}
			},
		},
		{
			name:        "EducationCertificationsHonorsUnion",
			src:         &enrichd.Person{Education: []enrichd.Education{{School: "MIT", Degree: "BSc"}}, Certifications: []enrichd.Certification{{Name: "CKA"}}, Honors: []enrichd.Honor{{Title: "Best"}}},
			wantChanged: true,
			check: func(t *testing.T, p *enrichd.Person) {
				if len(p.Education) != 1 || len(p.Certifications) != 1 || len(p.Honors) != 1 {
					t.Fatalf("education=%v certifications=%v honors=%v", p.Education, p.Certifications, p.Honors)
				}
				again := &enrichd.Person{Education: []enrichd.Education{{School: "mit", Field: "CS"}}, Certifications: []enrichd.Certification{{Name: "cka", IssuingOrganization: "CNCF"}}}
				if !enrichd.MergePerson(p, again) || len(p.Education) != 1 || p.Education[0].Field != "CS" || p.Certifications[0].IssuingOrganization != "CNCF" {
					t.Fatalf("second merge: education=%+v certifications=%+v", p.Education, p.Certifications)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := base()
			if got := enrichd.MergePerson(dst, tt.src); got != tt.wantChanged {
				t.Fatalf("changed=%v, want %v", got, tt.wantChanged)
			}
			tt.check(t, dst)
		})
	}
}

// Ensure merging into an empty record copies the source and reports a change.
func TestMergePerson_IntoEmpty(t *testing.T) {
	var dst enrichd.Person
	src := &enrichd.Person{FullName: "Ann Lee", Skills: []string{"Go"}, Sources: seen("a", "1", mt1)}
	if !enrichd.MergePerson(&dst, src) {
		t.Fatal("want changed")
	}
	if dst.FullName != "Ann Lee" || len(dst.Skills) != 1 || !dst.UpdatedAt.Equal(mt1) {
		t.Fatalf("dst=%+v", dst)
	}
	if enrichd.MergePerson(&dst, src) {
		t.Fatal("second merge of the same record: want unchanged")
	}
}

func TestMergeCompany(t *testing.T) {
	base := func() *enrichd.Company {
		return &enrichd.Company{ID: "c1", Name: "Acme", Domain: "acme.com", Industry: "Software",
			Sources: seen("a.csv", "a.csv:2", mt1), CreatedAt: mt0, UpdatedAt: mt1}
	}
	tests := []struct {
		name        string
		src         *enrichd.Company
		wantChanged bool
		check       func(t *testing.T, c *enrichd.Company)
	}{
		{"SameAgain", base(), false, func(t *testing.T, c *enrichd.Company) {
			if !reflect.DeepEqual(c, base()) {
				t.Fatalf("changed: %+v", c)
			}
		}},
		{"AnotherRowOfTheSameFile", &enrichd.Company{Name: "Acme", Sources: seen("a.csv", "a.csv:3", mt2)}, false, func(t *testing.T, c *enrichd.Company) {
			if len(c.Sources) != 1 {
				t.Fatalf("sources=%+v: one entry per source", c.Sources)
			}
		}},
		{"NewerDomainBecomesPrimary", &enrichd.Company{Domain: "acme.io", EmployeeCount: 50, Sources: seen("b.csv", "b.csv:2", mt2)}, true, func(t *testing.T, c *enrichd.Company) {
			if c.Domain != "acme.io" || !reflect.DeepEqual(c.OtherDomains, []string{"acme.com"}) || c.EmployeeCount != 50 || len(c.Sources) != 2 {
				t.Fatalf("company=%+v", c)
			}
		}},
		{"OlderDomainJoinsOthers", &enrichd.Company{Domain: "acme.io", Industry: "Retail", Sources: seen("old", "", mt0)}, true, func(t *testing.T, c *enrichd.Company) {
			if c.Domain != "acme.com" || !reflect.DeepEqual(c.OtherDomains, []string{"acme.io"}) || c.Industry != "Software" {
				t.Fatalf("company=%+v", c)
			}
		}},
		{"OtherDomainsNeverRepeatPrimary", &enrichd.Company{OtherDomains: []string{"ACME.com", "acme.net"}}, true, func(t *testing.T, c *enrichd.Company) {
			if !reflect.DeepEqual(c.OtherDomains, []string{"acme.net"}) {
				t.Fatalf("others=%v", c.OtherDomains)
			}
		}},
		{"HQAndScalars", &enrichd.Company{HQ: enrichd.Location{City: "Austin"}, FoundedYear: 1999, EmailPattern: "{first}.{last}", Sources: seen("b", "", mt2)}, true, func(t *testing.T, c *enrichd.Company) {
			if c.HQ.City != "Austin" || c.FoundedYear != 1999 || c.EmailPattern != "{first}.{last}" || !c.UpdatedAt.Equal(mt2) {
				t.Fatalf("company=%+v", c)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := base()
			if got := enrichd.MergeCompany(dst, tt.src); got != tt.wantChanged {
				t.Fatalf("changed=%v, want %v", got, tt.wantChanged)
			}
			tt.check(t, dst)
		})
	}
}
