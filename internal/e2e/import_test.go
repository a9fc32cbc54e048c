package e2e

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// importExample is the shipped example TestImport_oktaGroups applies.
const importExample = "../../examples/import-okta-groups"

// TestImport_oktaGroups applies the shipped takeover example
// (examples/import-okta-groups) to a directory where "Okta" already pushed
// a few hundred "OKTA - " groups with members of varied sizes (one group
// empty) next to groups the example must leave alone. The saved plan must
// import exactly each matching group and its member list, at addresses
// keyed by SCIM ID, with the service's values, and plan nothing else: no
// create, update or delete. Applying it must record exactly those in the
// state without writing to the service, and the next plan must be empty.
func TestImport_oktaGroups(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	st := m.SCIM(t)
	start := time.Now()

	nUsers, nOkta := Sized(120, 300), Sized(200, 500)
	users := make([]string, nUsers)
	for i := range users {
		u, err := st.CreateUser(scimserver.User{UserName: fmt.Sprintf("user%04d@example.com", i), Active: new(true)})
		if err != nil {
			t.Fatalf("seeding user %d: %v", i, err)
		}
		users[i] = u.ID
	}
	// members returns n distinct users, a different selection per seed.
	members := func(seed, n int) []string {
		out := make([]string, n)
		for k := range out {
			out[k] = users[(seed*13+k*7)%nUsers] // 7 and nUsers are coprime: no repeats
		}
		return out
	}
	seed := func(g scimserver.Group) scimserver.Group {
		t.Helper()
		g, err := st.CreateGroup(g)
		if err != nil {
			t.Fatalf("seeding group %q: %v", g.DisplayName, err)
		}
		return g
	}
	// Groups the example must leave alone, seeded between its own so that
	// they are interleaved with them in the service's listing order.
	otherNames := []string{"okta - lower case", "Okta - Mixed case", "XOKTA - not a prefix", "OKTA-no space", "Entra - Engineering", "Everyone", " OKTA - leading space"}
	var others []string
	seedOther := func() {
		i := len(others)
		others = append(others, seed(scimserver.Group{DisplayName: otherNames[i], ExternalID: fmt.Sprintf("other%d", i), Members: members(i, 5+i)}).ID)
	}
	want := map[string]scimserver.Group{} // the groups to take over, by ID
	for i := range nOkta {
		if i%29 == 3 && len(others) < len(otherNames) {
			seedOther()
		}
		g := scimserver.Group{DisplayName: fmt.Sprintf("OKTA - Group %04d", i), Members: members(i, (i*37)%41)}
		switch {
		case i == 1:
			g.Members = members(i, nUsers) // every user
		case i%2 == 0:
			g.ExternalID = fmt.Sprintf("00g%05d", i) // Okta's group ID
		}
		g = seed(g)
		want[g.ID] = g
	}
	for len(others) < len(otherNames) {
		seedOther()
	}
	if n := len(want[seedID(t, st, "OKTA - Group 0000")].Members); n != 0 {
		t.Fatalf("the first OKTA group has %d members, want it empty", n)
	}
	before := st.Groups()
	usersBefore := st.Users()
	t.Logf("seeded %d users, %d groups to take over and %d others in %s", nUsers, nOkta, len(others), time.Since(start))

	tf := NewTerraform(t, "SECUREACCESS_BASE_URL="+m.URL, "SECUREACCESS_SCIM_TOKEN="+m.SCIMToken)
	for _, name := range []string{"main.tf", "versions.tf", "versions.tofu"} { // OpenTofu reads versions.tofu
		src, err := os.ReadFile(filepath.Join(importExample, name))
		if err != nil {
			t.Fatal(err)
		}
		tf.WriteFile(t, name, string(src))
	}

	step := time.Now()
	plan := savePlan(t, tf, "takeover.tfplan", fmt.Sprintf("Plan: %d to import, 0 to add, 0 to change, 0 to destroy.", 2*nOkta))
	t.Logf("plan and show: %s", time.Since(step))
	wantImports := map[string]string{} // address => import ID
	for id := range want {
		wantImports[fmt.Sprintf("secureaccess_scim_group.okta[%q]", id)] = id
		wantImports[fmt.Sprintf("secureaccess_scim_group_members.okta[%q]", id)] = id
	}
	gotImports := map[string]string{}
	for _, rc := range plan.ResourceChanges {
		if !rc.Change.Actions.NoOp() {
			t.Errorf("%s: actions %v, want [no-op]", rc.Address, rc.Change.Actions)
		}
		if rc.Mode != tfjson.ManagedResourceMode {
			continue
		}
		if rc.Change.Importing == nil {
			t.Errorf("%s: planned without importing", rc.Address)
			continue
		}
		gotImports[rc.Address] = rc.Change.Importing.ID
		after, _ := rc.Change.After.(map[string]any)
		checkImported(t, rc.Address, rc.Type, after, want[rc.Change.Importing.ID])
	}
	if len(gotImports) != 2*nOkta {
		t.Errorf("the plan imports %d objects, want %d (%d groups and their member lists)", len(gotImports), 2*nOkta, nOkta)
	}
	if diff := cmp.Diff(wantImports, gotImports); diff != "" {
		t.Fatalf("imports mismatch (-want +got):\n%s", diff)
	}

	if t.Failed() {
		t.FailNow() // never apply a plan that would write
	}

	step = time.Now()
	res := tf.Apply(t, tfexec.DirOrPlan("takeover.tfplan"))
	t.Logf("apply: %s", time.Since(step))
	summary := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", 2*nOkta)
	if !strings.Contains(res.Stdout, summary) {
		t.Errorf("apply output lacks %q:\n%s", summary, lastLines(res.Stdout, 5))
	}

	state := tf.StateByType(t)
	if len(state) != 2 {
		t.Errorf("state holds resource types %v, want the two of the example", slices.Sorted(maps.Keys(state)))
	}
	for _, typ := range []string{"secureaccess_scim_group", "secureaccess_scim_group_members"} {
		got := map[string]bool{}
		for _, r := range state[typ] {
			got[ID(r)] = true
			checkImported(t, r.Address, typ, r.AttributeValues, want[ID(r)])
		}
		if len(state[typ]) != nOkta || !sameKeys(got, want) {
			t.Errorf("state holds %d %s (%d distinct IDs), want the %d OKTA groups exactly", len(state[typ]), typ, len(got), nOkta)
		}
	}
	if diff := cmp.Diff(before, st.Groups()); diff != "" {
		t.Errorf("the takeover changed groups in the service (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(usersBefore, st.Users()); diff != "" {
		t.Errorf("the takeover changed users in the service (-before +after):\n%s", diff)
	}

	step = time.Now()
	tf.RequireEmptyPlan(t)
	t.Logf("empty plan: %s", time.Since(step))

	// Day 2, as the guide describes it: the configuration follows the
	// directory. A group Okta adds is imported, a rename within the prefix
	// keeps its address and plans nothing, a deleted group just leaves, and
	// a group renamed out of the prefix is planned for destruction.
	client, err := scim.NewClient(scim.Config{URL: m.SCIMURL(), Token: m.SCIMToken})
	if err != nil {
		t.Fatalf("SCIM client: %v", err)
	}
	rename := func(id, name string) {
		t.Helper()
		ops := []scim.PatchOperation{{Op: scim.OpReplace, Path: "displayName", Value: name}}
		if _, err := client.Groups.Patch(t.Context(), id, ops); err != nil {
			t.Fatalf("renaming group %s: %v", id, err)
		}
	}
	added := seed(scimserver.Group{DisplayName: "OKTA - Added later", Members: members(7, 3)})
	renamedWithin := seedID(t, st, "OKTA - Group 0005")
	rename(renamedWithin, "OKTA - Group 0005 renamed")
	renamedOut := seedID(t, st, "OKTA - Group 0006")
	rename(renamedOut, "Sales (was OKTA - Group 0006)")
	if !st.DeleteGroup(seedID(t, st, "OKTA - Group 0007")) {
		t.Fatal("deleting OKTA - Group 0007 from the mock")
	}
	day2 := savePlan(t, tf, "day2.tfplan", "Plan: 2 to import, 0 to add, 0 to change, 2 to destroy.")
	wantActions := map[string]string{
		fmt.Sprintf("secureaccess_scim_group.okta[%q]", added.ID):           "import",
		fmt.Sprintf("secureaccess_scim_group_members.okta[%q]", added.ID):   "import",
		fmt.Sprintf("secureaccess_scim_group.okta[%q]", renamedOut):         "delete",
		fmt.Sprintf("secureaccess_scim_group_members.okta[%q]", renamedOut): "delete",
	}
	gotActions := map[string]string{}
	for _, rc := range day2.ResourceChanges {
		switch {
		case rc.Change.Importing != nil && rc.Change.Actions.NoOp():
			gotActions[rc.Address] = "import"
		case !rc.Change.Actions.NoOp():
			gotActions[rc.Address] = Actions(rc.Change.Actions)
		}
	}
	if diff := cmp.Diff(wantActions, gotActions); diff != "" {
		t.Errorf("day 2 plan mismatch (-want +got):\n%s", diff)
	}
	t.Logf("whole test: %s", time.Since(start))
}

// savePlan runs terraform plan -out=planFile, requires summary (the
// "Plan: ..." line) in its output, and returns the plan.
func savePlan(t *testing.T, tf *Terraform, planFile, summary string) *tfjson.Plan {
	t.Helper()
	res := tf.RequireChanges(t, tfexec.Out(planFile))
	if !strings.Contains(res.Stdout, summary) {
		t.Errorf("terraform plan output lacks %q:\n%s", summary, lastLines(res.Stdout, 8))
	}
	return tf.ShowPlan(t, planFile)
}

// checkImported compares the values a plan or state gives a group (typ
// secureaccess_scim_group) or its member list (secureaccess_scim_group_members)
// with the group in the service.
func checkImported(t *testing.T, address, typ string, values map[string]any, g scimserver.Group) {
	t.Helper()
	if g.ID == "" {
		t.Errorf("%s: not one of the OKTA groups", address)
		return
	}
	var want map[string]any
	switch typ {
	case "secureaccess_scim_group":
		want = map[string]any{"id": g.ID, "display_name": g.DisplayName, "external_id": nil}
		if g.ExternalID != "" {
			want["external_id"] = g.ExternalID
		}
	case "secureaccess_scim_group_members":
		ids := []any{}
		for _, id := range g.Members { // sorted, like the data source's member_ids
			ids = append(ids, id)
		}
		want = map[string]any{"id": g.ID, "group_id": g.ID, "member_ids": ids}
	default:
		t.Errorf("%s: unexpected resource type %s", address, typ)
		return
	}
	if diff := cmp.Diff(want, values); diff != "" {
		t.Errorf("%s: values mismatch (-service +terraform):\n%s", address, diff)
	}
}

// seedID returns the ID of the group named name in st.
func seedID(t *testing.T, st *scimserver.Store, name string) string {
	t.Helper()
	g, ok := st.GroupByDisplayName(name)
	if !ok {
		t.Fatalf("group %q is not in the mock", name)
	}
	return g.ID
}

// sameKeys reports whether a and b have the same keys.
func sameKeys[A, B any](a map[string]A, b map[string]B) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if _, ok := b[k]; !ok {
			return false
		}
	}
	return true
}

// lastLines returns the last n lines of s.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
