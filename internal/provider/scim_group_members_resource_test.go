package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

const scimGroupMembersAddr = "secureaccess_scim_group_members.okta_users"

func TestSCIMGroupMembersResourceModelFromAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   scim.Group
		want scimGroupMembersResourceModel
	}{
		{
			name: "members",
			in:   scim.Group{ID: "g1", DisplayName: "ignored", Members: []scim.Member{{Value: "u2", Display: "Bob"}, {Value: "u1"}}},
			want: scimGroupMembersResourceModel{ID: types.StringValue("g1"), GroupID: types.StringValue("g1"), MemberIDs: memberIDSet([]string{"u1", "u2"})},
		},
		{
			name: "no members is an empty set",
			in:   scim.Group{ID: "g2"},
			want: scimGroupMembersResourceModel{ID: types.StringValue("g2"), GroupID: types.StringValue("g2"), MemberIDs: memberIDSet(nil)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got scimGroupMembersResourceModel
			got.fromAPI(&tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fromAPI() mismatch (-want +got):\n%s", diff)
			}
			if got.MemberIDs.IsNull() {
				t.Error("fromAPI() set member_ids to null, want a (possibly empty) set")
			}
		})
	}
}

func TestSCIMGroupMembersResourceModelToAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   scimGroupMembersResourceModel
		want *scim.Group
	}{
		{
			name: "members",
			in:   scimGroupMembersResourceModel{ID: types.StringUnknown(), GroupID: types.StringValue("g1"), MemberIDs: memberIDSet([]string{"u2", "u1"})},
			want: &scim.Group{ID: "g1", Members: []scim.Member{{Value: "u2"}, {Value: "u1"}}},
		},
		{
			name: "empty set",
			in:   scimGroupMembersResourceModel{GroupID: types.StringValue("g1"), MemberIDs: memberIDSet(nil)},
			want: &scim.Group{ID: "g1", Members: []scim.Member{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := tt.in.toAPI(context.Background())
			if diags.HasError() {
				t.Fatalf("toAPI() diagnostics: %v", diags)
			}
			if diff := cmp.Diff(memberValues(tt.want.Members), memberValues(got.Members)); diff != "" {
				t.Errorf("toAPI() members mismatch (-want +got):\n%s", diff)
			}
			if got.ID != tt.want.ID {
				t.Errorf("toAPI() ID = %q, want %q", got.ID, tt.want.ID)
			}
		})
	}
}

// scimGroupMembersConfig manages the members of group groupRef (an HCL
// expression) with the seeded user IDs, next to two group resources.
func scimGroupMembersConfig(m *testMock, groupRef string, memberIDs []string) string {
	return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group" "okta_users" {
  display_name = "OKTA - Secure Access Users"
}

resource "secureaccess_scim_group" "contractors" {
  display_name = "OKTA - Contractors"
}

resource "secureaccess_scim_group_members" "okta_users" {
  group_id   = %s
  member_ids = %s
}
`, groupRef, hclStrings(memberIDs))
}

func TestAccSCIMGroupMembersResource_basic(t *testing.T) {
	m := newTestMock(t)
	users := seedGroupUsers(t, m, 3)
	var groupID, contractorsID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "OKTA - Secure Access Users", "OKTA - Contractors"),
		Steps: []resource.TestStep{
			{
				Config:      scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, []string{""}),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)member_ids.*at least 1`),
			},
			{
				Config: scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, users[:2]),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(scimGroupMembersAddr, tfjsonpath.New("member_ids"),
						knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact(users[0]), knownvalue.StringExact(users[1])})),
					statecheck.CompareValuePairs(scimGroupMembersAddr, tfjsonpath.New("group_id"), scimGroupAddr, tfjsonpath.New("id"), compare.ValuesSame()),
					statecheck.CompareValuePairs(scimGroupMembersAddr, tfjsonpath.New("id"), scimGroupAddr, tfjsonpath.New("id"), compare.ValuesSame()),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeAggregateTestCheckFunc(
					captureAttr(scimGroupAddr, "id", &groupID),
					captureAttr("secureaccess_scim_group.contractors", "id", &contractorsID),
					checkGroupMembers(t, m, &groupID, users[:2]),
				),
			},
			{ResourceName: scimGroupMembersAddr, ImportState: true, ImportStateVerify: true},
			{
				Config: scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, users[1:]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupMembersAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkGroupMembers(t, m, &groupID, users[1:]),
			},
			{
				Config: scimGroupMembersConfig(m, `secureaccess_scim_group.contractors.id`, users[1:]),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupMembersAddr, plancheck.ResourceActionReplace)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkGroupMembers(t, m, &groupID, nil),
					checkGroupMembers(t, m, &contractorsID, users[1:]),
				),
			},
		},
	})
}

