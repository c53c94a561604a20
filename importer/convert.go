package importer

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// converter turns decoded rows into IngestRecords for one input.
type converter struct {
	norm   *Normalizers
	keyer  enrichd.Keyer
	source string    // provenance source name
	file   string    // base name used in record ids
	seenAt time.Time // default SeenAt: the file's modification time

	// NOTE: an export repeats the same few thousand employers on every row,
	// and normalising a company (public-suffix look-ups, URL parsing) costs
	// more than the rest of the row; these caches make it once per employer.
	companies map[companyRaw]*enrichd.Company
	free      map[string]bool // email domain -> free or disposable provider
	phones    map[[2]string]phoneResult
}

// phoneResult is a cached phone normalisation: switchboard numbers repeat on
// every employee's row, and libphonenumber costs ~20 µs a number.
type phoneResult struct {
	e164 string
	err  error
}

// phone normalises raw with the default region, cached.
func (c *converter) phone(raw, region string) (string, error) {
	key := [2]string{raw, region}
	if r, ok := c.phones[key]; ok {
		return r.e164, r.err
	}
	e, err := c.norm.Phone(raw, region)
	if c.phones == nil || len(c.phones) >= maxCache {
		c.phones = make(map[[2]string]phoneResult)
	}
	c.phones[key] = phoneResult{e, err}
	return e, err
}

// maxCache bounds each cache; a full cache is emptied and refilled.
const maxCache = 100_000

// companyRaw is a row's company cells, the key of the company cache.
type companyRaw struct {
	name, domain, linkedin, industry, size, revenue, founded, city, state, country, phone, desc string
}

// provenance returns the provenance of the record at line.
func (c *converter) provenance(line int, seenAt time.Time) enrichd.Provenance {
	return enrichd.Provenance{Source: c.source, RecordID: c.file + ":" + strconv.Itoa(line), SeenAt: seenAt}
}

// rowVals holds one CSV row's values by field.
type rowVals struct {
	first, middle, last, full, linkedin, title, headline, summary, seniority string
	city, state, country, twitter, github, picture                           string
	emails, personal, phones, departments, skills, languages                 []string
	coName, coDomain, coLinkedIn, coIndustry, coSize, coRevenue, coFounded   string
	coCity, coState, coCountry, coPhone, coDesc, updatedAt                   string
	hasPerson, hasCompany                                                    bool
}

// collect checks and sorts the fields of one CSV row into v.
func (c *converter) collect(h *header, rec []string, v *rowVals) error {
	if len(rec) != len(h.field) {
		return rowErrorf("row has %d fields, header has %d", len(rec), len(h.field))
	}
	for i, f := range h.field {
		if f == "" {
			continue
		}
		s := strings.TrimSpace(rec[i])
		if s == "" || nullish(s) {
			continue
		}
		info := fields[f]
		limit := maxShortField
		if info.long {
			limit = maxLongField
		}
		if len(s) > limit {
			return rowErrorf("column %q: value is %d bytes, longer than the %d allowed", h.names[i], len(s), limit)
		}
		if info.person {
			v.hasPerson = true
		} else if f != FieldUpdatedAt {
			v.hasCompany = true
		}
		switch f {
		case FieldFirstName:
			v.first = s
		case FieldMiddleName:
			v.middle = s
		case FieldLastName:
			v.last = s
		case FieldFullName:
			v.full = s
		case FieldEmail:
			v.emails = append(v.emails, s)
		case FieldPersonal:
			v.personal = append(v.personal, s)
		case FieldPhone:
			v.phones = append(v.phones, s)
		case FieldLinkedIn:
			v.linkedin = s
		case FieldTitle:
			v.title = s
		case FieldHeadline:
			v.headline = s
		case FieldSummary:
			v.summary = s
		case FieldSeniority:
			v.seniority = s
		case FieldDepartment:
			v.departments = append(v.departments, s)
		case FieldCity:
			v.city = s
		case FieldState:
			v.state = s
		case FieldCountry:
			v.country = s
		case FieldSkills:
			v.skills = append(v.skills, s)
		case FieldLanguages:
			v.languages = append(v.languages, s)
		case FieldTwitter:
			v.twitter = s
		case FieldGitHub:
			v.github = s
		case FieldPictureURL:
			v.picture = s
		case FieldCoName:
			v.coName = s
		case FieldCoDomain:
			v.coDomain = s
		case FieldCoLinkedIn:
			v.coLinkedIn = s
		case FieldCoIndustry:
			v.coIndustry = s
		case FieldCoSize:
			v.coSize = s
		case FieldCoRevenue:
			v.coRevenue = s
		case FieldCoFounded:
			v.coFounded = s
		case FieldCoCity:
			v.coCity = s
		case FieldCoState:
			v.coState = s
		case FieldCoCountry:
			v.coCountry = s
		case FieldCoPhone:
			v.coPhone = s
		case FieldCoDesc:
			v.coDesc = s
		case FieldUpdatedAt:
			v.updatedAt = s
		}
	}
	return nil
}

