package match

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/enrichd/enrichd"
)

// Comparison levels reported in Evidence.Level.
const (
	LevelExact      = "exact"
	LevelNickname   = "nickname"
	LevelJWHigh     = "jaro_winkler_high"   // similarity >= 0.92
	LevelJWMid      = "jaro_winkler_medium" // similarity >= 0.85
	LevelPhonetic   = "phonetic"
	LevelInitial    = "initial"
	LevelPartial    = "partial" // one part of a compound name
	LevelSwapped    = "swapped" // first and last name swapped
	LevelPast       = "past"    // a past employer
	LevelMissing    = "missing"
	LevelConflict   = "conflict"
	LevelSameDomain = "conflict_same_domain" // another address at the same domain
)

// mu holds Fellegi–Sunter m and u probabilities: P(level | same person) and
// P(level | different people). A level's weight is log2(m/u).
type mu struct{ m, u float64 }

func (x mu) w() float64 { return math.Log2(x.m / x.u) }

// Field comparison parameters. NOTE: m values come from how often real data
// disagrees with itself (typos, nicknames, job changes); u values from how
// often unrelated people agree. Name agreement uses the observed name
// frequency as u (term-frequency adjustment), so "Smith" counts for less than
// "Okafor". The calibration map absorbs what these round numbers miss.
var (
	muLinkedIn         = mu{0.99, 1e-10}
	muLinkedInConflict = mu{0.02, 0.999}
	muEmail            = mu{0.99, 1e-9}
	muEmailSameDomain  = mu{0.03, 0.5}
	muEmailOther       = mu{0.5, 0.9}
	muPhone            = mu{0.95, 1e-7}
	muPhoneConflict    = mu{0.3, 0.95}

	mFirstExact     = 0.88
	muFirstNick     = mu{0.05, 0.003}
	muFirstJWHigh   = mu{0.03, 0.002}
	muFirstJWMid    = mu{0.01, 0.05} // Mark/Mary: more often two people than a typo
	muFirstPartial  = mu{0.02, 0.001}
	muFirstInitial  = mu{0.02, 0.06}
	muFirstPhonetic = mu{0.01, 0.004}
	muFirstConflict = mu{0.005, 0.95}

	mLastExact     = 0.90
	muLastJWHigh   = mu{0.04, 0.001}
	muLastJWMid    = mu{0.015, 0.006}
	muLastPartial  = mu{0.03, 0.0005}
	muLastPhonetic = mu{0.01, 0.003}
	muLastConflict = mu{0.02, 0.99}
	muSwapped      = mu{0.01, 0.00001}

	muMiddleAgree    = mu{0.6, 0.1}
	muMiddleConflict = mu{0.1, 0.8}

	mCompanyCurrent   = 0.85
	mCompanyPast      = 0.10
	muCompanyConflict = mu{0.06, 0.999}
	mCompanyFuzzy     = 0.05
	muTitleAgree      = mu{0.5, 0.02}
	muTitleConflict   = mu{0.3, 0.9}
	muCountryAgree    = mu{0.9, 0.3}
	muCountryConflict = mu{0.08, 0.7}
	muCityAgree       = mu{0.7, 0.02}
	muCityConflict    = mu{0.2, 0.95}
)

// scoreContext is what every candidate of one request is compared against.
type scoreContext struct {
	q         *query
	companies []companyCandidate
	// nPeople is the store size; firstFreq and lastFreq are the observed
	// frequencies of the query's names (count / nPeople).
	nPeople             float64
	firstFreq, lastFreq float64
	// companyCount is how many stored people work at the request's company.
	companyCount int
	employer     *employerSets // lazily, by compareCompany
}

// companyRefs returns the references of the request's company in person keys.
func (sc *scoreContext) companyRefs() []string {
	q := sc.q
	var refs []string
	add := func(r string) {
		if !containsKey(refs, r) {
			refs = append(refs, r)
		}
	}
	if q.domain != "" {
		add(refDomain + q.domain)
	}
	if q.emailDomain != "" {
		add(refDomain + q.emailDomain)
	}
	if q.companyKey != "" {
		add(refName + q.companyKey)
	}
	for _, c := range sc.companies {
		for _, r := range companyRefs(c.c) {
			add(r)
		}
	}
	return refs
}

