package transport

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"sync"
)

// Fail fast (Config.FailFast): a Client of a program that lives for one
// task, such as a Terraform provider process, remembers a failure that
// every later call would meet too, and fails those calls at once instead of
// sending them, each with the same *Failure, so that the program reports
// the failure once and retries an unreachable service once:
//
//   - the service refused the credentials: a final 401 (after the one
//     re-authorization an Authorizer may allow), on the API or the token
//     endpoint;
//   - the service could not be reached on the first call (no connection
//     opened: refused, no route, DNS, dial timeout; or a TLS certificate
//     that is not trusted), after that call's retries.
//
// Until a call got an answer from the service, calls go one at a time:
// the others wait for the first, so that an unreachable service costs one
// call's retries, not one per caller. Once the service has answered, an
// unreachable service later on is an ordinary error of that call (it may
// be restarting), retried as the policy says.

// Failure is a failure of a Client that every later call would meet too.
// It is shared by every call that met it or was not sent because of it.
type Failure struct {
	// Err is the error of the call that met the failure first.
	Err error
	// Unreachable is true when the service could not be reached, false
	// when it refused the credentials.
	Unreachable bool

	mu       sync.Mutex
	reported bool
	by       string
}

// Report lets one caller report the failure in full: the first call gets
// first = true; every later call gets false and the name that the first
// caller gave (such as the object it was working on), to point to it.
func (f *Failure) Report(name string) (first bool, firstName string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.reported {
		f.reported, f.by = true, name
		return true, name
	}
	return false, f.by
}

// FailedError is the error of a call that met its Client's *Failure, or
// that was not sent because an earlier call met it. It unwraps to the
// call's own error, or to the Failure's when the call was not sent, so
// errors.Is(err, ErrUnauthorized) holds for every call of a refused
// credential.
type FailedError struct {
	*Failure
	// Own is the call's own error; nil when the call was not sent.
	Own error
}

// Error implements error.
func (e *FailedError) Error() string {
	if e.Own != nil {
		return e.Own.Error()
	}
	return "not sent: " + e.Err.Error()
}

// Unwrap returns the call's own error, or the Failure's.
func (e *FailedError) Unwrap() error {
	if e.Own != nil {
		return e.Own
	}
	return e.Err
}

// Sent reports whether the call was sent (and met the failure itself).
func (e *FailedError) Sent() bool { return e.Own != nil }

// contact is a Client's fail-fast state.
type contact struct {
	mu       sync.Mutex
	answered bool          // a call got an answer from the service
	first    chan struct{} // closed when the call in flight before any answer ends; nil when none is
	failure  *Failure
}

// enter admits a call. It returns the call's exit, or the error of a call
// that must not be sent: a *FailedError, or the context's error while it
// waited for the first call.
func (c *contact) enter(ctx context.Context) (exit func(context.Context, error) error, err error) {
	for {
		c.mu.Lock()
		switch {
		case c.failure != nil:
			f := c.failure
			c.mu.Unlock()
			return nil, &FailedError{Failure: f}
		case c.answered:
			c.mu.Unlock()
			return c.exit(nil), nil
		case c.first == nil:
			done := make(chan struct{})
			c.first = done
			c.mu.Unlock()
			return c.exit(done), nil
		}
		wait := c.first
		c.mu.Unlock()
		select {
		case <-wait:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// exit returns the function that records how a call with ctx ended and
// returns the error to give its caller. done is the channel of the first
// call, nil for the others. A call whose context ended says nothing about
// the service.
func (c *contact) exit(done chan struct{}) func(context.Context, error) error {
	return func(ctx context.Context, err error) error {
		c.mu.Lock()
		defer c.mu.Unlock()
		if done != nil {
			close(done)
			c.first = nil
		}
		switch {
		case errors.Is(err, ErrUnauthorized):
			c.answered = true
			if c.failure == nil {
				c.failure = &Failure{Err: err}
			}
			return &FailedError{Failure: c.failure, Own: err}
		case err == nil || answered(err):
			c.answered = true
		case ctx.Err() != nil:
			// cancelled or out of time: nothing learnt about the service
		case !c.answered && IsUnreachable(err):
			if c.failure == nil {
				c.failure = &Failure{Err: err, Unreachable: true}
			}
			return &FailedError{Failure: c.failure, Own: err}
		}
		return err
	}
}

// answered reports whether err came with an answer of the service.
func answered(err error) bool {
	var apiErr *APIError
	var respErr *ResponseError
	return errors.As(err, &apiErr) || errors.As(err, &respErr)
}

// IsUnreachable reports whether err means that no connection to the
// service could be opened: the dial failed (refused, no route, DNS, a dial
// timeout), or the service's TLS certificate was not accepted
// (IsCertificateError).
func IsUnreachable(err error) bool {
	var opErr *net.OpError
	var dnsErr *net.DNSError
	return errors.As(err, &opErr) && opErr.Op == "dial" || errors.As(err, &dnsErr) || IsCertificateError(err)
}

// IsCertificateError reports whether err is a TLS certificate that was not
// accepted: issued by an unknown authority, for another host name, or
// otherwise invalid.
func IsCertificateError(err error) bool {
	var certErr *tls.CertificateVerificationError
	var authorityErr x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalidErr x509.CertificateInvalidError
	return errors.As(err, &certErr) || errors.As(err, &authorityErr) || errors.As(err, &hostErr) || errors.As(err, &invalidErr)
}
