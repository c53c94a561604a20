package ocean

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/enrichd/enrichd"
)

// Ocean's documented detail strings (the enums of its OpenAPI document).
const (
	detailConflictingTokens = "Conflicting API tokens provided in query parameters and headers"
	detailEmptyPerson       = "Empty `person` body"
	detailInsufficient      = "Insufficient credits"
	detailNoToken           = "API token should be provided in headers or query parameters"
	detailUnknownToken      = "Current API token is not registered in our database"
	detailNoMatch           = "No matching record found"
)

// HeaderErrorDetail carries enrichd's own explanation when Ocean's documented
// detail string cannot say it (a plan that excludes the Ocean API answers
// Ocean's 403 enum, and the reason goes here).
const HeaderErrorDetail = "X-Enrichd-Error"

// Sentinel errors that select a documented detail string. Secret and the
// handler return them; writeError recognises them by identity.
var (
	errNoToken           = &enrichd.Error{Code: enrichd.EUNAUTHORIZED, Message: detailNoToken}
	errConflictingTokens = &enrichd.Error{Code: enrichd.EINVALID, Message: detailConflictingTokens}
	errEmptyPerson       = &enrichd.Error{Code: enrichd.EINVALID, Message: detailEmptyPerson}
	errNoMatch           = &enrichd.Error{Code: enrichd.ENOTFOUND, Message: detailNoMatch}
	errNoPayment         = &enrichd.Error{Code: enrichd.EPAYMENT, Message: detailInsufficient}
)

// Local codes for answers the core has no code for.
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeNoRoute          = "no_route"
	codeTooLarge         = "too_large"
)

// answer is one row of the mapping: status and the fixed detail ("" keeps
// the core's client-safe message).
type answer struct {
	status int
	detail string
}

// answers maps error codes to Ocean's statuses and detail strings. NOTE:
// Ocean's FastAPI service answers 403, not 401, for a missing or unknown
// token, and FastAPI's defaults for routing errors.
var answers = map[string]answer{
	enrichd.EINVALID:        {http.StatusBadRequest, ""}, // e.g. a malformed Idempotency-Key header
	enrichd.EUNAUTHORIZED:   {http.StatusForbidden, detailUnknownToken},
	enrichd.EFORBIDDEN:      {http.StatusForbidden, detailUnknownToken},
	enrichd.EPAYMENT:        {http.StatusPaymentRequired, detailInsufficient},
	enrichd.ENOTFOUND:       {http.StatusNotFound, detailNoMatch},
	enrichd.ECONFLICT:       {http.StatusConflict, ""},
	enrichd.ERATELIMIT:      {http.StatusTooManyRequests, ""},
	enrichd.EQUOTA:          {http.StatusTooManyRequests, ""},
	enrichd.ENOTIMPLEMENTED: {http.StatusNotImplemented, ""},
	enrichd.EUNAVAILABLE:    {http.StatusServiceUnavailable, "Service Unavailable"},
	enrichd.EINTERNAL:       {http.StatusInternalServerError, "Internal Server Error"},
	codeMethodNotAllowed:    {http.StatusMethodNotAllowed, "Method Not Allowed"},
	codeNoRoute:             {http.StatusNotFound, "Not Found"},
	codeTooLarge:            {http.StatusRequestEntityTooLarge, ""},
}

// writeError writes err in Ocean's status and envelope: a 422 list for
// validation problems, {"detail": "..."} for everything else. It is the only
// place that turns an error into a response; it does not log.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var verrs validationErrors
	if errors.As(err, &verrs) {
		writeJSON(w, http.StatusUnprocessableEntity, &httpValidationError{Detail: verrs})
		return
	}
	switch {
	case errors.Is(err, errNoToken):
		writeJSON(w, http.StatusForbidden, &detailError{Detail: detailNoToken})
		return
	case errors.Is(err, errConflictingTokens):
		writeJSON(w, http.StatusBadRequest, &detailError{Detail: detailConflictingTokens})
		return
	case errors.Is(err, errEmptyPerson):
		writeJSON(w, http.StatusBadRequest, &detailError{Detail: detailEmptyPerson})
		return
	}

	code := enrichd.ErrorCode(err)
	a, ok := answers[code]
	if !ok {
		a = answers[enrichd.EINTERNAL]
	}
	detail := a.detail
	if detail == "" {
		detail = enrichd.ErrorMessage(err)
	}
	if code == enrichd.EFORBIDDEN {
		w.Header().Set(HeaderErrorDetail, enrichd.ErrorMessage(err))
	}
	if e := enrichd.AsError(err); e != nil && e.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
	}
	writeJSON(w, a.status, &detailError{Detail: detail})
}

// valueError turns the engine's EINVALID (the person has no usable
// identifier) into pydantic's model-level value_error on the person.
func valueError(err error) validationErrors {
	msg := enrichd.ErrorMessage(err)
	return validationErrors{{Type: "value_error", Loc: []any{"body", "person"}, Msg: "Value error, " + msg,
		Ctx: map[string]any{"error": msg}}}
}
