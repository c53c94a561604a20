package importer

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/match"
)

// Normalizers turn raw identifiers into the canonical forms the store keys on.
// The command wires the matching engine's (package match) so that import and
// look-up agree byte for byte. Each returns an error for a value that is not
// what its column claims (a company URL in a profile column, "n/a@" as an email).
type Normalizers struct {
	PersonLinkedIn  func(raw string) (string, error)          // https://www.linkedin.com/in/<slug>
	CompanyLinkedIn func(raw string) (string, error)          // https://www.linkedin.com/company/<slug>
	Email           func(raw string) (string, error)          // lower-cased address
	IsFreeEmail     func(addr string) bool                    // free/personal mailbox provider
	Domain          func(raw string) (string, error)          // registrable domain of a URL, address or bare domain
	Phone           func(raw, country string) (string, error) // E.164; country (name or ISO code) is the default region
	Seniority       func(title string) string                 // inferred level from a title, "" when unknown
}

// MatchNormalizers returns the matching engine's normalisers, the ones the
// store's keys are built with.
func MatchNormalizers() Normalizers {
	return Normalizers{
		PersonLinkedIn: okErr(match.CanonicalLinkedInURL,
			"not a LinkedIn profile URL (want linkedin.com/in/<name>)"),
		CompanyLinkedIn: okErr(match.CanonicalCompanyLinkedInURL,
			"not a LinkedIn company page URL (want linkedin.com/company/<name>)"),
		// NOTE: the display form is stored; the Keyer derives the identity
		// form (Gmail dots, +tags) from it.
		Email: okErr(match.CleanEmail, "not an email address"),
		IsFreeEmail: func(addr string) bool {
			return match.IsFreeEmail(addr) || match.IsDisposableEmail(addr)
		},
		Domain: okErr(match.RegistrableDomain, "not a website or domain with a registrable name"),
		Phone: func(raw, country string) (string, error) {
			if e, ok := match.NormalizePhone(raw, country); ok {
				return e, nil
			}
			return "", errors.New("not a valid phone number (give it with its country code, or give the country)")
		},
		Seniority: func(string) string { return "" },
	}
}

func okErr(f func(string) (string, bool), msg string) func(string) (string, error) {
	return func(s string) (string, error) {
		if v, ok := f(s); ok {
			return v, nil
		}
		return "", errors.New(msg)
	}
}

// withDefaults fills the normalisers left nil with the matching engine's.
func (n Normalizers) withDefaults() Normalizers {
	d := MatchNormalizers()
	if n.PersonLinkedIn == nil {
		n.PersonLinkedIn = d.PersonLinkedIn
	}
	if n.CompanyLinkedIn == nil {
		n.CompanyLinkedIn = d.CompanyLinkedIn
	}
	if n.Email == nil {
		n.Email = d.Email
	}
	if n.IsFreeEmail == nil {
		n.IsFreeEmail = d.IsFreeEmail
	}
	if n.Domain == nil {
		n.Domain = d.Domain
	}
	if n.Phone == nil {
		n.Phone = d.Phone
	}
	if n.Seniority == nil {
		n.Seniority = d.Seniority
	}
	return n
}

// nullish values mean "no value" in exported spreadsheets.
func nullish(s string) bool {
	switch len(s) {
	case 1:
		return s == "-"
	case 2:
		return s == "--"
	case 3:
		return strings.EqualFold(s, "n/a") || strings.EqualFold(s, "nil")
	case 4:
		return strings.EqualFold(s, "null") || strings.EqualFold(s, "none") || strings.EqualFold(s, "#n/a")
	}
	return false
}

