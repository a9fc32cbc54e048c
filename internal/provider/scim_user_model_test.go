package provider

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// fullAPIUser is a user with every attribute set, as the service returns it.
func fullAPIUser() *scim.User {
	return &scim.User{
		ID:          "2819c223-7f76-453a-919d-413861904646",
		ExternalID:  new("00u1abcd"),
		UserName:    "jane.doe@example.com",
		Active:      new(false),
		DisplayName: new("Jane Doe"),
		Name:        &scim.Name{GivenName: new("Jane"), FamilyName: new("Doe"), Formatted: new("Ms. Jane Doe")},
		Emails: []scim.Email{
			{Value: "jane.doe@example.com", Type: "work", Primary: true},
			{Value: "jane@home.example"},
		},
		Cisco: &scim.CiscoUserExtension{NativeObjectID: new("b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11"), AuthName: new("jdoe")},
		Meta:  &scim.Meta{ResourceType: "User", Created: time.Unix(0, 0), Version: `W/"1"`},
	}
}

// fullUserModel is fullAPIUser as the model holds it.
func fullUserModel() scimUserModel {
	return scimUserModel{
		ID:          types.StringValue("2819c223-7f76-453a-919d-413861904646"),
		UserName:    newUserNameValue("jane.doe@example.com"),
		DisplayName: types.StringValue("Jane Doe"),
		Name: &scimUserNameModel{
			GivenName:  types.StringValue("Jane"),
			FamilyName: types.StringValue("Doe"),
			Formatted:  types.StringValue("Ms. Jane Doe"),
		},
		Emails: []scimUserEmailModel{
			{Value: types.StringValue("jane.doe@example.com"), Type: types.StringValue("work"), Primary: types.BoolValue(true)},
			{Value: types.StringValue("jane@home.example"), Type: types.StringNull(), Primary: types.BoolValue(false)},
		},
		ExternalID:     types.StringValue("00u1abcd"),
		Active:         types.BoolValue(false),
		NativeObjectID: types.StringValue("b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11"),
		AuthName:       types.StringValue("jdoe"),
	}
}

// minimalUserModel is a user with only the required attributes.
func minimalUserModel(active bool) scimUserModel {
	return scimUserModel{
		ID:             types.StringValue("u1"),
		UserName:       newUserNameValue("jane"),
		DisplayName:    types.StringNull(),
		ExternalID:     types.StringNull(),
		Active:         types.BoolValue(active),
		NativeObjectID: types.StringNull(),
		AuthName:       types.StringNull(),
	}
}

