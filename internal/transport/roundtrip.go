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

// roundTripper does, for every attempt: wait for the rate limiter, get the
// Authorization, wait for the windows, set the User-Agent and
// Authorization, send, and log the outcome.
type roundTripper struct {
	base      http.RoundTripper
	auth      Authorizer     // nil: no Authorization
	limiter   *rate.Limiter  // nil: unlimited
	windows   *windowLimiter // nil: no windows
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
	// The Authorization comes before the window wait, so that fetching a
	// token cannot hold back an attempt whose slot has come: attempts reach
	// the service as far apart as the windows released them. After a long
	// wait it is asked again, in case the token was replaced meanwhile.
	var authorization string
	if rt.auth != nil {
		h, err := rt.auth.Authorization(ctx)
		if err != nil {
			return nil, err
		}
		authorization = h
	}
	if rt.windows != nil {
		waited, err := rt.windows.wait(ctx, rt.logger, req.Method, req.URL.Path)
		if err != nil {
			return nil, err
		}
		if waited > time.Second && rt.auth != nil {
			if authorization, err = rt.auth.Authorization(ctx); err != nil {
				return nil, err
			}
		}
	}
	cancel := context.CancelFunc(func() {})
	if rt.timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, rt.timeout)
	}
	out := req.Clone(ctx)
	out.Header.Set("User-Agent", rt.userAgent)
	if rt.auth != nil {
		out.Header.Set("Authorization", authorization)
	}
	if _, renewable := rt.auth.(Reauthorizer); renewable && state != nil {
		state.setAuthorization(authorization) // for Invalidate after a 401
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
	if resp.StatusCode == http.StatusTooManyRequests && rt.windows != nil {
		rt.windows.limited()
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
