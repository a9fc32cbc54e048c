package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// tooManyRequests is the body message of Secure Access's 429 answers.
const tooManyRequests = "Too many requests. Retry request."

// FaultRule injects failures into the requests of one route, or of every
// route outside /_mock/ when Route is empty. Of the rates, at most one
// applies per request; they must sum to at most 1.
type FaultRule struct {
	// Route is a Stats key, "METHOD PATTERN" as registered, e.g.
	// "POST /identity/v2/scim/Users"; empty means every route.
	Route string
	// Latency delays every matching request; Jitter adds up to that much
	// more, uniformly drawn.
	Latency, Jitter time.Duration
	// Rate500 and Rate503 are the fractions of matching requests answered
	// 500 or 503 without running the handler.
	Rate500, Rate503 float64
	// Rate429 is the fraction answered 429 {"message":"Too many requests.
	// Retry request."} without a Retry-After header.
	Rate429 float64
	// Rate429RetryAfter is the fraction answered 429 with a Retry-After
	// header of RetryAfterSeconds (default 1).
	Rate429RetryAfter float64
	RetryAfterSeconds int
	// DropRate is the fraction of requests that are applied (the handler
	// runs for real) and whose connection is then closed without an answer.
	DropRate float64
	// GarbleRate is the fraction of requests that are applied (the handler
	// runs for real) and answered with the handler's status and headers
	// but only the first half of its body, so that a JSON body no longer
	// parses (Content-Length says the half's length).
	GarbleRate float64
	// Limit caps how many requests the rule hits (0 = unlimited): those
	// answered by one of its rates or, for a latency-only rule, delayed.
	// Once exhausted, the rule does nothing, latency included.
	Limit int
}

// faultRuleJSON is the /_mock/faults form of FaultRule: camelCase names and
// durations as Go duration strings ("250ms").
type faultRuleJSON struct {
	Route             string  `json:"route,omitempty"`
	Latency           string  `json:"latency,omitempty"`
	Jitter            string  `json:"jitter,omitempty"`
	Rate500           float64 `json:"rate500,omitempty"`
	Rate503           float64 `json:"rate503,omitempty"`
	Rate429           float64 `json:"rate429,omitempty"`
	Rate429RetryAfter float64 `json:"rate429RetryAfter,omitempty"`
	RetryAfterSeconds int     `json:"retryAfterSeconds,omitempty"`
	DropRate          float64 `json:"dropRate,omitempty"`
	GarbleRate        float64 `json:"garbleRate,omitempty"`
	Limit             int     `json:"limit,omitempty"`
}

// MarshalJSON encodes the rule in its /_mock/faults form.
func (f FaultRule) MarshalJSON() ([]byte, error) {
	j := faultRuleJSON{
		Route: f.Route, Rate500: f.Rate500, Rate503: f.Rate503, Rate429: f.Rate429,
		Rate429RetryAfter: f.Rate429RetryAfter, RetryAfterSeconds: f.RetryAfterSeconds,
		DropRate: f.DropRate, GarbleRate: f.GarbleRate, Limit: f.Limit,
	}
	if f.Latency != 0 {
		j.Latency = f.Latency.String()
	}
	if f.Jitter != 0 {
		j.Jitter = f.Jitter.String()
	}
	b, err := json.Marshal(j)
	if err != nil {
		return nil, fmt.Errorf("encode fault rule: %w", err)
	}
	return b, nil
}

// UnmarshalJSON decodes the /_mock/faults form, refusing unknown fields.
func (f *FaultRule) UnmarshalJSON(b []byte) error {
	var j faultRuleJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("fault rule: %w", err)
	}
	latency, err := parseDuration("latency", j.Latency)
	if err != nil {
		return err
	}
	jitter, err := parseDuration("jitter", j.Jitter)
	if err != nil {
		return err
	}
	*f = FaultRule{
		Route: j.Route, Latency: latency, Jitter: jitter, Rate500: j.Rate500, Rate503: j.Rate503,
		Rate429: j.Rate429, Rate429RetryAfter: j.Rate429RetryAfter, RetryAfterSeconds: j.RetryAfterSeconds,
		DropRate: j.DropRate, GarbleRate: j.GarbleRate, Limit: j.Limit,
	}
	return nil
}

// parseDuration parses an optional duration field.
func parseDuration(field, s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("fault rule %s: %w", field, err)
	}
	return d, nil
}

// faultRates are a rule's outcome rates, one per faultKind after
// faultNone, in that order.
type faultRates [faultKindEnd - 1]float64

// rates returns the outcome rates in the order they are drawn.
func (f FaultRule) rates() faultRates {
	return faultRates{f.Rate500, f.Rate503, f.Rate429, f.Rate429RetryAfter, f.DropRate, f.GarbleRate}
}

// ValidateFault reports why rule cannot be used on this server: an unknown
// route, a negative duration, count or limit, or rates outside [0, 1] or
// summing past 1.
func (s *Server) ValidateFault(rule FaultRule) error {
	if rule.Route != "" && !s.patterns[rule.Route] {
		return fmt.Errorf("unknown route %q: use a Stats key such as %q, or empty for every route",
			rule.Route, "POST /identity/v2/scim/Users")
	}
	if rule.Latency < 0 || rule.Jitter < 0 || rule.RetryAfterSeconds < 0 || rule.Limit < 0 {
		return errors.New("latency, jitter, retryAfterSeconds and limit must not be negative")
	}
	sum := 0.0
	for _, r := range rule.rates() {
		if r < 0 || r > 1 {
			return fmt.Errorf("rate %v is outside [0, 1]", r)
		}
		sum += r
	}
	if sum > 1 {
		return fmt.Errorf("rates sum to %v, more than 1", sum)
	}
	return nil
}

