package e2e

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// faultRetries is the provider's max_retries under injected faults.
//
// Every attempt fails independently with probability p = 0.3 (20 % 503,
// 10 % 429), so a call fails after its 1 + 15 attempts with p^16 ≈ 4.3e-9.
// The soak apply and plan make about 2,000 calls (creates, reads, token
// requests), so the chance that any of them fails is about 2,000 × 4.3e-9
// ≈ 1e-5. With the default 4 retries, 2,000 × 0.3^5 ≈ 4.9 calls would fail:
// a certain failure. Deep retries cost nothing unless they happen.
const faultRetries = "max_retries = 15"

// TestFaults_convergence applies users, groups, memberships, directory
// integrations and tokens while the mock answers 30 % of all requests with
// 503 or 429 (half of the 429s with Retry-After), with latency jitter, and
// the admin access token expires every 2 seconds. The apply must succeed,
// and the mock must then hold exactly the configuration, once, with an
// empty plan after it.
func TestFaults_convergence(t *testing.T) {
	t.Parallel()
	tf := NewTerraform(t)
	m := NewMock(t, mockserver.Options{AccessTokenTTL: 2 * time.Second, Seed: 7})
	n := Sized(40, 300)
	spec := directorySpec{users: n, groups: n / 10, directories: 3}
	tf.WriteConfig(t, spec.config(m.ProviderBlock(faultRetries)))
	m.SetFaults(mockserver.FaultRule{
		Rate503: 0.2, Rate429: 0.05, Rate429RetryAfter: 0.05,
		Latency: 2 * time.Millisecond, Jitter: 30 * time.Millisecond,
	})

	start := time.Now()
	tf.Apply(t)
	t.Logf("apply of %d users, %d groups, %d memberships under faults: %v", spec.users, spec.groups, spec.users, time.Since(start))
	logStats(t, m)
	requireConverged(t, m, tf, spec)
}

// TestFaults_lostResponses applies the same kind of configuration while the
// mock applies 10 % of the creates (the POSTs, and the membership PATCHes)
// and then drops the connection without answering. The creates must be
// retried and resolved without duplicates or a 409 reaching the user.
func TestFaults_lostResponses(t *testing.T) {
	t.Parallel()
	tf := NewTerraform(t)
	m := NewMock(t, mockserver.Options{Seed: 11})
	n := Sized(40, 300)
	spec := directorySpec{users: n, groups: n / 10, directories: 3}
	tf.WriteConfig(t, spec.config(m.ProviderBlock(faultRetries)))
	var rules []mockserver.FaultRule
	for _, route := range []string{
		"POST /identity/v2/scim/Users",
		"POST /identity/v2/scim/Groups",
		"PATCH /identity/v2/scim/Groups/{id}",
		"POST /admin/v2/directoryIntegrations",
		"POST /admin/v2/directoryIntegrations/{id}/provisioningToken",
	} {
		rules = append(rules, mockserver.FaultRule{Route: route, DropRate: 0.1})
	}
	m.SetFaults(rules...)

	start := time.Now()
	tf.Apply(t)
	t.Logf("apply with 10 %% of creates lost: %v", time.Since(start))
	logStats(t, m)
	// Every 4xx must be the 409 of a retried create whose first attempt was
	// applied and its answer dropped, which the client resolves by a lookup.
	s := m.Stats()
	if s.Classes["dropped"] == 0 {
		t.Error("no connection was dropped: the test tested nothing")
	}
	if s.Classes["4xx"] > s.Classes["dropped"] {
		t.Errorf("%d 4xx answers for %d dropped connections: some 409s are not explained by a lost create", s.Classes["4xx"], s.Classes["dropped"])
	}
	requireConverged(t, m, tf, spec)
}