// TestAccSCIMGroupMembersResource_efficiency checks the request counts: a
// 250-member set is created with one read and 3 PATCHes (taking over the
// group, whose one foreign member is removed in the same requests), a delta
// of k changes costs ⌈k/100⌉ PATCHes, and destroy removes only the members
// in state.
func TestAccSCIMGroupMembersResource_efficiency(t *testing.T) {
	m := newTestMock(t)
	log := recordSCIMRequests(t, m)
	users := seedGroupUsers(t, m, 312)
	foreign, lateForeign := users[310], users[311]
	groupID := seedGroup(t, m, "OKTA - Secure Access Users", foreign)
	config := func(members []string) string {
		return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group_members" "okta_users" {
  group_id   = %q
  member_ids = %s
}
`, groupID, hclStrings(members))
	}
	first := users[:250]
	second := append(append([]string{}, users[60:250]...), users[250:310]...) // remove 60, add 60: 120 changes
	third := append(append([]string{}, second[3:]...), users[:2]...)          // remove 3, add 2: 5 changes
	resetStats := func() {
		m.Server.ResetStats()
		log.reset()
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkGroupMembers(t, m, &groupID, []string{lateForeign}),
		Steps: []resource.TestStep{
			{
				PreConfig: resetStats,
				Config:    config(first),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRequestCounts(m, map[string]int{statsGetGroup: 1, statsPatchGroup: 3, statsPutGroup: 0}),
					checkGroupMembers(t, m, &groupID, first),
				),
			},
			{
				PreConfig: resetStats,
				Config:    config(second),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupMembersAddr, plancheck.ResourceActionUpdate)},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRequestCounts(m, map[string]int{statsGetGroup: 1, statsPatchGroup: 2}),
					// The PATCH answers leave the member list out.
					log.expect("PATCH /Groups", func() []string {
						return slices.Repeat([]string{"PATCH /Groups/" + groupID + "?excludedAttributes=members"}, 2)
					}),
					checkGroupMembers(t, m, &groupID, sortedCopy(second)),
				),
			},
			{
				PreConfig: resetStats,
				Config:    config(third),
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRequestCounts(m, map[string]int{statsGetGroup: 1, statsPatchGroup: 1}),
					checkGroupMembers(t, m, &groupID, sortedCopy(third)),
				),
			},
			{
				// A member added behind Terraform's back is drift to remove. The
				// plan's refresh is not saved, so destroy (which does not refresh)
				// removes only the members in state and leaves this one.
				PreConfig: func() {
					if err := m.scim(t).AddMembers(groupID, lateForeign); err != nil {
						t.Fatalf("adding a member: %v", err)
					}
				},
				Config:             config(third),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccSCIMGroupMembersResource_disappears(t *testing.T) {
	m := newTestMock(t)
	users := seedGroupUsers(t, m, 1)
	groupID := seedGroup(t, m, "Sales")
	config := func(groupID string) string {
		return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group_members" "okta_users" {
  group_id   = %q
  member_ids = %s
}
`, groupID, hclStrings(users))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      config("no-such-group"),
				ExpectError: regexp.MustCompile(`(?s)Error Creating SCIM Group Members.*404.*Check group_id`),
			},
			{
				Config: config(groupID),
				Check: func(*terraform.State) error {
					if !m.scim(t).DeleteGroup(groupID) {
						return fmt.Errorf("group %s was not in the mock", groupID)
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}
