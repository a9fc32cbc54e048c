package scimserver

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateGroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string // USER and GROUP stand for an existing user's and group's id
		status   int
		scimType string
	}{
		{name: "with members", body: `{"displayName":"Eng","members":[{"value":"USER","display":"x","type":"User"}]}`, status: 201},
		{name: "duplicate member collapses", body: `{"displayName":"Eng","members":[{"value":"USER"},{"value":"USER"}]}`, status: 201},
		{name: "single member object", body: `{"displayName":"Eng","members":{"value":"USER"}}`, status: 201},
		{name: "duplicate name other case", body: `{"displayName":"EXISTING"}`, status: 409, scimType: "uniqueness"},
		{name: "missing displayName", body: `{"members":[]}`, status: 400, scimType: "invalidValue"},
		{name: "unknown member", body: `{"displayName":"Eng","members":[{"value":"nope"}]}`, status: 400, scimType: "invalidValue"},
		{name: "nested group by id", body: `{"displayName":"Eng","members":[{"value":"GROUP"}]}`, status: 400, scimType: "invalidValue"},
		{name: "nested group by type", body: `{"displayName":"Eng","members":[{"value":"USER","type":"Group"}]}`, status: 400, scimType: "invalidValue"},
		{name: "member without value", body: `{"displayName":"Eng","members":[{"display":"x"}]}`, status: 400, scimType: "invalidValue"},
		{name: "member value not a string", body: `{"displayName":"Eng","members":[{"value":5}]}`, status: 400, scimType: "invalidValue"},
		{name: "members not objects", body: `{"displayName":"Eng","members":["x"]}`, status: 400, scimType: "invalidValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			u := mustUser(t, s, "jane@x")
			existing, err := s.CreateGroup(Group{DisplayName: "existing"})
			if err != nil {
				t.Fatal(err)
			}
			body := strings.NewReplacer("USER", u.ID, "GROUP", existing.ID).Replace(tt.body)
			resp := c.do("POST", "/Groups", body)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.raw)
			}
			if tt.status != 201 {
				if _, scimType := resp.errorOf(t); scimType != tt.scimType {
					t.Errorf("scimType %q, want %q", scimType, tt.scimType)
				}
				if _, groups := s.Counts(); groups != 1 {
					t.Errorf("%d groups after a failed create", groups)
				}
				return
			}
			g, _ := s.Group(resp.str("id"))
			if diff := cmp.Diff([]string{u.ID}, g.Members); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			wantMembers := []any{map[string]any{"value": u.ID, "display": "jane@x", "type": "User", "$ref": "http://mock.test/identity/v2/scim/Users/" + u.ID}}
			if diff := cmp.Diff(wantMembers, resp.get("members")); diff != "" {
				t.Errorf("members in the response (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGroupLimit(t *testing.T) {
	t.Parallel()
	s := newTestStore(2)
	c := &client{t: t, mux: newMux(s, 1<<20)}
	for i := range 2 {
		c.must(201, "POST", "/Groups", fmt.Sprintf(`{"displayName":"g%d"}`, i))
	}
	resp := c.must(400, "POST", "/Groups", `{"displayName":"g3"}`)
	if _, scimType := resp.errorOf(t); scimType != "invalidValue" || resp.str("detail") != "directory already has 2 groups (the Secure Access limit)" {
		t.Errorf("error: %s", resp.raw)
	}
	if _, err := s.CreateGroup(Group{DisplayName: "g4"}); err == nil {
		t.Error("CreateGroup past the limit succeeded")
	}
}

func TestPatchGroup(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		ops      string // A, B, C: user ids; A and B are members at the start
		want     []string
		wantName string
		status   int
		scimType string
	}{
		{name: "add member idempotent", ops: `[{"op":"add","path":"members","value":[{"value":"A"},{"value":"C"}]}]`, want: []string{"A", "B", "C"}},
		{name: "add single object", ops: `[{"op":"add","path":"members","value":{"value":"C"}}]`, want: []string{"A", "B", "C"}},
		{name: "remove by value path", ops: `[{"op":"remove","path":"members[value eq \"A\"]"}]`, want: []string{"B"}},
		{name: "remove non-member", ops: `[{"op":"remove","path":"members[value eq \"C\"]"}]`, want: []string{"A", "B"}},
		{name: "remove by value list", ops: `[{"op":"Remove","path":"members","value":[{"value":"A"},{"value":"C"}]}]`, want: []string{"B"}},
		{name: "remove all", ops: `[{"op":"remove","path":"members"}]`, want: nil},
		{name: "replace all", ops: `[{"op":"replace","path":"members","value":[{"value":"C"}]}]`, want: []string{"C"}},
		{name: "add without path", ops: `[{"op":"add","value":{"members":[{"value":"C"}]}}]`, want: []string{"A", "B", "C"}},
		{name: "okta rename", ops: `[{"op":"replace","value":{"id":"ignored","displayName":"New"}}]`, want: []string{"A", "B"}, wantName: "New"},
		{name: "okta delta", ops: `[{"op":"remove","path":"members[value eq \"A\"]"},{"op":"add","path":"members","value":[{"value":"C","display":"c"}]}]`, want: []string{"B", "C"}},
		{name: "unknown member is atomic", ops: `[{"op":"remove","path":"members[value eq \"A\"]"},{"op":"add","path":"members","value":[{"value":"nope"}]}]`, status: 400, scimType: "invalidValue"},
		{name: "rename taken", ops: `[{"op":"replace","path":"displayName","value":"OTHER"}]`, status: 409, scimType: "uniqueness"},
		{name: "member display is read-only", ops: `[{"op":"replace","path":"members[value eq \"A\"].display","value":"x"}]`, status: 400, scimType: "mutability"},
		// RFC 7643 §4.2: sub-attributes of members are immutable; a member
		// is added or removed, never changed in place.
		{name: "member value is immutable", ops: `[{"op":"replace","path":"members[value eq \"A\"].value","value":"C"}]`, status: 400, scimType: "mutability"},
		{name: "member type is immutable", ops: `[{"op":"replace","path":"members.type","value":"User"}]`, status: 400, scimType: "mutability"},
		{name: "member $ref is immutable", ops: `[{"op":"remove","path":"members[value eq \"A\"].$ref"}]`, status: 400, scimType: "mutability"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			ids := map[string]string{}
			for _, n := range []string{"A", "B", "C"} {
				ids[n] = mustUser(t, s, n+"@x").ID
			}
			if _, err := s.CreateGroup(Group{DisplayName: "other"}); err != nil {
				t.Fatal(err)
			}
			g, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{ids["A"], ids["B"]}})
			if err != nil {
				t.Fatal(err)
			}
			r := strings.NewReplacer(`"A"`, `"`+ids["A"]+`"`, `"B"`, `"`+ids["B"]+`"`, `"C"`, `"`+ids["C"]+`"`, `\"A\"`, `\"`+ids["A"]+`\"`, `\"C\"`, `\"`+ids["C"]+`\"`)
			resp := c.do("PATCH", "/Groups/"+g.ID, patchBody(r.Replace(tt.ops)))
			got, _ := s.Group(g.ID)
			if tt.status != 0 {
				if resp.status != tt.status {
					t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.raw)
				}
				if _, scimType := resp.errorOf(t); scimType != tt.scimType {
					t.Errorf("scimType %q, want %q", scimType, tt.scimType)
				}
				if diff := cmp.Diff(g, got); diff != "" {
					t.Errorf("failed PATCH changed the group (-want +got):\n%s", diff)
				}
				return
			}
			if resp.status != 200 {
				t.Fatalf("status %d: %s", resp.status, resp.raw)
			}
			want := make([]string, 0, len(tt.want))
			for _, n := range tt.want {
				want = append(want, ids[n])
			}
			slices.Sort(want)
			if diff := cmp.Diff(want, append([]string{}, got.Members...)); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(cmpOr(tt.wantName, "Eng"), got.DisplayName); diff != "" || got.ID != g.ID {
				t.Errorf("displayName (-want +got):\n%s", diff)
			}
		})
	}
}