// SetFaults replaces the active fault rules. Rules apply in order; each
// matching rule adds its latency, and the first that draws an outcome
// answers the request. It panics on a rule ValidateFault refuses, as a test
// bug.
func (s *Server) SetFaults(rules ...FaultRule) {
	for i, r := range rules {
		if err := s.ValidateFault(r); err != nil {
			panic(fmt.Sprintf("mockserver: fault rule %d: %v", i, err))
		}
	}
	s.faults.set(rules)
}

// ClearFaults removes every fault rule.
func (s *Server) ClearFaults() {
	s.faults.set(nil)
}

// Faults returns the active fault rules.
func (s *Server) Faults() []FaultRule {
	return s.faults.list()
}

// faultKind is what a fault does to a request.
type faultKind int

// Fault outcomes, in the order of FaultRule.rates.
const (
	faultNone faultKind = iota
	fault500
	fault503
	fault429
	fault429RetryAfter
	faultDrop
	faultGarble

	faultKindEnd // one past the last outcome
)

// String names the outcome for logs.
func (k faultKind) String() string {
	return [...]string{"none", "500", "503", "429", "429 with Retry-After", "drop after apply", "garbled after apply"}[k]
}

// faultPlan is what the active rules decided for one request.
type faultPlan struct {
	delay      time.Duration
	outcome    faultKind
	retryAfter int
}

// newFaultSet returns an empty rule set whose random source is seeded with
// seed.
func newFaultSet(seed uint64) faultSet {
	//nolint:gosec // G404: fault injection wants a reproducible source, not secrecy.
	return faultSet{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

// faultSet holds the active rules and their random source.
type faultSet struct {
	mu    sync.Mutex
	rng   *rand.Rand
	rules []activeRule
}

// activeRule is a rule and how many requests it hit so far.
type activeRule struct {
	FaultRule
	hits int
}

// set replaces the rules.
func (f *faultSet) set(rules []FaultRule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = make([]activeRule, len(rules))
	for i, r := range rules {
		f.rules[i] = activeRule{FaultRule: r}
	}
}

// list returns the rules.
func (f *faultSet) list() []FaultRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]FaultRule, len(f.rules))
	for i, r := range f.rules {
		out[i] = r.FaultRule
	}
	return out
}

// plan decides the faults of one request to the route key.
func (f *faultSet) plan(key string) faultPlan {
	f.mu.Lock()
	defer f.mu.Unlock()
	var p faultPlan
	for i := range f.rules {
		r := &f.rules[i]
		if !r.live(key) {
			continue
		}
		p.delay += r.Latency
		if r.Jitter > 0 {
			p.delay += time.Duration(f.rng.Int64N(int64(r.Jitter)))
		}
		if !r.hasOutcome() {
			r.hits++
			continue
		}
		if p.outcome != faultNone {
			continue
		}
		if p.outcome = r.draw(f.rng.Float64()); p.outcome != faultNone {
			r.hits++
			p.retryAfter = max(r.RetryAfterSeconds, 1)
		}
	}
	return p
}

// live reports whether the rule applies to the route key and has hits left.
func (r *activeRule) live(key string) bool {
	return (r.Route == "" || r.Route == key) && (r.Limit == 0 || r.hits < r.Limit)
}

// draw maps a uniform number in [0, 1) to an outcome.
func (f FaultRule) draw(u float64) faultKind {
	acc := 0.0
	for i, r := range f.rates() {
		acc += r
		if u < acc {
			return faultKind(i + 1)
		}
	}
	return faultNone
}

// hasOutcome reports whether any rate is set.
func (f FaultRule) hasOutcome() bool {
	return f.rates() != faultRates{}
}

// writeFault answers a request with the planned failure.
func writeFault(w http.ResponseWriter, r *http.Request, p faultPlan) {
	switch p.outcome {
	case fault500:
		writeError(w, r, http.StatusInternalServerError, "Internal server error (injected fault).")
	case fault503:
		writeError(w, r, http.StatusServiceUnavailable, "Service unavailable (injected fault).")
	case fault429RetryAfter:
		w.Header().Set("Retry-After", strconv.Itoa(p.retryAfter))
		writeError(w, r, http.StatusTooManyRequests, tooManyRequests)
	default: // fault429
		writeError(w, r, http.StatusTooManyRequests, tooManyRequests)
	}
}

// garbledWriter holds a handler's answer for a garble fault: the header
// map is the real writer's, the status and the body wait for garble.
type garbledWriter struct {
	w    http.ResponseWriter
	code int
	body bytes.Buffer
}

// Header returns the real writer's header map.
func (g *garbledWriter) Header() http.Header { return g.w.Header() }

// WriteHeader records the first status.
func (g *garbledWriter) WriteHeader(code int) {
	if g.code == 0 {
		g.code = code
	}
}

// Write records an implicit 200 and keeps b.
func (g *garbledWriter) Write(b []byte) (int, error) {
	g.WriteHeader(http.StatusOK)
	return g.body.Write(b)
}

// garble answers with the handler's status and headers and the first half
// of its body, Content-Length set to match (a body-less answer is sent as
// it was).
func (g *garbledWriter) garble() {
	if g.code == 0 {
		g.code = http.StatusOK
	}
	half := g.body.Bytes()[:g.body.Len()/2]
	if g.body.Len() > 0 {
		g.w.Header().Set("Content-Length", strconv.Itoa(len(half)))
	}
	g.w.WriteHeader(g.code)
	_, _ = g.w.Write(half) // the client may be gone; nothing to do then.
}

// dropConnection closes the client connection without an answer. Where the
// connection cannot be hijacked (HTTP/2, recorders), it aborts the handler
// the way net/http documents.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close() // the point is to close; an error changes nothing.
}
