package e2e

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/idppush"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// oktaDirectory is what "Okta" pushes on day 1 in the IdP push tests:
// users with Okta's user IDs, and groups of them by userName.
func oktaDirectory(groups map[string][]string, users ...string) *idppush.Directory {
	dir := &idppush.Directory{}
	for _, first := range users {
		name := strings.ToUpper(first[:1]) + first[1:]
		dir.Users = append(dir.Users, idppush.User{
			UserName: first + "@example.com", GivenName: name, FamilyName: "Example", DisplayName: name + " Example",
			Email: first + "@example.com", ExternalID: "00u1" + first,
		})
	}
	for _, name := range slices.Sorted(maps.Keys(groups)) {
		var members []string
		for _, m := range groups[name] {
			members = append(members, m+"@example.com")
		}
		dir.Groups = append(dir.Groups, idppush.Group{DisplayName: "OKTA - " + name, ExternalID: "00g1" + strings.ToLower(name), Members: members})
	}
	return dir
}

// pushLines pushes dir as Okta does and returns the lines of its changes.
func pushLines(t *testing.T, scimURL, token string, dir *idppush.Directory) []string {
	t.Helper()
	client, err := idppush.New(scimURL, token, idppush.Options{})
	if err != nil {
		t.Fatal(err)
	}
	changes, err := client.Push(t.Context(), dir)
	lines := make([]string, len(changes))
	for i, c := range changes {
		lines[i] = c.String()
	}
	if err != nil {
		t.Fatalf("IdP push: %v (after %q)", err, lines)
	}
	t.Logf("Okta's push, %d changes:\n\t%s", len(lines), strings.Join(lines, "\n\t"))
	return lines
}

// rehearsalUsers takes over the users an identity provider pushed (those
// with an externalId) the way examples/import-okta-groups takes over the
// groups: keyed by SCIM ID, every value from the directory.
const rehearsalUsers = `
data "secureaccess_scim_users" "all" {}

locals {
  okta_users = {
    for u in data.secureaccess_scim_users.all.users : u.id => u
    if u.external_id != null
  }
}

import {
  for_each = local.okta_users
  to       = secureaccess_scim_user.okta[each.key]
  id       = each.key
}

resource "secureaccess_scim_user" "okta" {
  for_each = local.okta_users

  user_name    = each.value.user_name
  display_name = each.value.display_name
  external_id  = each.value.external_id
  active       = each.value.active
}
`

