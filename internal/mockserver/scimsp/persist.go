package scimsp

import (
	"net/http"
	"slices"
)

// This file holds what persistence needs from the store: every write
// reports its resulting state as a Change to Config.Journal, under the
// store's lock and before the write is acknowledged, and Apply replays such
// changes (or a whole Snapshot) into a store.

// UserRecord is a stored user with its creation sequence number (its
// position in listings).
type UserRecord struct {
	Seq  int64
	User User
}

// GroupRecord is a stored group, members included, with its creation
// sequence number.
type GroupRecord struct {
	Seq   int64
	Group Group
}

// Change is the resulting state of one store write: every user and group it
// created or modified, as they now are, and the ids it deleted. Seq and
// Version are the store's counters after the write. A whole store is a
// Change that upserts every resource (see Snapshot). Applying changes is
// idempotent: each one overwrites the state of the resources it names.
type Change struct {
	Seq           int64         `json:"seq"`
	Version       int64         `json:"version"`
	Users         []UserRecord  `json:"users,omitempty"`
	Groups        []GroupRecord `json:"groups,omitempty"`
	DeletedUsers  []string      `json:"deletedUsers,omitempty"`
	DeletedGroups []string      `json:"deletedGroups,omitempty"`
}

// empty reports whether the change touches no resource.
func (c *Change) empty() bool {
	return len(c.Users)+len(c.Groups)+len(c.DeletedUsers)+len(c.DeletedGroups) == 0
}

// Snapshot returns the store's whole state, consistent with every write
// reported to Config.Journal so far. While snapshot runs, writers wait.
func (s *Store) Snapshot() Change {
	s.mu.RLock()
	defer s.mu.RUnlock()
	c := Change{
		Seq: s.seq, Version: s.version,
		Users:  make([]UserRecord, len(s.userOrder)),
		Groups: make([]GroupRecord, len(s.groupOrder)),
	}
	for i, r := range s.userOrder {
		c.Users[i] = UserRecord{Seq: r.seq, User: copyUser(r.u)}
	}
	for i, r := range s.groupOrder {
		c.Groups[i] = GroupRecord{Seq: r.seq, Group: r.group()}
	}
	return c
}

// Apply replays a change (or a snapshot) as it was recorded, without
// validating it and without reporting it to Config.Journal.
func (s *Store) Apply(c Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, rec := range c.Users {
		s.putUser(rec)
	}
	for _, rec := range c.Groups {
		s.putGroup(rec)
	}
	for _, id := range c.DeletedGroups {
		if r, ok := s.groups[id]; ok {
			s.dropGroup(r)
		}
	}
	for _, id := range c.DeletedUsers {
		if r, ok := s.users[id]; ok {
			s.dropUser(r)
		}
	}
	s.seq = max(s.seq, c.Seq)
	s.version = max(s.version, c.Version)
}

// putUser stores rec as it is, in place of the user with the same id.
func (s *Store) putUser(rec UserRecord) {
	n := &userRec{seq: rec.Seq, u: copyUser(rec.User), keyU: fold(rec.User.UserName)}
	if old, ok := s.users[n.u.ID]; ok {
		s.unindexUser(old)
		s.userOrder = removeAt(s.userOrder, position(s.userOrder, old.seq, (*userRec).sequence))
	}
	s.userOrder = slices.Insert(s.userOrder, position(s.userOrder, n.seq, (*userRec).sequence), n)
	s.users[n.u.ID] = n
	s.indexUser(n)
}

// putGroup stores rec as it is, in place of the group with the same id.
func (s *Store) putGroup(rec GroupRecord) {
	g := rec.Group
	n := &groupRec{seq: rec.Seq, g: g, ids: memberSet(g.Members), keyU: fold(g.DisplayName)}
	n.g.Members = nil
	if old, ok := s.groups[g.ID]; ok {
		s.unindexGroup(old)
		s.groupOrder = removeAt(s.groupOrder, position(s.groupOrder, old.seq, (*groupRec).sequence))
	}
	s.groupOrder = slices.Insert(s.groupOrder, position(s.groupOrder, n.seq, (*groupRec).sequence), n)
	s.groups[g.ID] = n
	s.indexGroup(n)
}

// noteUser records the new state of a user for the journal; callers hold
// s.mu.
func (s *Store) noteUser(r *userRec) {
	if s.cfg.Journal != nil {
		s.pending.Users = append(s.pending.Users, UserRecord{Seq: r.seq, User: copyUser(r.u)})
	}
}

// noteGroup records the new state of a group for the journal; callers hold
// s.mu.
func (s *Store) noteGroup(r *groupRec) {
	if s.cfg.Journal != nil {
		s.pending.Groups = append(s.pending.Groups, GroupRecord{Seq: r.seq, Group: r.group()})
	}
}

// noteDeleted records deleted user and group ids for the journal; callers
// hold s.mu.
func (s *Store) noteDeleted(userID, groupID string) {
	if s.cfg.Journal == nil {
		return
	}
	if userID != "" {
		s.pending.DeletedUsers = append(s.pending.DeletedUsers, userID)
	}
	if groupID != "" {
		s.pending.DeletedGroups = append(s.pending.DeletedGroups, groupID)
	}
}

// flushJournal hands the changes of the current write to Config.Journal;
// callers hold s.mu for writing, so changes reach the journal in the order
// they were applied. A journal error is a 500: the write happened in
// memory but was not made durable.
func (s *Store) flushJournal() *scimError {
	c := s.pending
	s.pending = Change{}
	if s.cfg.Journal == nil || c.empty() {
		return nil
	}
	c.Seq, c.Version = s.seq, s.version
	if err := s.cfg.Journal(c); err != nil {
		return newError(http.StatusInternalServerError, "", "the change could not be persisted: "+err.Error())
	}
	return nil
}

// durable makes a successful write's changes durable before it is
// acknowledged; callers hold s.mu for writing.
func (s *Store) durable(sv saved, err *scimError) (saved, *scimError) {
	if err != nil {
		s.pending = Change{}
		return saved{}, err
	}
	if err := s.flushJournal(); err != nil {
		return saved{}, err
	}
	return sv, nil
}
