package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// scimUserModel is a SCIM user as the resource and both data sources show
// it; tfsdk tags equal the schema keys.
type scimUserModel struct {
	ID             types.String         `tfsdk:"id"`
	UserName       userNameValue        `tfsdk:"user_name"`
	DisplayName    types.String         `tfsdk:"display_name"`
	Name           *scimUserNameModel   `tfsdk:"name"`
	Emails         []scimUserEmailModel `tfsdk:"emails"`
	ExternalID     types.String         `tfsdk:"external_id"`
	Active         types.Bool           `tfsdk:"active"`
	NativeObjectID types.String         `tfsdk:"native_object_id"`
	AuthName       types.String         `tfsdk:"auth_name"`
}

// scimUserNameModel is the user's name.
type scimUserNameModel struct {
	GivenName  types.String `tfsdk:"given_name"`
	FamilyName types.String `tfsdk:"family_name"`
	Formatted  types.String `tfsdk:"formatted"`
}

// scimUserEmailModel is one of the user's email addresses.
type scimUserEmailModel struct {
	Value   types.String `tfsdk:"value"`
	Type    types.String `tfsdk:"type"`
	Primary types.Bool   `tfsdk:"primary"`
}

// fromAPI sets m to a user as the service returns it. Attributes the
// service leaves out become null, except active: a user whose active is
// unassigned (a SCIM PATCH can remove it) is not active, so a missing
// active reads as false. A configured active = true then plans an update
// that sets it again.
func (m *scimUserModel) fromAPI(u *scim.User) {
	*m = scimUserModel{
		ID:             types.StringValue(u.ID),
		UserName:       newUserNameValue(u.UserName),
		DisplayName:    types.StringPointerValue(u.DisplayName),
		ExternalID:     types.StringPointerValue(u.ExternalID),
		Active:         types.BoolValue(u.Active != nil && *u.Active),
		NativeObjectID: types.StringNull(),
		AuthName:       types.StringNull(),
	}
	if n := u.Name; n != nil && (n.GivenName != nil || n.FamilyName != nil || n.Formatted != nil) {
		m.Name = &scimUserNameModel{
			GivenName:  types.StringPointerValue(n.GivenName),
			FamilyName: types.StringPointerValue(n.FamilyName),
			Formatted:  types.StringPointerValue(n.Formatted),
		}
	}
	for _, e := range u.Emails {
		m.Emails = append(m.Emails, scimUserEmailModel{
			Value:   types.StringValue(e.Value),
			Type:    optionalString(e.Type),
			Primary: types.BoolValue(e.Primary),
		})
	}
	if c := u.Cisco; c != nil {
		m.NativeObjectID = types.StringPointerValue(c.NativeObjectID)
		m.AuthName = types.StringPointerValue(c.AuthName)
	}
}

// toAPI returns the user to send: every attribute, as PUT replaces the
// whole user. Null attributes are left out, which clears them, and so are
// unknown ones, which a plan leaves to the service (ownership.go).
func (m scimUserModel) toAPI() *scim.User {
	u := &scim.User{
		UserName:    m.UserName.ValueString(),
		DisplayName: knownString(m.DisplayName),
		ExternalID:  knownString(m.ExternalID),
		Active:      knownBool(m.Active),
	}
	if n := m.Name; n != nil {
		u.Name = &scim.Name{
			GivenName:  knownString(n.GivenName),
			FamilyName: knownString(n.FamilyName),
			Formatted:  knownString(n.Formatted),
		}
		if *u.Name == (scim.Name{}) {
			u.Name = nil
		}
	}
	for _, e := range m.Emails {
		u.Emails = append(u.Emails, scim.Email{
			Value:   e.Value.ValueString(),
			Type:    e.Type.ValueString(),
			Primary: e.Primary.ValueBool(),
		})
	}
	if c := (scim.CiscoUserExtension{NativeObjectID: knownString(m.NativeObjectID), AuthName: knownString(m.AuthName)}); c != (scim.CiscoUserExtension{}) {
		u.Cisco = &c
	}
	return u
}

// knownString is v's value, or nil when v is null or unknown.
func knownString(v types.String) *string {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueStringPointer()
}

// knownBool is v's value, or nil when v is null or unknown.
func knownBool(v types.Bool) *bool {
	if v.IsNull() || v.IsUnknown() {
		return nil
	}
	return v.ValueBoolPointer()
}

