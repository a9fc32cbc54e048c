package mockserver_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
)

// openEnv starts a mock persisting in path, on the given clock, closed at
// the end of the test. mockserver.Crash stops it as kill -9 would.
func openEnv(t *testing.T, path string, clock *fakeClock) *env {
	t.Helper()
	srv, err := mockserver.Open(path, mockserver.Options{Now: clock.Now})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = srv.Close() }) // a no-op after Crash or Close.
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, srv: srv, ts: ts, clock: clock}
}

// dirState is everything the store holds about one directory integration.
type dirState struct {
	Directory mockserver.Directory
	Users     []scimsp.User
	Groups    []scimsp.Group
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
	crash := func(s *mockserver.Server) error {
		mockserver.Crash(s)
		return nil
	}
	tests := []struct {
		name      string
		stop      func(*mockserver.Server) error // before the restart
		compactAt int64                          // compaction threshold; 0 keeps the default
	}{
		{name: "crash", stop: crash},
		{name: "close", stop: (*mockserver.Server).Close},
		{name: "crash with compactions", stop: crash, compactAt: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "mock.json")
			clock := newFakeClock()
			first := openEnv(t, path, clock)
			if tt.compactAt > 0 {
				mockserver.SetCompactAt(first.srv, tt.compactAt)
			}
			tok, admin := populate(first)
			want := state(first.srv)
			if err := tt.stop(first.srv); err != nil {
				t.Fatalf("stop: %v", err)
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
			if err := tt.stop(second.srv); err != nil {
				t.Fatalf("stop: %v", err)
			}
			third := openEnv(t, path, clock)
			if diff := cmp.Diff(want, state(third.srv)); diff != "" {
				t.Fatalf("state after a second restart mismatch (-want +got):\n%s", diff)
			}
		})
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

func TestOpenDataFileDamage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		damage    func([]byte) []byte
		wantUsers []string // nil: Open fails
	}{
		{
			name:      "intact",
			damage:    func(b []byte) []byte { return b },
			wantUsers: []string{"u1", "u2", "u3"},
		},
		{
			name:      "torn last line",
			damage:    func(b []byte) []byte { return b[:len(b)-10] },
			wantUsers: []string{"u1", "u2"},
		},
		{
			name:      "last line without its newline",
			damage:    func(b []byte) []byte { return b[:len(b)-1] },
			wantUsers: []string{"u1", "u2", "u3"},
		},
		{
			name: "corrupt line before the last",
			damage: func(b []byte) []byte {
				i := bytes.LastIndexByte(b[:len(b)-1], '\n')
				return append(append(bytes.Clone(b[:i-5]), "garbage\n"...), b[i+1:]...)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(t.TempDir(), "mock.json")
			e := openEnv(t, path, newFakeClock())
			_, tok, err := e.srv.Bootstrap("Okta", "okta")
			if err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"u1", "u2", "u3"} {
				e.scimUser(tok, name, "")
			}
			mockserver.Crash(e.srv)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, tt.damage(data), 0o600); err != nil {
				t.Fatal(err)
			}

			srv, err := mockserver.Open(path, mockserver.Options{})
			if tt.wantUsers == nil {
				if err == nil {
					t.Fatal("Open succeeded on a corrupt data file")
				}
				return
			}
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer func() { _ = srv.Close() }()
			okta, _ := srv.Store().DirectoryByName("Okta")
			var got []string
			for _, u := range okta.SCIM.Users() {
				got = append(got, u.UserName)
			}
			if diff := cmp.Diff(tt.wantUsers, got); diff != "" {
				t.Fatalf("users mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestClosedDataFileRefusesWrites(t *testing.T) {
	t.Parallel()
	e := openEnv(t, filepath.Join(t.TempDir(), "mock.json"), newFakeClock())
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

// TestCompactionUnderLoad writes from several goroutines while the data
// file is compacted after nearly every record, then checks that a restart
// restores everything and that the file stayed small.
func TestCompactionUnderLoad(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mock.json")
	e := openEnv(t, path, newFakeClock())
	mockserver.SetCompactAt(e.srv, 4<<10)
	_, tok, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	group := e.scimGroup(tok, "All")
	const writers, perWriter = 4, 40
	var wg sync.WaitGroup
	errs := make(chan error, writers*perWriter)
	for w := range writers {
		wg.Go(func() {
			for i := range perWriter {
				errs <- addUserToGroup(e, tok, group, fmt.Sprintf("w%d-u%d", w, i))
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	want := state(e.srv)
	if got := len(want[0].Groups[0].Members); got != writers*perWriter {
		t.Fatalf("group has %d members, want %d", got, writers*perWriter)
	}
	grown := fileSize(t, path)
	mockserver.Crash(e.srv)
	restored := openEnv(t, path, e.clock)
	if diff := cmp.Diff(want, state(restored.srv)); diff != "" {
		t.Fatalf("restored state mismatch (-want +got):\n%s", diff)
	}
	// Open leaves a bare snapshot. Without compaction, the file would hold
	// a copy of the growing group per PATCH (over ten times the snapshot);
	// with it, the records never outweigh the snapshot by much.
	if snap := fileSize(t, path); grown > 3*snap {
		t.Fatalf("data file grew to %d bytes for a %d-byte snapshot: compaction did not keep up", grown, snap)
	}
}

// fileSize returns the size of the file at path.
func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// addUserToGroup creates a user and adds it to group by PATCH.
func addUserToGroup(e *env, tok, group, userName string) error {
	r, err := e.try(http.MethodPost, "/identity/v2/scim/Users", tok, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": userName,
	})
	if err != nil {
		return err
	}
	if r.status != http.StatusCreated {
		return fmt.Errorf("create %s: %d %s", userName, r.status, r.body)
	}
	var u struct{ ID string }
	if err := json.Unmarshal(r.body, &u); err != nil {
		return fmt.Errorf("create %s: %w", userName, err)
	}
	r, err = e.try(http.MethodPatch, "/identity/v2/scim/Groups/"+group, tok, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "add", "path": "members", "value": []map[string]string{{"value": u.ID}}}},
	})
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return fmt.Errorf("add %s to the group: %d %s", userName, r.status, r.body)
	}
	return nil
}

// BenchmarkSCIMCreateUser measures POST /Users in memory and with a data
// file (one fsync per write):
//
//	go test -run '^$' -bench SCIMCreateUser -benchtime 2000x ./internal/mockserver/
func BenchmarkSCIMCreateUser(b *testing.B) {
	for _, persistent := range []bool{false, true} {
		b.Run(fmt.Sprintf("data=%v", persistent), func(b *testing.B) {
			srv := mockserver.New(mockserver.Options{})
			if persistent {
				var err error
				if srv, err = mockserver.Open(filepath.Join(b.TempDir(), "mock.json"), mockserver.Options{}); err != nil {
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
