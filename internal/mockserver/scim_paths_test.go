package mockserver_test

import (
	"net/http"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestSCIMTrailingSlash checks that every SCIM collection and resource path
// also answers with a trailing slash (identity providers build URLs by
// concatenation), with the same status as without it, and that the
// request counts under the route's own Stats key.
func TestSCIMTrailingSlash(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	_, token, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	userID := e.scimUser(token, "jane@example.com", "Jane")
	groupID := e.scimGroup(token, "Eng")
	const base = "/identity/v2/scim"
	tests := []struct {
		method, path string
		body         any
		want         int
		route        string // Stats key
	}{
		{http.MethodGet, "/Users/", nil, http.StatusOK, "GET " + base + "/Users"},
		{http.MethodGet, "/Groups/", nil, http.StatusOK, "GET " + base + "/Groups"},
		{http.MethodGet, "/Users/" + userID + "/", nil, http.StatusOK, "GET " + base + "/Users/{id}"},
		{http.MethodGet, "/Groups/" + groupID + "/", nil, http.StatusOK, "GET " + base + "/Groups/{id}"},
		{http.MethodGet, "/ServiceProviderConfig/", nil, http.StatusOK, "GET " + base + "/ServiceProviderConfig"},
		{http.MethodGet, "/Schemas/", nil, http.StatusOK, "GET " + base + "/Schemas"},
		{http.MethodGet, "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User/", nil, http.StatusOK, "GET " + base + "/Schemas/{urn}"},
		{http.MethodGet, "/ResourceTypes/", nil, http.StatusOK, "GET " + base + "/ResourceTypes"},
		{http.MethodGet, "/ResourceTypes/User/", nil, http.StatusOK, "GET " + base + "/ResourceTypes/{name}"},
		{http.MethodPost, "/Users/", map[string]any{"userName": "bob@example.com"}, http.StatusCreated, "POST " + base + "/Users"},
		{http.MethodPost, "/Groups/", map[string]any{"displayName": "Sales"}, http.StatusCreated, "POST " + base + "/Groups"},
		{http.MethodPost, "/Users/.search/", map[string]any{"filter": `userName eq "jane@example.com"`}, http.StatusOK, "POST " + base + "/Users/.search"},
		{http.MethodPost, "/.search/", map[string]any{"filter": `displayName eq "Eng"`}, http.StatusOK, "POST " + base + "/.search"},
		{http.MethodPut, "/Users/" + userID + "/", map[string]any{"userName": "jane@example.com"}, http.StatusOK, "PUT " + base + "/Users/{id}"},
		{http.MethodPatch, "/Groups/" + groupID + "/", map[string]any{
			"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": []any{map[string]any{"op": "replace", "path": "displayName", "value": "Engineering"}},
		}, http.StatusOK, "PATCH " + base + "/Groups/{id}"},
		{http.MethodGet, "/Users/nope/", nil, http.StatusNotFound, "GET " + base + "/Users/{id}"},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			before := e.srv.Stats().Count(tt.route)
			r := e.on(t).send(tt.method, base+tt.path, token, tt.body)
			if r.status != tt.want {
				t.Fatalf("status %d, want %d: %s", r.status, tt.want, r.body)
			}
			if got := e.srv.Stats().Count(tt.route) - before; got != 1 {
				t.Errorf("Stats %q grew by %d, want 1", tt.route, got)
			}
		})
	}
	t.Run("DELETE with a trailing slash", func(t *testing.T) {
		if r := e.on(t).send(http.MethodDelete, base+"/Users/"+userID+"/", token, nil); r.status != http.StatusNoContent {
			t.Fatalf("status %d, want 204: %s", r.status, r.body)
		}
	})
	t.Run("two trailing slashes are not a route", func(t *testing.T) {
		wantSCIMError(t, e.on(t).send(http.MethodGet, base+"/Groups//", token, nil), http.StatusNotFound)
	})
}
