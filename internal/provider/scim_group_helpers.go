package provider

import (
	"slices"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// withoutMembers is the excludedAttributes of a listing of groups that
// does not need their members: "members" once the client has seen the
// service leave them out harmlessly, else none (see
// scim.GroupsService.WithoutMembers).
func withoutMembers(c *scim.Client) []string {
	if o := c.Groups.WithoutMembers(); o != nil {
		return o.ExcludedAttributes
	}
	return nil
}

// orderLike returns the values of current in the order of prior: values
// that prior holds keep prior's order, and values prior does not hold
// follow, sorted. A refresh that finds the members prior lists, in whatever
// order the service returns them, thus returns prior itself, and a list of
// IDs behaves like a set without the cost Terraform pays for large sets.
func orderLike(current, prior []string) []string {
	in := make(map[string]bool, len(current))
	for _, v := range current {
		in[v] = true
	}
	out := make([]string, 0, len(current))
	for _, v := range prior {
		if in[v] {
			out = append(out, v)
			delete(in, v) // a duplicate in prior is kept once
		}
	}
	rest := make([]string, 0, len(in))
	for _, v := range current {
		if in[v] {
			rest = append(rest, v)
			delete(in, v)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// memberDelta is what turns one member set into another: the user IDs to
// add and to remove, each sorted.
type memberDelta struct {
	add, remove []string
}

// diffMembers returns the delta from the member set have to want.
func diffMembers(have, want []string) memberDelta {
	return memberDelta{add: missingFrom(want, have), remove: missingFrom(have, want)}
}

// missingFrom returns the sorted values of a that are not in b.
func missingFrom(a, b []string) []string {
	in := make(map[string]struct{}, len(b))
	for _, v := range b {
		in[v] = struct{}{}
	}
	var out []string
	for _, v := range a {
		if _, ok := in[v]; !ok {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
