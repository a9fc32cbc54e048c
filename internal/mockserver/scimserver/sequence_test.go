package scimserver

import (
	"fmt"
	"net/url"
	"slices"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestOktaSequence follows Okta's requests from docs/scim-clients.md in order.
func TestOktaSequence(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)

	// Test connection.
	for _, path := range []string{"/Users?startIndex=1&count=2", "/Groups?startIndex=1&count=100"} {
		resp := c.must(200, "GET", path, "")
		if diff := cmp.Diff(map[string]any{"schemas": []any{urnListResponse}, "totalResults": 0.0, "startIndex": 1.0, "itemsPerPage": 0.0, "Resources": []any{}}, resp.body); diff != "" {
			t.Errorf("%s (-want +got):\n%s", path, diff)
		}
	}
	// Lookup before create: an empty ListResponse with integers.
	lookup := "/Users?filter=userName%20eq%20%22jane%40example.com%22&startIndex=1&count=100"
	if resp := c.must(200, "GET", lookup, ""); resp.get("totalResults") != 0.0 {
		t.Fatalf("lookup before create: %s", resp.raw)
	}
	// Create with password and groups: [].
	create := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"jane@example.com",
		"name":{"givenName":"Jane","familyName":"Doe"},"emails":[{"primary":true,"value":"jane@example.com","type":"work"}],
		"displayName":"Jane Doe","externalId":"00u1abcd","locale":"en-US","active":true,"password":"Secr3t!","groups":[]}`
	jane := c.must(201, "POST", "/Users", create)
	id := jane.str("id")
	if _, ok := jane.body["password"]; ok || jane.body["groups"] != nil {
		t.Errorf("password or groups echoed: %s", jane.raw)
	}
	if resp := c.must(200, "GET", lookup, ""); resp.get("totalResults") != 1.0 || resp.get("itemsPerPage") != 1.0 {
		t.Errorf("lookup after create: %s", resp.raw)
	}
	// The retried create (any letter case) is a uniqueness conflict.
	dup := c.must(409, "POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"JANE@example.com"}`)
	if _, scimType := dup.errorOf(t); scimType != "uniqueness" {
		t.Errorf("scimType %q", scimType)
	}
	// Profile update: PUT with id and meta.
	put := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"` + id + `","userName":"jane@example.com",
		"name":{"givenName":"Janet","familyName":"Doe"},"emails":[{"primary":true,"value":"janet@example.com","type":"work"}],
		"displayName":"Janet Doe","externalId":"00u1abcd","active":true,"meta":{"resourceType":"User"}}`
	if resp := c.must(200, "PUT", "/Users/"+id, put); resp.str("name.givenName") != "Janet" || resp.str("displayName") != "Janet Doe" {
		t.Errorf("PUT: %s", resp.raw)
	}
	// Deactivate.
	if resp := c.must(200, "PATCH", "/Users/"+id, patchBody(`[{"op":"replace","value":{"active":false}}]`)); resp.get("active") != false {
		t.Errorf("deactivate: %s", resp.raw)
	}
	bob := c.must(201, "POST", "/Users", userBody("bob@example.com")).str("id")

	// Group push.
	if resp := c.must(200, "GET", "/Groups?filter="+url.QueryEscape(`displayName eq "Engineering"`), ""); resp.get("totalResults") != 0.0 {
		t.Errorf("group lookup: %s", resp.raw)
	}
	group := c.must(201, "POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[]}`)
	gid := group.str("id")
	if group.header.Get("Location") == "" || group.str("meta.location") != group.header.Get("Location") {
		t.Errorf("Location %q, meta.location %q", group.header.Get("Location"), group.str("meta.location"))
	}
	c.must(200, "PATCH", "/Groups/"+gid, patchBody(`[{"op":"add","path":"members","value":[{"value":"`+id+`","display":"jane@example.com"}]}]`))
	rename := c.must(200, "PATCH", "/Groups/"+gid, patchBody(`[{"op":"replace","value":{"id":"`+gid+`","displayName":"New"}}]`))
	if rename.str("displayName") != "New" || rename.str("id") != gid {
		t.Errorf("rename: %s", rename.raw)
	}
	delta := patchBody(`[{"op":"remove","path":"members[value eq \"` + id + `\"]"},{"op":"add","path":"members","value":[{"value":"` + bob + `","display":"bob@example.com"}]}]`)
	c.must(200, "PATCH", "/Groups/"+gid, delta)
	if diff := cmp.Diff([]string{bob}, s.GroupMembers(gid)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if g, ok := s.GroupByDisplayName("new"); !ok || g.ID != gid {
		t.Errorf("renamed group not found by its new name: %+v", g)
	}
}

