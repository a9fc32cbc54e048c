package e2e

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// rateLimits are Cisco's windows at the scale the provider binary keeps
// them (TestMain builds it with the same mocktest.RateScale): a hundredth
// by default, Cisco's real length with SECUREACCESS_MOCK_RATE_SCALE=1
// (make testacc-ratelimits).
func rateLimits(t *testing.T) mockserver.RateLimits {
	t.Helper()
	return mockserver.CiscoRateLimits().Scaled(mocktest.RateScale(t))
}

// requireNoRateLimited fails the test when the mock answered any request
// 429 for its rate limits, or when a window saw more than its limit, and
// logs what each window saw.
func requireNoRateLimited(t *testing.T, m *mockserver.Server, what string) {
	t.Helper()
	st := m.Stats()
	for _, scope := range []string{"admin", "token"} {
		if !hasScope(st, scope) {
			t.Errorf("%s: no %s requests counted by the rate limit windows: %v", what, scope, st.RateLimits)
		}
	}
	for key, ws := range st.RateLimits {
		t.Logf("%s: window %s: %d requests, peak %d, %d limited", what, key, ws.Requests, ws.Peak, ws.Limited)
	}
	if st.RateLimited != 0 {
		t.Errorf("%s: the mock answered %d requests 429 Too Many Requests, want none: %v", what, st.RateLimited, st.RateLimits)
	}
}

// hasScope reports whether a window of scope counted a request.
func hasScope(st mockserver.Stats, scope string) bool {
	for key, ws := range st.RateLimits {
		if strings.HasPrefix(key, scope+" ") && ws.Requests > 0 {
			return true
		}
	}
	return false
}

