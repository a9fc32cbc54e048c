package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// Acceptance tests that only the in-process mock can run: they skip in
// live mode (SECUREACCESS_BASE_URL set) and say why.

// TestAccProvider_configurationErrors covers the provider's clear errors:
// missing admin credentials or SCIM token at the first object that needs
// them, plain http to a remote host, and a malformed base_url.
func TestAccProvider_configurationErrors(t *testing.T) {
	testAccMockOnly(t, "it asserts that the mock received no request at all")
	m := newTestMock(t)
	directory := `
resource "secureaccess_directory_integration" "okta" {
  name                = "OKTA Integration"
  identity_provider   = "okta"
  deletion_protection = false
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
	// Besides the provider's checks of the credentials each step sets,
	// when Terraform configures it: a SCIM list of one user, and the admin
	// access token (stats).
	if st := m.stats(); st.Total-st.Count("POST /auth/v2/token") != 0 {
		t.Errorf("%v reached the mock, want no request but the access token", st.Requests)
	}
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
			// Groups: the provider's check at Configure lists one user,
			// with the same max_retries.
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
