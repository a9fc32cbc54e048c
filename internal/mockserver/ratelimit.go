package mockserver

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Window is a rate limit window: at most Limit requests per API key in any
// Period, counted as a sliding window (a request at t is answered when fewer
// than Limit requests of the key were answered in (t-Period, t]). Cisco
// documents its limits as windows without saying whether they are fixed or
// sliding; sliding is the stricter model (a fixed window lets up to twice
// the limit through across its boundary), so a client that passes here
// passes either. Refused requests are not counted.
type Window struct {
	Limit  int
	Period time.Duration
}

// String is "14 per 1m0s".
func (w Window) String() string {
	return fmt.Sprintf("%d per %s", w.Limit, w.Period)
}

// RateLimits are the request windows of the service per API key.
type RateLimits struct {
	// Admin limits the admin and reports calls (the admin scope).
	Admin []Window
	// Token limits POST /auth/v2/token (counted per client ID whose
	// credentials are valid).
	Token []Window
}

// CiscoRateLimits returns Secure Access's documented limits per API key
// (Cisco's "Secure Access API Rate Limits"): the admin scope 5 requests per
// second, 14 per minute and 350 per 30 minutes; the token endpoint 20 per
// minute.
func CiscoRateLimits() RateLimits {
	return RateLimits{
		Admin: []Window{{5, time.Second}, {14, time.Minute}, {350, 30 * time.Minute}},
		Token: []Window{{20, time.Minute}},
	}
}

// Scaled returns the limits with every period multiplied by f (the counts
// stay), for tests: Scaled(0.01) makes the minute 600 ms.
func (r RateLimits) Scaled(f float64) RateLimits {
	scale := func(ws []Window) []Window {
		var out []Window
		for _, w := range ws {
			out = append(out, Window{Limit: w.Limit, Period: time.Duration(float64(w.Period) * f)})
		}
		return out
	}
	return RateLimits{Admin: scale(r.Admin), Token: scale(r.Token)}
}

// IsZero reports whether there are no windows.
func (r RateLimits) IsZero() bool {
	return len(r.Admin) == 0 && len(r.Token) == 0
}

// WindowStats counts one rate limit window's decisions, over every key.
type WindowStats struct {
	// Requests is the number of requests the window admitted.
	Requests int `json:"requests"`
	// Limited is the number of 429 answers this window gave (a request
	// refused by several windows counts in each).
	Limited int `json:"limited"`
	// Peak is the most requests one key had in the window, the admitted
	// one included: at most the window's limit.
	Peak int `json:"peak"`
}

// Stats keys of the rate limits: "admin 14 per 1m0s", "token 20 per 1m0s",
// and adminRateKey for Options.AdminRateLimit's token bucket.
const (
	scopeAdmin   = "admin"
	scopeToken   = "token"
	adminRateKey = "admin per-second token bucket"
)

// windowKey is the Stats.RateLimits key of a window of scope.
func windowKey(scope string, w Window) string {
	return scope + " " + w.String()
}

// limiters rate-limits calls per API key: the sliding windows of
// Options.RateLimits and the token bucket of Options.AdminRateLimit.
type limiters struct {
	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	// logs holds, per scope, key and window, the admission times still
	// inside the window, oldest first.
	logs    map[string][]time.Time
	stats   map[string]*WindowStats
	refused int // 429 answers
}

// newLimiters returns empty limiters.
func newLimiters() limiters {
	return limiters{buckets: map[string]*rate.Limiter{}, logs: map[string][]time.Time{}, stats: map[string]*WindowStats{}}
}

// allowWindows admits one request of key under every window of scope at
// now, or refuses it and returns how long until every full window has
// room.
func (l *limiters) allowWindows(scope, key string, ws []Window, now time.Time) (wait time.Duration, ok bool) {
	if len(ws) == 0 {
		return 0, true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	ok = true
	for _, w := range ws {
		lk := scope + "\x00" + key + "\x00" + w.String()
		log := l.logs[lk]
		// Drop what left the window, and what lies ahead of a clock that
		// was moved back (SetClockOffset).
		start := 0
		for start < len(log) && !log[start].After(now.Add(-w.Period)) {
			start++
		}
		end := len(log)
		for end > start && log[end-1].After(now) {
			end--
		}
		log = log[start:end]
		l.logs[lk] = log
		if len(log) >= w.Limit {
			ok = false
			l.stat(scope, w).Limited++
			wait = max(wait, log[len(log)-w.Limit].Add(w.Period).Sub(now))
		}
	}
	if !ok {
		l.refused++
		return wait, false
	}
	for _, w := range ws {
		lk := scope + "\x00" + key + "\x00" + w.String()
		l.logs[lk] = append(l.logs[lk], now)
		st := l.stat(scope, w)
		st.Requests++
		st.Peak = max(st.Peak, len(l.logs[lk]))
	}
	return 0, true
}

// stat returns the counters of a window; l.mu is held.
func (l *limiters) stat(scope string, w Window) *WindowStats {
	k := windowKey(scope, w)
	st, ok := l.stats[k]
	if !ok {
		st = &WindowStats{}
		l.stats[k] = st
	}
	return st
}

// allow reports whether key may make one more call at now under perSecond
// requests per second (0 = unlimited), a token bucket of perSecond.
func (l *limiters) allow(key string, perSecond float64, now time.Time) bool {
	if perSecond <= 0 {
		return true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	lim, ok := l.buckets[key]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond)))
		l.buckets[key] = lim
	}
	st := l.stats[adminRateKey]
	if st == nil {
		st = &WindowStats{}
		l.stats[adminRateKey] = st
	}
	if !lim.AllowN(now, 1) {
		st.Limited++
		l.refused++
		return false
	}
	st.Requests++
	return true
}

// snapshot copies the window counters and the number of 429 answers.
func (l *limiters) snapshot() (map[string]WindowStats, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.stats) == 0 {
		return nil, l.refused
	}
	out := make(map[string]WindowStats, len(l.stats))
	for k, st := range l.stats {
		out[k] = *st
	}
	return out, l.refused
}

// resetStats zeroes the window counters, keeping the budgets.
func (l *limiters) resetStats() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.stats)
	l.refused = 0
}

// reset forgets every key's budget and the counters.
func (l *limiters) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	clear(l.buckets)
	clear(l.logs)
	clear(l.stats)
	l.refused = 0
}

// writeTooManyRequests answers 429 as Secure Access does, with Retry-After
// in whole seconds (rounded up, at least 1: "after waiting one second, you
// can retry") when the wait is known.
func writeTooManyRequests(w http.ResponseWriter, wait time.Duration) {
	if wait > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
	}
	writeMessage(w, http.StatusTooManyRequests, tooManyRequests)
}
