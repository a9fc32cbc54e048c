package transport

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// cisco are Cisco's documented admin scope limits per API key.
var cisco = []Window{{5, time.Second}, {14, time.Minute}, {350, 30 * time.Minute}}

// fakeClock is a clock that only moves when a limiter sleeps on it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(_ context.Context, d time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	return nil
}

// onFakeClock points l at clk.
func onFakeClock(l *windowLimiter, clk *fakeClock) *windowLimiter {
	l.now, l.sleep = clk.Now, clk.Sleep
	return l
}

// maxInWindow is the most of times (sorted) that fall in any half-open
// interval (t-period, t]: what a service counting a sliding window sees.
func maxInWindow(times []time.Time, period time.Duration) int {
	most, start := 0, 0
	for end, t := range times {
		for !times[start].After(t.Add(-period)) {
			start++
		}
		most = max(most, end-start+1)
	}
	return most
}

// TestWindowLimiterNeverExceedsAWindow: 1,000 attempts as fast as the
// limiter releases them, on a fake clock, never put more than a window's
// limit into any sliding period of it, and they are not held back longer
// than the windows require: the 350-per-30-minutes window sets the pace.
func TestWindowLimiterNeverExceedsAWindow(t *testing.T) {
	t.Parallel()
	for name, margin := range map[string]time.Duration{"no margin": 0, "default margin": DefaultWindowMargin} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			clk := &fakeClock{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
			start := clk.now
			l := onFakeClock(newWindowLimiter(cisco, "", "", margin, false), clk)
			var times []time.Time
			for range 1000 {
				if _, err := l.wait(t.Context(), nil, http.MethodGet, "/x"); err != nil {
					t.Fatal(err)
				}
				times = append(times, clk.Now())
			}
			for _, w := range cisco {
				if got := maxInWindow(times, w.Period); got > w.Limit {
					t.Errorf("%d attempts in a sliding %v, want at most %d", got, w.Period, w.Limit)
				}
				// Seen by the service with the margin shaved off (one attempt
				// delayed by up to the margin), still inside.
				if got := maxInWindow(times, w.Period+w.margin(margin)); got > w.Limit {
					t.Errorf("%d attempts in a sliding %v, want at most %d", got, w.Period+w.margin(margin), w.Limit)
				}
			}
			// 1,000 attempts: 350 at once (paced by the shorter windows),
			// then 350 more per 30 minutes: the last one in the 3rd period.
			if took, want := clk.Now().Sub(start), 2*(30*time.Minute+cisco[2].margin(margin)); took < want || took > want+30*time.Minute {
				t.Errorf("1000 attempts took %v of fake time, want between %v and %v", took, want, want+30*time.Minute)
			}
			// The first 5 go at once, the 6th a second (and the margin, 100 ms)
			// later, the 15th a minute (and 600 ms) after the 1st.
			if d := times[4].Sub(start); d != 0 {
				t.Errorf("5th attempt after %v, want at once", d)
			}
			if d, want := times[5].Sub(start), time.Second+cisco[0].margin(margin); d != want {
				t.Errorf("6th attempt after %v, want %v", d, want)
			}
			if d, want := times[14].Sub(start), time.Minute+cisco[1].margin(margin); d != want {
				t.Errorf("15th attempt after %v, want %v", d, want)
			}
		})
	}
}

// TestTokenBucketWouldExceedTheMinute is why the windows are sliding logs
// and not token buckets: a bucket of 14 refilled at 14 per minute lets 27
// requests through within one minute.
func TestTokenBucketWouldExceedTheMinute(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)
	tb := rate.NewLimiter(rate.Limit(14.0/60), 14)
	var times []time.Time
	for at := start; at.Before(start.Add(time.Minute)); at = at.Add(100 * time.Millisecond) {
		if tb.AllowN(at, 1) {
			times = append(times, at)
		}
	}
	if got := maxInWindow(times, time.Minute); got <= 14 {
		t.Fatalf("token bucket: %d requests in a minute; the premise of the sliding windows is gone", got)
	}
}

