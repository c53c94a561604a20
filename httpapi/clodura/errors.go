package clodura

import (
	"net/http"
	"strconv"
	"time"

	"github.com/enrichd/enrichd"
)

// Local error codes for statuses the core has no code for. They never leave
// this package.
const (
	// codeUnprocessable is Clodura's 422: an invalid combination of
	// identifiers or a body that is not the documented JSON.
	codeUnprocessable  = "unprocessable"
	codeMethodNotAllow = "method_not_allowed"
	codeNoRoute        = "no_route"
)

// statuses maps error codes to Clodura's documented statuses. NOTE: the daily
// quota (EQUOTA) is 409, as Clodura's table says ("Daily rate limit reached");
// the per-minute limit is 429.
var statuses = map[string]int{
	enrichd.EINVALID:        http.StatusBadRequest,
	enrichd.EUNAUTHORIZED:   http.StatusUnauthorized,
	enrichd.EPAYMENT:        http.StatusPaymentRequired,
	enrichd.EFORBIDDEN:      http.StatusForbidden,
	enrichd.ENOTFOUND:       http.StatusNotFound,
	enrichd.EQUOTA:          http.StatusConflict,
	enrichd.ECONFLICT:       http.StatusConflict,
	codeUnprocessable:       http.StatusUnprocessableEntity,
	enrichd.ERATELIMIT:      http.StatusTooManyRequests,
	codeMethodNotAllow:      http.StatusMethodNotAllowed,
	codeNoRoute:             http.StatusNotFound,
	enrichd.ENOTIMPLEMENTED: http.StatusNotImplemented,
	enrichd.EUNAVAILABLE:    http.StatusServiceUnavailable,
	enrichd.EINTERNAL:       http.StatusInternalServerError,
}

// fixedMessages replaces the core's message where Clodura's wording is better
// known to its clients, or where the core's message must not leak.
var fixedMessages = map[string]string{
	enrichd.EPAYMENT:     "Payment required: credits exhausted. Upgrade your plan or add credits.",
	enrichd.ENOTFOUND:    "No match found",
	enrichd.EUNAVAILABLE: "Service temporarily unavailable. Please retry.",
	enrichd.EINTERNAL:    "Internal server error",
}

var (
	errMissingKey = &enrichd.Error{Code: enrichd.EUNAUTHORIZED,
		Message: "Unauthorized: API key is missing. Pass it in the X-API-KEY header."}
	errNoMatch   = &enrichd.Error{Code: enrichd.ENOTFOUND, Message: "No match found"}
	errNoPayment = &enrichd.Error{Code: enrichd.EPAYMENT}
)

// writeError writes err in Clodura's status and envelope. It is the only
// place that turns an error into a response; it does not log (callers that
// may see internal errors call Kit.LogError first).
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	code := enrichd.ErrorCode(err)
	status, ok := statuses[code]
	if !ok {
		code, status = enrichd.EINTERNAL, http.StatusInternalServerError
	}
	body := errorResponse{StatusCode: status, Error: http.StatusText(status)}
	if msg, ok := fixedMessages[code]; ok {
		body.Message = msg
	} else {
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
	writeJSON(w, status, &body)
}
