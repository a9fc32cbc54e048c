package scimserver

import (
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestStoreAPI(t *testing.T) {
	t.Parallel()
	s := newTestStore(10)
	jane, err := s.CreateUser(User{UserName: "Jane@x", DisplayName: "Jane Doe", Active: new(true), Emails: []Email{{Value: "j@x"}}})
	if err != nil {
		t.Fatal(err)
	}
	bob := mustUser(t, s, "bob@x")
	if _, err := s.CreateUser(User{UserName: "JANE@X"}); err == nil {
		t.Error("duplicate userName accepted")
	}
	if _, err := s.CreateUser(User{}); err == nil {
		t.Error("empty userName accepted")
	}
	g, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{jane.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(g.ID, bob.ID, jane.ID); err != nil {
		t.Fatal(err)
	}
	if err := s.AddMembers(g.ID, "nope"); err == nil {
		t.Error("unknown member accepted")
	}
	if err := s.AddMembers("nope", bob.ID); err == nil {
		t.Error("unknown group accepted")
	}
	if _, err := s.CreateGroup(Group{DisplayName: "x", Members: []string{g.ID}}); err == nil {
		t.Error("nested group accepted")
	}

	want := []Identity{
		{ID: 1, Label: "Jane Doe (Jane@x)", Type: "directory_user"},
		{ID: 2, Label: "bob@x", Type: "directory_user"},
		{ID: 3, Label: "Eng", Type: "directory_group"},
	}
	if diff := cmp.Diff(want, s.Identities()); diff != "" {
		t.Errorf("Identities (-want +got):\n%s", diff)
	}
	members := []string{jane.ID, bob.ID}
	slices.Sort(members)
	if diff := cmp.Diff(members, s.GroupMembers(g.ID)); diff != "" {
		t.Errorf("GroupMembers (-want +got):\n%s", diff)
	}
	if s.GroupMembers("nope") != nil {
		t.Error("GroupMembers of an unknown group")
	}

	// Returned values are copies.
	got, _ := s.User(jane.ID)
	got.Emails[0].Value = "changed"
	again, _ := s.User(jane.ID)
	if again.Emails[0].Value != "j@x" {
		t.Error("User returned internal state")
	}
	grp, _ := s.GroupByDisplayName("ENG")
	grp.Members[0] = "changed"
	if s.GroupMembers(g.ID)[0] == "changed" {
		t.Error("Group returned internal state")
	}
	if diff := cmp.Diff([]string{"Jane@x", "bob@x"}, []string{s.Users()[0].UserName, s.Users()[1].UserName}); diff != "" {
		t.Errorf("Users order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("Eng", s.Groups()[0].DisplayName); diff != "" {
		t.Errorf("Groups (-want +got):\n%s", diff)
	}

	if !s.DeleteUser(jane.ID) || s.DeleteUser(jane.ID) {
		t.Error("DeleteUser result")
	}
	if diff := cmp.Diff([]string{bob.ID}, s.GroupMembers(g.ID)); diff != "" {
		t.Errorf("members after DeleteUser (-want +got):\n%s", diff)
	}
	if !s.DeleteGroup(g.ID) || s.DeleteGroup(g.ID) {
		t.Error("DeleteGroup result")
	}
	if users, groups := s.Counts(); users != 1 || groups != 0 {
		t.Errorf("Counts %d, %d", users, groups)
	}
	if _, ok := s.User(jane.ID); ok {
		t.Error("deleted user still found")
	}
}

// TestListOrderAfterDeletes checks that deleting from the middle keeps
// creation order and indexes consistent.
func TestListOrderAfterDeletes(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	var ids []string
	for i := range 6 {
		ids = append(ids, mustUser(t, s, fmt.Sprintf("u%d", i)).ID)
	}
	for _, i := range []int{0, 3, 5} {
		s.DeleteUser(ids[i])
	}
	c.must(200, "PATCH", "/Users/"+ids[2], patchBody(`[{"op":"replace","path":"userName","value":"renamed"}]`))
	if diff := cmp.Diff([]string{"u1", "renamed", "u4"}, userNames(c.must(200, "GET", "/Users", ""))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	for name, want := range map[string]float64{"u2": 0, "renamed": 1, "u3": 0} {
		resp := c.must(200, "GET", "/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), "")
		if resp.get("totalResults") != want {
			t.Errorf("%s: totalResults %v, want %v", name, resp.get("totalResults"), want)
		}
	}
}

// BenchmarkFilterUserNameEq measures a userName eq list request at growing
// directory sizes; the index keeps it flat. "repeated" sends the same filter
// every time (its compiled form comes from the store's filter cache);
// "distinct" sends a new filter string each time, so every request parses.
func BenchmarkFilterUserNameEq(b *testing.B) {
	for _, n := range []int{100, 1_000, 10_000, 100_000} {
		s := newTestStore(1000)
		for i := range n {
			if _, err := s.CreateUser(User{UserName: fmt.Sprintf("user%d@example.com", i), Active: new(true)}); err != nil {
				b.Fatal(err)
			}
		}
		c := &client{t: b, mux: newMux(s, 1<<20)}
		filters := map[string]func(i int) string{
			"repeated": func(int) string { return fmt.Sprintf(`userName eq "USER%d@example.com"`, n/2) },
			"distinct": func(i int) string {
				return fmt.Sprintf(`userName eq "user%d@example.com" or userName eq "nobody%d"`, i%n, i)
			},
		}
		for _, variant := range []string{"repeated", "distinct"} {
			b.Run(fmt.Sprintf("users=%d/%s", n, variant), func(b *testing.B) {
				c.t = b
				runtime.GC() // collect the seeding garbage outside the timed loop
				b.ReportAllocs()
				start := processCPU(b)
				i := 0
				for b.Loop() {
					resp := c.do("GET", "/Users?filter="+url.QueryEscape(filters[variant](i)), "")
					if resp.status != 200 || resp.get("totalResults") != 1.0 {
						b.Fatalf("status %d: %s", resp.status, resp.raw)
					}
					i++
				}
				// CPU time (GC workers included) is steadier than wall time on a
				// shared machine.
				b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// processCPU returns the CPU time the process has used so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
