// Package transport is the HTTP plumbing shared by the Secure Access admin
// and SCIM clients: JSON requests sent through go-retryablehttp with a retry
// policy that knows which requests are safe to repeat, a client-side rate
// limit, a User-Agent, a debug logging hook that never sees credentials, and
// the mapping of error responses to *APIError and its sentinel errors.
package transport

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/hashicorp/go-retryablehttp"
	"golang.org/x/time/rate"
)

// Defaults applied by New to zero Config fields.
const (
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 30 * time.Second
	DefaultRetryWaitMin   = 500 * time.Millisecond
	DefaultRetryWaitMax   = 30 * time.Second
	DefaultUserAgent      = "terraform-provider-secureaccess/dev"
)

// maxErrorBody bounds how much of an error response is read.
const maxErrorBody = 1 << 20

// Config holds the settings shared by both clients. The zero value is usable.
type Config struct {
	// MaxRetries is how often a failed request is repeated when the retry
	// policy allows it. 0 means DefaultMaxRetries; negative disables retries.
	MaxRetries int
	// RequestTimeout bounds each attempt (not the whole call, which the
	// context bounds). 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// RateLimit is the client-side limit in requests per second, every
	// attempt counted. 0 means unlimited here; the admin and scim packages
	// fill in their own defaults before calling New.
	RateLimit float64
	// Burst is the rate limiter's bucket size; 0 means max(1, int(RateLimit)).
	Burst int
	// Windows are client-side limits on top of RateLimit: at most
	// Window.Limit attempts in any sliding Window.Period, every attempt
	// counted, each window with WindowMargin added to its period. An
	// attempt waits for a slot in all of them (on the call's context, not
	// the per-attempt timeout), and a wait longer than LongWait is logged
	// at WARN when Logger is a WarnLogger. Nil means none.
	Windows []Window
	// WindowKey, when not empty, shares the Windows' counters with every
	// Client and token client of this process with the same key and
	// window: the service counts per API key, so the admin client keys
	// them by token URL and client ID. Empty: this Client's own counters.
	WindowKey string
	// WindowMargin is added to every window's period; 0 means
	// DefaultWindowMargin, negative none.
	WindowMargin time.Duration
	// WindowStateDir, with a WindowKey, is a directory where the processes
	// of the machine share the windows' counters (a file, rate-limits.json,
	// locked while it is read and written, holding release times under a
	// hash of the key: no URL, ID or credential). Terraform starts a new
	// provider process for the plan and another for the apply of one
	// command, and the service counts both. Empty, or on a platform without
	// file locks (Windows), the counters are the process's own; so they are
	// when the file cannot be used.
	WindowStateDir string
	// WindowsOnceLimited keeps the Windows dormant until the service first
	// answers 429 Too Many Requests: a service that does not limit its
	// clients (a test double, a proxy of one's own) never makes a call
	// wait. Dormant windows still count every attempt, so that they hold
	// from the first 429 on, for every Client of the process with the same
	// WindowKey. False: the windows hold from the first attempt.
	WindowsOnceLimited bool
	// UserAgent is sent on every request, e.g.
	// "terraform-provider-secureaccess/1.2.3". Empty means DefaultUserAgent.
	UserAgent string
	// HTTPClient supplies the base RoundTripper (and Timeout, if
	// RequestTimeout is 0). Nil means a pooled client of its own.
	HTTPClient *http.Client
	// Logger receives one debug entry per attempt; nil logs nothing.
	Logger Logger
	// RetryWaitMin and RetryWaitMax bound the exponential backoff between
	// attempts when the service sends no Retry-After. 0 means the defaults.
	RetryWaitMin, RetryWaitMax time.Duration
	// FailFast makes the Client remember refused credentials, and a
	// service it could not reach before any answer, and fail every later
	// call at once with a *FailedError (see Failure). Until the service
	// first answers, calls go one at a time. For a program that lives for
	// one task, such as a Terraform provider process; a long-running
	// program should leave it off, since the service may come up and the
	// credentials may be fixed while it runs.
	FailFast bool
}

// Logger is the logging hook; the provider routes it to tflog. It receives
// one entry per attempt, message "secureaccess API request", with the fields
// method, path (the URL path), status, attempt (1-based), duration_ms and,
// on failure, error: never headers, bodies or query strings, so never a
// credential. ctx is the context of the call the attempt belongs to (for an
// admin token request, of the call that needed the token), so its values,
// such as tflog's logger, reach the hook.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
}

