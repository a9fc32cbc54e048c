package provider

import (
	"fmt"
	"regexp"
	"testing"

	acc "github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// Acceptance tests that only the in-process mock can run: they skip in
// live mode (SECUREACCESS_BASE_URL set) and say why.

// TestAccProvider_rejectedCredentials: a wrong SCIM token and a wrong admin
// API key each fail when Terraform configures the provider, with the API's
// answer and what to do about it, whatever the configuration holds.
func TestAccProvider_rejectedCredentials(t *testing.T) {
	testAccMockOnly(t, "it pins the whole error detail of the mock's answers to wrong credentials")
	m := newTestMock(t)
	wrongSCIM := fmt.Sprintf(`
provider "secureaccess" {
  base_url    = %q
  scim_token  = "wrong-scim-token"
  max_retries = 0
}
`, m.URL)
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{
				Config: wrongSCIM + `
resource "secureaccess_scim_user" "jane" {
  user_name = "jane@example.com"
}
`,
				ExpectError: regexp.MustCompile(`(?s)SCIM Provisioning Token Rejected.*GET\s+/identity/v2/scim/Users:\s+401\s+Unauthorized.*` +
					`The\s+SCIM\s+provisioning\s+token\s+was\s+rejected.*secureaccess_provisioning_token.*SECUREACCESS_SCIM_TOKEN`),
			},
			{
				Config: wrongSCIM + `
data "secureaccess_scim_users" "all" {}
`,
				ExpectError: regexp.MustCompile(`(?s)SCIM Provisioning Token Rejected.*GET\s+/identity/v2/scim/Users:\s+401\s+Unauthorized.*` +
					`The\s+SCIM\s+provisioning\s+token\s+was\s+rejected`),
			},
			{
				Config: fmt.Sprintf(`
provider "secureaccess" {
  base_url      = %q
  client_id     = %q
  client_secret = "wrong-client-secret"
  max_retries   = 0
}

resource "secureaccess_directory_integration" "okta" {
  name                = "OKTA Integration"
  identity_provider   = "okta"
  deletion_protection = false
}
`, m.URL, testClientID),
				ExpectError: regexp.MustCompile(`(?s)Secure Access Admin API Key Rejected.*POST\s+/auth/v2/token:\s+401\s+Unauthorized.*` +
					`Check\s+client_id\s+and\s+client_secret.*SECUREACCESS_CLIENT_ID\s+and\s+SECUREACCESS_CLIENT_SECRET.*admin\s+API\s+key`),
			},
		},
	})
}

// TestAccProvider_errorsNameObjectsAsConfigured: a failed refresh names a
// directory integration by its name, a SCIM user by its user_name and a
// SCIM group by its display_name, as the configuration does, with the ID
// after it.
func TestAccProvider_errorsNameObjectsAsConfigured(t *testing.T) {
	m := newTestMock(t)
	cfg := m.providerConfig() + `
resource "secureaccess_directory_integration" "okta" {
  name                = "OKTA Named"
  identity_provider   = "okta"
  deletion_protection = false
}

resource "secureaccess_scim_user" "jane" {
  user_name = "jane@example.com"
}

resource "secureaccess_scim_group" "eng" {
  display_name = "Engineering"
}
`
	// failing makes every read by ID of route answer 500, which is not
	// retried.
	failing := func(route string) func() {
		return func() { m.Server.SetFaults(mockserver.FaultRule{Route: route, Rate500: 1}) }
	}
	readError := func(summary, object string) *regexp.Regexp {
		return regexp.MustCompile(`(?s)` + phrase(summary) + `.*` + phrase(object+" (ID ") + `[^)]+\):\s+GET`)
	}
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: cfg},
			{
				PreConfig: failing("GET /identity/v2/scim/Users/{id}"), Config: cfg,
				ExpectError: readError("Error Reading SCIM User", `SCIM user "jane@example.com"`),
			},
			{
				PreConfig: failing("GET /identity/v2/scim/Groups/{id}"), Config: cfg,
				ExpectError: readError("Error Reading SCIM Group", `SCIM group "Engineering"`),
			},
			{
				PreConfig: failing("GET /admin/v2/directoryIntegrations/{id}"), Config: cfg,
				ExpectError: readError("Error Reading Directory Integration", `Directory integration "OKTA Named"`),
			},
			{PreConfig: func() { m.Server.ClearFaults() }, Config: cfg, PlanOnly: true},
		},
	})
}

