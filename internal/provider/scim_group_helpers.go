package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// findGroupByDisplayName looks a group up by its display name (compared
// without regard to letter case by the service) with one list request; the
// member list is transferred only when withMembers is set. It returns an
// error wrapping transport.ErrNotFound when no group has that name.
func findGroupByDisplayName(ctx context.Context, c *scim.Client, name string, withMembers bool) (*scim.Group, error) {
	opts := &scim.ListOptions{Filter: scim.Eq("displayName", name)}
	if !withMembers {
		opts.ExcludedAttributes = groupWithoutMembers.ExcludedAttributes
	}
	resp, err := c.Groups.List(ctx, opts)
	if err != nil {
		return nil, err
	}
	if len(resp.Resources) == 0 {
		return nil, fmt.Errorf("no group has this display name: %w", transport.ErrNotFound)
	}
	return &resp.Resources[0], nil
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
