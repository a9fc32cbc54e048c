package scimserver

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scimlimits"
)

// TestStringLimits checks every string attribute the service keeps against
// its limit in scimlimits: a value of exactly the limit in characters is
// accepted (also when its characters take two bytes each), one character
// more is 400 invalidValue and stores nothing.
func TestStringLimits(t *testing.T) {
	t.Parallel()
	user := func(set func(u map[string]any, v string)) func(v string) string {
		return func(v string) string {
			u := map[string]any{"userName": "jane@x"}
			set(u, v)
			b, _ := json.Marshal(u)
			return string(b)
		}
	}
	group := func(key string) func(v string) string {
		return func(v string) string {
			g := map[string]any{"displayName": "Eng"}
			g[key] = v
			b, _ := json.Marshal(g)
			return string(b)
		}
	}
	tests := []struct {
		attr     string
		endpoint string
		limit    int
		body     func(v string) string
	}{
		{"userName", "/Users", scimlimits.UserName, user(func(u map[string]any, v string) { u["userName"] = v })},
		{"externalId", "/Users", scimlimits.ExternalID, user(func(u map[string]any, v string) { u["externalId"] = v })},
		{"displayName", "/Users", scimlimits.DisplayName, user(func(u map[string]any, v string) { u["displayName"] = v })},
		{"name.givenName", "/Users", scimlimits.GivenName, user(func(u map[string]any, v string) { u["name"] = map[string]any{"givenName": v} })},
		{"name.familyName", "/Users", scimlimits.FamilyName, user(func(u map[string]any, v string) { u["name"] = map[string]any{"familyName": v} })},
		{"name.formatted", "/Users", scimlimits.Formatted, user(func(u map[string]any, v string) { u["name"] = map[string]any{"formatted": v} })},
		{"emails.value", "/Users", scimlimits.EmailValue, user(func(u map[string]any, v string) { u["emails"] = []any{map[string]any{"value": v}} })},
		{"emails.type", "/Users", scimlimits.EmailType, user(func(u map[string]any, v string) { u["emails"] = []any{map[string]any{"value": "j@x", "type": v}} })},
		{"nativeObjectId", "/Users", scimlimits.NativeObjectID, user(func(u map[string]any, v string) { u[urnUmbrella] = map[string]any{"nativeObjectId": v} })},
		{"authName", "/Users", scimlimits.AuthName, user(func(u map[string]any, v string) { u[urnUmbrella] = map[string]any{"authName": v} })},
		{"group displayName", "/Groups", scimlimits.GroupDisplayName, group("displayName")},
		{"group externalId", "/Groups", scimlimits.ExternalID, group("externalId")},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			t.Parallel()
			for _, v := range []string{strings.Repeat("a", tt.limit), strings.Repeat("é", tt.limit)} {
				c, _ := newClient(t)
				c.on(t).must(201, "POST", tt.endpoint, tt.body(v))
			}
			c, s := newClient(t)
			resp := c.on(t).must(400, "POST", tt.endpoint, tt.body(strings.Repeat("é", tt.limit+1)))
			if _, scimType := resp.errorOf(t); scimType != "invalidValue" {
				t.Errorf("scimType %q, want invalidValue", scimType)
			}
			if detail, _ := resp.body["detail"].(string); !strings.Contains(detail, tt.attr[strings.LastIndex(tt.attr, " ")+1:]) {
				t.Errorf("detail %q does not name the attribute", detail)
			}
			if users, groups := s.Counts(); users+groups != 0 {
				t.Errorf("the rejected create stored %d users, %d groups", users, groups)
			}
		})
	}
}

// TestStringLimitsOnWrite checks the limits on every kind of write, with
// the sizes of issue 13 (a 100 KB userName, a 70,000-character
// displayName).
func TestStringLimitsOnWrite(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 100<<10)
	tests := []struct {
		name, method, path, body string // path: USER and GROUP stand for the ids
	}{
		{name: "POST userName 100 KB", method: "POST", path: "/Users", body: `{"userName":"` + long + `"}`},
		{name: "POST displayName 70,000", method: "POST", path: "/Users", body: `{"userName":"b@x","displayName":"` + strings.Repeat("d", 70000) + `"}`},
		{name: "PUT userName", method: "PUT", path: "/Users/USER", body: `{"userName":"` + long + `"}`},
		{name: "PATCH path", method: "PATCH", path: "/Users/USER", body: patchBody(`[{"op":"replace","path":"displayName","value":"` + long + `"}]`)},
		{name: "PATCH without path", method: "PATCH", path: "/Users/USER", body: patchBody(`[{"op":"replace","value":{"name.givenName":"` + strings.Repeat("g", scimlimits.GivenName+1) + `"}}]`)},
		{name: "PATCH value filter", method: "PATCH", path: "/Users/USER", body: patchBody(`[{"op":"add","path":"emails[type eq \"work\"].value","value":"` + long + `"}]`)},
		{name: "PATCH group", method: "PATCH", path: "/Groups/GROUP", body: patchBody(`[{"op":"replace","path":"displayName","value":"` + long + `"}]`)},
		{name: "PUT group", method: "PUT", path: "/Groups/GROUP", body: `{"displayName":"Eng","externalId":"` + long + `"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			u := mustUser(t, s, "jane@x")
			g, err := s.CreateGroup(Group{DisplayName: "Eng"})
			if err != nil {
				t.Fatal(err)
			}
			path := strings.NewReplacer("USER", u.ID, "GROUP", g.ID).Replace(tt.path)
			resp := c.on(t).must(400, tt.method, path, tt.body)
			if _, scimType := resp.errorOf(t); scimType != "invalidValue" {
				t.Errorf("scimType %q, want invalidValue", scimType)
			}
			gotU, _ := s.User(u.ID)
			gotG, _ := s.Group(g.ID)
			if gotU.Version != u.Version || gotG.Version != g.Version {
				t.Errorf("the rejected write changed a resource")
			}
		})
	}
}

// TestStringLimitsOnSeed checks that the seeding API keeps the limits too.
func TestStringLimitsOnSeed(t *testing.T) {
	t.Parallel()
	s := newTestStore(10)
	if _, err := s.CreateUser(User{UserName: strings.Repeat("u", scimlimits.UserName+1)}); err == nil {
		t.Error("CreateUser accepted a userName over the limit")
	}
	if _, err := s.CreateGroup(Group{DisplayName: strings.Repeat("g", scimlimits.GroupDisplayName+1)}); err == nil {
		t.Error("CreateGroup accepted a displayName over the limit")
	}
}
