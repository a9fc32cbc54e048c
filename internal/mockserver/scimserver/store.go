package scimserver

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
)

// Name is a user's name (RFC 7643 §4.1.1).
type Name struct {
	Formatted  string
	FamilyName string
	GivenName  string
}

// Email is one of a user's email addresses.
type Email struct {
	Value   string
	Type    string
	Primary bool
}

// User is a SCIM user as the store keeps it. Empty strings are unassigned.
type User struct {
	ID         string
	ExternalID string
	UserName   string
	// Active is the user's administrative status: nil when unassigned
	// (a PATCH removed it). Only true lets the user authenticate; an
	// unassigned active means the user is not active.
	Active      *bool
	DisplayName string
	Name        Name
	Emails      []Email
	// NativeObjectID and AuthName are the ciscoumbrella extension's attributes.
	NativeObjectID string
	AuthName       string

	// IdentityID is the numeric Reports identity ID.
	IdentityID   int64
	Created      time.Time
	LastModified time.Time
	// Version is the resource version; the ETag is W/"<Version>".
	Version int64
}

// Group is a SCIM group as the store keeps it.
type Group struct {
	ID          string
	ExternalID  string
	DisplayName string
	// Members are the member users' ids, sorted.
	Members []string

	IdentityID   int64
	Created      time.Time
	LastModified time.Time
	Version      int64
}

// ETag returns the user's weak entity tag.
func (u User) ETag() string { return etag(u.Version) }

// ETag returns the group's weak entity tag.
func (g Group) ETag() string { return etag(g.Version) }

// etag formats a version as a weak entity tag.
func etag(v int64) string { return fmt.Sprintf("W/%q", fmt.Sprint(v)) }

// userRec is a stored user. Records are replaced, never mutated, on update.
// Documents (see document.go) are built on demand rather than kept, which keeps
// a directory of 100,000 users small and cheap for the garbage collector.
type userRec struct {
	seq  int64
	u    User
	keyU string // folded userName
}

// groupRec is a stored group. ids are the member ids, sorted and without
// duplicates, shared by nobody outside the store (hand out copies);
// g.Members is always nil inside the store.
type groupRec struct {
	seq  int64
	g    Group
	ids  []string
	keyU string // folded displayName
}

// sequence returns the record's creation sequence number.
func (r *userRec) sequence() int64 { return r.seq }

// sequence returns the record's creation sequence number.
func (r *groupRec) sequence() int64 { return r.seq }

// doc returns a new canonical document of the user.
func (r *userRec) doc() map[string]any { return userDoc(r.u) }

// doc returns a new canonical document of the group.
func (r *groupRec) doc() map[string]any { return groupDoc(r.g, r.ids) }

// Store is one directory's SCIM users and groups. All methods are safe for
// concurrent use; every write holds the store's lock for its whole
// read-modify-write, so concurrent PATCHes of one group never lose an update.
type Store struct {
	cfg Config

	mu         sync.RWMutex
	seq        int64 // creation sequence: listing order
	version    int64 // last resource version handed out
	serial     int64 // last integer id handed out without Config.NextSerialID
	users      map[string]*userRec
	userOrder  []*userRec // by seq
	userByName map[string]*userRec
	userByExt  map[string]map[string]*userRec
	groups     map[string]*groupRec
	groupOrder []*groupRec // by seq
	groupByNm  map[string]*groupRec
	groupByExt map[string]map[string]*groupRec
	memberOf   map[string]map[string]struct{} // user id → group ids
	pending    Change                         // the current write's changes, for Config.Journal

	filters filterCache
}

// NewStore returns an empty store. cfg.NextIdentityID is required; Now
// defaults to time.Now and MaxGroups ≤ 0 means unlimited.
func NewStore(cfg Config) *Store {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Store{
		cfg:        cfg,
		users:      map[string]*userRec{},
		userByName: map[string]*userRec{},
		userByExt:  map[string]map[string]*userRec{},
		groups:     map[string]*groupRec{},
		groupByNm:  map[string]*groupRec{},
		groupByExt: map[string]map[string]*groupRec{},
		memberOf:   map[string]map[string]struct{}{},
	}
}

// Counts returns how many users and groups the store holds.
func (s *Store) Counts() (users, groups int) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.users), len(s.groups)
}

// Identities returns every user, then every group, in creation order, as
// the Reports API shows them.
func (s *Store) Identities() []Identity {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Identity, 0, len(s.userOrder)+len(s.groupOrder))
	for _, r := range s.userOrder {
		out = append(out, Identity{ID: r.u.IdentityID, Label: userLabel(r.u), Type: "directory_user"})
	}
	for _, r := range s.groupOrder {
		out = append(out, Identity{ID: r.g.IdentityID, Label: r.g.DisplayName, Type: "directory_group"})
	}
	return out
}

// userLabel is "Display Name (userName)", or the userName alone when the
// user has no displayName.
func userLabel(u User) string {
	if u.DisplayName == "" {
		return u.UserName
	}
	return u.DisplayName + " (" + u.UserName + ")"
}

// User returns a copy of the user with the given id.
func (s *Store) User(id string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.users[id]
	if !ok {
		return User{}, false
	}
	return copyUser(r.u), true
}

// UserByUserName returns a copy of the user with the given userName,
// compared case-insensitively.
func (s *Store) UserByUserName(userName string) (User, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.userByName[fold(userName)]
	if !ok {
		return User{}, false
	}
	return copyUser(r.u), true
}

// Users returns copies of every user in creation order.
func (s *Store) Users() []User {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]User, len(s.userOrder))
	for i, r := range s.userOrder {
		out[i] = copyUser(r.u)
	}
	return out
}

