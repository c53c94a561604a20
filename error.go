package enrichd

import (
	"errors"
	"fmt"
	"time"
)

// Application error codes. Every surface (native API, each vendor dialect)
// maps these to its own status and envelope in exactly one place.
const (
	ECONFLICT       = "conflict"        // a unique identifier already exists
	EINTERNAL       = "internal"        // anything not caused by the caller
	EINVALID        = "invalid"         // malformed or semantically wrong input
	ENOTFOUND       = "not_found"       // no such record, or no match
	EUNAUTHORIZED   = "unauthorized"    // credentials missing, unknown, revoked or expired
	EFORBIDDEN      = "forbidden"       // valid credentials, but the plan does not allow this
	EPAYMENT        = "payment"         // not enough credits
	ERATELIMIT      = "rate_limit"      // per-minute rate limit exceeded
	EQUOTA          = "quota"           // daily quota exhausted
	ENOTIMPLEMENTED = "not_implemented" // a documented feature this deployment does not offer
	EUNAVAILABLE    = "unavailable"     // a dependency (store, redis) is down; retrying may help
)

// Error is the application error. Its Message is safe to show a client;
// anything else (driver errors, stack context) stays in wrapped errors and logs.
type Error struct {
	Code    string
	Message string
	// Fields lists per-field problems for EINVALID, keyed by the caller's field name.
	Fields map[string]string
	// RetryAfter is set on ERATELIMIT and EQUOTA.
	RetryAfter time.Duration
}

// Error implements the error interface.
func (e *Error) Error() string {
	return fmt.Sprintf("enrichd error: code=%s message=%s", e.Code, e.Message)
}

// Errorf returns an application error with the given code and a formatted, client-safe message.
func Errorf(code string, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// InvalidFields returns an EINVALID error listing per-field problems.
func InvalidFields(message string, fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: message, Fields: fields}
}

// ErrorCode returns the code of the application error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the client-safe message of the application error in err's
// chain, or "Internal error." for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Internal error."
}

// AsError returns the application error in err's chain, or nil.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return nil
}
