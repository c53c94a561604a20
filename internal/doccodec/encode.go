package doccodec

import (
	"encoding/json"
	"strconv"
	"sync"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/jsonstr"
)

// EncodePerson appends the JSON document of p to dst, byte for byte what
// json.Marshal(p) returns. On error dst is returned unchanged with
// json.Marshal's error.
//
// NOTE: the fast path writes the fields in declaration order with the
// omitempty/omitzero rules of their tags and encoding/json's HTML-safe string
// escaping; Extra is spliced from json.Marshal of the map (the same encoder
// and options, so the same bytes: sorted keys, raw values compacted and
// HTML-escaped), and anything the fast path cannot write (a time the time
// package refuses, an invalid raw value) falls back to json.Marshal whole.
func EncodePerson(dst []byte, p *enrichd.Person) ([]byte, error) {
	n := len(dst)
	if p == nil {
		return append(dst, "null"...), nil // as json.Marshal writes a nil pointer
	}
	buf := buffers.Get().(*[]byte)
	b, ok := appendPerson((*buf)[:0], p)
	if ok {
		dst = append(dst, b...)
	}
	putBuffer(buf, b)
	if ok {
		return dst, nil
	}
	doc, err := json.Marshal(p)
	if err != nil {
		return dst[:n], err
	}
	return append(dst[:n], doc...), nil
}

// EncodeCompany appends the JSON document of c to dst, byte for byte what
// json.Marshal(c) returns. On error dst is returned unchanged with
// json.Marshal's error.
func EncodeCompany(dst []byte, c *enrichd.Company) ([]byte, error) {
	n := len(dst)
	if c == nil {
		return append(dst, "null"...), nil
	}
	buf := buffers.Get().(*[]byte)
	b, ok := appendCompany((*buf)[:0], c)
	if ok {
		dst = append(dst, b...)
	}
	putBuffer(buf, b)
	if ok {
		return dst, nil
	}
	doc, err := json.Marshal(c)
	if err != nil {
		return dst[:n], err
	}
	return append(dst[:n], doc...), nil
}

// buffers hold the documents being written, so that the result is allocated
// once at its size (as json.Marshal does) instead of grown by doubling.
var buffers = sync.Pool{New: func() any { b := make([]byte, 0, 4096); return &b }}

func putBuffer(buf *[]byte, b []byte) {
	if cap(b) <= 64<<10 { // don't keep the buffer of an outsized document
		*buf = b
		buffers.Put(buf)
	}
}

// key appends the separator a member needs and its key: `"k":`. A member
// follows '{' or a value.
func key(b []byte, k string) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, '"')
	b = append(b, k...)
	return append(b, '"', ':')
}

// str appends an omitempty string member.
func str(b []byte, k, v string) []byte {
	if v == "" {
		return b
	}
	return appendString(key(b, k), v)
}

func integer(b []byte, k string, v int) []byte {
	if v == 0 {
		return b
	}
	return strconv.AppendInt(key(b, k), int64(v), 10)
}

func strs(b []byte, k string, v []string) []byte {
	if len(v) == 0 {
		return b
	}
	b = append(key(b, k), '[')
	for i, s := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendString(b, s)
	}
	return append(b, ']')
}

// appendTime appends t as time.Time.MarshalJSON does; ok is false when that
// would fail.
func appendTime(b []byte, t time.Time) ([]byte, bool) {
	b = append(b, '"')
	b2, err := t.AppendText(b) // the same RFC 3339 form as MarshalJSON
	if err != nil {
		return b, false
	}
	return append(b2, '"'), true
}

// list appends a non-empty slice member with elem; ok is elem's.
func list[T any](b []byte, k string, v []T, elem func([]byte, *T) ([]byte, bool)) ([]byte, bool) {
	if len(v) == 0 {
		return b, true
	}
	b = append(key(b, k), '[')
	for i := range v {
		if i > 0 {
			b = append(b, ',')
		}
		var ok bool
		if b, ok = elem(b, &v[i]); !ok {
			return b, false
		}
	}
	return append(b, ']'), true
}

