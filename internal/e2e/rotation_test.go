package e2e

import (
	"math"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// Day 2 of the one-apply bootstrap (examples/bootstrap): whatever replaces
// the provisioning token that the SCIM provider block is configured with,
// one terraform apply converges, and one terraform destroy removes
// everything.

// bootstrapDirectory is the example's directory integration name.
const bootstrapDirectory = "OKTA Integration"

// bootstrapLayout is the shipped bootstrap example applied against a fresh
// mock.
type bootstrapLayout struct {
	m    *Mock
	tf   *Terraform
	vars []string
}

// newBootstrapLayout writes examples/bootstrap, changed by edit when not
// nil, into a new working directory.
func newBootstrapLayout(t *testing.T, edit func(string) string) *bootstrapLayout {
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
	return &bootstrapLayout{m: m, tf: tf, vars: []string{
		"-var", "base_url=" + m.URL,
		"-var", "client_id=" + TestClientID,
		"-var", "client_secret=" + TestClientSecret,
	}}
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
	one := func(typ string) StateResource {
		t.Helper()
		if len(byType[typ]) != 1 {
			t.Fatalf("state has %d %s, want 1", len(byType[typ]), typ)
		}
		return byType[typ][0]
	}
	tok := one("secureaccess_provisioning_token")
	secret, _ := tok.Values["token"].(string)
	s := bootstrapState{
		tokenID: tok.ID(), token: secret,
		userID: one("secureaccess_scim_user").ID(), groupID: one("secureaccess_scim_group").ID(),
		membersID: one("secureaccess_scim_group_members").ID(),
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
	b.tf.RequireEmptyPlan(t, b.vars...)
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

// day2Case is one way the token of the bootstrap layout gets replaced.
type day2Case struct {
	name string
	// edit changes the example before the first apply.
	edit func(string) string
	// beforeFirstApply runs before the first apply (the mock's clock).
	beforeFirstApply func(t *testing.T, b *bootstrapLayout)
	// trigger changes things after the first apply; it returns tokens the
	// service must reject once the layout converged.
	trigger func(t *testing.T, b *bootstrapLayout, s bootstrapState) []string
	// applyArgs are extra arguments of the converging apply.
	applyArgs []string
}

// withRotationTriggers adds rotation_triggers = { round = round } to the
// example's token.
func withRotationTriggers(round string) func(string) string {
	return func(config string) string {
		const anchor = "  rotate_before_days       = 30\n"
		if !strings.Contains(config, anchor) {
			panic("examples/bootstrap no longer sets rotate_before_days = 30")
		}
		return strings.Replace(config, anchor, anchor+"  rotation_triggers        = { round = \""+round+"\" }\n", 1)
	}
}

// issuedDaysAgo moves the mock's clock back so that the first apply issues
// the token that many days ago, then puts the clock back to now.
func issuedDaysAgo(days int) (before, after func(t *testing.T, b *bootstrapLayout)) {
	before = func(_ *testing.T, b *bootstrapLayout) {
		b.m.SetClockOffset(-time.Duration(days) * 24 * time.Hour)
	}
	after = func(_ *testing.T, b *bootstrapLayout) { b.m.SetClockOffset(0) }
	return before, after
}

func day2Cases() []day2Case {
	window, windowNow := issuedDaysAgo(151)
	expired, expiredNow := issuedDaysAgo(181)
	return []day2Case{
		{
			name: "rotation_triggers changed",
			edit: withRotationTriggers("1"),
			trigger: func(t *testing.T, b *bootstrapLayout, _ bootstrapState) []string {
				config, err := os.ReadFile(b.tf.Dir + "/main.tf")
				if err != nil {
					t.Fatal(err)
				}
				b.tf.WriteConfig(t, strings.Replace(string(config), `round = "1"`, `round = "2"`, 1))
				return nil
			},
		},
		{
			name:      "apply -replace",
			trigger:   func(*testing.T, *bootstrapLayout, bootstrapState) []string { return nil },
			applyArgs: []string{"-replace=secureaccess_provisioning_token.okta"},
		},
		{
			name:             "rotate_before_days window reached (day 151 of 180)",
			beforeFirstApply: window,
			trigger: func(t *testing.T, b *bootstrapLayout, _ bootstrapState) []string {
				windowNow(t, b)
				return nil
			},
		},
		{
			name:             "token expired (day 181 of 180)",
			beforeFirstApply: expired,
			trigger: func(t *testing.T, b *bootstrapLayout, _ bootstrapState) []string {
				expiredNow(t, b)
				return nil
			},
		},
		{
			name: "token regenerated out of band",
			trigger: func(t *testing.T, b *bootstrapLayout, s bootstrapState) []string {
				tok, err := b.adminClient(t).ProvisioningTokens.Generate(t.Context(), s.directoryID, nil)
				if err != nil {
					t.Fatalf("regenerating the token behind Terraform's back: %v", err)
				}
				return []string{tok.Token}
			},
		},
		{
			name: "token revoked out of band",
			trigger: func(t *testing.T, b *bootstrapLayout, s bootstrapState) []string {
				if err := b.adminClient(t).ProvisioningTokens.Revoke(t.Context(), s.directoryID); err != nil {
					t.Fatalf("revoking the token behind Terraform's back: %v", err)
				}
				return nil
			},
		},
	}
}

// start applies the layout for day 1 and runs the case's trigger.
func (c day2Case) start(t *testing.T) (*bootstrapLayout, bootstrapState, []string) {
	t.Helper()
	b := newBootstrapLayout(t, c.edit)
	if c.beforeFirstApply != nil {
		c.beforeFirstApply(t, b)
	}
	b.tf.Apply(t, b.vars...)
	day1 := b.snapshot(t)
	if day1.users != 1 || day1.groups != 1 || day1.memberCounts != 1 {
		t.Fatalf("day 1: the directory has %d users, %d groups and %d members, want 1 each", day1.users, day1.groups, day1.memberCounts)
	}
	rejected := c.trigger(t, b, day1)
	return b, day1, rejected
}

// TestBootstrapDay2_oneApplyConverges: after each way of replacing the
// token, one terraform apply generates the new token, keeps every SCIM
// object, says once that SCIM drift was not checked, and leaves an empty
// plan.
func TestBootstrapDay2_oneApplyConverges(t *testing.T) {
	t.Parallel()
	for _, c := range day2Cases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b, day1, rejected := c.start(t)
			res := b.tf.Apply(t, append(c.applyArgs, b.vars...)...)
			if n := strings.Count(res.Output(), "SCIM Objects Not Refreshed"); n != 1 {
				t.Errorf("the apply warned %d times that SCIM objects were not refreshed, want once:\n%s", n, res.Output())
			}
			b.requireConverged(t, day1, rejected...)
		})
	}
}