// seniorityWords maps the seniority labels of common exports (Apollo, ZoomInfo,
// Sales Navigator) onto enrichd's four levels.
var seniorityWords = map[string]string{
	"executive": enrichd.SeniorityExecutive, "exec": enrichd.SeniorityExecutive,
	"csuite": enrichd.SeniorityExecutive, "clevel": enrichd.SeniorityExecutive, "cxo": enrichd.SeniorityExecutive,
	"owner": enrichd.SeniorityExecutive, "founder": enrichd.SeniorityExecutive, "partner": enrichd.SeniorityExecutive,
	"vp": enrichd.SeniorityExecutive, "vicepresident": enrichd.SeniorityExecutive, "president": enrichd.SeniorityExecutive,
	"chief": enrichd.SeniorityExecutive, "cxolevel": enrichd.SeniorityExecutive, "board": enrichd.SeniorityExecutive,
	"senior": enrichd.SenioritySenior, "director": enrichd.SenioritySenior, "head": enrichd.SenioritySenior,
	"principal": enrichd.SenioritySenior, "lead": enrichd.SenioritySenior, "staff": enrichd.SenioritySenior,
	"seniormanager": enrichd.SenioritySenior,
	"mid":           enrichd.SeniorityMid, "midlevel": enrichd.SeniorityMid, "manager": enrichd.SeniorityMid,
	"intermediate": enrichd.SeniorityMid, "experienced": enrichd.SeniorityMid, "professional": enrichd.SeniorityMid,
	"individualcontributor": enrichd.SeniorityMid,
	"junior":                enrichd.SeniorityJunior, "entry": enrichd.SeniorityJunior, "entrylevel": enrichd.SeniorityJunior,
	"intern": enrichd.SeniorityJunior, "trainee": enrichd.SeniorityJunior, "training": enrichd.SeniorityJunior,
	"graduate": enrichd.SeniorityJunior, "student": enrichd.SeniorityJunior, "unpaid": enrichd.SeniorityJunior,
}

// parseSeniority maps a seniority label onto the four-level scale.
func parseSeniority(s string) (string, bool) {
	v, ok := seniorityWords[foldColumn(s)]
	return v, ok
}

// parseCompanySize reads "51-200", "51 to 200", "10,001+", "10000+" as a range
// and "1,234" as a count.
func parseCompanySize(s string) (rng string, count int, err error) {
	t := strings.ReplaceAll(strings.ReplaceAll(strings.ToLower(s), ",", ""), " ", "")
	t = strings.TrimSuffix(strings.TrimSuffix(t, "employees"), "employee")
	bad := fmt.Errorf("company size %q: want a count (250) or a range (51-200, 10001+)", s)
	if strings.HasSuffix(t, "+") {
		n, err := strconv.Atoi(t[:len(t)-1])
		if err != nil || n < 0 {
			return "", 0, bad
		}
		return strconv.Itoa(n) + "+", 0, nil
	}
	for _, sep := range []string{"-", "to", "–"} {
		if lo, hi, ok := strings.Cut(t, sep); ok {
			a, err1 := strconv.Atoi(lo)
			b, err2 := strconv.Atoi(hi)
			if err1 != nil || err2 != nil || a < 0 || b < a {
				return "", 0, bad
			}
			return strconv.Itoa(a) + "-" + strconv.Itoa(b), 0, nil
		}
	}
	n, err := strconv.Atoi(t)
	if err != nil || n < 0 {
		return "", 0, bad
	}
	return sizeRange(n), n, nil
}

// sizeRange is the LinkedIn head-count band of n employees.
func sizeRange(n int) string {
	for _, b := range [][2]int{{1, 1}, {2, 10}, {11, 50}, {51, 200}, {201, 500}, {501, 1000}, {1001, 5000}, {5001, 10000}} {
		if n <= b[1] {
			if b[0] == b[1] {
				return "1"
			}
			return strconv.Itoa(b[0]) + "-" + strconv.Itoa(b[1])
		}
	}
	return "10001+"
}

// handle reduces a social profile URL or "@name" to the bare handle.
func handle(s string, hosts ...string) string {
	s = strings.TrimSpace(s)
	low := strings.ToLower(s)
	for _, p := range []string{"https://", "http://"} {
		if strings.HasPrefix(low, p) {
			s, low = s[len(p):], low[len(p):]
		}
	}
	if strings.HasPrefix(low, "www.") {
		s, low = s[4:], low[4:]
	}
	for _, h := range hosts {
		if strings.HasPrefix(low, h+"/") {
			s = s[len(h)+1:]
			break
		}
	}
	s = strings.TrimPrefix(s, "@")
	if i := strings.IndexAny(s, "/?#"); i >= 0 {
		s = s[:i]
	}
	return s
}

// normSpace trims s and collapses runs of white space to one space.
func normSpace(s string) string {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "  ") && !strings.ContainsAny(s, "\t\n\r") {
		return s
	}
	return strings.Join(strings.Fields(s), " ")
}
