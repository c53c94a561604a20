package enrichd

import "context"

// MatchRequest is what a caller knows about a person. Every dialect converts its
// vendor's request into one. Raw values are passed as received; the engine
// normalises them.
type MatchRequest struct {
	LinkedInURL string
	Email       string // business or personal
	Phone       string

	FullName  string
	FirstName string
	LastName  string

	CompanyName        string
	CompanyDomain      string // or a website URL
	CompanyLinkedInURL string

	Title   string
	Country string // name or ISO code; also the default region for phones
	City    string

	TopK          int     // candidates to return; 0 means 1
	MinConfidence float64 // candidates below are dropped
	Explain       bool    // fill Candidate.Evidence
}

// MatchKind says which identifier decided a match.
const (
	MatchOnLinkedIn = "linkedin"
	MatchOnEmail    = "email"
	MatchOnPhone    = "phone"
	MatchOnName     = "name" // name plus company and other attributes
)

// Match is the engine's answer.
type Match struct {
	// Candidates are ordered by Confidence, highest first; empty on no match.
	Candidates []Candidate
	// Company is the resolved company of the request (from domain, company
	// LinkedIn or name), even when no person matched; nil when none resolved.
	Company *Company
	// CompanyConfidence is how sure the engine is of Company.
	CompanyConfidence float64
	// GuessedEmail is set when the request had a name and a company domain,
	// the matched person (or no person) has no stored business email, and the
	// company's address pattern is known. Its Status is StatusGuessed.
	GuessedEmail *GuessedEmail
}

// Best returns the top candidate or nil.
func (m *Match) Best() *Candidate {
	if m == nil || len(m.Candidates) == 0 {
		return nil
	}
	return &m.Candidates[0]
}

// Candidate is one person the request may describe.
type Candidate struct {
	Person     *Person
	Confidence float64 // calibrated probability in [0, 1] that this is the right person
	MatchedOn  string  // MatchOn* kind
	Evidence   []Evidence
}

// Evidence explains one field comparison.
type Evidence struct {
	Field  string  `json:"field"`  // e.g. "last_name", "company"
	Level  string  `json:"level"`  // exact|nickname|jaro_winkler_high|...|phonetic|missing|conflict
	Weight float64 `json:"weight"` // log2 Bayes factor contributed
	Detail string  `json:"detail,omitempty"`
}

// GuessedEmail is an address inferred from the company's address pattern.
type GuessedEmail struct {
	Address    string  `json:"address"`
	Pattern    string  `json:"pattern"`
	Confidence float64 `json:"confidence"`
	Status     string  `json:"status"` // always StatusGuessed
}

// CompanyQuery identifies a company.
type CompanyQuery struct {
	Domain      string
	LinkedInURL string
	Name        string
}

// Matcher finds people and companies. Implemented by match.Engine.
type Matcher interface {
	// MatchPerson returns the candidates for req. A miss is a Match with no
	// Candidates, not an error. Returns EINVALID when req has no usable
	// identifier (e.g. a name with no company and no other attribute).
	MatchPerson(ctx context.Context, req MatchRequest) (*Match, error)
	// MatchCompany resolves a company. Returns ENOTFOUND when none matches.
	MatchCompany(ctx context.Context, q CompanyQuery) (*Company, float64, error)
}
