package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

func TestSCIMGroupResourceModelFromAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   scim.Group
		want scimGroupResourceModel
	}{
		{
			name: "full, members ignored",
			in:   scim.Group{ID: "g1", DisplayName: "OKTA - Secure Access Users", ExternalID: new("00g1"), Members: []scim.Member{{Value: "u1"}}},
			want: scimGroupResourceModel{ID: types.StringValue("g1"), DisplayName: types.StringValue("OKTA - Secure Access Users"), ExternalID: types.StringValue("00g1")},
		},
		{
			name: "no external id",
			in:   scim.Group{ID: "g2", DisplayName: "Engineering"},
			want: scimGroupResourceModel{ID: types.StringValue("g2"), DisplayName: types.StringValue("Engineering"), ExternalID: types.StringNull()},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got scimGroupResourceModel
			got.fromAPI(&tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fromAPI() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSCIMGroupResourceModelToAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   scimGroupResourceModel
		want *scim.Group
	}{
		{
			name: "planned create: unknown id, no external id",
			in:   scimGroupResourceModel{ID: types.StringUnknown(), DisplayName: types.StringValue("Engineering"), ExternalID: types.StringNull()},
			want: &scim.Group{DisplayName: "Engineering"},
		},
		{
			name: "with external id",
			in:   scimGroupResourceModel{ID: types.StringValue("g1"), DisplayName: types.StringValue("OKTA - Secure Access Users"), ExternalID: types.StringValue("00g1")},
			want: &scim.Group{ID: "g1", DisplayName: "OKTA - Secure Access Users", ExternalID: new("00g1")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.in.toAPI()); diff != "" {
				t.Errorf("toAPI() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestGroupAttributeOps: an update sends what changes and nothing else,
// and never removes an external ID the group does not have (a service may
// answer that with 400 noTarget).
func TestGroupAttributeOps(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		want, have scim.Group
		ops        []scim.PatchOperation
	}{
		"rename, no external id before or after": {
			want: scim.Group{DisplayName: "New"}, have: scim.Group{DisplayName: "Old"},
			ops: []scim.PatchOperation{{Op: scim.OpReplace, Path: "displayName", Value: "New"}},
		},
		"rename, external id kept": {
			want: scim.Group{DisplayName: "New", ExternalID: new("00g1")}, have: scim.Group{DisplayName: "Old", ExternalID: new("00g1")},
			ops: []scim.PatchOperation{{Op: scim.OpReplace, Path: "displayName", Value: "New"}},
		},
		"external id set": {
			want: scim.Group{DisplayName: "G", ExternalID: new("00g1")}, have: scim.Group{DisplayName: "G"},
			ops: []scim.PatchOperation{{Op: scim.OpReplace, Path: "externalId", Value: "00g1"}},
		},
		"external id changed": {
			want: scim.Group{DisplayName: "G", ExternalID: new("00g2")}, have: scim.Group{DisplayName: "G", ExternalID: new("00g1")},
			ops: []scim.PatchOperation{{Op: scim.OpReplace, Path: "externalId", Value: "00g2"}},
		},
		"external id removed": {
			want: scim.Group{DisplayName: "G"}, have: scim.Group{DisplayName: "G", ExternalID: new("00g1")},
			ops: []scim.PatchOperation{{Op: scim.OpRemove, Path: "externalId"}},
		},
		"both": {
			want: scim.Group{DisplayName: "New"}, have: scim.Group{DisplayName: "Old", ExternalID: new("00g1")},
			ops: []scim.PatchOperation{{Op: scim.OpReplace, Path: "displayName", Value: "New"}, {Op: scim.OpRemove, Path: "externalId"}},
		},
		"nothing": {want: scim.Group{DisplayName: "G"}, have: scim.Group{DisplayName: "G"}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.ops, groupAttributeOps(&tt.want, &tt.have)); diff != "" {
				t.Errorf("groupAttributeOps() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// scimGroupConfig is the provider block plus a
// secureaccess_scim_group.okta_users; a non-empty display name and
// external ID get the test's prefix.
func scimGroupConfig(m *testMock, displayName, externalID string) string {
	ext := ""
	if externalID != "" {
		ext = fmt.Sprintf("external_id = %q", m.name(externalID))
	}
	if displayName != "" {
		displayName = m.name(displayName)
	}
	return m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_group" "okta_users" {
  display_name = %q
  %s
}
`, displayName, ext)
}

// addMembersAndReset adds members to the group behind Terraform's back
// through the SCIM API, as an IdP would, then forgets the requests seen so
// far.
func addMembersAndReset(t *testing.T, m *testMock, log *scimRequestLog, groupID *string, members []string) func() {
	return func() {
		if _, err := m.mustSCIMClient(t).Groups.AddMembers(t.Context(), *groupID, members); err != nil {
			t.Fatalf("seeding members: %v", err)
		}
		m.resetStats()
		log.reset()
	}
}

// checkSCIMGroup compares the display name and external ID of the group
// with the id in *groupID, read through the SCIM API, with want's (which
// get the test's prefix when not empty).
func checkSCIMGroup(t *testing.T, m *testMock, groupID *string, wantName, wantExternalID string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := m.scimClient()
		if err != nil {
			return err
		}
		g, err := c.Groups.Get(t.Context(), *groupID, &scim.GetOptions{ExcludedAttributes: []string{"members"}})
		if err != nil {
			return fmt.Errorf("reading group %s: %w", *groupID, err)
		}
		ext := ""
		if g.ExternalID != nil {
			ext = *g.ExternalID
		}
		if wantExternalID != "" {
			wantExternalID = m.name(wantExternalID)
		}
		if g.DisplayName != m.name(wantName) || ext != wantExternalID {
			return fmt.Errorf("group %s is %q (externalId %q), want %q (%q)", *groupID, g.DisplayName, ext, m.name(wantName), wantExternalID)
		}
		return nil
	}
}

func TestAccSCIMGroupResource_basic(t *testing.T) {
	m := newTestTarget(t)
	const name = "OKTA - Secure Access Users"
	var groupID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, name),
		Steps: []resource.TestStep{
			{
				Config: scimGroupConfig(m, name, "00g1okta"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(scimGroupAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(scimGroupAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(m.name(name))),
					statecheck.ExpectKnownValue(scimGroupAddr, tfjsonpath.New("external_id"), knownvalue.StringExact(m.name("00g1okta"))),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					captureAttr(scimGroupAddr, "id", &groupID),
					checkSCIMGroup(t, m, &groupID, name, "00g1okta"),
				),
			},
			{ResourceName: scimGroupAddr, ImportState: true, ImportStateVerify: true},
			{
				ResourceName:      scimGroupAddr,
				ImportState:       true,
				ImportStateId:     "display_name=" + m.name(otherCase(name, "okta - secure access USERS")), // the service compares names without case
				ImportStateVerify: true,
			},
			{
				ResourceName:  scimGroupAddr,
				ImportState:   true,
				ImportStateId: "display_name=" + m.name("Nobody"),
				ExpectError:   regexp.MustCompile(`(?s)"` + regexp.QuoteMeta(m.name("Nobody")) + `":\s+no\s+group\s+has\s+this\s+display\s+name.*secureaccess_scim_groups`),
			},
		},
	})
}

func TestAccSCIMGroupResource_update(t *testing.T) {
	m := newTestTarget(t)
	log := recordSCIMRequests(t, m)
	members := seedGroupUsers(t, m, 2)
	var groupID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Engineering", "Platform Engineering"),
		Steps: []resource.TestStep{
			{
				Config:      scimGroupConfig(m, "", ""),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)display_name.*at least 1`),
			},
			{
				Config: scimGroupConfig(m, "Engineering", "00g1"),
				Check:  captureAttr(scimGroupAddr, "id", &groupID),
			},
			{
				// Members added by an IdP survive a rename: the update is a PATCH of
				// the group's own attributes, never a PUT of the whole group, and
				// no query: a service may apply an attribute selection before the
				// operations.
				PreConfig: addMembersAndReset(t, m, log, &groupID, members),
				Config:    scimGroupConfig(m, "Platform Engineering", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimGroupAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(scimGroupAddr, tfjsonpath.New("display_name"), knownvalue.StringExact(m.name("Platform Engineering"))),
					statecheck.ExpectKnownValue(scimGroupAddr, tfjsonpath.New("external_id"), knownvalue.Null()),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttrPtr(scimGroupAddr, "id", &groupID),
					// The counts first: the other checks send requests.
					m.mockCheck(checkRequestCounts(m, map[string]int{statsPatchGroup: 1, statsPutGroup: 0})),
					checkGroupMembers(t, m, &groupID, members),
					m.mockCheck(log.expect("PATCH /Groups", func() []string { return []string{"PATCH /Groups/" + groupID + "?"} })),
					checkSCIMGroup(t, m, &groupID, "Platform Engineering", ""),
				),
			},
			{
				// A rename to a name another group has: the 409 says what to do.
				PreConfig: func() { seedGroup(t, m, "Taken") },
				Config:    scimGroupConfig(m, "Taken", ""),
				ExpectError: regexp.MustCompile(`(?s)Error Updating SCIM Group.*409\s+Conflict.*` +
					phrase("Another group of the directory already has this display_name (compared without regard to letter case). Choose another display_name")),
			},
		},
	})
}

func TestAccSCIMGroupResource_disappears(t *testing.T) {
	m := newTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Sales"),
		Steps: []resource.TestStep{
			{
				Config: scimGroupConfig(m, "Sales", ""),
				Check: func(s *terraform.State) error {
					id, err := stateAttr(s, scimGroupAddr, "id")
					if err != nil {
						return err
					}
					c, err := m.scimClient()
					if err != nil {
						return err
					}
					if err := c.Groups.Delete(t.Context(), id); err != nil {
						return fmt.Errorf("deleting group %s behind Terraform's back: %w", id, err)
					}
					return nil
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccSCIMGroupResource_leftToService: an external_id the
// configuration leaves unset is the service's (ownership.go): set outside
// Terraform, it is recorded, plans nothing, and a rename keeps it; once
// configured and then removed from the configuration alone, it is cleared.
func TestAccSCIMGroupResource_leftToService(t *testing.T) {
	m := newTestTarget(t)
	var groupID string
	empty := []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, "Left", "Left Renamed"),
		Steps: []resource.TestStep{
			{
				Config: scimGroupConfig(m, "Left", ""),
				Check:  captureAttr(scimGroupAddr, "id", &groupID),
			},
			{
				PreConfig: func() {
					if _, err := m.mustSCIMClient(t).Groups.Patch(t.Context(), groupID, []scim.PatchOperation{
						{Op: scim.OpReplace, Path: "externalId", Value: m.name("00g-idp")},
					}); err != nil {
						t.Fatalf("setting externalId outside Terraform: %v", err)
					}
				},
				Config:           scimGroupConfig(m, "Left Renamed", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
				Check:            checkSCIMGroup(t, m, &groupID, "Left Renamed", "00g-idp"),
			},
			{
				Config:           scimGroupConfig(m, "Left Renamed", "00g-tf"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
			},
			{
				Config: scimGroupConfig(m, "Left Renamed", ""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectUnknownValue(scimGroupAddr, tfjsonpath.New("external_id"))},
					PostApplyPostRefresh: empty,
				},
				Check: checkSCIMGroup(t, m, &groupID, "Left Renamed", ""),
			},
		},
	})
}