// TestBootstrapDay2_destroy: in each situation one terraform destroy
// exits 0 and leaves nothing in the service.
func TestBootstrapDay2_destroy(t *testing.T) {
	t.Parallel()
	for _, c := range day2Cases() {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			b, day1, _ := c.start(t)
			if len(c.applyArgs) > 0 { // the situation is the replacing apply itself
				b.tf.Apply(t, append(c.applyArgs, b.vars...)...)
			}
			b.tf.Destroy(t, b.vars...)
			b.requireDestroyed(t, day1.directoryID)
		})
	}
}

// TestBootstrapDay2_dataSources: a data source read through the SCIM
// provider while its token is generated or replaced either gets its
// result, when it depends on the token resource, or fails the plan with
// one error that says how to get it.
func TestBootstrapDay2_dataSources(t *testing.T) {
	t.Parallel()
	// The data source names the group literally: a reference to the group
	// resource would make Terraform read it during apply anyway.
	dataSource := func(dependsOn string) func(string) string {
		return func(config string) string {
			return withRotationTriggers("1")(config) + `
data "secureaccess_scim_group" "users" {
  provider     = secureaccess.scim
  display_name = "OKTA - Secure Access Users"
` + dependsOn + `}

output "group_from_data_source" {
  value = data.secureaccess_scim_group.users.id
}
`
		}
	}
	rotate := func(t *testing.T, b *bootstrapLayout) {
		t.Helper()
		config, err := os.ReadFile(b.tf.Dir + "/main.tf")
		if err != nil {
			t.Fatal(err)
		}
		b.tf.WriteConfig(t, strings.Replace(string(config), `round = "1"`, `round = "2"`, 1))
	}

	t.Run("depends_on the token", func(t *testing.T) {
		t.Parallel()
		b := newBootstrapLayout(t, dataSource("  depends_on   = [secureaccess_provisioning_token.okta, secureaccess_scim_group.users]\n"))
		b.tf.Apply(t, b.vars...)
		day1 := b.snapshot(t)
		rotate(t, b)
		b.tf.Apply(t, b.vars...)
		b.requireConverged(t, day1)
		out := b.tf.MustRun(t, 0, "output", "-raw", "group_from_data_source")
		if got := strings.TrimSpace(out.Stdout); got != day1.groupID {
			t.Errorf("the data source read group %q, want %q", got, day1.groupID)
		}
	})

	t.Run("without depends_on", func(t *testing.T) {
		t.Parallel()
		b := newBootstrapLayout(t, dataSource(""))
		res := b.tf.MustRun(t, 1, append([]string{"plan"}, b.vars...)...)
		out := res.Output()
		if n := strings.Count(out, "Error: "); n != 1 {
			t.Errorf("the plan printed %d errors, want 1:\n%s", n, out)
		}
		for _, want := range []string{
			"SCIM Provisioning Token Not Known Yet",
			"depends_on = [secureaccess_provisioning_token.<name>]",
			"terraform apply -target=secureaccess_provisioning_token.<name>",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("the error does not say %q:\n%s", want, out)
			}
		}
	})
}

