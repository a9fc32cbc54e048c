package mockserver_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestRateLimits_fifteenthInAMinute: under Cisco's windows, on the fake
// clock, 14 admin calls a second apart pass; the 15th within the minute
// gets 429 with Secure Access's body and a Retry-After of the seconds until
// the first call leaves the window; once it has, calls pass again. The
// stats count it under the minute window.
func TestRateLimits_fifteenthInAMinute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{RateLimits: mockserver.CiscoRateLimits()})
	admin := e.accessToken()
	for i := range 14 {
		if r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil); r.status != http.StatusOK {
			t.Fatalf("call %d: %d %s", i+1, r.status, r.body)
		}
		e.clock.Advance(time.Second)
	}
	// 14 s after the first call: it leaves the window at 60 s, in 46 s.
	r := e.send(http.MethodGet, "/reports/v2/identities", admin, nil)
	if msg := r.message(t); r.status != http.StatusTooManyRequests || msg != "Too many requests. Retry request." {
		t.Fatalf("15th call in a minute: %d %q, want 429", r.status, msg)
	}
	if ra := r.header.Get("Retry-After"); ra != "46" {
		t.Errorf("Retry-After = %q, want 46", ra)
	}
	e.clock.Advance(45*time.Second + 500*time.Millisecond) // 59.5 s: still full
	if r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil); r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "1" {
		t.Errorf("at 59.5 s: %d, Retry-After %q; want 429, 1", r.status, r.header.Get("Retry-After"))
	}
	e.clock.Advance(time.Second) // 60.5 s: the first call has left
	if r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil); r.status != http.StatusOK {
		t.Errorf("at 60.5 s: %d, want 200", r.status)
	}
	st := e.srv.Stats()
	if st.RateLimited != 2 {
		t.Errorf("RateLimited = %d, want 2", st.RateLimited)
	}
	want := map[string]mockserver.WindowStats{
		"admin 5 per 1s":      {Requests: 15, Peak: 1},
		"admin 14 per 1m0s":   {Requests: 15, Limited: 2, Peak: 14},
		"admin 350 per 30m0s": {Requests: 15, Peak: 15},
		"token 20 per 1m0s":   {Requests: 1, Peak: 1},
	}
	if diff := cmp.Diff(want, st.RateLimits); diff != "" {
		t.Errorf("Stats.RateLimits (-want +got):\n%s", diff)
	}
}

// TestRateLimits_perSecondAndToken: the sixth call in one instant gets 429
// with Retry-After 1; the 21st token request in a minute gets 429; a
// refusal is not counted against the window.
func TestRateLimits_perSecondAndToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{RateLimits: mockserver.CiscoRateLimits()})
	admin := e.accessToken()
	var got []int
	for range 6 {
		got = append(got, e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil).status)
	}
	if diff := cmp.Diff([]int{200, 200, 200, 200, 200, 429}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	e.clock.Advance(time.Second + time.Millisecond)
	if r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil); r.status != http.StatusOK {
		t.Errorf("a second later: %d, want 200", r.status)
	}

	for i := range 19 { // the 20 of the minute, with accessToken's
		if r := e.tokenRequest(mockserver.DefaultClientID, mockserver.DefaultClientSecret, "grant_type=client_credentials"); r.status != http.StatusOK {
			t.Fatalf("token request %d: %d", i+2, r.status)
		}
	}
	r := e.tokenRequest(mockserver.DefaultClientID, mockserver.DefaultClientSecret, "grant_type=client_credentials")
	if r.status != http.StatusTooManyRequests || r.header.Get("Retry-After") != "59" || r.message(t) != "Too many requests. Retry request." {
		t.Errorf("21st token request: %d, Retry-After %q, %s; want 429, 59", r.status, r.header.Get("Retry-After"), r.body)
	}
	// Wrong credentials are refused before the window: no budget is spent.
	if r := e.tokenRequest(mockserver.DefaultClientID, "wrong", "grant_type=client_credentials"); r.status != http.StatusUnauthorized {
		t.Errorf("wrong secret: %d, want 401", r.status)
	}
}

// TestRateLimits_offByDefault: without Options.RateLimits nothing is
// limited and the stats have no windows.
func TestRateLimits_offByDefault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	for i := range 30 {
		if r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil); r.status != http.StatusOK {
			t.Fatalf("call %d: %d", i+1, r.status)
		}
	}
	if st := e.srv.Stats(); st.RateLimited != 0 || len(st.RateLimits) != 0 {
		t.Errorf("stats %d, %v; want no rate limits", st.RateLimited, st.RateLimits)
	}
}

// TestRateLimits_scaled: Scaled shortens the periods and keeps the counts.
func TestRateLimits_scaled(t *testing.T) {
	t.Parallel()
	got := mockserver.CiscoRateLimits().Scaled(0.01)
	want := mockserver.RateLimits{
		Admin: []mockserver.Window{{Limit: 5, Period: 10 * time.Millisecond}, {Limit: 14, Period: 600 * time.Millisecond}, {Limit: 350, Period: 18 * time.Second}},
		Token: []mockserver.Window{{Limit: 20, Period: 600 * time.Millisecond}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Scaled(0.01) (-want +got):\n%s", diff)
	}
}