func TestReplaceGroup(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	u := mustUser(t, s, "jane@x")
	g, err := s.CreateGroup(Group{DisplayName: "Eng", ExternalID: "x"})
	if err != nil {
		t.Fatal(err)
	}
	resp := c.must(200, "PUT", "/Groups/"+g.ID, `{"id":"`+g.ID+`","displayName":"Eng2","members":[{"value":"`+u.ID+`"}]}`)
	got, _ := s.Group(g.ID)
	if diff := cmp.Diff([]any{"Eng2", "", []string{u.ID}}, []any{got.DisplayName, got.ExternalID, got.Members}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if resp.header.Get("ETag") != got.ETag() {
		t.Errorf("ETag %q, want %q", resp.header.Get("ETag"), got.ETag())
	}
	c.must(404, "PUT", "/Groups/nope", `{"displayName":"x"}`)
	c.must(412, "PUT", "/Groups/"+g.ID, `{"displayName":"x"}`, "If-Match", g.ETag())
	// Referential integrity: a member that is not a user of the directory.
	before, _ := s.Group(g.ID)
	unknown := c.must(400, "PUT", "/Groups/"+g.ID, `{"displayName":"Eng3","members":[{"value":"`+u.ID+`"},{"value":"nope"}]}`)
	if _, scimType := unknown.errorOf(t); scimType != "invalidValue" {
		t.Errorf("unknown member: scimType %q, want invalidValue", scimType)
	}
	if after, _ := s.Group(g.ID); !cmp.Equal(before, after) {
		t.Errorf("a failed PUT changed the group: %+v, was %+v", after, before)
	}
	if _, ok := s.GroupByDisplayName("eng"); ok {
		t.Error("old displayName still indexed")
	}
}
