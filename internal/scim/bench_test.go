package scim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

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
// with batch_refresh = false:
// GET /Groups/{id}?attributes=members, whose answer grows with the group.
// The sub-benchmarks are group sizes; bytes/op counts the answer:
//
//	go test -run '^$' -bench BenchmarkHasMember -benchmem ./internal/scim/
func BenchmarkHasMember(b *testing.B) {
	for _, size := range []int{10, 1000, 10000} {
		b.Run(fmt.Sprint(size), func(b *testing.B) {
			f := newFixture(b)
			ids := make([]string, size)
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
			if err := f.store.AddMembers(g.ID, ids...); err != nil {
				b.Fatal(err)
			}
			last := ids[size-1]
			// Unbatched: every call reads the member list, as each
			// membership's refresh did before batching.
			c, err := NewClient(Config{URL: f.url, Token: f.token, Config: fastRetries, UnbatchedRefresh: true})
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				ok, err := c.Refresh.HasMember(b.Context(), g.ID, last)
				if err != nil || !ok {
					b.Fatalf("HasMember = %v, %v", ok, err)
				}
			}
		})
	}
}