// TestIdPPush_rehearsal runs the whole story once, with the mock playing
// Okta (internal/idppush): Terraform creates the directory integration
// and its provisioning token; Okta, given the token from Terraform's
// output, pushes five users and two groups; Terraform takes them over with
// examples/import-okta-groups (and the same for_each import of the users)
// in a plan that only imports, and the next plan is empty. Terraform then
// becomes the writer (section 4 of the import guide: the values written
// down, a user's active left to its default, true), and Okta pushes
// again: a new displayName, a deactivation, a member removed. The next
// plan shows exactly those three changes, as updates that would undo them.
func TestIdPPush_rehearsal(t *testing.T) {
	t.Parallel()
	start := time.Now()
	m := NewMock(t, mockserver.Options{})

	// Day 0: the directory integration for Okta and its token.
	admin := NewTerraform(t)
	admin.WriteConfig(t, fmt.Sprintf(`
provider "secureaccess" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
}

resource "secureaccess_directory_integration" "okta" {
  name              = "OKTA Integration"
  identity_provider = "okta"
}

resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
  expires_in_days          = 180
}

# What Okta's Cisco User Management Connector is given.
output "provisioning_url" {
  value = secureaccess_directory_integration.okta.provisioning_url
}

output "scim_token" {
  value     = secureaccess_provisioning_token.okta.token
  sensitive = true
}
`, m.URL, TestClientID, TestClientSecret))
	admin.Apply(t)
	outputs, err := admin.Exec.Output(t.Context())
	if err != nil {
		t.Fatalf("terraform output: %v", err)
	}
	var scimURL, token string
	if err := errors.Join(json.Unmarshal(outputs["provisioning_url"].Value, &scimURL), json.Unmarshal(outputs["scim_token"].Value, &token)); err != nil {
		t.Fatalf("outputs: %v", err)
	}
	dirID := ID(admin.StateByType(t)["secureaccess_directory_integration"][0])
	st, ok := m.Store().DirectorySCIM(dirID)
	if !ok {
		t.Fatalf("directory integration %s is not in the mock", dirID)
	}
	t.Logf("day 0, Terraform: directory integration and token in %s", time.Since(start))

	// Day 1: Okta pushes.
	day1 := oktaDirectory(map[string][]string{
		"Engineering": {"alice", "bob", "carol"},
		"Sales":       {"dave", "erin"},
	}, "alice", "bob", "carol", "dave", "erin")
	got := pushLines(t, scimURL, token, day1)
	want := []string{
		"user alice@example.com: created", "user bob@example.com: created", "user carol@example.com: created",
		"user dave@example.com: created", "user erin@example.com: created",
		`group "OKTA - Engineering": created`,
		`group "OKTA - Engineering": added member alice@example.com`,
		`group "OKTA - Engineering": added member bob@example.com`,
		`group "OKTA - Engineering": added member carol@example.com`,
		`group "OKTA - Sales": created`,
		`group "OKTA - Sales": added member dave@example.com`,
		`group "OKTA - Sales": added member erin@example.com`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("day 1 push (-want +got):\n%s", diff)
	}
	if users, groups := st.Counts(); users != 5 || groups != 2 {
		t.Fatalf("Okta's directory holds %d users and %d groups, want 5 and 2", users, groups)
	}
	if users, groups := m.SCIM(t).Counts(); users+groups != 0 {
		t.Errorf("the push reached another directory integration: %d users, %d groups", users, groups)
	}
	id := func(userName string) string {
		t.Helper()
		u, ok := st.UserByUserName(userName + "@example.com")
		if !ok {
			t.Fatalf("user %s is not in the mock", userName)
		}
		return u.ID
	}
	group := func(name string) scimserver.Group {
		t.Helper()
		g, ok := st.GroupByDisplayName("OKTA - " + name)
		if !ok {
			t.Fatalf("group OKTA - %s is not in the mock", name)
		}
		return g
	}
	eng, sales := group("Engineering"), group("Sales")

	// The takeover, with the token from the same output.
	tf := NewTerraform(t, "SECUREACCESS_BASE_URL="+m.URL, "SECUREACCESS_SCIM_TOKEN="+token)
	for _, name := range []string{"main.tf", "versions.tf", "versions.tofu"} {
		src, err := os.ReadFile(filepath.Join(importExample, name))
		if err != nil {
			t.Fatal(err)
		}
		tf.WriteFile(t, name, string(src))
	}
	tf.WriteFile(t, "users.tf", rehearsalUsers)
	plan := savePlan(t, tf, "takeover.tfplan", "Plan: 9 to import, 0 to add, 0 to change, 0 to destroy.")
	var imported []string
	for _, rc := range plan.ResourceChanges {
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if !rc.Change.Actions.NoOp() || rc.Change.Importing == nil {
			t.Errorf("%s: actions %v, importing %v; want a no-op import", rc.Address, rc.Change.Actions, rc.Change.Importing)
		}
		imported = append(imported, rc.Address)
	}
	wantImported := []string{
		fmt.Sprintf("secureaccess_scim_group.okta[%q]", eng.ID), fmt.Sprintf("secureaccess_scim_group.okta[%q]", sales.ID),
		fmt.Sprintf("secureaccess_scim_group_members.okta[%q]", eng.ID), fmt.Sprintf("secureaccess_scim_group_members.okta[%q]", sales.ID),
	}
	for _, u := range []string{"alice", "bob", "carol", "dave", "erin"} {
		wantImported = append(wantImported, fmt.Sprintf("secureaccess_scim_user.okta[%q]", id(u)))
	}
	slices.Sort(imported)
	slices.Sort(wantImported)
	if diff := cmp.Diff(wantImported, imported); diff != "" {
		t.Errorf("the takeover imports (-want +got):\n%s", diff)
	}
	if t.Failed() {
		t.FailNow() // never apply a plan that would write
	}
	tf.Apply(t, tfexec.DirOrPlan("takeover.tfplan"))
	tf.RequireEmptyPlan(t)
	t.Logf("day 1, Okta's push and Terraform's takeover: %s", time.Since(start))

	// Terraform becomes the writer: the values it imported, written down.
	if err := os.Remove(filepath.Join(tf.Dir, "users.tf")); err != nil {
		t.Fatal(err)
	}
	tf.WriteConfig(t, writerConfig(t, tf))
	tf.RequireEmptyPlan(t)

	// Day 2: Okta pushes changes.
	day2 := oktaDirectory(map[string][]string{
		"Engineering": {"alice", "bob"},
		"Sales":       {"dave", "erin"},
	}, "alice", "bob", "carol", "dave", "erin")
	day2.Users[0].DisplayName = "Alice Adams"
	day2.Users[1].Active = new(false)
	got = pushLines(t, scimURL, token, day2)
	want = []string{
		"user alice@example.com: updated displayName",
		"user bob@example.com: deactivated",
		`group "OKTA - Engineering": removed member carol@example.com`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("day 2 push (-want +got):\n%s", diff)
	}

	// The plan shows exactly what Okta changed, as changes back.
	plan = savePlan(t, tf, "day2.tfplan", "Plan: 0 to add, 3 to change, 0 to destroy.")
	wantChanges := map[string]string{
		fmt.Sprintf("secureaccess_scim_user.okta[%q]", id("alice")):     `update: display_name "Alice Adams" -> "Alice Example"`,
		fmt.Sprintf("secureaccess_scim_user.okta[%q]", id("bob")):       "update: active false -> true",
		fmt.Sprintf("secureaccess_scim_group_members.okta[%q]", eng.ID): fmt.Sprintf("update: member_ids %s -> %s", ids(id("alice"), id("bob")), ids(id("alice"), id("bob"), id("carol"))),
	}
	planned := plannedChanges(plan)
	if diff := cmp.Diff(wantChanges, planned); diff != "" {
		t.Errorf("the plan after Okta's second push (-want +got):\n%s", diff)
	}
	for _, address := range slices.Sorted(maps.Keys(planned)) {
		t.Logf("planned: %s %s", address, planned[address])
	}
	t.Logf("whole test: %s", time.Since(start))
}

