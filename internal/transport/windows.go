package transport

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// DefaultWindowMargin is added to every window's period client-side
// (Config.WindowMargin; a hundredth of the period when that is more), so
// that attempts sent a full period apart still arrive a full period apart
// when the network or the scheduler delays one of them more than another.
const DefaultWindowMargin = 250 * time.Millisecond

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

// margin is what the client adds to the window's period: base, or a
// hundredth of the period when that is more (600 ms on a minute, 18 s on
// 30 minutes), since the longer a window the more requests a late one
// can push over it and the cheaper the margin is.
// No margin (Config.WindowMargin negative) is none.
func (w Window) margin(base time.Duration) time.Duration {
	if base <= 0 {
		return 0
	}
	return max(base, w.Period/100)
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

// releaseLog holds the release times of the latest attempts under one key,
// oldest first: every window of the key is counted on it.
type releaseLog struct {
	times []time.Time
}

// earliest is the first time at or after now an attempt fits every one of
// ws with margin added to its period, and not before an attempt already
// released (releases stay in order, so the Limit-th latest is the one that
// leaves a window first). binding is the window that set it, zero when none
// held it back.
func (l *releaseLog) earliest(ws []Window, now time.Time, margin time.Duration) (at time.Time, binding Window) {
	at = now
	if n := len(l.times); n > 0 && l.times[n-1].After(at) {
		at = l.times[n-1]
	}
	for _, w := range ws {
		if n := len(l.times); n >= w.Limit {
			if free := l.times[n-w.Limit].Add(w.Period + w.margin(margin)); free.After(at) {
				at, binding = free, w
			}
		}
	}
	return at, binding
}

// add records an attempt released at t and forgets what no window of ws
// can count any more (older than the longest period, beyond the largest
// limit), unless keep, the horizon and size other users of the log need,
// is larger.
func (l *releaseLog) add(t time.Time, ws []Window, margin time.Duration, keep logBounds) logBounds {
	keep = keep.union(boundsOf(ws, margin))
	l.times = append(l.times, t)
	cut := max(0, len(l.times)-keep.entries)
	for cut < len(l.times) && !l.times[cut].After(t.Add(-keep.horizon)) {
		cut++
	}
	l.times = slices.Delete(l.times, 0, cut)
	return keep
}

// logBounds is how much of a release log its windows need.
type logBounds struct {
	entries int
	horizon time.Duration
}

// boundsOf is what ws need: their largest limit and longest period.
func boundsOf(ws []Window, margin time.Duration) logBounds {
	var b logBounds
	for _, w := range ws {
		b.entries = max(b.entries, w.Limit)
		b.horizon = max(b.horizon, w.Period+w.margin(margin))
	}
	return b
}

// union is the bounds that cover both.
func (b logBounds) union(o logBounds) logBounds {
	return logBounds{entries: max(b.entries, o.entries), horizon: max(b.horizon, o.horizon)}
}

var (
	// windowsMu guards every release log, so that an attempt reserves its
	// slot in all of its windows at once.
	windowsMu sync.Mutex
	// sharedLogs are the release logs of limiters with a key, shared by
	// every Client of the process with that key, with the bounds their
	// windows need.
	sharedLogs = map[string]*sharedLog{}
)

// sharedLog is the release log of one key in this process.
type sharedLog struct {
	releaseLog
	bounds logBounds
	// limited: the service answered an attempt under this key with 429,
	// which wakes dormant windows (Config.WindowsOnceLimited).
	limited bool
}

// windowLimiter keeps attempts inside every one of its windows: an attempt
// goes when every window has room for it, and is counted from that moment;
// one that must wait sleeps until the earliest time a window frees a slot
// and tries again (so waiters are not served strictly in order).
//
// With a key, the release log is shared with every limiter of the process
// that has the same key and, when a state file is set, with every process
// of the machine that uses the file: Terraform runs a new provider process
// for the plan and another for the apply of one command, and the service
// counts them together.
type windowLimiter struct {
	windows []Window
	key     string
	log     *sharedLog
	file    string // state file; "" for none
	margin  time.Duration
	// dormant: attempts are counted but never wait until the service has
	// answered 429 (Config.WindowsOnceLimited, sharedLog.limited).
	dormant bool
	now     func() time.Time
	// sleep waits d or until ctx ends; tests replace it with a fake clock.
	sleep func(ctx context.Context, d time.Duration) error
	// fileErr is the last state file failure; the first is logged once.
	fileErr         error
	fileErrReported bool
}

// newWindowLimiter returns nil (no limit) without windows. With a key, the
// release log is shared with every limiter of the process that has the
// same key, and with stateDir also through the state file in it. dormant
// windows hold only once the service has answered 429.
func newWindowLimiter(ws []Window, key, stateDir string, margin time.Duration, dormant bool) *windowLimiter {
	ws = slices.DeleteFunc(slices.Clone(ws), func(w Window) bool { return w.Limit <= 0 || w.Period <= 0 })
	if len(ws) == 0 {
		return nil
	}
	l := &windowLimiter{windows: ws, key: key, margin: margin, dormant: dormant, now: time.Now, sleep: sleepContext}
	if key == "" {
		l.log = &sharedLog{}
		return l
	}
	if stateDir != "" {
		l.file = filepath.Join(stateDir, stateFileName)
	}
	windowsMu.Lock()
	defer windowsMu.Unlock()
	log, ok := sharedLogs[key]
	if !ok {
		log = &sharedLog{}
		sharedLogs[key] = log
	}
	l.log = log
	return l
}

// reserve takes a slot at now when every window has room for it (taken),
// and otherwise returns the earliest time one may have, with the window
// that sets it; beyond is set when that time lies after deadline (when
// non-zero). Only a slot taken now is recorded: an attempt that has to
// wait comes back then and competes again, so the log holds the times
// attempts were really sent, not the times they were meant to be, and a
// waiter woken late cannot arrive inside a window that was counted
// without it.
func (l *windowLimiter) reserve(now, deadline time.Time) (at time.Time, binding Window, taken, beyond bool) {
	windowsMu.Lock()
	defer windowsMu.Unlock()
	var st *stateFile
	if l.file != "" {
		var err error
		if st, err = openState(l.file); err != nil {
			l.fileErr = err // the process's own log still holds
			st = nil
		} else {
			defer st.close()
			l.log.times = st.times(l.key)
		}
	}
	at, binding = l.log.earliest(l.windows, now, l.margin)
	if l.dormant && !l.log.limited {
		at = now // counted, never held back
	}
	if at.After(now) {
		return at, binding, false, !deadline.IsZero() && at.After(deadline)
	}
	l.log.bounds = l.log.add(at, l.windows, l.margin, l.log.bounds)
	if st != nil {
		if err := st.save(l.key, l.log.times, l.log.bounds, now); err != nil {
			l.fileErr = err
		}
	}
	return at, binding, true, false
}

// wait blocks until the attempt may be sent, takes its slot and reports
// how long it waited. A wait longer than LongWait is logged at WARN first,
// with the window that imposes it. When the next slot lies beyond ctx's
// deadline, or ctx ends, nothing is taken and the error wraps errNoSlot.
func (l *windowLimiter) wait(ctx context.Context, logger Logger, method, path string) (time.Duration, error) {
	deadline, _ := ctx.Deadline()
	start := l.now()
	var held Window // the window that held the attempt back first
	for first := true; ; first = false {
		now := l.now()
		at, binding, taken, beyond := l.reserve(now, deadline)
		if err := l.takeFileErr(); err != nil && logger != nil {
			logger.Debug(ctx, "secureaccess API rate limit: the state file cannot be used, so the windows count this process's requests only",
				map[string]any{"error": err.Error()})
		}
		if taken {
			if !first {
				waitLogFrom(ctx).add(now.Sub(start), held)
			}
			return now.Sub(start), nil
		}
		if first {
			held = binding
		}
		d := at.Sub(now)
		if beyond {
			return now.Sub(start), fmt.Errorf("%w: the next slot under %s requests is in %s, after the deadline", errNoSlot, binding, d.Round(time.Millisecond))
		}
		if wl, isWarn := logger.(WarnLogger); isWarn && first && d > LongWait {
			wl.Warn(ctx, "secureaccess API rate limit: waiting before the next request", map[string]any{
				"method":  method,
				"path":    path,
				"wait":    d.Round(100 * time.Millisecond).String(),
				"wait_ms": d.Milliseconds(),
				"window":  binding.String(),
				"reason": fmt.Sprintf("the service allows %s requests per API key and they are used up, "+
					"so the provider waits instead of getting 429 Too Many Requests", binding),
			})
		}
		if err := l.sleep(ctx, d); err != nil {
			return l.now().Sub(start), fmt.Errorf("%w: %w", errNoSlot, err)
		}
	}
}

// limited records that the service answered 429: dormant windows of the
// key hold from now on.
func (l *windowLimiter) limited() {
	windowsMu.Lock()
	defer windowsMu.Unlock()
	l.log.limited = true
}

// takeFileErr returns the first state file failure, once.
func (l *windowLimiter) takeFileErr() error {
	windowsMu.Lock()
	defer windowsMu.Unlock()
	err := l.fileErr
	l.fileErr = nil
	if err == nil || l.fileErrReported {
		return nil
	}
	l.fileErrReported = true
	return err
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

// WaitLog adds up how long the attempts of calls made with its context
// (WithWaitLog) waited for the Windows, and before retrying a 429 Too Many
// Requests (as Retry-After asked, or the backoff), so that a caller can
// tell its user what a call cost in waiting, where the WARN log of
// LongWait is seen by nobody who did not ask for logs. It is safe for
// concurrent use.
type WaitLog struct {
	mu      sync.Mutex
	total   time.Duration
	longest time.Duration
	window  Window
}

// waitLogKey is the context key of a WaitLog.
type waitLogKey struct{}

// WithWaitLog returns ctx with a new WaitLog, and the log.
func WithWaitLog(ctx context.Context) (context.Context, *WaitLog) {
	w := &WaitLog{}
	return context.WithValue(ctx, waitLogKey{}, w), w
}

// waitLogFrom returns ctx's WaitLog, nil for none.
func waitLogFrom(ctx context.Context) *WaitLog {
	w, _ := ctx.Value(waitLogKey{}).(*WaitLog)
	return w
}

// add records a wait of d that window imposed; nothing for no wait or no
// log.
func (w *WaitLog) add(d time.Duration, window Window) {
	if w == nil || d <= 0 {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.total += d
	if d > w.longest {
		w.longest, w.window = d, window
	}
}

// Waited returns how long the attempts waited in all, and the window that
// imposed the longest wait: zero when none waited, or when the longest was
// a wait before retrying a 429.
func (w *WaitLog) Waited() (time.Duration, Window) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.total, w.window
}
