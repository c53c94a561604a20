package enrichd

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"
)

// MergePerson merges src, a newly received record, into dst, the golden
// record, and reports whether dst changed. Ingest uses it for every record.
//
// Rules (issue 2, "Import"):
//   - src is newer than dst unless the latest SeenAt of its Sources (or its
//     UpdatedAt when it has none) is before dst.UpdatedAt. A newer src wins
//     every scalar field it has a value for; an older one only fills blanks.
//   - List fields are unioned without duplicates: emails by address
//     (case-insensitively), phones by number, skills, departments, languages
//     and websites case-insensitively, employment by company, title and start
//     (a blank title or start matches any), education by school, degree and
//     start, certifications by name, honors by title. Matching entries merge
//     field by field under the same newer-wins rule.
//   - When a newer src has a current job, dst's other current jobs become past
//     jobs: a person's current employer is in effect a single value.
//   - Location is merged as a unit when the two disagree, so that a city is
//     never paired with another record's country; when src only adds detail
//     to an agreeing location, the blanks are filled.
//   - Sources are appended, without duplicates by (Source, RecordID).
//   - ID and CreatedAt of dst are kept; UpdatedAt only moves when something
//     changed, to the later of dst.UpdatedAt and src's time (now when src has
//     no time).
func MergePerson(dst, src *Person) (changed bool) {
	srcTime := recordTime(src.Sources, src.UpdatedAt)
	m := merger{newer: srcTime.IsZero() || !srcTime.Before(dst.UpdatedAt)}

	m.str(&dst.FullName, src.FullName)
	m.str(&dst.FirstName, src.FirstName)
	m.str(&dst.MiddleName, src.MiddleName)
	m.str(&dst.LastName, src.LastName)
	m.str(&dst.Headline, src.Headline)
	m.str(&dst.Summary, src.Summary)
	m.str(&dst.Title, src.Title)
	m.str(&dst.Seniority, src.Seniority)
	m.strs(&dst.Departments, src.Departments)
	m.location(&dst.Location, src.Location)
	m.strs(&dst.Languages, src.Languages)
	m.strs(&dst.Skills, src.Skills)
	m.jobs(&dst.Employment, src.Employment)
	m.education(&dst.Education, src.Education)
	m.certifications(&dst.Certifications, src.Certifications)
	m.honors(&dst.Honors, src.Honors)
	m.emails(&dst.Contact.BusinessEmails, src.Contact.BusinessEmails)
	m.emails(&dst.Contact.PersonalEmails, src.Contact.PersonalEmails)
	m.phones(&dst.Contact.Phones, src.Contact.Phones)
	m.strs(&dst.Contact.Websites, src.Contact.Websites)
	m.str(&dst.Social.LinkedInURL, src.Social.LinkedInURL)
	m.str(&dst.Social.LinkedInMemberID, src.Social.LinkedInMemberID)
	m.str(&dst.Social.Twitter, src.Social.Twitter)
	m.str(&dst.Social.GitHub, src.Social.GitHub)
	m.str(&dst.Social.Facebook, src.Social.Facebook)
	m.str(&dst.PictureURL, src.PictureURL)
	m.int(&dst.Connections, src.Connections)
	m.int(&dst.Followers, src.Followers)
	m.extra(&dst.Extra, src.Extra)
	m.sources(&dst.Sources, src.Sources, false)

	if m.changed {
		dst.UpdatedAt = movedTime(dst.UpdatedAt, srcTime)
	}
	return m.changed
}

// MergeCompany merges src into dst under the rules of MergePerson and reports
// whether dst changed. A different primary domain from a newer src becomes
// the primary one and the old one moves to OtherDomains (from an older src it
// joins OtherDomains): no domain is ever dropped.
//
// NOTE: every employee row of a file restates its company, so company Sources
// hold one entry per source name (the first record that brought it), not one
// per row: otherwise a large employer's record would grow with, and be
// rewritten for, every employee imported.
func MergeCompany(dst, src *Company) bool {
	srcTime := recordTime(src.Sources, src.UpdatedAt)
	m := merger{newer: srcTime.IsZero() || !srcTime.Before(dst.UpdatedAt)}

	m.str(&dst.Name, src.Name)
	m.str(&dst.LegalName, src.LegalName)
	m.domain(dst, src.Domain)
	for _, d := range src.OtherDomains {
		if !strings.EqualFold(d, dst.Domain) {
			m.strs(&dst.OtherDomains, []string{d})
		}
	}
	m.str(&dst.LinkedInURL, src.LinkedInURL)
	m.str(&dst.Industry, src.Industry)
	m.str(&dst.EmployeeRange, src.EmployeeRange)
	m.int(&dst.EmployeeCount, src.EmployeeCount)
	m.str(&dst.RevenueRange, src.RevenueRange)
	m.int(&dst.FoundedYear, src.FoundedYear)
	m.location(&dst.HQ, src.HQ)
	m.str(&dst.Phone, src.Phone)
	m.str(&dst.Description, src.Description)
	m.str(&dst.EmailPattern, src.EmailPattern)
	m.extra(&dst.Extra, src.Extra)
	m.sources(&dst.Sources, src.Sources, true)

	if m.changed {
		dst.UpdatedAt = movedTime(dst.UpdatedAt, srcTime)
	}
	return m.changed
}

