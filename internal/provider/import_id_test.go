package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestSplitImportID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id, key   string
		wantValue string
		wantByKey bool
	}{
		{"2819c223-7f76-453a-919d-413861904646", "user_name", "2819c223-7f76-453a-919d-413861904646", false},
		{"user_name=jane@example.com", "user_name", "jane@example.com", true},
		{"user_name=a=b", "user_name", "a=b", true},
		{"display_name=Engineering", "user_name", "display_name=Engineering", false},
		{"display_name=", "display_name", "", true},
	}
	for _, tt := range tests {
		v, byKey := splitImportID(tt.id, tt.key)
		if v != tt.wantValue || byKey != tt.wantByKey {
			t.Errorf("splitImportID(%q, %q) = (%q, %v), want (%q, %v)", tt.id, tt.key, v, byKey, tt.wantValue, tt.wantByKey)
		}
	}
}

func TestParseMemberID(t *testing.T) {
	t.Parallel()
	type parts struct{ GroupID, UserID string }
	tests := []struct {
		name   string
		id     string
		want   parts
		wantOK bool
	}{
		{name: "group and user", id: "g1/u1", want: parts{"g1", "u1"}, wantOK: true},
		{name: "no separator", id: "g1"},
		{name: "empty group", id: "/u1"},
		{name: "empty user", id: "g1/"},
		{name: "three parts", id: "g1/u1/x"},
		{name: "empty", id: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			groupID, userID, ok := parseMemberID(tt.id)
			if ok != tt.wantOK {
				t.Fatalf("parseMemberID(%q) ok = %t, want %t", tt.id, ok, tt.wantOK)
			}
			if diff := cmp.Diff(tt.want, parts{groupID, userID}); diff != "" {
				t.Errorf("parseMemberID(%q) mismatch (-want +got):\n%s", tt.id, diff)
			}
		})
	}
}

func TestFormatMemberID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name            string
		groupID, userID string
		want            string
	}{
		{name: "short", groupID: "g1", userID: "u1", want: "g1/u1"},
		{name: "UUIDs", groupID: "6c1f0b2e-1", userID: "0d9e6a4c-2", want: "6c1f0b2e-1/0d9e6a4c-2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, formatMemberID(tt.groupID, tt.userID)); diff != "" {
				t.Errorf("formatMemberID() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAccImport_nameAsID imports with a user name or a group name where
// the resource takes an ID: the error names the user_name= or display_name=
// form (and the ID), instead of Terraform's "Cannot import non-existent
// remote object"; the form it names imports with an empty plan. An ID that
// looks like an ID and names nothing keeps Terraform's error.
func TestAccImport_nameAsID(t *testing.T) {
	m := newTestTarget(t)
	frank, sales := m.name("frank@acme.test"), m.name("OKTA - Sales")
	config := m.providerConfig() + fmt.Sprintf(`
resource "secureaccess_scim_user" "frank" {
  user_name = %[1]q
}

resource "secureaccess_scim_group" "sales" {
  display_name = %[2]q
}

resource "secureaccess_scim_group_members" "sales" {
  group_id   = secureaccess_scim_group.sales.id
  member_ids = [secureaccess_scim_user.frank.id]
}
`, frank, sales)
	memberConfig := config + `
resource "secureaccess_scim_group_member" "frank" {
  group_id = secureaccess_scim_group.sales.id
  user_id  = secureaccess_scim_user.frank.id
}
`
	hint := func(addr, id, noun, label, form string) resource.TestStep {
		return resource.TestStep{
			Config: config, ResourceName: addr, ImportState: true, ImportStateId: id,
			ExpectError: regexp.MustCompile(`(?s)` + phrase(fmt.Sprintf(`No %s has the ID %q, but the %s with %s %q has the ID "`, noun, id, noun, label, id)) +
				`.*` + phrase(fmt.Sprintf(`in the import block whose id is %q, write`, id)) + `\s+` + phrase(fmt.Sprintf(`id = %q`, form+"="+id))),
		}
	}
	importBlock := func(addr, id string) resource.TestStep {
		return resource.TestStep{Config: config, ResourceName: addr, ImportState: true, ImportStateKind: resource.ImportBlockWithID, ImportStateId: id}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: memberConfig},
			hint("secureaccess_scim_user.frank", frank, "SCIM user", "user_name", userImportKey),
			importBlock("secureaccess_scim_user.frank", "user_name="+frank),
			hint("secureaccess_scim_group.sales", sales, "SCIM group", "display name", groupImportKey),
			importBlock("secureaccess_scim_group.sales", "display_name="+sales),
			hint("secureaccess_scim_group_members.sales", sales, "SCIM group", "display name", groupImportKey),
			importBlock("secureaccess_scim_group_members.sales", "display_name="+sales),
			{
				Config: memberConfig, ResourceName: "secureaccess_scim_group_member.frank", ImportState: true, ImportStateId: sales + "/" + frank,
				ExpectError: regexp.MustCompile(`(?s)` + phrase(fmt.Sprintf(`The import ID %q names the group or the user by name, but it takes their SCIM IDs, <group_id>/<user_id>.`, sales+"/"+frank)) +
					`.*id = "[^"/]+/[^"/]+"`),
			},
			{
				Config: config, ResourceName: "secureaccess_scim_user.frank", ImportState: true, ImportStateId: m.name("nobody@acme.test"),
				ExpectError: regexp.MustCompile(`(?s)` + phrase(fmt.Sprintf(`No SCIM user has the ID or the user_name %q in the directory integration`, m.name("nobody@acme.test"))) +
					`.*` + phrase(fmt.Sprintf(`id = %q`, "user_name="+m.name("nobody@acme.test")))),
			},
			{
				Config: config, ResourceName: "secureaccess_scim_group.sales", ImportState: true, ImportStateId: "3f1c0c1e-0000-4000-8000-00000000dead",
				ExpectError: regexp.MustCompile(`Cannot import non-existent remote object`),
			},
		},
	})
}
