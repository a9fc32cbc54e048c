package e2e

import (
	"fmt"
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

// TestDiagnostics_rejectedSCIMToken: with a wrong SCIM token every resource
// fails with one diagnostic that says so and what to do, without naming the
// object twice; a data source without filter prints none.
func TestDiagnostics_rejectedSCIMToken(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	provider := fmt.Sprintf("provider \"secureaccess\" {\n  base_url   = %q\n  scim_token = \"wrong-scim-token\"\n}\n", m.URL)
	tf.WriteConfig(t, provider+`
resource "secureaccess_scim_user" "u" {
  count     = 3
  user_name = "user${count.index}@example.com"
}
`)
	res := tf.ApplyError(t)
	out := oneLine(res.Stderr)
	requireCount(t, "apply", out, "Error: ", 3)
	requireCount(t, "apply", out, "Error: Error Creating SCIM User", 3)
	requireCount(t, "apply", out, "POST /identity/v2/scim/Users: 401 Unauthorized", 3)
	requireCount(t, "apply", out, "The SCIM provisioning token was rejected", 3)
	requireCount(t, "apply", out, "creating SCIM user", 0)
	for i := range 3 {
		requireCount(t, "apply", out, fmt.Sprintf(`SCIM user "user%d@example.com"`, i), 1)
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
