package provider

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func TestKeepUserNameCase(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		state, plan types.String
		want        types.String
	}{
		"create":           {state: types.StringNull(), plan: types.StringValue("Jane"), want: types.StringValue("Jane")},
		"unchanged":        {state: types.StringValue("Jane"), plan: types.StringValue("Jane"), want: types.StringValue("Jane")},
		"letter case only": {state: types.StringValue("Jane.Doe"), plan: types.StringValue("jane.doe"), want: types.StringValue("Jane.Doe")},
		"renamed":          {state: types.StringValue("jane.doe"), plan: types.StringValue("jane.smith"), want: types.StringValue("jane.smith")},
		"unknown plan":     {state: types.StringValue("Jane"), plan: types.StringUnknown(), want: types.StringUnknown()},
		"destroy":          {state: types.StringValue("Jane"), plan: types.StringNull(), want: types.StringNull()},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := planmodifier.StringRequest{StateValue: tt.state, PlanValue: tt.plan, ConfigValue: tt.plan}
			resp := &planmodifier.StringResponse{PlanValue: tt.plan}
			keepUserNameCase{}.PlanModifyString(t.Context(), req, resp)
			if diff := cmp.Diff(tt.want, resp.PlanValue); diff != "" {
				t.Errorf("planned value mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIgnoreListOrder(t *testing.T) {
	t.Parallel()
	unknownElem := types.ListValueMust(types.StringType, []attr.Value{types.StringValue("a"), types.StringUnknown()})
	tests := []struct {
		name        string
		state, plan types.List
		want        types.List
	}{
		{name: "reordered: the state's value", state: stringList([]string{"a", "b", "c"}), plan: stringList([]string{"c", "a", "b"}), want: stringList([]string{"a", "b", "c"})},
		{name: "a member added", state: stringList([]string{"a", "b"}), plan: stringList([]string{"b", "a", "c"}), want: stringList([]string{"b", "a", "c"})},
		{name: "a member swapped", state: stringList([]string{"a", "b"}), plan: stringList([]string{"b", "c"}), want: stringList([]string{"b", "c"})},
		{name: "same length, a duplicate", state: stringList([]string{"a", "b"}), plan: stringList([]string{"a", "a"}), want: stringList([]string{"a", "a"})},
		{name: "create", state: types.ListNull(types.StringType), plan: stringList([]string{"a"}), want: stringList([]string{"a"})},
		{name: "unknown plan", state: stringList([]string{"a"}), plan: types.ListUnknown(types.StringType), want: types.ListUnknown(types.StringType)},
		{name: "an unknown element", state: stringList([]string{"a", "b"}), plan: unknownElem, want: unknownElem},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := planmodifier.ListRequest{Path: path.Root("member_ids"), StateValue: tt.state, PlanValue: tt.plan, ConfigValue: tt.plan}
			resp := &planmodifier.ListResponse{PlanValue: req.PlanValue}
			ignoreListOrder{}.PlanModifyList(context.Background(), req, resp)
			if !resp.PlanValue.Equal(tt.want) {
				t.Errorf("planned %s, want %s", resp.PlanValue, tt.want)
			}
		})
	}
}
