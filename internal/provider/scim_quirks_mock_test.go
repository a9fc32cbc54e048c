package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// quirkSets are the mock's quirks in sets that can be on together, each
// set a subtest of TestAccSCIMQuirks (one lifecycle costs about 8 s).
// TestQuirkSetsCoverEveryQuirk fails when a quirk is in none, nor in the
// quirks of TestAccSCIMStoredDifferently or TestAccSCIMMembersHidden. To run the
// lifecycle with one quirk only: SECUREACCESS_MOCK_QUIRKS=<name>.
var quirkSets = map[string]string{
	"response shapes": "json-content-type,no-meta,no-items-per-page,no-start-index,attribute-case,active-string,create-200,selection-ignored",
	"integer ids":     "integer-ids,patch-204,remove-unset-notarget,members-stripped,selection-refused,filter-case-sensitive",
	"base64 ids":      "base64-ids,patch-empty-200,patch-selects-first,ignore-unknown-members,items-per-page-requested",
}

func TestQuirkSetsCoverEveryQuirk(t *testing.T) {
	t.Parallel()
	var all scimserver.Quirks
	others := map[string]string{"TestAccSCIMStoredDifferently": storedDifferently, "TestAccSCIMMembersHidden": membersHidden}
	for name, set := range others {
		q, err := scimserver.ParseQuirks(set)
		if err != nil {
			t.Errorf("quirks of %s: %v", name, err)
		}
		all |= q
	}
	for name, set := range quirkSets {
		q, err := scimserver.ParseQuirks(set)
		if err != nil {
			t.Errorf("quirk set %q: %v", name, err)
		}
		all |= q
	}
	for _, name := range scimserver.QuirkNames() {
		if q, _ := scimserver.ParseQuirks(name); !all.Has(q) {
			t.Errorf("quirk %s is in no set of quirkSets, nor tested by TestAccSCIMStoredDifferently or TestAccSCIMMembersHidden", name)
		}
	}
}

// TestAccSCIMQuirks runs a compact lifecycle of every SCIM resource against
// the mock with its quirks on, a set at a time (quirkSets): what
// independent SCIM servers do differently (the SCIM server compatibility
// guide says which server does what). Users, groups, an authoritative
// member list and an additive membership are created, changed (a rename
// without an external ID, a member added, a user's profile replaced), and
// imported by ID and by natural key, with an empty plan after every apply.
func TestAccSCIMQuirks(t *testing.T) {
	testAccMockOnly(t, "it turns the in-process mock's quirks on")
	for name, set := range quirkSets {
		t.Run(name, func(t *testing.T) {
			q, err := scimserver.ParseQuirks(set)
			if err != nil {
				t.Fatal(err)
			}
			m := newTestMockWith(t, q)
			steps := quirkLifecycle(m)
			if ignoring, _ := scimserver.ParseQuirks("ignore-unknown-members"); q.Has(ignoring) {
				// The service answers success and drops a member it does not
				// know: the apply fails and says so, instead of the next plan
				// wanting to add it again, forever.
				steps = append(steps, resource.TestStep{
					Config: quirkConfig(m, "Quirks Renamed", "Ana B.", "[secureaccess_scim_user.ana.id, secureaccess_scim_user.bo.id]") + `
resource "secureaccess_scim_group_member" "ghost" {
  group_id = secureaccess_scim_group.ops.id
  user_id  = "no-such-user"
}
`,
					ExpectError: regexp.MustCompile(`(?s)Error Creating SCIM Group Member.*lacks\s+1\s+user\(s\)\s+that\s+should\s+be\s+members:\s+\["no-such-user"\].*` +
						`some\s+SCIM\s+services\s+ignore\s+a\s+member\s+they\s+do\s+not\s+know`),
				})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
				CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Quirks", "Quirks Renamed", "Quirks Ops"),
				Steps:                    steps,
			})
		})
	}
}

// quirkConfig is the configuration of quirkLifecycle.
func quirkConfig(m *testMock, groupName, anaDisplayName, members string) string {
	return m.providerConfig() + `
resource "secureaccess_scim_user" "ana" {
  user_name    = "ana@quirks.test"
  display_name = "` + anaDisplayName + `"
  active       = true
  emails       = [{ value = "ana@quirks.test", primary = true }]
}

resource "secureaccess_scim_user" "bo" {
  user_name = "bo@quirks.test"
  active    = true
}

resource "secureaccess_scim_group" "g" {
  display_name = "` + groupName + `"
}

resource "secureaccess_scim_group_members" "g" {
  group_id   = secureaccess_scim_group.g.id
  member_ids = ` + members + `
}

resource "secureaccess_scim_group" "ops" {
  display_name = "Quirks Ops"
}

resource "secureaccess_scim_group_member" "ops_bo" {
  group_id = secureaccess_scim_group.ops.id
  user_id  = secureaccess_scim_user.bo.id
}
`
}

// quirkLifecycle is the lifecycle of TestAccSCIMQuirks.
func quirkLifecycle(m *testMock) []resource.TestStep {
	empty := []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
	return []resource.TestStep{
		{
			Config:           quirkConfig(m, "Quirks", "Ana", "[secureaccess_scim_user.ana.id]"),
			ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
		},
		{
			Config: quirkConfig(m, "Quirks Renamed", "Ana B.", "[secureaccess_scim_user.ana.id, secureaccess_scim_user.bo.id]"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("secureaccess_scim_group.g", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("secureaccess_scim_group_members.g", plancheck.ResourceActionUpdate),
					plancheck.ExpectResourceAction("secureaccess_scim_user.ana", plancheck.ResourceActionUpdate),
				},
				PostApplyPostRefresh: empty,
			},
		},
		// By ID (integer and base64 IDs among them), and by natural key.
		{ResourceName: "secureaccess_scim_group.g", ImportState: true, ImportStateVerify: true},
		{ResourceName: "secureaccess_scim_group.ops", ImportState: true, ImportStateId: "display_name=Quirks Ops", ImportStateVerify: true},
		{ResourceName: "secureaccess_scim_group_member.ops_bo", ImportState: true, ImportStateVerify: true},
		{ResourceName: "secureaccess_scim_user.bo", ImportState: true, ImportStateId: "user_name=bo@quirks.test", ImportStateVerify: true},
	}
}