// Descriptions shared by the resource and the data sources.
const (
	// descLeftToService ends the description of an optional attribute
	// without a default of secureaccess_scim_user and secureaccess_scim_group
	// (ownership.go).
	descLeftToService = "Left unset, it is the service's: the state records what the service holds, and no plan changes it."
	descUserID        = "The user's SCIM ID, assigned by Secure Access."
	descUserName      = "The user's unique login name (SCIM `userName`), usually the email address or UPN the identity provider pushes. Secure Access compares user names without regard to letter case."
	descDisplayName   = "The name shown for the user in the Secure Access dashboard and reports (SCIM `displayName`)."
	descName          = "The user's name (SCIM `name`)."
	descGivenName     = "The user's given (first) name (SCIM `name.givenName`)."
	descFamilyName    = "The user's family (last) name (SCIM `name.familyName`)."
	descFormatted     = "The user's full name as it should be displayed (SCIM `name.formatted`)."
	descEmails        = "The user's email addresses (SCIM `emails`)."
	descEmailValue    = "The email address."
	descEmailPrimary  = "Whether this is the user's primary email address. At most one email may be primary."
	descExternalID    = "The user's identifier in the identity provider (SCIM `externalId`), for example Okta's user ID, or what Entra ID maps to it (`mailNickname` in its default mapping, or the object ID)."
	descActive        = "Whether the user is active (SCIM `active`). Inactive users cannot authenticate through Secure Access. " +
		"A user whose `active` the service leaves unassigned (a SCIM PATCH that removes `active` does that) is not active and reads as `false`."
	descNativeObject = "The user's Active Directory objectGUID (`nativeObjectId` of the Cisco extension `urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User`)."
	descAuthName     = "The name the user authenticates with, when it differs from `user_name` (`authName` of the Cisco extension `urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User`)."
)

// scimUserResourceModel maps the resource's schema: the user plus the
// resource's own settings.
type scimUserResourceModel struct {
	scimUserModel
	OnDestroy     types.String `tfsdk:"on_destroy"`
	AdoptExisting types.Bool   `tfsdk:"adopt_existing"`
}

// setDefaultSettings fills in the defaults of the resource's own settings,
// which an imported user has no value for.
func (m *scimUserResourceModel) setDefaultSettings() {
	if m.OnDestroy.IsNull() {
		m.OnDestroy = types.StringValue(onDestroyDelete)
	}
	if m.AdoptExisting.IsNull() {
		m.AdoptExisting = types.BoolValue(false)
	}
}

// The Terraform values of users, built by setModel (tftypes_values.go)
// instead of tfsdk's Set, the one place where this provider does so: the
// users list of the secureaccess_scim_users data source, and the resource
// of each result of the secureaccess_scim_user list resource with
// include_resource (what `terraform query -generate-config-out` asks for).
//
// Why: tfsdk's Set walks the model with reflection, and in framework v1.19
// it compiles a regular expression for every struct field of every element
// it visits (hashicorp/terraform-plugin-framework#725). Setting 10,000
// users that way cost more than the rest of the read: BENCHMARKS.md,
// Finding 3 and BenchmarkUsersState, 3.68 s by reflection against 0.117 s
// for values built by hand; the whole in-process read of 10,000 users went
// from 5.58 s to 2.33 s. Listing 10,000 users with include_resource took
// 5.4 times as long as without (BenchmarkUserListResource), nearly all of
// it in Resource.Set; BenchmarkUserResource compares the two conversions.
// For one user (the resource, the singular data source) the same
// conversion would save about 0.4 ms next to a 1.6 ms plan that is all
// framework, so everything else uses tfsdk's Get and Set.
//
// How it stays right: setModel takes the attributes from the model's tfsdk
// tags, as tfsdk does, and their types from the schema the framework hands
// over (the Raw value); a schema attribute without field, or a field
// without attribute, is an error that names it. So a user attribute is in
// the resource's schema, the data sources' (scimUserDataSourceAttributes)
// and the model, with its lines in fromAPI and toAPI above, and a test
// fails when one of them misses it: TestUserConversionCoversSchema sets a
// fully set user in the resource's and the users data source's schemas
// and wants a value that is not null for every attribute, at every depth
// (one that fromAPI misses is null), and TestSCIMUserModelToAPI one that
// toAPI misses. An optional string is also in userScalars or nameParts
// (ownership.go), or TestUserScalarsCoverSchema fails. The Reflection
// tests check the values against tfsdk's Set for every user shape, and the
// SchemaMismatch tests that a schema mismatch is an error diagnostic.

// setUsersState sets state to filter and users; no user is an empty list,
// not null. It does not use tfsdk's reflection (State.Set), which took
// most of the read's time at 10,000 users (see above).
func setUsersState(state *tfsdk.State, filter types.String, users []*scim.User) diag.Diagnostics {
	m := scimUsersDataSourceModel{Filter: filter, Users: make([]scimUserModel, len(users))}
	for i, u := range users {
		m.Users[i].fromAPI(u)
	}
	return setModel(&state.Raw, &m)
}

// setUserResource sets res, a secureaccess_scim_user, to m, like
// res.Set(ctx, m) but without reflection (see above).
func setUserResource(res *tfsdk.Resource, m *scimUserResourceModel) diag.Diagnostics {
	return setModel(&res.Raw, m)
}
