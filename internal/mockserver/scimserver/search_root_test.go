package scimserver

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestSearchRoot checks POST /.search at the SCIM root (RFC 7644 §3.4.3):
// one ListResponse over users and groups with the filter, paging, sorting
// and attributes semantics of the per-type searches; a filter attribute a
// resource type does not have matches none of its resources.
func TestSearchRoot(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	jane, err := s.CreateUser(User{UserName: "jane@x", DisplayName: "Jane", ExternalID: "x1", Active: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(User{UserName: "bob@x", DisplayName: "Bob", Active: new(true)}); err != nil {
		t.Fatal(err)
	}
	for _, g := range []Group{{DisplayName: "Eng", ExternalID: "x1", Members: []string{jane.ID}}, {DisplayName: "Sales"}} {
		if _, err := s.CreateGroup(g); err != nil {
			t.Fatal(err)
		}
	}
	type page struct {
		Total, Start, PerPage float64
		Resources             []string // "User jane@x", "Group Eng"
	}
	all := []string{"User jane@x", "User bob@x", "Group Eng", "Group Sales"}
	tests := []struct {
		name string
		body string
		want page
	}{
		{name: "everything", body: `{}`, want: page{4, 1, 4, all}},
		{name: "with the SearchRequest schema", body: `{"schemas":["` + urnSearch + `"]}`, want: page{4, 1, 4, all}},
		{name: "user attribute", body: `{"filter":"userName eq \"JANE@x\""}`, want: page{1, 1, 1, []string{"User jane@x"}}},
		{name: "group attribute", body: `{"filter":"members.value pr"}`, want: page{1, 1, 1, []string{"Group Eng"}}},
		{name: "common attribute", body: `{"filter":"externalId eq \"x1\""}`, want: page{2, 1, 2, []string{"User jane@x", "Group Eng"}}},
		{name: "attribute of both", body: `{"filter":"displayName sw \"S\" or displayName eq \"Bob\""}`, want: page{2, 1, 2, []string{"User bob@x", "Group Sales"}}},
		{name: "by resource type", body: `{"filter":"meta.resourceType eq \"Group\""}`, want: page{2, 1, 2, []string{"Group Eng", "Group Sales"}}},
		{name: "paging across types", body: `{"startIndex":2,"count":2}`, want: page{4, 2, 2, []string{"User bob@x", "Group Eng"}}},
		{name: "count zero", body: `{"count":0}`, want: page{4, 1, 0, nil}},
		{name: "sorted across types", body: `{"sortBy":"displayName"}`, want: page{4, 1, 4, []string{"User bob@x", "Group Eng", "User jane@x", "Group Sales"}}},
		{name: "sorted descending", body: `{"sortBy":"displayName","sortOrder":"descending","count":2}`, want: page{4, 1, 2, []string{"Group Sales", "User jane@x"}}},
		{name: "sorted by a user attribute", body: `{"sortBy":"userName"}`, want: page{4, 1, 4, []string{"User bob@x", "User jane@x", "Group Eng", "Group Sales"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "POST", "/.search", tt.body)
			got := page{resp.get("totalResults").(float64), resp.get("startIndex").(float64), resp.get("itemsPerPage").(float64), resourceLabels(t, resp)}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

// TestSearchRootAttributes checks attributes and excludedAttributes of a
// root search: each resource type keeps what its schema has of them, and
// id and schemas always.
func TestSearchRootAttributes(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	mustUser(t, s, "jane@x")
	if _, err := s.CreateGroup(Group{DisplayName: "Eng"}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		body string
		want [][]string // the keys of each resource
	}{
		{name: "attributes of both types", body: `{"attributes":["displayName","userName"]}`,
			want: [][]string{{"id", "schemas", "userName"}, {"displayName", "id", "schemas"}}},
		{name: "attribute of one type", body: `{"attributes":["userName"]}`,
			want: [][]string{{"id", "schemas", "userName"}, {"id", "schemas"}}},
		{name: "attribute of no type is ignored", body: `{"attributes":["bogus"]}`,
			want: [][]string{{"active", "id", "meta", "schemas", "userName"}, {"displayName", "id", "meta", "schemas"}}},
		{name: "excluded", body: `{"excludedAttributes":["meta","active","displayName"]}`,
			want: [][]string{{"id", "schemas", "userName"}, {"id", "schemas"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "POST", "/.search", tt.body)
			res, _ := resp.get("Resources").([]any)
			var got [][]string
			for _, r := range res {
				m, _ := r.(map[string]any)
				got = append(got, sortedKeys(m))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSearchRootErrors(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	tests := []struct {
		name, body, scimType string
	}{
		{name: "filter does not parse", body: `{"filter":"userName eq"}`, scimType: "invalidFilter"},
		{name: "not JSON", body: `{"filter":`, scimType: "invalidSyntax"},
		{name: "bad sortOrder", body: `{"sortOrder":"sideways"}`, scimType: "invalidValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(400, "POST", "/.search", tt.body)
			if _, scimType := resp.errorOf(t); scimType != tt.scimType {
				t.Errorf("scimType %q, want %q", scimType, tt.scimType)
			}
		})
	}
}

// resourceLabels returns "<resourceType> <userName or displayName>" of each
// resource of a ListResponse.
func resourceLabels(t *testing.T, resp response) []string {
	t.Helper()
	res, _ := resp.get("Resources").([]any)
	var out []string
	for _, r := range res {
		m, _ := r.(map[string]any)
		meta, _ := m["meta"].(map[string]any)
		kind, _ := meta["resourceType"].(string)
		name, _ := m["userName"].(string)
		if kind == "Group" {
			name, _ = m["displayName"].(string)
		}
		out = append(out, kind+" "+name)
	}
	return out
}
