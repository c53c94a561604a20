package clodura

import (
	"testing"

	"github.com/enrichd/enrichd/internal/jsonw/jsonwtest"
)

// Ensure the answer writes exactly what encoding/json wrote.
func TestAppendJSON_Equivalence(t *testing.T) {
	g := jsonwtest.New(5)
	strs := func() *[]string {
		if g.R.IntN(3) == 0 {
			return nil
		}
		v := g.Strs()
		return &v
	}
	for range 2000 {
		r := &enrichResponse{PersonID: g.S(), FirstName: g.S(), LastName: g.S(), LinkedInURL: g.S(), PersonTitle: g.S(),
			Functional: strs(), Seniority: strs(), PersonCity: g.S(), PersonCountry: g.S(), PersonState: g.S(),
			CreditUsage: creditUsage{CreditsConsumed: int64(g.N()), RemainingCredits: int64(g.N())}}
		if g.R.IntN(3) > 0 {
			r.Organisation = &organisation{OrganisationID: g.S(), OrganisationName: g.S(), Domain: g.S(), OrgLinkedInURL: g.S(),
				Industry: g.S(), OrganisationEmployeeSize: g.S(), BoardlineNumbers: g.S(), FoundedYear: g.N(), Revenue: g.S(),
				OrganisationCity: g.S(), OrganisationState: g.S(), OrganisationCountry: g.S()}
		}
		jsonwtest.CheckSame(t, r)
	}
}

// Ensure the fast path of decodeRequest reads what encoding/json reads.
func FuzzDecode_Flat(f *testing.F) {
	for _, s := range []string{`{"email":"a@b.com"}`, `{"firstName":"A","lastName":"B","organisationName":"X"}`, `{"EMAIL":"x"}`, `{"linkedinUrl":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		jsonwtest.CheckFlat(t, data, func() (*enrichRequest, func([]byte, string) bool) {
			var q enrichRequest
			return &q, q.setString
		})
	})
}