// TestAccImport_invalidID imports every resource type that takes an ID or
// a key=value form with an ID in a form it does not accept: the error names
// the forms it does accept, instead of Terraform's "non-existent remote
// object".
func TestAccImport_invalidID(t *testing.T) {
	testAccMockOnly(t, "it asserts that the mock received no request at all")
	m := newTestMock(t)
	cfg := m.providerConfig() + `
resource "secureaccess_directory_integration" "okta" {
  name                = "OKTA Integration"
  identity_provider   = "okta"
  deletion_protection = false
}

resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
}

resource "secureaccess_scim_user" "jane" {
  user_name = "jane@example.com"
}

resource "secureaccess_scim_group" "eng" {
  display_name = "Engineering"
}

resource "secureaccess_scim_group_members" "eng" {
  group_id   = secureaccess_scim_group.eng.id
  member_ids = [secureaccess_scim_user.jane.id]
}
`
	step := func(addr, id, want string) acc.TestStep {
		return acc.TestStep{Config: cfg, ResourceName: addr, ImportState: true, ImportStateId: id, ExpectError: regexp.MustCompile(want)}
	}
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			step("secureaccess_scim_user.jane", "displayName=Jane Doe",
				`(?s)Invalid Import ID.*"displayName=Jane Doe".*secureaccess_scim_user.*SCIM ID.*user_name=<userName>.*"user_name=jane.doe@example.com"`),
			step("secureaccess_scim_group.eng", "name=Engineering",
				`(?s)Invalid Import ID.*"name=Engineering".*secureaccess_scim_group.*SCIM ID.*display_name=<displayName>.*"display_name=OKTA - Secure Access Users"`),
			step("secureaccess_directory_integration.okta", "display_name=OKTA Integration",
				`(?s)Invalid Import ID.*"display_name=OKTA Integration".*secureaccess_directory_integration.*ID.*name=<name>.*"name=OKTA Integration"`),
			step("secureaccess_provisioning_token.okta", "name=OKTA Integration",
				`(?s)Invalid Import ID.*"name=OKTA Integration".*secureaccess_provisioning_token.*ID of the directory integration`),
			step("secureaccess_scim_group_members.eng", "name=Engineering",
				`(?s)Invalid Import ID.*"name=Engineering".*secureaccess_scim_group_members.*SCIM ID of the group.*display_name=<displayName>`),
		},
	})
	// Besides the provider's checks when Terraform configures it: a SCIM
	// list of one user, and the admin access token (stats).
	if st := m.stats(); st.Total-st.Count("POST /auth/v2/token") != 0 {
		t.Errorf("%v reached the mock, want no request but the access token", st.Requests)
	}
}

// TestAccProvider_rejectedTokenOneError: with a wrong SCIM token, eight SCIM
// resources cost one request, the check when Terraform configures the
// provider, whose one error says what to check. (internal/e2e's
// TestDiagnostics_rejectedSCIMToken counts the diagnostics in Terraform's
// output; TestDiagnostics_tokenRevokedDuringApply those of a token revoked
// after that check.)
func TestAccProvider_rejectedTokenOneError(t *testing.T) {
	testAccMockOnly(t, "it counts the requests the mock received")
	m := newTestMock(t)
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{{
			Config: fmt.Sprintf(`
provider "secureaccess" {
  base_url   = %q
  scim_token = "wrong-scim-token"
}

resource "secureaccess_scim_user" "u" {
  count     = 4
  user_name = "user${count.index}@example.com"
}

resource "secureaccess_scim_group" "g" {
  count        = 4
  display_name = "Group ${count.index}"
}
`, m.URL),
			ExpectError: regexp.MustCompile(`(?s)` + phrase("SCIM Provisioning Token Rejected") + `.*` + phrase("401 Unauthorized") + `.*` +
				phrase("The SCIM provisioning token was rejected")),
		}},
	})
	if n := m.Server.Stats().Total; n != 1 {
		t.Errorf("%d requests reached the mock, want 1: the check when the provider is configured, whose 401 fails the plan", n)
	}
}

// TestAccImport_withoutProviderAlias: an import block into a SCIM resource
// that runs with the default provider configuration, which has no SCIM
// token (the aliased secureaccess.scim has it), says that the resource
// block needs provider = secureaccess.scim, and where the import block may
// take it; with the provider argument the import works and the next plan
// is empty.
func TestAccImport_withoutProviderAlias(t *testing.T) {
	testAccMockOnly(t, "it needs a provider block without a SCIM token, which SECUREACCESS_SCIM_TOKEN would fill in")
	m := newTestMock(t)
	providers := fmt.Sprintf(`
provider "secureaccess" {
  base_url      = %[1]q
  client_id     = %[2]q
  client_secret = %[3]q
}

provider "secureaccess" {
  alias      = "scim"
  base_url   = %[1]q
  scim_token = %[4]q
}
`, m.URL, testClientID, testClientSecret, m.SCIMToken)
	user := func(provider string) string {
		return providers + `
resource "secureaccess_scim_user" "jane" {` + provider + `
  user_name = "jane@example.com"
}
`
	}
	acc.ParallelTest(t, acc.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []acc.TestStep{
			{Config: user("\n  provider  = secureaccess.scim")},
			{
				Config: user(""), ResourceName: "secureaccess_scim_user.jane", ImportState: true,
				ImportStateKind: acc.ImportBlockWithID, ImportStateId: "user_name=jane@example.com",
				ExpectError: regexp.MustCompile(`(?s)Missing SCIM Provisioning Token.*` +
					phrase(`The import of "user_name=jane@example.com" into secureaccess_scim_user needs a SCIM provisioning token`) + `.*` +
					phrase(`resource "secureaccess_scim_user" "<name>" {`) + `\s+provider = secureaccess\.scim.*` +
					phrase("When terraform plan -generate-config-out writes the resource block, set provider in the import block instead") + `.*` +
					`import \{\s+provider = secureaccess\.scim\s+to\s+= secureaccess_scim_user\.<name>\s+id\s+= "user_name=jane@example\.com"`),
			},
			{
				Config: user(""), ResourceName: "secureaccess_scim_user.jane", ImportState: true,
				ImportStateKind: acc.ImportBlockWithID, // by the user's ID
				ExpectError:     regexp.MustCompile(`(?s)Missing SCIM Provisioning Token.*The\s+import\s+of\s+"[0-9a-f-]{36}"\s+into\s+secureaccess_scim_user`),
			},
			{
				Config: user("\n  provider  = secureaccess.scim"), ResourceName: "secureaccess_scim_user.jane", ImportState: true,
				ImportStateKind: acc.ImportBlockWithID, ImportStateId: "user_name=jane@example.com",
			},
		},
	})
}
