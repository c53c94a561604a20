package ocean

import "github.com/enrichd/enrichd/internal/jsonw"

// AppendJSON writes the answer byte for byte as encoding/json writes it
// (encode_test.go checks it).
func (r *enrichPersonResult) AppendJSON(w *jsonw.W) {
	w.Raw(`{"id":`)
	w.String(r.ID)
	w.Raw(`,"domain":`)
	w.String(r.Domain)
	w.OptString("name", r.Name)
	w.OptString("firstName", r.FirstName)
	w.OptString("lastName", r.LastName)
	w.OptString("country", r.Country)
	w.OptString("state", r.State)
	w.OptString("location", r.Location)
	w.OptString("linkedinUrl", r.LinkedInURL)
	w.OptStrings("seniorities", r.Seniorities)
	w.OptStrings("departments", r.Departments)
	w.OptString("photo", r.Photo)
	w.OptString("jobTitle", r.JobTitle)
	w.OptString("jobTitleEnglish", r.JobTitleEnglish)
	w.OptString("currentJobDescription", r.CurrentJobDescription)
	if len(r.Experiences) > 0 {
		w.Key("experiences")
		w.Byte('[')
		for i := range r.Experiences {
			e := &r.Experiences[i]
			w.Elem()
			w.Byte('{')
			w.OptString("dateFrom", e.DateFrom)
			w.OptString("dateTo", e.DateTo)
			w.OptString("description", e.Description)
			w.OptString("domain", e.Domain)
			w.OptString("jobTitle", e.JobTitle)
			w.OptString("linkedinCompanyHandle", e.LinkedinCompanyHandle)
			w.Byte('}')
		}
		w.Byte(']')
	}
	w.OptString("summary", r.Summary)
	w.OptStrings("skills", r.Skills)
	if p := r.Phone; p != nil {
		w.Raw(`,"phone":{"numbers":`)
		w.Strings(p.Numbers)
		w.Raw(`,"status":`)
		w.String(p.Status)
		w.Byte('}')
	}
	if e := r.Email; e != nil {
		w.Raw(`,"email":{"address":`)
		w.NullString(e.Address)
		w.Raw(`,"status":`)
		w.String(e.Status)
		w.Byte('}')
	}
	w.OptStrings("inferredEmails", r.InferredEmails)
	w.OptString("updatedAt", r.UpdatedAt)
	w.OptInt("connectionsCount", r.ConnectionsCount)
	w.OptInt("followersCount", r.FollowersCount)
	w.OptString("headline", r.Headline)
	w.Raw(`,"creditsUsed":`)
	w.Float(r.CreditsUsed)
	w.Byte('}')
}
