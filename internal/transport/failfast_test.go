package transport

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"
)

// doConcurrently runs n calls of c at once and returns their errors.
func doConcurrently(t *testing.T, c *Client, n int) []error {
	t.Helper()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = c.Do(t.Context(), Request{Method: http.MethodGet, Path: fmt.Sprintf("/x/%d", i)}, nil)
		})
	}
	wg.Wait()
	return errs
}

// requireOneFailure checks that every error is a *FailedError of one
// Failure, that exactly sent of them were sent, and that the Failure is
// reported in full once.
func requireOneFailure(t *testing.T, errs []error, sent int, unreachable bool) *Failure {
	t.Helper()
	var f *Failure
	gotSent, firsts := 0, 0
	for i, err := range errs {
		var fe *FailedError
		if !errors.As(err, &fe) {
			t.Fatalf("call %d: %v (%T), want a *FailedError", i, err, err)
		}
		if f == nil {
			f = fe.Failure
		}
		if fe.Failure != f {
			t.Errorf("call %d has a Failure of its own, want the one all calls share", i)
		}
		if fe.Sent() {
			gotSent++
		}
		if first, _ := fe.Report(fmt.Sprintf("call %d", i)); first {
			firsts++
		}
	}
	if gotSent != sent {
		t.Errorf("%d calls sent, want %d", gotSent, sent)
	}
	if firsts != 1 {
		t.Errorf("%d calls reported the failure first, want 1", firsts)
	}
	if f != nil && f.Unreachable != unreachable {
		t.Errorf("Failure.Unreachable = %v, want %v", f.Unreachable, unreachable)
	}
	return f
}

// TestFailFastRefusedToken: with a token the service refuses, eight
// concurrent calls cost one request; every call fails with the same
// Failure, which still matches ErrUnauthorized, and later calls are not
// sent.
func TestFailFastRefusedToken(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(status(http.StatusUnauthorized, `{"detail":"unknown token"}`))}
	cfg := fastRetries
	cfg.FailFast = true
	c := newTestClient(t, rec, cfg, nil)
	errs := doConcurrently(t, c, 8)
	f := requireOneFailure(t, errs, 1, false)
	for i, err := range errs {
		if !errors.Is(err, ErrUnauthorized) {
			t.Errorf("call %d: errors.Is(%v, ErrUnauthorized) = false", i, err)
		}
	}
	if n := len(rec.recorded()); n != 1 {
		t.Errorf("%d requests reached the service, want 1", n)
	}
	_, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/later"}, nil)
	var fe *FailedError
	if !errors.As(err, &fe) || fe.Sent() || fe.Failure != f {
		t.Errorf("a later call: %v, want the Failure, not sent", err)
	}
	if got, want := err.Error(), "not sent: GET /base/x/"; len(got) < len(want) || got[:len(want)] != want {
		t.Errorf("a later call's error is %q, want it to start with %q", got, want)
	}
	if first, by := fe.Report("later"); first || by == "later" {
		t.Errorf("Report after the first = %v, %q; want false and the first caller's name", first, by)
	}
}

// TestFailFastRefusedAfterAnswers: a token refused after the service
// answered (revoked during the run) fails the later calls too.
func TestFailFastRefusedAfterAnswers(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(status(http.StatusOK, `{}`), status(http.StatusUnauthorized, ``))}
	cfg := fastRetries
	cfg.FailFast = true
	c := newTestClient(t, rec, cfg, nil)
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/ok"}, nil); err != nil {
		t.Fatal(err)
	}
	errs := doConcurrently(t, c, 4)
	requireOneFailure(t, errs, len(rec.recorded())-1, false)
	if n := len(rec.recorded()); n < 2 {
		t.Errorf("%d requests, want the first and at least one refused", n)
	}
}

// closedURL is the URL of a loopback port nothing listens on.
func closedURL(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(http.NotFoundHandler())
	ts.Close()
	return ts.URL
}

// TestFailFastUnreachable: eight concurrent calls to a service that is not
// up cost one call's attempts (1 + MaxRetries), not eight calls' worth.
func TestFailFastUnreachable(t *testing.T) {
	t.Parallel()
	logger := &memLogger{}
	cfg := fastRetries
	cfg.FailFast, cfg.Logger = true, logger
	c, err := New(cfg, Endpoint{BaseURL: closedURL(t)})
	if err != nil {
		t.Fatal(err)
	}
	errs := doConcurrently(t, c, 8)
	requireOneFailure(t, errs, 1, true)
	if n := len(logger.entries); n != fastRetries.MaxRetries+1 {
		t.Errorf("%d attempts, want %d: one call's", n, fastRetries.MaxRetries+1)
	}
}

