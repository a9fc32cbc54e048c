package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The provider's user paths, driven in process through the plugin protocol
// against an in-process mock, as Terraform drives them:
//
//	go test -run '^$' -bench 'Users|User' -benchmem ./bench/
//
// The provider logs nothing here: without the plugin server's logger in the
// context, tflog and the framework's trace lines are no-ops, as they are in
// the real plugin since main.go turns the SDK logs off.

// Resource and data source type names of the user paths.
const (
	userType      = "secureaccess_scim_user"
	usersDataType = "secureaccess_scim_users"
)

// userHarness drives secureaccess_scim_user and secureaccess_scim_users.
type userHarness struct {
	*protoHarness
	userTyp  tftypes.Type // secureaccess_scim_user's object type
	usersTyp tftypes.Type // secureaccess_scim_users's object type
}

// newUserHarness configures the provider against m.
func newUserHarness(tb testing.TB, m *mockProcess) *userHarness {
	tb.Helper()
	h := newProtoHarness(tb, m)
	schemas, err := h.server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "GetProviderSchema", schemas.Diagnostics)
	return &userHarness{
		protoHarness: h,
		userTyp:      schemas.ResourceSchemas[userType].ValueType(),
		usersTyp:     schemas.DataSourceSchemas[usersDataType].ValueType(),
	}
}

// userConfig is the configuration of a user shaped like the ones an IdP
// pushes: user_name, display_name, name, one work email, external_id and
// active; the rest is unset.
func (h *userHarness) userConfig(tb testing.TB, i int) tftypes.Value {
	tb.Helper()
	obj := h.userTyp.(tftypes.Object)
	nameTyp := obj.AttributeTypes["name"]
	emailsTyp := obj.AttributeTypes["emails"].(tftypes.List)
	userName := fmt.Sprintf("bench-user-%06d@example.com", i)
	return objectValue(tb, h.userTyp, map[string]tftypes.Value{
		"user_name":    tftypes.NewValue(tftypes.String, userName),
		"display_name": tftypes.NewValue(tftypes.String, fmt.Sprintf("Bench User %06d", i)),
		"name": objectValue(tb, nameTyp, map[string]tftypes.Value{
			"given_name":  tftypes.NewValue(tftypes.String, "Bench"),
			"family_name": tftypes.NewValue(tftypes.String, fmt.Sprintf("User %06d", i)),
		}),
		"emails": tftypes.NewValue(emailsTyp, []tftypes.Value{objectValue(tb, emailsTyp.ElementType, map[string]tftypes.Value{
			"value":   tftypes.NewValue(tftypes.String, userName),
			"type":    tftypes.NewValue(tftypes.String, "work"),
			"primary": tftypes.NewValue(tftypes.Bool, true),
		})}),
		"external_id": tftypes.NewValue(tftypes.String, fmt.Sprintf("00u%06d", i)),
		"active":      tftypes.NewValue(tftypes.Bool, true),
	})
}

// proposedNew is Terraform's proposed new state for this fixture: the
// configuration, with each top-level attribute the configuration leaves null
// taken from prior (the computed id, on_destroy and adopt_existing; the
// other null attributes are null in prior too). The fixture sets every
// nested computed attribute, so nothing below the top level needs merging.
func proposedNew(tb testing.TB, config, prior tftypes.Value) tftypes.Value {
	tb.Helper()
	var cfg, pri map[string]tftypes.Value
	if err := config.As(&cfg); err != nil {
		tb.Fatal(err)
	}
	if err := prior.As(&pri); err != nil {
		tb.Fatal(err)
	}
	out := make(map[string]tftypes.Value, len(cfg))
	for k, v := range cfg {
		out[k] = v
		if v.IsNull() {
			out[k] = pri[k]
		}
	}
	return tftypes.NewValue(config.Type(), out)
}

// planUser plans secureaccess_scim_user: a create when prior is nil.
func (h *userHarness) planUser(tb testing.TB, config *tfprotov6.DynamicValue, prior, proposed *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	tb.Helper()
	resp, err := h.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: userType, PriorState: prior, ProposedNewState: proposed, Config: config,
	})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "PlanResourceChange", resp.Diagnostics)
	return resp.PlannedState
}

// applyUser applies planned.
func (h *userHarness) applyUser(tb testing.TB, config, prior, planned *tfprotov6.DynamicValue) *tfprotov6.DynamicValue {
	tb.Helper()
	resp, err := h.server.ApplyResourceChange(context.Background(), &tfprotov6.ApplyResourceChangeRequest{
		TypeName: userType, PriorState: prior, PlannedState: planned, Config: config,
	})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "ApplyResourceChange", resp.Diagnostics)
	return resp.NewState
}

// nullUser is the null state of a resource that does not exist yet.
func (h *userHarness) nullUser(tb testing.TB) *tfprotov6.DynamicValue {
	return dynamicValue(tb, h.userTyp, tftypes.NewValue(h.userTyp, nil))
}

// createdUser creates user i and returns its configuration and state.
func (h *userHarness) createdUser(tb testing.TB, i int) (config, state *tfprotov6.DynamicValue) {
	tb.Helper()
	config = dynamicValue(tb, h.userTyp, h.userConfig(tb, i))
	null := h.nullUser(tb)
	planned := h.planUser(tb, config, null, config)
	return config, h.applyUser(tb, config, null, planned)
}

// userFixture is a configured provider against a fresh in-process mock.
func userFixture(b *testing.B) *userHarness {
	b.Helper()
	m, _ := startInProcessMock(b)
	return newUserHarness(b, m)
}

