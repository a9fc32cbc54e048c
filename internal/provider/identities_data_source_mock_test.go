package provider

import (
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

func TestAccIdentitiesDataSource_basic(t *testing.T) {
	testAccMockOnly(t, "it asserts every identity of the tenant, which only a fresh mock has")
	m := newTestMock(t)
	store := m.scim(t)
	jane, err := store.CreateUser(scimserver.User{UserName: "jane.doe@example.com", DisplayName: "Jane Doe", Active: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.CreateUser(scimserver.User{UserName: "john.roe@example.com", Active: new(true)}); err != nil {
		t.Fatal(err)
	}
	group, err := store.CreateGroup(scimserver.Group{DisplayName: "OKTA - Secure Access Users"})
	if err != nil {
		t.Fatal(err)
	}
	config := m.adminProviderConfig() + `
data "secureaccess_identities" "jane" {
  search = "JANE"
  types  = ["directory_user"]
}

data "secureaccess_identities" "okta_groups" {
  search = "okta"
  types  = ["directory_group"]
}

data "secureaccess_identities" "all" {}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      m.adminProviderConfig() + `data "secureaccess_identities" "bad" { types = ["directory_computer"] }`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)types.*value must be one of.*"directory_user"`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_identities.jane", tfjsonpath.New("identities"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":    knownvalue.Int64Exact(jane.IdentityID),
							"label": knownvalue.StringExact("Jane Doe (jane.doe@example.com)"),
							"type":  knownvalue.StringExact("directory_user"),
						}),
					})),
					statecheck.ExpectKnownValue("data.secureaccess_identities.okta_groups", tfjsonpath.New("identities"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"id":    knownvalue.Int64Exact(group.IdentityID),
							"label": knownvalue.StringExact("OKTA - Secure Access Users"),
							"type":  knownvalue.StringExact("directory_group"),
						}),
					})),
					statecheck.ExpectKnownValue("data.secureaccess_identities.all", tfjsonpath.New("identities"), knownvalue.ListSizeExact(3)),
				},
			},
		},
	})
}
