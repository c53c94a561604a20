package clodura

// enrichRequest is the body of POST /api/v1/cleanup/enrich. Clodura documents
// string fields only; unknown fields are ignored, as Clodura does.
type enrichRequest struct {
	LinkedInURL      string `json:"linkedinUrl"`
	Email            string `json:"email"`
	FirstName        string `json:"firstName"`
	LastName         string `json:"lastName"`
	OrganisationName string `json:"organisationName"`
	OrgLinkedInURL   string `json:"orgLinkedinUrl"`
}

// enrichResponse is the 200 answer. A full person fills the person fields;
// an organisation-only answer (1 credit) carries Organisation and CreditUsage
// alone, which is why every person field is omitempty.
//
// NOTE: Functional and Seniority are pointers so that a person answer always
// carries the arrays (empty when unknown), as the doc's example does, while an
// organisation-only answer carries neither.
type enrichResponse struct {
	PersonID      string        `json:"personId,omitempty"`
	FirstName     string        `json:"firstName,omitempty"`
	LastName      string        `json:"lastName,omitempty"`
	LinkedInURL   string        `json:"linkedinUrl,omitempty"`
	PersonTitle   string        `json:"personTitle,omitempty"`
	Functional    *[]string     `json:"functional,omitempty"`
	Seniority     *[]string     `json:"seniority,omitempty"`
	PersonCity    string        `json:"personCity,omitempty"`
	PersonCountry string        `json:"personCountry,omitempty"`
	PersonState   string        `json:"personState,omitempty"`
	Organisation  *organisation `json:"organisation,omitempty"`
	CreditUsage   creditUsage   `json:"creditUsage"`
}

// organisation is the firmographic block of an answer.
type organisation struct {
	OrganisationID           string `json:"organisationId,omitempty"`
	OrganisationName         string `json:"organisationName,omitempty"`
	Domain                   string `json:"domain,omitempty"`
	OrgLinkedInURL           string `json:"orgLinkedinUrl,omitempty"`
	Industry                 string `json:"industry,omitempty"`
	OrganisationEmployeeSize string `json:"organisationEmployeeSize,omitempty"`
	BoardlineNumbers         string `json:"boardlineNumbers,omitempty"`
	FoundedYear              int    `json:"foundedYear,omitempty"`
	Revenue                  string `json:"revenue,omitempty"`
	OrganisationCity         string `json:"organisationCity,omitempty"`
	OrganisationState        string `json:"organisationState,omitempty"`
	OrganisationCountry      string `json:"organisationCountry,omitempty"`
}

// creditUsage reports the spend of the request and the balance after it.
type creditUsage struct {
	CreditsConsumed  int64 `json:"creditsConsumed"`
	RemainingCredits int64 `json:"remainingCredits"`
}

// errorResponse is the error envelope. Clodura's doc shows no error body, so
// enrichd uses the common Node/NestJS shape (camelCase, like Clodura's
// success body): {"statusCode": 404, "error": "Not Found", "message": "..."}.
// Fields lists per-field problems when there are any.
type errorResponse struct {
	StatusCode int               `json:"statusCode"`
	Error      string            `json:"error"`
	Message    string            `json:"message"`
	Fields     map[string]string `json:"fields,omitempty"`
	RetryAfter int               `json:"retryAfter,omitempty"` // seconds, on 409 and 429
}
