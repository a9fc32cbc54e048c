package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// MaxMembersPerPatch is the most member values one PATCH carries.
const MaxMembersPerPatch = 100

// GroupsService manages groups. Create, Get, Replace, Patch, Delete, List
// and All (with T = Group) are the shared
// resource operations documented in scim.go; a lost-response create is
// resolved by displayName. The service may answer a group PATCH with 204, in
// which case Patch returns nil, nil.
type GroupsService struct {
	resources[Group]

	// omitMembers is what this client knows of the service's
	// excludedAttributes=members.
	omitMembers omitMembersProbe
}

// omitMembersProbe is what a client knows of excludedAttributes=members,
// which no write changes (the zero Cache); the reads that come while a
// probe finds out share it.
type omitMembersProbe struct {
	readcache.Cache[selectionState]
}

// load returns the state.
func (p *omitMembersProbe) load() selectionState {
	defer p.Unlock()
	return *p.Lock()
}

// selectionState is what a client knows of an attribute selection.
type selectionState int32

const (
	// selectionUnknown: not probed yet, or the probe was inconclusive.
	selectionUnknown selectionState = iota
	// selectionProven: the service answered a read with the selection
	// exactly as without it, less what it selects away.
	selectionProven
	// selectionUnproven: the service refused the selection, ignored it, or
	// answered differently: reads ask for the whole resource.
	selectionUnproven
)

// excludeMembers is the selection that keeps a group's member list off
// the wire.
var excludeMembers = &GetOptions{ExcludedAttributes: []string{"members"}}

// WithoutMembers returns the read options that leave a group's member list
// out of an answer, for a read that does not need the members, once this
// client has seen the service honour them (RefreshService.Group probes
// that); until then, and for a service that does not, nil: a plain read.
// It sends nothing.
func (s *GroupsService) WithoutMembers() *GetOptions {
	if s.omitMembers.load() == selectionProven {
		return excludeMembers
	}
	return nil
}

// probeOmitMembers probes excludedAttributes=members with the group that
// plain returns (read plainly), unless the verdict is known already: it
// reads that group again with the selection, and the selection is proven
// only if both answers agree on every attribute but the members and the
// second has none. A service that refuses the selection, ignores it or
// answers differently leaves it unproven. It reports whether it probed,
// and returns the plain read. While another read probes, it waits for that
// probe's verdict and does not probe.
func (s *GroupsService) probeOmitMembers(ctx context.Context, plain func(context.Context) (*Group, error)) (*Group, bool, error) {
	p := &s.omitMembers
	if *p.Lock() != selectionUnknown {
		p.Unlock()
		return nil, false, nil
	}
	// run is this read's probe: a read that gets another's joined it, and
	// only waited for its verdict.
	run := &omitMembersRun{}
	got, err := readcache.Do(ctx, &p.Cache, "probe", func() (*omitMembersRun, error) {
		full, err := plain(ctx)
		if err != nil {
			return run, err
		}
		selected, err := s.Get(ctx, full.ID, excludeMembers)
		run.full, run.verdict = full, probeVerdict(full, selected, err)
		return run, nil
	}, func(state *selectionState, run *omitMembersRun, _ error) { *state = run.verdict })
	if got != run {
		return nil, false, nil
	}
	return run.full, true, err
}

// omitMembersRun is one probe of excludedAttributes=members: the plain
// read, and the verdict (selectionUnknown when it failed).
type omitMembersRun struct {
	full    *Group
	verdict selectionState
}

// probeVerdict judges the answer to a read with excludedAttributes=members
// against a plain read of the same group. An error that says nothing of
// the selection (the group went away, a transient failure) decides
// nothing.
func probeVerdict(full, selected *Group, err error) selectionState {
	var apiErr *transport.APIError
	var respErr *transport.ResponseError
	switch {
	case errors.As(err, &apiErr):
		if apiErr.StatusCode == http.StatusBadRequest {
			return selectionUnproven
		}
		return selectionUnknown
	case errors.As(err, &respErr):
		return selectionUnproven
	case err != nil:
		return selectionUnknown
	}
	same := selected.ID == full.ID && selected.DisplayName == full.DisplayName &&
		equalPtr(selected.ExternalID, full.ExternalID) && len(selected.Members) == 0
	if same {
		return selectionProven
	}
	return selectionUnproven
}

// equalPtr reports whether two optional strings are equal.
func equalPtr(a, b *string) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// GetByDisplayName returns the group named displayName (compared
// case-insensitively by the service), with one list request filtered on
// displayName; transport.ErrNotFound if none. opts, which may be nil,
// selects the attributes returned: WithoutMembers keeps a large group's
// member list off the wire where the service was seen to honour it.
func (s *GroupsService) GetByDisplayName(ctx context.Context, displayName string, opts *GetOptions) (*Group, error) {
	return s.getByKey(ctx, displayName, opts)
}

