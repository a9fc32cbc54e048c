package provider

// The provider's own plan modifiers; the framework's (UseStateForUnknown,
// RequiresReplace) are used where they suffice.

import (
	"context"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// computedKept is a string attribute that the service sets when it creates
// the object, and that an update does not change: a plan keeps its value
// from the state instead of showing "(known after apply)".
func computedKept(description string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description,
		Computed:            true,
		PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
	}
}

// sensitive returns a, marked sensitive: Terraform shows no value of it.
func sensitive(a schema.StringAttribute) schema.StringAttribute {
	a.Sensitive = true
	return a
}

// keepUserNameCase plans the prior user_name when the configuration differs
// from it only in letter case, so that such a change plans nothing.
type keepUserNameCase struct{}

var _ planmodifier.String = keepUserNameCase{}

// Description describes the plan modifier.
func (keepUserNameCase) Description(context.Context) string {
	return "A change of letter case alone is not a change: the prior value is kept."
}

// MarkdownDescription describes the plan modifier.
func (m keepUserNameCase) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

// PlanModifyString keeps the state value when it equals the planned one
// apart from letter case.
func (keepUserNameCase) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if strings.EqualFold(req.StateValue.ValueString(), req.PlanValue.ValueString()) {
		resp.PlanValue = req.StateValue
	}
}

// sameStrings reports whether two lists of known strings hold the same
// values, each as often, in any order.
func sameStrings(a, b []attr.Value) bool {
	if len(a) != len(b) {
		return false
	}
	count := make(map[string]int, len(a))
	for _, e := range a {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			return false
		}
		count[s.ValueString()]++
	}
	for _, e := range b {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() || count[s.ValueString()] == 0 {
			return false
		}
		count[s.ValueString()]--
	}
	return true
}

// ignoreListOrder is a plan modifier for a list of strings that stands for
// a set: when the configuration holds the same values as the state in
// another order, it plans the state's value, so reordering plans no change.
// Terraform accepts a planned value equal to the prior state for a
// configured attribute.
type ignoreListOrder struct{}

var _ planmodifier.List = ignoreListOrder{}

func (ignoreListOrder) Description(context.Context) string {
	return "The order of the values does not matter: the same values in another order plan no change."
}

func (m ignoreListOrder) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}

func (ignoreListOrder) PlanModifyList(_ context.Context, req planmodifier.ListRequest, resp *planmodifier.ListResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() || req.PlanValue.IsNull() || req.PlanValue.IsUnknown() {
		return
	}
	if req.PlanValue.Equal(req.StateValue) || !sameStrings(req.PlanValue.Elements(), req.StateValue.Elements()) {
		return
	}
	resp.PlanValue = req.StateValue
}
