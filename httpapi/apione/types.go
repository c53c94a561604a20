package apione

// enrichRequest is the body of POST /api/v1/people/enrich: email alone, or
// first_name + last_name + domain. Unknown fields are ignored.
type enrichRequest struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Domain    string `json:"domain"`
}

// Envelope statuses.
const (
	statusSuccess = "success"
	statusError   = "error"
)

// enrichResponse is the success envelope.
type enrichResponse struct {
	Status      string      `json:"status"`
	RequestID   string      `json:"request_id"`
	CreditsUsed int64       `json:"credits_used"`
	Data        *personData `json:"data"`
}

// personData is the profile. Every field the doc lists is always present;
// an unknown value is null (the doc marks linkedin_url "if available").
type personData struct {
	FullName      *string `json:"full_name"`
	Email         *string `json:"email"`
	Title         *string `json:"title"`
	Seniority     *string `json:"seniority"` // executive|senior|mid|junior
	Department    *string `json:"department"`
	CompanyName   *string `json:"company_name"`
	CompanyDomain *string `json:"company_domain"`
	LinkedInURL   *string `json:"linkedin_url"`
	Location      *string `json:"location"`
	Confidence    float64 `json:"confidence"`
}

// errorResponse is the error envelope, shaped like the success envelope so
// that clients branch on status: {"status": "error", "request_id",
// "credits_used", "error": "<code>", "message"}. RetryAfter (seconds) is set
// on rate_limit_exceeded; Fields names the offending parameters.
type errorResponse struct {
	Status      string            `json:"status"`
	RequestID   string            `json:"request_id"`
	CreditsUsed int64             `json:"credits_used"`
	Error       string            `json:"error"`
	Message     string            `json:"message"`
	Fields      map[string]string `json:"fields,omitempty"`
	RetryAfter  int               `json:"retry_after,omitempty"`
}
