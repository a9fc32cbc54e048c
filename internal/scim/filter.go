package scim

import (
	"strings"
)

// Filter is a SCIM filter expression (RFC 7644 §3.4.2.2). Build one with Eq,
// which quotes and escapes the value, so that a value can never change the
// expression's structure; Filter("…") passes a literal. Secure Access
// documents only userName eq (users) and displayName eq (groups), and
// externalId eq is what IdPs send: the clients send nothing richer, so
// there are no builders for and, or, not, co, sw and the like.
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

// ValuePath is `attr[f]`, the PATCH path of the values of a multi-valued
// attribute that f selects (RFC 7644 §3.5.2), e.g. ValuePath("members",
// Eq("value", id)) to remove one member, as Okta does. It selects values
// of one resource; it is not a query filter.
func ValuePath(attr string, f Filter) Filter { return Filter(attr + "[" + string(f) + "]") }
