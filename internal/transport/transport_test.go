package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// fastRetries keeps retry waits in the milliseconds.
var fastRetries = Config{MaxRetries: 3, RetryWaitMin: time.Millisecond, RetryWaitMax: 5 * time.Millisecond}

// recordedRequest is what a recording handler saw.
type recordedRequest struct {
	Method, Path, Query, Body string
	Header                    http.Header
}

// recorder is an http.Handler that records requests and answers from a
// script: the i-th request gets script[i] (the last one repeats).
type recorder struct {
	mu       sync.Mutex
	requests []recordedRequest
	script   []func(w http.ResponseWriter)
}

// ServeHTTP implements http.Handler.
func (rec *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rec.mu.Lock()
	n := len(rec.requests)
	rec.requests = append(rec.requests, recordedRequest{r.Method, r.URL.Path, r.URL.RawQuery, string(body), r.Header.Clone()})
	answer := rec.script[min(n, len(rec.script)-1)]
	rec.mu.Unlock()
	answer(w)
}

// recorded returns a copy of the requests so far.
func (rec *recorder) recorded() []recordedRequest {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return append([]recordedRequest(nil), rec.requests...)
}

// status answers with code and a JSON body.
func status(code int, body string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		_, _ = io.WriteString(w, body)
	}
}

// retryAfterStatus answers 429 with a Retry-After header.
func retryAfterStatus(value string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Retry-After", value)
		w.WriteHeader(http.StatusTooManyRequests)
	}
}

// drop closes the connection without answering, like a lost response.
func drop(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// staticAuth is an Authorizer handing out "Bearer t1", "Bearer t2", … with
// every Invalidate, counting calls.
type staticAuth struct {
	mu          sync.Mutex
	generation  int
	invalidates int
	refresh     bool // what Invalidate reports
}

func (a *staticAuth) Authorization(context.Context) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return fmt.Sprintf("Bearer t%d", a.generation+1), nil
}

func (a *staticAuth) Invalidate(string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.invalidates++
	a.generation++
	return a.refresh
}

// memLogger records log entries.
type memLogger struct {
	mu      sync.Mutex
	entries []map[string]any
}

func (l *memLogger) Debug(_ context.Context, _ string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, fields)
}

// newTestClient starts rec and returns a Client for it.
func newTestClient(t *testing.T, rec *recorder, cfg Config, auth Authorizer) *Client {
	t.Helper()
	ts := httptest.NewServer(rec)
	t.Cleanup(ts.Close)
	c, err := New(cfg, Endpoint{BaseURL: ts.URL + "/base", MediaType: "application/scim+json", Auth: auth})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestDoSendsHeadersAndLogsNoSecrets(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: []func(http.ResponseWriter){status(http.StatusOK, `{"id":"1"}`)}}
	logger := &memLogger{}
	cfg := fastRetries
	cfg.UserAgent = "terraform-provider-secureaccess/1.2.3"
	cfg.Logger = logger
	c := newTestClient(t, rec, cfg, &staticAuth{})

	var out struct{ ID string }
	resp, err := c.Do(t.Context(), Request{
		Method: http.MethodPut, Path: "/Users/1", Query: map[string][]string{"attributes": {"id"}},
		Body: map[string]string{"userName": "jane"},
	}, &out)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	if out.ID != "1" || resp.StatusCode != http.StatusOK {
		t.Errorf("got %+v, status %d", out, resp.StatusCode)
	}
	got := rec.recorded()[0]
	want := map[string]string{
		"Method": "PUT", "Path": "/base/Users/1", "Query": "attributes=id", "Body": `{"userName":"jane"}`,
		"User-Agent": cfg.UserAgent, "Authorization": "Bearer t1",
		"Content-Type": "application/scim+json", "Accept": "application/scim+json",
	}
	gotMap := map[string]string{"Method": got.Method, "Path": got.Path, "Query": got.Query, "Body": got.Body}
	for _, h := range []string{"User-Agent", "Authorization", "Content-Type", "Accept"} {
		gotMap[h] = got.Header.Get(h)
	}
	if diff := cmp.Diff(want, gotMap); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	wantLog := []map[string]any{{"method": "PUT", "path": "/base/Users/1", "status": 200, "attempt": 1}}
	if diff := cmp.Diff(wantLog, withoutDurations(logger.entries)); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
	if logged := fmt.Sprint(logger.entries); strings.Contains(logged, "t1") || strings.Contains(logged, "attributes") {
		t.Errorf("log contains the token or the query: %s", logged)
	}
}

