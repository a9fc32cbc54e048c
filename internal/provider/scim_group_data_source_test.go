package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

func TestSCIMGroupDataSourceModelFromAPI(t *testing.T) {
	t.Parallel()
	group := scim.Group{ID: "g1", DisplayName: "Engineering", ExternalID: new("00g1"), Members: []scim.Member{{Value: "u2"}, {Value: "u1"}}}
	attrs := scimGroupResourceModel{ID: types.StringValue("g1"), DisplayName: types.StringValue("Engineering"), ExternalID: types.StringValue("00g1")}
	tests := []struct {
		name           string
		includeMembers types.Bool
		want           scimGroupDataSourceModel
	}{
		{
			name:           "members not asked for",
			includeMembers: types.BoolNull(),
			want:           scimGroupDataSourceModel{scimGroupResourceModel: attrs, IncludeMembers: types.BoolNull(), MemberIDs: types.ListNull(types.StringType)},
		},
		{
			name:           "members excluded",
			includeMembers: types.BoolValue(false),
			want:           scimGroupDataSourceModel{scimGroupResourceModel: attrs, IncludeMembers: types.BoolValue(false), MemberIDs: types.ListNull(types.StringType)},
		},
		{
			name:           "members included",
			includeMembers: types.BoolValue(true),
			want:           scimGroupDataSourceModel{scimGroupResourceModel: attrs, IncludeMembers: types.BoolValue(true), MemberIDs: stringList([]string{"u1", "u2"})},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := scimGroupDataSourceModel{IncludeMembers: tt.includeMembers}
			got.fromAPI(&group)
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(scimGroupDataSourceModel{})); diff != "" {
				t.Errorf("fromAPI() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAccSCIMGroupDataSource_basic(t *testing.T) {
	m := newTestTarget(t)
	log := recordSCIMRequests(t, m)
	users := seedGroupUsers(t, m, 2)
	g := seedGroupExternal(t, m, "OKTA - Secure Access Users", "00g1okta", users)
	seedGroup(t, m, "Other")
	config := func(body string) string { return m.providerConfig() + body }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config(fmt.Sprintf(`
data "secureaccess_scim_group" "g" {
  id           = %q
  display_name = %q
}
`, g.ID, m.name("Other"))),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination`),
			},
			{
				Config:      config(fmt.Sprintf(`data "secureaccess_scim_group" "g" { display_name = %q }`, m.name("Nobody"))),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error Reading SCIM Group.*"` + regexp.QuoteMeta(m.name("Nobody")) + `":\s+no\s+group\s+has\s+this\s+display\s+name`),
			},
			{
				PreConfig: log.reset,
				Config: config(fmt.Sprintf(`
data "secureaccess_scim_group" "by_id" {
  id = %q
}

data "secureaccess_scim_group" "by_name" {
  display_name    = %q
  include_members = true
}
`, g.ID, m.name(otherCase("OKTA - Secure Access Users", "okta - secure access users")))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.by_id", tfjsonpath.New("display_name"), knownvalue.StringExact(m.name("OKTA - Secure Access Users"))),
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.by_id", tfjsonpath.New("external_id"), knownvalue.StringExact(m.name("00g1okta"))),
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.by_id", tfjsonpath.New("member_ids"), knownvalue.Null()),
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.by_name", tfjsonpath.New("id"), knownvalue.StringExact(g.ID)),
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.by_name", tfjsonpath.New("display_name"), knownvalue.StringExact(m.name("OKTA - Secure Access Users"))),
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.by_name", tfjsonpath.New("member_ids"),
						knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact(sortedCopy(users[:2])[0]), knownvalue.StringExact(sortedCopy(users[:2])[1])})),
				},
				// One plain read per data source read: nothing has proven
				// excludedAttributes=members in these provider processes, and
				// a data source does not probe (scim.GroupsService.WithoutMembers).
				Check: m.mockCheck(func(*terraform.State) error {
					reads := log.matching("GET /Groups/" + g.ID)
					if len(reads) == 0 {
						return fmt.Errorf("no read of group %s recorded", g.ID)
					}
					for _, line := range reads {
						if line != "GET /Groups/"+g.ID+"?" {
							return fmt.Errorf("read by id sent %q, want a plain read", line)
						}
					}
					return nil
				}),
			},
		},
	})
}

// seedGroupExternal is seedGroup with an external ID (which gets the
// test's prefix too); it returns the group's ID and names.
func seedGroupExternal(t *testing.T, m *testMock, name, externalID string, members []string) scimserver.Group {
	t.Helper()
	name, externalID = m.name(name), m.name(externalID)
	if !m.live {
		g, err := m.scim(t).CreateGroup(scimserver.Group{DisplayName: name, ExternalID: externalID, Members: members})
		if err != nil {
			t.Fatalf("seeding group %q: %v", name, err)
		}
		return g
	}
	g := &scim.Group{DisplayName: name, ExternalID: &externalID}
	for _, id := range members {
		g.Members = append(g.Members, scim.Member{Value: id})
	}
	g, err := m.mustSCIMClient(t).Groups.Create(t.Context(), g)
	if err != nil {
		t.Fatalf("seeding group %q: %v", name, err)
	}
	return scimserver.Group{ID: g.ID, DisplayName: g.DisplayName, ExternalID: externalID}
}

// TestAccSCIMGroupDataSource_filterInjection looks a group up by a
// display_name full of filter syntax, through the data source and through an
// import by natural key: each must find that group only, not the one seeded
// first that a naive, unescaped filter would match.
func TestAccSCIMGroupDataSource_filterInjection(t *testing.T) {
	skipOnServerQuirk(t, quirkFilterEscapesUndecoded, "the group it looks up has \" and \\ in its displayName")
	m := newTestTarget(t)
	seedGroup(t, m, "Engineering")
	const evil = `a\b" or displayName pr or displayName eq "c`
	targetID := seedGroup(t, m, evil)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMGroupsDestroyed(t, m, evil),
		Steps: []resource.TestStep{
			{
				Config: m.providerConfig() + fmt.Sprintf(`
data "secureaccess_scim_group" "evil" {
  display_name = %[1]s
}

import {
  to = secureaccess_scim_group.evil
  id = %[2]s
}

resource "secureaccess_scim_group" "evil" {
  display_name = %[1]s
}
`, strconv.Quote(m.name(evil)), strconv.Quote(groupImportKey+"="+m.name(evil))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_group.evil", tfjsonpath.New("id"), knownvalue.StringExact(targetID)),
					statecheck.ExpectKnownValue("secureaccess_scim_group.evil", tfjsonpath.New("id"), knownvalue.StringExact(targetID)),
				},
			},
		},
	})
}
