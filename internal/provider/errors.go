package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// isNotFound reports whether the API answered 404 for the object.
func isNotFound(err error) bool { return errors.Is(err, transport.ErrNotFound) }

// isConflict reports whether the API answered 409 (SCIM: scimType uniqueness).
func isConflict(err error) bool { return errors.Is(err, transport.ErrConflict) }

// addAPIError adds an error diagnostic for a failed API call: summary in the
// house style ("Error Creating SCIM User"), detail naming the object, the
// API's own message and, when known, the fix. The clients' errors name the
// request but not the object, so the object appears once. Rejected
// credentials get the fix that says which ones and how to replace them,
// whatever fix the caller had. err never carries a secret.
func addAPIError(diags *diag.Diagnostics, summary, object string, err error, fix string) {
	if f := credentialsFix(err); f != "" {
		fix = f
	}
	detail := fmt.Sprintf("%s: %s", object, err)
	if fix != "" {
		detail += "\n\n" + fix
	}
	diags.AddError(summary, detail)
}

// credentialsFix is the fix text of a 401: the SCIM provisioning token or
// the admin API key was rejected, told apart by the request's path. It is
// empty for any other error.
func credentialsFix(err error) string {
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || !errors.Is(apiErr, transport.ErrUnauthorized) {
		return ""
	}
	if admin.OwnsPath(apiErr.Path) {
		return "Check client_id and client_secret in the provider block, " +
			"or the " + envClientID + " and " + envClientSecret + " environment variables: " +
			"Secure Access does not accept this admin API key (wrong, deleted or expired). " +
			"Create a new key in the Secure Access dashboard under Admin > API Keys if needed."
	}
	return "The SCIM provisioning token was rejected: it is wrong, expired or revoked " +
		"(generating a new token for a directory integration revokes the previous one at once). " +
		"Generate a new token for the directory integration with \"Refresh SCIM Token\" in the Secure Access dashboard " +
		"or with a secureaccess_provisioning_token resource, then set it as scim_token in the provider block " +
		"or in the " + envSCIMToken + " environment variable."
}

// invalidFilterFix is the fix text of a filter the service rejected, for a
// syntax error and for a filter richer than what Secure Access documents
// alike (the service may answer both with invalidFilter); example is a
// documented filter of the data source's resource type.
func invalidFilterFix(err error, example string) string {
	var apiErr *transport.APIError
	if !errors.As(err, &apiErr) || apiErr.ScimType != "invalidFilter" {
		return ""
	}
	return "Secure Access documents filtering on userName eq (users) and displayName eq (groups); " +
		"externalId eq is what identity providers also send. It may refuse any other filter with this error: " +
		"and, or, not, other operators (co, sw, ew, ne, pr, …), value filters such as members[…], filters on id or other attributes. " +
		"Use one such comparison, with the value in double quotes, such as " + example + " (RFC 7644 §3.4.2.2), " +
		"or leave filter unset and select in Terraform, for example with a for expression over the list."
}

// userLookupFix is the fix text of a lookup that found no user.
func userLookupFix(err error) string {
	if !isNotFound(err) {
		return ""
	}
	return "No such user in the directory integration that the provider's scim_token belongs to. " +
		"Check the ID or the user_name (letter case does not matter)."
}

// membersNotAppliedFix is the fix text of a membership change the service
// answered with success but did not apply (scim.MembersNotAppliedError).
func membersNotAppliedFix(err error) string {
	var notApplied *scim.MembersNotAppliedError
	if !errors.As(err, &notApplied) {
		return ""
	}
	return "Check that every user ID is the SCIM ID of a user of the directory integration that the provider's scim_token belongs to: " +
		"some SCIM services ignore a member they do not know instead of refusing it. " +
		"The Terraform state records the members the service holds, so the next plan shows what is still to change."
}

// membershipFix is the fix text of a failed membership change.
func membershipFix(err error) string {
	if fix := membersNotAppliedFix(err); fix != "" {
		return fix
	}
	return missingGroupFix(err)
}

// missingGroupFix is the fix text of a membership change that found no group.
func missingGroupFix(err error) string {
	if !isNotFound(err) {
		return ""
	}
	return "Check group_id: it must be the SCIM ID of a group of the directory integration whose provisioning token the provider uses."
}

// importFix is the fix text of a 409 on create: existing names the object
// that exists ("A group with this display name"). The most likely cause
// comes first: another resource of the same configuration with the same
// natural key (the key of importID, "display_name=…"), which importing or
// adopting would only turn into two resources fighting over one object.
// Then how to bring the object under this resource with an import ID, then
// alternative, if any, as a last option.
func importFix(err error, existing, resourceType, importID, alternative string) string {
	if !isConflict(err) {
		return ""
	}
	key, _, _ := strings.Cut(importID, "=")
	fix := fmt.Sprintf("%s already exists.\n\n"+
		"First check that no other resource in this configuration has the same %s: "+
		"two resources that manage one object undo each other's changes on every apply. If one does, remove the duplicate.\n\n"+
		"Otherwise, to manage the existing object with this resource, import it:\n"+
		"  terraform import %s.<name> %q\n"+
		"or add an import block:\n"+
		"  import {\n    to = %s.<name>\n    id = %q\n  }", existing, key, resourceType, importID, resourceType, importID)
	if alternative != "" {
		fix += "\nor " + alternative + "."
	}
	return fix
}
