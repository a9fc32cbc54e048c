package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"golang.org/x/time/rate"
)

// errNoSlot: the client-side rate limit has no slot for the request before
// its context ends. Nothing was sent; retrying cannot help.
var errNoSlot = errors.New("client-side rate limit")

// roundTripper does, for every attempt: wait for the rate limiter, set the
// User-Agent and Authorization, send, and log the outcome.
type roundTripper struct {
	base      http.RoundTripper
	auth      Authorizer    // nil: no Authorization
	limiter   *rate.Limiter // nil: unlimited
	userAgent string
	logger    Logger // nil: no logging
	// outOfBand marks token requests: made during an attempt of a call,
	// with its context, but not themselves attempts of that call.
	outOfBand bool
	// timeout bounds each attempt, body included; 0: none. (Cheaper than
	// http.Client.Timeout, which starts a goroutine per request when the
	// RoundTripper is not an *http.Transport.)
	timeout time.Duration
}

// baseTransport returns hc's transport, or a pooled one of our own.
func baseTransport(hc *http.Client) http.RoundTripper {
	if hc != nil && hc.Transport != nil {
		return hc.Transport
	}
	return cleanhttp.DefaultPooledTransport()
}

// RoundTrip implements http.RoundTripper. It never modifies req.
func (rt *roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	var state *callState
	if !rt.outOfBand {
		state = stateFrom(ctx)
	}
	if rt.limiter != nil {
		if err := rt.limiter.Wait(ctx); err != nil {
			return nil, fmt.Errorf("%w: %w", errNoSlot, err)
		}
	}
	cancel := context.CancelFunc(func() {})
	if rt.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, rt.timeout)
	}
	out := req.Clone(ctx)
	out.Header.Set("User-Agent", rt.userAgent)
	if rt.auth != nil {
		h, err := rt.auth.Authorization(ctx)
		if err != nil {
			cancel()
			return nil, err
		}
		out.Header.Set("Authorization", h)
		if state != nil {
			state.setAuthorization(h)
		}
	}
	attempt := 1
	if state != nil {
		attempt = int(state.attempts.Add(1))
	}
	start := time.Now()
	resp, err := rt.base.RoundTrip(out)
	rt.log(ctx, req, resp, err, attempt, time.Since(start))
	if err != nil {
		cancel()
		return nil, err
	}
	resp.Body = &cancelOnClose{ReadCloser: resp.Body, cancel: cancel}
	return resp, nil
}

// cancelOnClose ends an attempt's context when its body is closed.
type cancelOnClose struct {
	io.ReadCloser
	cancel context.CancelFunc
}

// Close implements io.Closer.
func (b *cancelOnClose) Close() error {
	defer b.cancel()
	return b.ReadCloser.Close()
}

// log writes one debug entry for an attempt: no headers, no query, no body.
func (rt *roundTripper) log(ctx context.Context, req *http.Request, resp *http.Response, err error, attempt int, took time.Duration) {
	if rt.logger == nil {
		return
	}
	fields := map[string]any{
		"method":      req.Method,
		"path":        req.URL.Path,
		"attempt":     attempt,
		"duration_ms": took.Milliseconds(),
	}
	if resp != nil {
		fields["status"] = resp.StatusCode
	}
	if err != nil {
		fields["error"] = err.Error()
	}
	rt.logger.Debug(ctx, "secureaccess API request", fields)
}
