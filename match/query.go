package match

import (
	"strings"

	"github.com/enrichd/enrichd"
)

// query is a MatchRequest normalised once.
type query struct {
	linkedIn    string // canonical
	email       string // NormalizeEmail
	emailDomain string // registrable domain of a business email
	phone       string // E.164

	first, middle, last string // folded, spaces kept ("jean charles")
	firstTok, lastTok   string // folded, no spaces ("jeancharles")
	displayFirst        string
	displayLast         string

	domain     string // registrable, from CompanyDomain
	companyLI  string // canonical
	companyKey string // companyNameKey
	companyRaw string

	title       string
	countryCode string
	city        string // folded, no spaces

	ids []string // identity keys of the identifiers (idKeys)
}

func (q *query) hasName() bool { return q.lastTok != "" && q.firstTok != "" }

// newQuery normalises req. A value that is present but malformed is a client
// error, reported per field, rather than silently ignored.
func newQuery(req enrichd.MatchRequest) (*query, error) {
	q := &query{}
	var bad map[string]string // allocated by the first problem only
	invalid := func(field, problem string) {
		if bad == nil {
			bad = map[string]string{}
		}
		bad[field] = problem
	}
	if s := strings.TrimSpace(req.LinkedInURL); s != "" {
		if u, ok := CanonicalLinkedInURL(s); ok {
			q.linkedIn = u
		} else {
			invalid("linkedin_url", "not a LinkedIn profile URL (e.g. https://www.linkedin.com/in/jane-doe)")
		}
	}
	if s := strings.TrimSpace(req.Email); s != "" {
		if e, ok := NormalizeEmail(s); ok {
			q.email = e
			// NOTE: e is clean, so its domain is too: checked by domain, not
			// by cleaning the address again for each check.
			if d := e[strings.LastIndexByte(e, '@')+1:]; !isFreeDomain(d) && !isDisposableDomain(d) {
				q.emailDomain, _ = RegistrableDomain(d)
			}
		} else {
			invalid("email", "not a valid email address")
		}
	}
	q.countryCode = CountryCode(req.Country)
	if s := strings.TrimSpace(req.Phone); s != "" {
		if p, ok := NormalizePhone(s, q.countryCode); ok {
			q.phone = p
		} else if p, ok := looseE164(s); ok {
			// NOTE: a well-formed international number that libphonenumber
			// deems unassigned (Ocean's own doc example "+45 12345678") is
			// still a usable hint; only unreadable input is the caller's error.
			q.phone = p
		} else {
			invalid("phone", "not a valid phone number (use +<country code>, or give the country)")
		}
	}
	if s := strings.TrimSpace(req.CompanyDomain); s != "" {
		if d, ok := RegistrableDomain(s); ok {
			q.domain = d
		} else {
			invalid("company_domain", "not a valid domain or website URL")
		}
	}
	if s := strings.TrimSpace(req.CompanyLinkedInURL); s != "" {
		if u, ok := CanonicalCompanyLinkedInURL(s); ok {
			q.companyLI = u
		} else {
			invalid("company_linkedin_url", "not a LinkedIn company URL (e.g. https://www.linkedin.com/company/acme)")
		}
	}
	if len(bad) > 0 {
		return nil, enrichd.InvalidFields("Some fields are invalid.", bad)
	}
	q.companyRaw = strings.TrimSpace(req.CompanyName)
	q.companyKey = companyNameKey(q.companyRaw)

	n := personName(req.FirstName, "", req.LastName, req.FullName)
	q.displayFirst, q.displayLast = n.First, n.Last
	q.first, q.middle, q.last = Fold(n.First), Fold(n.Middle), Fold(n.Last)
	q.firstTok, q.lastTok = strings.ReplaceAll(q.first, " ", ""), strings.ReplaceAll(q.last, " ", "")
	q.title = Fold(req.Title)
	q.city = foldToken(req.City)
	q.ids = q.newIDKeys()
	return q, nil
}

// idKeys returns the identity keys of the request's identifiers.
//
// NOTE: computed once by newQuery (a match asks for them up to three times);
// callers must not modify the slice.
func (q *query) idKeys() []string { return q.ids }

func (q *query) newIDKeys() []string {
	var keys []string
	if q.linkedIn != "" {
		keys = append(keys, KeyLinkedIn+q.linkedIn)
	}
	if q.email != "" {
		keys = append(keys, KeyEmail+q.email)
	}
	if q.phone != "" {
		keys = append(keys, KeyPhone+q.phone)
	}
	return keys
}

// hasCompany reports whether the request names an employer.
func (q *query) hasCompany() bool {
	return q.domain != "" || q.companyLI != "" || q.companyKey != "" || q.emailDomain != ""
}

// companyQuery is the company part of the request.
func (q *query) companyQuery() enrichd.CompanyQuery {
	d := q.domain
	if d == "" {
		d = q.emailDomain
	}
	return enrichd.CompanyQuery{Domain: d, LinkedInURL: q.companyLI, Name: q.companyRaw}
}