func TestSCIMUserModelFromAPI(t *testing.T) {
	t.Parallel()
	withAuthName := minimalUserModel(true)
	withAuthName.AuthName = types.StringValue("jdoe")
	withGivenName := minimalUserModel(true)
	withGivenName.Name = &scimUserNameModel{GivenName: types.StringValue("Jane"), FamilyName: types.StringNull(), Formatted: types.StringNull()}

	tests := map[string]struct {
		in   *scim.User
		want scimUserModel
	}{
		"every attribute": {in: fullAPIUser(), want: fullUserModel()},
		"missing active is inactive": {
			in:   &scim.User{ID: "u1", UserName: "jane"},
			want: minimalUserModel(false),
		},
		"inactive": {
			in:   &scim.User{ID: "u1", UserName: "jane", Active: new(false)},
			want: minimalUserModel(false),
		},
		"empty name and emails are null": {
			in:   &scim.User{ID: "u1", UserName: "jane", Active: new(true), Name: &scim.Name{}, Emails: []scim.Email{}},
			want: minimalUserModel(true),
		},
		"partial name": {
			in:   &scim.User{ID: "u1", UserName: "jane", Active: new(true), Name: &scim.Name{GivenName: new("Jane")}},
			want: withGivenName,
		},
		"extension with authName only": {
			in:   &scim.User{ID: "u1", UserName: "jane", Active: new(true), Cisco: &scim.CiscoUserExtension{AuthName: new("jdoe")}},
			want: withAuthName,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var got scimUserModel
			got.fromAPI(tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fromAPI() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSCIMUserModelToAPI(t *testing.T) {
	t.Parallel()
	noExtension := fullUserModel()
	noExtension.NativeObjectID, noExtension.AuthName = types.StringNull(), types.StringNull()
	wantNoExtension := fullAPIUser()
	wantNoExtension.Cisco = nil
	nativeOnly := minimalUserModel(true)
	nativeOnly.NativeObjectID = types.StringValue("guid")

	tests := map[string]struct {
		in   scimUserModel
		want *scim.User
	}{
		"every attribute": {in: fullUserModel(), want: fullAPIUser()},
		"no extension attributes send no extension": {in: noExtension, want: wantNoExtension},
		"null attributes are left out": {
			in:   minimalUserModel(true),
			want: &scim.User{UserName: "jane", Active: new(true)},
		},
		"one extension attribute": {
			in:   nativeOnly,
			want: &scim.User{UserName: "jane", Active: new(true), Cisco: &scim.CiscoUserExtension{NativeObjectID: new("guid")}},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := *tt.want
			want.ID, want.Meta = "", nil // the ID goes in the URL; meta is the service's
			if diff := cmp.Diff(&want, tt.in.toAPI()); diff != "" {
				t.Errorf("toAPI() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestUserConversionCoversSchema checks that the values setModel builds of
// a fully set user (setUserResource, what the list resource gives with
// include_resource, and setUsersState, the users data source) have a value
// for every attribute of their schema, at every depth, and no value beside
// them: an attribute added to one schema but not to the other or to the
// model, or to the model but not to fromAPI, fails here, naming it, not in
// a user's terraform query.
func TestUserConversionCoversSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	full := fullAPIUser()
	full.Emails = full.Emails[:1] // the second leaves type out

	rs := userResourceSchema(t)
	res := tfsdk.Resource{Schema: rs, Raw: tftypes.NewValue(rs.Type().TerraformType(ctx), nil)}
	if diags := setUserResource(&res, listedUserModel(full)); diags.HasError() {
		t.Fatalf("setUserResource: %v", diags)
	}
	assertKeysMatchSchema(t, "secureaccess_scim_user", rs.Type(), res.Raw)

	ds := usersDataSourceSchema(t)
	st := tfsdk.State{Schema: ds, Raw: tftypes.NewValue(ds.Type().TerraformType(ctx), nil)}
	if diags := setUsersState(&st, types.StringValue(`userName eq "jane.doe@example.com"`), []*scim.User{full}); diags.HasError() {
		t.Fatalf("setUsersState: %v", diags)
	}
	assertKeysMatchSchema(t, "data.secureaccess_scim_users", ds.Type(), st.Raw)
}

// assertKeysMatchSchema compares the keys of v with the attributes of typ,
// the framework type of a schema or of one of its attributes, recursively
// through nested objects and lists. A null value or an empty list is an
// error too: the fully set user sets everything, so every level is compared.
func assertKeysMatchSchema(t *testing.T, path string, typ attr.Type, v tftypes.Value) {
	t.Helper()
	if v.IsNull() || !v.IsKnown() {
		t.Errorf("%s is %s; a fully set user sets every attribute (add it to fullAPIUser)", path, v)
		return
	}
	switch typ := typ.(type) {
	case basetypes.ObjectType:
		var attrs map[string]tftypes.Value
		if err := v.As(&attrs); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for name, at := range typ.AttrTypes {
			av, ok := attrs[name]
			if !ok {
				t.Errorf("%s.%s: an attribute of the schema that the conversion gives no value", path, name)
				continue
			}
			assertKeysMatchSchema(t, path+"."+name, at, av)
		}
		for name := range attrs {
			if _, ok := typ.AttrTypes[name]; !ok {
				t.Errorf("%s.%s: a value of the conversion that the schema has no attribute for", path, name)
			}
		}
	case basetypes.ListType:
		var elems []tftypes.Value
		if err := v.As(&elems); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if len(elems) == 0 {
			t.Errorf("%s is empty; a fully set user has at least one (add it to fullAPIUser)", path)
		}
		for i, e := range elems {
			assertKeysMatchSchema(t, fmt.Sprintf("%s[%d]", path, i), typ.ElemType, e)
		}
	}
}

// TestUserScalarsCoverSchema checks that userScalars and nameParts, the
// strings ownership.go plans and settles one by one, are the optional
// strings of secureaccess_scim_user without default, at the top and in
// name: an optional string attribute added to the schema and the model
// but not to them fails here.
func TestUserScalarsCoverSchema(t *testing.T) {
	t.Parallel()
	optionalStrings := func(attrs map[string]rschema.Attribute) []string {
		var names []string
		for name, a := range attrs {
			if s, ok := a.(rschema.StringAttribute); ok && s.Optional && s.Default == nil {
				names = append(names, name)
			}
		}
		slices.Sort(names)
		return names
	}
	var scalars, parts []string
	for _, a := range userScalars {
		scalars = append(scalars, a.key)
	}
	for _, p := range nameParts {
		parts = append(parts, p.key)
	}
	slices.Sort(scalars)
	slices.Sort(parts)
	s := userResourceSchema(t)
	if want := optionalStrings(s.Attributes); !slices.Equal(scalars, want) {
		t.Errorf("userScalars = %q, want the schema's optional strings without default %q", scalars, want)
	}
	if want := optionalStrings(s.Attributes["name"].(rschema.SingleNestedAttribute).Attributes); !slices.Equal(parts, want) {
		t.Errorf("nameParts = %q, want name's optional strings %q", parts, want)
	}
}
