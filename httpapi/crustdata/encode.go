package crustdata

import (
	"github.com/enrichd/enrichd/internal/jsonw"
)

// The enrich and search answers write themselves, byte for byte as
// encoding/json writes them (encode_test.go checks it); writeJSON falls back
// to encoding/json when the writer fails or meets a projected map.

// enrichResults is the enrich answer; encoding/json writes it as the slice.
type enrichResults []enrichResult

func (rs enrichResults) AppendJSON(w *jsonw.W) {
	if rs == nil {
		w.Raw("null")
		return
	}
	w.Byte('[')
	for i := range rs {
		r := &rs[i]
		w.Elem()
		w.Raw(`{"matched_on":`)
		w.String(r.MatchedOn)
		w.Raw(`,"match_type":`)
		w.String(r.MatchType)
		w.Raw(`,"matches":`)
		if r.Matches == nil {
			w.Raw("null")
		} else {
			w.Byte('[')
			for j := range r.Matches {
				m := &r.Matches[j]
				w.Elem()
				w.Raw(`{"confidence_score":`)
				w.Float(m.ConfidenceScore)
				w.Raw(`,"person_data":`)
				appendProfile(w, m.PersonData)
				w.Byte('}')
			}
			w.Byte(']')
		}
		w.Byte('}')
	}
	w.Byte(']')
}

func (r *searchResponse) AppendJSON(w *jsonw.W) {
	w.Raw(`{"profiles":`)
	if r.Profiles == nil {
		w.Raw("null")
	} else {
		w.Byte('[')
		for _, p := range r.Profiles {
			w.Elem()
			appendProfile(w, p)
		}
		w.Byte(']')
	}
	w.Raw(`,"next_cursor":`)
	w.NullString(r.NextCursor)
	w.Raw(`,"total_count":`)
	if r.TotalCount == nil {
		w.Raw("null")
	} else {
		w.Int(int64(*r.TotalCount))
	}
	w.Byte('}')
}

// appendProfile writes a rendered person_data: a *personData, or (dot-path
// fields) a generic tree, which this writer leaves to encoding/json.
func appendProfile(w *jsonw.W, v any) {
	switch d := v.(type) {
	case *personData:
		d.AppendJSON(w)
	case nil:
		w.Raw("null")
	default:
		w.Fail()
	}
}

