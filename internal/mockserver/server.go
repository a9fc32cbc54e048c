// Package mockserver is an in-memory stand-in for Cisco Secure Access: the
// management API token endpoint, directory integrations with their SCIM
// provisioning tokens, the SCIM 2.0 service provider (package scimserver) and the
// Reports identities, all behind one http.Handler. A test-only control plane
// under /_mock/ exposes request counters, fault injection, a reset, the
// service's clock, strict filter mode and the SCIM quirks.
//
// mockserver.Open persists the store in a data file instead, so that every
// acknowledged write survives a crash and a restart (secureaccess-mock -data).
//
// Tests start it with httptest:
//
//	srv := mockserver.New(mockserver.Options{})
//	ts := httptest.NewServer(srv)
//	dir, scimToken, err := srv.Bootstrap("Okta", "okta")
package mockserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// Defaults applied by New to zero Options fields.
const (
	DefaultClientID              = "mock-client-id"
	DefaultClientSecret          = "mock-client-secret" //nolint:gosec // G101: the mock's documented test credential.
	DefaultAccessTokenTTL        = time.Hour
	DefaultMaxBodyBytes          = 1 << 20
	DefaultMaxDirectories        = 10
	DefaultMaxGroupsPerDirectory = 1000
)

// SCIMPath is the path of the SCIM service provider under the base URL.
const SCIMPath = "/identity/v2/scim"

