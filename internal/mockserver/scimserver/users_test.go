package scimserver

import (
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestCreateUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		body     string
		ctype    string
		status   int
		scimType string
	}{
		{name: "minimal", body: userBody("jane@example.com"), status: 201},
		{name: "no schemas is accepted", body: `{"userName":"a@x"}`, status: 201},
		{name: "attribute names any case", body: `{"USERNAME":"b@x","Active":false}`, status: 201},
		{name: "plain json content type", body: userBody("c@x"), ctype: "application/json; charset=utf-8", status: 201},
		{name: "duplicate userName other case", body: userBody("TAKEN@example.com"), status: 409, scimType: "uniqueness"},
		{name: "missing userName", body: `{"displayName":"x"}`, status: 400, scimType: "invalidValue"},
		{name: "userName not a string", body: `{"userName":5}`, status: 400, scimType: "invalidValue"},
		{name: "active not a boolean", body: `{"userName":"d@x","active":"maybe"}`, status: 400, scimType: "invalidValue"},
		{name: "name not an object", body: `{"userName":"d@x","name":"Jane"}`, status: 400, scimType: "invalidValue"},
		{name: "emails not a list", body: `{"userName":"d@x","emails":"a@x"}`, status: 400, scimType: "invalidValue"},
		{name: "two primary emails", body: `{"userName":"d@x","emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":"True"}]}`, status: 400, scimType: "invalidValue"},
		{name: "extension attribute wrong type", body: `{"userName":"d@x","` + urnUmbrella + `":{"authName":[]}}`, status: 400, scimType: "invalidValue"},
		{name: "malformed JSON", body: `{"userName":`, status: 400, scimType: "invalidSyntax"},
		{name: "JSON array body", body: `[]`, status: 400, scimType: "invalidSyntax"},
		{name: "unsupported content type", body: userBody("e@x"), ctype: "text/xml", status: 415},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			if _, err := s.CreateUser(User{UserName: "taken@example.com"}); err != nil {
				t.Fatal(err)
			}
			var headers []string
			if tt.ctype != "" {
				headers = []string{"Content-Type", tt.ctype}
			}
			resp := c.on(t).do("POST", "/Users", tt.body, headers...)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.raw)
			}
			if tt.status >= 400 {
				status, scimType := resp.errorOf(t)
				if diff := cmp.Diff([]string{strconv.Itoa(tt.status), tt.scimType}, []string{status, scimType}); diff != "" {
					t.Errorf("error (-want +got):\n%s", diff)
				}
				if users, _ := s.Counts(); users != 1 {
					t.Errorf("a failed create stored a user: %d users", users)
				}
			}
		})
	}
}

