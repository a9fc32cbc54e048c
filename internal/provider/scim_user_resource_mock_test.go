package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// The SCIM user tests that only the in-process mock can run: they count
// the requests the provider sends.

// userRequests is the count of every SCIM user request, from the given
// counts and zero for the others.
func userRequests(counts map[string]int) map[string]int {
	all := map[string]int{statsCreateUser: 0, statsListUsers: 0, statsGetUser: 0, statsReplaceUser: 0, statsPatchUser: 0, statsDeleteUser: 0}
	for k, v := range counts {
		all[k] = v
	}
	return all
}

func TestAccSCIMUserResource_requestCounts(t *testing.T) {
	testAccMockOnly(t, "it counts the requests the provider sends, which only the in-process mock records")
	m := newTestMock(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeTestCheckFunc(
			checkSCIMUsersDestroyed(t, m),
			checkRequestCounts(m, map[string]int{statsDeleteUser: 1, statsPatchUser: 0}),
		),
		Steps: []resource.TestStep{
			{
				// Create: one POST, no read after write.
				PreConfig: m.resetStats,
				Config:    scimUserConfig(m, fullUserBody),
				Check:     checkRequestCounts(m, userRequests(map[string]int{statsCreateUser: 1})),
			},
			{
				// Refresh: one GET; update: one PUT, no read after write.
				PreConfig: m.resetStats,
				Config:    scimUserConfig(m, strings.Replace(fullUserBody, `"Jane Doe"`, `"Jane Q. Doe"`, 1)),
				Check:     checkRequestCounts(m, userRequests(map[string]int{statsGetUser: 1, statsReplaceUser: 1})),
			},
		},
	})
}
