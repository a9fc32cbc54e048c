package scimserver

import (
	"cmp"
	"net/http"
	"slices"
)

// This file holds what persistence needs from the store: every write
// reports its resulting state as a Change to Config.Journal, under the
// store's lock and before the write is acknowledged, and Load fills a new
// store with the state those changes left.

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
// Version are the store's counters after the write.
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

// Load fills an empty store with a persisted state: the users and groups
// of c, in any order, and its counters. It neither validates them nor
// reports them to Config.Journal.
func (s *Store) Load(c Change) {
	s.mu.Lock()
	defer s.mu.Unlock()
	slices.SortFunc(c.Users, func(a, b UserRecord) int { return cmp.Compare(a.Seq, b.Seq) })
	slices.SortFunc(c.Groups, func(a, b GroupRecord) int { return cmp.Compare(a.Seq, b.Seq) })
	for _, rec := range c.Users {
		r := &userRec{seq: rec.Seq, u: copyUser(rec.User), keyU: fold(rec.User.UserName)}
		s.users[r.u.ID] = r
		s.userOrder = append(s.userOrder, r)
		s.indexUser(r)
	}
	for _, rec := range c.Groups {
		g := rec.Group
		r := &groupRec{seq: rec.Seq, g: g, ids: memberSet(g.Members), keyU: fold(g.DisplayName)}
		r.g.Members = nil
		s.groups[g.ID] = r
		s.groupOrder = append(s.groupOrder, r)
		s.indexGroup(r)
	}
	s.seq = max(s.seq, c.Seq)
	s.version = max(s.version, c.Version)
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
