package e2e

import (
	"fmt"
	"math"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestBootstrap_oneApply applies the shipped bootstrap example
// (examples/bootstrap): a directory integration, its token, and a SCIM user,
// group and membership created through an aliased provider configured with
// that token, in one apply. They must land in the new directory, not in the
// harness's, a second plan must be empty, and destroy must leave nothing.
//
// It runs here, with the real CLI, rather than through resource.Test: there
// every provider block of a configuration is served by the same in-process
// provider server, so the two blocks' credentials would overwrite each other.
func TestBootstrap_oneApply(t *testing.T) {
	t.Parallel()
	b := newBootstrapLayoutAsShipped(t, nil)
	b.tf.Apply(t)
	s := b.snapshot(t)
	if s.activeTokenID == "" || s.activeTokenID != s.tokenID {
		t.Errorf("the directory's active token is %q, the state's %q", s.activeTokenID, s.tokenID)
	}
	if s.users != 1 || s.groups != 1 || s.memberCounts != 1 {
		t.Errorf("the new directory has %d users, %d groups and %d members, want 1 each", s.users, s.groups, s.memberCounts)
	}
	if users, groups := b.m.SCIM(t).Counts(); users != 0 || groups != 0 {
		t.Errorf("the harness's directory has %d users and %d groups, want none", users, groups)
	}
	b.tf.RequireEmptyPlan(t)

	// The example leaves deletion_protection on: destroy fails, saying
	// what it would delete, and deletes nothing.
	res := b.tf.PlanError(t, tfexec.Destroy(true))
	for _, want := range []string{"Directory Integration Is Protected from Deletion", `"OKTA Integration"`, "1 user and 1 group", "deletion_protection = false"} {
		if !strings.Contains(res.Stderr+res.Stdout, want) {
			t.Errorf("the destroy plan's error does not say %q:\n%s", want, res.Stderr)
		}
	}
	if after := b.snapshot(t); after != s {
		t.Errorf("the refused destroy changed the directory: %+v, before %+v", after, s)
	}

	// Turning protection off is an update that sends nothing.
	b.tf.WriteConfig(t, unprotected(b.config))
	writes := serviceWrites(b.m)
	b.tf.Apply(t)
	if n := serviceWrites(b.m) - writes; n != 0 {
		t.Errorf("turning deletion_protection off sent %d writes to the service, want none", n)
	}
	b.tf.RequireEmptyPlan(t)
	b.tf.Destroy(t)
	b.requireDestroyed(t, s.directoryID)
}

// serviceWrites is how many requests the mock counted that could change
// something: every one but reads and OAuth token requests.
func serviceWrites(m *Mock) int {
	n := 0
	for route, count := range m.Stats().Requests {
		if !strings.HasPrefix(route, "GET ") && !strings.Contains(route, "/auth/") {
			n += count
		}
	}
	return n
}

// bootstrapDirectory is the example's directory integration name.
const bootstrapDirectory = "OKTA Integration"

// bootstrapLayout is the shipped bootstrap example applied against a fresh
// mock.
type bootstrapLayout struct {
	m      *Mock
	tf     *Terraform
	config string // the configuration written
}

// newBootstrapLayout is newBootstrapLayoutAsShipped with the directory
// integration's deletion_protection off, so that the test can destroy it.
func newBootstrapLayout(t *testing.T, edit func(string) string) *bootstrapLayout {
	t.Helper()
	return newBootstrapLayoutAsShipped(t, func(config string) string {
		config = unprotected(config)
		if edit != nil {
			config = edit(config)
		}
		return config
	})
}

// unprotected sets deletion_protection = false on the bootstrap example's
// directory integration.
func unprotected(config string) string {
	const at = "  identity_provider = \"okta\"\n"
	if !strings.Contains(config, at) {
		panic("examples/bootstrap no longer has " + at)
	}
	return strings.Replace(config, at, at+"  deletion_protection = false\n", 1)
}

// newBootstrapLayoutAsShipped writes examples/bootstrap, changed by edit
// when not nil, into a new working directory, with the example's variables
// (the mock's URL and admin API key) in terraform.tfvars.
func newBootstrapLayoutAsShipped(t *testing.T, edit func(string) string) *bootstrapLayout {
	t.Helper()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	example, err := os.ReadFile("../../examples/bootstrap/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	config := string(example)
	if edit != nil {
		config = edit(config)
	}
	tf.WriteConfig(t, config)
	tf.WriteFile(t, "terraform.tfvars", fmt.Sprintf("base_url      = %q\nclient_id     = %q\nclient_secret = %q\n", m.URL, TestClientID, TestClientSecret))
	return &bootstrapLayout{m: m, tf: tf, config: config}
}

// bootstrapState is what day 2 must keep or change: the token, and the IDs
// of the SCIM objects.
type bootstrapState struct {
	tokenID, token              string
	userID, groupID, membersID  string
	directoryID, activeTokenID  string
	users, groups, memberCounts int
}

// snapshot reads the state and the mock.
func (b *bootstrapLayout) snapshot(t *testing.T) bootstrapState {
	t.Helper()
	byType := b.tf.StateByType(t)
	one := func(typ string) *tfjson.StateResource {
		t.Helper()
		if len(byType[typ]) != 1 {
			t.Fatalf("state has %d %s, want 1", len(byType[typ]), typ)
		}
		return byType[typ][0]
	}
	tok := one("secureaccess_provisioning_token")
	secret, _ := tok.AttributeValues["token"].(string)
	s := bootstrapState{
		tokenID: ID(tok), token: secret,
		userID: ID(one("secureaccess_scim_user")), groupID: ID(one("secureaccess_scim_group")),
		membersID: ID(one("secureaccess_scim_group_members")),
	}
	dir, ok := b.m.Store().DirectoryByName(bootstrapDirectory)
	if !ok {
		t.Fatal("the example's directory integration is not in the mock")
	}
	s.directoryID = dir.ID
	if dir.Token != nil {
		s.activeTokenID = dir.Token.ID
	}
	s.users, s.groups = dir.SCIM.Counts()
	if g, ok := dir.SCIM.GroupByDisplayName("OKTA - Secure Access Users"); ok {
		s.memberCounts = len(g.Members)
	}
	return s
}

// adminClient is an admin API client of the mock, to act behind
// Terraform's back like the dashboard.
func (b *bootstrapLayout) adminClient(t *testing.T) *admin.Client {
	t.Helper()
	cfg := admin.Config{BaseURL: b.m.URL, ClientID: TestClientID, ClientSecret: TestClientSecret}
	cfg.RateLimit = math.Inf(1)
	c, err := admin.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// scimAccepts reports whether the mock's SCIM endpoint takes token.
func (b *bootstrapLayout) scimAccepts(t *testing.T, token string) bool {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, b.m.SCIMURL()+"/Users?count=1", nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true
	case http.StatusUnauthorized:
		return false
	default:
		t.Fatalf("GET /Users: %d", resp.StatusCode)
		return false
	}
}

// requireConverged checks what day 2 promises after the one apply: a new
// token that is the only one the service accepts, the same SCIM objects
// (nothing recreated), and an empty plan.
func (b *bootstrapLayout) requireConverged(t *testing.T, before bootstrapState, rejected ...string) {
	t.Helper()
	after := b.snapshot(t)
	if after.tokenID == before.tokenID || after.token == before.token {
		t.Errorf("the token in state is still %s, want a new one", before.tokenID)
	}
	if after.activeTokenID != after.tokenID {
		t.Errorf("the directory's active token is %q, the state's %q", after.activeTokenID, after.tokenID)
	}
	if !b.scimAccepts(t, after.token) {
		t.Error("the service rejects the token in state")
	}
	for i, tok := range append([]string{before.token}, rejected...) {
		if b.scimAccepts(t, tok) {
			t.Errorf("the service still accepts replaced token %d", i)
		}
	}
	if after.userID != before.userID || after.groupID != before.groupID || after.membersID != before.membersID {
		t.Errorf("SCIM objects changed IDs: user %s→%s, group %s→%s, members %s→%s",
			before.userID, after.userID, before.groupID, after.groupID, before.membersID, after.membersID)
	}
	if after.users != 1 || after.groups != 1 || after.memberCounts != 1 {
		t.Errorf("the directory has %d users, %d groups and %d members, want 1 each", after.users, after.groups, after.memberCounts)
	}
	b.tf.RequireEmptyPlan(t)
}

// requireDestroyed checks that nothing of the example is left.
func (b *bootstrapLayout) requireDestroyed(t *testing.T, directoryID string) {
	t.Helper()
	if _, ok := b.m.Store().Directory(directoryID); ok {
		t.Error("the directory integration survived terraform destroy")
	}
	if _, ok := b.m.Store().DirectoryByName(bootstrapDirectory); ok {
		t.Error("a directory integration named like the example's survived terraform destroy")
	}
	if left := b.tf.State(t); len(left) != 0 {
		t.Errorf("the state still has %d resources after terraform destroy", len(left))
	}
	if users, groups := b.m.SCIM(t).Counts(); users != 0 || groups != 0 {
		t.Errorf("the harness's directory has %d users and %d groups, want none", users, groups)
	}
}