// scored is one candidate with its total weight and evidence.
type scored struct {
	p         *enrichd.Person
	weight    float64
	matchedOn string
	evidence  []enrichd.Evidence
}

func (sc *scoreContext) score(p *enrichd.Person) scored {
	s := scored{p: p, matchedOn: enrichd.MatchOnName}
	add := func(field, level string, w float64, detail string) {
		s.weight += w
		s.evidence = append(s.evidence, enrichd.Evidence{Field: field, Level: level, Weight: math.Round(w*100) / 100, Detail: detail})
	}
	q := sc.q

	// Identifiers.
	if q.linkedIn != "" {
		cu, _ := CanonicalLinkedInURL(p.Social.LinkedInURL)
		switch {
		case cu == q.linkedIn:
			add("linkedin_url", LevelExact, muLinkedIn.w(), "")
			s.matchedOn = enrichd.MatchOnLinkedIn
		case cu != "":
			add("linkedin_url", LevelConflict, muLinkedInConflict.w(), "a different profile: "+cu)
		default:
			add("linkedin_url", LevelMissing, 0, "")
		}
	}
	if q.email != "" {
		level, w, detail := sc.compareEmail(p)
		add("email", level, w, detail)
		if level == LevelExact && s.matchedOn == enrichd.MatchOnName {
			s.matchedOn = enrichd.MatchOnEmail
		}
	}
	if q.phone != "" {
		level, w := LevelMissing, 0.0
		for _, ph := range p.Contact.Phones {
			if e, ok := storedPhone(ph.Number, p); ok {
				if e == q.phone {
					level, w = LevelExact, muPhone.w()
					break
				}
				level, w = LevelConflict, muPhoneConflict.w()
			}
		}
		add("phone", level, w, "")
		if level == LevelExact && s.matchedOn == enrichd.MatchOnName {
			s.matchedOn = enrichd.MatchOnPhone
		}
	}

	// Names.
	name := personName(p.FirstName, p.MiddleName, p.LastName, p.FullName)
	cf, cm, cl := Fold(name.First), Fold(name.Middle), Fold(name.Last)
	if q.first != "" || q.last != "" {
		fl, fw := sc.compareFirst(q.first, cf)
		ll, lw := sc.compareLast(q.last, cl)
		// A swapped first/last name beats two conflicts.
		if fl == LevelConflict && ll == LevelConflict && q.first != "" && q.last != "" &&
			strings.ReplaceAll(q.first, " ", "") == strings.ReplaceAll(cl, " ", "") && strings.ReplaceAll(q.last, " ", "") == strings.ReplaceAll(cf, " ", "") {
			add("name", LevelSwapped, muSwapped.w(), "first and last name swapped")
		} else {
			add("first_name", fl, fw, "")
			add("last_name", ll, lw, "")
		}
		if q.middle != "" && cm != "" {
			if q.middle[0] == cm[0] {
				add("middle_name", LevelInitial, muMiddleAgree.w(), "")
			} else {
				add("middle_name", LevelConflict, muMiddleConflict.w(), "")
			}
		}
	}

	// Employer.
	if q.hasCompany() {
		level, w, detail := sc.compareCompany(p)
		add("company", level, w, detail)
	}
	if q.title != "" && p.Title != "" {
		if JaroWinkler(q.title, Fold(p.Title)) >= 0.9 {
			add("title", LevelJWHigh, muTitleAgree.w(), "")
		} else {
			add("title", LevelConflict, muTitleConflict.w(), "")
		}
	}
	if q.countryCode != "" {
		if cc := personCountry(p); cc != "" {
			if cc == q.countryCode {
				add("country", LevelExact, muCountryAgree.w(), "")
			} else {
				add("country", LevelConflict, muCountryConflict.w(), "")
			}
		}
	}
	if q.city != "" {
		if c := foldToken(p.Location.City); c != "" {
			switch {
			case c == q.city:
				add("city", LevelExact, muCityAgree.w(), "")
			case JaroWinkler(c, q.city) >= 0.9:
				add("city", LevelJWHigh, muCityAgree.w()/2, "")
			default:
				add("city", LevelConflict, muCityConflict.w(), "")
			}
		}
	}
	return s
}