// csvRow converts one CSV record into an IngestRecord, or returns a *rowError.
func (c *converter) csvRow(h *header, rec csvRecord) (enrichd.IngestRecord, error) {
	if !utf8.ValidString(rec.raw) {
		return enrichd.IngestRecord{}, rowErrorf("invalid UTF-8 (re-save the file as UTF-8)")
	}
	var vals rowVals // NOTE: on the stack; one heap allocation fewer per row
	v := &vals
	if err := c.collect(h, rec.fields, v); err != nil {
		return enrichd.IngestRecord{}, err
	}
	seenAt := c.seenAt
	if v.updatedAt != "" {
		t, err := parseTime(v.updatedAt)
		if err != nil {
			return enrichd.IngestRecord{}, err
		}
		seenAt = t
	}
	prov := c.provenance(rec.line, seenAt)
	var out enrichd.IngestRecord
	if v.hasCompany {
		co, err := c.company(v, prov)
		if err != nil {
			return out, err
		}
		out.Company = co
	}
	if v.hasPerson {
		p, err := c.person(v, out.Company, prov)
		if err != nil {
			return out, err
		}
		out.Person = p
	}
	if out.Person == nil && out.Company == nil {
		return out, rowErrorf("row has no values")
	}
	return out, nil
}

func (c *converter) company(v *rowVals, prov enrichd.Provenance) (*enrichd.Company, error) {
	key := companyRaw{v.coName, v.coDomain, v.coLinkedIn, v.coIndustry, v.coSize, v.coRevenue, v.coFounded,
		v.coCity, v.coState, v.coCountry, v.coPhone, v.coDesc}
	if cached, ok := c.companies[key]; ok {
		co := *cached
		co.Sources = []enrichd.Provenance{prov}
		return &co, nil
	}
	co, err := c.newCompany(v)
	if err != nil {
		return nil, err
	}
	if c.companies == nil || len(c.companies) >= maxCache {
		c.companies = make(map[companyRaw]*enrichd.Company)
	}
	c.companies[key] = co
	out := *co
	out.Sources = []enrichd.Provenance{prov}
	return &out, nil
}

// newCompany normalises a row's company cells.
func (c *converter) newCompany(v *rowVals) (*enrichd.Company, error) {
	co := &enrichd.Company{
		Name:         normSpace(v.coName),
		Industry:     normSpace(v.coIndustry),
		RevenueRange: normSpace(v.coRevenue),
		Description:  strings.TrimSpace(v.coDesc),
		HQ:           location(v.coCity, v.coState, v.coCountry),
	}
	var err error
	if v.coDomain != "" {
		if co.Domain, err = c.norm.Domain(v.coDomain); err != nil {
			return nil, rowErrorf("company domain %q: %v", v.coDomain, err)
		}
	}
	if v.coLinkedIn != "" {
		if co.LinkedInURL, err = c.norm.CompanyLinkedIn(v.coLinkedIn); err != nil {
			return nil, rowErrorf("company LinkedIn URL %q: %v", v.coLinkedIn, err)
		}
	}
	if v.coSize != "" {
		if co.EmployeeRange, co.EmployeeCount, err = parseCompanySize(v.coSize); err != nil {
			return nil, &rowError{reason: err.Error()}
		}
	}
	if v.coFounded != "" {
		if co.FoundedYear, err = parseYear(v.coFounded); err != nil {
			return nil, &rowError{reason: err.Error()}
		}
	}
	if v.coPhone != "" {
		if co.Phone, err = c.phone(v.coPhone, firstNonEmpty(co.HQ.CountryCode, co.HQ.Country)); err != nil {
			return nil, rowErrorf("company phone %q: %v", v.coPhone, err)
		}
	}
	if co.Domain == "" && co.LinkedInURL == "" && len(c.keyer.CompanyIdentityKeys(co)) == 0 {
		return nil, rowErrorf("company has no usable identifier: give its name, domain or LinkedIn URL")
	}
	return co, nil
}