// Options configures a Server. The zero value is usable: every zero field
// takes the default documented on it.
type Options struct {
	// ClientID and ClientSecret are the only credentials POST /auth/v2/token
	// accepts. Defaults: DefaultClientID, DefaultClientSecret.
	ClientID     string
	ClientSecret string
	// AccessTokenTTL is the lifetime of issued access tokens. Default: one hour.
	AccessTokenTTL time.Duration
	// MaxBodyBytes caps every request body; larger bodies get 413.
	// Default: 1 MiB.
	MaxBodyBytes int64
	// MaxDirectories is the most directory integrations the organization may
	// have (Secure Access: 10).
	MaxDirectories int
	// MaxGroupsPerDirectory is the most SCIM groups per directory integration
	// (Secure Access: 1000).
	MaxGroupsPerDirectory int
	// AdminRateLimit, in requests per second per API key, limits the admin
	// and reports calls with a token bucket of that size; excess calls get
	// 429 without Retry-After. Zero, the default, turns the limit off.
	// RateLimits is the faithful model of Secure Access's limits.
	AdminRateLimit float64
	// RateLimits are sliding request windows per API key for the admin and
	// reports calls and for the token endpoint; a request over any of them
	// gets 429 {"message":"Too many requests. Retry request."} with
	// Retry-After, the seconds until every full window has room, rounded up.
	// Stats.RateLimits counts what each window admitted and refused.
	// CiscoRateLimits() are Secure Access's documented limits; mocktest
	// turns them on in strict mode (SECUREACCESS_MOCK_STRICT), scaled. The
	// zero value, the default, has no windows.
	RateLimits RateLimits
	// Now returns the current time; default time.Now. Tests inject a fake
	// clock to expire tokens.
	Now func() time.Time
	// Seed seeds the random source of fault injection, so a test's faults
	// are reproducible.
	Seed uint64
	// Logger receives one debug record per request (method, route, status,
	// duration) and an info record per injected fault. It never sees
	// credentials, tokens or bodies. Default: discard.
	Logger *slog.Logger
	// BaseURL, when set, is the service's external URL, used to build
	// provisioningUrl (BaseURL + "/identity/v2/scim"). When empty, the URL is
	// derived from each request's Host.
	BaseURL string
	// StrictFilters starts the service in strict filter mode: the SCIM
	// endpoint answers only the queries Secure Access documents, one
	// userName eq (Users), displayName eq (Groups) or externalId eq (both)
	// comparison, and refuses any other filter with 400 invalidFilter, as
	// the real endpoint may. SetStrictFilters and /_mock/strict change it
	// at run time. Default: off, every RFC 7644 filter is answered.
	StrictFilters bool
	// Quirks starts the SCIM endpoint with these departures from its
	// normal behaviour, each modelled on what an independent SCIM server
	// does (see scimserver.Quirks and scimserver.ParseQuirks). SetQuirks
	// and /_mock/quirks change them at run time. Conflicting quirks
	// (Quirks.Validate) make New panic and Open fail. Default: none.
	Quirks scimserver.Quirks
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.ClientID == "" {
		o.ClientID = DefaultClientID
	}
	if o.ClientSecret == "" {
		o.ClientSecret = DefaultClientSecret
	}
	if o.AccessTokenTTL <= 0 {
		o.AccessTokenTTL = DefaultAccessTokenTTL
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxDirectories <= 0 {
		o.MaxDirectories = DefaultMaxDirectories
	}
	if o.MaxGroupsPerDirectory <= 0 {
		o.MaxGroupsPerDirectory = DefaultMaxGroupsPerDirectory
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	o.BaseURL = strings.TrimRight(o.BaseURL, "/")
	return o
}

// Server is the mock Secure Access service. It is an http.Handler and safe
// for concurrent use.
type Server struct {
	opts     Options
	store    *Store
	mux      *http.ServeMux
	patterns map[string]bool // every Stats key: registered "METHOD PATTERN"s outside /_mock/ and UNMATCHED

	tokens   accessTokens
	limiters limiters
	stats    statsCounter
	faults   faultSet
	clock    *clock
	strict   atomic.Bool   // strict filter mode
	quirks   atomic.Uint32 // scimserver.Quirks
}

// New returns a Server with an empty store. It panics when opts.Quirks
// conflict (scimserver.Quirks.Validate).
func New(opts Options) *Server {
	if err := opts.Quirks.Validate(); err != nil {
		panic("mockserver.New: Options.Quirks: " + err.Error())
	}
	opts = opts.withDefaults()
	clk := &clock{base: opts.Now}
	opts.Now = clk.now
	s := &Server{
		clock:    clk,
		opts:     opts,
		store:    newStore(),
		mux:      http.NewServeMux(),
		patterns: map[string]bool{},
		tokens:   accessTokens{byHash: map[[32]byte]accessToken{}},
		limiters: newLimiters(),
		stats:    newStatsCounter(),
		faults:   newFaultSet(opts.Seed),
	}
	s.strict.Store(opts.StrictFilters)
	s.quirks.Store(uint32(opts.Quirks))
	s.routes()
	return s
}

// routes registers every endpoint on the mux.
func (s *Server) routes() {
	s.patterns[unmatchedKey] = true
	s.handle("POST /auth/v2/token", http.HandlerFunc(s.handleToken))

	admin := map[string]http.HandlerFunc{
		"GET /admin/v2/directoryIntegrations":                           s.handleListDirectories,
		"POST /admin/v2/directoryIntegrations":                          s.handleCreateDirectory,
		"GET /admin/v2/directoryIntegrations/{id}":                      s.handleGetDirectory,
		"PATCH /admin/v2/directoryIntegrations/{id}":                    s.handlePatchDirectory,
		"DELETE /admin/v2/directoryIntegrations/{id}":                   s.handleDeleteDirectory,
		"POST /admin/v2/directoryIntegrations/{id}/provisioningToken":   s.handleCreateToken,
		"GET /admin/v2/directoryIntegrations/{id}/provisioningToken":    s.handleGetToken,
		"DELETE /admin/v2/directoryIntegrations/{id}/provisioningToken": s.handleDeleteToken,
		"GET /reports/v2/identities":                                    s.handleIdentities,
	}
	for pattern, h := range admin {
		s.handle(pattern, s.requireAdmin(h))
	}

	for _, rt := range scimserver.Routes() {
		s.handle(rt.Method+" "+SCIMPath+rt.Pattern, s.requireSCIM(rt.Handle))
	}

	s.mux.HandleFunc("GET /_mock/stats", s.handleStats)
	s.mux.HandleFunc("GET /_mock/faults", s.handleGetFaults)
	s.mux.HandleFunc("POST /_mock/faults", s.handleSetFaults)
	s.mux.HandleFunc("DELETE /_mock/faults", s.handleClearFaults)
	s.mux.HandleFunc("POST /_mock/reset", s.handleReset)
	s.mux.HandleFunc("GET /_mock/clock", s.handleGetClock)
	s.mux.HandleFunc("POST /_mock/clock", s.handleSetClock)
	s.mux.HandleFunc("GET /_mock/strict", s.handleGetStrict)
	s.mux.HandleFunc("POST /_mock/strict", s.handleSetStrict)
	s.mux.HandleFunc("GET /_mock/quirks", s.handleGetQuirks)
	s.mux.HandleFunc("POST /_mock/quirks", s.handleSetQuirks)
}

// handle registers a service endpoint, one that is counted and subject to
// faults.
func (s *Server) handle(pattern string, h http.Handler) {
	s.patterns[pattern] = true
	s.mux.Handle(pattern, h)
}

// Store returns the server's state, for tests to assert on.
func (s *Server) Store() *Store {
	return s.store
}

// ServeHTTP serves one request: control-plane calls directly, every other
// call counted, capped in size and run through the active faults.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes)
	r = trimSCIMSlash(r)
	if q := s.Quirks(); q != 0 && isSCIM(r) {
		w = q.WrapResponseWriter(w)
		r = r.WithContext(scimserver.WithQuirks(r.Context(), q))
	}
	_, pattern := s.mux.Handler(r)
	if strings.HasPrefix(r.URL.Path, "/_mock/") {
		s.serveMatched(w, r, pattern)
		return
	}

	start := time.Now()
	key := statsKey(pattern)
	rec := &statusRecorder{ResponseWriter: w}
	class := s.serveService(rec, r, pattern, key)
	if class == "" {
		class = statusClass(rec.status())
		s.stats.record(key, class)
	} // a dropped request was counted before its connection was closed
	s.opts.Logger.LogAttrs(r.Context(), slog.LevelDebug, "request",
		slog.String("method", r.Method), slog.String("route", key),
		slog.String("path", r.URL.Path), slog.Int("status", rec.status()),
		slog.String("outcome", class), slog.Duration("duration", time.Since(start)))
}

// serveService applies the faults of route key and the body cap, then the
// route's handler. It returns a Stats class only when the connection was
// dropped (and counts that request itself), "" otherwise: a garbled answer
// is an answer, counted by its status.
func (s *Server) serveService(w http.ResponseWriter, r *http.Request, pattern, key string) string {
	plan := s.faults.plan(key)
	if plan.outcome != faultNone {
		s.opts.Logger.LogAttrs(r.Context(), slog.LevelInfo, "fault injected",
			slog.String("route", key), slog.String("fault", plan.outcome.String()),
			slog.Duration("latency", plan.delay))
	}
	sleep(r, plan.delay)
	if plan.outcome != faultNone && plan.outcome != faultDrop && plan.outcome != faultGarble {
		writeFault(w, r, plan)
		return ""
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		writeError(w, r, http.StatusRequestEntityTooLarge, s.tooLargeMessage())
		return ""
	}
	if plan.outcome == faultDrop {
		s.serveMatched(&discardWriter{header: http.Header{}}, r, pattern)
		// Count it first: once the connection closes the client may retry,
		// and a test may read the counters, before this handler returns.
		s.stats.record(key, outcomeDropped)
		dropConnection(w)
		return outcomeDropped
	}
	if plan.outcome == faultGarble {
		g := &garbledWriter{w: w}
		s.serveMatched(g, r, pattern)
		g.garble() // answered: counted by its status like any answer
		return ""
	}
	s.serveMatched(w, r, pattern)
	return ""
}

// serveMatched runs the mux, turning its plain-text 404/405 answers into the
// JSON error of the API family the path belongs to.
func (s *Server) serveMatched(w http.ResponseWriter, r *http.Request, pattern string) {
	if pattern != "" {
		s.mux.ServeHTTP(w, r)
		return
	}
	capture := &statusRecorder{ResponseWriter: w, discard: true}
	s.mux.ServeHTTP(capture, r)
	status := capture.status()
	msg := fmt.Sprintf("no route for %s %s", r.Method, r.URL.Path)
	if status == http.StatusMethodNotAllowed {
		msg = fmt.Sprintf("method %s is not allowed on %s (allowed: %s)", r.Method, r.URL.Path, w.Header().Get("Allow"))
	}
	w.Header().Del("X-Content-Type-Options")
	writeError(w, r, status, msg)
}

// trimSCIMSlash returns r with one trailing slash removed from a SCIM path
// below the base ("/Users/" is "/Users", "/Users/{id}/" is "/Users/{id}"),
// as identity providers build URLs by concatenation; other requests are
// returned as they are. The route, its Stats key and its faults are those
// of the path without the slash.
func trimSCIMSlash(r *http.Request) *http.Request {
	p := r.URL.Path
	if len(p) <= len(SCIMPath)+2 || !strings.HasPrefix(p, SCIMPath+"/") || !strings.HasSuffix(p, "/") {
		return r
	}
	u := *r.URL
	u.Path = strings.TrimSuffix(p, "/")
	u.RawPath = strings.TrimSuffix(u.RawPath, "/")
	r2 := new(http.Request)
	*r2 = *r
	r2.URL = &u
	return r2
}

// tooLargeMessage explains a 413.
func (s *Server) tooLargeMessage() string {
	return fmt.Sprintf("request body larger than %d bytes", s.opts.MaxBodyBytes)
}

// isSCIM reports whether the request is for the SCIM service provider,
// whose errors use the RFC 7644 schema.
func isSCIM(r *http.Request) bool {
	return r.URL.Path == SCIMPath || strings.HasPrefix(r.URL.Path, SCIMPath+"/")
}

// writeError answers with status and msg in the error format of the
// request's API family: RFC 7644 for SCIM, {"message":…} for the others.
func writeError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if isSCIM(r) {
		scimserver.WriteError(w, status, "", msg)
		return
	}
	writeMessage(w, status, msg)
}

