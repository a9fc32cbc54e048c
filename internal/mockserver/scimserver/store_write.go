package scimserver

import (
	"fmt"
	"net/http"
	"sort"
)

// The methods in this file change the store; callers hold s.mu for writing
// and have validated attribute types (decodeUser and decodeGroup, document.go).

// createUser stores a new user.
func (s *Store) createUser(u User) (*userRec, *scimError) {
	key := fold(u.UserName)
	if _, taken := s.userByName[key]; taken {
		return nil, conflict(fmt.Sprintf("userName %q is already taken in this directory", u.UserName))
	}
	if u.ID == "" {
		u.ID = newID()
	} else if _, taken := s.users[u.ID]; taken {
		return nil, conflict(fmt.Sprintf("user id %q is already taken", u.ID))
	}
	u.IdentityID = s.cfg.NextIdentityID()
	u.Created = s.now()
	u.LastModified = u.Created
	u.Version = s.nextVersion()
	s.seq++
	r := &userRec{seq: s.seq, u: copyUser(u), keyU: key}
	s.users[u.ID] = r
	s.userOrder = append(s.userOrder, r)
	s.indexUser(r)
	s.noteUser(r)
	return r, nil
}

// replaceUser replaces the stored user r with u, keeping r's id, identity
// ID, creation time and listing position.
func (s *Store) replaceUser(r *userRec, u User) (*userRec, *scimError) {
	key := fold(u.UserName)
	if other, taken := s.userByName[key]; taken && other != r {
		return nil, conflict(fmt.Sprintf("userName %q is already taken in this directory", u.UserName))
	}
	u.ID, u.IdentityID, u.Created = r.u.ID, r.u.IdentityID, r.u.Created
	u.LastModified = s.now()
	u.Version = s.nextVersion()
	n := &userRec{seq: r.seq, u: copyUser(u), keyU: key}
	s.unindexUser(r)
	s.users[u.ID] = n
	s.userOrder[position(s.userOrder, r.seq, (*userRec).sequence)] = n
	s.indexUser(n)
	s.noteUser(n)
	return n, nil
}

// deleteUser removes a user and its group memberships.
func (s *Store) deleteUser(r *userRec) {
	id := r.u.ID
	for gid := range s.memberOf[id] {
		g := s.groups[gid]
		members := make([]string, 0, len(g.ids))
		for _, m := range g.ids {
			if m != id {
				members = append(members, m)
			}
		}
		s.commitGroup(g, g.g, members)
	}
	s.dropUser(r)
	s.noteDeleted(id, "")
}

// dropUser removes a user that is no group's member any more.
func (s *Store) dropUser(r *userRec) {
	delete(s.memberOf, r.u.ID)
	s.unindexUser(r)
	delete(s.users, r.u.ID)
	s.userOrder = removeAt(s.userOrder, position(s.userOrder, r.seq, (*userRec).sequence))
}

// indexUser adds r to the userName and externalId indexes.
func (s *Store) indexUser(r *userRec) {
	s.userByName[r.keyU] = r
	addIndex(s.userByExt, r.u.ExternalID, r.u.ID, r)
}

// unindexUser removes r from the userName and externalId indexes.
func (s *Store) unindexUser(r *userRec) {
	delete(s.userByName, r.keyU)
	dropIndex(s.userByExt, r.u.ExternalID, r.u.ID)
}

// createGroup stores a new group with the given member ids.
func (s *Store) createGroup(g Group, members []string) (*groupRec, *scimError) {
	if s.cfg.MaxGroups > 0 && len(s.groups) >= s.cfg.MaxGroups {
		return nil, badRequest(scimTypeInvalidValue,
			fmt.Sprintf("directory already has %d groups (the Secure Access limit)", s.cfg.MaxGroups))
	}
	key := fold(g.DisplayName)
	if _, taken := s.groupByNm[key]; taken {
		return nil, conflict(fmt.Sprintf("group displayName %q is already taken in this directory", g.DisplayName))
	}
	if g.ID == "" {
		g.ID = newID()
	} else if _, taken := s.groups[g.ID]; taken {
		return nil, conflict(fmt.Sprintf("group id %q is already taken", g.ID))
	}
	if err := s.checkMembers(members); err != nil {
		return nil, err
	}
	g.IdentityID = s.cfg.NextIdentityID()
	g.Created = s.now()
	s.seq++
	r := &groupRec{seq: s.seq, g: g}
	s.groups[g.ID] = r
	s.groupOrder = append(s.groupOrder, r)
	return s.commitGroup(r, g, members), nil
}

// replaceGroup replaces the stored group r with g and the given members,
// keeping r's id, identity ID, creation time and listing position.
func (s *Store) replaceGroup(r *groupRec, g Group, members []string) (*groupRec, *scimError) {
	if other, taken := s.groupByNm[fold(g.DisplayName)]; taken && other != r {
		return nil, conflict(fmt.Sprintf("group displayName %q is already taken in this directory", g.DisplayName))
	}
	if err := s.checkMembers(members); err != nil {
		return nil, err
	}
	return s.commitGroup(r, g, members), nil
}

