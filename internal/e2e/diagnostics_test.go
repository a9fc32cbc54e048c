package e2e

import (
	"strings"
	"testing"
)

// oneLine is s with every run of white space, line breaks included, as one
// space: Terraform wraps long diagnostics.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// requireCount fails the test unless out holds want exactly n times.
func requireCount(t *testing.T, what, out, want string, n int) {
	t.Helper()
	if got := strings.Count(out, want); got != n {
		t.Errorf("%s: %q appears %d times, want %d:\n%s", what, want, got, n, out)
	}
}

// TestDiagnostics_plainHTTPBaseURL: a plain http base_url on a remote host
// is one error, about base_url (the attribute the user set), with the fix;
// nothing about scim_url, which the user never set.
func TestDiagnostics_plainHTTPBaseURL(t *testing.T) {
	t.Parallel()
	tf := NewTerraform(t)
	tf.WriteConfig(t, `
provider "secureaccess" {
  base_url   = "http://10.1.2.3:8080"
  scim_token = "not-used"
}

resource "secureaccess_scim_user" "jane" {
  user_name = "jane@example.com"
}
`)
	res := tf.MustRun(t, 1, "plan")
	out := oneLine(res.Stderr)
	requireCount(t, "plan", out, "Error: ", 1)
	for _, want := range []string{"Error: Invalid Secure Access URL", `base_url is "http://10.1.2.3:8080"`, "Use an https URL, or set insecure_http = true"} {
		requireCount(t, "plan", out, want, 1)
	}
	requireCount(t, "plan", out, "scim_url", 0)
}