// recordTime is when a record's data was seen: the latest SeenAt of its
// sources, else its UpdatedAt (zero when unknown).
func recordTime(sources []Provenance, updated time.Time) time.Time {
	var t time.Time
	for _, s := range sources {
		if s.SeenAt.After(t) {
			t = s.SeenAt
		}
	}
	if t.IsZero() {
		return updated
	}
	return t
}

// movedTime is the UpdatedAt of a changed record.
func movedTime(old, src time.Time) time.Time {
	if src.IsZero() {
		src = time.Now().UTC()
	}
	if src.After(old) {
		return src
	}
	return old
}

// merger applies the newer-wins rule field by field and notes any change.
type merger struct {
	newer   bool // src is at least as new as dst: its values win
	changed bool
}

func (m *merger) str(d *string, s string) {
	if s == "" || *d == s {
		return
	}
	if *d == "" || m.newer {
		*d = s
		m.changed = true
	}
}

func (m *merger) int(d *int, s int) {
	if s == 0 || *d == s {
		return
	}
	if *d == 0 || m.newer {
		*d = s
		m.changed = true
	}
}

// strs unions s into d case-insensitively, keeping d's spelling of a value
// that is already there.
func (m *merger) strs(d *[]string, s []string) {
	for _, v := range s {
		if v == "" || containsFold(*d, v) {
			continue
		}
		*d = append(*d, v)
		m.changed = true
	}
}

func containsFold(list []string, v string) bool {
	for _, x := range list {
		if strings.EqualFold(x, v) {
			return true
		}
	}
	return false
}

func (m *merger) location(d *Location, s Location) {
	if s == (Location{}) || *d == s {
		return
	}
	agree := func(a, b string) bool { return a == "" || b == "" || strings.EqualFold(a, b) }
	if agree(d.Raw, s.Raw) && agree(d.City, s.City) && agree(d.State, s.State) &&
		agree(d.Country, s.Country) && agree(d.CountryCode, s.CountryCode) && agree(d.Continent, s.Continent) {
		// Same place, maybe more detail: fill blanks only, whatever the age.
		fill := merger{}
		fill.str(&d.Raw, s.Raw)
		fill.str(&d.City, s.City)
		fill.str(&d.State, s.State)
		fill.str(&d.Country, s.Country)
		fill.str(&d.CountryCode, s.CountryCode)
		fill.str(&d.Continent, s.Continent)
		m.changed = m.changed || fill.changed
		return
	}
	if *d == (Location{}) || m.newer {
		*d = s
		m.changed = true
	}
}

func (m *merger) domain(dst *Company, s string) {
	switch {
	case s == "" || strings.EqualFold(dst.Domain, s):
	case dst.Domain == "":
		dst.Domain = s
		m.changed = true
	case m.newer:
		old := dst.Domain
		dst.Domain = s
		m.changed = true
		m.strs(&dst.OtherDomains, []string{old})
	default:
		m.strs(&dst.OtherDomains, []string{s})
	}
	// The primary domain is never also listed among the others.
	for i, d := range dst.OtherDomains {
		if strings.EqualFold(d, dst.Domain) {
			dst.OtherDomains = append(dst.OtherDomains[:i:i], dst.OtherDomains[i+1:]...)
			m.changed = true
			break
		}
	}
}

// compatible reports whether two optional values may describe the same thing:
// equal case-insensitively, or one of them blank.
func compatible(a, b string) bool { return a == "" || b == "" || strings.EqualFold(a, b) }

// sameEmployer reports whether two jobs are at the same company, trusting
// company ids first, then domain, LinkedIn URL and name.
func sameEmployer(a, b *Employment) bool {
	switch {
	case a.CompanyID != "" && b.CompanyID != "":
		return a.CompanyID == b.CompanyID
	case a.CompanyDomain != "" && b.CompanyDomain != "":
		return strings.EqualFold(a.CompanyDomain, b.CompanyDomain)
	case a.CompanyLinkedInURL != "" && b.CompanyLinkedInURL != "":
		return strings.EqualFold(a.CompanyLinkedInURL, b.CompanyLinkedInURL)
	case a.CompanyName != "" && b.CompanyName != "":
		return strings.EqualFold(strings.TrimSpace(a.CompanyName), strings.TrimSpace(b.CompanyName))
	}
	return false
}

