package e2e

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
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
	res := tf.PlanError(t)
	out := oneLine(res.Stderr)
	requireCount(t, "plan", out, "Error: ", 1)
	for _, want := range []string{"Error: Invalid Secure Access URL", `base_url is "http://10.1.2.3:8080"`, "Use an https URL, or set insecure_http = true"} {
		requireCount(t, "plan", out, want, 1)
	}
	requireCount(t, "plan", out, "scim_url", 0)
}

// eightSCIMResources are four users and four groups.
const eightSCIMResources = `
resource "secureaccess_scim_user" "u" {
  count     = 4
  user_name = "user${count.index}@example.com"
}

resource "secureaccess_scim_group" "g" {
  count        = 4
  display_name = "Group ${count.index}"
}
`

// requireOneFullError checks the apply of eightSCIMResources: eight
// errors, of which one has the failure and the fix, and seven name it in
// one line, naming the object whose error has it.
func requireOneFullError(t *testing.T, out, failure, fix, pointer string) {
	t.Helper()
	requireCount(t, "apply", out, "Error: ", 8)
	requireCount(t, "apply", out, failure, 1)
	requireCount(t, "apply", out, fix, 1)
	requireCount(t, "apply", out, "This provider configuration sends no other request to this API in this run", 1)
	requireCount(t, "apply", out, pointer, 7)
	full := regexp.MustCompile(`(SCIM (?:user|group) "[^"]+"): ` + regexp.QuoteMeta(failure)).FindStringSubmatch(out)
	if full == nil {
		t.Fatalf("apply: no error names the object whose request met %q:\n%s", failure, out)
	}
	requireCount(t, "apply", out, "the error for "+full[1]+" says what to check.", 7)
}

// TestDiagnostics_rejectedSCIMToken: with a wrong SCIM token, eight
// resources cost one request and give one error that says what to check,
// the other seven one line each that points to it; a data source without
// filter prints none.
func TestDiagnostics_rejectedSCIMToken(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	provider := fmt.Sprintf("provider \"secureaccess\" {\n  base_url   = %q\n  scim_token = \"wrong-scim-token\"\n}\n", m.URL)
	tf.WriteConfig(t, provider+eightSCIMResources)
	res := tf.ApplyError(t)
	out := oneLine(res.Stderr)
	requireOneFullError(t, out, "POST /identity/v2/scim/", "The SCIM provisioning token was rejected: it is wrong, expired or revoked",
		"not sent, because the SCIM provisioning token of this provider configuration was rejected earlier in this run")
	requireCount(t, "apply", out, "401 Unauthorized: unknown or revoked provisioning token", 1)
	requireCount(t, "apply", out, "creating SCIM user", 0)
	if n := m.Server.Stats().Total; n != 1 {
		t.Errorf("%d requests reached the mock, want 1", n)
	}

	tf.WriteConfig(t, provider+`
data "secureaccess_scim_users" "all" {}
`)
	res = tf.PlanError(t)
	out = oneLine(res.Stderr)
	requireCount(t, "plan", out, "Error: Error Listing SCIM Users", 1)
	requireCount(t, "plan", out, "SCIM users: GET /identity/v2/scim/Users: 401 Unauthorized", 1)
	requireCount(t, "plan", out, "filter", 0)
}

// TestDiagnostics_unreachableService: with nothing listening at base_url,
// eight resources give one error that says what to check and seven
// one-line pointers, and the connection is attempted 1 + max_retries
// times in all, not per resource.
func TestDiagnostics_unreachableService(t *testing.T) {
	t.Parallel()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close() // nothing listens: every connection is refused
	tf := NewTerraform(t)
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	if err := tf.Exec.SetLog("DEBUG"); err != nil {
		t.Fatal(err)
	}
	if err := tf.Exec.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	tf.WriteConfig(t, fmt.Sprintf("provider \"secureaccess\" {\n  base_url    = %q\n  scim_token  = \"not-used\"\n  max_retries = 2\n}\n", closed.URL)+eightSCIMResources)
	res := tf.ApplyError(t)
	out := oneLine(res.Stderr)
	requireOneFullError(t, out, "after 3 attempts: Post \""+closed.URL+"/identity/v2/scim/",
		"Secure Access could not be reached at "+closed.URL+". Check base_url in the provider block or the SECUREACCESS_BASE_URL environment variable",
		"not sent, because the service at "+closed.URL+" could not be reached earlier in this run")
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "secureaccess API request"); n != 3 {
		t.Errorf("%d connection attempts logged, want 3 (1 + max_retries), whatever the number of resources", n)
	}
}