func extra(b []byte, m map[string]json.RawMessage) ([]byte, bool) {
	if len(m) == 0 {
		return b, true
	}
	doc, err := json.Marshal(m)
	if err != nil {
		return b, false
	}
	return append(key(b, "extra"), doc...), true
}

func appendPerson(b []byte, p *enrichd.Person) ([]byte, bool) {
	var ok bool
	b = append(b, '{')
	b = str(b, "id", p.ID)
	b = str(b, "full_name", p.FullName)
	b = str(b, "first_name", p.FirstName)
	b = str(b, "middle_name", p.MiddleName)
	b = str(b, "last_name", p.LastName)
	b = str(b, "headline", p.Headline)
	b = str(b, "summary", p.Summary)
	b = str(b, "title", p.Title)
	b = str(b, "seniority", p.Seniority)
	b = strs(b, "departments", p.Departments)
	if p.Location != (enrichd.Location{}) {
		b = appendLocation(key(b, "location"), &p.Location)
	}
	b = strs(b, "languages", p.Languages)
	b = strs(b, "skills", p.Skills)
	b, _ = list(b, "employment", p.Employment, appendEmployment)
	b, _ = list(b, "education", p.Education, appendEducation)
	b, _ = list(b, "certifications", p.Certifications, appendCertification)
	b, _ = list(b, "honors", p.Honors, appendHonor)
	if c := &p.Contact; c.BusinessEmails != nil || c.PersonalEmails != nil || c.Phones != nil || c.Websites != nil {
		b = append(key(b, "contact"), '{')
		b, _ = list(b, "business_emails", c.BusinessEmails, appendEmail)
		b, _ = list(b, "personal_emails", c.PersonalEmails, appendEmail)
		b, _ = list(b, "phones", c.Phones, appendPhone)
		b = strs(b, "websites", c.Websites)
		b = append(b, '}')
	}
	if s := &p.Social; *s != (enrichd.Social{}) {
		b = append(key(b, "social"), '{')
		b = str(b, "linkedin_url", s.LinkedInURL)
		b = str(b, "linkedin_member_id", s.LinkedInMemberID)
		b = str(b, "twitter", s.Twitter)
		b = str(b, "github", s.GitHub)
		b = str(b, "facebook", s.Facebook)
		b = append(b, '}')
	}
	b = str(b, "picture_url", p.PictureURL)
	b = integer(b, "connections", p.Connections)
	b = integer(b, "followers", p.Followers)
	if b, ok = extra(b, p.Extra); !ok {
		return b, false
	}
	if b, ok = list(b, "sources", p.Sources, appendProvenance); !ok {
		return b, false
	}
	return appendTimes(b, p.CreatedAt, p.UpdatedAt)
}

func appendCompany(b []byte, c *enrichd.Company) ([]byte, bool) {
	var ok bool
	b = append(b, '{')
	b = str(b, "id", c.ID)
	b = str(b, "name", c.Name)
	b = str(b, "legal_name", c.LegalName)
	b = str(b, "domain", c.Domain)
	b = strs(b, "other_domains", c.OtherDomains)
	b = str(b, "linkedin_url", c.LinkedInURL)
	b = str(b, "industry", c.Industry)
	b = str(b, "employee_range", c.EmployeeRange)
	b = integer(b, "employee_count", c.EmployeeCount)
	b = str(b, "revenue_range", c.RevenueRange)
	b = integer(b, "founded_year", c.FoundedYear)
	if c.HQ != (enrichd.Location{}) {
		b = appendLocation(key(b, "hq"), &c.HQ)
	}
	b = str(b, "phone", c.Phone)
	b = str(b, "description", c.Description)
	b = str(b, "email_pattern", c.EmailPattern)
	if b, ok = extra(b, c.Extra); !ok {
		return b, false
	}
	if b, ok = list(b, "sources", c.Sources, appendProvenance); !ok {
		return b, false
	}
	return appendTimes(b, c.CreatedAt, c.UpdatedAt)
}

