package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	tfjson "github.com/hashicorp/terraform-json"
)

// directorySpec is a configuration of SCIM users, groups and memberships
// (user i is a member of group i mod groups), plus directory integrations
// with a provisioning token each, so that the admin API is used as well.
type directorySpec struct {
	users, groups, directories int
}

// userName is the userName of user i.
func userName(i int) string { return fmt.Sprintf("user%04d@example.com", i) }

// groupName is the displayName of group i.
func groupName(i int) string { return fmt.Sprintf("group-%03d", i) }

// directoryName is the name of directory integration i.
func directoryName(i int) string { return fmt.Sprintf("e2e-dir-%d", i) }

// config is the HCL of the spec, after the provider block.
func (s directorySpec) config(providerBlock string) string {
	return providerBlock + fmt.Sprintf(`
resource "secureaccess_scim_user" "u" {
  count        = %[1]d
  user_name    = format("user%%04d@example.com", count.index)
  display_name = "User ${count.index}"
}

resource "secureaccess_scim_group" "g" {
  count        = %[2]d
  display_name = format("group-%%03d", count.index)
}

resource "secureaccess_scim_group_member" "m" {
  count    = %[1]d
  group_id = secureaccess_scim_group.g[count.index %% %[2]d].id
  user_id  = secureaccess_scim_user.u[count.index].id
}

resource "secureaccess_directory_integration" "d" {
  count               = %[3]d
  name                = "e2e-dir-${count.index}"
  identity_provider   = "okta"
  deletion_protection = false
}

resource "secureaccess_provisioning_token" "t" {
  count                    = %[3]d
  directory_integration_id = secureaccess_directory_integration.d[count.index].id
  expires_in_days          = 30
  # Generated after every membership, long after the directories: the admin
  # access token cached then has expired by now.
  rotation_triggers = {
    memberships = length(secureaccess_scim_group_member.m)
  }
}
`, s.users, s.groups, s.directories)
}

// directoryView is what a test compares between the mock and the
// configuration: userNames, and the userNames of each group's members by
// displayName. Sorted, so that duplicates show.
type directoryView struct {
	Users   []string
	Members map[string][]string
}

// want is the view the spec configures.
func (s directorySpec) want() directoryView {
	v := directoryView{Members: map[string][]string{}}
	for g := range s.groups {
		v.Members[groupName(g)] = []string{}
	}
	for i := range s.users {
		v.Users = append(v.Users, userName(i))
		g := groupName(i % s.groups)
		v.Members[g] = append(v.Members[g], userName(i))
	}
	return v
}

// mockView reads the view of the mock's bootstrapped directory.
func mockView(t *testing.T, m *Mock) directoryView {
	t.Helper()
	st := m.SCIM(t)
	names := map[string]string{}
	v := directoryView{Members: map[string][]string{}}
	for _, u := range st.Users() {
		names[u.ID] = u.UserName
		v.Users = append(v.Users, u.UserName)
	}
	for _, g := range st.Groups() {
		members := []string{}
		for _, id := range st.GroupMembers(g.ID) {
			members = append(members, names[id])
		}
		slices.Sort(members)
		v.Members[g.DisplayName] = members
	}
	slices.Sort(v.Users)
	return v
}

// requireConverged asserts that the mock holds exactly what the spec
// configures (each object once), that the state's ids are the mock's, and
// that the next plan is empty.
func requireConverged(t *testing.T, m *Mock, tf *Terraform, s directorySpec) {
	t.Helper()
	if diff := cmp.Diff(s.want(), mockView(t, m)); diff != "" {
		t.Errorf("SCIM directory differs from the configuration (-want +mock):\n%s", diff)
	}
	requireDirectories(t, m, s.directories)
	requireStateMatchesMock(t, m, tf)
	tf.RequireEmptyPlan(t)
}

// requireDirectories asserts that the mock holds the bootstrapped directory
// and the spec's n directory integrations, each once and with a token.
func requireDirectories(t *testing.T, m *Mock, n int) {
	t.Helper()
	want := []string{"E2E"}
	for i := range n {
		want = append(want, directoryName(i))
	}
	var got []string
	for _, d := range m.Store().Directories() {
		got = append(got, d.Name)
		if d.Token == nil {
			t.Errorf("directory integration %q has no provisioning token", d.Name)
		}
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("directory integrations (-want +mock):\n%s", diff)
	}
}

// requireStateMatchesMock asserts that the state's users, groups and
// memberships are exactly the mock's, by id: no orphan in the mock, nothing
// stale in the state.
func requireStateMatchesMock(t *testing.T, m *Mock, tf *Terraform) {
	t.Helper()
	state := tf.StateByType(t)
	st := m.SCIM(t)
	var mockUsers, mockGroups []string
	for _, u := range st.Users() {
		mockUsers = append(mockUsers, u.ID)
	}
	for _, g := range st.Groups() {
		mockGroups = append(mockGroups, g.ID)
	}
	for _, c := range []struct {
		typ  string
		mock []string
	}{
		{"secureaccess_scim_user", mockUsers},
		{"secureaccess_scim_group", mockGroups},
	} {
		if diff := cmp.Diff(sortedIDs(c.mock), stateIDs(state[c.typ])); diff != "" {
			t.Errorf("%s ids (-mock +state):\n%s", c.typ, diff)
		}
	}
	var mockMembers, stateMembers []string
	for _, g := range mockGroups {
		for _, u := range st.GroupMembers(g) {
			mockMembers = append(mockMembers, g+"/"+u)
		}
	}
	for _, r := range state["secureaccess_scim_group_member"] {
		stateMembers = append(stateMembers, fmt.Sprintf("%v/%v", r.AttributeValues["group_id"], r.AttributeValues["user_id"]))
	}
	if diff := cmp.Diff(sortedIDs(mockMembers), sortedIDs(stateMembers)); diff != "" {
		t.Errorf("memberships, group/user (-mock +state):\n%s", diff)
	}
}

// stateIDs returns the sorted ids of resources.
func stateIDs(rs []*tfjson.StateResource) []string {
	ids := make([]string, 0, len(rs))
	for _, r := range rs {
		ids = append(ids, ID(r))
	}
	return sortedIDs(ids)
}

// sortedIDs returns ids sorted, never nil.
func sortedIDs(ids []string) []string {
	out := append([]string{}, ids...)
	slices.Sort(out)
	return out
}

// logStats logs the mock's request counters: totals per answer class and
// per route.
func logStats(t *testing.T, m *Mock) {
	t.Helper()
	s := m.Stats()
	t.Logf("mock requests: total %d, by answer %v", s.Total, s.Classes)
	routes := make([]string, 0, len(s.Requests))
	for r := range s.Requests {
		routes = append(routes, r)
	}
	slices.Sort(routes)
	for _, r := range routes {
		t.Logf("  %5d %s", s.Requests[r], r)
	}
}
