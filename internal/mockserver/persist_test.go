package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// openEnv starts a mock persisting in path, on the given clock, closed at
// the end of the test. (cmd/secureaccess-mock's TestKill9KeepsAcknowledgedWrites
// stops a real process with kill -9 instead.)
func openEnv(t *testing.T, path string, clock *fakeClock) *env {
	t.Helper()
	srv, err := mockserver.Open(path, mockserver.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() }) // a no-op after Close.
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, srv: srv, ts: ts, clock: clock}
}

// dirState is everything the store holds about one directory integration.
type dirState struct {
	Directory mockserver.Directory
	Users     []scimserver.User
	Groups    []scimserver.Group
}

// state returns the whole store, comparable with cmp.Diff.
func state(srv *mockserver.Server) []dirState {
	var out []dirState
	for _, d := range srv.Store().Directories() {
		scim := d.SCIM
		d.SCIM = nil
		out = append(out, dirState{Directory: d, Users: scim.Users(), Groups: scim.Groups()})
	}
	return out
}

// populate exercises every kind of write through the API and returns a
// working SCIM token of the directory "Okta" and the admin access token.
func populate(e *env) (string, string) {
	t := e.t
	admin := e.accessToken()
	okta := e.createDirectory(admin, "Okta", "okta")
	entra := e.createDirectory(admin, "Entra", "entra_id")
	gone := e.createDirectory(admin, "Gone", "other")
	e.clock.Advance(90 * time.Second)
	e.send(http.MethodPatch, "/admin/v2/directoryIntegrations/"+entra.ID, admin, map[string]string{"name": "Entra ID"})
	e.send(http.MethodDelete, "/admin/v2/directoryIntegrations/"+gone.ID, admin, nil)
	e.newSCIMToken(admin, okta.ID, nil)
	tok := e.newSCIMToken(admin, okta.ID, map[string]int{"expiresInDays": 30}) // revokes the first
	entraTok := e.newSCIMToken(admin, entra.ID, nil)

	alice := e.scimUser(tok, "alice@example.com", "Alice")
	bob := e.scimUser(tok, "bob@example.com", "Bob")
	carol := e.scimUser(tok, "carol@example.com", "Carol")
	e.scimUser(entraTok, "alice@example.com", "Alice in Entra")
	e.send(http.MethodDelete, "/admin/v2/directoryIntegrations/"+entra.ID+"/provisioningToken", admin, nil)
	staff := e.scimGroup(tok, "Staff")
	e.scimGroup(tok, "Empty")
	patch := func(path string, ops ...map[string]any) {
		r := e.send(http.MethodPatch, "/identity/v2/scim"+path, tok, map[string]any{
			"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
			"Operations": ops,
		})
		if r.status != http.StatusOK {
			t.Fatalf("PATCH %s: %d %s", path, r.status, r.body)
		}
	}
	patch("/Groups/"+staff, map[string]any{"op": "add", "path": "members",
		"value": []map[string]string{{"value": alice}, {"value": bob}, {"value": carol}}})
	patch("/Users/"+bob, map[string]any{"op": "replace", "path": "active", "value": false},
		map[string]any{"op": "add", "path": "emails", "value": []map[string]any{{"value": "bob@example.com", "type": "work", "primary": true}}})
	r := e.send(http.MethodPut, "/identity/v2/scim/Users/"+alice, tok, map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"},
		"userName": "alice@example.com", "externalId": "00u1", "name": map[string]string{"givenName": "Alice", "familyName": "Liddell"},
		"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User": map[string]string{"nativeObjectId": "n-1", "authName": "alice"},
	})
	if r.status != http.StatusOK {
		t.Fatalf("PUT user: %d %s", r.status, r.body)
	}
	if r := e.send(http.MethodDelete, "/identity/v2/scim/Users/"+carol, tok, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE user: %d %s", r.status, r.body)
	}
	return tok, admin
}

