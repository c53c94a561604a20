package importer

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// maxJSONLine is the longest JSONL record accepted.
const maxJSONLine = 1 << 20

// jsonLine is one JSONL record: either a bare person (the JSON of
// enrichd.Person) or a wrapper {"person": {...}, "company": {...}} where
// either part may be absent. Decoding into the union of both shapes lets one
// strict pass reject unknown keys in either.
type jsonLine struct {
	enrichd.Person
	WPerson  *enrichd.Person  `json:"person"`
	WCompany *enrichd.Company `json:"company"`
}

// decodeJSONLine decodes one line. It rejects broken UTF-8, unknown fields,
// wrong types, trailing data, and a line that mixes both shapes.
func decodeJSONLine(line []byte) (person *enrichd.Person, company *enrichd.Company, err error) {
	if len(line) > maxJSONLine {
		return nil, nil, rowErrorf("line is %d bytes, longer than the %d allowed", len(line), maxJSONLine)
	}
	if !utf8.Valid(line) {
		return nil, nil, rowErrorf("invalid UTF-8")
	}
	trimmed := bytes.TrimSpace(line)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, nil, rowErrorf("not a JSON object")
	}
	var l jsonLine
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return nil, nil, rowErrorf("%s", jsonReason(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, nil, rowErrorf("unexpected data after the JSON object")
	}
	wrapped := l.WPerson != nil || l.WCompany != nil
	bare := !reflect.ValueOf(l.Person).IsZero()
	switch {
	case wrapped && bare:
		return nil, nil, rowErrorf(`mixes person fields with "person"/"company" keys: use one shape per line`)
	case wrapped:
		return l.WPerson, l.WCompany, nil
	case bare:
		p := l.Person
		return &p, nil, nil
	}
	return nil, nil, rowErrorf("empty record")
}

// jsonReason turns a decoding error into a reason that names the field.
func jsonReason(err error) string {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "record"
		}
		return fmt.Sprintf("field %s: want %s, got JSON %s", field, te.Type, te.Value)
	case errors.As(err, &se):
		return fmt.Sprintf("malformed JSON at byte %d: %v", se.Offset, se)
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return strings.TrimPrefix(err.Error(), "json: ") + " (see docs/IMPORT.md for the schema)"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated JSON"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

// jsonRow converts one JSONL line into an IngestRecord, or returns a *rowError.
func (c *converter) jsonRow(line int, text []byte) (enrichd.IngestRecord, error) {
	p, co, err := decodeJSONLine(text)
	if err != nil {
		return enrichd.IngestRecord{}, err
	}
	seenAt := c.seenAt
	switch {
	case p != nil && !p.UpdatedAt.IsZero():
		seenAt = p.UpdatedAt.UTC()
	case co != nil && !co.UpdatedAt.IsZero():
		seenAt = co.UpdatedAt.UTC()
	}
	prov := c.provenance(line, seenAt)
	// NOTE: the current job names the employer; a record without a "company"
	// object still gets its employer as a golden company, as CSV rows do.
	if co == nil && p != nil {
		if j := p.CurrentJob(); j != nil && (j.CompanyName != "" || j.CompanyDomain != "" || j.CompanyLinkedInURL != "") {
			co = &enrichd.Company{Name: j.CompanyName, Domain: j.CompanyDomain, LinkedInURL: j.CompanyLinkedInURL}
		}
	}
	if co != nil {
		if err := c.normCompany(co, prov); err != nil {
			return enrichd.IngestRecord{}, err
		}
	}
	if p != nil {
		if err := c.normPerson(p, co, prov); err != nil {
			return enrichd.IngestRecord{}, err
		}
	}
	return enrichd.IngestRecord{Person: p, Company: co}, nil
}

// normCompany canonicalises a decoded company in place.
func (c *converter) normCompany(co *enrichd.Company, prov enrichd.Provenance) error {
	// NOTE: ids and timestamps belong to the store that assigns them; a
	// record exported from another enrichd must not carry them over.
	co.ID, co.CreatedAt, co.UpdatedAt = "", time.Time{}, time.Time{}
	co.Name = normSpace(co.Name)
	var err error
	if co.Domain != "" {
		if co.Domain, err = c.norm.Domain(co.Domain); err != nil {
			return rowErrorf("company.domain %q: %v", co.Domain, err)
		}
	}
	for i, d := range co.OtherDomains {
		if co.OtherDomains[i], err = c.norm.Domain(d); err != nil {
			return rowErrorf("company.other_domains %q: %v", d, err)
		}
	}
	if co.LinkedInURL != "" {
		if co.LinkedInURL, err = c.norm.CompanyLinkedIn(co.LinkedInURL); err != nil {
			return rowErrorf("company.linkedin_url %q: %v", co.LinkedInURL, err)
		}
	}
	if co.Phone != "" {
		if co.Phone, err = c.phone(co.Phone, firstNonEmpty(co.HQ.CountryCode, co.HQ.Country)); err != nil {
			return rowErrorf("company.phone %q: %v", co.Phone, err)
		}
	}
	co.Sources = append(co.Sources, prov)
	if len(c.keyer.CompanyIdentityKeys(co)) == 0 {
		return rowErrorf("company has no usable identifier: give its name, domain or linkedin_url")
	}
	return nil
}