// TestDiagnostics_adoptAndDeactivate: adopting an existing user warns at
// apply that someone else may manage it, and planning the destroy of a user
// with on_destroy = "deactivate" warns that it is only deactivated.
func TestDiagnostics_adoptAndDeactivate(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	if _, err := m.SCIM(t).CreateUser(scimserver.User{UserName: "jane@example.com", Active: new(true)}); err != nil {
		t.Fatal(err)
	}
	tf := NewTerraform(t)
	tf.WriteConfig(t, m.ProviderBlock()+`
resource "secureaccess_scim_user" "jane" {
  user_name      = "jane@example.com"
  adopt_existing = true
  on_destroy     = "deactivate"
}
`)
	out := oneLine(tf.Apply(t).Output())
	requireCount(t, "apply", out, "Warning: Existing SCIM User Adopted", 1)
	requireCount(t, "apply", out, "the identity provider may also manage this user", 1)

	out = oneLine(tf.RequireChanges(t, tfexec.Destroy(true)).Output())
	requireCount(t, "plan -destroy", out, "Warning: SCIM User Will Be Deactivated, Not Deleted", 1)
	requireCount(t, "plan -destroy", out, "stays in the Secure Access directory integration", 1)

	tf.Destroy(t)
	u, ok := m.SCIM(t).UserByUserName("jane@example.com")
	if !ok || u.Active == nil || *u.Active {
		t.Errorf("after destroy the user is %+v (found: %v), want it deactivated", u, ok)
	}
}

// TestDiagnostics_keptOtherValues: a service that silently drops what the
// configuration sets (here the Cisco extension) gets one warning per
// object that names the attribute and what the service kept, never
// "Provider produced inconsistent result"; the next plan shows the
// difference again, and once the attribute is removed from the
// configuration the plan is empty.
func TestDiagnostics_keptOtherValues(t *testing.T) {
	t.Parallel()
	q, err := scimserver.ParseQuirks("drop-extension")
	if err != nil {
		t.Fatal(err)
	}
	m := NewMock(t, mockserver.Options{Quirks: q})
	tf := NewTerraform(t)
	user := func(extra string) string {
		return m.ProviderBlock() + `
resource "secureaccess_scim_user" "jane" {
  user_name = "jane@example.com"
` + extra + `}
`
	}
	tf.WriteConfig(t, user(`  native_object_id = "b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11"`+"\n"))
	out := oneLine(tf.Apply(t).Output())
	requireCount(t, "apply", out, "Warning: SCIM Service Kept Other Values", 1)
	requireCount(t, "apply", out, `native_object_id: sent "b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11"; the service kept no value`, 1)
	requireCount(t, "apply", out, "inconsistent result", 0)
	tf.RequireChanges(t)
	tf.WriteConfig(t, user(""))
	tf.Apply(t)
	tf.RequireEmptyPlan(t)
}

// TestDiagnostics_provisioningURLAsBaseURL: the provisioning URL the
// dashboard shows, pasted as base_url, fails the plan with one error that
// says where it goes, instead of a 404 on every SCIM request at
// /identity/v2/scim/identity/v2/scim/Users.
func TestDiagnostics_provisioningURLAsBaseURL(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	tf.WriteConfig(t, fmt.Sprintf(`
provider "secureaccess" {
  base_url   = "%s/identity/v2/scim"
  scim_token = %q
}

resource "secureaccess_scim_user" "jane" {
  user_name = "jane@example.com"
}
`, m.URL, m.SCIMToken))
	out := oneLine(tf.PlanError(t).Stderr)
	requireCount(t, "plan", out, "Error: ", 1)
	requireCount(t, "plan", out, "that is the SCIM provisioning URL the dashboard shows beside the token", 1)
	requireCount(t, "plan", out, "Set base_url to "+m.URL, 1)
	requireCount(t, "plan", out, "404", 0)
}