// isFree reports whether addr is at a free or disposable provider, cached by domain.
func (c *converter) isFree(addr string) bool {
	domain := addr[strings.LastIndexByte(addr, '@')+1:]
	if free, ok := c.free[domain]; ok {
		return free
	}
	free := c.norm.IsFreeEmail(addr)
	if c.free == nil || len(c.free) >= maxCache {
		c.free = make(map[string]bool)
	}
	c.free[domain] = free
	return free
}

// hasIdentity reports whether p has an identity key. A canonical LinkedIn
// URL or a valid address always is one (see match.Keyer), which spares
// computing the keys of nearly every row; otherwise the Keyer decides.
func (c *converter) hasIdentity(p *enrichd.Person) bool {
	if p.Social.LinkedInURL != "" || len(p.Contact.BusinessEmails) > 0 || len(p.Contact.PersonalEmails) > 0 {
		return true
	}
	return len(c.keyer.PersonIdentityKeys(p)) > 0
}

func (c *converter) person(v *rowVals, co *enrichd.Company, prov enrichd.Provenance) (*enrichd.Person, error) {
	p := &enrichd.Person{
		Title:    normSpace(v.title),
		Headline: normSpace(v.headline),
		Summary:  strings.TrimSpace(v.summary),
		Location: location(v.city, v.state, v.country),
		Sources:  []enrichd.Provenance{prov},
	}
	setNames(p, v.first, v.middle, v.last, v.full)
	var err error
	if v.linkedin != "" {
		if p.Social.LinkedInURL, err = c.norm.PersonLinkedIn(v.linkedin); err != nil {
			return nil, rowErrorf("LinkedIn URL %q: %v", v.linkedin, err)
		}
	}
	for _, e := range v.emails {
		addr, err := c.norm.Email(e)
		if err != nil {
			return nil, rowErrorf("email %q: %v", e, err)
		}
		email := enrichd.Email{Address: addr, Status: enrichd.StatusUnknown, Source: c.source}
		if c.isFree(addr) {
			p.Contact.PersonalEmails = appendEmail(p.Contact.PersonalEmails, email)
		} else {
			p.Contact.BusinessEmails = appendEmail(p.Contact.BusinessEmails, email)
		}
	}
	for _, e := range v.personal {
		addr, err := c.norm.Email(e)
		if err != nil {
			return nil, rowErrorf("personal email %q: %v", e, err)
		}
		p.Contact.PersonalEmails = appendEmail(p.Contact.PersonalEmails,
			enrichd.Email{Address: addr, Status: enrichd.StatusUnknown, Source: c.source})
	}
	region := firstNonEmpty(p.Location.CountryCode, p.Location.Country)
	for _, raw := range v.phones {
		num, err := c.phone(raw, region)
		if err != nil {
			return nil, rowErrorf("phone %q: %v", raw, err)
		}
		if !hasPhone(p.Contact.Phones, num) {
			p.Contact.Phones = append(p.Contact.Phones,
				enrichd.Phone{Number: num, Status: enrichd.StatusUnknown, Source: c.source})
		}
	}
	if v.seniority != "" {
		s, ok := parseSeniority(v.seniority)
		if !ok {
			return nil, rowErrorf("seniority %q: want executive, senior, mid or junior (or a common label such as VP, Director, Manager, Entry)", v.seniority)
		}
		p.Seniority = s
	} else if p.Title != "" {
		p.Seniority = c.norm.Seniority(p.Title)
	}
	for _, d := range v.departments {
		p.Departments = appendList(p.Departments, d)
	}
	for _, s := range v.skills {
		p.Skills = appendList(p.Skills, s)
	}
	for _, l := range v.languages {
		p.Languages = appendList(p.Languages, l)
	}
	p.Social.Twitter = handle(v.twitter, "twitter.com", "x.com", "mobile.twitter.com")
	p.Social.GitHub = handle(v.github, "github.com")
	p.PictureURL = v.picture
	if co != nil {
		job := enrichd.Employment{Current: true, Title: p.Title, Seniority: p.Seniority}
		if len(p.Departments) > 0 {
			job.Department = p.Departments[0]
		}
		if co != nil {
			job.CompanyName, job.CompanyDomain, job.CompanyLinkedInURL = co.Name, co.Domain, co.LinkedInURL
		}
		p.Employment = []enrichd.Employment{job}
	}
	if !c.hasIdentity(p) {
		return nil, rowErrorf("person has no usable identifier: give a LinkedIn profile URL or an email (or first and last name with a company, city or phone)")
	}
	return p, nil
}

