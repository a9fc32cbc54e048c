package provider

// The one place where this provider builds a state's Terraform value by
// hand (tftypes) instead of with tfsdk's Set: the users list of the
// secureaccess_scim_users data source, and the resource of each result of
// the secureaccess_scim_user list resource with include_resource (what
// `terraform query -generate-config-out` asks for).
//
// Why: tfsdk's Set walks the model with reflection, and in framework v1.19
// it compiles a regular expression for every struct field of every element
// it visits (hashicorp/terraform-plugin-framework#725). Setting 10,000
// users that way cost more than the rest of the read: BENCHMARKS.md,
// Finding 3 and BenchmarkUsersState, 3.68 s by reflection against 0.117 s
// here; the whole in-process read of 10,000 users went from 5.58 s to
// 2.33 s. Listing 10,000 users with include_resource took 5.4 times as
// long as without (BenchmarkUserListResource), nearly all of it in
// Resource.Set; BenchmarkUserResource compares the two conversions. For
// one user (the resource, the singular data source) the same conversion
// would save about 0.4 ms next to a 1.6 ms plan that is all framework, so
// everything else uses tfsdk's Get and Set.
//
// How it stays right: the values are built in the types of the schema the
// framework hands over (the Raw value), so the schema stays the one source
// of the types; TestSetUsersStateMatchesReflection and
// TestSetUserResourceMatchesReflection check the results against tfsdk's
// Set for every user shape, and the SchemaMismatch tests that a schema
// mismatch is an error diagnostic. tftypes.NewValue reports a value that
// does not fit its type by panicking; recoverConversion turns that
// provider bug into a diagnostic.

import (
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// setUsersState sets state to filter and users; no user is an empty list,
// not null. It builds the Terraform value directly, in the types of state's
// schema: tfsdk's reflection (State.Set of scimUsersDataSourceModel) took
// most of the read's time at 10,000 users (see the top of this file).
func setUsersState(state *tfsdk.State, filter types.String, users []*scim.User) (diags diag.Diagnostics) {
	defer recoverConversion(&diags)
	objType, ok := state.Raw.Type().(tftypes.Object)
	usersType, okList := objType.AttributeTypes["users"].(tftypes.List)
	userType, okUser := usersType.ElementType.(tftypes.Object)
	if !ok || !okList || !okUser {
		diags.AddError("Value Conversion Error",
			fmt.Sprintf("Unexpected schema type %s. This is a bug in the provider; please report it.", state.Raw.Type()))
		return diags
	}
	elems := make([]tftypes.Value, len(users))
	var m scimUserModel
	for i, u := range users {
		m.fromAPI(u)
		attrs := make(map[string]tftypes.Value, len(userType.AttributeTypes))
		if err := m.putTerraform(attrs, userType); err != nil {
			diags.AddError("Value Conversion Error", fmt.Sprintf("Could not build the state: %v. This is a bug in the provider; please report it.", err))
			return diags
		}
		elems[i] = tftypes.NewValue(userType, attrs)
	}
	setRaw(state, map[string]tftypes.Value{
		"filter": stringToTerraform(filter),
		"users":  tftypes.NewValue(usersType, elems),
	})
	return diags
}

// setUserResource sets res, a secureaccess_scim_user, to m, like
// res.Set(ctx, m) but without reflection (see the top of this file).
func setUserResource(res *tfsdk.Resource, m *scimUserResourceModel) (diags diag.Diagnostics) {
	defer recoverConversion(&diags)
	objType, ok := res.Raw.Type().(tftypes.Object)
	if !ok {
		diags.AddError("Value Conversion Error",
			fmt.Sprintf("Unexpected schema type %s. This is a bug in the provider; please report it.", res.Raw.Type()))
		return diags
	}
	attrs := make(map[string]tftypes.Value, len(objType.AttributeTypes))
	if err := m.putTerraform(attrs, objType); err != nil {
		diags.AddError("Value Conversion Error", fmt.Sprintf("Could not build the resource: %v. This is a bug in the provider; please report it.", err))
		return diags
	}
	attrs["on_destroy"] = stringToTerraform(m.OnDestroy)
	attrs["adopt_existing"] = boolToTerraform(m.AdoptExisting)
	res.Raw = tftypes.NewValue(objType, attrs)
	return diags
}

// putTerraform stores m's attributes in attrs as values of objType, the
// object type of a user in some schema (the resource, a data source, an
// element of users).
func (m *scimUserModel) putTerraform(attrs map[string]tftypes.Value, objType tftypes.Object) error {
	nameType, ok := objType.AttributeTypes["name"].(tftypes.Object)
	if !ok {
		return fmt.Errorf("name has type %s, want an object", objType.AttributeTypes["name"])
	}
	emailsType, ok := objType.AttributeTypes["emails"].(tftypes.List)
	if !ok {
		return fmt.Errorf("emails has type %s, want a list", objType.AttributeTypes["emails"])
	}
	attrs["id"] = stringToTerraform(m.ID)
	attrs["user_name"] = stringToTerraform(m.UserName.StringValue)
	attrs["display_name"] = stringToTerraform(m.DisplayName)
	attrs["external_id"] = stringToTerraform(m.ExternalID)
	attrs["active"] = boolToTerraform(m.Active)
	attrs["native_object_id"] = stringToTerraform(m.NativeObjectID)
	attrs["auth_name"] = stringToTerraform(m.AuthName)
	attrs["name"] = tftypes.NewValue(nameType, nil)
	if n := m.Name; n != nil {
		attrs["name"] = tftypes.NewValue(nameType, map[string]tftypes.Value{
			"given_name":  stringToTerraform(n.GivenName),
			"family_name": stringToTerraform(n.FamilyName),
			"formatted":   stringToTerraform(n.Formatted),
		})
	}
	attrs["emails"] = tftypes.NewValue(emailsType, nil)
	if m.Emails != nil {
		emails := make([]tftypes.Value, len(m.Emails))
		for i, e := range m.Emails {
			emails[i] = tftypes.NewValue(emailsType.ElementType, map[string]tftypes.Value{
				"value":   stringToTerraform(e.Value),
				"type":    stringToTerraform(e.Type),
				"primary": boolToTerraform(e.Primary),
			})
		}
		attrs["emails"] = tftypes.NewValue(emailsType, emails)
	}
	return nil
}

// stringToTerraform converts a string value.
func stringToTerraform(v basetypes.StringValue) tftypes.Value {
	switch {
	case v.IsNull():
		return tftypes.NewValue(tftypes.String, nil)
	case v.IsUnknown():
		return tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	}
	return tftypes.NewValue(tftypes.String, v.ValueString())
}

// boolToTerraform converts a bool value.
func boolToTerraform(v basetypes.BoolValue) tftypes.Value {
	switch {
	case v.IsNull():
		return tftypes.NewValue(tftypes.Bool, nil)
	case v.IsUnknown():
		return tftypes.NewValue(tftypes.Bool, tftypes.UnknownValue)
	}
	return tftypes.NewValue(tftypes.Bool, v.ValueBool())
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
