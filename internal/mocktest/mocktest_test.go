package mocktest

import (
	"net/http"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// get sends GET url with the bearer token (none when empty) and returns
// the status code.
func get(t *testing.T, url, token string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

func TestStartServesTheBootstrappedDirectory(t *testing.T) {
	t.Setenv(EnvStrict, "")
	m := Start(t, "Test Directory", mockserver.Options{})

	dir, ok := m.Store().Directory(m.DirectoryID)
	if !ok || dir.Name != "Test Directory" {
		t.Fatalf("directory %s = %+v, %v; want one named %q", m.DirectoryID, dir, ok, "Test Directory")
	}
	if _, err := m.SCIM(t).CreateUser(scimserver.User{UserName: "jane@example.com"}); err != nil {
		t.Fatal(err)
	}
	if got := get(t, m.SCIMURL()+"/Users", m.SCIMToken); got != http.StatusOK {
		t.Errorf("GET /Users with the SCIM token = %d, want 200", got)
	}
	if got := get(t, m.SCIMURL()+"/Users", ""); got != http.StatusUnauthorized {
		t.Errorf("GET /Users without a token = %d, want 401", got)
	}
	if n := m.Stats().Count("GET " + mockserver.SCIMPath + "/Users"); n != 2 {
		t.Errorf("requests counted for GET /Users = %d, want 2", n)
	}
	if m.StrictFilters() {
		t.Error("strict filter mode is on without SECUREACCESS_MOCK_STRICT or Options.StrictFilters")
	}
}

func TestStartStrictMode(t *testing.T) {
	tests := []struct {
		name string
		env  string
		opt  bool
		want bool
	}{
		{name: "unset", env: "", want: false},
		{name: "env 1", env: "1", want: true},
		{name: "env 0", env: "0", want: false},
		{name: "option", env: "", opt: true, want: true},
		{name: "option wins over env 0", env: "0", opt: true, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvStrict, tc.env)
			m := Start(t, "Strict", mockserver.Options{StrictFilters: tc.opt})
			if got := m.StrictFilters(); got != tc.want {
				t.Errorf("StrictFilters() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStartStopsTheMockWhenTheTestEnds(t *testing.T) {
	var url string
	t.Run("inner", func(t *testing.T) {
		url = Start(t, "Short-lived", mockserver.Options{}).URL
	})
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/_mock/stats", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err == nil {
		resp.Body.Close()
		t.Fatalf("the mock still answers after its test ended: %s", resp.Status)
	}
}