func (d *personData) AppendJSON(w *jsonw.W) {
	if d == nil {
		w.Raw("null")
		return
	}
	w.Raw(`{"crustdata_person_id":`)
	w.Int(d.CrustdataPersonID)
	w.Raw(`,"updated_at":`)
	w.NullString(d.UpdatedAt)
	if b := d.BasicProfile; b != nil {
		w.Raw(`,"basic_profile":{"name":`)
		w.NullString(b.Name)
		w.Raw(`,"first_name":`)
		w.NullString(b.FirstName)
		w.Raw(`,"last_name":`)
		w.NullString(b.LastName)
		w.Raw(`,"headline":`)
		w.NullString(b.Headline)
		w.Raw(`,"current_title":`)
		w.NullString(b.CurrentTitle)
		w.Raw(`,"summary":`)
		w.NullString(b.Summary)
		w.Raw(`,"location":{"city":`)
		w.NullString(b.Location.City)
		w.Raw(`,"state":`)
		w.NullString(b.Location.State)
		w.Raw(`,"country":`)
		w.NullString(b.Location.Country)
		w.Raw(`,"full_location":`)
		w.NullString(b.Location.FullLocation)
		w.Raw(`},"languages":`)
		w.Strings(b.Languages)
		w.Raw(`,"last_updated":`)
		w.NullString(b.LastUpdated)
		w.Raw(`,"profile_picture_permalink":`)
		w.NullString(b.ProfilePicturePermalink)
		w.Byte('}')
	}
	if n := d.ProfessionalNetwork; n != nil {
		w.Raw(`,"professional_network":{"profile_picture_permalink":`)
		w.NullString(n.ProfilePicturePermalink)
		w.Raw(`,"connections":`)
		w.Int(int64(n.Connections))
		w.Raw(`,"followers":`)
		w.Int(int64(n.Followers))
		w.Raw(`,"open_to_cards":`)
		w.RawJSON(n.OpenToCards)
		w.Raw(`,"pronoun":`)
		w.RawJSON(n.Pronoun)
		w.Raw(`,"joined_date":`)
		w.RawJSON(n.JoinedDate)
		w.Raw(`,"verifications":`)
		w.RawJSON(n.Verifications)
		w.Raw(`,"location":{"raw":`)
		w.NullString(n.Location.Raw)
		w.Raw(`,"city":`)
		w.NullString(n.Location.City)
		w.Raw(`,"state":`)
		w.NullString(n.Location.State)
		w.Raw(`,"country":`)
		w.NullString(n.Location.Country)
		w.Raw(`,"continent":`)
		w.NullString(n.Location.Continent)
		w.Raw(`}}`)
	}
	if s := d.SocialHandles; s != nil {
		w.Raw(`,"social_handles":{"professional_network_identifier":{"profile_url":`)
		w.NullString(s.ProfessionalNetworkIdentifier.ProfileURL)
		w.Raw(`,"member_id":`)
		w.NullString(s.ProfessionalNetworkIdentifier.MemberID)
		w.Raw(`},"twitter_identifier":`)
		if s.TwitterIdentifier == nil {
			w.Raw("null")
		} else {
			w.Raw(`{"slug":`)
			w.String(s.TwitterIdentifier.Slug)
			w.Byte('}')
		}
		w.Raw(`,"dev_platform_identifier":`)
		if s.DevPlatformIdentifier == nil {
			w.Raw("null")
		} else {
			w.Raw(`{"profile_url":`)
			w.String(s.DevPlatformIdentifier.ProfileURL)
			w.Byte('}')
		}
		w.Byte('}')
	}
	if e := d.Experience; e != nil {
		w.Raw(`,"experience":{"employment_details":{"current":`)
		appendEmployments(w, e.EmploymentDetails.Current)
		w.Raw(`,"past":`)
		appendEmployments(w, e.EmploymentDetails.Past)
		w.Raw(`}}`)
	}
	if e := d.Education; e != nil {
		w.Raw(`,"education":{"schools":`)
		if e.Schools == nil {
			w.Raw("null")
		} else {
			w.Byte('[')
			for i := range e.Schools {
				s := &e.Schools[i]
				w.Elem()
				w.Raw(`{"school":`)
				w.NullString(s.School)
				w.Raw(`,"degree":`)
				w.NullString(s.Degree)
				w.Raw(`,"field_of_study":`)
				w.NullString(s.FieldOfStudy)
				w.Raw(`,"start_date":`)
				w.NullString(s.StartDate)
				w.Raw(`,"end_date":`)
				w.NullString(s.EndDate)
				w.Byte('}')
			}
			w.Byte(']')
		}
		w.Raw(`,"all_schools":`)
		w.Strings(e.AllSchools)
		w.Raw(`,"all_degrees":`)
		w.Strings(e.AllDegrees)
		w.Byte('}')
	}
	if s := d.Skills; s != nil {
		w.Raw(`,"skills":{"professional_network_skills":`)
		w.Strings(s.ProfessionalNetworkSkills)
		w.Byte('}')
	}
	if c := d.Contact; c != nil {
		w.Raw(`,"contact":{"business_emails":`)
		appendEmails(w, c.BusinessEmails)
		w.Raw(`,"personal_emails":`)
		appendEmails(w, c.PersonalEmails)
		w.Raw(`,"phone_numbers":`)
		if c.PhoneNumbers == nil {
			w.Raw("null")
		} else {
			w.Byte('[')
			for i := range c.PhoneNumbers {
				p := &c.PhoneNumbers[i]
				w.Elem()
				w.Raw(`{"number":`)
				w.String(p.Number)
				w.Raw(`,"type":`)
				w.NullString(p.Type)
				w.Raw(`,"status":`)
				w.NullString(p.Status)
				w.Byte('}')
			}
			w.Byte(']')
		}
		w.Raw(`,"websites":`)
		w.Strings(c.Websites)
		w.Byte('}')
	}
	if cs := d.Certifications; cs != nil {
		w.Raw(`,"certifications":`)
		if *cs == nil {
			w.Raw("null")
		} else {
			w.Byte('[')
			for i := range *cs {
				c := &(*cs)[i]
				w.Elem()
				w.Raw(`{"name":`)
				w.NullString(c.Name)
				w.Raw(`,"issuing_organization":`)
				w.NullString(c.IssuingOrganization)
				w.Raw(`,"issue_date":`)
				w.NullString(c.IssueDate)
				w.Raw(`,"expiration_date":`)
				w.NullString(c.ExpirationDate)
				w.Raw(`,"credential_url":`)
				w.NullString(c.CredentialURL)
				w.Byte('}')
			}
			w.Byte(']')
		}
	}
	if hs := d.Honors; hs != nil {
		w.Raw(`,"honors":`)
		if *hs == nil {
			w.Raw("null")
		} else {
			w.Byte('[')
			for i := range *hs {
				h := &(*hs)[i]
				w.Elem()
				w.Raw(`{"title":`)
				w.NullString(h.Title)
				w.Raw(`,"issuer":`)
				w.NullString(h.Issuer)
				w.Raw(`,"issued_date":`)
				w.NullString(h.IssuedDate)
				w.Raw(`,"description":`)
				w.NullString(h.Description)
				w.Byte('}')
			}
			w.Byte(']')
		}
	}
	if ps := d.DevPlatformProfiles; ps != nil {
		w.Raw(`,"dev_platform_profiles":`)
		if *ps == nil {
			w.Raw("null")
		} else {
			w.Byte('[')
			for _, p := range *ps {
				w.Elem()
				w.RawJSON(p)
			}
			w.Byte(']')
		}
	}
	if m := d.Metadata; m != nil {
		w.Raw(`,"metadata":{"last_scraped_source":`)
		w.NullString(m.LastScrapedSource)
		w.Raw(`,"updated_at":`)
		w.NullString(m.UpdatedAt)
		w.Byte('}')
	}
	w.Byte('}')
}