// TestIdPPush_whoWins: Okta pushes a new member into three groups whose
// members Terraform manages three ways. Where secureaccess_scim_group_members
// sets member_ids (authoritative), the next plan removes the member; where
// secureaccess_scim_group_member manages one membership (additive), and
// where member_ids come from the data source (the takeover example's way),
// it plans nothing. After the apply, Okta's next push adds the member
// again: the last writer wins.
func TestIdPPush_whoWins(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	day1 := oktaDirectory(map[string][]string{
		"Engineering": {"alice", "bob"}, // authoritative, member_ids written down
		"Sales":       {"carol"},        // additive, one membership
		"Support":     {"alice"},        // authoritative, member_ids from the data source
	}, "alice", "bob", "carol", "dave")
	pushLines(t, m.SCIMURL(), m.SCIMToken, day1)

	tf := NewTerraform(t)
	tf.WriteConfig(t, m.ProviderBlock()+`
data "secureaccess_scim_user" "alice" { user_name = "alice@example.com" }
data "secureaccess_scim_user" "bob" { user_name = "bob@example.com" }
data "secureaccess_scim_user" "carol" { user_name = "carol@example.com" }

data "secureaccess_scim_group" "engineering" { display_name = "OKTA - Engineering" }
data "secureaccess_scim_group" "sales" { display_name = "OKTA - Sales" }
data "secureaccess_scim_group" "support" {
  display_name    = "OKTA - Support"
  include_members = true
}

import {
  to = secureaccess_scim_group_members.engineering
  id = data.secureaccess_scim_group.engineering.id
}

resource "secureaccess_scim_group_members" "engineering" {
  group_id   = data.secureaccess_scim_group.engineering.id
  member_ids = [data.secureaccess_scim_user.alice.id, data.secureaccess_scim_user.bob.id]
}

import {
  to = secureaccess_scim_group_member.sales_carol
  id = "${data.secureaccess_scim_group.sales.id}/${data.secureaccess_scim_user.carol.id}"
}

resource "secureaccess_scim_group_member" "sales_carol" {
  group_id = data.secureaccess_scim_group.sales.id
  user_id  = data.secureaccess_scim_user.carol.id
}

import {
  to = secureaccess_scim_group_members.support
  id = data.secureaccess_scim_group.support.id
}

resource "secureaccess_scim_group_members" "support" {
  group_id   = data.secureaccess_scim_group.support.id
  member_ids = data.secureaccess_scim_group.support.member_ids
}
`)
	if res := tf.Apply(t); !strings.Contains(res.Stdout, "Resources: 3 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Fatalf("the import:\n%s", lastLines(res.Stdout, 5))
	}
	tf.RequireEmptyPlan(t)

	// Okta adds dave to every group.
	day2 := oktaDirectory(map[string][]string{
		"Engineering": {"alice", "bob", "dave"},
		"Sales":       {"carol", "dave"},
		"Support":     {"alice", "dave"},
	}, "alice", "bob", "carol", "dave")
	want := []string{
		`group "OKTA - Engineering": added member dave@example.com`,
		`group "OKTA - Sales": added member dave@example.com`,
		`group "OKTA - Support": added member dave@example.com`,
	}
	if diff := cmp.Diff(want, pushLines(t, m.SCIMURL(), m.SCIMToken, day2)); diff != "" {
		t.Fatalf("day 2 push (-want +got):\n%s", diff)
	}
	st := m.SCIM(t)
	userID := func(name string) string {
		u, _ := st.UserByUserName(name + "@example.com")
		return u.ID
	}
	members := func(name string) []string {
		g, _ := st.GroupByDisplayName("OKTA - " + name)
		return g.Members
	}

	// Only the authoritative member list that is written down plans the
	// IdP's member away.
	plan := savePlan(t, tf, "day2.tfplan", "Plan: 0 to add, 1 to change, 0 to destroy.")
	wantChanges := map[string]string{
		"secureaccess_scim_group_members.engineering": fmt.Sprintf("update: member_ids %s -> %s",
			ids(userID("alice"), userID("bob"), userID("dave")), ids(userID("alice"), userID("bob"))),
	}
	if diff := cmp.Diff(wantChanges, plannedChanges(plan)); diff != "" {
		t.Errorf("the plan after Okta's push (-want +got):\n%s", diff)
	}
	tf.Apply(t, tfexec.DirOrPlan("day2.tfplan"))
	for name, want := range map[string][]string{
		"Engineering": sortedIDs([]string{userID("alice"), userID("bob")}),
		"Sales":       sortedIDs([]string{userID("carol"), userID("dave")}),
		"Support":     sortedIDs([]string{userID("alice"), userID("dave")}),
	} {
		if diff := cmp.Diff(want, members(name)); diff != "" {
			t.Errorf("OKTA - %s members after the apply (-want +got):\n%s", name, diff)
		}
	}

	// Okta's next push puts dave back: the last writer wins.
	want = []string{`group "OKTA - Engineering": added member dave@example.com`}
	if diff := cmp.Diff(want, pushLines(t, m.SCIMURL(), m.SCIMToken, day2)); diff != "" {
		t.Errorf("Okta's push after the apply (-want +got):\n%s", diff)
	}
}

