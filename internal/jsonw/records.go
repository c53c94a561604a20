package jsonw

import (
	"github.com/enrichd/enrichd"
)

// OptString appends key and s unless s is empty (omitempty).
func (w *W) OptString(key, s string) {
	if s != "" {
		w.Key(key)
		w.String(s)
	}
}

// OptInt appends key and n unless n is 0 (omitempty).
func (w *W) OptInt(key string, n int) {
	if n != 0 {
		w.Key(key)
		w.Int(int64(n))
	}
}

// OptStrings appends key and ss unless ss is empty (omitempty).
func (w *W) OptStrings(key string, ss []string) {
	if len(ss) > 0 {
		w.Key(key)
		w.Strings(ss)
	}
}

// Person appends p as encoding/json encodes an *enrichd.Person (null when nil).
// Members follow the struct's field order and tags.
func (w *W) Person(p *enrichd.Person) {
	if p == nil {
		w.Raw("null")
		return
	}
	w.Byte('{')
	w.OptString("id", p.ID)
	w.OptString("full_name", p.FullName)
	w.OptString("first_name", p.FirstName)
	w.OptString("middle_name", p.MiddleName)
	w.OptString("last_name", p.LastName)
	w.OptString("headline", p.Headline)
	w.OptString("summary", p.Summary)
	w.OptString("title", p.Title)
	w.OptString("seniority", p.Seniority)
	w.OptStrings("departments", p.Departments)
	if p.Location != (enrichd.Location{}) { // omitzero
		w.Key("location")
		w.Location(&p.Location)
	}
	w.OptStrings("languages", p.Languages)
	w.OptStrings("skills", p.Skills)
	if len(p.Employment) > 0 {
		w.Key("employment")
		w.Byte('[')
		for i := range p.Employment {
			w.Elem()
			w.employment(&p.Employment[i])
		}
		w.Byte(']')
	}
	if len(p.Education) > 0 {
		w.Key("education")
		w.Byte('[')
		for i := range p.Education {
			e := &p.Education[i]
			w.Elem()
			w.Byte('{')
			w.OptString("school", e.School)
			w.OptString("degree", e.Degree)
			w.OptString("field", e.Field)
			w.OptString("start", e.Start)
			w.OptString("end", e.End)
			w.Byte('}')
		}
		w.Byte(']')
	}
	if len(p.Certifications) > 0 {
		w.Key("certifications")
		w.Byte('[')
		for i := range p.Certifications {
			c := &p.Certifications[i]
			w.Elem()
			w.Byte('{')
			w.OptString("name", c.Name)
			w.OptString("issuing_organization", c.IssuingOrganization)
			w.OptString("issue_date", c.IssueDate)
			w.OptString("expiration_date", c.ExpirationDate)
			w.OptString("credential_url", c.CredentialURL)
			w.Byte('}')
		}
		w.Byte(']')
	}
	if len(p.Honors) > 0 {
		w.Key("honors")
		w.Byte('[')
		for i := range p.Honors {
			h := &p.Honors[i]
			w.Elem()
			w.Byte('{')
			w.OptString("title", h.Title)
			w.OptString("issuer", h.Issuer)
			w.OptString("issued_date", h.IssuedDate)
			w.OptString("description", h.Description)
			w.Byte('}')
		}
		w.Byte(']')
	}
	// omitzero compares slices with nil, not with empty.
	if c := &p.Contact; c.BusinessEmails != nil || c.PersonalEmails != nil || c.Phones != nil || c.Websites != nil {
		w.Key("contact")
		w.contact(c)
	}
	if p.Social != (enrichd.Social{}) {
		s := &p.Social
		w.Key("social")
		w.Byte('{')
		w.OptString("linkedin_url", s.LinkedInURL)
		w.OptString("linkedin_member_id", s.LinkedInMemberID)
		w.OptString("twitter", s.Twitter)
		w.OptString("github", s.GitHub)
		w.OptString("facebook", s.Facebook)
		w.Byte('}')
	}
	w.OptString("picture_url", p.PictureURL)
	w.OptInt("connections", p.Connections)
	w.OptInt("followers", p.Followers)
	if len(p.Extra) > 0 {
		w.Key("extra")
		w.RawMap(p.Extra)
	}
	w.sources(p.Sources)
	if !p.CreatedAt.IsZero() {
		w.Key("created_at")
		w.Time(p.CreatedAt)
	}
	if !p.UpdatedAt.IsZero() {
		w.Key("updated_at")
		w.Time(p.UpdatedAt)
	}
	w.Byte('}')
}

// Location appends l as encoding/json encodes an enrichd.Location.
func (w *W) Location(l *enrichd.Location) {
	w.Byte('{')
	w.OptString("raw", l.Raw)
	w.OptString("city", l.City)
	w.OptString("state", l.State)
	w.OptString("country", l.Country)
	w.OptString("country_code", l.CountryCode)
	w.OptString("continent", l.Continent)
	w.Byte('}')
}