// TestRateLimits_bootstrap: examples/bootstrap's day 1, a rotation and a
// destroy against a mock that enforces Cisco's windows (admin 5/s, 14/min,
// 350/30 min; token 20/min; scaled like the provider's) get no 429 at all:
// the provider stays inside every window by itself.
func TestRateLimits_bootstrap(t *testing.T) {
	t.Parallel()
	RequireAcc(t)
	m := NewMock(t, mockserver.Options{RateLimits: rateLimits(t)})
	tf := NewTerraform(t)
	example, err := os.ReadFile("../../examples/bootstrap/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	tf.WriteConfig(t, withRotationTriggers("day 1")(unprotected(string(example))))
	tf.WriteFile(t, "terraform.tfvars", fmt.Sprintf("base_url      = %q\nclient_id     = %q\nclient_secret = %q\n", m.URL, TestClientID, TestClientSecret))

	start := time.Now()
	tf.Apply(t)
	t.Logf("day 1 apply: %v", time.Since(start).Round(time.Millisecond))
	requireNoRateLimited(t, m.Server, "day 1")

	config, err := os.ReadFile(tf.Dir + "/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	tf.WriteConfig(t, strings.Replace(string(config), `round = "day 1"`, `round = "rotation"`, 1))
	start = time.Now()
	tf.Apply(t)
	t.Logf("rotation apply: %v", time.Since(start).Round(time.Millisecond))
	tf.RequireEmptyPlan(t)
	requireNoRateLimited(t, m.Server, "rotation")

	start = time.Now()
	tf.Destroy(t)
	t.Logf("destroy: %v", time.Since(start).Round(time.Millisecond))
	requireNoRateLimited(t, m.Server, "destroy")
	if dirs := m.Store().Directories(); len(dirs) != 1 { // the mock's own "E2E"
		t.Errorf("%d directory integrations after destroy, want only the mock's own", len(dirs))
	}
}

// TestRateLimits_tenDirectories: Cisco's maximum of 10 directory
// integrations, each with its provisioning token, applied, planned and
// destroyed against a mock that enforces Cisco's windows: no 429, the
// plan's refresh in 12 admin requests, and the plan's wall time is logged (at real windows, with
// SECUREACCESS_MOCK_RATE_SCALE=1, the minute window sets it).
func TestRateLimits_tenDirectories(t *testing.T) {
	t.Parallel()
	RequireAcc(t)
	m := &Mock{mocktest.Start(t, "", mockserver.Options{ClientID: TestClientID, ClientSecret: TestClientSecret, RateLimits: rateLimits(t)})}
	tf := NewTerraform(t)
	config := func(batch bool) string {
		return fmt.Sprintf(`provider "secureaccess" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
  batch_refresh = %v
}

resource "secureaccess_directory_integration" "d" {
  count               = 10
  name                = "e2e-dir-${count.index}"
  identity_provider   = "okta"
  deletion_protection = false
}

resource "secureaccess_provisioning_token" "d" {
  count                    = 10
  directory_integration_id = secureaccess_directory_integration.d[count.index].id
}
`, m.URL, TestClientID, TestClientSecret, batch)
	}
	tf.WriteConfig(t, config(true))

	start := time.Now()
	tf.Apply(t)
	t.Logf("apply of 10 directory integrations and their tokens: %v", time.Since(start).Round(time.Millisecond))
	if dirs := m.Store().Directories(); len(dirs) != 10 {
		t.Fatalf("%d directory integrations, want 10", len(dirs))
	}
	requireNoRateLimited(t, m.Server, "apply")

	// The plan refreshes the 10 integrations with one GET and one listing
	// (batch_refresh), and the 10 tokens one by one: 12 admin requests,
	// inside the minute's 14, so no window makes it wait.
	m.ResetStats()
	start = time.Now()
	tf.RequireEmptyPlan(t)
	t.Logf("plan (refresh) of 10 directory integrations and their tokens: %v", time.Since(start).Round(time.Millisecond))
	st := m.Stats()
	for key, want := range map[string]int{
		"GET /admin/v2/directoryIntegrations/{id}":                   1,
		"GET /admin/v2/directoryIntegrations":                        1,
		"GET /admin/v2/directoryIntegrations/{id}/provisioningToken": 10,
	} {
		if got := st.Count(key); got != want {
			t.Errorf("plan: %d %s, want %d", got, key, want)
		}
	}
	if st.RateLimited != 0 {
		t.Errorf("plan: the mock answered %d requests 429 Too Many Requests, want none: %v", st.RateLimited, st.RateLimits)
	}

	// The plan of a later CI job, once the requests before it have left
	// the minute's window (and the provider's margin on it): its 12
	// requests fit in the 14, so no window makes it wait. Then the same
	// a minute later again with batch_refresh = false, 20 requests, as
	// the baseline: the last 6 wait for the minute, and the plan says so
	// without TF_LOG, where the batched one waited for nothing.
	minute := rateLimits(t).Admin[1].Period
	quietPlan := func(batch bool) (time.Duration, string) {
		time.Sleep(minute + max(transport.DefaultWindowMargin, minute/100) + minute/20)
		tf.WriteConfig(t, config(batch))
		start := time.Now()
		res := tf.RequireEmptyPlan(t)
		return time.Since(start), oneLine(res.Output())
	}
	batched, batchedOut := quietPlan(true)
	unbatched, unbatchedOut := quietPlan(false)
	t.Logf("plan (refresh) of 10 directory integrations and their tokens, after a quiet minute: %v batched, %v with batch_refresh = false (%.2f of it)",
		batched.Round(time.Millisecond), unbatched.Round(time.Millisecond), batched.Seconds()/unbatched.Seconds())
	// At their real length (make testacc-ratelimits) the unbatched plan's
	// waits for the minute are most of a minute and it says so; at a
	// hundredth they are shorter than the waits the provider's margin on
	// every window makes anyway, and it need not.
	const waited = "Warning: Waited for Secure Access API Rate Limits"
	requireCount(t, "batched plan", batchedOut, waited, 0)
	if mocktest.RateScale(t) == 1 && (!strings.Contains(unbatchedOut, waited) ||
		!strings.Contains(unbatchedOut, "the service allows 14 requests a minute") || !strings.Contains(unbatchedOut, "leave batch_refresh on")) {
		t.Errorf("plan with batch_refresh = false: no warning that it waited for 14 requests a minute, naming batch_refresh:\n%s", unbatchedOut)
	}
	requireNoRateLimited(t, m.Server, "plans")
	tf.WriteConfig(t, config(true))

	start = time.Now()
	tf.Destroy(t)
	t.Logf("destroy: %v", time.Since(start).Round(time.Millisecond))
	requireNoRateLimited(t, m.Server, "destroy")
	if dirs := m.Store().Directories(); len(dirs) != 0 {
		t.Errorf("%d directory integrations after destroy, want 0", len(dirs))
	}
}
