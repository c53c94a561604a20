// Package jsonwtest generates random records for the tests that compare the
// hand-written encoders with encoding/json.
package jsonwtest

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"time"

	"github.com/enrichd/enrichd"
)

// Gen makes random records whose fields are each absent, empty or set, with
// strings that need escaping, odd floats and times, and now and then a value
// encoding/json refuses.
type Gen struct{ R *rand.Rand }

// New returns a generator seeded with seed.
func New(seed uint64) Gen { return Gen{rand.New(rand.NewPCG(seed, 2))} }

var samples = []string{"a", "Ada Lovelace", `q"uo\te`, "<b>&amp;</b>", "tab\tnew\nline", "\u2028", "bad\xffutf8", "Zürich 漢字", "https://www.linkedin.com/in/x"}

// S returns an empty string or a sample, some needing escaping.
func (g Gen) S() string {
	if g.R.IntN(3) == 0 {
		return ""
	}
	return samples[g.R.IntN(len(samples))]
}

// N returns 0, a small or a large negative int.
func (g Gen) N() int {
	switch g.R.IntN(3) {
	case 0:
		return 0
	case 1:
		return g.R.IntN(1000)
	}
	return -g.R.IntN(1 << 40)
}

// count is how many elements a slice gets; -1 means nil.
func (g Gen) count() int { return g.R.IntN(4) - 1 }

// Strs returns nil, an empty or a short slice of S.
func (g Gen) Strs() []string {
	n := g.count()
	if n < 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = g.S()
	}
	return out
}

// F returns a float, sometimes tiny, huge, negative or NaN.
func (g Gen) F() float64 {
	switch g.R.IntN(8) {
	case 0:
		return 0
	case 1:
		return 1e-9 * g.R.Float64()
	case 2:
		return 1e22 * g.R.Float64()
	case 3:
		return -g.R.Float64() * 10
	case 4:
		if g.R.IntN(50) == 0 {
			return math.NaN()
		}
	}
	return g.R.Float64()
}

// T returns the zero time, a time in or out of a zone, or one MarshalJSON refuses.
func (g Gen) T() time.Time {
	switch g.R.IntN(6) {
	case 0:
		return time.Time{}
	case 1:
		return time.Date(2024, 3, 5, 6, 7, 8, 0, time.UTC)
	case 2:
		return time.Date(2021, 1, 2, 3, 4, 5, 120000, time.FixedZone("x", -5*3600))
	case 3:
		if g.R.IntN(20) == 0 {
			return time.Date(12000, 1, 1, 0, 0, 0, 0, time.UTC)
		}
	}
	return time.Unix(g.R.Int64N(2e9), g.R.Int64N(1e9))
}

func (g Gen) loc() enrichd.Location {
	if g.R.IntN(3) == 0 {
		return enrichd.Location{}
	}
	return enrichd.Location{Raw: g.S(), City: g.S(), State: g.S(), Country: g.S(), CountryCode: g.S(), Continent: g.S()}
}

func (g Gen) extra() map[string]json.RawMessage {
	n := g.count()
	if n < 0 {
		return nil
	}
	raws := []json.RawMessage{nil, json.RawMessage(`true`), json.RawMessage(`{"a": [1, "x y"]}`), json.RawMessage(`"<&>"`), json.RawMessage(`[1,2`), json.RawMessage(`12.50`)}
	m := make(map[string]json.RawMessage, n)
	for i := 0; i < n; i++ {
		raw := raws[g.R.IntN(len(raws))]
		if string(raw) == "[1,2" && g.R.IntN(10) != 0 {
			raw = nil
		}
		m[g.S()+string(rune('a'+g.R.IntN(26)))] = raw
	}
	return m
}

func (g Gen) sources() []enrichd.Provenance {
	n := g.count()
	if n < 0 {
		return nil
	}
	out := make([]enrichd.Provenance, n)
	for i := range out {
		out[i] = enrichd.Provenance{Source: g.S(), RecordID: g.S(), SeenAt: g.T()}
	}
	return out
}

