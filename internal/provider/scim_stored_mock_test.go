package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// storedDifferently are the mock's quirks of services that store what
// they are sent differently (ownership.go), all on at once in
// TestAccSCIMStoredDifferently.
const storedDifferently = "fill-name-formatted,fill-display-name,fill-email-primary,lowercase-values,reorder-emails,drop-extension"

// membersHidden is the quirk of a service that stores memberships but
// never shows them, which TestAccSCIMMembersHidden runs.
const membersHidden = "members-hidden"

// storedConfig is the configuration of TestAccSCIMStoredDifferently: ana's
// given name, the group's name and members, and bo's extra attributes.
func storedConfig(m *testMock, given, group, members, bo string) string {
	return m.providerConfig() + `
resource "secureaccess_scim_user" "ana" {
  user_name = "Ana.Lima@Stored.test"
  name      = { given_name = "` + given + `", family_name = "Lima" }
  emails = [
    { value = "Ana.Lima@Stored.test", type = "work" },
    { value = "Ana@Home.Stored.test" },
  ]
}

resource "secureaccess_scim_user" "bo" {
  user_name = "Bo@Stored.test"
` + bo + `}

resource "secureaccess_scim_group" "g" {
  display_name = "` + group + `"
}

resource "secureaccess_scim_group_members" "g" {
  group_id   = secureaccess_scim_group.g.id
  member_ids = ` + members + `
}
`
}