// Authorizer supplies the Authorization header of every attempt. A static
// credential, such as a SCIM bearer token, is final when refused; one that
// can be renewed, such as an OAuth2 access token, is a Reauthorizer.
type Authorizer interface {
	// Authorization returns the header value, e.g. "Bearer …", for an
	// attempt made with ctx. ctx is the caller's: use its values (loggers)
	// but do not let its cancellation abort work other calls share, such as
	// fetching a token (context.WithoutCancel). An error that is an
	// *APIError (the token endpoint refused) is final unless its status says
	// nothing was applied (429, 503).
	Authorization(ctx context.Context) (string, error)
}

// Reauthorizer is an Authorizer whose credential can be renewed after a
// 401: the Client then keeps the header each attempt carried.
type Reauthorizer interface {
	Authorizer
	// Invalidate is called once when a request carrying the header value
	// rejected got 401. It reports whether repeating the request with a
	// fresh Authorization may succeed.
	Invalidate(rejected string) bool
}

// Endpoint describes the service a Client talks to.
type Endpoint struct {
	// BaseURL is prefixed to every Request.Path, e.g.
	// "https://api.sse.cisco.com" or "https://api.sse.cisco.com/identity/v2/scim".
	BaseURL string
	// MediaType is sent as Content-Type and Accept, e.g. "application/scim+json".
	MediaType string
	// Auth authorizes every attempt; nil sends no Authorization header.
	Auth Authorizer
}

// Client sends JSON requests to one Endpoint. It is safe for concurrent use.
type Client struct {
	base      string // absolute, escaped, without a trailing slash
	mediaType string
	rt        *roundTripper // holds the Endpoint's Authorizer
	retry     *retryablehttp.Client
	contact   *contact // nil unless Config.FailFast
}