// appendTimes appends the omitzero created_at and updated_at members and
// closes the object.
func appendTimes(b []byte, created, updated time.Time) ([]byte, bool) {
	var ok bool
	if !created.IsZero() {
		if b, ok = appendTime(key(b, "created_at"), created); !ok {
			return b, false
		}
	}
	if !updated.IsZero() {
		if b, ok = appendTime(key(b, "updated_at"), updated); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

func appendLocation(b []byte, l *enrichd.Location) []byte {
	b = append(b, '{')
	b = str(b, "raw", l.Raw)
	b = str(b, "city", l.City)
	b = str(b, "state", l.State)
	b = str(b, "country", l.Country)
	b = str(b, "country_code", l.CountryCode)
	b = str(b, "continent", l.Continent)
	return append(b, '}')
}

func appendEmployment(b []byte, e *enrichd.Employment) ([]byte, bool) {
	b = append(b, '{')
	b = str(b, "company_id", e.CompanyID)
	b = str(b, "company_name", e.CompanyName)
	b = str(b, "company_domain", e.CompanyDomain)
	b = str(b, "company_linkedin_url", e.CompanyLinkedInURL)
	b = str(b, "title", e.Title)
	b = str(b, "seniority", e.Seniority)
	b = str(b, "department", e.Department)
	b = str(b, "start", e.Start)
	b = str(b, "end", e.End)
	if e.Current {
		b = append(key(b, "current"), "true"...)
	}
	b = str(b, "description", e.Description)
	b = str(b, "location", e.Location)
	return append(b, '}'), true
}

func appendEducation(b []byte, e *enrichd.Education) ([]byte, bool) {
	b = append(b, '{')
	b = str(b, "school", e.School)
	b = str(b, "degree", e.Degree)
	b = str(b, "field", e.Field)
	b = str(b, "start", e.Start)
	b = str(b, "end", e.End)
	return append(b, '}'), true
}

func appendCertification(b []byte, c *enrichd.Certification) ([]byte, bool) {
	b = append(b, '{')
	b = str(b, "name", c.Name)
	b = str(b, "issuing_organization", c.IssuingOrganization)
	b = str(b, "issue_date", c.IssueDate)
	b = str(b, "expiration_date", c.ExpirationDate)
	b = str(b, "credential_url", c.CredentialURL)
	return append(b, '}'), true
}

func appendHonor(b []byte, h *enrichd.Honor) ([]byte, bool) {
	b = append(b, '{')
	b = str(b, "title", h.Title)
	b = str(b, "issuer", h.Issuer)
	b = str(b, "issued_date", h.IssuedDate)
	b = str(b, "description", h.Description)
	return append(b, '}'), true
}

func appendEmail(b []byte, e *enrichd.Email) ([]byte, bool) {
	b = append(b, `{"address":`...)
	b = appendString(b, e.Address)
	b = str(b, "status", e.Status)
	b = str(b, "source", e.Source)
	return append(b, '}'), true
}

func appendPhone(b []byte, p *enrichd.Phone) ([]byte, bool) {
	b = append(b, `{"number":`...)
	b = appendString(b, p.Number)
	b = str(b, "type", p.Type)
	b = str(b, "status", p.Status)
	b = str(b, "source", p.Source)
	return append(b, '}'), true
}

func appendProvenance(b []byte, p *enrichd.Provenance) ([]byte, bool) {
	b = append(b, `{"source":`...)
	b = appendString(b, p.Source)
	b = str(b, "record_id", p.RecordID)
	b = key(b, "seen_at")
	b, ok := appendTime(b, p.SeenAt)
	return append(b, '}'), ok
}

// appendString appends s quoted as json.Marshal quotes strings (HTML-safe).
func appendString(b []byte, s string) []byte { return jsonstr.Append(b, s, true) }
