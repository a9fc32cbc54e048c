package transport

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// DefaultWindowMargin is added to every window's period client-side
// (Config.WindowMargin), so that attempts released a full period apart
// still arrive a full period apart when the network or the scheduler delays
// one of them more than another.
const DefaultWindowMargin = 100 * time.Millisecond

// LongWait is how long an attempt may wait for a window before the wait is
// logged at WARN (WarnLogger): shorter waits are the normal pace of a
// rate-limited client.
const LongWait = 2 * time.Second

// Window is a request limit: at most Limit requests in any Period, a sliding
// window. Cisco documents its limits per API key as windows ("14 requests
// per minute") without saying whether they are fixed or sliding; a client
// that never has more than Limit requests in any sliding Period never has
// more in any fixed one either, so it stays inside both models.
type Window struct {
	Limit  int
	Period time.Duration
}

// String is "14 per 1m0s".
func (w Window) String() string {
	return fmt.Sprintf("%d per %s", w.Limit, w.Period)
}

// ScaleWindows returns ws with every period multiplied by f (the limits
// stay): tests run the service's windows at a fraction of their length.
func ScaleWindows(ws []Window, f float64) []Window {
	out := make([]Window, len(ws))
	for i, w := range ws {
		out[i] = Window{Limit: w.Limit, Period: time.Duration(float64(w.Period) * f)}
	}
	return out
}

// windowLog holds the release times of the latest Limit attempts under one
// window, oldest first once full (a ring).
type windowLog struct {
	w     Window
	times []time.Time
	next  int // index of the oldest entry once len(times) == w.Limit
}

// newest is the latest release time, zero when empty.
func (l *windowLog) newest() time.Time {
	switch {
	case len(l.times) == 0:
		return time.Time{}
	case len(l.times) < l.w.Limit:
		return l.times[len(l.times)-1]
	default:
		return l.times[(l.next+l.w.Limit-1)%l.w.Limit]
	}
}

// earliest is the first time at or after now an attempt fits the window
// with margin added to its period, later than no attempt already released
// (so that releases stay in order and the oldest entry is the one that
// leaves the window first).
func (l *windowLog) earliest(now time.Time, margin time.Duration) time.Time {
	at := now
	if n := l.newest(); n.After(at) {
		at = n
	}
	if len(l.times) == l.w.Limit {
		if free := l.times[l.next].Add(l.w.Period + margin); free.After(at) {
			at = free
		}
	}
	return at
}

// add records an attempt released at t.
func (l *windowLog) add(t time.Time) {
	if len(l.times) < l.w.Limit {
		l.times = append(l.times, t)
		return
	}
	l.times[l.next] = t
	l.next = (l.next + 1) % l.w.Limit
}

// logKey names a shared window log: the key of the API credential and the
// window.
type logKey struct {
	key string
	w   Window
}

var (
	// windowsMu guards every window log, so that an attempt reserves its
	// slot in all of its windows at once.
	windowsMu sync.Mutex
	// sharedLogs are the logs of limiters with a key, shared by every
	// Client of the process with that key and window.
	sharedLogs = map[logKey]*windowLog{}
)

// windowLimiter keeps attempts inside every one of its windows. It releases
// attempts in order, each at the earliest time when every window has room
// for it, and counts the attempt from that time on, whether or not it is
// sent then (a caller that gives up while it waits leaves its slot unused).
type windowLimiter struct {
	logs   []*windowLog
	margin time.Duration
	now    func() time.Time
	// sleep waits d or until ctx ends; tests replace it with a fake clock.
	sleep func(ctx context.Context, d time.Duration) error
}

// newWindowLimiter returns nil (no limit) without windows. With a key, the
// window logs are shared with every limiter of the process that has the
// same key and window; without one they are its own.
func newWindowLimiter(ws []Window, key string, margin time.Duration) *windowLimiter {
	ws = slices.DeleteFunc(slices.Clone(ws), func(w Window) bool { return w.Limit <= 0 || w.Period <= 0 })
	if len(ws) == 0 {
		return nil
	}
	l := &windowLimiter{margin: margin, now: time.Now, sleep: sleepContext}
	windowsMu.Lock()
	defer windowsMu.Unlock()
	for _, w := range ws {
		if key == "" {
			l.logs = append(l.logs, &windowLog{w: w})
			continue
		}
		k := logKey{key: key, w: w}
		log, ok := sharedLogs[k]
		if !ok {
			log = &windowLog{w: w}
			sharedLogs[k] = log
		}
		l.logs = append(l.logs, log)
	}
	return l
}

// reserve takes the earliest slot at or after now that fits every window
// and returns it with the window that set it (zero when the slot is now).
// A slot after deadline (when non-zero) is not taken: ok is false.
func (l *windowLimiter) reserve(now, deadline time.Time) (at time.Time, binding Window, ok bool) {
	windowsMu.Lock()
	defer windowsMu.Unlock()
	at = now
	for _, log := range l.logs {
		if t := log.earliest(now, l.margin); t.After(at) {
			at, binding = t, log.w
		}
	}
	if !deadline.IsZero() && at.After(deadline) {
		return at, binding, false
	}
	for _, log := range l.logs {
		log.add(at)
	}
	return at, binding, true
}

// wait blocks until the attempt may be sent and reports how long it
// waited. A wait longer than LongWait is logged at WARN first, with the
// window that imposes it. When the slot lies beyond ctx's deadline nothing
// is reserved and the error wraps errNoSlot.
func (l *windowLimiter) wait(ctx context.Context, logger Logger, method, path string) (time.Duration, error) {
	deadline, _ := ctx.Deadline()
	now := l.now()
	at, binding, ok := l.reserve(now, deadline)
	d := at.Sub(now)
	if !ok {
		return 0, fmt.Errorf("%w: the next slot under %s requests is in %s, after the deadline", errNoSlot, binding, d.Round(time.Millisecond))
	}
	if d <= 0 {
		return 0, nil
	}
	if wl, isWarn := logger.(WarnLogger); isWarn && d > LongWait {
		wl.Warn(ctx, "secureaccess API rate limit: waiting before the next request", map[string]any{
			"method":  method,
			"path":    path,
			"wait":    d.Round(100 * time.Millisecond).String(),
			"wait_ms": d.Milliseconds(),
			"window":  binding.String(),
			"reason": fmt.Sprintf("the service allows %s requests per API key; this process has used them all, "+
				"so it waits instead of getting 429 Too Many Requests", binding),
		})
	}
	if err := l.sleep(ctx, d); err != nil {
		return d, fmt.Errorf("%w: %w", errNoSlot, err)
	}
	return d, nil
}

// sleepContext waits d or until ctx ends.
func sleepContext(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// WarnLogger is a Logger that also takes warnings. A Client whose Logger
// implements it logs a wait for its rate limit windows longer than
// LongWait, message "secureaccess API rate limit: waiting before the next
// request", with the fields method, path, wait, wait_ms, window (e.g.
// "14 per 1m0s") and reason: never a credential, nor the API key's ID.
type WarnLogger interface {
	Logger
	Warn(ctx context.Context, msg string, fields map[string]any)
}