// New returns a Client for ep with cfg's settings.
func New(cfg Config, ep Endpoint) (*Client, error) {
	base, err := url.Parse(strings.TrimSuffix(ep.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("parsing base URL: %w", err)
	}
	if base.Scheme != "http" && base.Scheme != "https" || base.Host == "" || base.RawQuery != "" || base.Fragment != "" {
		return nil, fmt.Errorf("base URL %q: want an absolute http(s) URL without query or fragment", ep.BaseURL)
	}
	cfg = cfg.withDefaults()
	rt := &roundTripper{
		base:      baseTransport(cfg.HTTPClient),
		auth:      ep.Auth,
		userAgent: cfg.UserAgent,
		logger:    cfg.Logger,
		limiter:   newLimiter(cfg.RateLimit, cfg.Burst),
		windows:   newWindowLimiter(cfg.Windows, cfg.WindowKey, cfg.WindowStateDir, cfg.WindowMargin, cfg.WindowsOnceLimited),
		timeout:   cfg.RequestTimeout,
	}
	c := &Client{
		base:      base.String(),
		mediaType: ep.MediaType,
		rt:        rt,
		retry:     newRetryClient(cfg, rt),
	}
	if cfg.FailFast {
		c.contact = &contact{}
	}
	return c, nil
}

// NewTokenHTTPClient returns a plain *http.Client for an OAuth2 token
// endpoint: cfg's base transport, User-Agent, logging, per-attempt timeout
// and Windows (the token endpoint's own limits: pass a WindowKey other than
// the API's), but no retries, no RateLimit and no Authorization of its own.
// The caller (an Authorizer) runs inside an attempt of Client.Do, whose retry
// policy repeats a token request only when nothing was applied.
func NewTokenHTTPClient(cfg Config) *http.Client {
	cfg = cfg.withDefaults()
	rt := &roundTripper{
		base: baseTransport(cfg.HTTPClient), userAgent: cfg.UserAgent, logger: cfg.Logger, outOfBand: true,
		windows: newWindowLimiter(cfg.Windows, cfg.WindowKey, cfg.WindowStateDir, cfg.WindowMargin, cfg.WindowsOnceLimited),
	}
	return &http.Client{Transport: rt, Timeout: cfg.RequestTimeout, CheckRedirect: sameOriginRedirects}
}

// withDefaults fills zero fields with the package defaults.
func (cfg Config) withDefaults() Config {
	switch {
	case cfg.MaxRetries == 0:
		cfg.MaxRetries = DefaultMaxRetries
	case cfg.MaxRetries < 0:
		cfg.MaxRetries = 0
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
		if cfg.HTTPClient != nil && cfg.HTTPClient.Timeout > 0 {
			cfg.RequestTimeout = cfg.HTTPClient.Timeout
		}
	}
	if cfg.RetryWaitMin <= 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax <= 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	cfg.RetryWaitMax = max(cfg.RetryWaitMax, cfg.RetryWaitMin)
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	switch {
	case cfg.WindowMargin == 0:
		cfg.WindowMargin = DefaultWindowMargin
	case cfg.WindowMargin < 0:
		cfg.WindowMargin = 0
	}
	return cfg
}

// newLimiter returns nil (no limit) for a non-positive or infinite rate.
func newLimiter(perSecond float64, burst int) *rate.Limiter {
	if perSecond <= 0 || rate.Limit(perSecond) == rate.Inf {
		return nil
	}
	if burst <= 0 {
		burst = max(1, int(perSecond))
	}
	return rate.NewLimiter(rate.Limit(perSecond), burst)
}

// Request is one API call.
type Request struct {
	// Method is the HTTP method.
	Method string
	// Path is appended to the Endpoint's BaseURL, e.g. "/Users/abc"; it must
	// be escaped already (use url.PathEscape on ids).
	Path string
	// Query is the query string, if any.
	Query url.Values
	// Body is encoded as JSON; nil sends no body.
	Body any
	// Retry says when the request may be repeated; the zero value decides
	// by method (see RetryPolicy).
	Retry RetryPolicy
}

// Response is what Do reports about a successful call.
type Response struct {
	// StatusCode is the final HTTP status (2xx).
	StatusCode int
	// Decoded reports whether the response had a body that was decoded
	// into out: false on 204, and on a 200 whose body is empty.
	Decoded bool
}

// Do sends r, retrying as its policy allows, and decodes a 2xx JSON body into
// out (unless out is nil or the response has no body, as on 204). Error
// statuses become an *APIError, and so does a 3xx: the redirects the HTTP
// client follows never reach Do, so any other (no Location header, 300,
// 304, …) is unexpected. A 401 is answered by one re-authorization and
// one more attempt when the Authorizer is a Reauthorizer that allows it.
// With Config.FailFast, a call that meets or follows refused credentials
// or an unreachable service fails with a *FailedError.
func (c *Client) Do(ctx context.Context, r Request, out any) (*Response, error) {
	if c.contact == nil {
		return c.send(ctx, r, out)
	}
	exit, err := c.contact.enter(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, r, out)
	if err = exit(ctx, err); err != nil {
		return nil, err
	}
	return resp, nil
}

// Authorize obtains the Endpoint's Authorization as the first attempt of a
// call would, and sends nothing to the API: for the admin API, the access
// token, which the Authorizer caches for the calls that follow. A program
// checks its credentials with it up front at no extra cost when it makes
// calls anyway. Failures are retried as a call's (Config.MaxRetries, the
// same backoff: a connection that could not be opened, the token endpoint's
// 429 and 503), and with Config.FailFast a refusal or an unreachable
// service is the Client's *Failure, as it would be for a call. Nil without
// an Authorizer.
func (c *Client) Authorize(ctx context.Context) error {
	if c.rt.auth == nil {
		return nil
	}
	if c.contact == nil {
		return c.authorize(ctx)
	}
	exit, err := c.contact.enter(ctx)
	if err != nil {
		return err
	}
	return exit(ctx, c.authorize(ctx))
}

// authorize is Authorize without fail fast: the Authorizer asked until it
// answers, or the retry policy of a GET (nothing is applied by getting a
// token) gives up.
func (c *Client) authorize(ctx context.Context) error {
	state := &callState{policy: RetryIdempotent}
	ctx = context.WithValue(ctx, stateKey{}, state)
	for attempt := 0; ; attempt++ {
		_, err := c.rt.auth.Authorization(ctx)
		if err == nil {
			return nil
		}
		retry, _ := c.retry.CheckRetry(ctx, nil, err)
		if !retry || attempt >= c.retry.RetryMax {
			var apiErr *APIError
			if errors.As(err, &apiErr) || attempt == 0 {
				return err
			}
			return fmt.Errorf("after %d attempts: %w", attempt+1, err)
		}
		timer := time.NewTimer(c.retry.Backoff(c.retry.RetryWaitMin, c.retry.RetryWaitMax, attempt, nil))
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		}
	}
}

// send is Do without fail fast.
func (c *Client) send(ctx context.Context, r Request, out any) (*Response, error) {
	policy := r.Retry.resolve(r.Method)
	state := &callState{policy: policy}
	resp, err := c.do(ctx, r, out, state)
	if re, ok := c.rt.auth.(Reauthorizer); ok && state.unauthorized.Load() && re.Invalidate(state.authorization()) {
		return c.do(ctx, r, out, &callState{policy: policy})
	}
	return resp, err
}

// do performs one retried exchange.
func (c *Client) do(ctx context.Context, r Request, out any, state *callState) (*Response, error) {
	req, err := c.newRequest(context.WithValue(ctx, stateKey{}, state), r)
	if err != nil {
		return nil, err
	}
	resp, err := c.retry.Do(req)
	if err != nil {
		return nil, unwrapAPIError(err, state)
	}
	defer resp.Body.Close()
	defer drain(resp.Body) // before Close, so the connection is reused
	if resp.StatusCode >= http.StatusMultipleChoices {
		return nil, errorFrom(resp, state)
	}
	decoded := false
	if out != nil && resp.StatusCode != http.StatusNoContent {
		if decoded, err = decodeBody(resp.Body, out); err != nil {
			return nil, &ResponseError{Method: r.Method, Path: resp.Request.URL.Path, Err: err}
		}
	}
	return &Response{StatusCode: resp.StatusCode, Decoded: decoded}, nil
}