func TestCreateUserResponse(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	resp := c.on(t).must(201, "POST", "/Users", `{"schemas":["`+urnUser+`","`+urnUmbrella+`"],"userName":"jane@example.com",
		"name":{"givenName":"Jane","familyName":"Doe","formatted":"Jane Doe"},"displayName":"Jane Doe","externalId":"00u1",
		"emails":[{"value":"jane@example.com","type":"work","primary":true}],"password":"hunter2","groups":[],
		"id":"client-chosen","meta":{"version":"W/\"99\""},"unknownAttribute":1,
		"`+urnUmbrella+`":{"nativeObjectId":"guid-1","authName":"jane"}}`)
	id := resp.str("id")
	want := map[string]any{
		"schemas":     []any{urnUser, urnUmbrella},
		"id":          id,
		"userName":    "jane@example.com",
		"externalId":  "00u1",
		"displayName": "Jane Doe",
		"active":      true,
		"name":        map[string]any{"givenName": "Jane", "familyName": "Doe", "formatted": "Jane Doe"},
		"emails":      []any{map[string]any{"value": "jane@example.com", "type": "work", "primary": true}},
		urnUmbrella:   map[string]any{"nativeObjectId": "guid-1", "authName": "jane"},
		"meta": map[string]any{"resourceType": "User", "created": "2026-03-18T12:20:00Z", "lastModified": "2026-03-18T12:20:00Z",
			"location": "http://mock.test/identity/v2/scim/Users/" + id, "version": `W/"1"`},
	}
	if diff := cmp.Diff(want, resp.body); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
	if id == "client-chosen" || len(id) != 36 {
		t.Errorf("id %q: want a server-assigned UUID", id)
	}
	if diff := cmp.Diff([]string{resp.str("meta.location"), `W/"1"`}, []string{resp.header.Get("Location"), resp.header.Get("ETag")}); diff != "" {
		t.Errorf("headers (-want +got):\n%s", diff)
	}
	if strings.Contains(resp.raw, "hunter2") || strings.Contains(resp.raw, "groups") {
		t.Errorf("password or groups echoed: %s", resp.raw)
	}
	if _, ok := s.UserByUserName("JANE@EXAMPLE.COM"); !ok {
		t.Error("user not found by userName in another case")
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		target  string
		headers map[string]string
		want    string
	}{
		{name: "plain http", target: "http://h:8080/", want: "http://h:8080/identity/v2/scim"},
		{name: "forwarded https", target: "http://h/", headers: map[string]string{"X-Forwarded-Proto": "https, http"}, want: "https://h/identity/v2/scim"},
		{name: "forwarded junk ignored", target: "http://h/", headers: map[string]string{"X-Forwarded-Proto": "gopher"}, want: "http://h/identity/v2/scim"},
		{name: "tls", target: "https://h/", want: "https://h/identity/v2/scim"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := httptest.NewRequestWithContext(t.Context(), "GET", tt.target, nil)
			for k, v := range tt.headers {
				r.Header.Set(k, v)
			}
			if diff := cmp.Diff(tt.want, baseURL(r)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestGetUser(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	u, err := s.CreateUser(User{UserName: "jane@x", DisplayName: "Jane", Active: new(true), Name: Name{GivenName: "Jane"}, NativeObjectID: "g1"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, query string
		keys        []string
	}{
		{name: "all", query: "", keys: []string{"active", "displayName", "id", "meta", "name", "schemas", urnUmbrella, "userName"}},
		{name: "attributes", query: "?attributes=userName,name.givenName", keys: []string{"id", "name", "schemas", "userName"}},
		{name: "attributes extension attribute", query: "?attributes=" + urnUmbrella + ":nativeObjectId", keys: []string{"id", "schemas", urnUmbrella}},
		{name: "excluded", query: "?excludedAttributes=meta,name,id,schemas," + urnUmbrella, keys: []string{"active", "displayName", "id", "schemas", "userName"}},
		{name: "unknown names ignored", query: "?excludedAttributes=bogus,[x", keys: []string{"active", "displayName", "id", "meta", "name", "schemas", urnUmbrella, "userName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "GET", "/Users/"+u.ID+tt.query, "")
			if diff := cmp.Diff(tt.keys, sortedKeys(resp.body)); diff != "" {
				t.Errorf("keys (-want +got):\n%s", diff)
			}
			if resp.header.Get("ETag") != u.ETag() {
				t.Errorf("ETag %q, want %q", resp.header.Get("ETag"), u.ETag())
			}
		})
	}
	t.Run("if-none-match", func(t *testing.T) {
		t.Parallel()
		c.on(t).must(304, "GET", "/Users/"+u.ID, "", "If-None-Match", u.ETag())
		c.on(t).must(200, "GET", "/Users/"+u.ID, "", "If-None-Match", `W/"999"`)
	})
	t.Run("unknown id", func(t *testing.T) {
		t.Parallel()
		resp := c.on(t).must(404, "GET", "/Users/nope", "")
		if status, _ := resp.errorOf(t); status != "404" {
			t.Errorf("status %q", status)
		}
	})
}

func TestReplaceUser(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		id       string // "" = jane's id
		body     string
		ifMatch  string
		status   int
		scimType string
	}{
		{name: "replace with id and meta", body: `{"id":"other","meta":{"created":"x"},"userName":"jane@x","displayName":"J","active":false}`, status: 200},
		{name: "if-match current", body: userBody("jane@x"), ifMatch: `W/"2"`, status: 200},
		{name: "if-match star", body: userBody("jane@x"), ifMatch: `*`, status: 200},
		{name: "if-match stale", body: userBody("jane@x"), ifMatch: `W/"1"`, status: 412},
		{name: "never creates", id: "nope", body: userBody("new@x"), status: 404},
		{name: "userName taken", body: userBody("BOB@x"), status: 409, scimType: "uniqueness"},
		{name: "userName removed", body: `{"displayName":"x"}`, status: 400, scimType: "invalidValue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			mustUser(t, s, "bob@x")
			jane := mustUser(t, s, "jane@x")
			id := cmpOr(tt.id, jane.ID)
			var headers []string
			if tt.ifMatch != "" {
				headers = []string{"If-Match", tt.ifMatch}
			}
			resp := c.on(t).do("PUT", "/Users/"+id, tt.body, headers...)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.raw)
			}
			got, _ := s.User(jane.ID)
			if tt.status != 200 {
				if _, scimType := resp.errorOf(t); scimType != tt.scimType {
					t.Errorf("scimType %q, want %q", scimType, tt.scimType)
				}
				if diff := cmp.Diff(jane, got); diff != "" {
					t.Errorf("failed PUT changed the user (-want +got):\n%s", diff)
				}
				return
			}
			if got.ID != jane.ID || got.Version <= jane.Version || got.IdentityID != jane.IdentityID {
				t.Errorf("after PUT: %+v", got)
			}
		})
	}
}

func TestDeleteUser(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	jane, bob := mustUser(t, s, "jane@x"), mustUser(t, s, "bob@x")
	g, err := s.CreateGroup(Group{DisplayName: "Eng", Members: []string{jane.ID, bob.ID}})
	if err != nil {
		t.Fatal(err)
	}
	c.must(412, "DELETE", "/Users/"+jane.ID, "", "If-Match", `W/"0"`)
	c.must(204, "DELETE", "/Users/"+jane.ID, "", "If-Match", jane.ETag())
	c.must(404, "DELETE", "/Users/"+jane.ID, "")
	c.must(404, "GET", "/Users/"+jane.ID, "")
	if diff := cmp.Diff([]string{bob.ID}, s.GroupMembers(g.ID)); diff != "" {
		t.Errorf("members after deleting jane (-want +got):\n%s", diff)
	}
	c.must(204, "DELETE", "/Groups/"+g.ID, "")
	if users, groups := s.Counts(); users != 1 || groups != 0 {
		t.Errorf("counts %d users, %d groups", users, groups)
	}
	// The userName is free again.
	c.must(201, "POST", "/Users", userBody("JANE@x"))
}

func TestBodyTooLarge(t *testing.T) {
	t.Parallel()
	s := newTestStore(10)
	c := &client{t: t, mux: newMux(s, 64)}
	resp := c.on(t).must(413, "POST", "/Users", `{"userName":"`+strings.Repeat("a", 100)+`"}`)
	if status, _ := resp.errorOf(t); status != "413" {
		t.Errorf("status %q", status)
	}
}

// mustUser seeds an active user.
func mustUser(t testing.TB, s *Store, userName string) User {
	t.Helper()
	u, err := s.CreateUser(User{UserName: userName, Active: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// sortedKeys returns the keys of m in order.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
