package provider

import (
	"fmt"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// The secureaccess_scim_group_members tests that only the in-process mock
// can run: they count and record the requests the provider sends.

// TestAccSCIMGroupMembersResource_efficiency checks the request counts: a
// 250-member set is created with one read and 3 PATCHes (taking over the
// group, whose one foreign member is removed in the same requests), a delta
// of k changes costs ⌈k/100⌉ PATCHes, and destroy removes only the members
// in state.
func TestAccSCIMGroupMembersResource_efficiency(t *testing.T) {
	testAccMockOnly(t, "it counts and records the requests the provider sends, which only the in-process mock sees")
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
		m.resetStats()
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
					// No query on a PATCH: a service may apply an attribute
					// selection before the operations. The mock's answer shows
					// the members, which confirms the change without a read.
					log.expect("PATCH /Groups", func() []string {
						return slices.Repeat([]string{"PATCH /Groups/" + groupID + "?"}, 2)
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
