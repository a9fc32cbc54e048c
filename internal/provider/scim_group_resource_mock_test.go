package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
)

// The SCIM group tests that only the in-process mock can run: they count
// and record the requests the provider sends.

// TestAccSCIMGroupResource_refreshOneRequest checks that refreshing a
// group with 50 members (added behind Terraform's back, as an IdP would)
// costs one plain GET: a refresh of fewer than scim.RefreshThreshold
// groups never probes excludedAttributes=members (see
// scim.RefreshService.Group; TestAccSCIMRefresh_batchedAndUnbatched
// covers a larger one).
func TestAccSCIMGroupResource_refreshOneRequest(t *testing.T) {
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
					checkRequestCounts(m, map[string]int{statsGetGroup: 1, statsListGroups: 0, statsPatchGroup: 0, statsPutGroup: 0}),
					log.expect("GET /Groups", func() []string { return []string{"GET /Groups/" + groupID + "?"} }),
				),
			},
		},
	})
}
