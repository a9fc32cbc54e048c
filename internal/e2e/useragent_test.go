package e2e

import (
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
)

// TestUserAgentCarriesVersion: the version a release sets with -ldflags
// '-X main.version=...' (the harness builds the provider so, with
// ProviderVersion) is in the User-Agent of every request the service
// receives, on the admin API, its OAuth token endpoint and SCIM alike.
func TestUserAgentCarriesVersion(t *testing.T) {
	t.Parallel()
	RequireAcc(t)
	srv := mockserver.New(mockserver.Options{ClientID: TestClientID, ClientSecret: TestClientSecret, StrictFilters: mocktest.AcceptanceStrict(t)})
	var (
		mu     sync.Mutex
		agents = map[string]map[string]bool{} // User-Agent → paths
	)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if agents[r.UserAgent()] == nil {
			agents[r.UserAgent()] = map[string]bool{}
		}
		agents[r.UserAgent()][r.Method+" "+r.URL.Path] = true
		mu.Unlock()
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	_, token, err := srv.Bootstrap("E2E", "okta")
	if err != nil {
		t.Fatal(err)
	}
	m := &Mock{&mocktest.Mock{Server: srv, URL: ts.URL, SCIMToken: token}}

	tf := NewTerraform(t)
	tf.WriteConfig(t, m.ProviderBlock()+`
data "secureaccess_directory_integrations" "all" {}
data "secureaccess_scim_users" "all" {}
`)
	tf.Apply(t)

	mu.Lock()
	defer mu.Unlock()
	want := "terraform-provider-secureaccess/" + ProviderVersion
	if len(agents) != 1 || agents[want] == nil {
		var got []string
		for ua, ps := range agents {
			got = append(got, fmt.Sprintf("%q on %v", ua, slices.Sorted(maps.Keys(ps))))
		}
		t.Fatalf("the service saw these User-Agents, want only %q:\n%s", want, strings.Join(got, "\n"))
	}
	// Both clients: the admin API (and its token endpoint) and SCIM.
	var scim, admin bool
	for p := range agents[want] {
		_, path, _ := strings.Cut(p, " ")
		if strings.HasPrefix(path, mockserver.SCIMPath+"/") {
			scim = true
		} else {
			admin = true
		}
	}
	if !scim || !admin {
		t.Errorf("requests seen: %v; want some to SCIM (%s) and some to the admin API", slices.Sorted(maps.Keys(agents[want])), mockserver.SCIMPath)
	}
}