// normPerson canonicalises a decoded person in place.
func (c *converter) normPerson(p *enrichd.Person, co *enrichd.Company, prov enrichd.Provenance) error {
	p.ID, p.CreatedAt, p.UpdatedAt = "", time.Time{}, time.Time{}
	setNames(p, p.FirstName, p.MiddleName, p.LastName, p.FullName)
	var err error
	if p.Social.LinkedInURL != "" {
		if p.Social.LinkedInURL, err = c.norm.PersonLinkedIn(p.Social.LinkedInURL); err != nil {
			return rowErrorf("social.linkedin_url %q: %v", p.Social.LinkedInURL, err)
		}
	}
	for _, list := range []struct {
		name   string
		emails []enrichd.Email
	}{{"contact.business_emails", p.Contact.BusinessEmails}, {"contact.personal_emails", p.Contact.PersonalEmails}} {
		for i := range list.emails {
			e := &list.emails[i]
			if e.Address, err = c.norm.Email(e.Address); err != nil {
				return rowErrorf("%s %q: %v", list.name, e.Address, err)
			}
			if e.Source == "" {
				e.Source = c.source
			}
		}
	}
	if p.Location.CountryCode == "" {
		p.Location.CountryCode = match.CountryCode(p.Location.Country)
	}
	p.Location.CountryCode = strings.ToUpper(p.Location.CountryCode)
	region := firstNonEmpty(p.Location.CountryCode, p.Location.Country)
	for i := range p.Contact.Phones {
		ph := &p.Contact.Phones[i]
		if ph.Number, err = c.phone(ph.Number, region); err != nil {
			return rowErrorf("contact.phones %q: %v", ph.Number, err)
		}
		if ph.Source == "" {
			ph.Source = c.source
		}
	}
	if p.Seniority != "" {
		s, ok := parseSeniority(p.Seniority)
		if !ok {
			return rowErrorf("seniority %q: want executive, senior, mid or junior", p.Seniority)
		}
		p.Seniority = s
	} else if p.Title != "" {
		p.Seniority = c.norm.Seniority(p.Title)
	}
	for i := range p.Employment {
		j := &p.Employment[i]
		j.CompanyID = ""
		if j.CompanyDomain != "" {
			if j.CompanyDomain, err = c.norm.Domain(j.CompanyDomain); err != nil {
				return rowErrorf("employment[%d].company_domain %q: %v", i, j.CompanyDomain, err)
			}
		}
		if j.CompanyLinkedInURL != "" {
			if j.CompanyLinkedInURL, err = c.norm.CompanyLinkedIn(j.CompanyLinkedInURL); err != nil {
				return rowErrorf("employment[%d].company_linkedin_url %q: %v", i, j.CompanyLinkedInURL, err)
			}
		}
	}
	// The wrapper's company is the current employer: fill the current job
	// from it where the person record left it blank.
	if co != nil {
		if j := p.CurrentJob(); j != nil {
			j.CompanyName = firstNonEmpty(j.CompanyName, co.Name)
			j.CompanyDomain = firstNonEmpty(j.CompanyDomain, co.Domain)
			j.CompanyLinkedInURL = firstNonEmpty(j.CompanyLinkedInURL, co.LinkedInURL)
		} else {
			p.Employment = append([]enrichd.Employment{{
				Current: true, CompanyName: co.Name, CompanyDomain: co.Domain, CompanyLinkedInURL: co.LinkedInURL,
				Title: p.Title, Seniority: p.Seniority,
			}}, p.Employment...)
		}
	}
	p.Sources = append(p.Sources, prov)
	if len(c.keyer.PersonIdentityKeys(p)) == 0 {
		return rowErrorf("person has no usable identifier: give social.linkedin_url or an email (or first and last name with a company, city or phone)")
	}
	return nil
}
