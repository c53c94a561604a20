// Package demo generates a deterministic, realistic demo data set (people,
// their employers and careers) and loads it through an enrichd.IngestService,
// so that `enrichd serve --demo` has something worth querying on first run.
//
// The same seed always yields the same records, so a later run can name demo
// people (for the printed curl commands) without reading the store.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// Defaults of Options.
const (
	DefaultPeople    = 10_000
	DefaultCompanies = 600
	DefaultSeed      = 20261122
	DefaultBatch     = 1000
	// Source names the demo data in each record's provenance.
	Source = "enrichd-demo"
	// CRMSource names the second, partial copies of some people, which ingest
	// merges into their golden records.
	CRMSource = "enrichd-demo-crm"
)

// Options size the generated data set.
type Options struct {
	People    int
	Companies int
	Seed      uint64
}

// DefaultOptions returns ≥ 10,000 people at ≥ 500 companies.
func DefaultOptions() Options {
	return Options{People: DefaultPeople, Companies: DefaultCompanies, Seed: DefaultSeed}
}

// Dataset is a generated data set.
type Dataset struct {
	Companies []*enrichd.Company
	People    []*enrichd.Person
	// Records is what to ingest, in order: every company alone, then each
	// person with their current employer, then partial duplicates of some
	// people from a second source (which merge), then DocExamples.
	Records []enrichd.IngestRecord
}

// rng wraps a seeded generator with helpers.
type rng struct{ *rand.Rand }

func (r *rng) pick(s []string) string { return s[r.IntN(len(s))] }
func (r *rng) chance(p float64) bool  { return r.Float64() < p }
func (r *rng) between(lo, hi int) int { return lo + r.IntN(hi-lo+1) }
func (r *rng) digits(n int) string    { return r.digitsFrom("0123456789", n) }
func (r *rng) digitsFrom(set string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = set[r.IntN(len(set))]
	}
	return string(b)
}

// seenAt is the fixed provenance time of the demo data, so that runs are
// byte-for-byte reproducible.
var seenAt = time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)

// Generate builds the data set for opt. It is deterministic in opt.
func Generate(opt Options) *Dataset {
	if opt.People <= 0 {
		opt.People = DefaultPeople
	}
	if opt.Companies <= 0 {
		opt.Companies = DefaultCompanies
	}
	r := &rng{rand.New(rand.NewPCG(opt.Seed, opt.Seed^0x9e3779b97f4a7c15))}
	g := &generator{r: r, domains: map[string]bool{}, names: map[string]bool{}, emails: map[string]bool{}, slugs: map[string]bool{}}
	ds := &Dataset{}
	for i := 0; i < opt.Companies; i++ {
		ds.Companies = append(ds.Companies, g.company(i))
	}
	for _, c := range ds.Companies {
		ds.Records = append(ds.Records, enrichd.IngestRecord{Company: clone(c)})
	}
	for i := 0; i < opt.People; i++ {
		// Bigger companies employ more of the demo people.
		c := ds.Companies[weightedCompany(r, len(ds.Companies))]
		p := g.person(i, c, ds.Companies)
		ds.People = append(ds.People, p)
		ds.Records = append(ds.Records, enrichd.IngestRecord{Person: clonePerson(p), Company: clone(c)})
	}
	// About 8% of people also come from a CRM export that knows only some
	// fields, plus a phone or a skill; ingest merges them by LinkedIn URL or email.
	for i, p := range ds.People {
		if r.chance(0.08) {
			ds.Records = append(ds.Records, enrichd.IngestRecord{Person: g.crmCopy(i, p)})
		}
	}
	// The vendors' documentation examples resolve too (see DocExamples).
	ds.Records = append(ds.Records, DocExamples()...)
	return ds
}

// weightedCompany favours low indexes, which get the larger sizes.
func weightedCompany(r *rng, n int) int {
	x := r.Float64()
	return int(x * x * float64(n))
}

type generator struct {
	r       *rng
	domains map[string]bool
	names   map[string]bool
	emails  map[string]bool
	slugs   map[string]bool
}

