package apione

import "github.com/enrichd/enrichd/internal/jsonw"

// AppendJSON writes the success envelope byte for byte as encoding/json
// writes it (encode_test.go checks it).
func (r *enrichResponse) AppendJSON(w *jsonw.W) {
	w.Raw(`{"status":`)
	w.String(r.Status)
	w.Raw(`,"request_id":`)
	w.String(r.RequestID)
	w.Raw(`,"credits_used":`)
	w.Int(r.CreditsUsed)
	w.Raw(`,"data":`)
	if d := r.Data; d == nil {
		w.Raw("null")
	} else {
		w.Raw(`{"full_name":`)
		w.NullString(d.FullName)
		w.Raw(`,"email":`)
		w.NullString(d.Email)
		w.Raw(`,"title":`)
		w.NullString(d.Title)
		w.Raw(`,"seniority":`)
		w.NullString(d.Seniority)
		w.Raw(`,"department":`)
		w.NullString(d.Department)
		w.Raw(`,"company_name":`)
		w.NullString(d.CompanyName)
		w.Raw(`,"company_domain":`)
		w.NullString(d.CompanyDomain)
		w.Raw(`,"linkedin_url":`)
		w.NullString(d.LinkedInURL)
		w.Raw(`,"location":`)
		w.NullString(d.Location)
		w.Raw(`,"confidence":`)
		w.Float(d.Confidence)
		w.Byte('}')
	}
	w.Byte('}')
}

// setString sets the field whose JSON name is key, for the fast path of
// decodeRequest; any other key (encoding/json would fold its case or ignore
// it) sends the body through encoding/json.
func (q *enrichRequest) setString(key []byte, v string) bool {
	switch string(key) {
	case "email":
		q.Email = v
	case "first_name":
		q.FirstName = v
	case "last_name":
		q.LastName = v
	case "domain":
		q.Domain = v
	default:
		return false
	}
	return true
}
