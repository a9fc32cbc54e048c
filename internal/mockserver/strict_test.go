package mockserver_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// hasMemberFilter is the query the provider's membership check sent before
// strict mode: richer than what Secure Access documents.
const hasMemberFilter = `id eq "g" and members[value eq "u"]`

// TestStrictFiltersControl turns strict mode on and off over
// /_mock/strict: a filter Secure Access does not document is refused only
// while it is on.
func TestStrictFiltersControl(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	list := func() int {
		t.Helper()
		return e.send(http.MethodGet, "/identity/v2/scim/Groups?filter="+url.QueryEscape(hasMemberFilter), scimToken, nil).status
	}
	var got struct{ StrictFilters *bool }
	e.send(http.MethodGet, "/_mock/strict", "", nil).json(t, &got)
	if got.StrictFilters == nil || *got.StrictFilters {
		t.Fatalf("GET /_mock/strict at start = %v, want strictFilters false", got.StrictFilters)
	}
	if s := list(); s != http.StatusOK {
		t.Errorf("filter %q without strict mode: %d, want 200", hasMemberFilter, s)
	}

	r := e.send(http.MethodPost, "/_mock/strict", "", map[string]bool{"strictFilters": true})
	got.StrictFilters = nil
	r.json(t, &got)
	if r.status != http.StatusOK || got.StrictFilters == nil || !*got.StrictFilters {
		t.Fatalf("POST /_mock/strict true: %d %s", r.status, r.body)
	}
	if s := list(); s != http.StatusBadRequest {
		t.Errorf("filter %q in strict mode: %d, want 400", hasMemberFilter, s)
	}
	e.send(http.MethodGet, "/_mock/strict", "", nil).json(t, &got)
	if got.StrictFilters == nil || !*got.StrictFilters {
		t.Errorf("GET /_mock/strict after turning it on = %v, want true", got.StrictFilters)
	}
	e.send(http.MethodPost, "/_mock/reset", "", nil)
	if !e.srv.StrictFilters() {
		t.Error("POST /_mock/reset turned strict mode off; it is a mode, like the clock, and stays")
	}

	e.send(http.MethodPost, "/_mock/strict", "", map[string]bool{"strictFilters": false})
	_, scimToken, err = e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	if s := list(); s != http.StatusOK {
		t.Errorf("filter %q after turning strict mode off: %d, want 200", hasMemberFilter, s)
	}
}

// TestStrictFiltersControlRejectsBadBodies: anything but
// {"strictFilters": true|false} is a 400 that changes nothing.
func TestStrictFiltersControlRejectsBadBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{StrictFilters: true})
	for _, body := range []any{
		map[string]any{},
		map[string]any{"strictFilters": "yes"},
		map[string]any{"strictFilters": nil},
		map[string]any{"strict": false},
		map[string]any{"strictFilters": false, "extra": 1},
		"not an object",
	} {
		r := e.send(http.MethodPost, "/_mock/strict", "", body)
		if r.status != http.StatusBadRequest || !strings.Contains(r.message(t), "strictFilters") {
			t.Errorf("POST /_mock/strict %v: %d %s, want 400 naming strictFilters", body, r.status, r.body)
		}
	}
	if !e.srv.StrictFilters() {
		t.Error("a rejected body turned strict mode off")
	}
}

// strictCall is one SCIM query: a GET list with a filter parameter, or a
// POST .search with the filter in the body.
type strictCall struct {
	method, path, filter string
}

// send performs the call with the SCIM token.
func (c strictCall) send(e *env, scimToken string) response {
	e.t.Helper()
	if c.method == http.MethodGet {
		return e.send(http.MethodGet, c.path+"?filter="+url.QueryEscape(c.filter), scimToken, nil)
	}
	return e.send(http.MethodPost, c.path, scimToken, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"},
		"filter":  c.filter,
	})
}

// strictCalls returns a GET list and a POST .search of path (and, for
// root, only the POST /.search) for each filter.
func strictCalls(path string, filters ...string) []strictCall {
	const base = "/identity/v2/scim"
	var out []strictCall
	for _, f := range filters {
		if path == "" {
			out = append(out, strictCall{http.MethodPost, base + "/.search", f})
			continue
		}
		out = append(out, strictCall{http.MethodGet, base + path, f}, strictCall{http.MethodPost, base + path + "/.search", f})
	}
	return out
}

