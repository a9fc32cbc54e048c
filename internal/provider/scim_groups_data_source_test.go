package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
)

// groupObject is the knownvalue check of one element of groups.
func groupObject(id, displayName string, externalID knownvalue.Check) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":           knownvalue.StringExact(id),
		"display_name": knownvalue.StringExact(displayName),
		"external_id":  externalID,
	})
}

func TestAccSCIMGroupsDataSource_basic(t *testing.T) {
	m := newTestMock(t)
	log := recordSCIMRequests(t, m)
	users := seedGroupUsers(t, m, 1)
	okta, err := m.scim(t).CreateGroup(scimsp.Group{DisplayName: "OKTA - Secure Access Users", ExternalID: "00g1okta", Members: users})
	if err != nil {
		t.Fatalf("seeding a group: %v", err)
	}
	contractors := seedGroup(t, m, "OKTA - Contractors")
	other := seedGroup(t, m, "Other")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      m.providerConfig() + `data "secureaccess_scim_groups" "bad" { filter = "displayName sw" }`,
				PlanOnly:    true,
				ExpectError: refusedFilterError("Error Reading SCIM Groups"),
			},
			m.strictRefuses(resource.TestStep{
				PreConfig: log.reset,
				Config: m.providerConfig() + `
data "secureaccess_scim_groups" "all" {}

data "secureaccess_scim_groups" "okta" {
  filter = "displayName sw \"OKTA\""
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_groups.all", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
						groupObject(okta.ID, "OKTA - Secure Access Users", knownvalue.StringExact("00g1okta")),
						groupObject(contractors, "OKTA - Contractors", knownvalue.Null()),
						groupObject(other, "Other", knownvalue.Null()),
					})),
					statecheck.ExpectKnownValue("data.secureaccess_scim_groups.okta", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
						groupObject(okta.ID, "OKTA - Secure Access Users", knownvalue.StringExact("00g1okta")),
						groupObject(contractors, "OKTA - Contractors", knownvalue.Null()),
					})),
				},
				Check: func(*terraform.State) error {
					lists := log.matching("GET /Groups?")
					if len(lists) == 0 {
						return fmt.Errorf("no group list recorded")
					}
					for _, line := range lists {
						if !strings.Contains(line, "excludedAttributes=members") {
							return fmt.Errorf("listing sent %q, want excludedAttributes=members", line)
						}
					}
					return nil
				},
			}, "Error Reading SCIM Groups"),
		},
	})
}