// BenchmarkUserValidate measures ValidateResourceConfig of one
// secureaccess_scim_user (Terraform calls it for every resource).
func BenchmarkUserValidate(b *testing.B) {
	h := userFixture(b)
	config := dynamicValue(b, h.userTyp, h.userConfig(b, 0))
	for b.Loop() {
		resp, err := h.server.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{TypeName: userType, Config: config})
		if err != nil {
			b.Fatal(err)
		}
		checkDiags(b, "ValidateResourceConfig", resp.Diagnostics)
	}
}

// BenchmarkUserPlanCreate measures PlanResourceChange of a new
// secureaccess_scim_user (no prior state).
func BenchmarkUserPlanCreate(b *testing.B) {
	h := userFixture(b)
	config := dynamicValue(b, h.userTyp, h.userConfig(b, 0))
	null := h.nullUser(b)
	for b.Loop() {
		h.planUser(b, config, null, config)
	}
}

// BenchmarkUserPlanNoChange measures PlanResourceChange of an existing
// secureaccess_scim_user whose configuration did not change: the plan of a
// refresh or a no-op apply.
func BenchmarkUserPlanNoChange(b *testing.B) {
	h := userFixture(b)
	config, state := h.createdUser(b, 0)
	cfgVal, err := config.Unmarshal(h.userTyp)
	if err != nil {
		b.Fatal(err)
	}
	stateVal, err := state.Unmarshal(h.userTyp)
	if err != nil {
		b.Fatal(err)
	}
	proposed := dynamicValue(b, h.userTyp, proposedNew(b, cfgVal, stateVal))
	planned, err := h.planUser(b, config, state, proposed).Unmarshal(h.userTyp)
	if err != nil {
		b.Fatal(err)
	}
	if !planned.Equal(stateVal) {
		b.Fatalf("the plan of an unchanged user is not its state:\nplanned %s\nstate   %s", planned, stateVal)
	}
	for b.Loop() {
		h.planUser(b, config, state, proposed)
	}
}

// BenchmarkUserApplyCreate measures ApplyResourceChange of a new
// secureaccess_scim_user: one POST to the in-process mock, then the state.
// The plans are made before the timer starts, one user name each.
func BenchmarkUserApplyCreate(b *testing.B) {
	h := userFixture(b)
	null := h.nullUser(b)
	configs := make([]*tfprotov6.DynamicValue, b.N)
	plans := make([]*tfprotov6.DynamicValue, b.N)
	for i := range b.N {
		configs[i] = dynamicValue(b, h.userTyp, h.userConfig(b, i))
		plans[i] = h.planUser(b, configs[i], null, configs[i])
	}
	b.ResetTimer()
	for i := range b.N {
		h.applyUser(b, configs[i], null, plans[i])
	}
}

// BenchmarkUserRead measures ReadResource (refresh) of one
// secureaccess_scim_user: one GET to the in-process mock, then the state.
func BenchmarkUserRead(b *testing.B) {
	h := userFixture(b)
	_, state := h.createdUser(b, 0)
	for b.Loop() {
		resp, err := h.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: userType, CurrentState: state})
		if err != nil {
			b.Fatal(err)
		}
		checkDiags(b, "ReadResource", resp.Diagnostics)
	}
}

// usersSizes are the directory sizes of the data source benchmark;
// scenario 4 of bench/run.sh lists 10,000 users.
var usersSizes = []int{1000, 10000}

// BenchmarkUsersDataSourceRead measures ReadDataSource of
// data "secureaccess_scim_users" without a filter over n seeded users: the
// pages from the in-process mock (1000 users each), their decoding and the
// state of n nested user objects.
func BenchmarkUsersDataSourceRead(b *testing.B) {
	for _, n := range usersSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			m, c := startInProcessMock(b)
			if _, err := seed(context.Background(), c, seedPlan{users: n}); err != nil {
				b.Fatal(err)
			}
			h := newUserHarness(b, m)
			config := dynamicValue(b, h.usersTyp, objectValue(b, h.usersTyp, nil))
			read := func() *tfprotov6.DynamicValue {
				resp, err := h.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: usersDataType, Config: config})
				if err != nil {
					b.Fatal(err)
				}
				checkDiags(b, "ReadDataSource", resp.Diagnostics)
				return resp.State
			}
			checkUsersState(b, h.usersTyp, read(), n)
			b.ResetTimer()
			for b.Loop() {
				read()
			}
		})
	}
}

// checkUsersState fails unless state lists n users, each with its seeded
// user name (seedUser), name and one email.
func checkUsersState(b *testing.B, typ tftypes.Type, state *tfprotov6.DynamicValue, n int) {
	b.Helper()
	v, err := state.Unmarshal(typ)
	if err != nil {
		b.Fatal(err)
	}
	var attrs map[string]tftypes.Value
	var users []tftypes.Value
	if err := v.As(&attrs); err != nil {
		b.Fatal(err)
	}
	if err := attrs["users"].As(&users); err != nil {
		b.Fatal(err)
	}
	if len(users) != n {
		b.Fatalf("data source returned %d users, want %d", len(users), n)
	}
	seen := make(map[string]bool, n)
	for _, u := range users {
		var ua map[string]tftypes.Value
		var userName string
		var emails []tftypes.Value
		if err := u.As(&ua); err != nil {
			b.Fatal(err)
		}
		if err := ua["user_name"].As(&userName); err != nil {
			b.Fatal(err)
		}
		if err := ua["emails"].As(&emails); err != nil {
			b.Fatal(err)
		}
		if ua["name"].IsNull() || len(emails) != 1 {
			b.Fatalf("user %s: name %s, %d emails; want a name and one email", userName, ua["name"], len(emails))
		}
		seen[userName] = true
	}
	for i := range n {
		if want := seedUser(i).UserName; !seen[want] {
			b.Fatalf("data source is missing %s", want)
		}
	}
}
