package storeplan

import (
	"regexp"
	"slices"
	"testing"

	"github.com/enrichd/enrichd"
)

func TestNewID(t *testing.T) {
	hex := regexp.MustCompile(`^[0-9a-f]{16}$`)
	a, b, c := NewID("li:x", 0), NewID("li:x", 0), NewID("li:x", 1)
	if !hex.MatchString(a) || a != b || a == c || a == NewID("li:y", 0) {
		t.Fatalf("ids %q %q %q: want 16 hex, stable per key, new per attempt", a, b, c)
	}
}

func TestEmailDomainKey(t *testing.T) {
	for _, tt := range []struct{ in, key, dom string }{
		{"ACME.com", "~edom:acme.com", "acme.com"},
		{"ann@Acme.COM", "~edom:acme.com", "acme.com"},
		{" www.acme.com. ", "~edom:acme.com", "acme.com"},
		{"localhost", "", ""},
		{"not a domain", "", ""},
		{"", "", ""},
	} {
		if key, dom := EmailDomainKey(tt.in); key != tt.key || dom != tt.dom {
			t.Errorf("EmailDomainKey(%q) = %q, %q; want %q, %q", tt.in, key, dom, tt.key, tt.dom)
		}
	}
}

func TestDiffKeys(t *testing.T) {
	add, del := diffKeys([]string{"a", "b", RecordKeyPrefix + "f|1"}, []string{"b", "c"})
	if !slices.Equal(add, []string{"c"}) || !slices.Equal(del, []string{"a"}) {
		t.Fatalf("add=%v del=%v: want [c] [a], provenance keys kept", add, del)
	}
	ta, td := diffTerms([]enrichd.SearchTerm{{Field: "skill", Value: "go"}, {Field: "skill", Value: "sql"}}, []enrichd.SearchTerm{{Field: "skill", Value: "go"}, {Field: "title", Value: "cto"}})
	if len(ta) != 1 || ta[0].Value != "cto" || len(td) != 1 || td[0].Value != "sql" {
		t.Fatalf("terms add=%v del=%v", ta, td)
	}
}

func TestLinkEmployment(t *testing.T) {
	c := &enrichd.Company{ID: "c1", Name: "Acme", Domain: "acme.com"}
	for _, tt := range []struct {
		name string
		jobs []enrichd.Employment
		want []enrichd.Employment
	}{
		{"NoJobGetsCurrentOne", nil, []enrichd.Employment{{CompanyID: "c1", CompanyName: "Acme", CompanyDomain: "acme.com", Title: "CTO", Current: true}}},
		{"SameCompanyByName", []enrichd.Employment{{CompanyName: "acme", Title: "Dev"}, {CompanyName: "Globex", Current: true}},
			[]enrichd.Employment{{CompanyID: "c1", CompanyName: "acme", CompanyDomain: "acme.com", Title: "Dev"}, {CompanyName: "Globex", Current: true}}},
		{"FirstCurrentJobWhenNoneMatches", []enrichd.Employment{{Title: "Boss", Current: true}},
			[]enrichd.Employment{{CompanyID: "c1", CompanyName: "Acme", CompanyDomain: "acme.com", Title: "Boss", Current: true}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := &enrichd.Person{Title: "CTO", Employment: tt.jobs}
			linkEmployment(p, c, c)
			if !slices.Equal(p.Employment, tt.want) {
				t.Fatalf("jobs=%+v\nwant %+v", p.Employment, tt.want)
			}
		})
	}
}
