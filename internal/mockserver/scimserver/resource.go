package scimserver

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// This file holds the store operations behind the HTTP handlers: they work
// on documents of either resource kind and take the store's lock.

// saved is the outcome of a read or write: the resource's id, its rendered
// document and its version.
type saved struct {
	id      string
	doc     map[string]any
	version int64
}

// get returns the rendered resource with the given id.
func (s *Store) get(k *resourceKind, id, base string) (saved, *scimError) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	doc, version, ok := s.current(k, id)
	if !ok {
		return saved{}, notFound(k.name, id)
	}
	return saved{id, s.renderOwn(k, doc, base), version}, nil
}

// create stores a new resource from a canonical request document. A user
// created without active (or with null) is active.
func (s *Store) create(k *resourceKind, m map[string]any, base string, q Quirks) (saved, *scimError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k == userKind && m["active"] == nil {
		m["active"] = true
	}
	return s.durable(s.commit(k, "", m, base, q))
}

// replace replaces a resource (PUT); it never creates one. A user PUT
// without active (or with null) keeps the active it has, assigned or not
// (RFC 7644 §3.5.1 lets the service treat an omitted attribute as not
// asserted): a PUT neither turns a deactivated user on nor an active one
// off unless it says so.
func (s *Store) replace(k *resourceKind, id, ifMatch string, m map[string]any, base string, q Quirks) (saved, *scimError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.precondition(k, id, ifMatch); err != nil {
		return saved{}, err
	}
	if k == userKind && m["active"] == nil {
		if a := s.users[id].u.Active; a != nil {
			m["active"] = *a
		}
	}
	return s.durable(s.commit(k, id, m, base, q))
}

// patch applies PATCH operations atomically: to a fresh document of the
// resource, committed only when every operation succeeded and the result
// is valid. pre, empty unless QuirkPatchSelectsFirst is on, is projected
// onto that document before the operations, so what it drops is stored as
// dropped.
func (s *Store) patch(k *resourceKind, id, ifMatch string, ops []patchOp, base string, q Quirks, pre projection) (saved, *scimError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.precondition(k, id, ifMatch); err != nil {
		return saved{}, err
	}
	doc, _, _ := s.current(k, id)
	doc = pre.apply(doc)
	apply := applyPatch
	if q.Has(QuirkRemoveUnsetNoTarget) {
		apply = applyPatchNoTarget
	}
	if err := apply(k, doc, ops); err != nil {
		return saved{}, err
	}
	return s.durable(s.commit(k, id, doc, base, q))
}

// remove deletes a resource.
func (s *Store) remove(k *resourceKind, id, ifMatch string) *scimError {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.precondition(k, id, ifMatch); err != nil {
		return err
	}
	if k == userKind {
		s.deleteUser(s.users[id])
	} else {
		s.deleteGroup(s.groups[id])
	}
	return s.flushJournal()
}

// current returns a new document (the caller's to modify) and the version
// of a resource.
func (s *Store) current(k *resourceKind, id string) (map[string]any, int64, bool) {
	if k == userKind {
		r, ok := s.users[id]
		if !ok {
			return nil, 0, false
		}
		return r.doc(), r.u.Version, true
	}
	r, ok := s.groups[id]
	if !ok {
		return nil, 0, false
	}
	return r.doc(), r.g.Version, true
}

// versionOf returns the version of a resource without building its document.
func (s *Store) versionOf(k *resourceKind, id string) (int64, bool) {
	if k == userKind {
		r, ok := s.users[id]
		if !ok {
			return 0, false
		}
		return r.u.Version, true
	}
	r, ok := s.groups[id]
	if !ok {
		return 0, false
	}
	return r.g.Version, true
}

// precondition checks that the resource exists and matches If-Match.
func (s *Store) precondition(k *resourceKind, id, ifMatch string) *scimError {
	version, ok := s.versionOf(k, id)
	if !ok {
		return notFound(k.name, id)
	}
	if !etagMatches(ifMatch, version) {
		return newError(http.StatusPreconditionFailed, "",
			fmt.Sprintf("%s %q has changed: its version is %s, not %s", k.name, id, etag(version), ifMatch))
	}
	return nil
}

// etagMatches reports whether an If-Match (or If-None-Match) header matches
// the version; an empty header matches. Weak and strong forms compare equal.
func etagMatches(header string, version int64) bool {
	if strings.TrimSpace(header) == "" {
		return true
	}
	want := strconv.Quote(strconv.FormatInt(version, 10))
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == want {
			return true
		}
	}
	return false
}

// commit validates a canonical document and stores it as a new resource
// (id "") or in place of resource id, as the quirks q have it.
func (s *Store) commit(k *resourceKind, id string, m map[string]any, base string, q Quirks) (saved, *scimError) {
	if k == userKind {
		return s.commitUser(id, m, base, q)
	}
	g, members, err := decodeGroup(m)
	if err != nil {
		return saved{}, err
	}
	if q.Has(QuirkIgnoreUnknownMembers) {
		members = s.onlyUsers(members)
	}
	var r *groupRec
	if id == "" {
		g.ID = s.assignID(q)
		r, err = s.createGroup(g, members)
	} else {
		r, err = s.replaceGroup(s.groups[id], g, members)
	}
	if err != nil {
		return saved{}, err
	}
	return saved{r.g.ID, s.renderOwn(k, r.doc(), base), r.g.Version}, nil
}

// commitUser is commit for users: the decoded user, as the store quirks
// of q change it (storedUser), is what is stored and indexed.
func (s *Store) commitUser(id string, m map[string]any, base string, q Quirks) (saved, *scimError) {
	u, err := decodeUser(m)
	if err != nil {
		return saved{}, err
	}
	u = storedUser(u, q)
	var r *userRec
	if id == "" {
		u.ID = s.assignID(q)
		r, err = s.createUser(u)
	} else {
		r, err = s.replaceUser(s.users[id], u)
	}
	if err != nil {
		return saved{}, err
	}
	return saved{r.u.ID, s.renderOwn(userKind, r.doc(), base), r.u.Version}, nil
}