// TestFaults_interruption sends SIGINT to a slow terraform apply once the
// mock has seen a quarter of the user creates. Terraform stops gracefully:
// every object the mock holds must then be in the state (no orphans), and
// the next apply must converge without any 4xx (no 409 on an object
// created but forgotten) and leave an empty plan.
//
// Creates in flight at SIGINT must finish and be saved: the provider runs
// them on a context that Terraform's graceful stop does not cancel
// (internal/provider/create_context.go). Without that, the service applies
// them while the provider forgets them, and they are orphaned.
func TestFaults_interruption(t *testing.T) {
	t.Parallel()
	tf := NewTerraform(t)
	m := NewMock(t, mockserver.Options{Seed: 13})
	n := Sized(60, 300)
	spec := directorySpec{users: n, groups: n / 10}
	tf.WriteConfig(t, spec.config(m.ProviderBlock()))
	slow := 150 * time.Millisecond
	m.SetFaults(
		mockserver.FaultRule{Route: "POST /identity/v2/scim/Users", Latency: slow, Jitter: slow},
		mockserver.FaultRule{Route: "PATCH /identity/v2/scim/Groups/{id}", Latency: slow, Jitter: slow},
	)

	res, created := interruptApply(t, tf, m, n/4)
	if created < 0 {
		t.Fatalf("terraform apply exited with %d before the mock saw %d user creates:\n%s", res.Code(), n/4, res.Output())
	}
	if res.Code() < 0 { // tfexec killed it: it did not stop gracefully
		t.Fatalf("terraform apply did not exit after SIGINT: %v\n%s", res.Err, res.Output())
	}
	users, _ := m.SCIM(t).Counts()
	t.Logf("SIGINT after %d user creates; terraform exited with %d holding %d users in the mock", created, res.Code(), users)
	if users == n {
		t.Errorf("every user was created despite SIGINT after %d: the test tested nothing", created)
	}
	requireStateMatchesMock(t, m, tf)

	m.ClearFaults()
	m.ResetStats()
	tf.Apply(t)
	logStats(t, m)
	if s := m.Stats(); s.Classes["4xx"] != 0 {
		t.Errorf("the apply after the interruption got %d 4xx answers, want none", s.Classes["4xx"])
	}
	requireConverged(t, m, tf, spec)
}

// interruptApply runs terraform apply and cancels its context once the mock
// has counted at least after user creates: tfexec sends terraform SIGINT
// then, and waits for it to exit (it kills it only after its WaitDelay, 60
// s). It returns the result and the count of creates seen when SIGINT was
// sent, -1 when terraform exited before.
func interruptApply(t *testing.T, tf *Terraform, m *Mock, after int) (Result, int) {
	t.Helper()
	created := -1
	res := tf.Run(t, func(ctx context.Context) error {
		ctx, cancel := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() {
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				select {
				case <-ctx.Done():
					return
				case <-tick.C:
				}
				if n := m.Stats().Count("POST /identity/v2/scim/Users"); n >= after {
					created = n
					cancel()
					return
				}
			}
		})
		err := tf.Exec.Apply(ctx)
		cancel()
		wg.Wait()
		return err
	})
	return res, created
}

// TestFaults_garbledCreates applies users, groups and memberships while
// the mock applies the first creates of users and of groups and answers
// them with success and a body cut in half, which no client can read. The
// objects are stored, so the provider must record them: the apply
// succeeds, and the mock holds each object once, with an empty plan after
// it. (Before, the user and group were stored but not in the state, and
// every later apply failed with 409.)
func TestFaults_garbledCreates(t *testing.T) {
	t.Parallel()
	tf := NewTerraform(t)
	m := NewMock(t, mockserver.Options{Seed: 13})
	spec := directorySpec{users: 6, groups: 2}
	tf.WriteConfig(t, spec.config(m.ProviderBlock()))
	m.SetFaults(
		mockserver.FaultRule{Route: "POST /identity/v2/scim/Users", GarbleRate: 1, Limit: 3},
		mockserver.FaultRule{Route: "POST /identity/v2/scim/Groups", GarbleRate: 1, Limit: 1},
	)
	tf.Apply(t)
	logStats(t, m)
	requireConverged(t, m, tf, spec)
}