// TestBootstrapDay2_driftSeenAfterRotation: a change the IdP makes just
// before a rotation is not refreshed by the rotating apply (the SCIM
// provider has no token while it plans), but the next plan shows it and
// one more apply puts it back.
func TestBootstrapDay2_driftSeenAfterRotation(t *testing.T) {
	t.Parallel()
	b := newBootstrapLayout(t, withRotationTriggers("1"))
	b.tf.Apply(t, b.vars...)
	day1 := b.snapshot(t)

	// The IdP renames Jane with the token it holds.
	body := strings.NewReader(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Jane (renamed by the IdP)"}]}`)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPatch, b.m.SCIMURL()+"/Users/"+day1.userID, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+day1.token)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("the IdP's PATCH: %d", resp.StatusCode)
	}

	config, err := os.ReadFile(b.tf.Dir + "/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	b.tf.WriteConfig(t, strings.Replace(string(config), `round = "1"`, `round = "2"`, 1))
	b.tf.Apply(t, b.vars...)

	plan := b.tf.MustRun(t, 2, append([]string{"plan", "-detailed-exitcode"}, b.vars...)...)
	if !strings.Contains(plan.Stdout, `"Jane (renamed by the IdP)" -> "Jane Doe"`) {
		t.Errorf("the plan after the rotation does not put Jane's display name back:\n%s", plan.Stdout)
	}
	b.tf.Apply(t, b.vars...)
	b.requireConverged(t, day1)
	u, ok := b.m.Store().DirectoryByName(bootstrapDirectory)
	if !ok {
		t.Fatal("the directory integration is gone")
	}
	if jane, ok := u.SCIM.UserByUserName("jane.doe@example.com"); !ok || jane.DisplayName != "Jane Doe" {
		t.Errorf("Jane's display name is %q, want Jane Doe", jane.DisplayName)
	}
}
