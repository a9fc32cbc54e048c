package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// Acceptance tests that only the in-process mock can run: they skip in
// live mode (SECUREACCESS_BASE_URL set) and say why.

// TestAccDirectoryIntegrationDataSource_basic reads the bootstrapped
// directory by name (with counts from seeded users and groups), a managed
// one by ID, and the list of both.
func TestAccDirectoryIntegrationDataSource_basic(t *testing.T) {
	testAccMockOnly(t, "it asserts the exact list and user and group counts of every directory integration, which only a fresh mock has")
	m := newTestMock(t)
	store := m.scim(t)
	for _, u := range []string{"jane.doe@example.com", "john.roe@example.com"} {
		if _, err := store.CreateUser(scimserver.User{UserName: u, Active: new(true)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.CreateGroup(scimserver.Group{DisplayName: "OKTA - Secure Access Users"}); err != nil {
		t.Fatal(err)
	}
	config := directoryIntegrationConfig(m, "Entra Integration", "entra_id") + `
data "secureaccess_directory_integration" "by_name" {
  name = "ACCEPTANCE"
}

data "secureaccess_directory_integration" "by_id" {
  id = secureaccess_directory_integration.okta.id
}

data "secureaccess_directory_integrations" "all" {
  depends_on = [secureaccess_directory_integration.okta]
}
`
	byName, byID, all := "data.secureaccess_directory_integration.by_name", "data.secureaccess_directory_integration.by_id", "data.secureaccess_directory_integrations.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      m.adminProviderConfig() + `data "secureaccess_directory_integration" "x" { name = "No Such Directory" }`,
				ExpectError: regexp.MustCompile(`(?s)Error Reading Directory Integration.*No Such Directory.*not found`),
			},
			{
				Config: m.adminProviderConfig() + fmt.Sprintf(`
data "secureaccess_directory_integration" "x" {
  id   = %q
  name = "Acceptance"
}
`, m.DirectoryID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be configured`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("id"), knownvalue.StringExact(m.DirectoryID)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("name"), knownvalue.StringExact("Acceptance")),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("identity_provider"), knownvalue.StringExact("okta")),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("user_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("group_count"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("modified_at"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("name"), knownvalue.StringExact("Entra Integration")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("provisioning_url"), knownvalue.StringExact(m.URL+scimPath)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("user_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("directory_integrations"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Acceptance"), "user_count": knownvalue.Int64Exact(2)}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Entra Integration"), "identity_provider": knownvalue.StringExact("entra_id")}),
					})),
				},
			},
		},
	})
}
