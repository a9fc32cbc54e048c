package scim

import (
	"context"
	"fmt"
	"slices"
)

// MaxMembersPerPatch is the most member values one PATCH carries.
const MaxMembersPerPatch = 100

// GroupsService manages groups. Create, Get, Replace, Patch, Delete, List
// and All (with T = Group) are the shared resource operations documented in
// scim.go; a lost-response create is resolved by displayName. The service may
// answer a group PATCH with 204, in which case Patch returns nil, nil.
type GroupsService struct {
	resources[Group]
}

// GetByDisplayName returns the group named displayName;
// transport.ErrNotFound if none.
func (s *GroupsService) GetByDisplayName(ctx context.Context, displayName string) (*Group, error) {
	return s.getByKey(ctx, displayName)
}

// AddMembers adds users to a group, MaxMembersPerPatch per PATCH. Adding a
// member twice has no effect.
func (s *GroupsService) AddMembers(ctx context.Context, groupID string, userIDs []string) error {
	return s.patchMembers(ctx, groupID, userIDs, addMembersOps)
}

// RemoveMembers removes users from a group, MaxMembersPerPatch per PATCH.
// Removing a non-member has no effect.
func (s *GroupsService) RemoveMembers(ctx context.Context, groupID string, userIDs []string) error {
	return s.patchMembers(ctx, groupID, userIDs, removeMembersOps)
}

// HasMember reports whether the user is a member of the group, with one
// small query that returns at most the group's id.
func (s *GroupsService) HasMember(ctx context.Context, groupID, userID string) (bool, error) {
	resp, err := s.List(ctx, &ListOptions{
		Filter:     And(Eq("id", groupID), ValuePath("members", Eq("value", userID))),
		Attributes: []string{"id"},
	})
	if err != nil {
		return false, fmt.Errorf("checking membership of user %q in group %q: %w", userID, groupID, err)
	}
	return resp.TotalResults > 0, nil
}

// patchMembers sends the operations ops builds for each chunk of userIDs.
func (s *GroupsService) patchMembers(ctx context.Context, groupID string, userIDs []string, ops func([]string) []PatchOperation) error {
	for chunk := range slices.Chunk(userIDs, MaxMembersPerPatch) {
		if _, err := s.Patch(ctx, groupID, ops(chunk), ""); err != nil {
			return err
		}
	}
	return nil
}

// addMembersOps is one add operation with every member value.
func addMembersOps(userIDs []string) []PatchOperation {
	members := make([]Member, len(userIDs))
	for i, id := range userIDs {
		members[i] = Member{Value: id}
	}
	return []PatchOperation{{Op: OpAdd, Path: "members", Value: members}}
}

// removeMembersOps is one remove operation per member, each selecting the
// member by value (RFC 7644 §3.5.2.2).
func removeMembersOps(userIDs []string) []PatchOperation {
	ops := make([]PatchOperation, len(userIDs))
	for i, id := range userIDs {
		ops[i] = PatchOperation{Op: OpRemove, Path: string(ValuePath("members", Eq("value", id)))}
	}
	return ops
}