// checkMembers verifies that every member id is a user of this store.
func (s *Store) checkMembers(members []string) *scimError {
	for _, id := range members {
		if _, ok := s.users[id]; !ok {
			if _, isGroup := s.groups[id]; isGroup {
				return badRequest(scimTypeInvalidValue, fmt.Sprintf("member %q is a group: nested groups are not supported", id))
			}
			return badRequest(scimTypeInvalidValue, fmt.Sprintf("member %q is not a user of this directory", id))
		}
	}
	return nil
}

// commitGroup stores g with the given (validated) members in place of the
// old record old, updating the indexes and the membership reverse index.
// Only the members that changed touch the reverse index, so a PATCH of a
// few members of a big group does not rebuild it.
func (s *Store) commitGroup(old *groupRec, g Group, members []string) *groupRec {
	g.ID, g.IdentityID, g.Created = old.g.ID, old.g.IdentityID, old.g.Created
	g.Members = nil
	g.LastModified = s.now()
	g.Version = s.nextVersion()
	n := &groupRec{seq: old.seq, g: g, ids: memberSet(members), keyU: fold(g.DisplayName)}
	s.unindexGroupNames(old)
	s.groups[g.ID] = n
	s.groupOrder[position(s.groupOrder, n.seq, (*groupRec).sequence)] = n
	s.indexGroupNames(n)
	gone, added := diffSorted(old.ids, n.ids)
	for _, m := range gone {
		dropIndex(s.memberOf, m, g.ID)
	}
	for _, m := range added {
		addIndex(s.memberOf, m, g.ID, struct{}{})
	}
	s.noteGroup(n)
	return n
}

// diffSorted returns the elements only in a and those only in b, both
// sorted without duplicates.
func diffSorted(a, b []string) (onlyA, onlyB []string) {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			i++
			j++
		case a[i] < b[j]:
			onlyA = append(onlyA, a[i])
			i++
		default:
			onlyB = append(onlyB, b[j])
			j++
		}
	}
	return append(onlyA, a[i:]...), append(onlyB, b[j:]...)
}

// indexGroup adds r to the displayName, externalId and membership indexes.
func (s *Store) indexGroup(r *groupRec) {
	s.indexGroupNames(r)
	for _, m := range r.ids {
		addIndex(s.memberOf, m, r.g.ID, struct{}{})
	}
}

// indexGroupNames adds r to the displayName and externalId indexes.
func (s *Store) indexGroupNames(r *groupRec) {
	s.groupByNm[r.keyU] = r
	addIndex(s.groupByExt, r.g.ExternalID, r.g.ID, r)
}

// unindexGroup removes r from the displayName, externalId and membership
// indexes.
func (s *Store) unindexGroup(r *groupRec) {
	s.unindexGroupNames(r)
	for _, m := range r.ids {
		dropIndex(s.memberOf, m, r.g.ID)
	}
}

// unindexGroupNames removes r from the displayName and externalId indexes.
func (s *Store) unindexGroupNames(r *groupRec) {
	if s.groupByNm[r.keyU] == r {
		delete(s.groupByNm, r.keyU)
	}
	dropIndex(s.groupByExt, r.g.ExternalID, r.g.ID)
}

// deleteGroup removes a group.
func (s *Store) deleteGroup(r *groupRec) {
	s.dropGroup(r)
	s.noteDeleted("", r.g.ID)
}

// dropGroup removes a group from the maps, indexes and listing order.
func (s *Store) dropGroup(r *groupRec) {
	s.unindexGroup(r)
	delete(s.groups, r.g.ID)
	s.groupOrder = removeAt(s.groupOrder, position(s.groupOrder, r.seq, (*groupRec).sequence))
}

// conflict is the 409 for a uniqueness violation.
func conflict(detail string) *scimError {
	return newError(http.StatusConflict, scimTypeUniqueness, detail)
}

// position finds the record with the given sequence number in a slice
// sorted by sequence number.
func position[R any](order []R, seq int64, seqOf func(R) int64) int {
	return sort.Search(len(order), func(i int) bool { return seqOf(order[i]) >= seq })
}

// removeAt removes the element at i, keeping the order.
func removeAt[R any](order []R, i int) []R {
	copy(order[i:], order[i+1:])
	var zero R
	order[len(order)-1] = zero
	return order[:len(order)-1]
}

// addIndex adds id → v under key in a multi-valued index; empty keys are
// not indexed.
func addIndex[V any](idx map[string]map[string]V, key, id string, v V) {
	if key == "" {
		return
	}
	set, ok := idx[key]
	if !ok {
		set = map[string]V{}
		idx[key] = set
	}
	set[id] = v
}

// dropIndex removes id under key from a multi-valued index.
func dropIndex[V any](idx map[string]map[string]V, key, id string) {
	set, ok := idx[key]
	if !ok {
		return
	}
	delete(set, id)
	if len(set) == 0 {
		delete(idx, key)
	}
}
