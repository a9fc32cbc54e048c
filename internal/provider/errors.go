package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
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
//
// Rejected credentials and an unreachable service are one error per
// provider configuration. Configure finds them before any resource runs
// (checkAPIs); when they start later, such as a token revoked during the
// apply, the clients fail every call after the first with the same
// *transport.Failure (fail fast, see providerData), and only the first
// call to report it gets the full error with what to check; the others get
// one line that names the object whose error has it.
func addAPIError(diags *diag.Diagnostics, summary, object string, err error, fix string) {
	var failed *transport.FailedError
	if errors.As(err, &failed) {
		if first, by := failed.Report(object); !first {
			diags.AddError(summary, failedPointer(object, failed, by))
			return
		}
		fix = failureFix(failed.Failure)
	} else if f := credentialsFix(err); f != "" {
		fix = f
	}
	detail := fmt.Sprintf("%s: %s", object, err)
	if fix != "" {
		detail += "\n\n" + fix
	}
	diags.AddError(summary, detail)
}

// objectName names an object in a diagnostic as its configuration does:
// kind, then its natural key in quotes (a directory integration's name, a
// SCIM user's user_name, a SCIM group's display_name), then its ID in
// parentheses, `SCIM user "jane@example.com" (ID 2819c223…)`. Where the
// natural key is not known, as in a read during an import by ID, the ID
// names it, `SCIM user with ID "2819c223…"`. An empty id is left out.
func objectName(kind, key, id string) string {
	switch {
	case key == "" && id == "":
		return kind
	case key == "":
		return fmt.Sprintf("%s with ID %q", kind, id)
	case id == "":
		return fmt.Sprintf("%s %q", kind, key)
	}
	return fmt.Sprintf("%s %q (ID %s)", kind, key, id)
}

// Kinds of objects, as objectName names them.
const (
	kindDirectory = "Directory integration"
	kindSCIMUser  = "SCIM user"
	kindSCIMGroup = "SCIM group"
)

// failedPointer is the one-line detail of a call that met, or was not
// sent because of, a failure that the error for the object by reports in
// full.
func failedPointer(object string, failed *transport.FailedError, by string) string {
	see := "; the error for " + by + " says what to check."
	if failed.Sent() {
		return fmt.Sprintf("%s: %s%s", object, failed.Own, see)
	}
	return fmt.Sprintf("%s: not sent, because %s earlier in this run%s", object, failureCause(failed.Failure), see)
}

// failureCause says what a client's failure is, in a few words.
func failureCause(f *transport.Failure) string {
	origin, path := requestTarget(f.Err)
	switch {
	case f.Unreachable && origin != "":
		return "the service at " + origin + " could not be reached"
	case f.Unreachable:
		return "the service could not be reached"
	case admin.OwnsPath(path):
		return "the admin API key of this provider configuration was rejected"
	default:
		return "the SCIM provisioning token of this provider configuration was rejected"
	}
}

// failureFix is the fix text of the first error of a client's failure:
// what to check, and that the provider configuration sends nothing more
// to that API in this run.
func failureFix(f *transport.Failure) string {
	if !f.Unreachable {
		return credentialsFix(f.Err) + "\n\n" + failFastNote
	}
	return unreachableFix(f.Err) + "\n\n" + failFastNote
}

// unreachableFix is the fix text of a request that could not reach the
// service (err, a connection or TLS failure): where, the settings that
// say where (scim_url too for a SCIM request), and what to check.
func unreachableFix(err error) string {
	origin, path := requestTarget(err)
	where := "Secure Access could not be reached"
	if origin != "" {
		where += " at " + origin
	}
	settings := "base_url in the provider block or the " + envBaseURL + " environment variable (default " + admin.DefaultBaseURL + ")"
	if !admin.OwnsPath(path) {
		settings += ", scim_url or " + envSCIMURL + " if set (default: base_url followed by " + scimPath + ")"
	}
	check := "that the service is up and reachable from this machine: its host name resolves, and no firewall or proxy (HTTPS_PROXY) is in the way"
	if transport.IsCertificateError(err) {
		check = "that its TLS certificate is valid for that host name and issued by an authority this machine trusts"
	}
	return where + ". Check " + settings + ", and " + check + "."
}

