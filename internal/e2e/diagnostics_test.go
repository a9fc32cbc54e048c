package e2e

import (
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
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

// twentyUsers are twenty SCIM users.
const twentyUsers = `
resource "secureaccess_scim_user" "u" {
  count     = 20
  user_name = "user${count.index}@example.com"
}
`

// scimProvider is a provider block with base_url and a SCIM token only,
// and extra lines.
func scimProvider(baseURL, token string, extra ...string) string {
	return fmt.Sprintf("provider \"secureaccess\" {\n  base_url   = %q\n  scim_token = %q\n  %s\n}\n", baseURL, token, strings.Join(extra, "\n  "))
}

// requireOneError checks a command's output: exactly one Error: heading,
// with summary and each of wants once, and no line that points to another
// error.
func requireOneError(t *testing.T, what, out, summary string, wants ...string) {
	t.Helper()
	requireCount(t, what, out, "Error: ", 1)
	for _, want := range append([]string{"Error: " + summary}, wants...) {
		requireCount(t, what, out, want, 1)
	}
	requireCount(t, what, out, "says what to check", 0)
}

// TestDiagnostics_rejectedSCIMToken: with twenty users in the state and a
// wrong SCIM token, terraform plan prints one error, which says that the
// token was rejected and what to do, at the cost of one SCIM request: the
// provider fails when Terraform configures it, before any resource. So do
// an apply that would create eight resources, and a data source.
func TestDiagnostics_rejectedSCIMToken(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	tf.WriteConfig(t, scimProvider(m.URL, m.SCIMToken)+twentyUsers)
	tf.Apply(t)

	wrong := scimProvider(m.URL, "wrong-scim-token")
	tf.WriteConfig(t, wrong+twentyUsers)
	m.ResetStats()
	out := oneLine(tf.PlanError(t).Stderr)
	requireOneError(t, "plan", out, "SCIM Provisioning Token Rejected",
		"GET /identity/v2/scim/Users: 401 Unauthorized: unknown or revoked provisioning token",
		"The SCIM provisioning token was rejected: it is wrong, expired or revoked",
		"Terraform read and changed nothing with this provider configuration.")
	requireCount(t, "plan", out, "wrong-scim-token", 0)
	if stats := m.Stats(); stats.Total != 1 || stats.Count("GET /identity/v2/scim/Users") != 1 {
		t.Errorf("the plan sent %v, want one SCIM request", stats.Requests)
	}

	tf = NewTerraform(t)
	tf.WriteConfig(t, wrong+eightSCIMResources)
	m.ResetStats()
	out = oneLine(tf.ApplyError(t).Stderr)
	requireOneError(t, "apply", out, "SCIM Provisioning Token Rejected", "The SCIM provisioning token was rejected")
	if n := m.Stats().Total; n != 1 {
		t.Errorf("%d requests reached the mock, want 1", n)
	}

	tf.WriteConfig(t, wrong+`
data "secureaccess_scim_users" "all" {}
`)
	out = oneLine(tf.PlanError(t).Stderr)
	requireOneError(t, "plan", out, "SCIM Provisioning Token Rejected", "401 Unauthorized")
	requireCount(t, "plan", out, "filter", 0)
}

// TestDiagnostics_rejectedAdminKey: with directory integrations in the
// state and a wrong client secret, terraform plan prints one error that
// says which settings to check, at the cost of one token request.
func TestDiagnostics_rejectedAdminKey(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	directories := func(secret string) string {
		return fmt.Sprintf(`
provider "secureaccess" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
}

resource "secureaccess_directory_integration" "d" {
  count               = 3
  name                = "admin-key-${count.index}"
  identity_provider   = "okta"
  deletion_protection = false
}
`, m.URL, TestClientID, secret)
	}
	tf.WriteConfig(t, directories(TestClientSecret))
	tf.Apply(t)

	tf.WriteConfig(t, directories("wrong-client-secret"))
	m.ResetStats()
	out := oneLine(tf.PlanError(t).Stderr)
	requireOneError(t, "plan", out, "Secure Access Admin API Key Rejected",
		"POST /auth/v2/token: 401 Unauthorized",
		"Check client_id and client_secret in the provider block, or the SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET environment variables")
	requireCount(t, "plan", out, "wrong-client-secret", 0)
	if stats := m.Stats(); stats.Total != 1 || stats.Count("POST /auth/v2/token") != 1 {
		t.Errorf("the plan sent %v, want one token request", stats.Requests)
	}
}

// TestDiagnostics_adminTokenSpentOnce: the access token obtained when
// Terraform configures the provider is the one the refresh uses: a plan
// of three directory integrations costs one token request, as it did
// before the provider checked the API key.
func TestDiagnostics_adminTokenSpentOnce(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	tf.WriteConfig(t, m.ProviderBlock()+`
resource "secureaccess_directory_integration" "d" {
  count               = 3
  name                = "token-once-${count.index}"
  identity_provider   = "okta"
  deletion_protection = false
}
`)
	tf.Apply(t)
	m.ResetStats()
	tf.RequireEmptyPlan(t)
	stats := m.Stats()
	if n := stats.Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("a plan of three directory integrations sent %d token requests, want 1: %v", n, stats.Requests)
	}
	if n := stats.Count("GET /admin/v2/directoryIntegrations/{id}") + stats.Count("GET /admin/v2/directoryIntegrations"); n == 0 {
		t.Errorf("the plan read no directory integration: %v", stats.Requests)
	}
}