func (g *generator) company(i int) *enrichd.Company {
	r := g.r
	cu := &cultures[r.IntN(len(cultures))]
	hq := cu.country[r.IntN(len(cu.country))]

	var base string
	for tries := 0; ; tries++ {
		switch {
		case i%12 == 0 && i/12 < len(localCompanies):
			base = localCompanies[i/12]
		case r.chance(0.5):
			base = r.pick(companyStems) + r.pick(companyTails)
		default:
			base = r.pick(companyStems) + r.pick(companyTails) + " " + r.pick(companyKinds)
		}
		if tries > 5 {
			base += " " + r.pick(companyKinds)
		}
		if !g.names[base] {
			break
		}
	}
	g.names[base] = true

	// Larger companies first, so that weightedCompany sends more people there.
	var size = employeeRanges[r.IntN(4)]
	switch {
	case i < 30:
		size = employeeRanges[4+r.IntN(3)]
	case i < 120:
		size = employeeRanges[2+r.IntN(3)]
	}
	slug := slugify(base, "")
	tld := r.pick(tlds[hq.Code])
	domain := slug + "." + tld
	for n := 2; g.domains[domain]; n++ {
		domain = fmt.Sprintf("%s%d.%s", slug, n, tld)
	}
	g.domains[domain] = true
	liSlug, _, _ := strings.Cut(domain, ".")
	form := r.pick(legalForms[hq.Code])
	c := &enrichd.Company{
		Name:          base,
		LegalName:     base + " " + form,
		Domain:        domain,
		LinkedInURL:   "https://www.linkedin.com/company/" + liSlug,
		Industry:      r.pick(industries),
		EmployeeRange: size.Range,
		EmployeeCount: r.between(size.Min, size.Max),
		RevenueRange:  size.Revenue,
		FoundedYear:   r.between(1950, 2022),
		HQ:            enrichd.Location{Raw: joinNonEmpty(", ", hq.City, hq.State, hq.Country), City: hq.City, State: hq.State, Country: hq.Country, CountryCode: hq.Code, Continent: hq.Continent},
		EmailPattern:  r.pick(emailPatterns),
		Sources:       []enrichd.Provenance{{Source: Source, RecordID: fmt.Sprintf("company:%d", i), SeenAt: seenAt}},
	}
	if r.chance(0.1) {
		c.OtherDomains = []string{slug + "." + r.pick([]string{"com", "net", "io"})}
		if c.OtherDomains[0] == c.Domain {
			c.OtherDomains = nil
		}
	}
	if r.chance(0.6) {
		c.Phone = cu.phone(r)
	}
	c.Description = fmt.Sprintf("%s is a %s company headquartered in %s, founded in %d.", base, strings.ToLower(c.Industry), hq.City, c.FoundedYear)
	return c
}

// level is a seniority with its weight among the demo people.
var levels = []struct {
	Seniority string
	Weight    float64
}{{enrichd.SeniorityJunior, 0.25}, {enrichd.SeniorityMid, 0.4}, {enrichd.SenioritySenior, 0.28}, {enrichd.SeniorityExecutive, 0.07}}

func (g *generator) level() int {
	x := g.r.Float64()
	for i, l := range levels {
		if x < l.Weight {
			return i
		}
		x -= l.Weight
	}
	return len(levels) - 1
}

func titleAt(d *department, lvl int) []string {
	return [][]string{d.Junior, d.Mid, d.Senior, d.Exec}[lvl]
}

