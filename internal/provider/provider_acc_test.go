package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestAccProvider_configurationErrors covers the provider's clear errors:
// missing admin credentials or SCIM token at the first object that needs
// them, plain http to a remote host, and a malformed base_url.
func TestAccProvider_configurationErrors(t *testing.T) {
	testAccMockOnly(t, "it asserts that the mock received no request at all")
	m := newTestMock(t)
	directory := `
resource "secureaccess_directory_integration" "okta" {
  name              = "OKTA Integration"
  identity_provider = "okta"
}
`
	list := `
data "secureaccess_directory_integrations" "all" {}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: fmt.Sprintf(`
provider "secureaccess" {
  base_url   = %q
  scim_token = %q
}
`, m.URL, m.SCIMToken) + directory,
				ExpectError: regexp.MustCompile(`(?s)Missing Secure Access Admin API Credentials.*client_id\s+and\s+client_secret.*SECUREACCESS_CLIENT_ID\s+and\s+SECUREACCESS_CLIENT_SECRET`),
			},
			{
				Config: m.adminProviderConfig() + `
resource "secureaccess_scim_group" "users" {
  display_name = "OKTA - Secure Access Users"
}
`,
				// At plan time: a forgotten provider = secureaccess.<alias>
				// must not wait for the apply to fail.
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Missing SCIM Provisioning Token.*scim_token.*SECUREACCESS_SCIM_TOKEN.*provider\s+=\s+secureaccess.<alias>`),
			},
			{
				Config: fmt.Sprintf(`
provider "secureaccess" {
  base_url      = "http://api.example.com"
  client_id     = %q
  client_secret = %q
}
`, testClientID, testClientSecret) + list,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Secure Access URL.*plain http.*insecure_http`),
			},
			{
				Config: `
provider "secureaccess" {
  base_url = "api.sse.cisco.com"
}
` + list,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid URL.*"api.sse.cisco.com" is not an absolute http or https URL`),
			},
		},
	})
	if n := m.Server.Stats().Total; n != 0 {
		t.Errorf("%d requests reached the mock, want none", n)
	}
}

// TestAccProvider_tokenDrift regenerates the provisioning token behind
// Terraform's back: the next plan creates a new token, and after the apply
// the service rejects both the old token and the one generated elsewhere.
func TestAccProvider_tokenDrift(t *testing.T) {
	m := newAdminTestTarget(t)
	var dirID, oldToken, elsewhere string
	cfg := provisioningTokenConfig(m, "expires_in_days = 90")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkTokensRevoked(m),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(checkTokenActive(t, m), captureAttr(provisioningTokenAddr, "token", &oldToken),
					captureAttr(provisioningTokenAddr, "directory_integration_id", &dirID)),
			},
			{
				PreConfig: func() {
					tok, err := testAdminClient(t, m).ProvisioningTokens.Generate(t.Context(), dirID, nil)
					if err != nil {
						t.Fatalf("regenerating the token: %v", err)
					}
					elsewhere = tok.Token
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(provisioningTokenAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					if err := checkTokenActive(t, m)(s); err != nil {
						return err
					}
					for name, tok := range map[string]string{"old": oldToken, "regenerated elsewhere": elsewhere} {
						if err := checkSCIMToken(t.Context(), m, tok, false); err != nil {
							return fmt.Errorf("%s token: %w", name, err)
						}
					}
					return nil
				},
			},
		},
	})
}

// TestAccProvider_maxRetries: max_retries = 0 sends a request that gets a
// 503 once, as documented, and max_retries = 1 sends it twice.
func TestAccProvider_maxRetries(t *testing.T) {
	testAccMockOnly(t, "it injects 503 faults into the mock and counts the requests")
	for _, tt := range []struct {
		maxRetries, wantRequests int
	}{
		{maxRetries: 0, wantRequests: 1},
		{maxRetries: 1, wantRequests: 2},
	} {
		t.Run(fmt.Sprintf("max_retries=%d", tt.maxRetries), func(t *testing.T) {
			m := newTestMock(t)
			const route = "GET /identity/v2/scim/Groups"
			m.Server.SetFaults(mockserver.FaultRule{Route: route, Rate503: 1})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{{
					Config: fmt.Sprintf(`
provider "secureaccess" {
  base_url    = %q
  scim_token  = %q
  max_retries = %d
}

data "secureaccess_scim_groups" "all" {}
`, m.URL, m.SCIMToken, tt.maxRetries),
					ExpectError: regexp.MustCompile(`503`),
				}},
			})
			if got := m.Server.Stats().Count(route); got != tt.wantRequests {
				t.Errorf("%s was sent %d times, want %d", route, got, tt.wantRequests)
			}
		})
	}
}