// messageBody is the error body of the admin, auth and reports APIs.
type messageBody struct {
	Message string `json:"message"`
}

// writeMessage answers with status and {"message": msg}.
func writeMessage(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, messageBody{Message: msg})
}

// writeJSON answers with status and v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client may be gone; nothing to do then.
}

// decodeJSON decodes the request body into v, refusing unknown fields and
// trailing data. An empty body is an error unless allowEmpty. It returns
// the status and message to answer with when the body is unusable.
func decodeJSON(r *http.Request, v any, allowEmpty bool) (int, error) {
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) && allowEmpty {
		return 0, nil
	}
	if err == nil && dec.More() {
		err = errors.New("unexpected data after the JSON object")
	}
	if err == nil {
		return 0, nil
	}
	if errors.Is(err, io.EOF) {
		return http.StatusBadRequest, errors.New("request body is empty; a JSON object is required")
	}
	if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
		return http.StatusRequestEntityTooLarge, err
	}
	return http.StatusBadRequest, fmt.Errorf("invalid JSON body: %w", err)
}

// sleep waits d or until the client goes away.
func sleep(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-r.Context().Done():
	}
}

// Reset empties the store and clears the counters, faults and rate
// limiters. Issued access tokens stay valid. With a data file, a failure to
// persist the reset is logged (and fails every later write).
func (s *Server) Reset() {
	if err := s.reset(); err != nil {
		s.opts.Logger.LogAttrs(context.Background(), slog.LevelError, "reset", slog.Any("error", err))
	}
}

// reset is Reset, returning the error of persisting it.
func (s *Server) reset() error {
	err := s.store.reset()
	s.ResetStats()
	s.ClearFaults()
	s.limiters.reset()
	return err
}
