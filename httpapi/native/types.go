package native

import (
	"github.com/enrichd/enrichd"
)

// Limits of the native API, documented in README.md and the OpenAPI document.
const (
	// MaxBatch is the largest number of requests in one person enrich batch.
	MaxBatch = 100
	// MaxTopK is the largest top_k a caller may ask for.
	MaxTopK = 10
	// MaxBodyBytes bounds request bodies; a full batch of 100 fits easily.
	MaxBodyBytes = 1 << 20
	// MaxValueLen bounds each identifier string.
	MaxValueLen = 1024
	// DefaultSearchLimit is the page size of a search that gives no limit.
	DefaultSearchLimit = 20
	// MaxSearchLimit is the largest page size.
	MaxSearchLimit = 1000
	// maxFilterDepth and maxFilterNodes bound a search filter tree.
	maxFilterDepth = 10
	maxFilterNodes = 201 // 200 conditions under one group
)

// personRequest is one person to enrich: any combination of identifiers plus
// options. Options are pointers so that a batch's top-level options can act as
// defaults that an item overrides.
type personRequest struct {
	LinkedInURL        string `json:"linkedin_url"`
	Email              string `json:"email"`
	Phone              string `json:"phone"`
	FullName           string `json:"full_name"`
	FirstName          string `json:"first_name"`
	LastName           string `json:"last_name"`
	CompanyName        string `json:"company_name"`
	CompanyDomain      string `json:"company_domain"`
	CompanyLinkedInURL string `json:"company_linkedin_url"`
	Title              string `json:"title"`
	Country            string `json:"country"`
	City               string `json:"city"`

	Fields        []string `json:"fields"`
	MinConfidence *float64 `json:"min_confidence"`
	TopK          *int     `json:"top_k"`
	Explain       *bool    `json:"explain"`
}

// enrichBody is the body of POST /v1/person/enrich: one personRequest, or a
// batch under "requests" whose top-level options are defaults for each item.
type enrichBody struct {
	personRequest
	Requests *[]rawItem `json:"requests"`
}

// companyRequest is the body of POST /v1/company/enrich.
type companyRequest struct {
	Domain      string `json:"domain"`
	LinkedInURL string `json:"linkedin_url"`
	Name        string `json:"name"`
}

// searchRequest is the body of POST /v1/person/search.
type searchRequest struct {
	Filters    *enrichd.Filter `json:"filters"`
	Sorts      []enrichd.Sort  `json:"sorts"`
	Limit      *int            `json:"limit"`
	Cursor     string          `json:"cursor"`
	Fields     []string        `json:"fields"`
	TotalCount bool            `json:"total_count"`
}

// credits reports what a request cost and what is left.
type credits struct {
	Used      int64 `json:"used"`
	Remaining int64 `json:"remaining"`
}

// candidate is one possible person for a request.
type candidate struct {
	Person     *enrichd.Person    `json:"person"`
	Confidence float64            `json:"confidence"`
	MatchedOn  string             `json:"matched_on,omitempty"`
	Evidence   []enrichd.Evidence `json:"evidence,omitempty"`
}

// personResult is the answer for one person request. The best candidate is
// flattened to the top (person, confidence, matched_on, evidence); all
// candidates are listed too when top_k > 1.
type personResult struct {
	Match             bool                  `json:"match"`
	Person            *enrichd.Person       `json:"person,omitempty"`
	Confidence        float64               `json:"confidence"`
	MatchedOn         string                `json:"matched_on,omitempty"`
	Evidence          []enrichd.Evidence    `json:"evidence,omitempty"`
	Candidates        []candidate           `json:"candidates,omitempty"`
	Company           *enrichd.Company      `json:"company,omitempty"`
	CompanyConfidence float64               `json:"company_confidence,omitempty"`
	GuessedEmail      *enrichd.GuessedEmail `json:"guessed_email,omitempty"`
}

// itemError is a batch item that failed: it carries its error and no data.
type itemError struct {
	Error errorBody `json:"error"`
}

// personResponse answers a single person enrich request.
type personResponse struct {
	RequestID string `json:"request_id,omitempty"`
	personResult
	Credits credits `json:"credits"`
}

// batchResponse answers a batch: results in input order, each a
// *personResult or an *itemError.
type batchResponse struct {
	RequestID string  `json:"request_id,omitempty"`
	Results   []any   `json:"results"`
	Credits   credits `json:"credits"`
}

// companyResponse answers POST /v1/company/enrich.
type companyResponse struct {
	RequestID  string           `json:"request_id,omitempty"`
	Match      bool             `json:"match"`
	Company    *enrichd.Company `json:"company,omitempty"`
	Confidence float64          `json:"confidence"`
	Credits    credits          `json:"credits"`
}

// searchResponse answers POST /v1/person/search.
type searchResponse struct {
	RequestID  string            `json:"request_id,omitempty"`
	People     []*enrichd.Person `json:"people"`
	NextCursor *string           `json:"next_cursor"`
	TotalCount *int              `json:"total_count,omitempty"`
	Credits    credits           `json:"credits"`
}