func (g *generator) person(i int, c *enrichd.Company, all []*enrichd.Company) *enrichd.Person {
	r := g.r
	// Most people share their employer's culture and country; some moved.
	cu := cultureOf(c.HQ.CountryCode)
	if r.chance(0.25) {
		cu = &cultures[r.IntN(len(cultures))]
	}
	loc := place{c.HQ.City, c.HQ.State, c.HQ.Country, c.HQ.CountryCode, c.HQ.Continent}
	if r.chance(0.3) {
		loc = cu.country[r.IntN(len(cu.country))]
	}

	first := r.pick(cu.first)
	last := r.pick(cu.last)
	if r.chance(cu.hyphen) {
		if other := r.pick(cu.last); other != last {
			last += "-" + other
		}
	}
	var middle string
	if r.chance(cu.middle) {
		middle = r.pick(cu.first)
		if middle == first {
			middle = ""
		}
	}
	full := joinNonEmpty(" ", first, middle, last)

	dept := &departments[r.IntN(len(departments))]
	lvl := g.level()
	title := r.pick(titleAt(dept, lvl))

	p := &enrichd.Person{
		FullName:    full,
		FirstName:   first,
		MiddleName:  middle,
		LastName:    last,
		Title:       title,
		Seniority:   levels[lvl].Seniority,
		Departments: []string{dept.Name},
		Location:    enrichd.Location{Raw: joinNonEmpty(", ", loc.City, loc.State, loc.Country), City: loc.City, State: loc.State, Country: loc.Country, CountryCode: loc.Code, Continent: loc.Continent},
		Languages:   languages[loc.Code],
		Connections: r.between(40, 500) * r.between(1, 10),
		Sources:     []enrichd.Provenance{{Source: Source, RecordID: fmt.Sprintf("person:%d", i), SeenAt: seenAt}},
	}
	p.Followers = p.Connections + r.IntN(2000)
	p.Headline = title + " at " + c.Name
	// Career: the current job, then up to three earlier ones, going back in
	// time with lower seniority.
	year := 2026 - r.between(0, 6)
	cur := enrichd.Employment{
		CompanyName: c.Name, CompanyDomain: c.Domain, CompanyLinkedInURL: c.LinkedInURL,
		Title: title, Seniority: p.Seniority, Department: dept.Name,
		Start: fmt.Sprintf("%d-%02d", year, r.between(1, 12)), Current: true, Location: p.Location.Raw,
	}
	p.Employment = append(p.Employment, cur)
	// Some people hold a second current role (advisor, board member, founder).
	if r.chance(0.07) {
		other := all[r.IntN(len(all))]
		if other != c {
			p.Employment = append(p.Employment, enrichd.Employment{
				CompanyName: other.Name, CompanyDomain: other.Domain, CompanyLinkedInURL: other.LinkedInURL,
				Title:     r.pick([]string{"Advisor", "Board Member", "Mentor", "Angel Investor", "Non-Executive Director"}),
				Seniority: enrichd.SeniorityExecutive, Department: "Advisory",
				Start: fmt.Sprintf("%d-%02d", year-r.between(0, 3), r.between(1, 12)), Current: true,
			})
		}
	}
	end := year
	for j, n := 0, r.IntN(4); j < n; j++ {
		prev := all[r.IntN(len(all))]
		if prev == c {
			continue
		}
		plvl := max(0, lvl-1-r.IntN(2)+j/2)
		if j > 0 {
			plvl = max(0, plvl-1)
		}
		start := end - r.between(1, 5)
		p.Employment = append(p.Employment, enrichd.Employment{
			CompanyName: prev.Name, CompanyDomain: prev.Domain, CompanyLinkedInURL: prev.LinkedInURL,
			Title: r.pick(titleAt(dept, plvl)), Seniority: levels[plvl].Seniority, Department: dept.Name,
			Start: fmt.Sprintf("%d-%02d", start, r.between(1, 12)), End: fmt.Sprintf("%d-%02d", end, r.between(1, 12)),
			Location: prev.HQ.City,
		})
		end = start
	}

	// Education ends before the first job.
	school := r.pick(schoolsFor(loc.Code))
	gradYear := end - r.between(0, 2)
	p.Education = append(p.Education, enrichd.Education{
		School: school, Degree: r.pick(degrees), Field: r.pick(dept.Degrees),
		Start: fmt.Sprint(gradYear - r.between(3, 5)), End: fmt.Sprint(gradYear),
	})
	if r.chance(0.2) {
		p.Education = append(p.Education, enrichd.Education{
			School: r.pick(schoolsFor(r.pick([]string{"US", "GB", "FR", "DE", "ES", "SG"}))), Degree: "MBA", Field: "Business Administration",
			Start: fmt.Sprint(gradYear + 3), End: fmt.Sprint(gradYear + 5),
		})
	}

	if r.chance(0.4) {
		p.Summary = fmt.Sprintf("%s professional with %d years of experience in %s. Focused on %s and %s.",
			dept.Name, max(1, 2026-gradYear), strings.ToLower(c.Industry),
			strings.ToLower(r.pick(dept.Skills)), strings.ToLower(r.pick(dept.Skills)))
	}

	// Skills: 3–8 of the department's.
	for _, k := range r.Perm(len(dept.Skills))[:r.between(3, min(8, len(dept.Skills)))] {
		p.Skills = append(p.Skills, dept.Skills[k])
	}

	// Identifiers. Almost everyone has a LinkedIn profile; everyone has a
	// business address in the company's pattern (so that each record has an
	// identity key); some have personal addresses and phones.
	if r.chance(0.93) {
		p.Social.LinkedInURL = "https://www.linkedin.com/in/" + g.linkedinSlug(first, last)
	}
	p.Contact.BusinessEmails = []enrichd.Email{{
		Address: g.businessEmail(c, first, last),
		Status:  pickStatus(r),
		Source:  Source,
	}}
	if r.chance(0.3) {
		addr := slugify(first, ".") + "." + slugify(last, ".")
		if r.chance(0.5) {
			addr += fmt.Sprint(r.between(1, 99))
		}
		addr += "@" + r.pick(cu.personal)
		if !g.emails[addr] {
			g.emails[addr] = true
			p.Contact.PersonalEmails = []enrichd.Email{{Address: addr, Status: enrichd.StatusVerified, Source: Source}}
		}
	}
	if r.chance(0.25) {
		p.Contact.Phones = []enrichd.Phone{{Number: cu.phone(r), Type: "mobile", Status: enrichd.StatusVerified, Source: Source}}
	}
	if dept.Name == "Engineering" && r.chance(0.4) {
		p.Social.GitHub = initial(first) + slugify(last, "")
	}
	if r.chance(0.15) {
		p.Social.Twitter = slugify(first, "") + "_" + slugify(last, "")[:min(6, len(slugify(last, "")))]
	}
	if r.chance(0.05) {
		p.Certifications = []enrichd.Certification{{Name: r.pick([]string{"AWS Certified Solutions Architect", "PMP", "Certified Scrum Master", "CFA Level II", "CIPP/E", "Google Analytics Certification"}), IssuingOrganization: r.pick([]string{"Amazon Web Services", "PMI", "Scrum Alliance", "CFA Institute", "IAPP", "Google"}), IssueDate: fmt.Sprint(r.between(2015, 2025))}}
	}
	return p
}

