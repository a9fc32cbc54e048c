package main

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

// groupMembersType is the resource type the provider benchmarks drive.
const groupMembersType = "secureaccess_scim_group_members"

// protoHarness drives the provider in process through the plugin protocol,
// as Terraform does, against an in-process mock.
type protoHarness struct {
	server tfprotov6.ProviderServer
	typ    tftypes.Type // the group_members resource's object type
}

// newProtoHarness configures the provider against m.
func newProtoHarness(tb testing.TB, m *mockProcess) *protoHarness {
	tb.Helper()
	ctx := context.Background()
	server, err := providerserver.NewProtocol6WithError(provider.New("bench")())()
	if err != nil {
		tb.Fatal(err)
	}
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "GetProviderSchema", schemas.Diagnostics)
	cfg := objectValue(tb, schemas.Provider.ValueType(), map[string]tftypes.Value{
		"base_url":   tftypes.NewValue(tftypes.String, m.url),
		"scim_token": tftypes.NewValue(tftypes.String, m.scimToken),
	})
	resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: dynamicValue(tb, schemas.Provider.ValueType(), cfg)})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "ConfigureProvider", resp.Diagnostics)
	return &protoHarness{server: server, typ: schemas.ResourceSchemas[groupMembersType].ValueType()}
}

// config returns the group_members configuration of groupID and userIDs.
func (h *protoHarness) config(tb testing.TB, groupID string, userIDs []string) tftypes.Value {
	tb.Helper()
	members := make([]tftypes.Value, len(userIDs))
	for i, id := range userIDs {
		members[i] = tftypes.NewValue(tftypes.String, id)
	}
	return objectValue(tb, h.typ, map[string]tftypes.Value{
		"group_id":   tftypes.NewValue(tftypes.String, groupID),
		"member_ids": tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, members),
	})
}

// create plans and applies the creation of config, returning the new state.
func (h *protoHarness) create(tb testing.TB, config tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	ctx := context.Background()
	cfg := dynamicValue(tb, h.typ, config)
	null := dynamicValue(tb, h.typ, tftypes.NewValue(h.typ, nil))
	plan, err := h.server.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: groupMembersType, PriorState: null, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "PlanResourceChange", plan.Diagnostics)
	applied, err := h.server.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: groupMembersType, PriorState: null, PlannedState: plan.PlannedState, Config: cfg,
	})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "ApplyResourceChange", applied.Diagnostics)
	return applied.NewState
}

// plan plans config against the prior state, as a refresh-then-plan of
// an unchanged configuration does.
func (h *protoHarness) plan(tb testing.TB, state *tfprotov6.DynamicValue, config tftypes.Value) {
	tb.Helper()
	cfg := dynamicValue(tb, h.typ, config)
	resp, err := h.server.PlanResourceChange(context.Background(), &tfprotov6.PlanResourceChangeRequest{
		TypeName: groupMembersType, PriorState: state, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "PlanResourceChange", resp.Diagnostics)
}

// read refreshes state.
func (h *protoHarness) read(tb testing.TB, state *tfprotov6.DynamicValue) {
	tb.Helper()
	resp, err := h.server.ReadResource(context.Background(), &tfprotov6.ReadResourceRequest{TypeName: groupMembersType, CurrentState: state})
	if err != nil {
		tb.Fatal(err)
	}
	checkDiags(tb, "ReadResource", resp.Diagnostics)
}

// objectValue returns an object of type t with attrs set and every other
// attribute null.
func objectValue(tb testing.TB, t tftypes.Type, attrs map[string]tftypes.Value) tftypes.Value {
	tb.Helper()
	obj, ok := t.(tftypes.Object)
	if !ok {
		tb.Fatalf("schema type %s is not an object", t)
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
		if v, ok := attrs[name]; ok {
			vals[name] = v
		}
	}
	return tftypes.NewValue(obj, vals)
}

// dynamicValue encodes v as the protocol does.
func dynamicValue(tb testing.TB, t tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	tb.Helper()
	dv, err := tfprotov6.NewDynamicValue(t, v)
	if err != nil {
		tb.Fatal(err)
	}
	return &dv
}

// checkDiags fails on error diagnostics.
func checkDiags(tb testing.TB, call string, diags []*tfprotov6.Diagnostic) {
	tb.Helper()
	var errs []string
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			errs = append(errs, d.Summary+": "+d.Detail)
		}
	}
	if len(errs) > 0 {
		tb.Fatalf("%s: %s", call, strings.Join(errs, "; "))
	}
}