func (sc *scoreContext) compareEmail(p *enrichd.Person) (level string, w float64, detail string) {
	q := sc.q
	qLocal, qDomain, _ := strings.Cut(q.email, "@")
	level = LevelMissing
	for _, list := range [][]enrichd.Email{p.Contact.BusinessEmails, p.Contact.PersonalEmails} {
		for _, e := range list {
			if e.Status == enrichd.StatusGuessed {
				continue
			}
			// NOTE: q.email is normalised, and normalising is idempotent
			// (FuzzNormalizeEmail): a stored address equal to it normalises
			// to it, so skip the work (the usual exact hit).
			if e.Address == q.email {
				return LevelExact, muEmail.w(), ""
			}
			a, ok := NormalizeEmail(e.Address)
			if !ok {
				continue
			}
			if a == q.email {
				return LevelExact, muEmail.w(), ""
			}
			local, domain, _ := strings.Cut(a, "@")
			if domain == qDomain && local != qLocal && q.emailDomain != "" {
				level, w, detail = LevelSameDomain, muEmailSameDomain.w(), "has another address at "+domain
			} else if level == LevelMissing {
				level, w = LevelConflict, muEmailOther.w()
			}
		}
	}
	return level, w, detail
}

func (sc *scoreContext) nameFreqWeight(m, freq float64) float64 {
	if freq <= 0 {
		freq = 1 / max(sc.nPeople, 1)
	}
	return math.Log2(m / min(max(freq, 1e-7), 0.5))
}

// capBelow keeps a non-exact level's weight below the exact level's, so that
// "Johansson" never beats "Johnson" for a query "Johnson" however common
// Johnson is.
func capBelow(level string, w, exact float64) (string, float64) {
	margin := map[string]float64{LevelNickname: 1, LevelJWHigh: 1.5, LevelPartial: 1.5, LevelInitial: 2, LevelJWMid: 3, LevelPhonetic: 3}[level]
	if margin > 0 && w > exact-margin {
		w = exact - margin
	}
	return level, w
}

func (sc *scoreContext) compareFirst(q, c string) (string, float64) {
	level, w := sc.compareFirstRaw(q, c)
	return capBelow(level, w, sc.nameFreqWeight(mFirstExact, sc.firstFreq))
}

func (sc *scoreContext) compareLast(q, c string) (string, float64) {
	level, w := sc.compareLastRaw(q, c)
	return capBelow(level, w, sc.nameFreqWeight(mLastExact, sc.lastFreq))
}

func (sc *scoreContext) compareFirstRaw(q, c string) (string, float64) {
	if q == "" || c == "" {
		return LevelMissing, 0
	}
	qt, ct := strings.ReplaceAll(q, " ", ""), strings.ReplaceAll(c, " ", "")
	switch {
	case qt == ct:
		return LevelExact, sc.nameFreqWeight(mFirstExact, sc.firstFreq)
	case len(qt) == 1 || len(ct) == 1:
		if qt[0] == ct[0] {
			return LevelInitial, muFirstInitial.w()
		}
		return LevelConflict, muFirstConflict.w()
	case IsNickname(firstWord(q), firstWord(c)) || IsNickname(qt, ct):
		return LevelNickname, muFirstNick.w()
	}
	jw := JaroWinkler(qt, ct)
	switch {
	case jw >= 0.92:
		return LevelJWHigh, muFirstJWHigh.w()
	case sharesToken(q, c):
		return LevelPartial, muFirstPartial.w()
	case jw >= 0.85:
		return LevelJWMid, muFirstJWMid.w()
	case Soundex(qt) == Soundex(ct):
		return LevelPhonetic, muFirstPhonetic.w()
	}
	return LevelConflict, muFirstConflict.w()
}

func (sc *scoreContext) compareLastRaw(q, c string) (string, float64) {
	if q == "" || c == "" {
		return LevelMissing, 0
	}
	qt, ct := strings.ReplaceAll(q, " ", ""), strings.ReplaceAll(c, " ", "")
	if qt == ct {
		return LevelExact, sc.nameFreqWeight(mLastExact, sc.lastFreq)
	}
	jw := JaroWinkler(qt, ct)
	switch {
	case jw >= 0.92:
		return LevelJWHigh, muLastJWHigh.w()
	case sharesToken(q, c):
		return LevelPartial, muLastPartial.w()
	case jw >= 0.85:
		return LevelJWMid, muLastJWMid.w()
	case Soundex(qt) == Soundex(ct):
		return LevelPhonetic, muLastPhonetic.w()
	}
	return LevelConflict, muLastConflict.w()
}