func pickStatus(r *rng) string {
	if r.chance(0.85) {
		return enrichd.StatusVerified
	}
	return enrichd.StatusUnknown
}

// crmCopy returns a partial second record of p, as another source would
// have it: identity keys, a name, sometimes a newer phone or an extra skill.
func (g *generator) crmCopy(i int, p *enrichd.Person) *enrichd.Person {
	q := &enrichd.Person{
		FullName:  p.FullName,
		FirstName: p.FirstName,
		LastName:  p.LastName,
		Social:    enrichd.Social{LinkedInURL: p.Social.LinkedInURL},
		Contact:   enrichd.Contact{BusinessEmails: p.Contact.BusinessEmails},
		Sources:   []enrichd.Provenance{{Source: CRMSource, RecordID: fmt.Sprintf("crm:%d", i), SeenAt: seenAt.Add(24 * time.Hour)}},
	}
	if g.r.chance(0.5) {
		cu := cultureOf(p.Location.CountryCode)
		q.Contact.Phones = []enrichd.Phone{{Number: cu.phone(g.r), Type: "work", Status: enrichd.StatusUnknown, Source: CRMSource}}
	}
	if g.r.chance(0.5) {
		q.Skills = []string{"Public Speaking"}
	}
	return q
}

// businessEmail applies the company's pattern, disambiguating namesakes the
// way mail admins do: with a digit.
func (g *generator) businessEmail(c *enrichd.Company, first, last string) string {
	f, l := slugify(first, ""), slugify(last, "")
	local := strings.NewReplacer("{first}", f, "{last}", l, "{f}", initial(first), "{l}", initial(last)).Replace(c.EmailPattern)
	addr := local + "@" + c.Domain
	for n := 2; g.emails[addr]; n++ {
		addr = fmt.Sprintf("%s%d@%s", local, n, c.Domain)
	}
	g.emails[addr] = true
	return addr
}