// TestWindowLimiterShared: limiters with the same key count together,
// limiters with another key or none do not.
func TestWindowLimiterShared(t *testing.T) {
	t.Parallel()
	key := "https://a.example/auth/v2/token\nclient " + t.Name()
	w := []Window{{2, time.Hour}}
	clk := &fakeClock{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	a := onFakeClock(newWindowLimiter(w, key, "", 0, false), clk)
	b := onFakeClock(newWindowLimiter(w, key, "", 0, false), clk)
	other := onFakeClock(newWindowLimiter(w, key+"-other", "", 0, false), clk)
	private := onFakeClock(newWindowLimiter(w, "", "", 0, false), clk)
	for _, l := range []*windowLimiter{a, b, other, other, private, private} {
		if d, err := l.wait(t.Context(), nil, http.MethodGet, "/x"); err != nil || d != 0 {
			t.Fatalf("wait = %v, %v; want no wait", d, err)
		}
	}
	if d, err := b.wait(t.Context(), nil, http.MethodGet, "/x"); err != nil || d != time.Hour {
		t.Errorf("third attempt of the key waited %v (%v), want an hour: a and b share the window", d, err)
	}
}

// warnLogger records warnings.
type warnLogger struct {
	memLogger
	mu    sync.Mutex
	warns []map[string]any
}

func (l *warnLogger) Warn(_ context.Context, _ string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.warns = append(l.warns, fields)
}

// TestWindowLimiterWarnsOnLongWait: a wait beyond LongWait is logged once
// at WARN with the window; shorter ones are not.
func TestWindowLimiterWarnsOnLongWait(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	l := onFakeClock(newWindowLimiter([]Window{{5, time.Second}, {14, time.Minute}}, "", "", 0, false), clk)
	logger := &warnLogger{}
	for range 15 {
		if _, err := l.wait(t.Context(), logger, http.MethodPost, "/admin/v2/directoryIntegrations"); err != nil {
			t.Fatal(err)
		}
	}
	if len(logger.warns) != 1 {
		t.Fatalf("%d warnings, want 1 (the 15th attempt): %v", len(logger.warns), logger.warns)
	}
	w := logger.warns[0]
	if w["window"] != "14 per 1m0s" || w["path"] != "/admin/v2/directoryIntegrations" || w["wait_ms"].(int64) < 50_000 {
		t.Errorf("warning fields %v", w)
	}
}

// TestWindowLimiterDeadline: a slot beyond the context's deadline fails at
// once with errNoSlot and is not taken.
func TestWindowLimiterDeadline(t *testing.T) {
	t.Parallel()
	l := newWindowLimiter([]Window{{1, time.Hour}}, "", "", 0, false)
	if _, err := l.wait(t.Context(), nil, http.MethodGet, "/x"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	start := time.Now()
	if _, err := l.wait(ctx, nil, http.MethodGet, "/x"); !errors.Is(err, errNoSlot) {
		t.Errorf("wait: %v, want errNoSlot", err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("failing took %v, want at once", took)
	}
	if n := len(l.log.times); n != 1 {
		t.Errorf("%d slots taken, want 1", n)
	}
}

// TestDoWindows: a Client with windows spaces real requests, every
// attempt counted.
func TestDoWindows(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(status(200, `{}`))}
	cfg := fastRetries
	cfg.Windows, cfg.WindowMargin = []Window{{2, 100 * time.Millisecond}}, -1
	c := newTestClient(t, rec, cfg, nil)
	start := time.Now()
	for range 5 {
		if _, err := c.Do(t.Context(), Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 200*time.Millisecond {
		t.Errorf("5 requests at 2 per 100ms took %v, want ≥ 200ms", took)
	}
}

// TestDoWindowsOnceLimited: dormant windows never make a call wait, and
// count every attempt, until the service answers 429; from then on they
// hold, and a WaitLog adds up the waits of the calls of its context.
func TestDoWindowsOnceLimited(t *testing.T) {
	t.Parallel()
	rec := &recorder{script: scripts(status(200, `{}`), status(200, `{}`), status(200, `{}`), status(200, `{}`),
		status(429, `{"message":"Too many requests. Retry request."}`), status(200, `{}`))}
	cfg := fastRetries
	cfg.Windows, cfg.WindowMargin, cfg.WindowsOnceLimited = []Window{{2, 300 * time.Millisecond}}, -1, true
	cfg.WindowKey = t.Name() // shared with nothing else of the test binary
	c := newTestClient(t, rec, cfg, nil)
	ctx, waits := WithWaitLog(t.Context())
	start := time.Now()
	for range 4 {
		if _, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took > 250*time.Millisecond {
		t.Errorf("4 requests at 2 per 300ms before any 429 took %v, want no wait", took)
	}
	if total, _ := waits.Waited(); total != 0 {
		t.Errorf("waited %v before any 429, want 0", total)
	}
	// The 429 (retried) wakes the windows: the retry and the next call wait.
	for range 2 {
		if _, err := c.Do(ctx, Request{Method: http.MethodGet, Path: "/x"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	total, window := waits.Waited()
	if total < 200*time.Millisecond || window != (Window{2, 300 * time.Millisecond}) {
		t.Errorf("after a 429: waited %v under %v, want at least 200ms under 2 per 300ms", total, window)
	}
}

// TestWindowLimiterStateFile: two processes of one API key (here two
// limiters whose in-process logs are apart, as in a plan's and an apply's
// provider process) count together through the state file; the file
// holds neither the key nor its parts.
func TestWindowLimiterStateFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	key := "https://a.example/auth/v2/token\nclient-id-" + t.Name()
	w := []Window{{2, time.Hour}}
	clk := &fakeClock{now: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)}
	plan := onFakeClock(newWindowLimiter(w, key, dir, 0, false), clk)
	for range 2 {
		if d, err := plan.wait(t.Context(), nil, http.MethodGet, "/x"); err != nil || d != 0 {
			t.Fatalf("wait = %v, %v; want no wait", d, err)
		}
	}
	// A new process: its own, empty log.
	apply := onFakeClock(newWindowLimiter(w, key, dir, 0, false), clk)
	apply.log = &sharedLog{}
	if d, err := apply.wait(t.Context(), nil, http.MethodGet, "/x"); err != nil || d != time.Hour {
		t.Errorf("the other process's first attempt waited %v (%v), want an hour", d, err)
	}
	if apply.fileErr != nil || apply.fileErrReported {
		t.Errorf("state file error: %v", apply.fileErr)
	}
	raw, err := os.ReadFile(filepath.Join(dir, stateFileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"a.example", "client-id", t.Name()} {
		if strings.Contains(string(raw), part) {
			t.Errorf("the state file holds %q: %s", part, raw)
		}
	}
}
