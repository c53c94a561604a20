package storetest

import (
	"strings"
	"unicode"

	"github.com/enrichd/enrichd"
)

// Keyer is a small, predictable enrichd.Keyer for the conformance suite, so
// that store tests do not depend on the matching engine's normalisation:
//
//	person identity: "li:<lower-case LinkedIn URL>", "em:<lower-case business email>"
//	person blocking: "ln:<last name>", "cl:<company id or name>|<last name>"
//	company identity: "cd:<domain>" (and other domains), "cl:<LinkedIn URL>", "cn:<normalised name>"
//	company blocking: "cnt:<first word of the normalised name>"
//
// It is safe for concurrent use.
type Keyer struct{}

var _ enrichd.Keyer = Keyer{}

// NewKeyer returns a Keyer.
func NewKeyer() Keyer { return Keyer{} }

// PersonIdentityKeys implements enrichd.Keyer.
func (Keyer) PersonIdentityKeys(p *enrichd.Person) []string {
	var keys []string
	if u := strings.ToLower(strings.TrimSpace(p.Social.LinkedInURL)); u != "" {
		keys = append(keys, "li:"+u)
	}
	for _, e := range p.Contact.BusinessEmails {
		if e.Status == enrichd.StatusGuessed || e.Status == enrichd.StatusInvalid {
			continue
		}
		if a := strings.ToLower(strings.TrimSpace(e.Address)); a != "" {
			keys = append(keys, "em:"+a)
		}
	}
	return keys
}

// PersonBlockingKeys implements enrichd.Keyer.
func (Keyer) PersonBlockingKeys(p *enrichd.Person) []string {
	last := strings.ToLower(strings.TrimSpace(p.LastName))
	if last == "" {
		return nil
	}
	keys := []string{"ln:" + last}
	if j := p.CurrentJob(); j != nil {
		ref := j.CompanyID
		if ref == "" {
			ref = CompanyNameKey(j.CompanyName)
		}
		if ref != "" {
			keys = append(keys, "cl:"+ref+"|"+last)
		}
	}
	return keys
}

// CompanyIdentityKeys implements enrichd.Keyer.
func (Keyer) CompanyIdentityKeys(c *enrichd.Company) []string {
	var keys []string
	for _, d := range append([]string{c.Domain}, c.OtherDomains...) {
		if d = strings.ToLower(strings.TrimSpace(d)); d != "" {
			keys = append(keys, "cd:"+d)
		}
	}
	if u := strings.ToLower(strings.TrimSpace(c.LinkedInURL)); u != "" {
		keys = append(keys, "cl:"+u)
	}
	if n := CompanyNameKey(c.Name); n != "" {
		keys = append(keys, "cn:"+n)
	}
	return keys
}

// CompanyBlockingKeys implements enrichd.Keyer.
func (Keyer) CompanyBlockingKeys(c *enrichd.Company) []string {
	n := CompanyNameKey(c.Name)
	if n == "" {
		return nil
	}
	first, _, _ := strings.Cut(n, " ")
	return []string{"cnt:" + first}
}

// CompanyNameKey normalises a company name: lower case, punctuation dropped,
// a trailing legal form (inc, ltd, llc, gmbh, sa) removed.
func CompanyNameKey(name string) string {
	f := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if len(f) > 1 {
		switch f[len(f)-1] {
		case "inc", "ltd", "llc", "gmbh", "sa":
			f = f[:len(f)-1]
		}
	}
	return strings.Join(f, " ")
}
