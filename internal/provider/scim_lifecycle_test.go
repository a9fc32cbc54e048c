package provider

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// TestAccSCIMLifecycle is the plain lifecycle that broke membership
// handling on two independent SCIM servers (issue 20), in one test that
// runs against the mock, a tenant and each server of make
// testacc-interop: apply users, groups, an authoritative member list and
// an additive membership; rename and change members; drift made on the
// server (an IdP removing and adding members) shown in the plan and
// repaired; a group an IdP pushed imported with its members; destroy.
// Every apply is followed by an empty plan, and every step's result is
// checked on the server, not only in state.
func TestAccSCIMLifecycle(t *testing.T) {
	m := newTestTarget(t)
	users := seedGroupUsers(t, m, 4)
	ana, bo, cy, di := users[0], users[1], users[2], users[3]
	const (
		membersAddr = "secureaccess_scim_group_members.sales"
		memberAddr  = "secureaccess_scim_group_member.ops_cy"
		pushedAddr  = "secureaccess_scim_group_members.pushed"
	)
	var salesID, opsID, pushedID string
	config := func(salesName, salesExternalID string, salesMembers []string, extra string) string {
		ext := ""
		if salesExternalID != "" {
			ext = fmt.Sprintf("external_id = %q", m.name(salesExternalID))
		}
		return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group" "sales" {
  display_name = %q
  %s
}

resource "secureaccess_scim_group_members" "sales" {
  group_id   = secureaccess_scim_group.sales.id
  member_ids = %s
}

resource "secureaccess_scim_group" "ops" {
  display_name = %q
}

resource "secureaccess_scim_group_member" "ops_cy" {
  group_id = secureaccess_scim_group.ops.id
  user_id  = %q
}
%s`, m.name(salesName), ext, hclStrings(salesMembers), m.name("Lifecycle Ops"), cy, extra)
	}
	// The group an IdP pushes, imported with its members by display name
	// through a data source, as an administrator adopting it would.
	pushed := fmt.Sprintf(`
data "secureaccess_scim_group" "pushed" {
  display_name = %[1]q
}

import {
  to = secureaccess_scim_group.pushed
  id = "display_name=%[1]s"
}

resource "secureaccess_scim_group" "pushed" {
  display_name = %[1]q
}

import {
  to = secureaccess_scim_group_members.pushed
  id = data.secureaccess_scim_group.pushed.id
}

resource "secureaccess_scim_group_members" "pushed" {
  group_id   = secureaccess_scim_group.pushed.id
  member_ids = [%[2]q, %[3]q]
}
`, m.name("Lifecycle Pushed"), di, ana)
	emptyAfterApply := resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Lifecycle Sales", "Lifecycle Sales EMEA", "Lifecycle Ops", "Lifecycle Pushed"),
		Steps: []resource.TestStep{
			{
				Config:           config("Lifecycle Sales", "00g-sales", []string{ana, bo}, ""),
				ConfigPlanChecks: emptyAfterApply,
				Check: resource.ComposeAggregateTestCheckFunc(
					captureAttr("secureaccess_scim_group.sales", "id", &salesID),
					captureAttr("secureaccess_scim_group.ops", "id", &opsID),
					checkGroupMembers(t, m, &salesID, []string{ana, bo}),
					checkGroupMembers(t, m, &opsID, []string{cy}),
				),
			},
			{
				// Rename, drop the external ID, swap a member.
				Config: config("Lifecycle Sales EMEA", "", []string{bo, cy}, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("secureaccess_scim_group.sales", plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(membersAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: emptyAfterApply.PostApplyPostRefresh,
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkSCIMGroup(t, m, &salesID, "Lifecycle Sales EMEA", ""),
					checkGroupMembers(t, m, &salesID, sortedCopy([]string{bo, cy})),
					checkGroupMembers(t, m, &opsID, []string{cy}),
				),
			},
			{
				// An IdP writing beside Terraform: it removes bo and adds di to
				// the authoritative list, and removes cy from ops. The plan shows
				// both and the apply puts them back.
				PreConfig: func() {
					c := m.mustSCIMClient(t)
					if _, err := c.Groups.UpdateMembers(t.Context(), salesID, []string{di}, []string{bo}); err != nil {
						t.Fatalf("changing the members of sales: %v", err)
					}
					if err := c.Groups.RemoveMembers(t.Context(), opsID, []string{cy}); err != nil {
						t.Fatalf("removing cy from ops: %v", err)
					}
				},
				Config: config("Lifecycle Sales EMEA", "", []string{bo, cy}, ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(membersAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(memberAddr, plancheck.ResourceActionCreate),
					},
					PostApplyPostRefresh: emptyAfterApply.PostApplyPostRefresh,
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					checkGroupMembers(t, m, &salesID, sortedCopy([]string{bo, cy})),
					checkGroupMembers(t, m, &opsID, []string{cy}),
				),
			},
			{
				// A group the IdP pushed, with di, is imported with its members;
				// the configuration adds ana.
				PreConfig: func() {
					g, err := m.mustSCIMClient(t).Groups.Create(t.Context(), &scim.Group{DisplayName: m.name("Lifecycle Pushed"), Members: []scim.Member{{Value: di}}})
					if err != nil {
						t.Fatalf("pushing a group: %v", err)
					}
					pushedID = g.ID
				},
				Config: config("Lifecycle Sales EMEA", "", []string{bo, cy}, pushed),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("secureaccess_scim_group.pushed", plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction(pushedAddr, plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: emptyAfterApply.PostApplyPostRefresh,
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(pushedAddr, tfjsonpath.New("member_ids"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact(di), knownvalue.StringExact(ana),
					})),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr("secureaccess_scim_group.pushed", "id", &pushedID),
					checkGroupMembers(t, m, &pushedID, sortedCopy([]string{ana, di})),
				),
			},
		},
	})
}

// TestAccSCIMRefresh_batchedAndUnbatched refreshes more users, groups and
// member lists than scim.RefreshThreshold, so that the batched refresh
// lists each collection page by page, and then the same with
// batch_refresh = false, one GET each: both plans are empty, and both show
// a change made on the server to an object read from the listing. Past
// the threshold the refresh probes excludedAttributes=members, which the
// mock honours, and then reads groups without their members (in mock
// mode, checked on the requests).
func TestAccSCIMRefresh_batchedAndUnbatched(t *testing.T) {
	m := newTestTarget(t)
	log := recordSCIMRequests(t, m)
	leftMembersOut := m.mockCheck(func(*terraform.State) error {
		if reads := log.matching("GET /Groups/"); !slices.ContainsFunc(reads, func(l string) bool { return strings.HasSuffix(l, "?excludedAttributes=members") }) {
			return fmt.Errorf("no group read left the members out: %q", reads)
		}
		return nil
	})
	const n = refreshCount
	config := func(batch string) string { return refreshConfig(m, batch) }
	var lastUser, lastGroup string
	drift := func(step string) func() {
		return func() {
			c := m.mustSCIMClient(t)
			if _, err := c.Users.Patch(t.Context(), lastUser, []scim.PatchOperation{{Op: scim.OpReplace, Path: "active", Value: false}}); err != nil {
				t.Fatalf("%s: deactivating a user: %v", step, err)
			}
			if err := c.Groups.RemoveMembers(t.Context(), lastGroup, []string{lastUser}); err != nil {
				t.Fatalf("%s: removing a member: %v", step, err)
			}
		}
	}
	last := fmt.Sprintf("[%d]", n-1)
	changes := []plancheck.PlanCheck{
		plancheck.ExpectResourceAction("secureaccess_scim_user.u"+last, plancheck.ResourceActionUpdate),
		plancheck.ExpectResourceAction("secureaccess_scim_group_member.m"+last, plancheck.ResourceActionCreate),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				Check: resource.ComposeAggregateTestCheckFunc(
					// The flatmap state names count instances "u.12".
					captureAttr(fmt.Sprintf("secureaccess_scim_user.u.%d", n-1), "id", &lastUser),
					captureAttr(fmt.Sprintf("secureaccess_scim_group.g.%d", n-1), "id", &lastGroup),
				),
			},
			{Config: config("  batch_refresh = false\n"), PlanOnly: true},
			{
				PreConfig: func() {
					log.reset()
					drift("batched")()
				},
				Config:           config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: changes, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            leftMembersOut,
			},
			{
				PreConfig: func() {
					log.reset()
					drift("unbatched")()
				},
				Config:           config("  batch_refresh = false\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: changes, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check:            leftMembersOut,
			},
		},
	})
}

// refreshCount is how many users, groups and memberships refreshConfig
// has: past scim.RefreshThreshold.
const refreshCount = scim.RefreshThreshold + 3

// refreshConfig is the configuration of the refresh tests, with batch in
// the provider block.
func refreshConfig(m *testMock, batch string) string {
	return "\nprovider \"secureaccess\" {\n" + m.providerArgs(true) + batch + "}\n" + fmt.Sprintf(`
resource "secureaccess_scim_user" "u" {
  count     = %[1]d
  user_name = "%[2]srefresh-${count.index}@example.com"
  active    = true
}

resource "secureaccess_scim_group" "g" {
  count        = %[1]d
  display_name = "%[2]sRefresh ${count.index}"
}

resource "secureaccess_scim_group_member" "m" {
  count    = %[1]d
  group_id = secureaccess_scim_group.g[count.index].id
  user_id  = secureaccess_scim_user.u[count.index].id
}
`, refreshCount, m.Prefix)
}

// TestAccSCIMRefresh_probeNotProven refreshes past the threshold against
// the mock answering excludedAttributes=members as some servers do, refused
// with a 400 or ignored: the probe leaves the reads plain, and the plan
// after the apply is empty. Unbatched, so that every read is one GET by
// id: a refresh reads each group twice (the group, its membership), and
// one of those reads in each refresh is the probe's selected one.
func TestAccSCIMRefresh_probeNotProven(t *testing.T) {
	testAccMockOnly(t, "it turns the in-process mock's quirks on")
	const unbatched = "  batch_refresh = false\n"
	for _, quirk := range []string{"selection-refused", "selection-ignored"} {
		t.Run(quirk, func(t *testing.T) {
			q, err := scimserver.ParseQuirks(quirk)
			if err != nil {
				t.Fatal(err)
			}
			m := newTestMockWith(t, q)
			log := recordSCIMRequests(t, m)
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				Steps: []resource.TestStep{
					{Config: refreshConfig(m, unbatched)},
					{
						PreConfig:        log.reset,
						Config:           refreshConfig(m, unbatched),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: func(*terraform.State) error {
							reads := log.matching("GET /Groups/")
							var selected []string
							for _, l := range reads {
								if strings.Contains(l, "excludedAttributes") {
									selected = append(selected, l)
								}
							}
							// Proven by mistake, the reads after the probe's would
							// be selected too.
							if refreshes := len(reads) / (2 * refreshCount); len(selected) == 0 || len(selected) > refreshes {
								return fmt.Errorf("%d group reads, %d with excludedAttributes: want the probe's only, one per refresh", len(reads), len(selected))
							}
							return nil
						},
					},
				},
			})
		})
	}
}
