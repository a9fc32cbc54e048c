package transport

import (
	"errors"
	"fmt"
	"net/http"
)

// Sentinel errors. Every error the clients return for an HTTP error status is
// an *APIError that matches one of these with errors.Is, so callers never need
// to match on error text.
var (
	// ErrNotFound: 404, or a lookup by a unique key that found nothing.
	ErrNotFound = errors.New("not found")
	// ErrConflict: 409, for example a duplicate userName or name.
	ErrConflict = errors.New("conflict")
	// ErrUnauthorized: 401, including rejected client credentials.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: 403.
	ErrForbidden = errors.New("forbidden")
	// ErrRateLimited: 429 after all retries were spent.
	ErrRateLimited = errors.New("rate limited")
)

// sentinels maps HTTP statuses to the sentinel errors above.
var sentinels = map[int]error{
	http.StatusNotFound:        ErrNotFound,
	http.StatusConflict:        ErrConflict,
	http.StatusUnauthorized:    ErrUnauthorized,
	http.StatusForbidden:       ErrForbidden,
	http.StatusTooManyRequests: ErrRateLimited,
}

// APIError is an error status returned by the service: a SCIM error
// (RFC 7644 §3.12), an admin API {"message": …} body, or a 3xx redirect
// the client did not follow (which matches no sentinel). It never holds
// credentials: only the status, the service's message, and the request's
// method and URL path (no query, no headers).
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// ScimType is the SCIM error type ("uniqueness", "invalidFilter", …), if any.
	ScimType string
	// Message is the SCIM detail or the admin API message.
	Message string
	// Method and Path identify the request (Path without the query string).
	Method, Path string
	// MaybeApplied reports that an earlier attempt of the same request may
	// have reached the service although its response was lost (a connection
	// dropped after sending, 502 or 504). A 409 on a create with MaybeApplied
	// is most likely the client's own earlier attempt.
	MaybeApplied bool
}

// Error implements error.
func (e *APIError) Error() string {
	msg := fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.StatusCode, http.StatusText(e.StatusCode))
	if e.ScimType != "" {
		msg += " (" + e.ScimType + ")"
	}
	if e.Message != "" {
		msg += ": " + e.Message
	}
	return msg
}

// Is makes errors.Is(err, ErrNotFound) and friends work.
func (e *APIError) Is(target error) bool {
	s, ok := sentinels[e.StatusCode]
	return ok && s == target
}

// IsLostCreate reports whether err is a 409 that answered the retry of a
// create whose earlier attempt may have been applied: the object most likely
// exists because of this very call, and the caller should look it up by its
// unique key instead of failing.
func IsLostCreate(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusConflict && apiErr.MaybeApplied
}

// ResponseError is a successful (2xx) response whose body the client could
// not decode: not JSON, or not the shape it must have. It names the
// request, and Err says what was wrong (quoting the body where that helps).
type ResponseError struct {
	// Method and Path identify the request (Path without the query string).
	Method, Path string
	// Err is the decoding error.
	Err error
}

// Error implements error.
func (e *ResponseError) Error() string {
	return fmt.Sprintf("%s %s: decoding response: %v", e.Method, e.Path, e.Err)
}

// Unwrap returns the decoding error.
func (e *ResponseError) Unwrap() error { return e.Err }
