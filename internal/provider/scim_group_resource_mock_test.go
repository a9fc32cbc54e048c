package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// The SCIM group tests that only the in-process mock can run: they count
// and record the requests the provider sends.

// TestAccSCIMGroupResource_refreshSkipsMembers checks how refreshing a
// group with 50 members (added behind Terraform's back, as an IdP would)
// leaves them out: the first group read of a provider process reads it
// plainly and with excludedAttributes=members, which the mock honours, so
// the later ones can ask for the members to be left out (see
// scim.GroupsService.GetWithoutMembers).
func TestAccSCIMGroupResource_refreshSkipsMembers(t *testing.T) {
	testAccMockOnly(t, "it counts and records the requests the provider sends, which only the in-process mock sees")
	m := newTestMock(t)
	log := recordSCIMRequests(t, m)
	members := seedGroupUsers(t, m, 50)
	var groupID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Big Group"),
		Steps: []resource.TestStep{
			{
				Config: scimGroupConfig(m, "Big Group", ""),
				Check:  captureAttr(scimGroupAddr, "id", &groupID),
			},
			{
				PreConfig: addMembersAndReset(t, m, log, &groupID, members),
				Config:    scimGroupConfig(m, "Big Group", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkRequestCounts(m, map[string]int{statsGetGroup: 2, statsListGroups: 0, statsPatchGroup: 0, statsPutGroup: 0}),
					log.expect("GET /Groups", func() []string {
						return []string{"GET /Groups/" + groupID + "?", "GET /Groups/" + groupID + "?excludedAttributes=members"}
					}),
				),
			},
		},
	})
}
