package scim

import "context"

// MaxMembersPerPatch is the most member values one PATCH carries.
const MaxMembersPerPatch = 100

// GroupsService manages groups. Create, Get, Replace, Patch, Delete, List
// and All (with T = Group) are the shared
// resource operations documented in scim.go; a lost-response create is
// resolved by displayName. The service may answer a group PATCH with 204, in
// which case Patch returns nil, nil.
type GroupsService struct {
	resources[Group]
}

// GetByDisplayName returns the group named displayName (compared
// case-insensitively by the service), with one list request filtered on
// displayName; transport.ErrNotFound if none. opts, which may be nil,
// selects the attributes returned: ExcludedAttributes "members" keeps a
// large group's member list off the wire.
func (s *GroupsService) GetByDisplayName(ctx context.Context, displayName string, opts *GetOptions) (*Group, error) {
	return s.getByKey(ctx, displayName, opts)
}

// AddMembers adds users to a group, MaxMembersPerPatch per PATCH. Adding a
// member twice has no effect.
func (s *GroupsService) AddMembers(ctx context.Context, groupID string, userIDs []string) error {
	return s.UpdateMembers(ctx, groupID, userIDs, nil)
}

// RemoveMembers removes users from a group, MaxMembersPerPatch per PATCH.
// Removing a non-member has no effect.
func (s *GroupsService) RemoveMembers(ctx context.Context, groupID string, userIDs []string) error {
	return s.UpdateMembers(ctx, groupID, nil, userIDs)
}

// UpdateMembers applies one membership delta: it adds the users add and
// removes the users remove in as few PATCH requests as MaxMembersPerPatch
// allows, adds and removes mixed (k changes take ⌈k/MaxMembersPerPatch⌉
// requests, in the form Okta sends deltas). The requests ask the service to
// leave the member list out of its answers. Adding a member twice or
// removing a non-member has no effect; an error stops the sequence, leaving
// the earlier requests applied.
func (s *GroupsService) UpdateMembers(ctx context.Context, groupID string, add, remove []string) error {
	withoutMembers := &GetOptions{ExcludedAttributes: []string{"members"}}
	for _, ops := range memberPatches(add, remove) {
		if _, err := s.Patch(ctx, groupID, ops, withoutMembers); err != nil {
			return err
		}
	}
	return nil
}

// memberPatches splits a delta into the operations of each PATCH: adds
// first, at most MaxMembersPerPatch member values per PATCH.
func memberPatches(add, remove []string) [][]PatchOperation {
	var patches [][]PatchOperation
	for len(add)+len(remove) > 0 {
		a := add[:min(len(add), MaxMembersPerPatch)]
		r := remove[:min(len(remove), MaxMembersPerPatch-len(a))]
		add, remove = add[len(a):], remove[len(r):]
		patches = append(patches, memberOps(a, r))
	}
	return patches
}

// memberOps is one add operation with every added member, then one remove
// operation per removed member, selected by value (RFC 7644 §3.5.2.2).
func memberOps(add, remove []string) []PatchOperation {
	ops := make([]PatchOperation, 0, 1+len(remove))
	if len(add) > 0 {
		members := make([]Member, len(add))
		for i, id := range add {
			members[i] = Member{Value: id}
		}
		ops = append(ops, PatchOperation{Op: OpAdd, Path: "members", Value: members})
	}
	for _, id := range remove {
		ops = append(ops, PatchOperation{Op: OpRemove, Path: string(ValuePath("members", Eq("value", id)))})
	}
	return ops
}