func (g *generator) linkedinSlug(first, last string) string {
	base := slugify(first, "-") + "-" + slugify(last, "-")
	slug := base
	for g.slugs[slug] {
		slug = fmt.Sprintf("%s-%x", base, g.r.Uint32()&0xffffff)
	}
	g.slugs[slug] = true
	return slug
}

// slugify folds s to lower-case ASCII letters and digits, joining words with sep.
func slugify(s, sep string) string {
	f := match.Fold(s)
	return strings.Join(strings.FieldsFunc(f, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}), sep)
}

// initial returns the first folded letter of s ("x" if none, never panicking).
func initial(s string) string {
	if f := slugify(s, ""); f != "" {
		return f[:1]
	}
	return "x"
}

func cultureOf(code string) *culture {
	for i := range cultures {
		for _, pl := range cultures[i].country {
			if pl.Code == code {
				return &cultures[i]
			}
		}
	}
	return &cultures[0]
}

func schoolsFor(code string) []string {
	if s := schools[code]; len(s) > 0 {
		return s
	}
	return schools["US"]
}

func joinNonEmpty(sep string, parts ...string) string {
	out := parts[:0:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func clone(c *enrichd.Company) *enrichd.Company {
	cc := *c
	cc.OtherDomains = append([]string(nil), c.OtherDomains...)
	cc.Sources = append([]enrichd.Provenance(nil), c.Sources...)
	return &cc
}

// clonePerson copies the slices ingest may modify, so that Dataset.People
// stays as generated.
func clonePerson(p *enrichd.Person) *enrichd.Person {
	q := *p
	q.Employment = append([]enrichd.Employment(nil), p.Employment...)
	q.Education = append([]enrichd.Education(nil), p.Education...)
	q.Skills = append([]string(nil), p.Skills...)
	q.Sources = append([]enrichd.Provenance(nil), p.Sources...)
	q.Contact.BusinessEmails = append([]enrichd.Email(nil), p.Contact.BusinessEmails...)
	q.Contact.PersonalEmails = append([]enrichd.Email(nil), p.Contact.PersonalEmails...)
	q.Contact.Phones = append([]enrichd.Phone(nil), p.Contact.Phones...)
	return &q
}

// Stats reports what Load did.
type Stats struct {
	Records        int
	PeopleNew      int
	PeopleMerged   int
	PeopleSame     int
	CompaniesNew   int
	CompanyRecords int
	Elapsed        time.Duration
}

// Load ingests records in batches through ing, so that the demo data goes
// through the same merging as any import. progress, when not nil, is called
// after each batch with the number of records done.
func Load(ctx context.Context, ing enrichd.IngestService, records []enrichd.IngestRecord, batch int, progress func(done int)) (Stats, error) {
	if batch <= 0 {
		batch = DefaultBatch
	}
	start := time.Now()
	var st Stats
	for i := 0; i < len(records); i += batch {
		chunk := records[i:min(i+batch, len(records))]
		res, err := ing.Ingest(ctx, chunk)
		if err != nil {
			return st, fmt.Errorf("ingest demo records %d-%d: %w", i, i+len(chunk)-1, err)
		}
		for _, r := range res {
			switch r.PersonOutcome {
			case enrichd.OutcomeNew:
				st.PeopleNew++
			case enrichd.OutcomeMerged:
				st.PeopleMerged++
			case enrichd.OutcomeUnchanged:
				st.PeopleSame++
			}
			if r.CompanyOutcome == enrichd.OutcomeNew {
				st.CompaniesNew++
			}
		}
		st.Records += len(chunk)
		if progress != nil {
			progress(st.Records)
		}
	}
	st.Elapsed = time.Since(start)
	return st, nil
}
