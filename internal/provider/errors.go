package provider

import (
	"errors"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// isNotFound reports whether the API answered 404 for the object.
func isNotFound(err error) bool { return errors.Is(err, transport.ErrNotFound) }

// isConflict reports whether the API answered 409 (SCIM: scimType uniqueness).
func isConflict(err error) bool { return errors.Is(err, transport.ErrConflict) }

// addAPIError adds an error diagnostic for a failed API call: summary in the
// house style ("Error Creating SCIM User"), detail naming the object, the
// API's own message and, when known, the fix. err never carries a secret.
func addAPIError(diags *diag.Diagnostics, summary, object string, err error, fix string) {
	detail := fmt.Sprintf("%s: %s", object, err)
	if fix != "" {
		detail += "\n\n" + fix
	}
	diags.AddError(summary, detail)
}

// splitImportID parses an import ID that is either an object ID or
// "<key>=<value>" (for example "user_name=jane@example.com"). It returns the
// value and whether the natural key form was used.
func splitImportID(id, key string) (value string, byKey bool) {
	if v, ok := strings.CutPrefix(id, key+"="); ok {
		return v, true
	}
	return id, false
}
