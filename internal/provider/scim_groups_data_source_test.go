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

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// groupObject is the knownvalue check of one element of groups listed
// without include_members.
func groupObject(id, displayName string, externalID knownvalue.Check) knownvalue.Check {
	return groupObjectWithMembers(id, displayName, externalID, knownvalue.Null())
}

// groupObjectWithMembers is the knownvalue check of one element of groups
// with its member_ids.
func groupObjectWithMembers(id, displayName string, externalID, memberIDs knownvalue.Check) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":           knownvalue.StringExact(id),
		"display_name": knownvalue.StringExact(displayName),
		"external_id":  externalID,
		"member_ids":   memberIDs,
	})
}

// stringsExact is the knownvalue check of a list holding exactly values,
// in this order.
func stringsExact(values []string) knownvalue.Check {
	checks := make([]knownvalue.Check, len(values))
	for i, v := range values {
		checks[i] = knownvalue.StringExact(v)
	}
	return knownvalue.ListExact(checks)
}

func TestAccSCIMGroupsDataSource_basic(t *testing.T) {
	m := newTestMock(t)
	log := recordSCIMRequests(t, m)
	users := seedGroupUsers(t, m, 1)
	okta, err := m.scim(t).CreateGroup(scimserver.Group{DisplayName: "OKTA - Secure Access Users", ExternalID: "00g1okta", Members: users})
	if err != nil {
		t.Fatalf("seeding a group: %v", err)
	}
	contractors := seedGroup(t, m, "OKTA - Contractors")
	other := seedGroup(t, m, "Other")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      m.providerConfig() + `data "secureaccess_scim_groups" "bad" { filter = "displayName eq 42" }`,
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
				// The listings ask for little: nothing has proven
				// excludedAttributes=members in these provider processes, and a
				// data source does not probe (scim.GroupsService.WithoutMembers).
				Check: func(*terraform.State) error {
					lists := log.matching("GET /Groups?")
					if len(lists) == 0 {
						return fmt.Errorf("no group list recorded")
					}
					for _, line := range lists {
						if strings.Contains(line, "attributes") || strings.Contains(line, "Attributes") {
							return fmt.Errorf("listing sent %q, want no attribute selection", line)
						}
					}
					if gets := log.matching("GET /Groups/"); len(gets) != 0 {
						return fmt.Errorf("read groups one by one: %q; want the listings only", gets)
					}
					return nil
				},
			}, "Error Reading SCIM Groups"),
		},
	})
}

// TestAccSCIMGroupsDataSource_includeMembers lists groups with their sorted
// member IDs in the listing itself (no request per group), an empty group
// with an empty list, and include_members = false like an unset one.
func TestAccSCIMGroupsDataSource_includeMembers(t *testing.T) {
	m := newTestMock(t)
	log := recordSCIMRequests(t, m)
	users := seedGroupUsers(t, m, 3)
	reversed := []string{users[2], users[1], users[0]}
	okta := seedGroup(t, m, "OKTA - Secure Access Users", reversed...)
	one := seedGroup(t, m, "OKTA - Contractors", users[1])
	empty := seedGroup(t, m, "OKTA - Empty")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: log.reset,
				Config: m.providerConfig() + `
data "secureaccess_scim_groups" "with" {
  include_members = true
}

data "secureaccess_scim_groups" "without" {
  include_members = false
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_groups.with", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
						groupObjectWithMembers(okta, "OKTA - Secure Access Users", knownvalue.Null(), stringsExact(users)),
						groupObjectWithMembers(one, "OKTA - Contractors", knownvalue.Null(), stringsExact(users[1:2])),
						groupObjectWithMembers(empty, "OKTA - Empty", knownvalue.Null(), knownvalue.ListSizeExact(0)),
					})),
					statecheck.ExpectKnownValue("data.secureaccess_scim_groups.without", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
						groupObject(okta, "OKTA - Secure Access Users", knownvalue.Null()),
						groupObject(one, "OKTA - Contractors", knownvalue.Null()),
						groupObject(empty, "OKTA - Empty", knownvalue.Null()),
					})),
				},
				// Both read the members from the listing itself (plain, as
				// nothing proved excludedAttributes=members here): no request
				// per group; without include_members they are not kept.
				Check: func(*terraform.State) error {
					if gets := log.matching("GET /Groups/"); len(gets) != 0 {
						return fmt.Errorf("read groups one by one: %q; want the listing only", gets)
					}
					if lists := log.matching("GET /Groups?"); len(lists) == 0 {
						return fmt.Errorf("no group list recorded")
					}
					return nil
				},
			},
		},
	})
}

// TestAccSCIMGroupsDataSource_documentedFilter lists groups with the one
// filter Secure Access documents (displayName eq), with their members, and
// without a filter. It runs in live mode too.
func TestAccSCIMGroupsDataSource_documentedFilter(t *testing.T) {
	m := newTestTarget(t)
	users := seedGroupUsers(t, m, 2)
	okta := seedGroup(t, m, "OKTA - Secure Access Users", users[1], users[0])
	empty := seedGroup(t, m, "OKTA - Empty")
	all := "data.secureaccess_scim_groups.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: m.providerConfig() + fmt.Sprintf(`
data "secureaccess_scim_groups" "okta" {
  filter          = "displayName eq \"%s\""
  include_members = true
}

data "secureaccess_scim_groups" "all" {}
`, m.name(otherCase("OKTA - Secure Access Users", "okta - secure access users"))),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.secureaccess_scim_groups.okta", tfjsonpath.New("groups"), knownvalue.ListExact([]knownvalue.Check{
					groupObjectWithMembers(okta, m.name("OKTA - Secure Access Users"), knownvalue.Null(), stringsExact(users)),
				})),
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckTypeSetElemNestedAttrs(all, "groups.*", map[string]string{"id": okta, "display_name": m.name("OKTA - Secure Access Users")}),
				resource.TestCheckTypeSetElemNestedAttrs(all, "groups.*", map[string]string{"id": empty, "display_name": m.name("OKTA - Empty")}),
			),
		}},
	})
}