// TestAccSCIMStoredDifferently: against a service that derives
// name.formatted, displayName and an email's primary flag, lower-cases
// userName and email addresses, reorders emails and drops the Cisco
// extension, all at once, the lifecycle converges in one apply per step:
// create, an empty plan, a change of the name's parts (name.formatted is
// derived anew), a member added, a change made outside Terraform repaired,
// an attribute the service drops (shown again by every plan, never an
// error), imports by ID and by natural key that plan nothing, destroy.
// What the configuration leaves unset is what the service holds.
func TestAccSCIMStoredDifferently(t *testing.T) {
	testAccMockOnly(t, "it turns the in-process mock's quirks on")
	q, err := scimserver.ParseQuirks(storedDifferently)
	if err != nil {
		t.Fatal(err)
	}
	m := newTestMockWith(t, q)
	const ana, bo = "secureaccess_scim_user.ana", "secureaccess_scim_user.bo"
	empty := []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
	holds := resource.ComposeAggregateTestCheckFunc(
		resource.TestCheckResourceAttr(ana, "user_name", "Ana.Lima@Stored.test"),
		resource.TestCheckResourceAttr(ana, "emails.0.value", "Ana.Lima@Stored.test"),
		resource.TestCheckResourceAttr(ana, "emails.1.value", "Ana@Home.Stored.test"),
		resource.TestCheckResourceAttr(ana, "emails.0.type", "work"),
		checkUserAsStored(t, m, ana), checkUserAsStored(t, m, bo),
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: resource.ComposeAggregateTestCheckFunc(
			checkSCIMGroupsDestroyed(t, m, "Stored", "Stored Renamed"),
			func(*terraform.State) error {
				if n := len(m.scim(t).Users()); n != 0 {
					return fmt.Errorf("%d users left after destroy", n)
				}
				return nil
			}),
		Steps: []resource.TestStep{
			{
				Config:           storedConfig(m, "Ana", "Stored", "[secureaccess_scim_user.ana.id]", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
				Check: resource.ComposeAggregateTestCheckFunc(holds,
					resource.TestCheckResourceAttr(ana, "display_name", "Ana Lima"),
					resource.TestCheckResourceAttr(ana, "name.formatted", "Ana Lima")),
			},
			{
				// The parts change: name.formatted is the service's to derive
				// anew, display_name stays as it holds it.
				Config: storedConfig(m, "Anna", "Stored Renamed", "[secureaccess_scim_user.ana.id, secureaccess_scim_user.bo.id]", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(ana, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(ana, tfjsonpath.New("name").AtMapKey("formatted")),
						plancheck.ExpectKnownValue(ana, tfjsonpath.New("display_name"), knownvalue.StringExact("Ana Lima")),
						plancheck.ExpectResourceAction(bo, plancheck.ResourceActionNoop),
						plancheck.ExpectResourceAction("secureaccess_scim_group_members.g", plancheck.ResourceActionUpdate),
					},
					PostApplyPostRefresh: empty,
				},
				Check: resource.ComposeAggregateTestCheckFunc(holds,
					resource.TestCheckResourceAttr(ana, "name.formatted", "Anna Lima"),
					resource.TestCheckResourceAttr(ana, "display_name", "Ana Lima")),
			},
			{
				// Changed outside Terraform: what the configuration sets is
				// repaired.
				PreConfig: func() {
					u, ok := m.scim(t).UserByUserName("ana.lima@stored.test")
					if !ok {
						t.Fatal("ana is not in the store")
					}
					if _, err := m.mustSCIMClient(t).Users.Patch(t.Context(), u.ID, []scim.PatchOperation{
						{Op: scim.OpReplace, Path: "name.givenName", Value: "Ann"},
						{Op: scim.OpRemove, Path: `emails[value eq "ana.lima@stored.test"].type`},
					}); err != nil {
						t.Fatalf("changing ana outside Terraform: %v", err)
					}
				},
				Config: storedConfig(m, "Anna", "Stored Renamed", "[secureaccess_scim_user.ana.id, secureaccess_scim_user.bo.id]", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(ana, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: empty,
				},
				Check: resource.ComposeAggregateTestCheckFunc(holds, resource.TestCheckResourceAttr(ana, "name.given_name", "Anna")),
			},
			{
				// The service drops the extension: the apply warns and records
				// the configured value; every plan shows it again.
				Config: storedConfig(m, "Anna", "Stored Renamed", "[secureaccess_scim_user.ana.id, secureaccess_scim_user.bo.id]",
					"  native_object_id = \"b8a4f4b2-0000-4a4c-9d6e-2f3a1c0d9e11\"\n"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(bo, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(bo, tfjsonpath.New("native_object_id"), knownvalue.StringExact("b8a4f4b2-0000-4a4c-9d6e-2f3a1c0d9e11")),
					},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				// Removed from the configuration: nothing left to change.
				Config:           storedConfig(m, "Anna", "Stored Renamed", "[secureaccess_scim_user.ana.id, secureaccess_scim_user.bo.id]", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
				Check:            resource.TestCheckNoResourceAttr(bo, "native_object_id"),
			},
			// Import blocks, by ID and by natural key in another letter case:
			// the plan imports and changes nothing.
			{ResourceName: ana, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
			{ResourceName: ana, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "user_name=ANA.LIMA@stored.test"},
			{ResourceName: bo, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "user_name=bo@stored.test"},
			{ResourceName: "secureaccess_scim_group.g", ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: "display_name=Stored Renamed"},
			{ResourceName: "secureaccess_scim_group_members.g", ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}

// checkUserAsStored checks that the state of the user at addr holds what
// the mock's store holds for what the configuration may leave to the
// service: display_name, name.formatted, and each email's primary flag
// (matched by address without regard to letter case).
func checkUserAsStored(t *testing.T, m *testMock, addr string) resource.TestCheckFunc {
	t.Helper()
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[addr]
		if !ok {
			return fmt.Errorf("%s is not in the state", addr)
		}
		attrs := rs.Primary.Attributes
		u, ok := m.scim(t).User(rs.Primary.ID)
		if !ok {
			return fmt.Errorf("%s: user %s is not in the store", addr, rs.Primary.ID)
		}
		var errs []string
		want := func(attr, stored string) {
			if attrs[attr] != stored {
				errs = append(errs, fmt.Sprintf("%s = %q, the service holds %q", attr, attrs[attr], stored))
			}
		}
		want("display_name", u.DisplayName)
		want("name.formatted", u.Name.Formatted)
		for i := range len(u.Emails) {
			value := attrs[fmt.Sprintf("emails.%d.value", i)]
			for _, e := range u.Emails {
				if strings.EqualFold(e.Value, value) {
					want(fmt.Sprintf("emails.%d.primary", i), fmt.Sprint(e.Primary))
				}
			}
		}
		if len(errs) > 0 {
			return fmt.Errorf("%s: %s", addr, strings.Join(errs, "; "))
		}
		return nil
	}
}

// TestAccSCIMMembersHidden: a service that stores memberships but shows
// every group with "members": [] fails the apply of either membership
// resource with an error that says so, instead of blaming the user IDs.
func TestAccSCIMMembersHidden(t *testing.T) {
	testAccMockOnly(t, "it turns the in-process mock's quirks on")
	q, err := scimserver.ParseQuirks(membersHidden)
	if err != nil {
		t.Fatal(err)
	}
	m := newTestMockWith(t, q)
	users := m.providerConfig() + `
resource "secureaccess_scim_user" "cy" {
  user_name = "cy@hidden.test"
}

resource "secureaccess_scim_group" "g" {
  display_name = "Hidden"
}
`
	hidden := `.*lacks\s+1\s+user\(s\)\s+that\s+should\s+be\s+members.*appears\s+to\s+store\s+memberships\s+without\s+ever\s+showing\s+them`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Hidden"),
		Steps: []resource.TestStep{
			{Config: users},
			{
				Config: users + `
resource "secureaccess_scim_group_members" "g" {
  group_id   = secureaccess_scim_group.g.id
  member_ids = [secureaccess_scim_user.cy.id]
}
`,
				ExpectError: regexp.MustCompile(`(?s)Error Creating SCIM Group Members` + hidden),
			},
			{
				Config: users + `
resource "secureaccess_scim_group_member" "cy" {
  group_id = secureaccess_scim_group.g.id
  user_id  = secureaccess_scim_user.cy.id
}
`,
				ExpectError: regexp.MustCompile(`(?s)Error Creating SCIM Group Member\b` + hidden),
			},
		},
	})
}
