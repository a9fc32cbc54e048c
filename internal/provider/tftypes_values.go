package provider

import (
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Helpers of the Terraform values built by hand (see scim_user_model.go).

// checkedObject returns the object of attrs in type t. An attribute of t
// without value in attrs, or a value in attrs that t has no attribute for,
// is an error that names them, where tftypes.NewValue would panic.
func checkedObject(t tftypes.Object, attrs map[string]tftypes.Value) (tftypes.Value, error) {
	var missing, extra []string
	for k := range t.AttributeTypes {
		if _, ok := attrs[k]; !ok {
			missing = append(missing, k)
		}
	}
	for k := range attrs {
		if _, ok := t.AttributeTypes[k]; !ok {
			extra = append(extra, k)
		}
	}
	if len(missing) > 0 || len(extra) > 0 {
		slices.Sort(missing)
		slices.Sort(extra)
		var why []string
		if len(missing) > 0 {
			why = append(why, "no value for the schema's "+strings.Join(missing, ", "))
		}
		if len(extra) > 0 {
			why = append(why, "a value for "+strings.Join(extra, ", ")+", which the schema does not have")
		}
		return tftypes.Value{}, fmt.Errorf("%s", strings.Join(why, "; "))
	}
	return tftypes.NewValue(t, attrs), nil
}

// stringToTerraform converts a string value.
func stringToTerraform(v basetypes.StringValue) tftypes.Value {
	return scalarToTerraform(tftypes.String, v.IsNull(), v.IsUnknown(), v.ValueString())
}

// boolToTerraform converts a bool value.
func boolToTerraform(v basetypes.BoolValue) tftypes.Value {
	return scalarToTerraform(tftypes.Bool, v.IsNull(), v.IsUnknown(), v.ValueBool())
}

// scalarToTerraform is the value of type typ: null, unknown, or v.
func scalarToTerraform(typ tftypes.Type, null, unknown bool, v any) tftypes.Value {
	switch {
	case null:
		return tftypes.NewValue(typ, nil)
	case unknown:
		return tftypes.NewValue(typ, tftypes.UnknownValue)
	}
	return tftypes.NewValue(typ, v)
}

// setRaw sets state to the object of attrs, in state's own type.
func setRaw(state *tfsdk.State, attrs map[string]tftypes.Value) {
	state.Raw = tftypes.NewValue(state.Raw.Type(), attrs)
}

// recoverConversion turns a panic of tftypes.NewValue, its way of reporting
// a value that does not fit its type (a provider bug), into an error
// diagnostic. Defer it in functions that build a state.
func recoverConversion(diags *diag.Diagnostics) {
	if r := recover(); r != nil {
		diags.AddError("Value Conversion Error",
			fmt.Sprintf("Could not build the state: %v. This is a bug in the provider; please report it.", r))
	}
}
