package match

import (
	"strings"

	"github.com/enrichd/enrichd"
)

// Key namespaces. Every key the Keyer writes starts with one of these, so one
// (key, id) index serves them all. See docs/MATCHING.md.
const (
	// Person identity keys.
	KeyLinkedIn = "li:" // li:<canonical profile URL>
	KeyEmail    = "em:" // em:<NormalizeEmail>
	KeyName     = "nm:" // nm:<company or place>|<first>|<last>, only when no li/em
	// Person blocking keys.
	KeyCompanyPhonetic = "cph:" // cph:<company>|<Soundex(last)>
	KeyCompanyInitial  = "cfi:" // cfi:<company>|<first initial>|<last>; current and latest past employer
	KeyCompanyNick     = "cfn:" // cfn:<company>|<nickname root of first>
	KeyPlacePhonetic   = "loc:" // loc:<country>|<city>|<Soundex(last)>, for people with no employer
	KeyPhone           = "ph:"  // ph:<E.164>
	KeyLastName        = "ln:"  // ln:<last>: term frequency of last names
	KeyFirstName       = "fn:"  // fn:<first>: term frequency of first names
	KeyCurrentCompany  = "cc:"  // cc:<company>: how many stored people work there
	// Company keys.
	KeyCompanyDomain   = "cd:"  // cd:<registrable domain>
	KeyCompanyLinkedIn = "cl:"  // cl:<canonical company URL>
	KeyCompanyName     = "cn:"  // cn:<NormalizeCompanyName without spaces>
	KeyCompanyToken    = "cnt:" // cnt:<first word of the normalised name>, for fuzzy name resolution
)

// Company references inside person keys. A person's employer is referred to
// by its domain when known (stable across merges and stores), else by the
// store's company id, else by its normalised name; the engine looks up all
// three forms of every company a request resolves to.
const (
	refDomain = "d="
	refID     = "c="
	refName   = "n="
)

// Keyer derives the index keys of people and companies (enrichd.Keyer).
//
// NOTE: every key is an index row written at import, so a person gets few
// keys (typically 6–8): identity keys decide merges at ingest; blocking keys
// (several, unioned, because one key alone loses about a third of true pairs)
// find candidates at match time; "ln:"/"fn:" keys let the engine count how
// common a name is. Email local-part pattern blocking needs no key of its own:
// the engine generates the likely addresses and looks up their "em:" keys.
type Keyer struct{}

var _ enrichd.Keyer = (*Keyer)(nil)

// NewKeyer returns a Keyer. It holds no state; the reference data it needs is
// embedded and parsed once.
func NewKeyer() *Keyer { return &Keyer{} }

// PersonIdentityKeys returns the keys that identify p: its canonical LinkedIn
// URL, its business and personal emails (not guessed or invalid ones), and,
// only when it has none of those, its name at its employer (or at its city,
// or with its phone) so that name-only rows still merge sensibly. It returns
// nil when p has no usable identifier.
func (k *Keyer) PersonIdentityKeys(p *enrichd.Person) []string {
	var keys []string
	if u, ok := CanonicalLinkedInURL(p.Social.LinkedInURL); ok {
		keys = append(keys, KeyLinkedIn+u)
	}
	n := 0
	for _, list := range [][]enrichd.Email{p.Contact.BusinessEmails, p.Contact.PersonalEmails} {
		for _, e := range list {
			if e.Status == enrichd.StatusGuessed || e.Status == enrichd.StatusInvalid || n == 4 {
				continue
			}
			if a, ok := NormalizeEmail(e.Address); ok && !containsKey(keys, KeyEmail+a) {
				keys = append(keys, KeyEmail+a)
				n++
			}
		}
	}
	if len(keys) > 0 {
		return keys
	}
	name := personName(p.FirstName, p.MiddleName, p.LastName, p.FullName)
	first, last := foldToken(name.First), foldToken(name.Last)
	if first == "" || last == "" {
		return nil
	}
	var where string
	if j := p.CurrentJob(); j != nil {
		// NOTE: never the company id here: stores compute identity keys
		// before linking the employer, and they must not change after.
		where = employmentRef(&enrichd.Employment{CompanyDomain: j.CompanyDomain, CompanyName: j.CompanyName})
	}
	if where == "" {
		if city := foldToken(p.Location.City); city != "" {
			where = "p=" + personCountry(p) + "/" + city
		}
	}
	if where == "" {
		for _, ph := range p.Contact.Phones {
			if e, ok := storedPhone(ph.Number, p); ok {
				where = "t=" + e
				break
			}
		}
	}
	if where == "" {
		return nil
	}
	return []string{KeyName + where + "|" + first + "|" + last}
}

