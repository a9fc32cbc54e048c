// Package scimlimits holds the length limits of the SCIM string attributes
// Secure Access keeps. The mock service (internal/mockserver/scimserver)
// enforces them and the provider validates them at plan time, both from
// these constants, so the two cannot drift. It imports only the standard
// library, so any package may use it.
//
// Lengths count characters (Unicode code points, runes), not bytes: see
// Len. internal/mockserver/README.md records the limits and why.
package scimlimits

import "unicode/utf8"

// Limits of the User attributes.
const (
	// UserName is the limit of userName: longer than any identity
	// provider's login name (Entra ID user principal names are at most 113
	// characters, Okta logins 100), with room for other mappings.
	UserName = 256
	// ExternalID is the limit of externalId, of users and groups: identity
	// provider object IDs are 20 to 36 characters.
	ExternalID = 256
	// DisplayName is the limit of a user's displayName (Active Directory's
	// and Entra ID's displayName limit).
	DisplayName = 256
	// GivenName is the limit of name.givenName (Active Directory's and
	// Entra ID's givenName limit).
	GivenName = 64
	// FamilyName is the limit of name.familyName (Active Directory's sn and
	// Entra ID's surname limit).
	FamilyName = 64
	// Formatted is the limit of name.formatted, like displayName.
	Formatted = 256
	// EmailValue is the limit of emails.value: the longest address SMTP
	// carries (RFC 5321 §4.5.3.1.3: a 256-octet path less its angle
	// brackets).
	EmailValue = 254
	// EmailType is the limit of emails.type (canonical values: work, home,
	// other).
	EmailType = 64
	// NativeObjectID is the limit of the Cisco extension's nativeObjectId:
	// an objectGUID is 36 characters, a SID string at most 184.
	NativeObjectID = 256
	// AuthName is the limit of the Cisco extension's authName, like
	// userName.
	AuthName = 256
)

// Limits of the Group attributes (externalId: ExternalID).
const (
	// GroupDisplayName is the limit of a group's displayName (Entra ID's
	// and Active Directory's group name limit).
	GroupDisplayName = 256
)

// Len is the length of s as the limits count it: its number of runes
// (invalid UTF-8 bytes count one each).
func Len(s string) int { return utf8.RuneCountInString(s) }
