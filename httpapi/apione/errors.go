package apione

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
)

// Local error codes for answers the core has no code for. They never leave
// this package except as the envelope's "error" string.
const (
	codeMissingParam   = "missing_param"
	codeInvalidParam   = "invalid_param"
	codeInvalidJSON    = "invalid_json"
	codeMethodNotAllow = "method_not_allowed"
	codeNoRoute        = "endpoint_not_found"
)

// apiErr is one row of the mapping: the HTTP status, ApiOne's error string,
// and a fixed message that replaces the core's ("" keeps it).
type apiErr struct {
	status  int
	code    string
	message string
}

// errorTable maps error codes to ApiOne's documented answers (400
// missing_param, 401 invalid_api_key, 402 insufficient_credits, 404
// not_found, 429 rate_limit_exceeded) and to enrichd's own for the rest.
// NOTE: the daily quota is a 429 like the per-minute limit: ApiOne documents
// a single rate-limit error.
var errorTable = map[string]apiErr{
	codeMissingParam:        {http.StatusBadRequest, codeMissingParam, ""},
	codeInvalidParam:        {http.StatusBadRequest, codeInvalidParam, ""},
	codeInvalidJSON:         {http.StatusBadRequest, codeInvalidJSON, ""},
	enrichd.EINVALID:        {http.StatusBadRequest, codeInvalidParam, ""},
	enrichd.EUNAUTHORIZED:   {http.StatusUnauthorized, "invalid_api_key", ""},
	enrichd.EPAYMENT:        {http.StatusPaymentRequired, "insufficient_credits", "Account has no remaining credits for this request."},
	enrichd.EFORBIDDEN:      {http.StatusForbidden, "forbidden", ""},
	enrichd.ENOTFOUND:       {http.StatusNotFound, "not_found", "No profile found for the given input."},
	codeNoRoute:             {http.StatusNotFound, codeNoRoute, ""},
	codeMethodNotAllow:      {http.StatusMethodNotAllowed, codeMethodNotAllow, ""},
	enrichd.ECONFLICT:       {http.StatusConflict, "conflict", ""},
	enrichd.ERATELIMIT:      {http.StatusTooManyRequests, "rate_limit_exceeded", ""},
	enrichd.EQUOTA:          {http.StatusTooManyRequests, "rate_limit_exceeded", ""},
	enrichd.ENOTIMPLEMENTED: {http.StatusNotImplemented, "not_implemented", ""},
	enrichd.EUNAVAILABLE:    {http.StatusServiceUnavailable, "service_unavailable", "Service temporarily unavailable. Please retry."},
	enrichd.EINTERNAL:       {http.StatusInternalServerError, "internal_error", "Internal server error."},
}

var (
	errMissingKey = &enrichd.Error{Code: enrichd.EUNAUTHORIZED, Message: "API key is missing. Pass it in the X-API-Key header."}
	errNotFound   = &enrichd.Error{Code: enrichd.ENOTFOUND}
	errNoPayment  = &enrichd.Error{Code: enrichd.EPAYMENT}
)

// writeError writes err in ApiOne's envelope with credits_used 0. It is the
// Dialect's WriteError; it does not log.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	writeErrorCharged(w, r, err, 0)
}

// writeErrorCharged writes err reporting credits as spent (not_found costs 1).
// It is the only place that turns an error into a response.
func writeErrorCharged(w http.ResponseWriter, r *http.Request, err error, credits int64) {
	code := enrichd.ErrorCode(err)
	row, ok := errorTable[code]
	if !ok {
		row = errorTable[enrichd.EINTERNAL]
	}
	body := errorResponse{
		Status:      statusError,
		RequestID:   requestID(r),
		CreditsUsed: credits,
		Error:       row.code,
		Message:     row.message,
	}
	if body.Message == "" {
		body.Message = enrichd.ErrorMessage(err)
	}
	if e := enrichd.AsError(err); e != nil {
		body.Fields = e.Fields
		if e.RetryAfter > 0 {
			secs := int((e.RetryAfter + time.Second - 1) / time.Second)
			body.RetryAfter = secs
			w.Header().Set("Retry-After", strconv.Itoa(secs))
		}
	}
	writeJSON(w, row.status, &body)
}

// requestID returns the server's request id (the one the ledger records), or
// a fresh "req_" id when the handler runs without the server's middleware.
func requestID(r *http.Request) string {
	if id := kit.RequestID(r.Context()); id != "" {
		return id
	}
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "req_" + hex.EncodeToString(b[:])
}