// TestStrictFilters: in strict mode the SCIM endpoint answers the filters
// Secure Access documents (one userName eq for users, one displayName eq
// for groups, one externalId eq for both) and refuses every other filter
// with 400 invalidFilter naming what it can filter on, on GET lists and
// POST .search alike. Paging, attribute selection, GET by id and a PATCH
// path with a value filter (how Okta removes members) stay accepted.
func TestStrictFilters(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{StrictFilters: true})
	dir, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	userID := e.scimUser(scimToken, "jane@example.com", "Jane Doe")
	groupID := e.scimGroup(scimToken, "OKTA - Engineering")
	if r := e.send(http.MethodPatch, "/identity/v2/scim/Groups/"+groupID, scimToken, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "add", "path": "members", "value": []map[string]string{{"value": userID}}}},
	}); r.status != http.StatusOK {
		t.Fatalf("adding the member: %d %s", r.status, r.body)
	}

	var accepted []strictCall
	accepted = append(accepted, strictCalls("/Users",
		`userName eq "jane@example.com"`,
		`USERNAME EQ "Jane@Example.com"`,
		`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "jane@example.com"`,
		`externalId eq "00u1abcd"`,
		`userName eq "a \"quoted\" name"`,
		`(userName eq "jane@example.com")`,
		"  ")...)
	accepted = append(accepted, strictCalls("/Groups",
		`displayName eq "OKTA - Engineering"`,
		`displayname eq "okta - engineering"`,
		`externalId eq "00g1abcd"`)...)
	accepted = append(accepted, strictCalls("",
		`userName eq "jane@example.com"`,
		`displayName eq "OKTA - Engineering"`,
		`externalId eq "00g1abcd"`)...)
	for _, c := range accepted {
		if r := c.send(e, scimToken); r.status != http.StatusOK {
			t.Errorf("%s %s filter %q: %d %s, want 200", c.method, c.path, c.filter, r.status, r.body)
		}
	}

	var refused []strictCall
	refused = append(refused, strictCalls("/Users",
		`userName sw "j"`,
		`userName co "jane"`,
		`userName ew "@example.com"`,
		`userName ne "jane@example.com"`,
		`userName gt "a"`,
		`userName pr`,
		`userName eq null`,
		`userName eq true`,
		`displayName eq "Jane Doe"`,
		`id eq "`+userID+`"`,
		`active eq true`,
		`emails[value eq "jane@example.com"]`,
		`emails.value eq "jane@example.com"`,
		`name.givenName eq "Jane"`,
		`urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User:authName eq "jane"`,
		`userName eq "a" and active eq true`,
		`userName eq "a" or userName eq "b"`,
		`not (userName eq "a")`,
		`userName eq "a" and userName eq "a"`)...)
	refused = append(refused, strictCalls("/Groups",
		`id eq "`+groupID+`" and members[value eq "`+userID+`"]`,
		`members[value eq "`+userID+`"]`,
		`members.value eq "`+userID+`"`,
		`displayName sw "OKTA - "`,
		`displayName co "Eng"`,
		`userName eq "jane@example.com"`,
		`id eq "`+groupID+`"`,
		`displayName eq "a" or displayName eq "b"`)...)
	refused = append(refused, strictCalls("",
		`displayName sw "OKTA"`,
		`id eq "`+groupID+`"`,
		`userName eq "a" or displayName eq "b"`)...)
	for _, c := range refused {
		r := c.send(e, scimToken)
		var body struct {
			Schemas                  []string
			Status, ScimType, Detail string
		}
		r.json(t, &body)
		if r.status != http.StatusBadRequest || body.Status != "400" || body.ScimType != "invalidFilter" ||
			len(body.Schemas) != 1 || body.Schemas[0] != "urn:ietf:params:scim:api:messages:2.0:Error" {
			t.Errorf("%s %s filter %q: %d %s, want 400 invalidFilter", c.method, c.path, c.filter, r.status, r.body)
			continue
		}
		for _, want := range []string{`userName eq`, `displayName eq`, `externalId eq`} {
			if !strings.Contains(body.Detail, want) {
				t.Errorf("%s %s filter %q: detail %q does not name %s", c.method, c.path, c.filter, body.Detail, want)
			}
		}
	}

	for _, path := range []string{
		"/identity/v2/scim/Users?startIndex=1&count=1",
		"/identity/v2/scim/Groups?startIndex=2&count=10&attributes=displayName",
		"/identity/v2/scim/Users/" + userID + "?attributes=userName",
		"/identity/v2/scim/Groups/" + groupID + "?attributes=members",
		"/identity/v2/scim/Groups/" + groupID + "?excludedAttributes=members",
	} {
		if r := e.send(http.MethodGet, path, scimToken, nil); r.status != http.StatusOK {
			t.Errorf("GET %s in strict mode: %d %s, want 200", path, r.status, r.body)
		}
	}
	r := e.send(http.MethodPatch, "/identity/v2/scim/Groups/"+groupID, scimToken, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "remove", "path": `members[value eq "` + userID + `"]`}},
	})
	if r.status != http.StatusOK {
		t.Errorf("PATCH remove members[value eq …] in strict mode: %d %s, want 200", r.status, r.body)
	}
	sc, ok := e.srv.Store().DirectorySCIM(dir.ID)
	if !ok {
		t.Fatal("the bootstrapped directory is gone")
	}
	if got := sc.GroupMembers(groupID); len(got) != 0 {
		t.Errorf("members after the PATCH remove: %v, want none", got)
	}
}
