package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
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
		name  string
		in    scim.Group
		prior types.List
		want  []string
	}{
		{
			name:  "no prior state: sorted",
			in:    scim.Group{ID: "g1", DisplayName: "ignored", Members: []scim.Member{{Value: "u2", Display: "Bob"}, {Value: "u1"}}},
			prior: types.ListNull(types.StringType),
			want:  []string{"u1", "u2"},
		},
		{
			name:  "same members keep the prior order",
			in:    scim.Group{ID: "g1", Members: []scim.Member{{Value: "u1"}, {Value: "u2"}, {Value: "u3"}}},
			prior: stringList([]string{"u3", "u1", "u2"}),
			want:  []string{"u3", "u1", "u2"},
		},
		{
			name:  "removed members drop out, new ones follow sorted",
			in:    scim.Group{ID: "g1", Members: []scim.Member{{Value: "u9"}, {Value: "u1"}, {Value: "u5"}, {Value: "u3"}}},
			prior: stringList([]string{"u3", "u2", "u1"}),
			want:  []string{"u3", "u1", "u5", "u9"},
		},
		{
			name:  "no members is an empty list",
			in:    scim.Group{ID: "g2"},
			prior: stringList([]string{"u1"}),
			want:  []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := scimGroupMembersResourceModel{MemberIDs: tt.prior}
			got.fromAPI(&tt.in)
			want := scimGroupMembersResourceModel{ID: types.StringValue(tt.in.ID), GroupID: types.StringValue(tt.in.ID), MemberIDs: stringList(tt.want)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("fromAPI() mismatch (-want +got):\n%s", diff)
			}
			if got.MemberIDs.IsNull() {
				t.Error("fromAPI() set member_ids to null, want a (possibly empty) list")
			}
		})
	}
}

func TestSCIMGroupMembersResourceModelMemberIDs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   types.List
		want []string
	}{
		{name: "sorted", in: stringList([]string{"u2", "u3", "u1"}), want: []string{"u1", "u2", "u3"}},
		{name: "each once", in: stringList([]string{"u2", "u1", "u2"}), want: []string{"u1", "u2"}},
		{name: "empty list", in: stringList(nil), want: []string{}},
		{name: "unknown elements skipped", in: types.ListValueMust(types.StringType, []attr.Value{types.StringUnknown(), types.StringValue("u1")}), want: []string{"u1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := scimGroupMembersResourceModel{GroupID: types.StringValue("g1"), MemberIDs: tt.in}.memberIDs()
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("memberIDs() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// scimGroupMembersConfig manages the members of group groupRef (an HCL
// expression) with the member_ids expression members, next to two group
// resources (whose names get the test's prefix).
func scimGroupMembersConfig(m *testMock, groupRef, members string) string {
	return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group" "okta_users" {
  display_name = %q
}

resource "secureaccess_scim_group" "contractors" {
  display_name = %q
}

resource "secureaccess_scim_group_members" "okta_users" {
  group_id   = %s
  member_ids = %s
}
`, m.name("OKTA - Secure Access Users"), m.name("OKTA - Contractors"), groupRef, members)
}

func TestAccSCIMGroupMembersResource_basic(t *testing.T) {
	m := newTestTarget(t)
	users := seedGroupUsers(t, m, 3)
	var groupID, contractorsID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "OKTA - Secure Access Users", "OKTA - Contractors"),
		Steps: []resource.TestStep{
			{
				Config:      scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, hclStrings([]string{""})),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)member_ids.*at least 1`),
			},
			{
				Config:      scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, hclStrings([]string{users[0], users[1], users[0]})),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Duplicate List Value.*repeats\s+"` + users[0] + `"\s+\(elements\s+0\s+and\s+2\)`),
			},
			{
				Config: scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, hclStrings(users[:2])),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(scimGroupMembersAddr, tfjsonpath.New("member_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(users[0]), knownvalue.StringExact(users[1])})),
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
			{
				// terraform import: the members come back sorted.
				ResourceName:            scimGroupMembersAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"member_ids"},
				ImportStateCheck:        checkImportedMembers(sortedCopy(users[:2])),
			},
			{
				// An import block next to the configuration, whose order differs
				// from the imported one, plans a no-op import.
				ResourceName:    scimGroupMembersAddr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithID,
			},
			{
				// The same members in another order, and as a set: no change,
				// and the state keeps its order.
				Config:           scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, hclStrings([]string{users[1], users[0]})),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(scimGroupMembersAddr, tfjsonpath.New("member_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(users[0]), knownvalue.StringExact(users[1])})),
				},
			},
			{
				Config:           scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, "toset("+hclStrings([]string{users[1], users[0]})+")"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
			},
			{
				Config: scimGroupMembersConfig(m, `secureaccess_scim_group.okta_users.id`, hclStrings(users[1:])),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupMembersAddr, plancheck.ResourceActionUpdate)},
				},
				Check: checkGroupMembers(t, m, &groupID, users[1:]),
			},
			{
				Config: scimGroupMembersConfig(m, `secureaccess_scim_group.contractors.id`, hclStrings(users[1:])),
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

func TestAccSCIMGroupMembersResource_disappears(t *testing.T) {
	m := newTestTarget(t)
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
					c, err := m.scimClient()
					if err != nil {
						return err
					}
					if err := c.Groups.Delete(t.Context(), groupID); err != nil {
						return fmt.Errorf("deleting group %s behind Terraform's back: %w", groupID, err)
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// checkImportedMembers checks that one imported group_members instance
// lists want, in that order.
func checkImportedMembers(want []string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("imported %d instances, want 1", len(states))
		}
		attrs := states[0].Attributes
		if attrs["member_ids.#"] != fmt.Sprint(len(want)) {
			return fmt.Errorf("member_ids.# = %q, want %d", attrs["member_ids.#"], len(want))
		}
		for i, id := range want {
			if got := attrs[fmt.Sprintf("member_ids.%d", i)]; got != id {
				return fmt.Errorf("member_ids.%d = %q, want %q", i, got, id)
			}
		}
		return nil
	}
}
