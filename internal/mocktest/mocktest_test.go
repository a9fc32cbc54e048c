package mocktest

import (
	"fmt"
	"net/http"
	"runtime"
	"strings"
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
	t.Setenv(EnvQuirks, "")
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
	if q := m.Quirks(); q != 0 {
		t.Errorf("quirks %v are on without SECUREACCESS_MOCK_QUIRKS or Options.Quirks", q)
	}
}

func TestStartStrictMode(t *testing.T) {
	tests := []struct {
		name       string
		acceptance bool // StartAcceptance rather than Start
		env        string
		opt        bool
		want       bool
	}{
		{name: "unset", env: "", want: false},
		{name: "env 1", env: "1", want: true},
		{name: "env 0", env: "0", want: false},
		{name: "option", env: "", opt: true, want: true},
		{name: "option wins over env 0", env: "0", opt: true, want: true},
		// The acceptance and end-to-end tests: strict unless told not to be.
		{name: "acceptance unset", acceptance: true, env: "", want: true},
		{name: "acceptance env 1", acceptance: true, env: "1", want: true},
		{name: "acceptance env 0", acceptance: true, env: "0", want: false},
		{name: "acceptance option wins over env 0", acceptance: true, env: "0", opt: true, want: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvStrict, tc.env)
			start := Start
			if tc.acceptance {
				start = StartAcceptance
			}
			m := start(t, "Strict", mockserver.Options{StrictFilters: tc.opt})
			if got := m.StrictFilters(); got != tc.want {
				t.Errorf("StrictFilters() = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestStartQuirks(t *testing.T) {
	tests := []struct {
		name string
		env  string
		opt  scimserver.Quirks
		want scimserver.Quirks
	}{
		{name: "unset", env: "", want: 0},
		{name: "env", env: "patch-204, no-meta", want: scimserver.QuirkPatch204 | scimserver.QuirkNoMeta},
		{name: "option", opt: scimserver.QuirkIntegerIDs, want: scimserver.QuirkIntegerIDs},
		{name: "option and env", env: "create-200", opt: scimserver.QuirkIntegerIDs, want: scimserver.QuirkIntegerIDs | scimserver.QuirkCreate200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvQuirks, tc.env)
			m := Start(t, "Quirky", mockserver.Options{Quirks: tc.opt})
			if got := m.Quirks(); got != tc.want {
				t.Errorf("Quirks() = %v, want %v", got, tc.want)
			}
		})
	}
}

// fatalTB records the first Fatalf and ends its goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// fatalOf runs fn on a fatalTB of t in its own goroutine and returns the
// message it failed with ("" when it did not fail).
func fatalOf(t *testing.T, fn func(testing.TB)) string {
	f := &fatalTB{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(f)
	}()
	<-done
	return f.msg
}

func TestStartQuirksErrors(t *testing.T) {
	tests := []struct {
		name, env string
		opt       scimserver.Quirks
		want      string
	}{
		{name: "unknown", env: "patch-204,nope", want: `SECUREACCESS_MOCK_QUIRKS: unknown quirk "nope": valid quirks are json-content-type,`},
		{name: "conflict in env", env: "patch-204,patch-empty-200", want: "SECUREACCESS_MOCK_QUIRKS: quirks patch-204 and patch-empty-200 conflict"},
		{name: "conflict with option", env: "base64-ids", opt: scimserver.QuirkIntegerIDs, want: "quirks integer-ids and base64-ids conflict"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv(EnvQuirks, tc.env)
			msg := fatalOf(t, func(tb testing.TB) { Start(tb, "Quirky", mockserver.Options{Quirks: tc.opt}) })
			if !strings.Contains(msg, tc.want) {
				t.Errorf("Start failed with %q, want %q", msg, tc.want)
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