// URLPath returns the URL path of a request whose Request.Path is path,
// as errors name it: the base URL's path followed by path.
func (c *Client) URLPath(path string) string {
	if u, err := url.Parse(c.base + path); err == nil {
		return u.Path
	}
	return path
}

// newRequest builds the retryable request for r; ctx carries the call state.
func (c *Client) newRequest(ctx context.Context, r Request) (*retryablehttp.Request, error) {
	var body []byte
	var err error
	if r.Body != nil {
		if body, err = json.Marshal(r.Body); err != nil {
			return nil, fmt.Errorf("%s %s: encoding request: %w", r.Method, r.Path, err)
		}
	}
	rawURL := c.base + r.Path
	if len(r.Query) > 0 {
		rawURL += "?" + r.Query.Encode()
	}
	var raw any // nil interface, not a nil []byte: no body at all
	if body != nil {
		raw = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, r.Method, rawURL, raw)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building request: %w", r.Method, r.Path, err)
	}
	if c.mediaType != "" {
		req.Header.Set("Accept", c.mediaType)
		if body != nil {
			req.Header.Set("Content-Type", c.mediaType)
		}
	}
	return req, nil
}

// errorFrom turns an error response, or a redirect that was not followed,
// into an *APIError; a 401 is noted in state for Do's re-authorization.
func errorFrom(resp *http.Response, state *callState) error {
	apiErr := &APIError{
		StatusCode:   resp.StatusCode,
		Method:       resp.Request.Method,
		Path:         resp.Request.URL.Path,
		MaybeApplied: state.maybeApplied.Load(),
	}
	if resp.StatusCode < http.StatusBadRequest {
		apiErr.Message = redirectMessage(resp)
		return apiErr
	}
	apiErr.ScimType, apiErr.Message = parseErrorBody(resp.Body)
	state.unauthorized.Store(resp.StatusCode == http.StatusUnauthorized)
	return apiErr
}

// redirectMessage explains a 3xx the HTTP client did not follow. It names
// no Location: a redirect target may carry credentials in its query.
func redirectMessage(resp *http.Response) string {
	if resp.Header.Get("Location") == "" {
		return "unexpected redirect without a Location header"
	}
	return "unexpected redirect, not followed"
}

// errorBody covers both the SCIM error schema and the admin API's message.
type errorBody struct {
	ScimType string `json:"scimType"`
	Detail   string `json:"detail"`
	Message  string `json:"message"`
}

// parseErrorBody extracts the scimType and message of an error body; a body
// that is not JSON yields its first line of text.
func parseErrorBody(r io.Reader) (scimType, message string) {
	raw, _ := io.ReadAll(io.LimitReader(r, maxErrorBody)) // best effort: the status alone is enough
	var eb errorBody
	if json.Unmarshal(raw, &eb) == nil {
		if eb.Detail != "" {
			return eb.ScimType, eb.Detail
		}
		return eb.ScimType, eb.Message
	}
	line, _, _ := strings.Cut(strings.TrimSpace(string(raw)), "\n")
	return "", truncateUTF8(line, 200)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character, and
// replaces invalid bytes, so an error message is always valid UTF-8.
func truncateUTF8(s string, n int) string {
	if len(s) > n {
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = s[:n]
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// unwrapAPIError returns the *APIError inside a transport error (a token
// endpoint refusal surfaced through the RoundTripper) or err itself.
func unwrapAPIError(err error, state *callState) error {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr
	}
	if state.attempts.Load() > 1 {
		return fmt.Errorf("after %d attempts: %w", state.attempts.Load(), err)
	}
	return err
}

// decodeBody decodes a JSON body and reports whether there was one: an
// empty body leaves out untouched.
func decodeBody(r io.Reader, out any) (bool, error) {
	switch err := json.NewDecoder(r).Decode(out); {
	case errors.Is(err, io.EOF):
		return false, nil
	case err != nil:
		return false, err
	}
	return true, nil
}

// drain reads what is left of a body, so that its connection can be reused.
func drain(body io.Reader) {
	_, _ = io.Copy(io.Discard, io.LimitReader(body, maxErrorBody))
}

// IsLoopback reports whether host, a host name or IP address without a
// port, is "localhost" or a loopback IP address: traffic to it does not
// leave the machine. The provider allows plain http to such a host; the
// mock listens only on one unless told otherwise.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