// TestDiagnostics_unreachableService: with twenty users in the state and
// the service stopped, terraform plan prints one error that says what to
// check, after 1 + max_retries connection attempts in all.
func TestDiagnostics_unreachableService(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	tf.WriteConfig(t, scimProvider(m.URL, m.SCIMToken, "max_retries = 2")+twentyUsers)
	tf.Apply(t)
	m.Stop()

	logPath := filepath.Join(t.TempDir(), "terraform.log")
	if err := tf.Exec.SetLog("DEBUG"); err != nil {
		t.Fatal(err)
	}
	if err := tf.Exec.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	out := oneLine(tf.PlanError(t).Stderr)
	requireOneError(t, "plan", out, "Secure Access Not Reachable",
		"after 3 attempts: Get \""+m.URL+"/identity/v2/scim/Users?",
		"Secure Access could not be reached at "+m.URL+". Check base_url in the provider block or the SECUREACCESS_BASE_URL environment variable")
	log, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(log), "secureaccess API request"); n != 3 {
		t.Errorf("%d connection attempts logged, want 3 (1 + max_retries), whatever the number of resources", n)
	}
}

// TestDiagnostics_tokenRevokedDuringApply: a failure that starts after
// the provider was configured, here the SCIM token revoked while eight
// creates are on their way, is still one error that says what to check;
// the seven others point to it in one line.
func TestDiagnostics_tokenRevokedDuringApply(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	// The creates wait at the service long enough for the token to be
	// revoked after the apply's provider checked it (the plan's and the
	// apply's providers each list one user).
	m.SetFaults(mockserver.FaultRule{Route: "POST /identity/v2/scim/Users", Latency: 2 * time.Second},
		mockserver.FaultRule{Route: "POST /identity/v2/scim/Groups", Latency: 2 * time.Second})
	cfg := admin.Config{BaseURL: m.URL, ClientID: TestClientID, ClientSecret: TestClientSecret}
	cfg.RateLimit = math.Inf(1)
	adminClient, err := admin.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	revoked := make(chan error, 1)
	go func() {
		for deadline := time.Now().Add(2 * time.Minute); m.Stats().Count("GET /identity/v2/scim/Users") < 2; time.Sleep(5 * time.Millisecond) {
			if time.Now().After(deadline) {
				revoked <- errors.New("the apply's provider never checked the token")
				return
			}
		}
		revoked <- adminClient.ProvisioningTokens.Revoke(t.Context(), m.DirectoryID)
	}()
	tf := NewTerraform(t)
	tf.WriteConfig(t, scimProvider(m.URL, m.SCIMToken)+eightSCIMResources)
	out := oneLine(tf.ApplyError(t).Stderr)
	if err := <-revoked; err != nil {
		t.Fatalf("revoking the token: %v", err)
	}
	requireCount(t, "apply", out, "Error: ", 8)
	requireCount(t, "apply", out, "The SCIM provisioning token was rejected: it is wrong, expired or revoked", 1)
	requireCount(t, "apply", out, "This provider configuration sends no other request to this API in this run", 1)
	full := regexp.MustCompile(`(SCIM (?:user|group) "[^"]+"): POST /identity/v2/scim/\w+: 401 Unauthorized: unknown or revoked provisioning token The SCIM provisioning token was rejected`).FindStringSubmatch(out)
	if full == nil {
		t.Fatalf("apply: no error names the object whose request met the 401:\n%s", out)
	}
	requireCount(t, "apply", out, "the error for "+full[1]+" says what to check.", 7)
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
