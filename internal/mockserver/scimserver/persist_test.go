package scimserver

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// journaled returns a test store whose writes are appended to *changes.
func journaled(changes *[]Change) *Store {
	s := newTestStore(10)
	s.cfg.Journal = func(c Change) error {
		*changes = append(*changes, c)
		return nil
	}
	return s
}

// storeState is what a restore must reproduce.
type storeState struct {
	Users  []User
	Groups []Group
	Seq    int64
	Ver    int64
}

// stateOf returns the store's resources and counters.
func stateOf(s *Store) storeState {
	return storeState{Users: s.Users(), Groups: s.Groups(), Seq: s.seq, Ver: s.version}
}

// populateJournaled writes to s through the exported API and the HTTP
// handlers, covering every kind of change.
func populateJournaled(t *testing.T, s *Store) {
	t.Helper()
	c := &client{t: t, mux: newMux(s, 1<<20)}
	ann := mustUser(t, s, "ann@x")
	bob := mustUser(t, s, "bob@x")
	cid := mustUser(t, s, "cid@x")
	eng, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{ann.ID}})
	if err != nil {
		t.Fatal(err)
	}
	ops, err := s.CreateGroup(Group{DisplayName: "Ops"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(eng.ID, bob.ID, cid.ID); err != nil {
		t.Fatal(err)
	}
	r := c.do(http.MethodPatch, "/Users/"+bob.ID,
		`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Bob B"}]}`)
	if r.status != http.StatusOK {
		t.Fatalf("PATCH: %d %s", r.status, r.raw)
	}
	if r := c.do(http.MethodDelete, "/Users/"+cid.ID, ""); r.status != http.StatusNoContent {
		t.Fatalf("DELETE user: %d %s", r.status, r.raw)
	}
	if !s.DeleteGroup(ops.ID) {
		t.Fatal("DeleteGroup: not found")
	}
	mustUser(t, s, "dee@x")
}

// TestJournalLoad keeps the last state the journaled changes give each
// resource, as the data file does, and loads it into a new store.
func TestJournalLoad(t *testing.T) {
	t.Parallel()
	var changes []Change
	src := journaled(&changes)
	populateJournaled(t, src)
	users, groups := map[string]UserRecord{}, map[string]GroupRecord{}
	var saved Change
	for _, c := range changes {
		for _, u := range c.Users {
			users[u.User.ID] = u
		}
		for _, g := range c.Groups {
			groups[g.Group.ID] = g
		}
		for _, id := range c.DeletedUsers {
			delete(users, id)
		}
		for _, id := range c.DeletedGroups {
			delete(groups, id)
		}
		saved.Seq, saved.Version = c.Seq, c.Version
	}
	for _, u := range users { // map order: Load sorts.
		saved.Users = append(saved.Users, u)
	}
	for _, g := range groups {
		saved.Groups = append(saved.Groups, g)
	}
	dst := newTestStore(10)
	dst.Load(saved)
	if diff := cmp.Diff(stateOf(src), stateOf(dst)); diff != "" {
		t.Fatalf("loaded store mismatch (-want +got):\n%s", diff)
	}
	if _, err := dst.CreateUser(User{UserName: "ANN@x"}); err == nil {
		t.Fatal("the loaded store accepted a duplicate userName: its indexes are not built")
	}
}

func TestJournalChanges(t *testing.T) {
	t.Parallel()
	var changes []Change
	s := journaled(&changes)
	ann := mustUser(t, s, "ann@x")
	g, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{ann.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(User{UserName: "ANN@x"}); err == nil {
		t.Fatal("duplicate userName accepted")
	}
	s.DeleteUser(ann.ID)
	g.Members, g.Version, g.LastModified = []string{}, 3, testTime
	want := []Change{
		{Seq: 1, Version: 1, Users: []UserRecord{{Seq: 1, User: ann}}},
		{Seq: 2, Version: 2, Groups: []GroupRecord{{Seq: 2, Group: Group{
			ID: g.ID, DisplayName: "Eng", Members: []string{ann.ID}, IdentityID: g.IdentityID,
			Created: testTime, LastModified: testTime, Version: 2,
		}}}},
		// The refused duplicate wrote nothing; deleting ann updates Eng.
		{Seq: 2, Version: 3, Groups: []GroupRecord{{Seq: 2, Group: g}}, DeletedUsers: []string{ann.ID}},
	}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Fatalf("journal mismatch (-want +got):\n%s", diff)
	}
}

func TestJournalErrorFailsWrite(t *testing.T) {
	t.Parallel()
	s := newTestStore(10)
	s.cfg.Journal = func(Change) error { return errors.New("disk full") }
	c := &client{t: t, mux: newMux(s, 1<<20)}
	r := c.do(http.MethodPost, "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ann@x"}`)
	if r.status != http.StatusInternalServerError {
		t.Fatalf("POST with a failing journal: %d %s", r.status, r.raw)
	}
	if _, err := s.CreateUser(User{UserName: "bob@x"}); err == nil {
		t.Fatal("CreateUser with a failing journal succeeded")
	}
}
