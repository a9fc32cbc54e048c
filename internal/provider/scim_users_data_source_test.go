package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

func TestAccSCIMUsersDataSource_basic(t *testing.T) {
	m := newTestMock(t)
	seedUser(t, m, fullStoreUser)
	seedUser(t, m, scimsp.User{UserName: "john.smith@example.com", Active: false})
	// One more user than a page holds, so that listing them all takes two.
	for i := range scim.DefaultPageSize - 1 {
		seedUser(t, m, scimsp.User{UserName: fmt.Sprintf("bulk-%04d@example.com", i), Active: true})
	}
	userNames := func(names ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(names))
		for i, n := range names {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"user_name": knownvalue.StringExact(n)})
		}
		return knownvalue.ListExact(checks)
	}
	users := tfjsonpath.New("users")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				PreConfig: m.Server.ResetStats,
				Config: m.providerConfig() + `
data "secureaccess_scim_users" "j" {
  filter = "userName sw \"j\""
}

data "secureaccess_scim_users" "all" {}

data "secureaccess_scim_users" "none" {
  filter = "userName eq \"nobody@example.com\""
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.j", users, userNames("jane.doe@example.com", "john.smith@example.com")),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.j", users.AtSliceIndex(0).AtMapKey("emails").AtSliceIndex(0).AtMapKey("value"),
						knownvalue.StringExact("jane.doe@example.com")),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.j", users.AtSliceIndex(1).AtMapKey("active"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.all", users, knownvalue.ListSizeExact(scim.DefaultPageSize+1)),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.none", users, knownvalue.ListSizeExact(0)),
				},
				// Read while planning: one page each for j and none, two for all.
				Check: checkRequestCounts(m, map[string]int{statsListUsers: 4}),
			},
			{
				Config: m.providerConfig() + `
data "secureaccess_scim_users" "bad" {
  filter = "userName zz \"j\""
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error Listing SCIM Users.*Check the filter's syntax`),
			},
		},
	})
}
