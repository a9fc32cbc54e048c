package scimserver

import (
	"fmt"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scimlimits"
)

// limited is one string attribute value and its length limit.
type limited struct {
	attr  string // attribute path, for the error detail
	value string
	max   int
}

// checkLimits returns a 400 invalidValue for the first value longer than
// its limit, in characters (scimlimits.Len). The detail names the
// attribute and both lengths, never the value.
func checkLimits(values ...limited) *scimError {
	for _, l := range values {
		if n := scimlimits.Len(l.value); n > l.max {
			return badRequest(scimTypeInvalidValue,
				fmt.Sprintf("attribute %q is %d characters long; Secure Access allows at most %d", l.attr, n, l.max))
		}
	}
	return nil
}

// checkUserLimits checks the string attributes of u against their limits.
func checkUserLimits(u User) *scimError {
	values := []limited{
		{"userName", u.UserName, scimlimits.UserName},
		{"externalId", u.ExternalID, scimlimits.ExternalID},
		{"displayName", u.DisplayName, scimlimits.DisplayName},
		{"name.givenName", u.Name.GivenName, scimlimits.GivenName},
		{"name.familyName", u.Name.FamilyName, scimlimits.FamilyName},
		{"name.formatted", u.Name.Formatted, scimlimits.Formatted},
		{urnUmbrella + ":nativeObjectId", u.NativeObjectID, scimlimits.NativeObjectID},
		{urnUmbrella + ":authName", u.AuthName, scimlimits.AuthName},
	}
	for _, e := range u.Emails {
		values = append(values, limited{"emails.value", e.Value, scimlimits.EmailValue}, limited{"emails.type", e.Type, scimlimits.EmailType})
	}
	return checkLimits(values...)
}

// checkGroupLimits checks the string attributes of g against their limits.
func checkGroupLimits(g Group) *scimError {
	return checkLimits(
		limited{"displayName", g.DisplayName, scimlimits.GroupDisplayName},
		limited{"externalId", g.ExternalID, scimlimits.ExternalID},
	)
}
