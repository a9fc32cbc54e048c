package provider

// Import IDs: the natural key forms "<key>=<value>" the resources accept
// next to an object ID, and the membership ID of
// secureaccess_scim_group_member.

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// Natural keys of the import ID forms "<key>=<value>", one a resource.
const (
	// userImportKey: "user_name=<userName>" (secureaccess_scim_user).
	userImportKey = "user_name"
	// groupImportKey: "display_name=<displayName>" (secureaccess_scim_group).
	groupImportKey = "display_name"
	// directoryIntegrationImportKey: "name=<name>", such as "name=OKTA Integration"
	// (secureaccess_directory_integration).
	directoryIntegrationImportKey = "name"
)

// splitImportID parses an import ID that is either an object ID or
// "<key>=<value>" (for example "user_name=jane@example.com"). It returns the
// value and whether the natural key form was used.
func splitImportID(id, key string) (value string, byKey bool) {
	if v, ok := strings.CutPrefix(id, key+"="); ok {
		return v, true
	}
	return id, false
}

// importKeyForm matches an import ID in a "<key>=<value>" form: a word,
// then "=", then a value that does not start with another "=". An ID that
// ends in "=" or "==", such as the base64 ID "dXNlcjE=" that some SCIM
// services assign, is not one.
var importKeyForm = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_.-]*)=[^=]`)

// validImportID reports whether id can be an import ID of a resource whose
// natural key forms are keys ("user_name" for "user_name=<value>"): an
// object ID, or one of those forms. An ID in another "<key>=<value>" form,
// such as "displayName=Jane" or "userName=jane", is not: passed on as an
// object ID it would end in Terraform's "Cannot import non-existent remote
// object", which does not say what is wrong.
func validImportID(id string, keys ...string) bool {
	m := importKeyForm.FindStringSubmatch(id)
	return m == nil || slices.Contains(keys, m[1])
}

// addImportIDError adds the error of an import ID that is in none of the
// forms the resource accepts, listing forms.
func addImportIDError(diags *diag.Diagnostics, resourceType, id string, forms ...string) {
	diags.AddError("Invalid Import ID",
		fmt.Sprintf("%q is not an import ID of %s. Use one of these forms:\n  - %s", id, resourceType, strings.Join(forms, "\n  - ")))
}

// naturalKeyImport is the import of a resource that accepts its object ID,
// its identity, or one natural key "<key>=<value>", such as
// "user_name=jane@example.com": what secureaccess_scim_user,
// secureaccess_scim_group and secureaccess_directory_integration share.
type naturalKeyImport struct {
	// resourceType names the resource in the error of an invalid ID.
	resourceType string
	// key is the natural key, such as userImportKey.
	key string
	// idForm and keyForm describe the two forms, with an example each, for
	// the error of an invalid ID.
	idForm, keyForm string
	// data and api are the provider and the API the lookup uses, for the
	// check before it (providerData.importCheck).
	data *providerData
	api  apiKind
	// lookup finds the ID of the object whose natural key is value, or adds
	// an error to diags.
	lookup func(ctx context.Context, value string, diags *diag.Diagnostics) (id string)
	// ownership says that the resource records what its configuration sets
	// (ownership.go): an imported object owns nothing until its first apply.
	ownership bool
}

// importState imports by identity, by object ID (Read then fills in the
// rest), or by the natural key, after checking the form of the ID before
// any request.
func (k naturalKeyImport) importState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if k.ownership {
		resp.Diagnostics.Append(writeOwned(ctx, resp.Private, ownedSet{})...)
	}
	if importSCIMByIdentity(ctx, req, resp) {
		return
	}
	if !validImportID(req.ID, k.key) {
		addImportIDError(&resp.Diagnostics, k.resourceType, req.ID, k.idForm, k.keyForm)
		return
	}
	resp.Diagnostics.Append(k.data.importCheck(k.api, k.resourceType, req.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	value, byKey := splitImportID(req.ID, k.key)
	if !byKey {
		resource.ImportStatePassthroughID(ctx, path.Root("id"), req, resp)
		resp.Diagnostics.Append(markImport(ctx, resp.Private, req.ID)...)
		return
	}
	id := k.lookup(ctx, value, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
}

// importKey is the private state key that an import by object ID sets
// (markImport) for the Read that follows it, which removes it (endImport).
// A 404 in that Read is an import ID that names no object: when the ID is
// a user name or a group name, the error says which form to use instead
// (naturalKey.importMiss), rather than Terraform's "Cannot import non-existent
// remote object".
const importKey = "import_id"

// privateState is the private state of a response (the framework's type is
// internal).
type privateState interface {
	GetKey(ctx context.Context, key string) ([]byte, diag.Diagnostics)
	SetKey(ctx context.Context, key string, value []byte) diag.Diagnostics
}

// markImport records the import ID for the Read that follows the import.
func markImport(ctx context.Context, p privateState, id string) diag.Diagnostics {
	v, err := json.Marshal(id)
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Private State Error", fmt.Sprintf("Could not encode the import ID: %v. This is a bug in the provider; please report it.", err))
		return diags
	}
	return p.SetKey(ctx, importKey, v)
}

// importedID returns the import ID when this Read follows an import by
// object ID, and "" otherwise. Read must call endImport once it succeeds.
func importedID(ctx context.Context, p privateState) string {
	v, diags := p.GetKey(ctx, importKey)
	var id string
	if diags.HasError() || len(v) == 0 || json.Unmarshal(v, &id) != nil {
		return ""
	}
	return id
}

// endImport removes the mark of markImport.
func endImport(ctx context.Context, p privateState) diag.Diagnostics {
	return p.SetKey(ctx, importKey, nil)
}

// naturalKey is the natural key of a SCIM object, by which an import
// finds it: a user's user_name, a group's display name. It is the one
// place that looks an object up by that key and names it in diagnostics.
type naturalKey struct {
	// noun names the object: "SCIM user".
	noun string
	// key is the natural key of the import form: userImportKey.
	key string
	// label names the key in a sentence: "user_name", "display name".
	label string
	// form is the import form, and example a value of the key for it:
	// "user_name=<userName>", "jane.doe@example.com".
	form, example string
	// find returns the ID of the object whose key is value (one request).
	find func(ctx context.Context, c *scim.Client, value string) (id string, err error)
	// fix is the fix text of a failed import lookup.
	fix func(err error) string
}

var (
	// userKey is a user's user_name.
	userKey = naturalKey{noun: kindSCIMUser, key: userImportKey, label: "user_name", form: "user_name=<userName>", example: "jane.doe@example.com",
		find: func(ctx context.Context, c *scim.Client, userName string) (string, error) {
			u, err := c.Users.GetByUserName(ctx, userName)
			if err != nil {
				return "", err
			}
			return u.ID, nil
		},
		fix: userLookupFix,
	}
	// groupKey is a group's display name; the group is read without its
	// members.
	groupKey = naturalKey{noun: kindSCIMGroup, key: groupImportKey, label: "display name", form: "display_name=<displayName>", example: "OKTA - Secure Access Users",
		find: func(ctx context.Context, c *scim.Client, name string) (string, error) {
			g, err := c.Groups.GetByDisplayName(ctx, name, c.Groups.WithoutMembers())
			if err != nil {
				return "", err
			}
			return g.ID, nil
		},
		fix: func(error) string {
			return "Check the display name, or import by the group's SCIM ID; the secureaccess_scim_groups data source lists the groups of the directory."
		},
	}
)

// object names the object whose key is value in diagnostics, such as
// `SCIM user with user_name "jane"`.
func (k naturalKey) object(value string) string {
	return fmt.Sprintf("%s with %s %q", k.noun, k.label, value)
}

// keyForm describes the import form, with an example, for the error of
// an invalid import ID (addImportIDError).
func (k naturalKey) keyForm() string {
	return fmt.Sprintf("%s, such as %q (letter case does not matter)", k.form, k.key+"="+k.example)
}

// lookupID is the lookup of an import by natural key: the ID of the
// object whose key is value, or "" and an error with summary.
func (k naturalKey) lookupID(ctx context.Context, d *providerData, value, summary string, diags *diag.Diagnostics) string {
	client, ok := d.scimClient(diags)
	if !ok {
		return ""
	}
	id, err := k.find(ctx, client, value)
	if err != nil {
		addAPIError(diags, summary, k.object(value), err, k.fix(err))
		return ""
	}
	return id
}

// idShaped matches an import ID that looks like an object ID: letters,
// digits and the punctuation of UUIDs, base64 and the like, nothing else.
// A user name (with @) or a group name with spaces is not.
var idShaped = regexp.MustCompile(`^[A-Za-z0-9._~+/=-]+$`)

// scimDirectory names where SCIM objects are looked for.
const scimDirectory = "the directory integration that the provider's scim_token belongs to"

// importMiss is the error, with summary, of a Read that found no object
// after an import by an ID (importedID of the private state p), and
// nothing when the Read follows no import. When an object has the ID as
// its natural key, it names the key's import form and that object's ID
// (one lookup, on this failure only). With no such object and an ID that
// looks like an ID, it is nothing: Terraform's "Cannot import non-existent
// remote object" says as much. Terraform names neither the resource nor
// the import block of an import error, so the error names the import ID.
func (k naturalKey) importMiss(ctx context.Context, c *scim.Client, p privateState, summary string) diag.Diagnostics {
	var diags diag.Diagnostics
	id := importedID(ctx, p)
	if id == "" {
		return diags
	}
	foundID, _ := k.find(ctx, c, id) // "" when no object has the key id
	keyID := k.key + "=" + id
	switch {
	case foundID != "":
		diags.AddError(summary, fmt.Sprintf("No %[1]s has the ID %[2]q, but the %[1]s with %[3]s %[2]q has the ID %[4]q. "+
			"An import ID that is a %[3]s takes the form %[5]s: in the import block whose id is %[2]q, write\n\n"+
			"  id = %[6]q\n\n"+
			"(with terraform import, pass %[6]q as the ID), or use the ID %[4]q.", k.noun, id, k.label, foundID, k.form, keyID))
	case !idShaped.MatchString(id):
		diags.AddError(summary, fmt.Sprintf("No %[1]s has the ID or the %[3]s %[2]q in %[4]s. "+
			"To import a %[1]s by %[3]s, use the form %[5]s (letter case does not matter):\n\n"+
			"  id = %[6]q\n\n"+
			"Check the ID or the %[3]s.", k.noun, id, k.label, scimDirectory, k.form, keyID))
	}
	return diags
}

// memberIDSeparator separates the group and user IDs in a membership ID.
const memberIDSeparator = "/"

// formatMemberID returns the ID of secureaccess_scim_group_member, which has
// no API object of its own: "<group_id>/<user_id>".
func formatMemberID(groupID, userID string) string {
	return groupID + memberIDSeparator + userID
}

// parseMemberID splits a membership ID "<group_id>/<user_id>"; ok is false
// if id is not of that form.
func parseMemberID(id string) (groupID, userID string, ok bool) {
	groupID, userID, ok = strings.Cut(id, memberIDSeparator)
	if !ok || groupID == "" || userID == "" || strings.Contains(userID, memberIDSeparator) {
		return "", "", false
	}
	return groupID, userID, true
}
