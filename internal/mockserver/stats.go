package mockserver

import (
	"fmt"
	"maps"
	"net/http"
	"sync"
)

// unmatchedKey is the Stats key of requests no route matched (404/405).
const unmatchedKey = "UNMATCHED"

// outcomeDropped is the Stats class of requests whose connection a drop
// fault closed after the handler ran.
const outcomeDropped = "dropped"

// Stats is a snapshot of the request counters. Requests to /_mock/ are not
// counted; every other request is, including those a fault answered.
type Stats struct {
	// Total is the number of requests counted.
	Total int `json:"total"`
	// Requests counts requests per "METHOD PATTERN", the ServeMux pattern
	// that matched, e.g. "GET /identity/v2/scim/Users/{id}"; requests no
	// route matched count under "UNMATCHED".
	Requests map[string]int `json:"requests"`
	// Classes counts requests per answer: "2xx", "3xx", "4xx", "5xx", or
	// "dropped" when a drop fault closed the connection. A request a
	// garble fault answered counts by its status.
	Classes map[string]int `json:"classes"`
	// RateLimited is the number of 429 answers the rate limits gave
	// (Options.RateLimits and AdminRateLimit; not those of faults).
	RateLimited int `json:"rateLimited"`
	// RateLimits counts each rate limit window's decisions, keyed by scope
	// and window: "admin 5 per 1s", "admin 14 per 1m0s", "admin 350 per
	// 30m0s", "token 20 per 1m0s" (with Options.RateLimits), and "admin
	// per-second token bucket" (with AdminRateLimit). A window appears once
	// it has seen a request; without any, the field is absent.
	RateLimits map[string]WindowStats `json:"rateLimits,omitempty"`
}

// Count returns the number of requests counted under key ("METHOD PATTERN").
func (s Stats) Count(key string) int {
	return s.Requests[key]
}

// statsCounter accumulates Stats.
type statsCounter struct {
	mu sync.Mutex
	s  Stats
}

// newStatsCounter returns zeroed counters.
func newStatsCounter() statsCounter {
	return statsCounter{s: emptyStats()}
}

// emptyStats returns Stats with zero counts.
func emptyStats() Stats {
	return Stats{Requests: map[string]int{}, Classes: map[string]int{}}
}

// record counts one request.
func (c *statsCounter) record(key, class string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s.Total++
	c.s.Requests[key]++
	c.s.Classes[class]++
}

// snapshot copies the counters.
func (c *statsCounter) snapshot() Stats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return Stats{Total: c.s.Total, Requests: maps.Clone(c.s.Requests), Classes: maps.Clone(c.s.Classes)}
}

// reset zeroes the counters.
func (c *statsCounter) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.s = emptyStats()
}

// Stats returns a snapshot of the request counters.
func (s *Server) Stats() Stats {
	st := s.stats.snapshot()
	st.RateLimits, st.RateLimited = s.limiters.snapshot()
	return st
}

// ResetStats zeroes the request counters, those of the rate limit windows
// included (their budgets stay).
func (s *Server) ResetStats() {
	s.stats.reset()
	s.limiters.resetStats()
}

// statsKey is the Stats key of a request: the matched pattern, which starts
// with the method, or UNMATCHED.
func statsKey(pattern string) string {
	if pattern == "" {
		return unmatchedKey
	}
	return pattern
}

// statusClass returns "2xx" for 200–299 and so on.
func statusClass(status int) string {
	return fmt.Sprintf("%dxx", status/100)
}

// statusRecorder remembers the status a handler wrote. With discard set, the
// body is thrown away and no status is sent, so the caller can answer
// instead; headers still reach the real writer.
type statusRecorder struct {
	http.ResponseWriter
	code    int
	discard bool
}

// WriteHeader records the status.
func (w *statusRecorder) WriteHeader(code int) {
	if w.code != 0 {
		return
	}
	w.code = code
	if !w.discard {
		w.ResponseWriter.WriteHeader(code)
	}
}

// Write records an implicit 200.
func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.discard {
		return len(b), nil
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *statusRecorder) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

// status returns the recorded status, 200 when the handler wrote nothing.
func (w *statusRecorder) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// discardWriter is a ResponseWriter that throws the answer away: a drop
// fault runs the handler into it.
type discardWriter struct {
	header http.Header
}

// Header returns the (discarded) header map.
func (w *discardWriter) Header() http.Header { return w.header }

// Write discards b.
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }

// WriteHeader discards the status.
func (w *discardWriter) WriteHeader(int) {}