// AddMembers adds users to a group, MaxMembersPerPatch per PATCH. Adding a
// member twice has no effect. It returns what UpdateMembers returns.
func (s *GroupsService) AddMembers(ctx context.Context, groupID string, userIDs []string) (*Group, error) {
	return s.UpdateMembers(ctx, groupID, userIDs, nil)
}

// RemoveMembers removes users from a group, MaxMembersPerPatch per PATCH.
// Removing a non-member has no effect.
func (s *GroupsService) RemoveMembers(ctx context.Context, groupID string, userIDs []string) error {
	_, err := s.UpdateMembers(ctx, groupID, nil, userIDs)
	return err
}

// UpdateMembers applies one membership delta: it adds the users add and
// removes the users remove in as few PATCH requests as MaxMembersPerPatch
// allows, adds and removes mixed (k changes take ⌈k/MaxMembersPerPatch⌉
// requests, in the form Okta sends deltas). Adding a member twice or
// removing a non-member has no effect; an error stops the sequence, leaving
// the earlier requests applied.
//
// It returns the group as the last PATCH answered it when that answer
// shows the member list, else nil: a service may answer 204, or leave the
// members out. Either way the caller confirms the result with
// ConfirmMembers.
func (s *GroupsService) UpdateMembers(ctx context.Context, groupID string, add, remove []string) (*Group, error) {
	var last *Group
	for _, ops := range memberPatches(add, remove) {
		g, err := s.Patch(ctx, groupID, ops)
		if err != nil {
			return nil, err
		}
		last = g
	}
	if last == nil || last.Members == nil {
		return nil, nil
	}
	return last, nil
}

// MembersNotAppliedError is a membership change the service answered with
// success but did not apply: after it, the group's member list lacks users
// that were added, or still holds users that were removed.
type MembersNotAppliedError struct {
	// GroupID is the group.
	GroupID string
	// Missing are the users that should be members and are not; Kept, the
	// users that were removed and still are. Both sorted.
	Missing, Kept []string
	// Shown is how many members the group's member list held: none at all
	// after users were added is also what a service that stores members
	// but never shows them answers.
	Shown int
}

// Error implements error.
func (e *MembersNotAppliedError) Error() string {
	msg := "the service accepted the membership change, but the group's member list read afterwards"
	if len(e.Missing) > 0 {
		msg += fmt.Sprintf(" lacks %d user(s) that should be members: %s", len(e.Missing), abbreviate(e.Missing))
	}
	if len(e.Kept) > 0 {
		if len(e.Missing) > 0 {
			msg += ", and"
		}
		msg += fmt.Sprintf(" still holds %d user(s) that were removed: %s", len(e.Kept), abbreviate(e.Kept))
	}
	return msg
}

// abbreviate lists at most ten ids.
func abbreviate(ids []string) string {
	const most = 10
	if len(ids) <= most {
		return fmt.Sprintf("%q", ids)
	}
	return fmt.Sprintf("%q and %d more", ids[:most], len(ids)-most)
}

// ConfirmMembers checks, after a membership change, that the group's
// members include every user of present and none of absent. It believes
// shown, the answer of the change (UpdateMembers), only when that answer
// agrees; otherwise, and when there is none, it reads the group. It
// returns the group as last seen, and a *MembersNotAppliedError when the
// service did not apply the change: a service that answers success and
// drops members (a user id it does not know, say) is reported, not
// trusted.
func (s *GroupsService) ConfirmMembers(ctx context.Context, groupID string, shown *Group, present, absent []string) (*Group, error) {
	if shown != nil && missingMembers(shown, present, absent) == nil {
		return shown, nil
	}
	g, err := s.Get(ctx, groupID, nil)
	if err != nil {
		return nil, err
	}
	if e := missingMembers(g, present, absent); e != nil {
		e.GroupID = groupID
		e.Shown = len(g.Members)
		return g, e
	}
	return g, nil
}

// missingMembers compares a group's members with what they should be.
func missingMembers(g *Group, present, absent []string) *MembersNotAppliedError {
	in := make(map[string]bool, len(g.Members))
	for _, m := range g.Members {
		in[m.Value] = true
	}
	var e MembersNotAppliedError
	for _, id := range present {
		if !in[id] {
			e.Missing = append(e.Missing, id)
		}
	}
	for _, id := range absent {
		if in[id] {
			e.Kept = append(e.Kept, id)
		}
	}
	if e.Missing == nil && e.Kept == nil {
		return nil
	}
	slices.Sort(e.Missing)
	slices.Sort(e.Kept)
	return &e
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
