package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// Secure Access compares userNames case-insensitively, so "Jane.Doe" and
// "jane.doe" name the same user. Two pieces keep Terraform from seeing a
// change where the service sees none:
//   - userNameValue has semantic equality, so a userName that the service
//     (or an IdP) returns in another letter case keeps the value in state;
//   - keepUserNameCase (planmodifiers.go) keeps the prior state value in the plan when the
//     configuration differs from it only in letter case (semantic equality
//     is not consulted at plan time).

var (
	_ basetypes.StringTypable                    = userNameType{}
	_ basetypes.StringValuableWithSemanticEquals = userNameValue{}
)

// userNameType is the type of user_name: a string compared case-insensitively.
type userNameType struct {
	basetypes.StringType
}

// String returns a human-readable name of the type.
func (userNameType) String() string { return "userNameType" }

// Equal reports whether o is also a userNameType.
func (t userNameType) Equal(o attr.Type) bool {
	_, ok := o.(userNameType)
	return ok
}

// ValueType returns the value type of userNameType.
func (userNameType) ValueType(context.Context) attr.Value { return userNameValue{} }

// ValueFromString wraps a plain string value.
func (userNameType) ValueFromString(_ context.Context, in basetypes.StringValue) (basetypes.StringValuable, diag.Diagnostics) {
	return userNameValue{StringValue: in}, nil
}

// ValueFromTerraform converts a Terraform value.
func (t userNameType) ValueFromTerraform(ctx context.Context, in tftypes.Value) (attr.Value, error) {
	v, err := t.StringType.ValueFromTerraform(ctx, in)
	if err != nil {
		return nil, err
	}
	s, ok := v.(basetypes.StringValue)
	if !ok {
		return nil, fmt.Errorf("unexpected value type %T", v)
	}
	return userNameValue{StringValue: s}, nil
}

// userNameValue is a user_name value; it equals, semantically, any value
// that differs from it only in letter case.
type userNameValue struct {
	basetypes.StringValue
}

// newUserNameValue returns a known user_name value.
func newUserNameValue(s string) userNameValue {
	return userNameValue{StringValue: basetypes.NewStringValue(s)}
}

// Type returns userNameType.
func (userNameValue) Type(context.Context) attr.Type { return userNameType{} }

// Equal reports whether o is a userNameValue with exactly the same value.
func (v userNameValue) Equal(o attr.Value) bool {
	other, ok := o.(userNameValue)
	return ok && v.StringValue.Equal(other.StringValue)
}

// StringSemanticEquals reports whether the two userNames differ only in
// letter case.
func (v userNameValue) StringSemanticEquals(_ context.Context, o basetypes.StringValuable) (bool, diag.Diagnostics) {
	var diags diag.Diagnostics
	other, ok := o.(userNameValue)
	if !ok {
		diags.AddError("Semantic Equality Check Error",
			fmt.Sprintf("Expected a userNameValue, got %T. This is a bug in the provider; please report it.", o))
		return false, diags
	}
	return strings.EqualFold(v.ValueString(), other.ValueString()), diags
}