// TestFailFastOff: without FailFast, every call makes its own attempts.
func TestFailFastOff(t *testing.T) {
	t.Parallel()
	logger := &memLogger{}
	cfg := fastRetries
	cfg.Logger = logger
	c, err := New(cfg, Endpoint{BaseURL: closedURL(t)})
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range doConcurrently(t, c, 3) {
		var fe *FailedError
		if errors.As(err, &fe) || !IsUnreachable(err) {
			t.Errorf("call %d: %v, want the dial error itself", i, err)
		}
	}
	if n := len(logger.entries); n != 3*(fastRetries.MaxRetries+1) {
		t.Errorf("%d attempts, want %d", n, 3*(fastRetries.MaxRetries+1))
	}
}

// TestFailFastUnreachableAfterAnswer: once the service has answered, a
// connection it refuses is the call's own error, retried, and later calls
// are still sent (the service may be restarting).
func TestFailFastUnreachableAfterAnswer(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
	logger := &memLogger{}
	cfg := fastRetries
	cfg.FailFast, cfg.Logger = true, logger
	c, err := New(cfg, Endpoint{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	ts.Close()
	for range 2 {
		_, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil)
		var fe *FailedError
		if errors.As(err, &fe) || !IsUnreachable(err) {
			t.Errorf("Do after the service stopped: %v, want the dial error itself", err)
		}
	}
	if n := len(logger.entries); n != 1+2*(fastRetries.MaxRetries+1) {
		t.Errorf("%d attempts, want %d", n, 1+2*(fastRetries.MaxRetries+1))
	}
}

// TestFailFastWaitsForFirstCall: before the service answered, a second
// call waits for the first, and gives up when its own context ends; a
// first call whose context ends records no failure.
func TestFailFastWaitsForFirstCall(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/slow" {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(ts.Close)
	t.Cleanup(func() { close(release) })
	cfg := fastRetries
	cfg.FailFast = true
	c, err := New(cfg, Endpoint{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	firstCtx, cancelFirst := context.WithCancel(t.Context())
	firstDone := make(chan error)
	go func() {
		_, err := c.Do(firstCtx, Request{Method: http.MethodGet, Path: "/slow"}, nil)
		firstDone <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the first call start
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/fast"}, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a call waiting for the first: %v, want context.DeadlineExceeded", err)
	}
	cancelFirst()
	if err := <-firstDone; !errors.Is(err, context.Canceled) {
		t.Errorf("the first call: %v, want context.Canceled", err)
	}
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/fast"}, nil); err != nil {
		t.Errorf("a call after the first was cancelled: %v, want success", err)
	}
}

func TestIsUnreachable(t *testing.T) {
	t.Parallel()
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connect: connection refused")}
	tests := map[string]struct {
		err  error
		want bool
	}{
		"connection refused":   {err: &url.Error{Op: "Post", URL: "http://127.0.0.1:1/x", Err: dial}, want: true},
		"after attempts":       {err: fmt.Errorf("after 5 attempts: %w", &url.Error{Op: "Get", Err: dial}), want: true},
		"no such host":         {err: &net.OpError{Op: "dial", Err: &net.DNSError{Err: "no such host", Name: "nosuch.test", IsNotFound: true}}, want: true},
		"unknown authority":    {err: &url.Error{Op: "Get", Err: x509.UnknownAuthorityError{}}, want: true},
		"wrong host name":      {err: &url.Error{Op: "Get", Err: x509.HostnameError{Host: "api.test"}}, want: true},
		"connection reset":     {err: &net.OpError{Op: "read", Err: errors.New("connection reset by peer")}},
		"API error":            {err: &APIError{StatusCode: 503}},
		"something else":       {err: errors.New("boom")},
		"no error":             {},
		"not sent after fails": {err: &FailedError{Failure: &Failure{Err: dial, Unreachable: true}}, want: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := IsUnreachable(tc.err); got != tc.want {
				t.Errorf("IsUnreachable(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}