func (m *merger) jobs(d *[]Employment, s []Employment) {
	if len(s) == 0 {
		return
	}
	n := len(*d)
	matched := make([]bool, n)
	srcCurrent := false
	for i := range s {
		sj := &s[i]
		srcCurrent = srcCurrent || sj.Current
		idx := -1
		for j := range *d {
			dj := &(*d)[j]
			if sameEmployer(dj, sj) && compatible(dj.Title, sj.Title) && compatible(dj.Start, sj.Start) {
				idx = j
				break
			}
		}
		if idx < 0 {
			*d = append(*d, *sj)
			m.changed = true
			continue
		}
		if idx < n {
			matched[idx] = true
		}
		dj := &(*d)[idx]
		m.str(&dj.CompanyID, sj.CompanyID)
		m.str(&dj.CompanyName, sj.CompanyName)
		m.str(&dj.CompanyDomain, sj.CompanyDomain)
		m.str(&dj.CompanyLinkedInURL, sj.CompanyLinkedInURL)
		m.str(&dj.Title, sj.Title)
		m.str(&dj.Seniority, sj.Seniority)
		m.str(&dj.Department, sj.Department)
		m.str(&dj.Start, sj.Start)
		m.str(&dj.End, sj.End)
		m.str(&dj.Description, sj.Description)
		m.str(&dj.Location, sj.Location)
		if m.newer && dj.Current != sj.Current {
			dj.Current = sj.Current
			m.changed = true
		}
	}
	if m.newer && srcCurrent {
		for j := 0; j < n; j++ {
			if !matched[j] && (*d)[j].Current {
				(*d)[j].Current = false
				m.changed = true
			}
		}
	}
}

// mergeList merges s into *d: an item of s that is the same as an item of
// *d fills it in, any other item is appended.
func mergeList[T any](m *merger, d *[]T, s []T, same func(a, b *T) bool, fill func(dst, src *T)) {
	for i := range s {
		src := &s[i]
		idx := slices.IndexFunc(*d, func(x T) bool { return same(&x, src) })
		if idx < 0 {
			*d = append(*d, *src)
			m.changed = true
			continue
		}
		fill(&(*d)[idx], src)
	}
}

func (m *merger) education(d *[]Education, s []Education) {
	mergeList(m, d, s, func(a, b *Education) bool {
		return strings.EqualFold(a.School, b.School) && compatible(a.Degree, b.Degree) && compatible(a.Start, b.Start)
	}, func(dst, src *Education) {
		m.str(&dst.Degree, src.Degree)
		m.str(&dst.Field, src.Field)
		m.str(&dst.Start, src.Start)
		m.str(&dst.End, src.End)
	})
}

func (m *merger) certifications(d *[]Certification, s []Certification) {
	mergeList(m, d, s, func(a, b *Certification) bool {
		return strings.EqualFold(a.Name, b.Name) && compatible(a.IssuingOrganization, b.IssuingOrganization)
	}, func(dst, src *Certification) {
		m.str(&dst.IssuingOrganization, src.IssuingOrganization)
		m.str(&dst.IssueDate, src.IssueDate)
		m.str(&dst.ExpirationDate, src.ExpirationDate)
		m.str(&dst.CredentialURL, src.CredentialURL)
	})
}

func (m *merger) honors(d *[]Honor, s []Honor) {
	mergeList(m, d, s, func(a, b *Honor) bool {
		return strings.EqualFold(a.Title, b.Title) && compatible(a.Issuer, b.Issuer)
	}, func(dst, src *Honor) {
		m.str(&dst.Issuer, src.Issuer)
		m.str(&dst.IssuedDate, src.IssuedDate)
		m.str(&dst.Description, src.Description)
	})
}

func (m *merger) emails(d *[]Email, s []Email) {
	for _, se := range s {
		if se.Address == "" {
			continue
		}
		idx := -1
		for j, de := range *d {
			if strings.EqualFold(de.Address, se.Address) {
				idx = j
				break
			}
		}
		if idx < 0 {
			*d = append(*d, se)
			m.changed = true
			continue
		}
		de := &(*d)[idx]
		m.str(&de.Status, se.Status)
		m.str(&de.Source, se.Source)
	}
}

func (m *merger) phones(d *[]Phone, s []Phone) {
	for _, sp := range s {
		if sp.Number == "" {
			continue
		}
		idx := -1
		for j, dp := range *d {
			if dp.Number == sp.Number {
				idx = j
				break
			}
		}
		if idx < 0 {
			*d = append(*d, sp)
			m.changed = true
			continue
		}
		dp := &(*d)[idx]
		m.str(&dp.Type, sp.Type)
		m.str(&dp.Status, sp.Status)
		m.str(&dp.Source, sp.Source)
	}
}

func (m *merger) extra(d *map[string]json.RawMessage, s map[string]json.RawMessage) {
	for k, v := range s {
		old, ok := (*d)[k]
		if ok && (bytes.Equal(old, v) || !m.newer) {
			continue
		}
		if *d == nil {
			*d = make(map[string]json.RawMessage, len(s))
		}
		(*d)[k] = v
		m.changed = true
	}
}

// sources appends the provenance entries of s not yet in d, by (Source,
// RecordID), or by Source alone when bySource.
func (m *merger) sources(d *[]Provenance, s []Provenance, bySource bool) {
	for _, sp := range s {
		dup := false
		for _, dp := range *d {
			if dp.Source == sp.Source && (bySource || dp.RecordID == sp.RecordID) {
				dup = true
				break
			}
		}
		if !dup {
			*d = append(*d, sp)
			m.changed = true
		}
	}
}
