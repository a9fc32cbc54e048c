package scimserver

import (
	"fmt"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"
)

// benchGroup is a store with a group of n members and extra users that are
// not members, for the group PATCH benchmarks.
type benchGroup struct {
	s       *Store
	c       *client
	id      string
	members []string // the group's members at the start of every iteration
	others  []string // users that are not members
}

// newBenchGroup seeds n member users, extra other users and one group.
func newBenchGroup(b *testing.B, n, extra int) *benchGroup {
	b.Helper()
	s := newTestStore(1000)
	bg := &benchGroup{s: s, c: &client{t: b, mux: newMux(s, 1<<20)}}
	for i := range n + extra {
		u, err := s.CreateUser(User{UserName: fmt.Sprintf("user%d@example.com", i), DisplayName: fmt.Sprintf("User %d", i), Active: new(true)})
		if err != nil {
			b.Fatal(err)
		}
		if i < n {
			bg.members = append(bg.members, u.ID)
		} else {
			bg.others = append(bg.others, u.ID)
		}
	}
	g, err := s.CreateGroup(Group{DisplayName: "Big", Members: bg.members})
	if err != nil {
		b.Fatal(err)
	}
	bg.id = g.ID
	return bg
}

// reset restores the group's members to bg.members (outside the timed part).
func (bg *benchGroup) reset() {
	s := bg.s
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.groups[bg.id]
	s.commitGroup(r, r.g, bg.members)
	s.pending = Change{}
}

// serve sends a request to the mux like client.do, without decoding the
// answer, so the benchmarks measure the mock alone.
func (bg *benchGroup) serve(b *testing.B, method, path, body string) int {
	req := httptest.NewRequestWithContext(b.Context(), method, "http://mock.test"+basePath+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	rec := httptest.NewRecorder()
	bg.c.mux.ServeHTTP(rec, req)
	return rec.Code
}

// memberPatch is the body the provider's client sends (internal/scim
// memberOps): one add of every added member, then one remove with a value
// filter per removed member.
func memberPatch(add, remove []string) string {
	var ops []string
	if len(add) > 0 {
		vals := make([]string, len(add))
		for i, id := range add {
			vals[i] = `{"value":"` + id + `"}`
		}
		ops = append(ops, `{"op":"add","path":"members","value":[`+strings.Join(vals, ",")+`]}`)
	}
	for _, id := range remove {
		ops = append(ops, `{"op":"remove","path":"members[value eq \"`+id+`\"]"}`)
	}
	return patchBody("[" + strings.Join(ops, ",") + "]")
}

// spread returns k ids spread evenly over ids.
func spread(ids []string, k int) []string {
	out := make([]string, 0, k)
	for i := range k {
		out = append(out, ids[i*len(ids)/k])
	}
	return out
}

// BenchmarkPatchGroupMembers measures one membership PATCH of 100
// operations on groups of growing size, as the provider sends them for a
// secureaccess_scim_group_members resource (BENCHMARKS.md scenario 3). The
// group is restored before every iteration, outside the timer and outside
// cpu-ns/op, so every iteration does the same work.
func BenchmarkPatchGroupMembers(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		bg := newBenchGroup(b, n, 100)
		cases := []struct {
			name        string
			add, remove []string
		}{
			{"remove100", nil, spread(bg.members, 100)},
			{"add100", bg.others, nil},
			{"mixed50+50", bg.others[:50], spread(bg.members, 50)},
		}
		for _, tc := range cases {
			body := memberPatch(tc.add, tc.remove)
			want := float64(n + len(tc.add) - len(tc.remove))
			b.Run(fmt.Sprintf("members=%d/%s", n, tc.name), func(b *testing.B) {
				bg.c.t = b
				bg.reset()
				resp := bg.c.must(200, "PATCH", "/Groups/"+bg.id, body)
				if got := len(resp.body["members"].([]any)); float64(got) != want {
					b.Fatalf("%d members after the PATCH, want %v", got, want)
				}
				runtime.GC() // collect the seeding garbage outside the timed loop
				b.ReportAllocs()
				var cpu time.Duration
				for b.Loop() {
					b.StopTimer()
					bg.reset()
					b.StartTimer()
					start := processCPU(b)
					status := bg.serve(b, "PATCH", "/Groups/"+bg.id, body)
					cpu += processCPU(b) - start
					if status != 200 {
						b.Fatalf("status %d", status)
					}
				}
				b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
			})
		}
	}
}

// BenchmarkGroupGetMembers measures GET /Groups/{id}?attributes=members,
// which the provider's read of a group_members resource sends.
func BenchmarkGroupGetMembers(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		bg := newBenchGroup(b, n, 0)
		b.Run(fmt.Sprintf("members=%d", n), func(b *testing.B) {
			bg.c.t = b
			runtime.GC()
			b.ReportAllocs()
			start := processCPU(b)
			for b.Loop() {
				if status := bg.serve(b, "GET", "/Groups/"+bg.id+"?attributes=members", ""); status != 200 {
					b.Fatalf("status %d", status)
				}
			}
			b.ReportMetric(float64(processCPU(b)-start)/float64(b.N), "cpu-ns/op")
		})
	}
}