// writerConfig is the configuration of the takeover with every value
// written down instead of read from the data sources: Terraform is the
// writer of what it sets (section 4 of the import guide), and of a user's
// active, which defaults to true. The addresses stay those of the
// takeover.
func writerConfig(t *testing.T, tf *Terraform) string {
	t.Helper()
	var b strings.Builder
	b.WriteString("provider \"secureaccess\" {}\n\nlocals {\n  okta_users = {\n")
	state := tf.StateByType(t)
	for _, r := range state["secureaccess_scim_user"] {
		v := r.AttributeValues
		if v["active"] != true {
			t.Fatalf("%s is not active: the writer's configuration leaves active to its default, true", r.Address)
		}
		fmt.Fprintf(&b, "    %q = { user_name = %s, display_name = %s, external_id = %s }\n",
			r.Index, hcl(v["user_name"]), hcl(v["display_name"]), hcl(v["external_id"]))
	}
	b.WriteString("  }\n  okta_groups = {\n")
	members := map[any]any{}
	for _, r := range state["secureaccess_scim_group_members"] {
		members[r.Index] = r.AttributeValues["member_ids"]
	}
	for _, r := range state["secureaccess_scim_group"] {
		v := r.AttributeValues
		fmt.Fprintf(&b, "    %q = { display_name = %s, external_id = %s, member_ids = %s }\n",
			r.Index, hcl(v["display_name"]), hcl(v["external_id"]), hcl(members[r.Index]))
	}
	b.WriteString(`  }
}

resource "secureaccess_scim_user" "okta" {
  for_each = local.okta_users

  user_name    = each.value.user_name
  display_name = each.value.display_name
  external_id  = each.value.external_id
  # active is left to its default, true: Terraform owns it all the same.
}

resource "secureaccess_scim_group" "okta" {
  for_each = local.okta_groups

  display_name = each.value.display_name
  external_id  = each.value.external_id
}

resource "secureaccess_scim_group_members" "okta" {
  for_each = local.okta_groups

  group_id   = secureaccess_scim_group.okta[each.key].id
  member_ids = each.value.member_ids
}

output "okta_groups" {
  value = { for id, g in local.okta_groups : g.display_name => id }
}
`)
	return b.String()
}