func (w *W) employment(e *enrichd.Employment) {
	w.Byte('{')
	w.OptString("company_id", e.CompanyID)
	w.OptString("company_name", e.CompanyName)
	w.OptString("company_domain", e.CompanyDomain)
	w.OptString("company_linkedin_url", e.CompanyLinkedInURL)
	w.OptString("title", e.Title)
	w.OptString("seniority", e.Seniority)
	w.OptString("department", e.Department)
	w.OptString("start", e.Start)
	w.OptString("end", e.End)
	if e.Current {
		w.Key("current")
		w.Raw("true")
	}
	w.OptString("description", e.Description)
	w.OptString("location", e.Location)
	w.Byte('}')
}

func (w *W) contact(c *enrichd.Contact) {
	w.Byte('{')
	if len(c.BusinessEmails) > 0 {
		w.Key("business_emails")
		w.emails(c.BusinessEmails)
	}
	if len(c.PersonalEmails) > 0 {
		w.Key("personal_emails")
		w.emails(c.PersonalEmails)
	}
	if len(c.Phones) > 0 {
		w.Key("phones")
		w.Byte('[')
		for i := range c.Phones {
			p := &c.Phones[i]
			w.Elem()
			w.Byte('{')
			w.Key("number")
			w.String(p.Number)
			w.OptString("type", p.Type)
			w.OptString("status", p.Status)
			w.OptString("source", p.Source)
			w.Byte('}')
		}
		w.Byte(']')
	}
	w.OptStrings("websites", c.Websites)
	w.Byte('}')
}

func (w *W) emails(es []enrichd.Email) {
	w.Byte('[')
	for i := range es {
		e := &es[i]
		w.Elem()
		w.Byte('{')
		w.Key("address")
		w.String(e.Address)
		w.OptString("status", e.Status)
		w.OptString("source", e.Source)
		w.Byte('}')
	}
	w.Byte(']')
}

// sources appends the "sources" member unless ss is empty.
func (w *W) sources(ss []enrichd.Provenance) {
	if len(ss) == 0 {
		return
	}
	w.Key("sources")
	w.Byte('[')
	for i := range ss {
		s := &ss[i]
		w.Elem()
		w.Byte('{')
		w.Key("source")
		w.String(s.Source)
		w.OptString("record_id", s.RecordID)
		w.Key("seen_at")
		w.Time(s.SeenAt)
		w.Byte('}')
	}
	w.Byte(']')
}

// Company appends c as encoding/json encodes an *enrichd.Company (null when nil).
func (w *W) Company(c *enrichd.Company) {
	if c == nil {
		w.Raw("null")
		return
	}
	w.Byte('{')
	w.OptString("id", c.ID)
	w.OptString("name", c.Name)
	w.OptString("legal_name", c.LegalName)
	w.OptString("domain", c.Domain)
	w.OptStrings("other_domains", c.OtherDomains)
	w.OptString("linkedin_url", c.LinkedInURL)
	w.OptString("industry", c.Industry)
	w.OptString("employee_range", c.EmployeeRange)
	w.OptInt("employee_count", c.EmployeeCount)
	w.OptString("revenue_range", c.RevenueRange)
	w.OptInt("founded_year", c.FoundedYear)
	if c.HQ != (enrichd.Location{}) {
		w.Key("hq")
		w.Location(&c.HQ)
	}
	w.OptString("phone", c.Phone)
	w.OptString("description", c.Description)
	w.OptString("email_pattern", c.EmailPattern)
	if len(c.Extra) > 0 {
		w.Key("extra")
		w.RawMap(c.Extra)
	}
	w.sources(c.Sources)
	if !c.CreatedAt.IsZero() {
		w.Key("created_at")
		w.Time(c.CreatedAt)
	}
	if !c.UpdatedAt.IsZero() {
		w.Key("updated_at")
		w.Time(c.UpdatedAt)
	}
	w.Byte('}')
}

// Evidence appends es as encoding/json encodes a []enrichd.Evidence.
func (w *W) Evidence(es []enrichd.Evidence) {
	if es == nil {
		w.Raw("null")
		return
	}
	w.Byte('[')
	for i := range es {
		e := &es[i]
		w.Elem()
		w.Byte('{')
		w.Key("field")
		w.String(e.Field)
		w.Key("level")
		w.String(e.Level)
		w.Key("weight")
		w.Float(e.Weight)
		w.OptString("detail", e.Detail)
		w.Byte('}')
	}
	w.Byte(']')
}

// GuessedEmail appends g as encoding/json encodes an *enrichd.GuessedEmail.
func (w *W) GuessedEmail(g *enrichd.GuessedEmail) {
	if g == nil {
		w.Raw("null")
		return
	}
	w.Byte('{')
	w.Key("address")
	w.String(g.Address)
	w.Key("pattern")
	w.String(g.Pattern)
	w.Key("confidence")
	w.Float(g.Confidence)
	w.Key("status")
	w.String(g.Status)
	w.Byte('}')
}

// NullString appends *s, or null when s is nil.
func (w *W) NullString(s *string) {
	if s == nil {
		w.Raw("null")
		return
	}
	w.String(*s)
}
