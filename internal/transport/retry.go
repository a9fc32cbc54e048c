package transport

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// RetryPolicy says when a request may be sent again.
//
// Whatever the policy, 429 and 503 are retried (the service applied nothing),
// as is a connection that could not be opened (nothing was sent), and so is a
// refusal from the token endpoint with one of those statuses. 401 and 403
// are never retried here (the admin client's single re-authorization is
// Client.Do's business), nor is any other 4xx or a 500.
type RetryPolicy int

const (
	// RetryByMethod is the zero value: RetryIdempotent for GET, HEAD, PUT,
	// DELETE and PATCH, RetryUnsafe for POST.
	//
	// PATCH counts as idempotent because the clients only send operations
	// whose repetition has no further effect: replace of a value, add of
	// group members (a member is in a group once) and remove by value filter.
	RetryByMethod RetryPolicy = iota
	// RetryIdempotent also retries connection errors after sending, 502 and 504.
	RetryIdempotent
	// RetryCreate is for a POST that creates an object with a unique key
	// (userName, displayName, directory name): it retries like
	// RetryIdempotent, and when an earlier attempt may have been applied the
	// final error says so (APIError.MaybeApplied, IsLostCreate), so that a
	// 409 leads the caller to look the object up instead of failing.
	RetryCreate
	// RetryUnsafe retries only what cannot have been applied.
	RetryUnsafe
)

// resolve turns RetryByMethod into a concrete policy.
func (p RetryPolicy) resolve(method string) RetryPolicy {
	if p != RetryByMethod {
		return p
	}
	if method == http.MethodPost {
		return RetryUnsafe
	}
	return RetryIdempotent
}

// callState travels in the request context through all attempts of one call.
type callState struct {
	policy       RetryPolicy
	attempts     atomic.Int32
	maybeApplied atomic.Bool // an attempt may have been applied
	unauthorized atomic.Bool // the service answered 401

	mu       sync.Mutex
	lastAuth string // the Authorization of the latest attempt, for a Reauthorizer; never logged
}

// setAuthorization records the Authorization header an attempt carries.
func (s *callState) setAuthorization(h string) {
	s.mu.Lock()
	s.lastAuth = h
	s.mu.Unlock()
}

// authorization returns the Authorization of the latest attempt.
func (s *callState) authorization() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lastAuth
}

// stateKey is the context key of the *callState.
type stateKey struct{}

// stateFrom returns the callState of ctx, or nil outside Client.Do (token
// requests).
func stateFrom(ctx context.Context) *callState {
	s, _ := ctx.Value(stateKey{}).(*callState)
	return s
}

// maxRedirects is how many redirects one attempt follows, as net/http.
const maxRedirects = 10

// sameOriginRedirects follows a redirect only to the scheme and host of the
// original request. The round tripper sets Authorization on every request
// it sends, redirect hops included, so following a redirect to another host
// (or from https to http) would hand it the bearer token or the client
// credentials. Such a redirect is returned unfollowed, and Do reports it as
// an *APIError.
func sameOriginRedirects(req *http.Request, via []*http.Request) error {
	if len(via) >= maxRedirects {
		return fmt.Errorf("stopped after %d redirects", maxRedirects)
	}
	if req.URL.Scheme != via[0].URL.Scheme || req.URL.Host != via[0].URL.Host {
		return http.ErrUseLastResponse
	}
	return nil
}

// newRetryClient wires the retry policy and backoff around rt.
func newRetryClient(cfg Config, rt http.RoundTripper) *retryablehttp.Client {
	return &retryablehttp.Client{
		HTTPClient:   &http.Client{Transport: rt, CheckRedirect: sameOriginRedirects}, // rt applies cfg.RequestTimeout
		RetryWaitMin: cfg.RetryWaitMin,
		RetryWaitMax: cfg.RetryWaitMax,
		RetryMax:     cfg.MaxRetries,
		CheckRetry:   checkRetry,
		Backoff:      backoff,
		ErrorHandler: lastResponse,
	}
}

// checkRetry is the retryablehttp.CheckRetry of every Client.
func checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	state := stateFrom(ctx)
	if err != nil {
		return retryError(ctx, state, err)
	}
	switch resp.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		return true, nil
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return state.retryAmbiguous(), nil
	}
	return false, nil
}

// retryError decides on a transport error.
func retryError(ctx context.Context, state *callState, err error) (bool, error) {
	var apiErr *APIError
	if errors.As(err, &apiErr) { // the token endpoint refused; nothing was sent to the API
		retry := apiErr.StatusCode == http.StatusTooManyRequests || apiErr.StatusCode == http.StatusServiceUnavailable
		return retry, err
	}
	if recoverable, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !recoverable || errors.Is(err, errNoSlot) {
		return false, err // TLS trust, bad scheme, redirect loops, no rate limit slot in time
	}
	if isDialError(err) {
		return true, nil
	}
	return state.retryAmbiguous(), err
}

// retryAmbiguous decides after an attempt that may have been applied.
func (s *callState) retryAmbiguous() bool {
	switch s.policy {
	case RetryIdempotent:
		return true
	case RetryCreate:
		s.maybeApplied.Store(true)
		return true
	default:
		return false
	}
}

// isDialError reports a connection that was never established.
func isDialError(err error) bool {
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// backoff honours Retry-After (seconds or HTTP date) on any response that
// carries it, and otherwise waits an exponentially growing, fully jittered
// time in [min, min·2^attempt] capped at max.
func backoff(minWait, maxWait time.Duration, attempt int, resp *http.Response) (wait time.Duration) {
	if resp != nil && resp.StatusCode == http.StatusTooManyRequests && resp.Request != nil {
		// The service's own rate limit: the call's WaitLog counts the wait,
		// with no window of the client's (Window{}).
		defer func() { waitLogFrom(resp.Request.Context()).add(wait, Window{}) }()
	}
	if resp != nil {
		if wait, ok := retryAfter(resp.Header.Get("Retry-After"), time.Now()); ok {
			return wait
		}
	}
	ceiling := maxWait
	if attempt < 32 {
		ceiling = min(maxWait, minWait<<attempt)
	}
	if ceiling <= minWait {
		return minWait
	}
	return minWait + rand.N(ceiling-minWait) //nolint:gosec // jitter, not a secret
}

// retryAfter parses a Retry-After value as delay-seconds or an HTTP date.
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(0, at.Sub(now)), true
	}
	return 0, false
}

// lastResponse is the retryablehttp.ErrorHandler: once retries are spent, a
// final response (429, 503, …) is handed back so that it becomes an
// *APIError; without one, the last error is returned.
func lastResponse(resp *http.Response, err error, _ int) (*http.Response, error) {
	if resp != nil && err == nil {
		return resp, nil
	}
	if resp != nil {
		drain(resp.Body)
		_ = resp.Body.Close()
	}
	return nil, err
}