// hcl writes a state value (string, bool, null or a list of strings) as an
// HCL literal.
func hcl(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case string:
		return strconv.Quote(v)
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = hcl(e)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	}
	panic(fmt.Sprintf("hcl: %T", v))
}

// plannedChanges is each planned change but no-ops, by address: its
// actions and the attributes it changes, `update: active false -> true`
// (lists of IDs sorted).
func plannedChanges(plan *tfjson.Plan) map[string]string {
	out := map[string]string{}
	for _, rc := range plan.ResourceChanges {
		if rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		var attrs []string
		for _, k := range slices.Sorted(maps.Keys(after)) {
			if !cmp.Equal(before[k], after[k]) {
				attrs = append(attrs, fmt.Sprintf("%s %s -> %s", k, planValue(before[k]), planValue(after[k])))
			}
		}
		out[rc.Address] = Actions(rc.Change.Actions) + ": " + strings.Join(attrs, ", ")
	}
	return out
}

// planValue writes a planned value: JSON, lists of strings sorted.
func planValue(v any) string {
	if list, ok := v.([]any); ok {
		s := make([]string, len(list))
		for i, e := range list {
			s[i], _ = e.(string)
		}
		return ids(s...)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// ids is a list of IDs as planValue writes it: sorted, JSON.
func ids(values ...string) string {
	b, _ := json.Marshal(sortedIDs(values))
	return string(b)
}
