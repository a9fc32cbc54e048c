package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

const scimGroupMemberAddr = "secureaccess_scim_group_member.jane"

// scimGroupMemberConfig makes user userID a member of group groupID.
func scimGroupMemberConfig(m *testMock, groupID, userID string) string {
	return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group_member" "jane" {
  group_id = %q
  user_id  = %q
}
`, groupID, userID)
}

// checkNotMember checks, through the SCIM API, that the group does not
// have the user; a group that is gone has no members.
func checkNotMember(t *testing.T, m *testMock, groupID, userID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := m.scimClient()
		if err != nil {
			return err
		}
		g, err := c.Groups.Get(t.Context(), groupID, nil)
		if isNotFound(err) {
			return nil // no group, no membership
		}
		if err != nil {
			return fmt.Errorf("reading group %s: %w", groupID, err)
		}
		for _, mem := range g.Members {
			if mem.Value == userID {
				return fmt.Errorf("user %s is still a member of group %s", userID, groupID)
			}
		}
		return nil
	}
}

func TestAccSCIMGroupMemberResource_basic(t *testing.T) {
	m := newTestTarget(t)
	users := seedGroupUsers(t, m, 3)
	groupID := seedGroup(t, m, "OKTA - Secure Access Users", users[2]) // a member the IdP added
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupMembers(t, m, &groupID, users[2:]),
		Steps: []resource.TestStep{
			{
				Config:      scimGroupMemberConfig(m, groupID, "a/b"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)user_id.*must be a SCIM ID`),
			},
			{
				Config: scimGroupMemberConfig(m, groupID, users[0]),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(scimGroupMemberAddr, tfjsonpath.New("id"), knownvalue.StringExact(groupID+"/"+users[0])),
					statecheck.ExpectKnownValue(scimGroupMemberAddr, tfjsonpath.New("group_id"), knownvalue.StringExact(groupID)),
					statecheck.ExpectKnownValue(scimGroupMemberAddr, tfjsonpath.New("user_id"), knownvalue.StringExact(users[0])),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            checkGroupMembers(t, m, &groupID, []string{users[0], users[2]}),
			},
			{ResourceName: scimGroupMemberAddr, ImportState: true, ImportStateVerify: true},
			{
				ResourceName:  scimGroupMemberAddr,
				ImportState:   true,
				ImportStateId: users[0],
				ExpectError:   regexp.MustCompile(`Expected an import ID of the form <group_id>/<user_id>`),
			},
			{
				Config: scimGroupMemberConfig(m, groupID, users[1]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupMemberAddr, plancheck.ResourceActionReplace)},
				},
				Check: checkGroupMembers(t, m, &groupID, sortedCopy([]string{users[1], users[2]})),
			},
		},
	})
}

func TestAccSCIMGroupMemberResource_disappears(t *testing.T) {
	m := newTestTarget(t)
	users := seedGroupUsers(t, m, 1)
	groupID := seedGroup(t, m, "Sales")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNotMember(t, m, groupID, users[0]),
		Steps: []resource.TestStep{
			{
				Config:      scimGroupMemberConfig(m, "no-such-group", users[0]),
				ExpectError: regexp.MustCompile(`(?s)Error Creating SCIM Group Member.*404.*Check group_id`),
			},
			{
				Config: scimGroupMemberConfig(m, groupID, users[0]),
				Check: func(*terraform.State) error {
					c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: m.SCIMToken})
					if err != nil {
						return err
					}
					return c.Groups.RemoveMembers(t.Context(), groupID, users)
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccSCIMGroupMemberResource_groupDisappears deletes the group behind
// Terraform's back: the refresh finds the group gone (404) and drops the
// membership from the state instead of failing.
func TestAccSCIMGroupMemberResource_groupDisappears(t *testing.T) {
	m := newTestMock(t)
	users := seedGroupUsers(t, m, 1)
	groupID := seedGroup(t, m, "Sales")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkNotMember(t, m, groupID, users[0]),
		Steps: []resource.TestStep{
			{
				Config: scimGroupMemberConfig(m, groupID, users[0]),
				Check: func(*terraform.State) error {
					if !m.scim(t).DeleteGroup(groupID) {
						return fmt.Errorf("group %s was not in the mock", groupID)
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupMemberAddr, plancheck.ResourceActionCreate)},
				},
			},
		},
	})
}

// TestAccSCIMGroupMemberResource_concurrent adds 30 members to one group at
// once, then checks that refreshing them costs one read of the group's
// member list for all 30 (a plain GET /Groups/{id}; before batched refresh
// it cost 30) and no query with a filter, which Secure Access may refuse
// (in mock mode: a live run checks the members and the empty plan only).
func TestAccSCIMGroupMemberResource_concurrent(t *testing.T) {
	m := newTestTarget(t)
	log := recordSCIMRequests(t, m)
	users := seedGroupUsers(t, m, 30)
	groupID := seedGroup(t, m, "OKTA - Secure Access Users")
	config := m.providerConfig() + fmt.Sprintf(`
locals {
  user_ids = %s
}

resource "secureaccess_scim_group_member" "all" {
  count    = length(local.user_ids)
  group_id = %q
  user_id  = local.user_ids[count.index]
}
`, hclStrings(users), groupID)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupMembers(t, m, &groupID, nil),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.ComposeAggregateTestCheckFunc(
					checkGroupMembers(t, m, &groupID, users),
					m.mockCheck(checkRequestCounts(m, map[string]int{statsPatchGroup: 30})),
				),
			},
			{
				PreConfig: func() {
					m.resetStats()
					log.reset()
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					m.mockCheck(checkRequestCounts(m, map[string]int{statsGetGroup: 1, statsListGroups: 0, statsPatchGroup: 0})),
					m.mockCheck(func(*terraform.State) error {
						for _, line := range log.matching("GET /Groups") {
							if line != "GET /Groups/"+groupID+"?" {
								return fmt.Errorf("refresh sent %q, want a plain GET /Groups/%s", line, groupID)
							}
						}
						return nil
					}),
				),
			},
		},
	})
}
