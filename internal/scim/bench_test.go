package scim

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// BenchmarkGetUser compares GET /Users/{id} through the client with the same
// request through a bare http.Client (same transport settings, same JSON
// decoding), against the in-process mock:
//
//	go test -run '^$' -bench BenchmarkGetUser -benchmem -count 5 ./internal/scim/
func BenchmarkGetUser(b *testing.B) {
	f := newFixture(b)
	u, err := f.store.CreateUser(scimserver.User{UserName: "bench@example.com", DisplayName: "Bench", Active: new(true),
		Emails: []scimserver.Email{{Value: "bench@example.com", Type: "work", Primary: true}}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("client", func(b *testing.B) {
		cfg := fastRetries
		cfg.HTTPClient = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		c, err := NewClient(Config{URL: f.url, Token: f.token, Config: cfg})
		if err != nil {
			b.Fatal(err)
		}
		for b.Loop() {
			if _, err := c.Users.Get(b.Context(), u.ID, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("bare", func(b *testing.B) {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		for b.Loop() {
			if err := bareGet(b, hc, f.url+"/Users/"+u.ID, f.token); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// bareGet is the plain net/http version of Users.Get.
func bareGet(b *testing.B, hc *http.Client, url, token string) error {
	req, err := http.NewRequestWithContext(b.Context(), http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Accept", MediaType)
	req.Header.Set("User-Agent", "bench")
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	var u User
	return json.NewDecoder(resp.Body).Decode(&u)
}

// BenchmarkHasMember is the refresh of one secureaccess_scim_group_member
// with batch_refresh = false: a plain GET /Groups/{id}, whose answer grows
// with the group.
// The sub-benchmarks are group sizes; bytes/op counts the answer:
//
//	go test -run '^$' -bench BenchmarkHasMember -benchmem ./internal/scim/
func BenchmarkHasMember(b *testing.B) {
	for _, size := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			f := newFixture(b)
			groupID, ids := seedLargeGroup(b, f, size, size)
			last := ids[size-1]
			// Unbatched: every call reads the member list, as each
			// membership's refresh did before batching.
			c, err := NewClient(Config{URL: f.url, Token: f.token, Config: fastRetries, UnbatchedRefresh: true})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				ok, err := c.Refresh.HasMember(b.Context(), groupID, last)
				if err != nil || !ok {
					b.Fatalf("HasMember = %v, %v", ok, err)
				}
			}
		})
	}
}

// seedLargeGroup seeds users users and a group whose members are the last
// members of them; it returns the group's ID and the users' IDs.
func seedLargeGroup(b *testing.B, f *fixture, users, members int) (string, []string) {
	b.Helper()
	ids := make([]string, users)
	for i := range ids {
		u, err := f.store.CreateUser(scimserver.User{UserName: fmt.Sprintf("member%05d@example.com", i), DisplayName: fmt.Sprintf("Member %05d", i)})
		if err != nil {
			b.Fatal(err)
		}
		ids[i] = u.ID
	}
	g, err := f.store.CreateGroup(scimserver.Group{DisplayName: "Large"})
	if err != nil {
		b.Fatal(err)
	}
	if err := f.store.AddMembers(g.ID, ids[users-members:]...); err != nil {
		b.Fatal(err)
	}
	return g.ID, ids
}

// countingBody counts the bytes of response bodies that pass through it.
type countingBody struct {
	rt    http.RoundTripper
	bytes atomic.Int64
}

func (c *countingBody) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.rt.RoundTrip(r)
	if err == nil {
		resp.Body = &countedReader{resp.Body, &c.bytes}
	}
	return resp, err
}

type countedReader struct {
	io.ReadCloser
	n *atomic.Int64
}

func (r *countedReader) Read(p []byte) (int, error) {
	n, err := r.ReadCloser.Read(p)
	r.n.Add(int64(n))
	return n, err
}

// BenchmarkLargeGroup is what each request shape the provider may send
// costs on a group of 10,000 members (issue 20), client and mock in one
// process; resp-bytes/op is what the service sends back:
//
//		go test -run '^$' -bench BenchmarkLargeGroup -benchmem -count 3 ./internal/scim/
//
//	  - plain GET: every group read of a service where excludedAttributes=members
//	    is not proven, and every member-list read;
//	  - GET excludedAttributes=members: a group read once that is proven;
//	  - GET attributes=members: what member reads sent before (for comparison);
//	  - PATCH answered with the group: a one-member change, whose answer
//	    confirms it;
//	  - PATCH answered 204, then the confirming plain GET.
func BenchmarkLargeGroup(b *testing.B) {
	const size = 10000
	for _, tc := range []struct {
		name   string
		quirks string
		call   func(b *testing.B, c *Client, groupID, userID string, counter *countingBody)
	}{
		{name: "GET plain", call: func(b *testing.B, c *Client, g, _ string, _ *countingBody) {
			mustB(b, second(c.Groups.Get(b.Context(), g, nil)))
		}},
		{name: "GET excludedAttributes=members", call: func(b *testing.B, c *Client, g, _ string, _ *countingBody) {
			mustB(b, second(c.Groups.Get(b.Context(), g, excludeMembers)))
		}},
		{name: "GET attributes=members", call: func(b *testing.B, c *Client, g, _ string, _ *countingBody) {
			mustB(b, second(c.Groups.Get(b.Context(), g, &GetOptions{Attributes: []string{"members"}})))
		}},
		{name: "PATCH answered with the group", call: patchAndConfirm},
		{name: "PATCH answered 204 and GET", quirks: "patch-204", call: patchAndConfirm},
	} {
		b.Run(tc.name, func(b *testing.B) {
			q, err := scimserver.ParseQuirks(tc.quirks)
			if err != nil {
				b.Fatal(err)
			}
			f := newFixtureWith(b, mockserver.Options{Seed: 1, Quirks: q})
			groupID, ids := seedLargeGroup(b, f, size, size-1) // ids[0] is not a member
			counter := &countingBody{rt: http.DefaultTransport.(*http.Transport).Clone()}
			cfg := fastRetries
			cfg.HTTPClient = &http.Client{Transport: counter}
			c, err := NewClient(Config{URL: f.url, Token: f.token, Config: cfg})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				tc.call(b, c, groupID, ids[0], counter)
			}
			b.ReportMetric(float64(counter.bytes.Load())/float64(b.N), "resp-bytes/op")
		})
	}
}

// patchAndConfirm adds a user to a group, confirms it, and removes it
// again, untimed and uncounted, so that every round is the same.
func patchAndConfirm(b *testing.B, c *Client, groupID, userID string, counter *countingBody) {
	shown, err := c.Groups.AddMembers(b.Context(), groupID, []string{userID})
	mustB(b, err)
	mustB(b, second(c.Groups.ConfirmMembers(b.Context(), groupID, shown, []string{userID}, nil)))
	b.StopTimer()
	before := counter.bytes.Load()
	mustB(b, c.Groups.RemoveMembers(b.Context(), groupID, []string{userID}))
	counter.bytes.Store(before)
	b.StartTimer()
}

// mustB fails the benchmark on an error.
func mustB(b *testing.B, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}
