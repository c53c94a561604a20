package httpapi

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/enrichd/enrichd"
)

// codes maps application error codes to HTTP statuses on the paths the server
// itself answers (operational endpoints, unknown routes, panics). Each API
// dialect has its own table and envelope.
var codes = map[string]int{
	enrichd.EINVALID:        http.StatusBadRequest,
	enrichd.EUNAUTHORIZED:   http.StatusUnauthorized,
	enrichd.EPAYMENT:        http.StatusPaymentRequired,
	enrichd.EFORBIDDEN:      http.StatusForbidden,
	enrichd.ENOTFOUND:       http.StatusNotFound,
	enrichd.ECONFLICT:       http.StatusConflict,
	enrichd.ERATELIMIT:      http.StatusTooManyRequests,
	enrichd.EQUOTA:          http.StatusTooManyRequests,
	enrichd.ENOTIMPLEMENTED: http.StatusNotImplemented,
	enrichd.EUNAVAILABLE:    http.StatusServiceUnavailable,
	enrichd.EINTERNAL:       http.StatusInternalServerError,
	codeMethodNotAllowed:    http.StatusMethodNotAllowed,
}

// codeMethodNotAllowed is local: the core never produces it.
const codeMethodNotAllowed = "method_not_allowed"

var errMethodNotAllowed = &enrichd.Error{Code: codeMethodNotAllowed, Message: "Method not allowed."}

// errorBody is the envelope of the server's own errors, the same shape as the
// native API's: {"error": {"code", "message", "fields"?, "request_id"}}.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code      string            `json:"code"`
	Message   string            `json:"message"`
	Fields    map[string]string `json:"fields,omitempty"`
	RequestID string            `json:"request_id,omitempty"`
}

// Error writes err as a JSON error. Non-application errors become a generic
// 500 whose cause stays out of the response.
func Error(w http.ResponseWriter, r *http.Request, err error) {
	code := enrichd.ErrorCode(err)
	status, ok := codes[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	d := errorDetail{Code: code, Message: enrichd.ErrorMessage(err), RequestID: w.Header().Get(headerRequestID)}
	if e := enrichd.AsError(err); e != nil {
		d.Fields = e.Fields
		if e.RetryAfter > 0 {
			w.Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds()+0.999)))
		}
	}
	writeJSONValue(w, status, errorBody{Error: d})
}

func handleNotFound(w http.ResponseWriter, r *http.Request) {
	Error(w, r, enrichd.Errorf(enrichd.ENOTFOUND, "No route for %s %s.", r.Method, r.URL.Path))
}

func readyReason(err error) string {
	if e := enrichd.AsError(err); e != nil {
		return e.Message
	}
	return "store unreachable"
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}

func writeJSONValue(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		body = []byte(`{"error":{"code":"internal","message":"Internal error."}}`)
		status = http.StatusInternalServerError
	}
	writeJSON(w, status, append(body, '\n'))
}

// bodyTooLargeError is what a request body reader returns past the limit: an
// EINVALID application error (so that every dialect answers in its own
// envelope instead of a 500) that still unwraps to *http.MaxBytesError.
type bodyTooLargeError struct {
	app *enrichd.Error
	mbe *http.MaxBytesError
}

func (e *bodyTooLargeError) Error() string   { return e.app.Message }
func (e *bodyTooLargeError) Unwrap() []error { return []error{e.app, e.mbe} }

// limitedBody wraps http.MaxBytesReader and converts its error.
type limitedBody struct {
	rc  interface{ Read([]byte) (int, error) }
	c   interface{ Close() error }
	max int64
}

func (b *limitedBody) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	var mbe *http.MaxBytesError
	if err != nil && errors.As(err, &mbe) {
		return n, &bodyTooLargeError{
			app: enrichd.Errorf(enrichd.EINVALID, "Request body is larger than the limit of %d bytes.", b.max),
			mbe: mbe,
		}
	}
	return n, err
}

func (b *limitedBody) Close() error { return b.c.Close() }