// PersonBlockingKeys returns the keys under which the engine finds p as a
// candidate: company + last-name phonetic code, company + first initial +
// last name (also at the most recent past employer), company + canonical
// first name (nicknames), place + last-name phonetic code for people with no
// employer, one phone, and the "ln:"/"fn:"/"cc:" frequency keys (how common
// the names are, how many stored people share the employer).
func (k *Keyer) PersonBlockingKeys(p *enrichd.Person) []string {
	name := personName(p.FirstName, p.MiddleName, p.LastName, p.FullName)
	first, last := foldToken(name.First), foldToken(name.Last)
	var keys []string
	add := func(s string) {
		if !containsKey(keys, s) {
			keys = append(keys, s)
		}
	}
	cur := ""
	if j := p.CurrentJob(); j != nil {
		cur = employmentRef(j)
	}
	if cur != "" {
		add(KeyCurrentCompany + cur)
	}
	if last != "" {
		if cur != "" {
			if sx := Soundex(last); sx != "" {
				add(KeyCompanyPhonetic + cur + "|" + sx)
			}
			if first != "" {
				add(KeyCompanyInitial + cur + "|" + initial(first) + "|" + last)
			}
		}
		if first != "" {
			if past := latestPastRef(p); past != "" && past != cur {
				add(KeyCompanyInitial + past + "|" + initial(first) + "|" + last)
			}
		}
		if cur == "" {
			if city := foldToken(p.Location.City); city != "" {
				if sx := Soundex(last); sx != "" {
					add(KeyPlacePhonetic + personCountry(p) + "|" + city + "|" + sx)
				}
			}
		}
		add(KeyLastName + last)
	}
	if first != "" {
		if cur != "" {
			for _, r := range nicknameKeys(firstWord(name.First)) {
				add(KeyCompanyNick + cur + "|" + r)
			}
		}
		add(KeyFirstName + first)
	}
	for _, ph := range p.Contact.Phones {
		if e, ok := storedPhone(ph.Number, p); ok {
			add(KeyPhone + e)
			break
		}
	}
	return keys
}

// CompanyIdentityKeys returns the keys that identify c: its domains, its
// canonical LinkedIn company URL, and its normalised name.
func (k *Keyer) CompanyIdentityKeys(c *enrichd.Company) []string {
	var keys []string
	for _, d := range append([]string{c.Domain}, c.OtherDomains...) {
		if rd, ok := RegistrableDomain(d); ok && !IsFreeEmail(rd) && !containsKey(keys, KeyCompanyDomain+rd) {
			keys = append(keys, KeyCompanyDomain+rd)
		}
	}
	if u, ok := CanonicalCompanyLinkedInURL(c.LinkedInURL); ok {
		keys = append(keys, KeyCompanyLinkedIn+u)
	}
	for _, n := range []string{c.Name, c.LegalName} {
		if nk := companyNameKey(n); nk != "" && !containsKey(keys, KeyCompanyName+nk) {
			keys = append(keys, KeyCompanyName+nk)
		}
	}
	return keys
}

// CompanyBlockingKeys returns the key under which the engine finds c by a
// misspelt or longer name: the first word of its normalised name.
func (k *Keyer) CompanyBlockingKeys(c *enrichd.Company) []string {
	if f := firstWord(NormalizeCompanyName(c.Name)); f != "" {
		return []string{KeyCompanyToken + f}
	}
	return nil
}

// employmentRef returns the company reference of a job ("d=acme.com",
// "c=<id>", "n=acme"), or "".
func employmentRef(j *enrichd.Employment) string {
	if d, ok := RegistrableDomain(j.CompanyDomain); ok && !IsFreeEmail(d) {
		return refDomain + d
	}
	if j.CompanyID != "" {
		return refID + j.CompanyID
	}
	if n := companyNameKey(j.CompanyName); n != "" {
		return refName + n
	}
	return ""
}

// latestPastRef returns the company reference of the most recent past job.
func latestPastRef(p *enrichd.Person) string {
	best, bestEnd := "", ""
	for i := range p.Employment {
		e := &p.Employment[i]
		if e.Current {
			continue
		}
		if r := employmentRef(e); r != "" && (best == "" || e.End > bestEnd) {
			best, bestEnd = r, e.End
		}
	}
	return best
}

func personCountry(p *enrichd.Person) string {
	if c := CountryCode(p.Location.CountryCode); c != "" {
		return c
	}
	return CountryCode(p.Location.Country)
}

func initial(folded string) string {
	for _, r := range folded {
		return string(r)
	}
	return ""
}

// firstWord returns the first word of a folded name: "jean charles" → "jean".
// Hyphenated given names key under their first part so that "Jean-Charles"
// meets "Jean".
func firstWord(s string) string {
	f := Fold(s)
	if i := strings.IndexByte(f, ' '); i >= 0 {
		return f[:i]
	}
	return f
}

func containsKey(keys []string, k string) bool {
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}