// TestEntraSequence follows Entra ID's requests from docs/scim-clients.md.
func TestEntraSequence(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	create := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
		"externalId":"8f2c-guid","userName":"alex@contoso.com","active":true,"displayName":"Alex",
		"emails":[{"primary":true,"type":"work","value":"alex@contoso.com"}],"name":{"formatted":"Alex W","familyName":"W","givenName":"Alex"},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D"}}`
	// Matching on externalId before create.
	match := "/Users?filter=" + url.QueryEscape(`externalId eq "8f2c-guid"`)
	if resp := c.must(200, "GET", match, ""); resp.get("totalResults") != 0.0 {
		t.Fatalf("match: %s", resp.raw)
	}
	id := c.must(201, "POST", "/Users", create).str("id")
	if resp := c.must(200, "GET", match, ""); resp.get("totalResults") != 1.0 {
		t.Errorf("match after create: %s", resp.raw)
	}
	// Ops in any case, booleans as strings, Entra's path-in-value names.
	resp := c.must(200, "PATCH", "/Users/"+id, patchBody(`[
		{"op":"Replace","path":"active","value":"False"},
		{"op":"Replace","path":"emails[type eq \"work\"].value","value":"alex.w@contoso.com"},
		{"op":"Add","value":{"name.givenName":"Alexander","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":"Ops"}}]`))
	if resp.get("active") != false || resp.str("name.givenName") != "Alexander" {
		t.Errorf("patch: %s", resp.raw)
	}
	u, _ := s.User(id)
	if diff := cmp.Diff([]Email{{Value: "alex.w@contoso.com", Type: "work", Primary: true}}, u.Emails); diff != "" {
		t.Errorf("emails (-want +got):\n%s", diff)
	}
	member2 := c.must(201, "POST", "/Users", userBody("sam@contoso.com")).str("id")

	gid := c.must(201, "POST", "/Groups", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"externalId":"g-guid","displayName":"Sales","members":[]}`).str("id")
	add := patchBody(`[{"op":"Add","path":"members","value":[{"value":"` + id + `"},{"value":"` + member2 + `"}]}]`)
	c.must(200, "PATCH", "/Groups/"+gid, add)
	c.must(200, "PATCH", "/Groups/"+gid, add) // idempotent
	g := c.must(200, "GET", "/Groups/"+gid+"?excludedAttributes=members", "")
	if _, ok := g.body["members"]; ok || g.str("displayName") != "Sales" {
		t.Errorf("excludedAttributes=members: %s", g.raw)
	}
	list := c.must(200, "GET", "/Groups?excludedAttributes=members&filter="+url.QueryEscape(`displayName eq "Sales"`), "")
	if rs := resources(list); len(rs) != 1 || rs[0]["members"] != nil || rs[0]["id"] != gid {
		t.Errorf("group list: %s", list.raw)
	}
	c.must(200, "PATCH", "/Groups/"+gid, patchBody(`[{"op":"Remove","path":"members","value":[{"value":"`+id+`"}]}]`))
	c.must(200, "PATCH", "/Groups/"+gid, patchBody(`[{"op":"Remove","path":"members","value":[{"value":"`+id+`"}]}]`)) // non-member: fine
	if diff := cmp.Diff([]string{member2}, s.GroupMembers(gid)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
}

// TestConcurrentMemberPatches runs many member PATCHes against one group at
// once (as Entra ID does on its first sync): no member may be lost.
func TestConcurrentMemberPatches(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	const writers = 24
	var initial, added []string
	for i := range writers {
		initial = append(initial, mustUser(t, s, fmt.Sprintf("old%d@x", i)).ID)
		added = append(added, mustUser(t, s, fmt.Sprintf("a%d@x", i)).ID, mustUser(t, s, fmt.Sprintf("b%d@x", i)).ID)
	}
	keep := mustUser(t, s, "keep@x").ID
	g, err := s.CreateGroup(Group{DisplayName: "Big", Members: append([]string{keep}, initial...)})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	statuses := make([]int, 2*writers)
	for i := range writers {
		wg.Go(func() {
			body := patchBody(`[{"op":"add","path":"members","value":[{"value":"` + added[2*i] + `"},{"value":"` + added[2*i+1] + `"}]}]`)
			statuses[2*i] = c.do("PATCH", "/Groups/"+g.ID, body).status
		})
		wg.Go(func() {
			body := patchBody(`[{"op":"remove","path":"members[value eq \"` + initial[i] + `\"]"}]`)
			statuses[2*i+1] = c.do("PATCH", "/Groups/"+g.ID, body).status
		})
	}
	wg.Wait()
	for i, st := range statuses {
		if st != 200 {
			t.Errorf("request %d: status %d", i, st)
		}
	}
	want := append([]string{keep}, added...)
	slices.Sort(want)
	if diff := cmp.Diff(want, s.GroupMembers(g.ID)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
}
