package provider

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

func TestInvalidFilterFix(t *testing.T) {
	t.Parallel()
	invalid := fmt.Errorf("listing SCIM users: %w", &transport.APIError{StatusCode: 400, ScimType: "invalidFilter"})
	tests := map[string]struct {
		err  error
		want string
	}{
		"invalid filter": {err: invalid, want: "Secure Access documents filtering on userName eq (users) and displayName eq (groups) only, " +
			"and may refuse any other filter with this error: externalId eq (which identity providers also send), " +
			"and, or, not, other operators (co, sw, ew, ne, pr, …), value filters such as members[…], filters on id or other attributes. " +
			`Use one such comparison, with the value in double quotes, such as displayName eq "Engineering" (RFC 7644 §3.4.2.2), ` +
			"or leave filter unset and select in Terraform, for example with a for expression over the list."},
		"other 400":        {err: &transport.APIError{StatusCode: 400, ScimType: "invalidValue"}},
		"not an API error": {err: errors.New("connection refused")},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, invalidFilterFix(tt.err, `displayName eq "Engineering"`)); diff != "" {
				t.Errorf("invalidFilterFix() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestImportFix(t *testing.T) {
	t.Parallel()
	conflict := fmt.Errorf("creating SCIM user: %w", &transport.APIError{StatusCode: 409, ScimType: "uniqueness"})
	importText := `A user with this user_name already exists.

First check that no other resource in this configuration has the same user_name: ` +
		`two resources that manage one object undo each other's changes on every apply. If one does, remove the duplicate.

Otherwise, to manage the existing object with this resource, import it into this resource's address, ` +
		`which Terraform prints above this message after "with" (secureaccess_scim_user.…). Add an import block:
  import {
    to = <that address>
    id = "user_name=Jane@example.com"
  }
or run:
  terraform import '<that address>' "user_name=Jane@example.com"`
	tests := map[string]struct {
		err         error
		alternative string
		want        string
	}{
		"conflict":                  {err: conflict, want: importText},
		"conflict with alternative": {err: conflict, alternative: "set adopt_existing = true", want: importText + "\nor set adopt_existing = true."},
		"other error":               {err: errors.New("boom"), alternative: "set adopt_existing = true"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			got := importFix(tt.err, "A user with this user_name", "secureaccess_scim_user", "user_name=Jane@example.com", tt.alternative)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("importFix() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestObjectName(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		key, id, want string
	}{
		"natural key and ID": {key: "jane@example.com", id: "2819c223", want: `SCIM user "jane@example.com" (ID 2819c223)`},
		"natural key only":   {key: "jane@example.com", want: `SCIM user "jane@example.com"`},
		"ID only (import)":   {id: "2819c223", want: `SCIM user with ID "2819c223"`},
		"neither":            {want: "SCIM user"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := objectName(kindSCIMUser, tt.key, tt.id); got != tt.want {
				t.Errorf("objectName(%q, %q) = %q, want %q", tt.key, tt.id, got, tt.want)
			}
		})
	}
}
