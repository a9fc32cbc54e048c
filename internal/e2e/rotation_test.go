package e2e

import (
	"encoding/json"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// Day 2 of the one-apply bootstrap (examples/bootstrap): whatever replaces
// the provisioning token that the SCIM provider block is configured with,
// one terraform apply converges, and one terraform destroy removes
// everything.

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
	// applyOpts are extra options of the converging apply.
	applyOpts []tfexec.ApplyOption
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
			applyOpts: []tfexec.ApplyOption{tfexec.Replace("secureaccess_provisioning_token.okta")},
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
	b.tf.Apply(t)
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
			res := b.tf.Apply(t, c.applyOpts...)
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
			if len(c.applyOpts) > 0 { // the situation is the replacing apply itself
				b.tf.Apply(t, c.applyOpts...)
			}
			b.tf.Destroy(t)
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
		b.tf.Apply(t)
		day1 := b.snapshot(t)
		rotate(t, b)
		b.tf.Apply(t)
		b.requireConverged(t, day1)
		outputs, err := b.tf.Exec.Output(t.Context())
		if err != nil {
			t.Fatalf("terraform output: %v", err)
		}
		var got string
		if err := json.Unmarshal(outputs["group_from_data_source"].Value, &got); err != nil {
			t.Fatalf("output group_from_data_source: %v", err)
		}
		if got != day1.groupID {
			t.Errorf("the data source read group %q, want %q", got, day1.groupID)
		}
	})

	// Without depends_on, every plan that generates or replaces the token
	// fails with one error naming the way out; the two commands it names
	// work, on day 1 and on a rotation alike.
	t.Run("without depends_on", func(t *testing.T) {
		t.Parallel()
		b := newBootstrapLayout(t, dataSource(""))
		requireTokenNotKnownYet := func(when string) {
			t.Helper()
			out := b.tf.PlanError(t).Output()
			if n := strings.Count(out, "Error: "); n != 1 {
				t.Errorf("%s: the plan printed %d errors, want 1:\n%s", when, n, out)
			}
			for _, want := range []string{
				"SCIM Provisioning Token Not Known Yet",
				"depends_on = [secureaccess_provisioning_token.<name>]",
				"terraform apply -target=secureaccess_provisioning_token.<name>",
			} {
				if !strings.Contains(out, want) {
					t.Errorf("%s: the error does not say %q:\n%s", when, want, out)
				}
			}
		}
		target := func(addr string) {
			t.Helper()
			b.tf.Apply(t, tfexec.Target(addr))
		}

		requireTokenNotKnownYet("day 1")
		// The data source reads a group that this configuration creates, so
		// day 1 also creates the group before the first full apply.
		target("secureaccess_provisioning_token.okta")
		target("secureaccess_scim_group_members.users")
		b.tf.Apply(t)
		b.tf.RequireEmptyPlan(t)
		day1 := b.snapshot(t)

		rotate(t, b)
		requireTokenNotKnownYet("rotation")
		target("secureaccess_provisioning_token.okta") // what the error says
		b.tf.Apply(t)
		b.requireConverged(t, day1)
	})
}

// TestBootstrapDay2_driftSeenAfterRotation: a change the IdP makes just
// before a rotation is not refreshed by the rotating apply (the SCIM
// provider has no token while it plans), but the next plan shows it and
// one more apply puts it back.
func TestBootstrapDay2_driftSeenAfterRotation(t *testing.T) {
	t.Parallel()
	b := newBootstrapLayout(t, withRotationTriggers("1"))
	b.tf.Apply(t)
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
	b.tf.Apply(t)

	plan := b.tf.RequireChanges(t)
	if !strings.Contains(plan.Stdout, `"Jane (renamed by the IdP)" -> "Jane Doe"`) {
		t.Errorf("the plan after the rotation does not put Jane's display name back:\n%s", plan.Stdout)
	}
	b.tf.Apply(t)
	b.requireConverged(t, day1)
	u, ok := b.m.Store().DirectoryByName(bootstrapDirectory)
	if !ok {
		t.Fatal("the directory integration is gone")
	}
	if jane, ok := u.SCIM.UserByUserName("jane.doe@example.com"); !ok || jane.DisplayName != "Jane Doe" {
		t.Errorf("Jane's display name is %q, want Jane Doe", jane.DisplayName)
	}
}