func TestOpenRestoresState(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mock.db")
	clock := newFakeClock()
	first := openEnv(t, path, clock)
	tok, admin := populate(first)
	want := state(first.srv)
	if err := first.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := openEnv(t, path, clock)
	if diff := cmp.Diff(want, state(second.srv)); diff != "" {
		t.Fatalf("restored state mismatch (-want +got):\n%s", diff)
	}
	// Access tokens are not persisted; the SCIM token still works, and
	// identity IDs go on counting.
	wantMessage(t, second.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil), http.StatusUnauthorized)
	dave := second.scimUser(tok, "dave@example.com", "Dave")
	okta, _ := second.srv.Store().DirectoryByName("Okta")
	u, _ := okta.SCIM.User(dave)
	if u.IdentityID <= maxIdentityID(want) {
		t.Fatalf("new identity ID %d reuses one of the first run's (max %d)", u.IdentityID, maxIdentityID(want))
	}

	want = state(second.srv)
	if err := second.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	third := openEnv(t, path, clock)
	if diff := cmp.Diff(want, state(third.srv)); diff != "" {
		t.Fatalf("state after a second restart mismatch (-want +got):\n%s", diff)
	}
}

func TestResetEmptiesDataFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mock.db")
	clock := newFakeClock()
	first := openEnv(t, path, clock)
	populate(first)
	before := maxIdentityID(state(first.srv))
	if r := first.send(http.MethodPost, "/_mock/reset", "", nil); r.status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	if err := first.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	second := openEnv(t, path, clock)
	if got := state(second.srv); len(got) != 0 {
		t.Fatalf("%d directories after reset and restart, want none", len(got))
	}
	// Identity IDs are never reused, across a reset and a restart.
	_, tok, err := second.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	second.scimUser(tok, "ann@example.com", "")
	if after := maxIdentityID(state(second.srv)); after <= before {
		t.Fatalf("identity ID %d after reset reuses one of before (max %d)", after, before)
	}
}

// maxIdentityID returns the highest identity ID in the state.
func maxIdentityID(dirs []dirState) int64 {
	var m int64
	for _, d := range dirs {
		for _, u := range d.Users {
			m = max(m, u.IdentityID)
		}
		for _, g := range d.Groups {
			m = max(m, g.IdentityID)
		}
	}
	return m
}

func TestOpenDataFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	journal := filepath.Join(dir, "journal.json") // the format before bbolt
	if err := os.WriteFile(journal, []byte(`{"snapshot":{"nextIdentityId":0,"directories":[]}}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	busy := filepath.Join(dir, "busy.db")
	holder, err := mockserver.Open(busy, mockserver.Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = holder.Close() })

	tests := []struct{ name, path string }{
		{name: "not a bbolt file", path: journal},
		{name: "in use by another server", path: busy},
		{name: "missing directory", path: filepath.Join(dir, "nope", "mock.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, err := mockserver.Open(tt.path, mockserver.Options{})
			if err == nil {
				_ = srv.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Fatalf("error %q does not name the file", err)
			}
		})
	}
}

func TestClosedDataFileRefusesWrites(t *testing.T) {
	t.Parallel()
	e := openEnv(t, filepath.Join(t.TempDir(), "mock.db"), newFakeClock())
	admin := e.accessToken()
	_, tok, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	wantMessage(t, e.send(http.MethodPost, "/admin/v2/directoryIntegrations", admin,
		map[string]string{"name": "Entra", "identityProvider": "entra_id"}), http.StatusInternalServerError)
	wantSCIMError(t, e.send(http.MethodPost, "/identity/v2/scim/Users", tok, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "late@example.com",
	}), http.StatusInternalServerError)
	wantMessage(t, e.send(http.MethodPost, "/_mock/reset", "", nil), http.StatusInternalServerError)
}

// BenchmarkSCIMCreateUser measures POST /Users in memory and with a data
// file (one bbolt transaction per write):
//
//	go test -run '^$' -bench SCIMCreateUser -benchtime 2000x ./internal/mockserver/
func BenchmarkSCIMCreateUser(b *testing.B) {
	for _, persistent := range []bool{false, true} {
		b.Run(fmt.Sprintf("data=%v", persistent), func(b *testing.B) {
			srv := mockserver.New(mockserver.Options{})
			if persistent {
				var err error
				if srv, err = mockserver.Open(filepath.Join(b.TempDir(), "mock.db"), mockserver.Options{}); err != nil {
					b.Fatal(err)
				}
				defer func() { _ = srv.Close() }()
			}
			_, tok, err := srv.Bootstrap("Okta", "okta")
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; b.Loop(); i++ {
				body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"u%d@example.com"}`, i)
				req := httptest.NewRequestWithContext(b.Context(), http.MethodPost, "/identity/v2/scim/Users", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+tok)
				rec := httptest.NewRecorder()
				srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusCreated {
					b.Fatalf("POST: %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