// withoutDurations drops the (variable) duration_ms field.
func withoutDurations(entries []map[string]any) []map[string]any {
	out := make([]map[string]any, len(entries))
	for i, e := range entries {
		out[i] = map[string]any{}
		for k, v := range e {
			if k != "duration_ms" {
				out[i][k] = v
			}
		}
	}
	return out
}

func TestDoMapsErrors(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		code     int
		body     string
		sentinel error
		want     APIError
	}{
		"scim uniqueness": {
			code: 409, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"409","scimType":"uniqueness","detail":"userName exists"}`,
			sentinel: ErrConflict, want: APIError{StatusCode: 409, ScimType: "uniqueness", Message: "userName exists"},
		},
		"admin not found": {
			code: 404, body: `{"message":"no such directory"}`,
			sentinel: ErrNotFound, want: APIError{StatusCode: 404, Message: "no such directory"},
		},
		"unauthorized":        {code: 401, body: `{"message":"bad token"}`, sentinel: ErrUnauthorized, want: APIError{StatusCode: 401, Message: "bad token"}},
		"forbidden":           {code: 403, body: `{}`, sentinel: ErrForbidden, want: APIError{StatusCode: 403}},
		"precondition failed": {code: 412, body: `{"detail":"stale"}`, want: APIError{StatusCode: 412, Message: "stale"}},
		"plain text":          {code: 400, body: "bad request\nmore", want: APIError{StatusCode: 400, Message: "bad request"}},
		"server error":        {code: 500, body: `{"detail":"boom"}`, want: APIError{StatusCode: 500, Message: "boom"}},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: []func(http.ResponseWriter){status(tc.code, tc.body)}}
			c := newTestClient(t, rec, fastRetries, nil)
			_, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %v is not an *APIError", err)
			}
			tc.want.Method, tc.want.Path = http.MethodGet, "/base/x"
			if diff := cmp.Diff(tc.want, *apiErr); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			for _, s := range []error{ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden, ErrRateLimited} {
				if got := errors.Is(err, s); got != errors.Is(s, tc.sentinel) {
					t.Errorf("errors.Is(err, %v) = %v", s, got)
				}
			}
			if n := len(rec.recorded()); n != 1 {
				t.Errorf("%d requests, want 1 (no retry)", n)
			}
		})
	}
}

func TestDoRetryPolicy(t *testing.T) {
	t.Parallel()
	ok := status(http.StatusOK, `{}`)
	tests := map[string]struct {
		method       string
		policy       RetryPolicy
		script       []func(http.ResponseWriter)
		wantRequests int
		wantStatus   int // 0: success
		wantApplied  bool
	}{
		"GET 429 without Retry-After": {method: "GET", script: scripts(status(429, `{}`), ok), wantRequests: 2},
		"GET 429 with Retry-After 0":  {method: "GET", script: scripts(retryAfterStatus("0"), ok), wantRequests: 2},
		"GET 503 burst":               {method: "GET", script: scripts(status(503, ``), status(503, ``), status(503, ``), ok), wantRequests: 4},
		"GET 503 beyond MaxRetries":   {method: "GET", script: scripts(status(503, ``)), wantRequests: 4, wantStatus: 503},
		"GET 502 and 504":             {method: "GET", script: scripts(status(502, ``), status(504, ``), ok), wantRequests: 3},
		"GET dropped connection":      {method: "GET", script: scripts(drop, ok), wantRequests: 2},
		"GET 500 not retried":         {method: "GET", script: scripts(status(500, ``), ok), wantRequests: 1, wantStatus: 500},
		"GET 401 not retried":         {method: "GET", script: scripts(status(401, ``), ok), wantRequests: 1, wantStatus: 401},
		"GET 403 not retried":         {method: "GET", script: scripts(status(403, ``), ok), wantRequests: 1, wantStatus: 403},
		"PATCH 502 retried":           {method: "PATCH", script: scripts(status(502, ``), ok), wantRequests: 2},
		"POST 429 retried":            {method: "POST", script: scripts(status(429, ``), ok), wantRequests: 2},
		"POST 503 retried":            {method: "POST", script: scripts(status(503, ``), ok), wantRequests: 2},
		"POST 502 not retried":        {method: "POST", script: scripts(status(502, ``), ok), wantRequests: 1, wantStatus: 502},
		"POST 504 not retried":        {method: "POST", script: scripts(status(504, ``), ok), wantRequests: 1, wantStatus: 504},
		"POST dropped not retried":    {method: "POST", script: scripts(drop, ok), wantRequests: 1, wantStatus: -1},
		"create dropped retried":      {method: "POST", policy: RetryCreate, script: scripts(drop, ok), wantRequests: 2},
		"create 409 first attempt":    {method: "POST", policy: RetryCreate, script: scripts(status(409, ``)), wantRequests: 1, wantStatus: 409},
		"create 409 after 429":        {method: "POST", policy: RetryCreate, script: scripts(status(429, ``), status(409, ``)), wantRequests: 2, wantStatus: 409},
		"create 409 after drop":       {method: "POST", policy: RetryCreate, script: scripts(drop, status(409, ``)), wantRequests: 2, wantStatus: 409, wantApplied: true},
		"create 409 after 504":        {method: "POST", policy: RetryCreate, script: scripts(status(504, ``), status(409, ``)), wantRequests: 2, wantStatus: 409, wantApplied: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: tc.script}
			c := newTestClient(t, rec, fastRetries, nil)
			_, err := c.Do(t.Context(), Request{Method: tc.method, Path: "/x", Body: map[string]int{"n": 1}, Retry: tc.policy}, nil)
			if n := len(rec.recorded()); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
			var apiErr *APIError
			switch {
			case tc.wantStatus == 0 && err != nil:
				t.Errorf("Do: %v", err)
			case tc.wantStatus == -1 && (err == nil || errors.As(err, &apiErr)):
				t.Errorf("Do: got %v, want a transport error", err)
			case tc.wantStatus > 0 && !errors.As(err, &apiErr):
				t.Errorf("Do: got %v, want an *APIError", err)
			case tc.wantStatus > 0 && (apiErr.StatusCode != tc.wantStatus || apiErr.MaybeApplied != tc.wantApplied):
				t.Errorf("got status %d MaybeApplied %v, want %d %v", apiErr.StatusCode, apiErr.MaybeApplied, tc.wantStatus, tc.wantApplied)
			}
			if got := IsLostCreate(err); got != tc.wantApplied {
				t.Errorf("IsLostCreate = %v, want %v", got, tc.wantApplied)
			}
			for i, r := range rec.recorded() {
				if r.Body != `{"n":1}` {
					t.Errorf("attempt %d body %q: not rewound", i+1, r.Body)
				}
			}
		})
	}
}

// scripts is a readable slice literal.
func scripts(answers ...func(http.ResponseWriter)) []func(http.ResponseWriter) { return answers }

func TestDoHonoursRetryAfter(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(retryAfterStatus("1"), status(http.StatusOK, `{}`))}
	c := newTestClient(t, rec, fastRetries, nil)
	start := time.Now()
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
		t.Fatalf("Do: %v", err)
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("took %v, want at least the Retry-After second (RetryWaitMax is 5ms)", took)
	}
}

func TestDoReauthorizesOnceOn401(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		refresh      bool
		script       []func(http.ResponseWriter)
		wantAuth     []string
		wantErr      error
		wantInvalids int
	}{
		"fresh token accepted": {
			refresh: true, script: scripts(status(401, ``), status(200, `{}`)),
			wantAuth: []string{"Bearer t1", "Bearer t2"}, wantInvalids: 1,
		},
		"fresh token rejected too": {
			refresh: true, script: scripts(status(401, ``)),
			wantAuth: []string{"Bearer t1", "Bearer t2"}, wantErr: ErrUnauthorized, wantInvalids: 1,
		},
		"static token": {
			refresh: false, script: scripts(status(401, ``), status(200, `{}`)),
			wantAuth: []string{"Bearer t1"}, wantErr: ErrUnauthorized, wantInvalids: 1,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: tc.script}
			auth := &staticAuth{refresh: tc.refresh}
			c := newTestClient(t, rec, fastRetries, auth)
			_, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil)
			if !errors.Is(err, tc.wantErr) {
				t.Errorf("Do: %v, want %v", err, tc.wantErr)
			}
			if err != nil && strings.Contains(err.Error(), "Bearer") {
				t.Errorf("error %q contains the token", err)
			}
			var gotAuth []string
			for _, r := range rec.recorded() {
				gotAuth = append(gotAuth, r.Header.Get("Authorization"))
			}
			if diff := cmp.Diff(tc.wantAuth, gotAuth); diff != "" {
				t.Errorf("Authorization headers (-want +got):\n%s", diff)
			}
			if auth.invalidates != tc.wantInvalids {
				t.Errorf("%d invalidations, want %d", auth.invalidates, tc.wantInvalids)
			}
		})
	}
}

// failingAuth is an Authorizer whose token endpoint answers status.
type failingAuth struct {
	status int
	calls  atomic.Int32
}

func (a *failingAuth) Authorization(context.Context) (string, error) {
	a.calls.Add(1)
	return "", &APIError{StatusCode: a.status, Method: http.MethodPost, Path: "/auth/v2/token"}
}

func (a *failingAuth) Invalidate(string) bool { return true }

func TestDoTokenEndpointFailures(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status    int
		wantCalls int32
		wantErr   error
	}{
		"401 fails fast":  {status: 401, wantCalls: 1, wantErr: ErrUnauthorized},
		"403 fails fast":  {status: 403, wantCalls: 1, wantErr: ErrForbidden},
		"429 retried":     {status: 429, wantCalls: 4, wantErr: ErrRateLimited},
		"500 not retried": {status: 500, wantCalls: 1},
		"503 retried":     {status: 503, wantCalls: 4},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: scripts(status(200, `{}`))}
			auth := &failingAuth{status: tc.status}
			c := newTestClient(t, rec, fastRetries, auth)
			_, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil)
			var apiErr *APIError
			if !errors.As(err, &apiErr) || apiErr.StatusCode != tc.status || apiErr.Path != "/auth/v2/token" {
				t.Fatalf("Do: %v, want the token endpoint's %d", err, tc.status)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("Do: %v, want %v", err, tc.wantErr)
			}
			if got := auth.calls.Load(); got != tc.wantCalls {
				t.Errorf("%d token requests, want %d", got, tc.wantCalls)
			}
			if n := len(rec.recorded()); n != 0 {
				t.Errorf("%d API requests, want none", n)
			}
		})
	}
}

// TestAuthorize: Authorize asks the Authorizer with a call's retries and
// sends nothing to the API; with FailFast, a refused or unreachable token
// endpoint is the Client's Failure, so the calls after it are not sent.
func TestAuthorize(t *testing.T) {
	t.Parallel()
	dialErr := fmt.Errorf("requesting an access token: %w", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")})
	tests := map[string]struct {
		status      int   // the token endpoint's refusal; 0: none
		err         error // the token request's error otherwise; nil: a token
		wantCalls   int32
		wantErr     error
		wantFailure bool // FailFast: the calls after it fail unsent
	}{
		"answered":        {wantCalls: 1},
		"401 not retried": {status: 401, wantCalls: 1, wantErr: ErrUnauthorized, wantFailure: true},
		"429 retried":     {status: 429, wantCalls: 4, wantErr: ErrRateLimited},
		"503 retried":     {status: 503, wantCalls: 4},
		"500 not retried": {status: 500, wantCalls: 1},
		"unreachable":     {err: dialErr, wantCalls: 4, wantFailure: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: scripts(status(200, `{}`))}
			cfg := fastRetries
			cfg.FailFast = true
			auth := &erringAuth{err: tc.err}
			if tc.status != 0 {
				auth.err = &APIError{StatusCode: tc.status, Method: http.MethodPost, Path: "/auth/v2/token"}
			}
			c := newTestClient(t, rec, cfg, auth)
			err := c.Authorize(t.Context())
			if got := auth.calls.Load(); got != tc.wantCalls {
				t.Errorf("%d token requests, want %d", got, tc.wantCalls)
			}
			if (err == nil) != (auth.err == nil) {
				t.Fatalf("Authorize: %v, want an error: %v", err, auth.err != nil)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("Authorize: %v, want %v", err, tc.wantErr)
			}
			if n := len(rec.recorded()); n != 0 {
				t.Errorf("%d API requests, want none", n)
			}
			var fe *FailedError
			if got := errors.As(err, &fe); got != tc.wantFailure {
				t.Fatalf("Authorize: %v; a *FailedError: %v, want %v", err, got, tc.wantFailure)
			}
			if !tc.wantFailure {
				return
			}
			_, err = c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil)
			var later *FailedError
			if !errors.As(err, &later) || later.Sent() || later.Failure != fe.Failure {
				t.Errorf("Do after Authorize failed: %v, want the same Failure, not sent", err)
			}
			if n := len(rec.recorded()); n != 0 {
				t.Errorf("%d API requests, want none", n)
			}
		})
	}
}

// erringAuth is an Authorizer that fails with err, or hands out a token
// when err is nil, counting calls.
type erringAuth struct {
	err   error
	calls atomic.Int32
}

func (a *erringAuth) Authorization(context.Context) (string, error) {
	a.calls.Add(1)
	if a.err != nil {
		return "", a.err
	}
	return "Bearer t1", nil
}

func (a *erringAuth) Invalidate(string) bool { return true }

func TestDoConnectionRefusedRetriesPOST(t *testing.T) {
	t.Parallel()
	ts := httptest.NewServer(http.NotFoundHandler())
	ts.Close() // nothing listens: every dial is refused
	logger := &memLogger{}
	cfg := fastRetries
	cfg.Logger = logger
	c, err := New(cfg, Endpoint{BaseURL: ts.URL})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Do(t.Context(), Request{Method: http.MethodPost, Path: "/x"}, nil)
	if err == nil || !strings.Contains(err.Error(), "after 4 attempts") {
		t.Errorf("Do: %v, want a failure after 4 attempts", err)
	}
	if len(logger.entries) != 4 {
		t.Errorf("%d attempts logged, want 4", len(logger.entries))
	}
}

func TestDoStopsWhenContextEnds(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(retryAfterStatus("30"))}
	c := newTestClient(t, rec, fastRetries, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/x"}, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Do: %v, want context.DeadlineExceeded", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("took %v: the 30s Retry-After was not cut short", took)
	}
}

func TestDoRateLimit(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(status(200, `{}`))}
	cfg := fastRetries
	cfg.RateLimit, cfg.Burst = 20, 1 // one request per 50ms
	c := newTestClient(t, rec, cfg, nil)
	start := time.Now()
	for range 5 {
		if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 190*time.Millisecond {
		t.Errorf("5 requests at 20/s burst 1 took %v, want ≥ 200ms", took)
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		value  string
		want   time.Duration
		wantOK bool
	}{
		"seconds":    {value: "3", want: 3 * time.Second, wantOK: true},
		"zero":       {value: "0", want: 0, wantOK: true},
		"http date":  {value: "Wed, 18 Mar 2026 12:00:07 GMT", want: 7 * time.Second, wantOK: true},
		"past date":  {value: "Wed, 18 Mar 2026 11:00:00 GMT", want: 0, wantOK: true},
		"empty":      {value: ""},
		"negative":   {value: "-1"},
		"fractional": {value: "1.5"},
		"nonsense":   {value: "soon"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got, ok := retryAfter(tc.value, now)
			if got != tc.want || ok != tc.wantOK {
				t.Errorf("retryAfter(%q) = %v, %v; want %v, %v", tc.value, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestBackoffBounds(t *testing.T) {
	t.Parallel()
	const minWait, maxWait = 10 * time.Millisecond, 80 * time.Millisecond
	for attempt := range 40 {
		ceiling := maxWait
		if attempt < 3 {
			ceiling = minWait << attempt
		}
		for range 50 {
			if got := backoff(minWait, maxWait, attempt, nil); got < minWait || got > ceiling {
				t.Fatalf("attempt %d: backoff %v outside [%v, %v]", attempt, got, minWait, ceiling)
			}
		}
	}
}

func TestNewValidatesBaseURL(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		url     string
		wantErr bool
	}{
		"https":          {url: "https://api.sse.cisco.com"},
		"trailing slash": {url: "http://127.0.0.1:8080/identity/v2/scim/"},
		"relative":       {url: "api.sse.cisco.com", wantErr: true},
		"ftp":            {url: "ftp://api.sse.cisco.com", wantErr: true},
		"query":          {url: "https://api.sse.cisco.com/?a=b", wantErr: true},
		"unparsable":     {url: "https://[::1", wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := New(Config{}, Endpoint{BaseURL: tc.url}); (err != nil) != tc.wantErr {
				t.Errorf("New(%q): %v, want error %v", tc.url, err, tc.wantErr)
			}
		})
	}
}

func TestDoRateLimitWaitBeyondDeadline(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(status(200, `{}`))}
	cfg := fastRetries
	cfg.RateLimit, cfg.Burst = 0.1, 1 // one request per 10s
	c := newTestClient(t, rec, cfg, nil)
	if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, Request{Method: http.MethodPost, Path: "/x", Retry: RetryCreate}, nil)
	if !errors.Is(err, errNoSlot) || IsLostCreate(err) {
		t.Errorf("Do: %v, want the rate limit error", err)
	}
	if n := len(rec.recorded()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// slow answers after d, or gives up when the client does.
func slow(d time.Duration) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		time.Sleep(d)
		w.WriteHeader(http.StatusOK)
	}
}

func TestDoAttemptTimeout(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		method       string
		wantRequests int
		wantErr      bool
	}{
		"GET retried":      {method: http.MethodGet, wantRequests: 2},
		"POST not retried": {method: http.MethodPost, wantRequests: 1, wantErr: true},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: scripts(slow(300*time.Millisecond), status(http.StatusOK, `{}`))}
			cfg := fastRetries
			cfg.RequestTimeout = 50 * time.Millisecond
			c := newTestClient(t, rec, cfg, nil)
			_, err := c.Do(t.Context(), Request{Method: tc.method, Path: "/x"}, nil)
			if (err != nil) != tc.wantErr {
				t.Errorf("Do: %v, want error %v", err, tc.wantErr)
			}
			if n := len(rec.recorded()); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

func TestTruncateUTF8(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 200, "short"},
		{"abcdef", 3, "abc"},
		{"aé", 2, "a"},                    // é is two bytes: never cut in half
		{"日本語", 4, "日"},                   // three-byte characters
		{"ok\xffbad", 200, "ok\uFFFDbad"}, // invalid input is replaced
	}
	for _, tt := range tests {
		got := truncateUTF8(tt.in, tt.n)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("truncateUTF8(%q, %d) = %q, want %q (valid UTF-8)", tt.in, tt.n, got, tt.want)
		}
	}
}

// redirect answers code with a Location header (none when location is
// empty) and a body.
func redirect(code int, location string) func(http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		if location != "" {
			w.Header().Set("Location", location)
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		if code != http.StatusNotModified {
			_, _ = io.WriteString(w, `{"id":"from the redirect"}`)
		}
	}
}

func TestDoUnfollowedRedirectIsError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		method   string
		script   []func(http.ResponseWriter)
		wantText string
	}{
		"302 without Location":         {method: http.MethodGet, script: scripts(redirect(302, "")), wantText: "unexpected redirect without a Location header"},
		"301 without Location":         {method: http.MethodGet, script: scripts(redirect(301, "")), wantText: "unexpected redirect without a Location header"},
		"303 without Location on POST": {method: http.MethodPost, script: scripts(redirect(303, "")), wantText: "unexpected redirect without a Location header"},
		"307 without Location":         {method: http.MethodDelete, script: scripts(redirect(307, "")), wantText: "unexpected redirect without a Location header"},
		"308 without Location":         {method: http.MethodPatch, script: scripts(redirect(308, "")), wantText: "unexpected redirect without a Location header"},
		"304 not modified":             {method: http.MethodGet, script: scripts(redirect(304, "")), wantText: "unexpected redirect"},
		"300 with Location":            {method: http.MethodGet, script: scripts(redirect(300, "/base/y")), wantText: "unexpected redirect"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rec := &recorder{script: tc.script}
			c := newTestClient(t, rec, fastRetries, nil)
			var out struct{ ID string }
			resp, err := c.Do(t.Context(), Request{Method: tc.method, Path: "/x"}, &out)
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("Do = %+v, %v (out %+v); want an *APIError", resp, err, out)
			}
			want := APIError{StatusCode: apiErr.StatusCode, Method: tc.method, Path: "/base/x", Message: apiErr.Message}
			if diff := cmp.Diff(want, *apiErr); diff != "" {
				t.Errorf("APIError (-want +got):\n%s", diff)
			}
			if !strings.HasPrefix(name, strconv.Itoa(apiErr.StatusCode)+" ") {
				t.Errorf("status %d, want the redirect's", apiErr.StatusCode)
			}
			if !strings.Contains(err.Error(), tc.wantText) {
				t.Errorf("message %q lacks %q", err, tc.wantText)
			}
			for _, s := range []error{ErrNotFound, ErrConflict, ErrUnauthorized, ErrForbidden, ErrRateLimited} {
				if errors.Is(err, s) {
					t.Errorf("errors.Is(err, %v) = true", s)
				}
			}
			if n := len(rec.recorded()); n != 1 {
				t.Errorf("%d requests, want 1 (no retry, no redirect followed)", n)
			}
		})
	}
}

func TestDoFollowsRedirectWithLocation(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(redirect(http.StatusFound, "/base/y"), status(http.StatusOK, `{"id":"y"}`))}
	c := newTestClient(t, rec, fastRetries, nil)
	var out struct{ ID string }
	resp, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, &out)
	if err != nil || resp.StatusCode != http.StatusOK || out.ID != "y" {
		t.Fatalf("Do = %+v, %v (out %+v); want 200 from the redirect target", resp, err, out)
	}
	var paths []string
	for _, r := range rec.recorded() {
		paths = append(paths, r.Path)
	}
	if diff := cmp.Diff([]string{"/base/x", "/base/y"}, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
}

// TestDoDoesNotFollowRedirectToAnotherOrigin checks that a redirect to
// another host never receives the Authorization header: it is not
// followed, and Do reports the 3xx.
func TestDoDoesNotFollowRedirectToAnotherOrigin(t *testing.T) {
	t.Parallel()
	elsewhere := &recorder{script: scripts(status(http.StatusOK, `{"id":"stolen"}`))}
	other := httptest.NewServer(elsewhere)
	t.Cleanup(other.Close)
	rec := &recorder{script: scripts(redirect(http.StatusTemporaryRedirect, other.URL+"/collect"))}
	c := newTestClient(t, rec, fastRetries, &staticAuth{})
	var out struct{ ID string }
	_, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, &out)
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("Do = %v; want an *APIError with status 307", err)
	}
	if got := elsewhere.recorded(); len(got) != 0 {
		t.Errorf("the other origin got %d requests (Authorization %q); want none", len(got), got[0].Header.Get("Authorization"))
	}
	if out.ID != "" {
		t.Errorf("decoded %+v from the other origin", out)
	}
}

func TestNewTokenHTTPClientDoesNotFollowRedirectToAnotherOrigin(t *testing.T) {
	t.Parallel()
	elsewhere := &recorder{script: scripts(status(http.StatusOK, `{}`))}
	other := httptest.NewServer(elsewhere)
	t.Cleanup(other.Close)
	rec := &recorder{script: scripts(redirect(http.StatusTemporaryRedirect, other.URL+"/token"))}
	ts := httptest.NewServer(rec)
	t.Cleanup(ts.Close)
	hc := NewTokenHTTPClient(fastRetries)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.URL+"/auth/v2/token", strings.NewReader("grant_type=client_credentials"))
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth("id", "secret")
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("Do: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTemporaryRedirect {
		t.Errorf("status %d, want the unfollowed 307", resp.StatusCode)
	}
	if got := elsewhere.recorded(); len(got) != 0 {
		t.Errorf("the other origin got %d requests; want none", len(got))
	}
}
