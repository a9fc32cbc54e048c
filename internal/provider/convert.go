package provider

// Conversions between the clients' Go values and Terraform values that
// several models share. Each model's own fromAPI/toAPI sits under it.

import (
	"slices"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// timeValue is t in RFC 3339 (UTC), or null for the zero time.
func timeValue(t time.Time) types.String {
	if t.IsZero() {
		return types.StringNull()
	}
	return types.StringValue(t.UTC().Format(time.RFC3339))
}

// optionalTimeValue is timeValue of *t, null when t is nil.
func optionalTimeValue(t *time.Time) types.String {
	if t == nil {
		return types.StringNull()
	}
	return timeValue(*t)
}

// optionalString is null for "" (SCIM's unassigned) and s otherwise.
func optionalString(s string) types.String {
	if s == "" {
		return types.StringNull()
	}
	return types.StringValue(s)
}

// memberValues returns the sorted user IDs of a group's members.
func memberValues(members []scim.Member) []string {
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.Value
	}
	slices.Sort(ids)
	return ids
}

// stringElements returns the values of a list of strings; unknown and null
// elements are skipped.
func stringElements(l types.List) []string {
	elems := l.Elements()
	out := make([]string, 0, len(elems))
	for _, e := range elems {
		if s, ok := e.(types.String); ok && !s.IsNull() && !s.IsUnknown() {
			out = append(out, s.ValueString())
		}
	}
	return out
}

// stringList returns a list of strings.
func stringList(values []string) types.List {
	elems := make([]attr.Value, len(values))
	for i, v := range values {
		elems[i] = types.StringValue(v)
	}
	return types.ListValueMust(types.StringType, elems)
}