// Person returns nil or a random person.
func (g Gen) Person() *enrichd.Person {
	if g.R.IntN(10) == 0 {
		return nil
	}
	p := &enrichd.Person{
		ID: g.S(), FullName: g.S(), FirstName: g.S(), MiddleName: g.S(), LastName: g.S(),
		Headline: g.S(), Summary: g.S(), Title: g.S(), Seniority: g.S(), Departments: g.Strs(),
		Location: g.loc(), Languages: g.Strs(), Skills: g.Strs(),
		PictureURL: g.S(), Connections: g.N(), Followers: g.N(),
		Extra: g.extra(), Sources: g.sources(), CreatedAt: g.T(), UpdatedAt: g.T(),
	}
	if n := g.count(); n >= 0 {
		p.Employment = make([]enrichd.Employment, n)
		for i := range p.Employment {
			p.Employment[i] = enrichd.Employment{CompanyID: g.S(), CompanyName: g.S(), CompanyDomain: g.S(), CompanyLinkedInURL: g.S(),
				Title: g.S(), Seniority: g.S(), Department: g.S(), Start: g.S(), End: g.S(), Current: g.R.IntN(2) == 0,
				Description: g.S(), Location: g.S()}
		}
	}
	if n := g.count(); n >= 0 {
		p.Education = make([]enrichd.Education, n)
		for i := range p.Education {
			p.Education[i] = enrichd.Education{School: g.S(), Degree: g.S(), Field: g.S(), Start: g.S(), End: g.S()}
		}
	}
	if n := g.count(); n >= 0 {
		p.Certifications = make([]enrichd.Certification, n)
		for i := range p.Certifications {
			p.Certifications[i] = enrichd.Certification{Name: g.S(), IssuingOrganization: g.S(), IssueDate: g.S(), ExpirationDate: g.S(), CredentialURL: g.S()}
		}
	}
	if n := g.count(); n >= 0 {
		p.Honors = make([]enrichd.Honor, n)
		for i := range p.Honors {
			p.Honors[i] = enrichd.Honor{Title: g.S(), Issuer: g.S(), IssuedDate: g.S(), Description: g.S()}
		}
	}
	if g.R.IntN(2) == 0 {
		emails := func() []enrichd.Email {
			n := g.count()
			if n < 0 {
				return nil
			}
			out := make([]enrichd.Email, n)
			for i := range out {
				out[i] = enrichd.Email{Address: g.S(), Status: g.S(), Source: g.S()}
			}
			return out
		}
		p.Contact = enrichd.Contact{BusinessEmails: emails(), PersonalEmails: emails(), Websites: g.Strs()}
		if n := g.count(); n >= 0 {
			p.Contact.Phones = make([]enrichd.Phone, n)
			for i := range p.Contact.Phones {
				p.Contact.Phones[i] = enrichd.Phone{Number: g.S(), Type: g.S(), Status: g.S(), Source: g.S()}
			}
		}
	}
	if g.R.IntN(2) == 0 {
		p.Social = enrichd.Social{LinkedInURL: g.S(), LinkedInMemberID: g.S(), Twitter: g.S(), GitHub: g.S(), Facebook: g.S()}
	}
	return p
}

// Company returns nil or a random company.
func (g Gen) Company() *enrichd.Company {
	if g.R.IntN(5) == 0 {
		return nil
	}
	return &enrichd.Company{ID: g.S(), Name: g.S(), LegalName: g.S(), Domain: g.S(), OtherDomains: g.Strs(),
		LinkedInURL: g.S(), Industry: g.S(), EmployeeRange: g.S(), EmployeeCount: g.N(), RevenueRange: g.S(),
		FoundedYear: g.N(), HQ: g.loc(), Phone: g.S(), Description: g.S(), EmailPattern: g.S(),
		Extra: g.extra(), Sources: g.sources(), CreatedAt: g.T(), UpdatedAt: g.T()}
}

// Evidence returns nil, empty or random evidence.
func (g Gen) Evidence() []enrichd.Evidence {
	n := g.count()
	if n < 0 {
		return nil
	}
	out := make([]enrichd.Evidence, n)
	for i := range out {
		out[i] = enrichd.Evidence{Field: g.S(), Level: g.S(), Weight: g.F(), Detail: g.S()}
	}
	return out
}

// GuessedEmail returns nil or a random guessed address.
func (g Gen) GuessedEmail() *enrichd.GuessedEmail {
	if g.R.IntN(3) == 0 {
		return nil
	}
	return &enrichd.GuessedEmail{Address: g.S(), Pattern: g.S(), Confidence: g.F(), Status: g.S()}
}
