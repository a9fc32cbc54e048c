package scim

import (
	"strings"
)

// Filter is a SCIM filter expression (RFC 7644 §3.4.2.2). Build one with the
// functions below, which quote and escape every value, so that a value can
// never change the expression's structure; Filter("…") passes a literal.
type Filter string

// String returns the expression.
func (f Filter) String() string { return string(f) }

// quoter escapes a value for a JSON string literal, as the filter grammar
// takes its string values from JSON: `\` and `"` are escaped, which is all a
// printable value needs. Control characters are left alone; a filter holding
// one is rejected by the service as invalid, never misread.
var quoter = strings.NewReplacer(`\`, `\\`, `"`, `\"`)

// quote returns v as a quoted filter string value.
func quote(v string) string {
	return `"` + quoter.Replace(v) + `"`
}

// compare builds `attr op "value"`.
func compare(attr, op, value string) Filter {
	return Filter(attr + " " + op + " " + quote(value))
}

// Eq is `attr eq "value"`.
func Eq(attr, value string) Filter { return compare(attr, "eq", value) }

// Ne is `attr ne "value"`.
func Ne(attr, value string) Filter { return compare(attr, "ne", value) }

// Co is `attr co "value"` (contains).
func Co(attr, value string) Filter { return compare(attr, "co", value) }

// Sw is `attr sw "value"` (starts with).
func Sw(attr, value string) Filter { return compare(attr, "sw", value) }

// Ew is `attr ew "value"` (ends with).
func Ew(attr, value string) Filter { return compare(attr, "ew", value) }

// Pr is `attr pr` (present).
func Pr(attr string) Filter { return Filter(attr + " pr") }

// And joins filters with "and", each in parentheses.
func And(filters ...Filter) Filter { return join("and", filters) }

// Or joins filters with "or", each in parentheses.
func Or(filters ...Filter) Filter { return join("or", filters) }

// Not is `not (f)`.
func Not(f Filter) Filter { return Filter("not (" + string(f) + ")") }

// ValuePath is `attr[f]`, a filter on a multi-valued attribute's values,
// e.g. ValuePath("members", Eq("value", id)).
func ValuePath(attr string, f Filter) Filter { return Filter(attr + "[" + string(f) + "]") }

// join joins filters with op; one filter stays as it is.
func join(op string, filters []Filter) Filter {
	if len(filters) == 1 {
		return filters[0]
	}
	parts := make([]string, len(filters))
	for i, f := range filters {
		parts[i] = "(" + string(f) + ")"
	}
	return Filter(strings.Join(parts, " "+op+" "))
}