// setNames fills the name fields, deriving the full name from the parts or
// the parts from the full name ("Doe, Jane", "Dr. Jane A. Doe, PhD").
func setNames(p *enrichd.Person, first, middle, last, full string) {
	p.FirstName, p.MiddleName, p.LastName, p.FullName = normSpace(first), normSpace(middle), normSpace(last), normSpace(full)
	if p.FullName == "" {
		p.FullName = strings.Join(nonEmpty(p.FirstName, p.MiddleName, p.LastName), " ")
		return
	}
	if p.FirstName != "" || p.LastName != "" {
		return
	}
	n := match.ParseName(p.FullName)
	p.FirstName, p.MiddleName, p.LastName = n.First, n.Middle, n.Last
}

func nonEmpty(ss ...string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// location builds a Location, with the ISO code of a country given by name or code.
func location(city, state, country string) enrichd.Location {
	l := enrichd.Location{City: normSpace(city), State: normSpace(state), Country: normSpace(country)}
	l.CountryCode = match.CountryCode(l.Country)
	l.Raw = strings.Join(nonEmpty(l.City, l.State, l.Country), ", ")
	return l
}

// appendList appends the ';'-separated items of s to list, skipping blanks
// and case-insensitive duplicates.
func appendList(list []string, s string) []string {
	for item := range strings.SplitSeq(s, ";") {
		item = normSpace(item)
		if item == "" {
			continue
		}
		dup := false
		for _, have := range list {
			if strings.EqualFold(have, item) {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, item)
		}
	}
	return list
}

func appendEmail(list []enrichd.Email, e enrichd.Email) []enrichd.Email {
	for _, have := range list {
		if have.Address == e.Address {
			return list
		}
	}
	return append(list, e)
}

func hasPhone(list []enrichd.Phone, num string) bool {
	for _, have := range list {
		if have.Number == num {
			return true
		}
	}
	return false
}

// parseYear reads a founding year: "1998", or the year of a date "1998-04-01".
func parseYear(s string) (int, error) {
	t := s
	if len(t) > 4 && (t[4] == '-' || t[4] == '/') {
		t = t[:4]
	}
	y, err := strconv.Atoi(t)
	if err != nil || y < 1000 || y > time.Now().Year()+1 {
		return 0, fmt.Errorf("founded year %q: want a year such as 1998", s)
	}
	return y, nil
}

// timeLayouts are the updated_at forms accepted, most common first.
var timeLayouts = []string{
	time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02",
}

// parseTime reads an updated_at value: RFC 3339, a date, or Unix seconds or
// milliseconds. Times without a zone are UTC.
func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n > 0 {
		if n >= 1e12 {
			return time.UnixMilli(n).UTC(), nil
		}
		return time.Unix(n, 0).UTC(), nil
	}
	return time.Time{}, rowErrorf("updated_at %q: want an RFC 3339 time (2024-05-01T12:00:00Z), a date, or Unix seconds", s)
}
