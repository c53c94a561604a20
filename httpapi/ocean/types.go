package ocean

import "encoding/json"

// personInput is MatchPersonBody.person in Ocean's OpenAPI document: every
// field is an optional, nullable string. Unknown fields are a 422
// (additionalProperties: false).
type personInput struct {
	ID        string
	Name      string
	FirstName string
	LastName  string
	JobTitle  string
	Email     string
	Phone     string
	Facebook  string
	Twitter   string
	LinkedIn  string
	Country   string
}

// empty reports whether no field has a value ("Empty `person` body").
func (p *personInput) empty() bool {
	return *p == personInput{}
}

// companyInput is MatchPersonBody.company.
type companyInput struct {
	Name               string
	RegistrationNumber string
	Email              string
	Phone              string
	CountryCode        string
	State              string
	City               string
	StreetAddress      string
	PostalCode         string
	Address            string
	Facebook           string
	Twitter            string
	LinkedIn           string
	Instagram          string
	Xing               string
	Domain             string
	YouTube            string
}

// enrichRequest is the decoded body of POST /v2/enrich/person.
type enrichRequest struct {
	Person        personInput
	Company       companyInput
	IncludeEmails bool // revealEmails.includeEmails
	IncludePhones bool // revealPhones.includePhones
}

// enrichPersonResult is EnrichPersonResult in Ocean's OpenAPI document, in
// the order of its example. id, domain and creditsUsed are required and
// always sent.
//
// NOTE: unknown values are omitted rather than sent as null. The document
// marks them with the 3.0 keyword "nullable" inside a 3.1 document, which
// JSON Schema 2020-12 validators ignore; an omitted field is valid under
// either reading, and clients treat it like null.
type enrichPersonResult struct {
	ID                    string       `json:"id"`
	Domain                string       `json:"domain"`
	Name                  string       `json:"name,omitempty"`
	FirstName             string       `json:"firstName,omitempty"`
	LastName              string       `json:"lastName,omitempty"`
	Country               string       `json:"country,omitempty"`
	State                 string       `json:"state,omitempty"`
	Location              string       `json:"location,omitempty"`
	LinkedInURL           string       `json:"linkedinUrl,omitempty"`
	Seniorities           []string     `json:"seniorities,omitempty"`
	Departments           []string     `json:"departments,omitempty"`
	Photo                 string       `json:"photo,omitempty"`
	JobTitle              string       `json:"jobTitle,omitempty"`
	JobTitleEnglish       string       `json:"jobTitleEnglish,omitempty"`
	CurrentJobDescription string       `json:"currentJobDescription,omitempty"`
	Experiences           []experience `json:"experiences,omitempty"`
	Summary               string       `json:"summary,omitempty"`
	Skills                []string     `json:"skills,omitempty"`
	Phone                 *phoneResult `json:"phone,omitempty"`
	Email                 *emailResult `json:"email,omitempty"`
	InferredEmails        []string     `json:"inferredEmails,omitempty"`
	UpdatedAt             string       `json:"updatedAt,omitempty"`
	ConnectionsCount      int          `json:"connectionsCount,omitempty"`
	FollowersCount        int          `json:"followersCount,omitempty"`
	Headline              string       `json:"headline,omitempty"`
	CreditsUsed           float64      `json:"creditsUsed"`
}

// experience is one job (Experience in the OpenAPI document).
type experience struct {
	DateFrom              string `json:"dateFrom,omitempty"`
	DateTo                string `json:"dateTo,omitempty"`
	Description           string `json:"description,omitempty"`
	Domain                string `json:"domain,omitempty"`
	JobTitle              string `json:"jobTitle,omitempty"`
	LinkedinCompanyHandle string `json:"linkedinCompanyHandle,omitempty"`
}

// Phone and email statuses of Ocean's enums.
const (
	statusVerified = "verified"
	statusGuessed  = "guessed"
	statusNotFound = "notFound"
)

// phoneResult is the revealed phone block.
type phoneResult struct {
	Numbers []string `json:"numbers"`
	Status  string   `json:"status"` // verified|notFound|inProgress
}

// emailResult is the revealed email block.
type emailResult struct {
	Address *string `json:"address"`
	Status  string  `json:"status"` // verified|guessed|catchAll|notFound
}

// detailError is Ocean's error body for every status but 422: {"detail": "..."}.
type detailError struct {
	Detail string `json:"detail"`
}

// validationError is one item of FastAPI's 422 body (ValidationError in
// the OpenAPI document), in pydantic v2's field order.
type validationError struct {
	Type  string          `json:"type"`
	Loc   []any           `json:"loc"` // strings and integers
	Msg   string          `json:"msg"`
	Input json.RawMessage `json:"input,omitempty"` // the offending value as sent; omitted when absent or null
	Ctx   map[string]any  `json:"ctx,omitempty"`
}

// httpValidationError is FastAPI's 422 body: {"detail": [ValidationError...]}.
type httpValidationError struct {
	Detail []validationError `json:"detail"`
}
