package e2e

import (
	"fmt"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// refreshConfig is users, groups and one additive membership per user,
// the layout of issue 6's scenario 1, with extra lines in the provider
// block.
func refreshConfig(m *Mock, users, groups int, extra ...string) string {
	return m.ProviderBlock(extra...) + fmt.Sprintf(`
resource "secureaccess_scim_user" "u" {
  count        = %[1]d
  user_name    = "refresh-${count.index}@example.com"
  display_name = "Refresh User ${count.index}"
  active       = true
}

resource "secureaccess_scim_group" "g" {
  count        = %[2]d
  display_name = "refresh-group-${count.index}"
}

resource "secureaccess_scim_group_member" "m" {
  count    = %[1]d
  group_id = secureaccess_scim_group.g[count.index %% %[2]d].id
  user_id  = secureaccess_scim_user.u[count.index].id
}
`, users, groups)
}

// refreshCost is the requests of a plan's refresh: all the plan sent but
// the provider's checks when Terraform configured it with every
// credential of the mock (ProviderBlock): the admin access token, which no
// SCIM resource needs, and one SCIM list of one user.
func refreshCost(t *testing.T, stats mockserver.Stats) int {
	t.Helper()
	if stats.Count("POST /auth/v2/token") != 1 || stats.Count("GET /identity/v2/scim/Users") < 1 {
		t.Errorf("the plan sent %v, want the provider's checks: one token request and a SCIM list", stats.Requests)
	}
	return stats.Total - 2
}

// TestRefresh_batched plans a configuration of 60 users, 6 groups and 60
// memberships in a directory where an IdP pushed 300 more users: the
// refresh must cost a handful of requests instead of one per resource
// (with batch_refresh = false, exactly one per resource), and changes made
// outside Terraform between two plans must show in the second, also for
// objects served from a listing.
func TestRefresh_batched(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	const users, groups = 60, 6
	resources := 2*users + groups
	client, err := scim.NewClient(scim.Config{URL: m.SCIMURL(), Token: m.SCIMToken})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		if _, err := client.Users.Create(t.Context(), &scim.User{UserName: fmt.Sprintf("okta-%03d@example.com", i), Active: new(true)}); err != nil {
			t.Fatal(err)
		}
	}

	tf := NewTerraform(t)
	tf.WriteConfig(t, refreshConfig(m, users, groups))
	tf.Apply(t)

	// Batched (the default): at most one read by id per collection up to
	// the threshold, plus one page each of users, groups and member lists.
	m.ResetStats()
	tf.RequireEmptyPlan(t)
	stats := m.Stats()
	t.Logf("batched: a plan of %d resources sent %d requests: %v", resources, stats.Total, stats.Requests)
	if limit, n := 3*(scim.RefreshThreshold+1), refreshCost(t, stats); n > limit {
		t.Errorf("a plan of %d resources sent %d requests to refresh them, want at most %d: %v", resources, n, limit, stats.Requests)
	}

	// Unbatched: one per resource, as before batching (6 groups do not
	// reach the read that probes excludedAttributes=members).
	tf.WriteConfig(t, refreshConfig(m, users, groups, "batch_refresh = false"))
	m.ResetStats()
	tf.RequireEmptyPlan(t)
	if stats := m.Stats(); refreshCost(t, stats) != resources {
		t.Errorf("batch_refresh = false: a plan of %d resources sent %d requests to refresh them, want one per resource: %v", resources, refreshCost(t, stats), stats.Requests)
	}

	// Changes outside Terraform, on objects past the threshold (served from
	// the listing): a rename, a membership removed, a user deleted.
	tf.WriteConfig(t, refreshConfig(m, users, groups))
	byName := map[string]string{}
	for _, r := range tf.StateByType(t)["secureaccess_scim_user"] {
		byName[r.AttributeValues["user_name"].(string)] = ID(r)
	}
	renamed, removed, deleted := byName["refresh-42@example.com"], byName["refresh-50@example.com"], byName["refresh-55@example.com"]
	if _, err := client.Users.Patch(t.Context(), renamed, []scim.PatchOperation{{Op: scim.OpReplace, Path: "displayName", Value: "Renamed In Okta"}}); err != nil {
		t.Fatal(err)
	}
	var groupOf50 string
	for _, r := range tf.StateByType(t)["secureaccess_scim_group_member"] {
		if r.AttributeValues["user_id"] == removed {
			groupOf50 = r.AttributeValues["group_id"].(string)
		}
	}
	if err := client.Groups.RemoveMembers(t.Context(), groupOf50, []string{removed}); err != nil {
		t.Fatal(err)
	}
	if err := client.Users.Delete(t.Context(), deleted); err != nil {
		t.Fatal(err)
	}
	tf.RequireChanges(t, tfexec.Out("drift.tfplan"))
	var changes []string
	for _, rc := range tf.ShowPlan(t, "drift.tfplan").ResourceChanges {
		if actions := Actions(rc.Change.Actions); actions != "no-op" {
			changes = append(changes, rc.Address+" "+actions)
		}
	}
	slices.Sort(changes)
	want := []string{
		"secureaccess_scim_group_member.m[50] create",
		"secureaccess_scim_group_member.m[55] create",
		"secureaccess_scim_user.u[42] update",
		"secureaccess_scim_user.u[55] create",
	}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("the plan after changes outside Terraform (-want +got):\n%s", diff)
	}
	tf.Apply(t)
	tf.RequireEmptyPlan(t)
}
