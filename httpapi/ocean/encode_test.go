package ocean

import (
	"testing"

	"github.com/enrichd/enrichd/internal/jsonw/jsonwtest"
)

// Ensure the answer writes exactly what encoding/json wrote.
func TestAppendJSON_Equivalence(t *testing.T) {
	g := jsonwtest.New(9)
	for range 2000 {
		r := &enrichPersonResult{ID: g.S(), Domain: g.S(), Name: g.S(), FirstName: g.S(), LastName: g.S(), Country: g.S(),
			State: g.S(), Location: g.S(), LinkedInURL: g.S(), Seniorities: g.Strs(), Departments: g.Strs(), Photo: g.S(),
			JobTitle: g.S(), JobTitleEnglish: g.S(), CurrentJobDescription: g.S(), Summary: g.S(), Skills: g.Strs(),
			InferredEmails: g.Strs(), UpdatedAt: g.S(), ConnectionsCount: g.N(), FollowersCount: g.N(), Headline: g.S(), CreditsUsed: g.F()}
		if g.R.IntN(4) > 0 {
			r.Experiences = []experience{}
			for range g.R.IntN(3) {
				r.Experiences = append(r.Experiences, experience{DateFrom: g.S(), DateTo: g.S(), Description: g.S(), Domain: g.S(), JobTitle: g.S(), LinkedinCompanyHandle: g.S()})
			}
		}
		if g.R.IntN(2) == 0 {
			r.Phone = &phoneResult{Numbers: g.Strs(), Status: g.S()}
		}
		if g.R.IntN(2) == 0 {
			r.Email = &emailResult{Status: g.S()}
			if g.R.IntN(2) == 0 {
				a := g.S()
				r.Email.Address = &a
			}
		}
		jsonwtest.CheckSame(t, r)
	}
}
