package native

import (
	"net/http"
	"strconv"
	"time"

	"github.com/enrichd/enrichd"
	"github.com/enrichd/enrichd/httpapi/kit"
)

// Error codes the native API adds to the application codes for failures that
// happen before a request reaches the core (routing and transport).
const (
	codeMethodNotAllowed = "method_not_allowed"
	codeTooLarge         = "request_too_large"
)

// statusByCode is the one place where the native API maps machine codes to
// HTTP statuses. Codes not listed answer 500.
var statusByCode = map[string]int{
	enrichd.EINVALID:        http.StatusBadRequest,
	enrichd.EUNAUTHORIZED:   http.StatusUnauthorized,
	enrichd.EPAYMENT:        http.StatusPaymentRequired,
	enrichd.EFORBIDDEN:      http.StatusForbidden,
	enrichd.ENOTFOUND:       http.StatusNotFound,
	codeMethodNotAllowed:    http.StatusMethodNotAllowed,
	enrichd.ECONFLICT:       http.StatusConflict,
	codeTooLarge:            http.StatusRequestEntityTooLarge,
	enrichd.ERATELIMIT:      http.StatusTooManyRequests,
	enrichd.EQUOTA:          http.StatusTooManyRequests,
	enrichd.EINTERNAL:       http.StatusInternalServerError,
	enrichd.ENOTIMPLEMENTED: http.StatusNotImplemented,
	enrichd.EUNAVAILABLE:    http.StatusServiceUnavailable,
}

// StatusOf returns the HTTP status the native API answers for an error code.
func StatusOf(code string) int {
	if s, ok := statusByCode[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// errorBody is the one error envelope of the native API:
// {"error": {"code", "message", "fields", "request_id"}}.
type errorBody struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

type errorEnvelope struct {
	Error errorBody `json:"error"`
}

// toErrorBody converts err to its client-safe form. Non-application errors
// become "internal" with a generic message; their text never reaches the client.
func toErrorBody(r *http.Request, err error) errorBody {
	b := errorBody{
		Code:      enrichd.ErrorCode(err),
		Message:   enrichd.ErrorMessage(err),
		RequestID: kit.RequestID(r.Context()),
	}
	if e := enrichd.AsError(err); e != nil {
		b.Fields = e.Fields
	}
	if _, ok := statusByCode[b.Code]; !ok {
		// An unknown code from a dependency must not leak as a new machine code.
		b.Code, b.Message, b.Fields = enrichd.EINTERNAL, "Internal error.", nil
	}
	return b
}

// writeError writes err in the native envelope with its status, logging it
// first when it is not the caller's fault.
func (h *handler) writeError(w http.ResponseWriter, r *http.Request, err error) {
	if h.s.Kit != nil {
		h.s.Kit.LogError(r, err)
	}
	body := toErrorBody(r, err)
	status := StatusOf(body.Code)
	hdr := w.Header()
	switch status {
	case http.StatusUnauthorized:
		hdr.Set("WWW-Authenticate", `Bearer realm="enrichd"`)
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		// kit.Protect sets Retry-After for limits; cover errors raised elsewhere.
		if e := enrichd.AsError(err); e != nil && e.RetryAfter > 0 && hdr.Get("Retry-After") == "" {
			hdr.Set("Retry-After", strconv.Itoa(int((e.RetryAfter+time.Second-1)/time.Second)))
		}
	}
	h.writeJSON(w, status, errorEnvelope{Error: body})
}
