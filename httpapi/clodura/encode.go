package clodura

import "github.com/enrichd/enrichd/internal/jsonw"

// AppendJSON writes the answer byte for byte as encoding/json writes it
// (encode_test.go checks it).
func (r *enrichResponse) AppendJSON(w *jsonw.W) {
	w.Byte('{')
	w.OptString("personId", r.PersonID)
	w.OptString("firstName", r.FirstName)
	w.OptString("lastName", r.LastName)
	w.OptString("linkedinUrl", r.LinkedInURL)
	w.OptString("personTitle", r.PersonTitle)
	if r.Functional != nil {
		w.Key("functional")
		w.Strings(*r.Functional)
	}
	if r.Seniority != nil {
		w.Key("seniority")
		w.Strings(*r.Seniority)
	}
	w.OptString("personCity", r.PersonCity)
	w.OptString("personCountry", r.PersonCountry)
	w.OptString("personState", r.PersonState)
	if o := r.Organisation; o != nil {
		w.Key("organisation")
		w.Byte('{')
		w.OptString("organisationId", o.OrganisationID)
		w.OptString("organisationName", o.OrganisationName)
		w.OptString("domain", o.Domain)
		w.OptString("orgLinkedinUrl", o.OrgLinkedInURL)
		w.OptString("industry", o.Industry)
		w.OptString("organisationEmployeeSize", o.OrganisationEmployeeSize)
		w.OptString("boardlineNumbers", o.BoardlineNumbers)
		w.OptInt("foundedYear", o.FoundedYear)
		w.OptString("revenue", o.Revenue)
		w.OptString("organisationCity", o.OrganisationCity)
		w.OptString("organisationState", o.OrganisationState)
		w.OptString("organisationCountry", o.OrganisationCountry)
		w.Byte('}')
	}
	w.Key("creditUsage")
	w.Raw(`{"creditsConsumed":`)
	w.Int(r.CreditUsage.CreditsConsumed)
	w.Raw(`,"remainingCredits":`)
	w.Int(r.CreditUsage.RemainingCredits)
	w.Raw(`}}`)
}

// setString sets the field whose JSON name is key, for the fast path of
// decodeRequest; any other key (encoding/json would fold its case or ignore
// it) sends the body through encoding/json.
func (q *enrichRequest) setString(key []byte, v string) bool {
	switch string(key) {
	case "linkedinUrl":
		q.LinkedInURL = v
	case "email":
		q.Email = v
	case "firstName":
		q.FirstName = v
	case "lastName":
		q.LastName = v
	case "organisationName":
		q.OrganisationName = v
	case "orgLinkedinUrl":
		q.OrgLinkedInURL = v
	default:
		return false
	}
	return true
}
