package scimserver

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestListPaging(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	names := []string{"u0", "U1", "u2", "u3", "u4"}
	for _, n := range names {
		mustUser(t, s, n)
	}
	type page struct {
		Total, Start, PerPage float64
		Names                 []string
	}
	tests := []struct {
		query string
		want  page
	}{
		{"", page{5, 1, 5, names}},
		{"?startIndex=2&count=2", page{5, 2, 2, []string{"U1", "u2"}}},
		{"?startIndex=5&count=2", page{5, 5, 1, []string{"u4"}}},
		{"?startIndex=9", page{5, 9, 0, nil}},
		{"?startIndex=0&count=1", page{5, 1, 1, []string{"u0"}}},
		{"?startIndex=-3&count=1", page{5, 1, 1, []string{"u0"}}},
		{"?count=0", page{5, 1, 0, nil}},
		{"?count=-1", page{5, 1, 0, nil}},
		{"?count=100000", page{5, 1, 5, names}},
		{"?sortBy=userName", page{5, 1, 5, names}},
		{"?sortBy=userName&sortOrder=descending&count=2", page{5, 1, 2, []string{"u4", "u3"}}},
		{"?sortBy=displayName&sortOrder=Ascending", page{5, 1, 5, names}}, // no values: creation order
		{"?sortBy=nonexistent", page{5, 1, 5, names}},
		{"?filter=userName+sw+%22u%22&startIndex=4", page{5, 4, 2, []string{"u3", "u4"}}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "GET", "/Users"+tt.query, "")
			got := page{resp.get("totalResults").(float64), resp.get("startIndex").(float64), resp.get("itemsPerPage").(float64), userNames(resp)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestListErrors(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	for _, q := range []string{"?startIndex=x", "?count=1.5", "?sortOrder=sideways", "?sortBy=%5B"} {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(400, "GET", "/Users"+q, "")
			if _, scimType := resp.errorOf(t); scimType != "invalidValue" {
				t.Errorf("scimType %q", scimType)
			}
		})
	}
}

func TestListMaxResults(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	for i := range MaxResults + 5 {
		mustUser(t, s, fmt.Sprintf("user%04d", i))
	}
	resp := c.must(200, "GET", "/Users?attributes=userName", "")
	if resp.get("totalResults") != float64(MaxResults+5) || resp.get("itemsPerPage") != float64(MaxResults) {
		t.Errorf("totalResults %v, itemsPerPage %v", resp.get("totalResults"), resp.get("itemsPerPage"))
	}
	rest := c.must(200, "GET", fmt.Sprintf("/Users?attributes=userName&startIndex=%d", MaxResults+1), "")
	if diff := cmp.Diff([]string{"user1000", "user1001", "user1002", "user1003", "user1004"}, userNames(rest)); diff != "" {
		t.Errorf("second page (-want +got):\n%s", diff)
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	for _, n := range []string{"ann", "bob", "cat"} {
		mustUser(t, s, n)
	}
	tests := []struct {
		name, body string
		status     int
		want       []string
	}{
		{name: "filter and paging", body: `{"schemas":["` + urnSearch + `"],"filter":"userName ne \"bob\"","startIndex":2,"count":5,"attributes":["userName"]}`, status: 200, want: []string{"cat"}},
		{name: "sort descending", body: `{"sortBy":"userName","sortOrder":"descending","excludedAttributes":["meta"]}`, status: 200, want: []string{"cat", "bob", "ann"}},
		{name: "bad filter", body: `{"filter":"userName eq"}`, status: 400},
		{name: "bad types", body: `{"count":"many"}`, status: 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(tt.status, "POST", "/Users/.search", tt.body)
			if tt.status == 200 {
				if diff := cmp.Diff(tt.want, userNames(resp)); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
	c.must(200, "POST", "/Groups/.search", `{}`)
}

func TestDiscovery(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	spc := c.must(200, "GET", "/ServiceProviderConfig", "")
	wantSPC := map[string]any{
		"patch": true, "bulk": false, "filter": true, "changePassword": false, "sort": true, "etag": true,
		"maxResults": float64(MaxResults), "auth": "oauthbearertoken",
	}
	gotSPC := map[string]any{
		"patch": spc.get("patch.supported"), "bulk": spc.get("bulk.supported"), "filter": spc.get("filter.supported"),
		"changePassword": spc.get("changePassword.supported"), "sort": spc.get("sort.supported"), "etag": spc.get("etag.supported"),
		"maxResults": spc.get("filter.maxResults"), "auth": spc.get("authenticationSchemes").([]any)[0].(map[string]any)["type"],
	}
	if diff := cmp.Diff(wantSPC, gotSPC); diff != "" {
		t.Errorf("ServiceProviderConfig (-want +got):\n%s", diff)
	}

	rts := c.must(200, "GET", "/ResourceTypes", "")
	var rtNames []string
	for _, r := range resources(rts) {
		rtNames = append(rtNames, r["name"].(string)+" "+r["endpoint"].(string)+" "+r["schema"].(string))
	}
	if diff := cmp.Diff([]string{"User /Users " + urnUser, "Group /Groups " + urnGroup}, rtNames); diff != "" {
		t.Errorf("ResourceTypes (-want +got):\n%s", diff)
	}
	user := c.must(200, "GET", "/ResourceTypes/user", "")
	if diff := cmp.Diff([]any{map[string]any{"schema": urnUmbrella, "required": false}}, user.get("schemaExtensions")); diff != "" {
		t.Errorf("User schemaExtensions (-want +got):\n%s", diff)
	}
	c.must(404, "GET", "/ResourceTypes/Device", "")

	schemas := c.must(200, "GET", "/Schemas", "")
	var ids []string
	for _, r := range resources(schemas) {
		ids = append(ids, r["id"].(string))
	}
	if diff := cmp.Diff([]string{urnUser, urnGroup, urnUmbrella}, ids); diff != "" {
		t.Errorf("Schemas (-want +got):\n%s", diff)
	}
	ext := c.must(200, "GET", "/Schemas/"+urnUmbrella, "")
	var attrs []string
	for _, a := range ext.get("attributes").([]any) {
		attrs = append(attrs, a.(map[string]any)["name"].(string))
	}
	if diff := cmp.Diff([]string{"nativeObjectId", "authName"}, attrs); diff != "" {
		t.Errorf("extension attributes (-want +got):\n%s", diff)
	}
	if ext.str("meta.location") != "http://mock.test/identity/v2/scim/Schemas/"+urnUmbrella {
		t.Errorf("meta.location %q", ext.str("meta.location"))
	}
	c.must(404, "GET", "/Schemas/urn:nope", "")
}

// TestGroupMembersSchema checks the published sub-attributes of Group
// members against RFC 7643 §8.7.1 (and §4.2: "sub-attributes of members
// are immutable"), with the service's restriction to user members.
func TestGroupMembersSchema(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	resp := c.must(200, "GET", "/Schemas/"+urnGroup, "")
	attrs, _ := resp.get("attributes").([]any)
	var members map[string]any
	for _, a := range attrs {
		if m, _ := a.(map[string]any); m["name"] == "members" {
			members = m
		}
	}
	if members == nil {
		t.Fatalf("no members attribute: %s", resp.raw)
	}
	type sub struct {
		Type, Mutability, Returned string
		MultiValued                bool
		ReferenceTypes             []any
	}
	got := map[string]sub{}
	subs, _ := members["subAttributes"].([]any)
	for _, a := range subs {
		m, _ := a.(map[string]any)
		name, _ := m["name"].(string)
		s := sub{MultiValued: m["multiValued"] == true}
		s.Type, _ = m["type"].(string)
		s.Mutability, _ = m["mutability"].(string)
		s.Returned, _ = m["returned"].(string)
		s.ReferenceTypes, _ = m["referenceTypes"].([]any)
		got[name] = s
	}
	want := map[string]sub{
		"value":   {Type: "string", Mutability: "immutable", Returned: "default"},
		"display": {Type: "string", Mutability: "immutable", Returned: "default"},
		"type":    {Type: "string", Mutability: "immutable", Returned: "default"},
		"$ref":    {Type: "reference", Mutability: "immutable", Returned: "default", ReferenceTypes: []any{"User"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("members sub-attributes (-want +got):\n%s", diff)
	}
	if members["mutability"] != "readWrite" || members["multiValued"] != true || members["type"] != "complex" {
		t.Errorf("members: %v", members)
	}
}
