package crustdata

import (
	"net/http"
	"sort"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/internal/jsonw"
)

// Local error codes for statuses the core has no code for; they never leave
// this package.
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeNoRoute          = "no_route"
	codeTooLarge         = "too_large"
)

// errorKind is how one error code shows in Crustdata's envelope.
type errorKind struct {
	status int
	typ    string
	// message, when set, replaces the core's message: Crustdata's wording is
	// what its clients match on, and internal messages must not leak.
	message string
}

// kinds maps error codes to Crustdata's statuses and error types. NOTE:
// Crustdata answers 403 for both a permission problem and a lack of credits
// (not 402), and 401 only for a missing or invalid key.
var kinds = map[string]errorKind{
	enrichd.EINVALID:        {http.StatusBadRequest, "invalid_request", ""},
	enrichd.EUNAUTHORIZED:   {http.StatusUnauthorized, "unauthorized", "Invalid API key in request."},
	enrichd.EFORBIDDEN:      {http.StatusForbidden, "permission_denied", ""},
	enrichd.EPAYMENT:        {http.StatusForbidden, "insufficient_credits", "Insufficient credits. Please add credits to your account to continue."},
	enrichd.ENOTFOUND:       {http.StatusNotFound, "not_found", ""},
	enrichd.ECONFLICT:       {http.StatusConflict, "conflict", ""},
	enrichd.ERATELIMIT:      {http.StatusTooManyRequests, "rate_limit_exceeded", "Rate limit exceeded. Please retry after the time given in the Retry-After header."},
	enrichd.EQUOTA:          {http.StatusTooManyRequests, "rate_limit_exceeded", "Daily request quota exhausted. Please retry after the time given in the Retry-After header."},
	enrichd.ENOTIMPLEMENTED: {http.StatusNotImplemented, "not_implemented", ""},
	enrichd.EUNAVAILABLE:    {http.StatusServiceUnavailable, "service_unavailable", "Service temporarily unavailable. Please retry with backoff."},
	enrichd.EINTERNAL:       {http.StatusInternalServerError, "internal_error", "Internal server error. Please retry with backoff."},
	codeMethodNotAllowed:    {http.StatusMethodNotAllowed, "method_not_allowed", ""},
	codeNoRoute:             {http.StatusNotFound, "not_found", ""},
	codeTooLarge:            {http.StatusRequestEntityTooLarge, "invalid_request", ""},
}

// errorBody is Crustdata's error envelope:
// {"error": {"type": "...", "message": "...", "metadata": []}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Type     string         `json:"type"`
	Message  string         `json:"message"`
	Metadata []fieldProblem `json:"metadata"`
}

// fieldProblem is one entry of metadata: a request field and what is wrong
// with it (enrichd.Error.Fields).
type fieldProblem struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// writeError writes err in Crustdata's status and envelope. It is the only
// place that turns an error into a response; callers that may see internal
// errors log them with Kit.LogError first.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := enrichd.ErrorCode(err)
	k, ok := kinds[code]
	if !ok {
		k = kinds[enrichd.EINTERNAL]
	}
	msg := k.message
	if msg == "" {
		msg = enrichd.ErrorMessage(err)
	}
	body := errorBody{Error: errorDetail{Type: k.typ, Message: msg, Metadata: []fieldProblem{}}}
	if e := enrichd.AsError(err); e != nil && code == enrichd.EINVALID {
		names := make([]string, 0, len(e.Fields))
		for name := range e.Fields {
			names = append(names, name)
		}
		sort.Strings(names)
		for _, name := range names {
			body.Error.Metadata = append(body.Error.Metadata, fieldProblem{Field: name, Message: e.Fields[name]})
		}
	}
	if code == codeMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	writeJSON(w, k.status, body)
}

// writeJSON writes v as the response body with status, in one write with an
// exact Content-Length. NOTE: HTML escaping is off so that "&" in names and
// titles reads as the vendor writes it. The enrich and search answers write
// themselves (encode.go).
func writeJSON(w http.ResponseWriter, status int, v any) {
	// Only our own types are written; failing here is a bug, not input.
	_ = jsonw.Respond(w, status, contentTypeJSON, v,
		`{"error":{"type":"internal_error","message":"Internal server error. Please retry with backoff.","metadata":[]}}`+"\n")
}

// contentTypeJSON is shared by every answer: net/http only reads it.
var contentTypeJSON = []string{"application/json"}

// invalid returns an EINVALID error with a message and, optionally, the
// request field it concerns.
func invalid(field, message string) error {
	if field == "" {
		return enrichd.Errorf(enrichd.EINVALID, "%s", message)
	}
	return enrichd.InvalidFields(message, map[string]string{field: message})
}
