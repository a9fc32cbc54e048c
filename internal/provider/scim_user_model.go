package provider

import (
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
// whole user. Null attributes are left out, which clears them.
func (m scimUserModel) toAPI() *scim.User {
	u := &scim.User{
		UserName:    m.UserName.ValueString(),
		DisplayName: m.DisplayName.ValueStringPointer(),
		ExternalID:  m.ExternalID.ValueStringPointer(),
		Active:      m.Active.ValueBoolPointer(),
	}
	if n := m.Name; n != nil {
		u.Name = &scim.Name{
			GivenName:  n.GivenName.ValueStringPointer(),
			FamilyName: n.FamilyName.ValueStringPointer(),
			Formatted:  n.Formatted.ValueStringPointer(),
		}
	}
	for _, e := range m.Emails {
		u.Emails = append(u.Emails, scim.Email{
			Value:   e.Value.ValueString(),
			Type:    e.Type.ValueString(),
			Primary: e.Primary.ValueBool(),
		})
	}
	if !m.NativeObjectID.IsNull() || !m.AuthName.IsNull() {
		u.Cisco = &scim.CiscoUserExtension{
			NativeObjectID: m.NativeObjectID.ValueStringPointer(),
			AuthName:       m.AuthName.ValueStringPointer(),
		}
	}
	return u
}

// Descriptions shared by the resource and the data sources.
const (
	descUserID       = "The user's SCIM ID, assigned by Secure Access."
	descUserName     = "The user's unique login name (SCIM `userName`), usually the email address or UPN the identity provider pushes. Secure Access compares user names without regard to letter case."
	descDisplayName  = "The name shown for the user in the Secure Access dashboard and reports (SCIM `displayName`)."
	descName         = "The user's name (SCIM `name`)."
	descGivenName    = "The user's given (first) name (SCIM `name.givenName`)."
	descFamilyName   = "The user's family (last) name (SCIM `name.familyName`)."
	descFormatted    = "The user's full name as it should be displayed (SCIM `name.formatted`)."
	descEmails       = "The user's email addresses (SCIM `emails`)."
	descEmailValue   = "The email address."
	descEmailPrimary = "Whether this is the user's primary email address. At most one email may be primary."
	descExternalID   = "The user's identifier in the identity provider (SCIM `externalId`), for example Okta's user ID, or what Entra ID maps to it (`mailNickname` in its default mapping, or the object ID)."
	descActive       = "Whether the user is active (SCIM `active`). Inactive users cannot authenticate through Secure Access. " +
		"A user whose `active` the service leaves unassigned (a SCIM PATCH that removes `active` does that) is not active and reads as `false`."
	descNativeObject = "The user's Active Directory objectGUID (`nativeObjectId` of the Cisco extension `urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User`)."
	descAuthName     = "The name the user authenticates with, when it differs from `user_name` (`authName` of the Cisco extension `urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User`)."
)
