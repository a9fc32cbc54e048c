package e2e

import (
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// realTenantExample is the shipped example TestRealTenant_example applies.
const realTenantExample = "../../examples/real-tenant"

// TestRealTenant_example applies the example of what works against a real
// tenant today (examples/real-tenant) the way README.md tells a user to:
// the dashboard's part (a directory integration, then "Generate Token") is
// done on the mock outside Terraform, and Terraform gets the token as
// SECUREACCESS_SCIM_TOKEN and an admin API key for the identity IDs, all
// from the environment. The users, the group and its members must land in
// that directory with the attributes of the example, the outputs must hold
// the mock's identity IDs, Terraform must call only endpoints Cisco
// publishes (no admin directory integration or token call), the second
// plan must be empty, and destroy must leave the directory as it found it.
func TestRealTenant_example(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	cfg := admin.Config{BaseURL: m.URL, ClientID: TestClientID, ClientSecret: TestClientSecret}
	cfg.RateLimit = math.Inf(1)
	dashboard, err := admin.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	token, err := dashboard.ProvisioningTokens.Generate(t.Context(), m.DirectoryID, nil)
	if err != nil {
		t.Fatalf("generating the directory's token: %v", err)
	}
	m.ResetStats()

	tf := NewTerraform(t,
		"SECUREACCESS_BASE_URL="+m.URL, "SECUREACCESS_SCIM_TOKEN="+token.Token,
		"SECUREACCESS_CLIENT_ID="+TestClientID, "SECUREACCESS_CLIENT_SECRET="+TestClientSecret)
	for _, name := range []string{"main.tf", "versions.tf", "versions.tofu"} { // OpenTofu reads versions.tofu
		src, err := os.ReadFile(filepath.Join(realTenantExample, name))
		if err != nil {
			t.Fatal(err)
		}
		tf.WriteFile(t, name, string(src))
	}

	res := tf.Apply(t)
	if summary := "Apply complete! Resources: 4 added, 0 changed, 0 destroyed."; !strings.Contains(res.Stdout, summary) {
		t.Errorf("apply output lacks %q:\n%s", summary, lastLines(res.Stdout, 5))
	}
	st := m.SCIM(t)
	wantUsers := map[string]scimserver.User{
		"jane.doe@example.com": {
			UserName: "jane.doe@example.com", DisplayName: "Jane Doe", Active: new(true),
			Name:           scimserver.Name{GivenName: "Jane", FamilyName: "Doe"},
			Emails:         []scimserver.Email{{Value: "jane.doe@example.com", Type: "work", Primary: true}},
			NativeObjectID: "8d3c2f7e-5a41-4b8e-9f0a-1c2d3e4f5a6b",
		},
		"john.smith@example.com": {
			UserName: "john.smith@example.com", DisplayName: "John Smith", Active: new(true),
			Name:   scimserver.Name{GivenName: "John", FamilyName: "Smith"},
			Emails: []scimserver.Email{{Value: "john.smith@example.com", Type: "work", Primary: true}},
		},
	}
	gotUsers := map[string]scimserver.User{}
	var userIDs []string
	identityIDs := map[string]int64{} // by userName, and the group's under ""
	for _, u := range st.Users() {
		gotUsers[u.UserName] = u
		userIDs = append(userIDs, u.ID)
		identityIDs[u.UserName] = u.IdentityID
	}
	if diff := cmp.Diff(wantUsers, gotUsers, userAttributes); diff != "" {
		t.Errorf("users in the directory mismatch (-example +mock):\n%s", diff)
	}
	group, ok := st.GroupByDisplayName("Secure Access Users")
	if !ok {
		t.Fatal(`the group "Secure Access Users" is not in the directory`)
	}
	identityIDs[""] = group.IdentityID
	slices.Sort(userIDs)
	if diff := cmp.Diff(userIDs, group.Members); diff != "" {
		t.Errorf("group members mismatch (-users +members):\n%s", diff)
	}
	if _, groups := st.Counts(); groups != 1 {
		t.Errorf("the directory has %d groups, want 1", groups)
	}

	state := tf.Show(t)
	out, ok := state.Values.Outputs["policy_identity_ids"]
	if !ok {
		t.Fatal("no policy_identity_ids output")
	}
	num := func(key string) json.Number { return json.Number(strconv.FormatInt(identityIDs[key], 10)) } // tfjson decodes numbers so
	want := map[string]any{
		"group": []any{num("")},
		"users": map[string]any{
			"jane.doe@example.com":   []any{num("jane.doe@example.com")},
			"john.smith@example.com": []any{num("john.smith@example.com")},
		},
	}
	if diff := cmp.Diff(want, out.Value); diff != "" {
		t.Errorf("policy_identity_ids mismatch (-mock +output):\n%s", diff)
	}

	// What a real tenant answers today: the token endpoint, the Reports
	// API and the SCIM endpoint; never the modelled admin endpoints.
	for route := range m.Stats().Requests {
		if !strings.HasPrefix(route, "POST /auth/v2/token") && !strings.HasPrefix(route, "GET /reports/v2/identities") &&
			!strings.Contains(route, " "+mockserver.SCIMPath+"/") {
			t.Errorf("the example called %s, which Cisco does not publish", route)
		}
	}

	tf.RequireEmptyPlan(t)
	tf.Destroy(t)
	if users, groups := st.Counts(); users != 0 || groups != 0 {
		t.Errorf("after destroy the directory has %d users and %d groups, want none", users, groups)
	}
	if _, ok := m.Store().Directory(m.DirectoryID); !ok {
		t.Error("the directory integration is gone: the example must not manage it")
	}
}

// userAttributes compares the attributes a configuration sets, not those
// the service assigns.
var userAttributes = cmp.Transformer("userAttributes", func(u scimserver.User) scimserver.User {
	return scimserver.User{
		ExternalID: u.ExternalID, UserName: u.UserName, Active: u.Active, DisplayName: u.DisplayName,
		Name: u.Name, Emails: u.Emails, NativeObjectID: u.NativeObjectID, AuthName: u.AuthName,
	}
})