func appendEmployments(w *jsonw.W, es []employment) {
	if es == nil {
		w.Raw("null")
		return
	}
	w.Byte('[')
	for i := range es {
		e := &es[i]
		w.Elem()
		w.Raw(`{"name":`)
		w.NullString(e.Name)
		w.Raw(`,"company_name":`)
		w.NullString(e.CompanyName)
		w.Raw(`,"title":`)
		w.NullString(e.Title)
		w.Raw(`,"company_id":`)
		if e.CompanyID == nil {
			w.Raw("null")
		} else {
			w.Int(*e.CompanyID)
		}
		w.Raw(`,"company_website_domain":`)
		w.NullString(e.CompanyWebsiteDomain)
		w.Raw(`,"company_professional_network_profile_url":`)
		w.NullString(e.CompanyProfessionalNetworkProfileURL)
		w.Raw(`,"company_industry":`)
		w.NullString(e.CompanyIndustry)
		w.Raw(`,"company_headcount_range":`)
		w.NullString(e.CompanyHeadcountRange)
		w.Raw(`,"company_headquarters":`)
		w.NullString(e.CompanyHeadquarters)
		w.Raw(`,"seniority_level":`)
		w.NullString(e.SeniorityLevel)
		w.Raw(`,"department":`)
		w.NullString(e.Department)
		w.Raw(`,"start_date":`)
		w.NullString(e.StartDate)
		w.Raw(`,"end_date":`)
		w.NullString(e.EndDate)
		w.Raw(`,"description":`)
		w.NullString(e.Description)
		w.Raw(`,"location":`)
		w.NullString(e.Location)
		w.Byte('}')
	}
	w.Byte(']')
}

func appendEmails(w *jsonw.W, es []emailRecord) {
	if es == nil {
		w.Raw("null")
		return
	}
	w.Byte('[')
	for i := range es {
		w.Elem()
		w.Raw(`{"email":`)
		w.String(es[i].Email)
		w.Raw(`,"status":`)
		w.NullString(es[i].Status)
		w.Byte('}')
	}
	w.Byte(']')
}

// setList sets the array field whose JSON name is key, for the fast path of
// decodeBody; any other key (options, or a name encoding/json would match by
// case folding) sends the body through encoding/json.
func (q *enrichRequest) setList(key []byte, v []string) bool {
	switch string(key) {
	case "professional_network_profile_urls":
		q.ProfessionalNetworkProfileURLs = v
	case "business_emails":
		q.BusinessEmails = v
	case "fields":
		q.Fields = v
	default:
		return false
	}
	return true
}
