package scim

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// BenchmarkRefresh is the SCIM side of a plan of issue 6's scenario 1
// (1000 users, 50 groups, 1000 memberships: 2050 resources) as the
// provider's Read functions send it, ten at a time as Terraform's default
// parallelism does, against the in-process mock delaying every request by
// the latency of the sub-benchmark, with batching (Client.Refresh) and
// without (UnbatchedRefresh: a GET per resource, as before issue 14):
//
//	go test -run '^$' -bench BenchmarkRefresh -benchtime 3x ./internal/scim/
//
// It reports the requests of one refresh; ns/op is its wall time.
func BenchmarkRefresh(b *testing.B) {
	for _, latency := range []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond} {
		for _, batched := range []bool{true, false} {
			name := fmt.Sprintf("latency=%v/batched=%v", latency, batched)
			b.Run(name, func(b *testing.B) {
				f := newFixture(b)
				reads := scenarioOneReads(b, f.store)
				c, err := NewClient(Config{URL: f.url, Token: f.token, Config: fastRetries, UnbatchedRefresh: !batched})
				if err != nil {
					b.Fatal(err)
				}
				f.srv.SetFaults(mockserver.FaultRule{Latency: latency})
				var requests int
				for b.Loop() {
					b.StopTimer()
					c.Refresh = newRefreshService(c.Users, c.Groups, !batched) // a new provider process
					f.srv.ResetStats()
					b.StartTimer()
					refresh(b, reads, c)
					b.StopTimer()
					requests = f.srv.Stats().Total
					b.StartTimer()
				}
				b.ReportMetric(float64(requests), "requests/op")
			})
		}
	}
}

// refreshRead is one resource's Read.
type refreshRead func(c *Client) error

// scenarioOneReads seeds scenario 1 into st and returns the Read of each
// of its 2050 resources, in the order Terraform's graph tends to visit
// them: users, groups, then memberships.
func scenarioOneReads(b *testing.B, st *scimserver.Store) []refreshRead {
	b.Helper()
	var reads []refreshRead
	var groups []string
	for i := range 50 {
		g, err := st.CreateGroup(scimserver.Group{DisplayName: fmt.Sprintf("bench-group-%d", i)})
		if err != nil {
			b.Fatal(err)
		}
		groups = append(groups, g.ID)
		reads = append(reads, func(c *Client) error { _, err := c.Refresh.Group(b.Context(), g.ID); return err })
	}
	var members []refreshRead
	for i := range 1000 {
		u, err := st.CreateUser(scimserver.User{UserName: fmt.Sprintf("bench-user-%d@example.com", i), DisplayName: fmt.Sprintf("Bench User %d", i), Active: new(true),
			Emails: []scimserver.Email{{Value: fmt.Sprintf("bench-user-%d@example.com", i), Type: "work", Primary: true}}})
		if err != nil {
			b.Fatal(err)
		}
		group := groups[i%len(groups)]
		if err := st.AddMembers(group, u.ID); err != nil {
			b.Fatal(err)
		}
		reads = append(reads, func(c *Client) error { _, err := c.Refresh.User(b.Context(), u.ID); return err })
		members = append(members, func(c *Client) error {
			ok, err := c.Refresh.HasMember(b.Context(), group, u.ID)
			if err == nil && !ok {
				err = fmt.Errorf("%s is not a member of %s", u.ID, group)
			}
			return err
		})
	}
	return append(reads, members...)
}

// refresh runs reads ten at a time.
func refresh(b *testing.B, reads []refreshRead, c *Client) {
	work := make(chan refreshRead)
	var wg sync.WaitGroup
	var once sync.Once
	for range 10 {
		wg.Go(func() {
			for read := range work {
				if err := read(c); err != nil {
					once.Do(func() { b.Error(err) })
				}
			}
		})
	}
	for _, read := range reads {
		work <- read
	}
	close(work)
	wg.Wait()
}