// failFastNote ends the full error of a client's failure.
const failFastNote = "This provider configuration sends no other request to this API in this run: " +
	"its other resources and data sources fail with one line that points to this error."

// requestTarget returns the scheme and host ("https://api.sse.cisco.com")
// and the URL path of the request that err is about, from the net/http
// error (a connection failure) or the *transport.APIError (an answer,
// path only). Neither the query nor any user information of the URL.
func requestTarget(err error) (origin, path string) {
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		if u, perr := url.Parse(urlErr.URL); perr == nil && u.Host != "" {
			return u.Scheme + "://" + u.Host, u.Path
		}
	}
	var apiErr *transport.APIError
	if errors.As(err, &apiErr) {
		return "", apiErr.Path
	}
	return "", ""
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
		"(generating a new token for a directory integration revokes the previous one at once), " +
		"or it belongs to another Secure Access organization than the one base_url (or scim_url) points to. " +
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
	return "Secure Access documents filtering on userName eq (users) and displayName eq (groups) only, " +
		"and may refuse any other filter with this error: externalId eq (which identity providers also send), " +
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
// When the group shows no member at all after users were added, it reads
// one of them (on this failure only): a user that exists means a service
// that stores memberships but never shows them, which no retry changes.
func membersNotAppliedFix(ctx context.Context, client *scim.Client, err error) string {
	var notApplied *scim.MembersNotAppliedError
	if !errors.As(err, &notApplied) {
		return ""
	}
	if notApplied.Shown == 0 && len(notApplied.Missing) > 0 {
		if _, getErr := client.Users.Get(ctx, notApplied.Missing[0], nil); getErr == nil {
			return membersHiddenFix(notApplied.Missing[0])
		}
	}
	return "Check that every user ID is the SCIM ID of a user of the directory integration that the provider's scim_token belongs to: " +
		"some SCIM services ignore a member they do not know instead of refusing it. " +
		"The Terraform state records the members the service holds, so the next plan shows what is still to change."
}

// membersHiddenFix is the fix text of a group that shows no members after
// the service accepted adding users that exist, such as user.
func membersHiddenFix(user string) string {
	return fmt.Sprintf("The group shows no members at all, yet the user %q exists in the directory: "+
		"this service appears to store memberships without ever showing them (its groups always answer \"members\": []). "+
		"The change it accepted may well be in place, but Terraform cannot confirm it, nor see a member removed later, "+
		"so the same error returns on every apply. "+
		"secureaccess_scim_group_members and secureaccess_scim_group_member need a service that shows a group's members: "+
		"with this one, leave memberships to the identity provider's group push, and ask the service's vendor to return members in GET /Groups/{id}. "+
		"The guide \"SCIM server compatibility\" says why the provider does not record memberships it cannot see.", user)
}

// storedAnywayFix is the fix text of a create that the service applied
// but whose answer the provider could not use: the object is in the
// state, tainted, so the next apply replaces it.
func storedAnywayFix(kind string) string {
	return fmt.Sprintf("The service stored the %[1]s, so Terraform records it (as tainted): the next apply replaces it, "+
		"deleting this %[1]s and creating it again, and never creates a second one.", kind)
}

// membershipFix is the fix text of a failed membership change.
func membershipFix(ctx context.Context, client *scim.Client, err error) string {
	if fix := membersNotAppliedFix(ctx, client, err); fix != "" {
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
//
// The provider is not told the resource's address (a create request has
// its type and values only), but Terraform prints it above this error, in
// the line "with <address>,": the fix points there instead of making up a
// name.
func importFix(err error, existing, resourceType, importID, alternative string) string {
	if !isConflict(err) {
		return ""
	}
	key, _, _ := strings.Cut(importID, "=")
	fix := fmt.Sprintf("%s already exists.\n\n"+
		"First check that no other resource in this configuration has the same %s: "+
		"two resources that manage one object undo each other's changes on every apply. If one does, remove the duplicate.\n\n"+
		"Otherwise, to manage the existing object with this resource, import it into this resource's address, "+
		"which Terraform prints above this message after \"with\" (%s.…). Add an import block:\n"+
		"  import {\n    to = <that address>\n    id = %q\n  }\n"+
		"or run:\n"+
		"  terraform import '<that address>' %q", existing, key, resourceType, importID, importID)
	if alternative != "" {
		fix += "\nor " + alternative + "."
	}
	return fix
}
