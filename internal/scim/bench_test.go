package scim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
)

// BenchmarkGetUser compares GET /Users/{id} through the client with the same
// request through a bare http.Client (same transport settings, same JSON
// decoding), against the in-process mock:
//
//	go test -run '^$' -bench BenchmarkGetUser -benchmem -count 5 ./internal/scim/
func BenchmarkGetUser(b *testing.B) {
	f := newFixture(b)
	u, err := f.store.CreateUser(scimsp.User{UserName: "bench@example.com", DisplayName: "Bench", Active: new(true),
		Emails: []scimsp.Email{{Value: "bench@example.com", Type: "work", Primary: true}}})
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