// membersSizes are the group sizes the benchmarks compare, to show how the
// cost grows with the number of members.
var membersSizes = []int{250, 500, 1000, 10000}

// BenchmarkGroupMembersCreate measures PlanResourceChange plus
// ApplyResourceChange of one secureaccess_scim_group_members of n members,
// the provider's share of scenario 3's create. From the second iteration on
// the group already has the members, so no PATCH is sent: what remains is
// the provider's and the framework's own work.
func BenchmarkGroupMembersCreate(b *testing.B) {
	for _, n := range membersSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h, config := groupMembersFixture(b, n)
			for b.Loop() {
				h.create(b, config)
			}
		})
	}
}

// BenchmarkGroupMembersRead measures ReadResource (refresh) of one
// secureaccess_scim_group_members of n members.
func BenchmarkGroupMembersRead(b *testing.B) {
	for _, n := range membersSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h, config := groupMembersFixture(b, n)
			state := h.create(b, config)
			for b.Loop() {
				h.read(b, state)
			}
		})
	}
}

// BenchmarkGroupMembersPlan measures PlanResourceChange of one unchanged
// secureaccess_scim_group_members of n members with its prior state, the
// provider's share of a plan after the refresh: validators and plan
// modifiers over every member ID.
func BenchmarkGroupMembersPlan(b *testing.B) {
	for _, n := range membersSizes {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			h, config := groupMembersFixture(b, n)
			state := h.create(b, config)
			for b.Loop() {
				h.plan(b, state, config)
			}
		})
	}
}

// groupMembersFixture seeds n users and a group into a fresh in-process
// mock and returns a configured provider and the resource's configuration.
func groupMembersFixture(b *testing.B, n int) (*protoHarness, tftypes.Value) {
	b.Helper()
	m, c := startInProcessMock(b)
	s, err := seed(context.Background(), c, seedPlan{users: n, group: true})
	if err != nil {
		b.Fatal(err)
	}
	h := newProtoHarness(b, m)
	return h, h.config(b, s.groupID, s.userIDs)
}

// BenchmarkGroupDataSourceRead measures ReadDataSource of
// secureaccess_scim_group with include_members for a group of 10,000
// members. With member_ids as a set it took 23 s: the framework's
// SetType.Validate compares every pair of elements.
func BenchmarkGroupDataSourceRead(b *testing.B) {
	m, c := startInProcessMock(b)
	s, err := seed(context.Background(), c, seedPlan{users: 10000, group: true})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := c.Groups.UpdateMembers(context.Background(), s.groupID, s.userIDs, nil); err != nil {
		b.Fatal(err)
	}
	h := newProtoHarness(b, m)
	schemas, _ := h.server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	typ := schemas.DataSourceSchemas["secureaccess_scim_group"].ValueType()
	cfg := objectValue(b, typ, map[string]tftypes.Value{
		"display_name":    tftypes.NewValue(tftypes.String, seedGroupName),
		"include_members": tftypes.NewValue(tftypes.Bool, true),
	})
	dv := dynamicValue(b, typ, cfg)
	for b.Loop() {
		resp, err := h.server.ReadDataSource(context.Background(), &tfprotov6.ReadDataSourceRequest{TypeName: "secureaccess_scim_group", Config: dv})
		if err != nil {
			b.Fatal(err)
		}
		checkDiags(b, "ReadDataSource", resp.Diagnostics)
	}
}
