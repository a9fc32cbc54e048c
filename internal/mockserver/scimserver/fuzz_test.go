package scimserver

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzFilter parses and evaluates filters against a fixed user set and
// groups: never a panic, and every rejection is a 400 invalidFilter.
func FuzzFilter(f *testing.F) {
	for _, seed := range []string{
		`userName eq "jane@example.com"`,
		`emails[type eq "work" and value co "@example"] or not (active eq false)`,
		`meta.created gt "2026-03-18T12:30:00Z" and name.givenName sw "J"`,
		urnUmbrella + `:nativeObjectId eq "GUID-1"`,
		`members[value eq "x"] and id eq "y"`,
		`externalId eq null or displayName pr`,
		`userName eq "a\"b\\"`,
		`emails.primary eq true`,
		`(((userName co "a")))`,
	} {
		f.Add(seed)
	}
	s := seedFilterUsers(f)
	if _, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{s.Users()[0].ID}}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		for _, k := range []*resourceKind{userKind, groupKind} {
			q, err := searchRequest{Filter: raw, SortBy: "userName"}.query(k, nil)
			if err != nil {
				if err.status != 400 || err.scimType != scimTypeInvalidFilter {
					t.Fatalf("%s %q: %v (status %d), want 400 invalidFilter", k.name, raw, err, err.status)
				}
				continue
			}
			resp := s.list(k, q, "http://h"+basePath)
			if resp.TotalResults < len(resp.Resources) {
				t.Fatalf("totalResults %d < %d resources", resp.TotalResults, len(resp.Resources))
			}
		}
	})
}

// FuzzPatch sends PATCH bodies to a user and a group: never a panic or a
// 5xx, and a rejected request leaves the resource unchanged.
func FuzzPatch(f *testing.F) {
	for _, seed := range []string{
		patchBody(`[{"op":"replace","value":{"active":false}}]`),
		patchBody(`[{"op":"Replace","path":"active","value":"False"}]`),
		patchBody(`[{"op":"add","path":"emails[type eq \"work\"].value","value":"a@b"},{"op":"remove","path":"name.givenName"}]`),
		patchBody(`[{"op":"remove","path":"members[value eq \"MEMBER\"]"},{"op":"add","path":"members","value":[{"value":"MEMBER","display":"x"}]}]`),
		patchBody(`[{"op":"Remove","path":"members","value":[{"value":"MEMBER"}]}]`),
		patchBody(`[{"op":"replace","value":{"id":"x","displayName":"New","userName":"new@x"}}]`),
		patchBody(`[{"op":"add","path":"` + urnUmbrella + `","value":{"authName":"a"}}]`),
		patchBody(`[{"op":"replace","path":"` + urnUmbrella + `:nativeObjectId","value":"g"}]`),
		patchBody(`[{"op":"replace","path":"emails[type eq \"home\"]","value":{"primary":true}}]`),
		patchBody(`[{"op":"copy","path":"x"}]`),
		`{"schemas":["wrong"],"Operations":[]}`,
		`not json`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		c, s := newClient(t)
		u, err := s.CreateUser(User{UserName: "jane@x", Active: new(true), Emails: []Email{{Value: "j@x", Type: "work", Primary: true}}, Name: Name{GivenName: "J"}})
		if err != nil {
			t.Fatal(err)
		}
		mustUser(t, s, "taken@x")
		g, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{u.ID}})
		if err != nil {
			t.Fatal(err)
		}
		memberBody := strings.ReplaceAll(body, "MEMBER", u.ID)
		checkPatch(t, c, "/Users/"+u.ID, memberBody, func() any { v, _ := s.User(u.ID); return v })
		checkPatch(t, c, "/Groups/"+g.ID, memberBody, func() any { v, _ := s.Group(g.ID); return v })
	})
}

// checkPatch sends one PATCH and checks the fuzz invariants.
func checkPatch(t *testing.T, c *client, path, body string, current func() any) {
	t.Helper()
	before := current()
	resp := c.do("PATCH", path, body)
	switch {
	case resp.status >= 500:
		t.Fatalf("PATCH %s %q: status %d: %s", path, body, resp.status, resp.raw)
	case resp.status == 200:
		c.must(200, "GET", path, "")
	default:
		resp.errorOf(t)
		if diff := cmp.Diff(before, current()); diff != "" {
			t.Fatalf("rejected PATCH (%d) changed %s (-before +after):\n%s", resp.status, path, diff)
		}
	}
}