// Group returns a copy of the group with the given id, members included.
func (s *Store) Group(id string) (Group, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.groups[id]
	if !ok {
		return Group{}, false
	}
	return r.group(), true
}

// GroupByDisplayName returns a copy of the group with the given
// displayName, compared case-insensitively.
func (s *Store) GroupByDisplayName(displayName string) (Group, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.groupByNm[fold(displayName)]
	if !ok {
		return Group{}, false
	}
	return r.group(), true
}

// GroupMembers returns the sorted member ids of a group (nil if the group
// does not exist).
func (s *Store) GroupMembers(groupID string) []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	r, ok := s.groups[groupID]
	if !ok {
		return nil
	}
	return r.memberIDs()
}

// Groups returns copies of every group in creation order.
func (s *Store) Groups() []Group {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make([]Group, len(s.groupOrder))
	for i, r := range s.groupOrder {
		out[i] = r.group()
	}
	return out
}

// CreateUser stores a new user as POST /Users would (without HTTP), for
// seeding tests. u.ID is assigned when empty; IdentityID, Created,
// LastModified and Version are always assigned. Unlike POST, Active is
// taken as given, so set it: the zero value (nil, unassigned) is a user
// that is not active. It fails when userName is empty or taken or a string
// attribute is longer than its limit (internal/scimlimits).
func (s *Store) CreateUser(u User) (User, error) {
	if u.UserName == "" {
		return User{}, badRequest(scimTypeInvalidValue, "userName is required")
	}
	if err := checkUserLimits(u); err != nil {
		return User{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.createUser(u)
	if err != nil {
		return User{}, err
	}
	if err := s.flushJournal(); err != nil {
		return User{}, err
	}
	return copyUser(r.u), nil
}

// CreateGroup stores a new group, with g.Members as its members, as POST
// /Groups would. It fails when displayName is empty or taken or longer
// than its limit, a member is not a user of this store, or the store
// already holds MaxGroups groups.
func (s *Store) CreateGroup(g Group) (Group, error) {
	if g.DisplayName == "" {
		return Group{}, badRequest(scimTypeInvalidValue, "displayName is required")
	}
	if err := checkGroupLimits(g); err != nil {
		return Group{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, err := s.createGroup(g, g.Members)
	if err != nil {
		return Group{}, err
	}
	if err := s.flushJournal(); err != nil {
		return Group{}, err
	}
	return r.group(), nil
}

// AddMembers adds users to a group (idempotently), as a PATCH add of
// members would.
func (s *Store) AddMembers(groupID string, userIDs ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.groups[groupID]
	if !ok {
		return notFound("Group", groupID)
	}
	g := r.g
	members := append(r.memberIDs(), userIDs...)
	if _, err := s.replaceGroup(r, g, members); err != nil {
		return err
	}
	if err := s.flushJournal(); err != nil {
		return err
	}
	return nil
}

// DeleteUser deletes a user (and its group memberships); false when it did
// not exist. With a Config.Journal, a journal error is left to the next
// write to report (a failed journal stays failed).
func (s *Store) DeleteUser(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.users[id]
	if ok {
		s.deleteUser(r)
		_ = s.flushJournal()
	}
	return ok
}

// DeleteGroup deletes a group; false when it did not exist. Journal errors
// are handled as in DeleteUser.
func (s *Store) DeleteGroup(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.groups[id]
	if ok {
		s.deleteGroup(r)
		_ = s.flushJournal()
	}
	return ok
}

// fold is the case-insensitive key of a unique name.
func fold(s string) string { return strings.ToLower(s) }

// notFound is the 404 for a missing resource.
func notFound(kind, id string) *scimError {
	return newError(http.StatusNotFound, "", fmt.Sprintf("%s %q not found", kind, id))
}

// copyUser returns u with its own Emails slice and Active pointer.
func copyUser(u User) User {
	u.Emails = slices.Clone(u.Emails)
	if u.Active != nil {
		u.Active = new(*u.Active)
	}
	return u
}

// group returns a copy of the stored group with its members.
func (r *groupRec) group() Group {
	g := r.g
	g.Members = r.memberIDs()
	return g
}

// memberIDs returns a copy of the sorted member ids.
func (r *groupRec) memberIDs() []string {
	return append(make([]string, 0, len(r.ids)), r.ids...)
}

// memberSet returns ids sorted and without duplicates, in a new slice.
// Member lists from a PATCH are the stored members in order (a sorted
// prefix) followed by the added ones, so only that tail is sorted and then
// merged in: linear in the group, n log n in the additions only.
func memberSet(ids []string) []string {
	p := 1
	for p < len(ids) && ids[p-1] <= ids[p] {
		p++
	}
	head, tail := ids[:min(p, len(ids))], slices.Clone(ids[min(p, len(ids)):])
	slices.Sort(tail)
	out := make([]string, 0, len(ids))
	for i, j := 0, 0; i < len(head) || j < len(tail); {
		var id string
		if j == len(tail) || (i < len(head) && head[i] <= tail[j]) {
			id, i = head[i], i+1
		} else {
			id, j = tail[j], j+1
		}
		if len(out) == 0 || out[len(out)-1] != id {
			out = append(out, id)
		}
	}
	return out
}

// newID returns a random RFC 4122 version 4 UUID.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// nextVersion returns a new resource version; callers hold s.mu.
func (s *Store) nextVersion() int64 {
	s.version++
	return s.version
}

// now returns the current time in UTC.
func (s *Store) now() time.Time { return s.cfg.Now().UTC() }