// sharesToken reports whether one compound name contains a part of the other
// of at least three letters ("garcia" in "garcia marquez", "jean" in "jean charles").
func sharesToken(a, b string) bool {
	if !strings.Contains(a, " ") && !strings.Contains(b, " ") {
		return false
	}
	for _, x := range strings.Fields(a) {
		if len(x) < 3 || particles[x] {
			continue
		}
		for _, y := range strings.Fields(b) {
			if x == y {
				return true
			}
		}
	}
	return false
}

// employerSets are the request's employer identifiers, computed once per
// request rather than once per candidate.
//
// NOTE: a request names one to a few employers, so small slices: three maps
// per request cost more to build than the look-ups they serve.
type employerSets struct {
	ids, domains, names smallSet
	qNorm               string // NormalizeCompanyName of the request's company name
}

// smallSet is a set of a few strings.
type smallSet []string

func (s smallSet) has(v string) bool { return slices.Contains(s, v) }

// add adds v unless it is empty or already there.
func (s *smallSet) add(v string) {
	if v != "" && !s.has(v) {
		*s = append(*s, v)
	}
}

func (sc *scoreContext) newEmployerSets() *employerSets {
	q := sc.q
	e := &employerSets{}
	e.domains.add(q.domain)
	e.domains.add(q.emailDomain)
	e.names.add(q.companyKey)
	for _, c := range sc.companies {
		if c.score < 0.5 && c.how != "name" {
			continue
		}
		e.ids.add(c.c.ID)
		if d, ok := RegistrableDomain(c.c.Domain); ok {
			e.domains.add(d)
		}
		e.names.add(companyNameKey(c.c.Name))
	}
	e.qNorm = NormalizeCompanyName(q.companyRaw)
	return e
}

// compareCompany compares the request's employer with the candidate's
// current and past employers. The weight of agreement is adjusted for the
// company's size: sharing an employer of 100,000 says less than sharing one of 20.
func (sc *scoreContext) compareCompany(p *enrichd.Person) (string, float64, string) {
	if sc.employer == nil {
		sc.employer = sc.newEmployerSets()
	}
	ids, domains, names := sc.employer.ids, sc.employer.domains, sc.employer.names
	// NOTE: u is the share of stored people at the company: the chance that
	// someone else in the store shares the employer.
	u := min(float64(max(sc.companyCount, 1))/max(sc.nPeople, 1), 0.5)
	qNorm := sc.employer.qNorm
	bestLevel, best, detail := LevelMissing, 0.0, ""
	hasCurrent := false
	for i := range p.Employment {
		j := &p.Employment[i]
		d, _ := RegistrableDomain(j.CompanyDomain)
		exact := (j.CompanyID != "" && ids.has(j.CompanyID)) || (d != "" && domains.has(d)) || names.has(companyNameKey(j.CompanyName))
		fuzzy := !exact && qNorm != "" && j.CompanyName != "" && JaroWinkler(qNorm, NormalizeCompanyName(j.CompanyName)) >= 0.92
		if j.Current {
			hasCurrent = true
		}
		switch {
		case exact && j.Current:
			return LevelExact, math.Log2(mCompanyCurrent / u), j.CompanyName
		case fuzzy && j.Current:
			if w := math.Log2(mCompanyFuzzy / u); w > best {
				bestLevel, best, detail = LevelJWHigh, w, j.CompanyName
			}
		case exact:
			if w := math.Log2(mCompanyPast / u); w > best {
				bestLevel, best, detail = LevelPast, w, j.CompanyName
			}
		}
	}
	if bestLevel != LevelMissing {
		return bestLevel, best, detail
	}
	if hasCurrent {
		cur := p.CurrentJob()
		return LevelConflict, muCompanyConflict.w(), fmt.Sprintf("works at %s", cur.CompanyName)
	}
	return LevelMissing, 0, ""
}
