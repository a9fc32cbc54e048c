package mockserver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// quirksAnswer is the body of GET and POST /_mock/quirks.
type quirksAnswer struct {
	Quirks []string `json:"quirks"`
}

// getQuirks returns what GET /_mock/quirks says.
func (e *env) getQuirks() []string {
	e.t.Helper()
	var got quirksAnswer
	r := e.send(http.MethodGet, "/_mock/quirks", "", nil)
	if r.status != http.StatusOK {
		e.t.Fatalf("GET /_mock/quirks: %d %s", r.status, r.body)
	}
	r.json(e.t, &got)
	return got.Quirks
}

// patchStatus sends a PATCH of userID's displayName and returns the status.
func (e *env) patchStatus(scimToken, userID string) int {
	e.t.Helper()
	return e.send(http.MethodPatch, "/identity/v2/scim/Users/"+userID, scimToken, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []map[string]any{{"op": "replace", "path": "displayName", "value": "Jane"}},
	}).status
}

// TestQuirksControl sets quirks over /_mock/quirks, sees the SCIM endpoint
// follow them, and sees POST /_mock/reset leave them alone.
func TestQuirksControl(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	userID := e.scimUser(scimToken, "jane@example.com", "Jane Doe")
	if diff := cmp.Diff([]string{}, e.getQuirks()); diff != "" {
		t.Fatalf("GET /_mock/quirks at start (-want +got):\n%s", diff)
	}
	if s := e.patchStatus(scimToken, userID); s != http.StatusOK {
		t.Errorf("PATCH without quirks: %d, want 200", s)
	}

	r := e.send(http.MethodPost, "/_mock/quirks", "", map[string]any{"quirks": []string{"patch-204", "no-meta"}})
	var got quirksAnswer
	r.json(t, &got)
	if r.status != http.StatusOK || !cmp.Equal([]string{"no-meta", "patch-204"}, got.Quirks) {
		t.Fatalf("POST /_mock/quirks: %d %s, want 200 with the quirks in canonical order", r.status, r.body)
	}
	if q := e.srv.Quirks(); q != scimserver.QuirkNoMeta|scimserver.QuirkPatch204 {
		t.Errorf("Quirks() = %v", q)
	}
	if s := e.patchStatus(scimToken, userID); s != http.StatusNoContent {
		t.Errorf("PATCH with patch-204: %d, want 204", s)
	}

	e.send(http.MethodPost, "/_mock/reset", "", nil)
	if diff := cmp.Diff([]string{"no-meta", "patch-204"}, e.getQuirks()); diff != "" {
		t.Errorf("POST /_mock/reset changed the quirks (-want +got):\n%s", diff)
	}

	r = e.send(http.MethodPost, "/_mock/quirks", "", map[string]any{"quirks": []string{}})
	if r.status != http.StatusOK || e.srv.Quirks() != 0 {
		t.Fatalf("POST /_mock/quirks []: %d %s", r.status, r.body)
	}
	_, scimToken, err = e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	userID = e.scimUser(scimToken, "jane@example.com", "Jane Doe")
	if s := e.patchStatus(scimToken, userID); s != http.StatusOK {
		t.Errorf("PATCH after turning the quirks off: %d, want 200", s)
	}
}

// TestQuirksControlRejectsBadBodies: a body that is not a list of known,
// compatible quirk names is a 400 that changes nothing.
func TestQuirksControlRejectsBadBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{Quirks: scimserver.QuirkCreate200})
	tests := []struct {
		name string
		body any
		want string // part of the message
	}{
		{"empty object", map[string]any{}, `send {"quirks": [names]} with names among json-content-type, no-meta,`},
		{"null", map[string]any{"quirks": nil}, `send {"quirks": [names]}`},
		{"string", map[string]any{"quirks": "patch-204"}, "quirks must be a list of names"},
		{"unknown name", map[string]any{"quirks": []string{"patch-205"}}, `unknown quirk "patch-205": valid quirks are json-content-type, no-meta,`},
		{"conflict", map[string]any{"quirks": []string{"integer-ids", "base64-ids"}}, "quirks integer-ids and base64-ids conflict"},
		{"unknown field", map[string]any{"quirks": []string{}, "strict": true}, `unknown field "strict"`},
		{"not an object", "[]", "invalid JSON body"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := e.on(t).send(http.MethodPost, "/_mock/quirks", "", tc.body)
			if r.status != http.StatusBadRequest || !strings.Contains(r.message(t), tc.want) {
				t.Errorf("POST /_mock/quirks %v: %d %s, want 400 containing %q", tc.body, r.status, r.body, tc.want)
			}
		})
	}
	if q := e.srv.Quirks(); q != scimserver.QuirkCreate200 {
		t.Errorf("a rejected body changed the quirks to %v", q)
	}
}

func TestSetQuirks(t *testing.T) {
	t.Parallel()
	srv := mockserver.New(mockserver.Options{Quirks: scimserver.QuirkNoMeta})
	if err := srv.SetQuirks(scimserver.QuirkPatch204 | scimserver.QuirkPatchEmpty200); err == nil {
		t.Error("SetQuirks accepted patch-204 with patch-empty-200")
	}
	if q := srv.Quirks(); q != scimserver.QuirkNoMeta {
		t.Errorf("after a refused SetQuirks, Quirks() = %v, want no-meta", q)
	}
	if err := srv.SetQuirks(scimserver.QuirkBase64IDs); err != nil || srv.Quirks() != scimserver.QuirkBase64IDs {
		t.Errorf("SetQuirks(base64-ids) = %v; Quirks() = %v", err, srv.Quirks())
	}
}

func TestNewPanicsOnConflictingQuirks(t *testing.T) {
	t.Parallel()
	defer func() {
		if r := recover(); r == nil || !strings.Contains(fmt.Sprint(r), "selection-refused and selection-ignored") {
			t.Errorf("New with conflicting quirks: recovered %v, want a panic naming them", r)
		}
	}()
	mockserver.New(mockserver.Options{Quirks: scimserver.QuirkSelectionRefused | scimserver.QuirkSelectionIgnored})
}

func TestOpenRefusesConflictingQuirks(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mock.db")
	srv, err := mockserver.Open(path, mockserver.Options{Quirks: scimserver.QuirkIntegerIDs | scimserver.QuirkBase64IDs})
	if err == nil {
		_ = srv.Close()
		t.Fatal("Open accepted integer-ids with base64-ids")
	}
	if !strings.Contains(err.Error(), "integer-ids and base64-ids conflict") {
		t.Errorf("Open: %v", err)
	}
}

// TestQuirkJSONContentTypeEveryAnswer: with json-content-type every answer
// under the SCIM base says application/json, including the errors the
// parent writes (401, 404, 405, 413, injected faults); other families and
// /_mock/ are unchanged.
func TestQuirkJSONContentTypeEveryAnswer(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, method, path string
		token              bool // send the SCIM token
		body               any
		status             int
		scim               bool // a SCIM answer: its type depends on the quirk
	}{
		{"list", http.MethodGet, "/identity/v2/scim/Users", true, nil, 200, true},
		{"discovery", http.MethodGet, "/identity/v2/scim/ServiceProviderConfig", true, nil, 200, true},
		{"trailing slash", http.MethodGet, "/identity/v2/scim/Users/", true, nil, 200, true},
		{"no token", http.MethodGet, "/identity/v2/scim/Users", false, nil, 401, true},
		{"unknown route", http.MethodGet, "/identity/v2/scim/Nope", true, nil, 404, true},
		{"method not allowed", http.MethodPatch, "/identity/v2/scim/Users", true, map[string]any{}, 405, true},
		{"too large", http.MethodPost, "/identity/v2/scim/Users", true, strings.Repeat("x", 2048), 413, true},
		{"fault", http.MethodGet, "/identity/v2/scim/Groups", true, nil, 503, true},
		{"admin", http.MethodGet, "/admin/v2/directoryIntegrations", false, nil, 401, false},
		{"control", http.MethodGet, "/_mock/quirks", false, nil, 200, false},
	}
	for _, quirky := range []bool{false, true} {
		opts := mockserver.Options{MaxBodyBytes: 1024}
		if quirky {
			opts.Quirks = scimserver.QuirkJSONContentType
		}
		e := newEnv(t, opts)
		_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
		if err != nil {
			t.Fatal(err)
		}
		e.srv.SetFaults(mockserver.FaultRule{Route: "GET /identity/v2/scim/Groups", Rate503: 1})
		for _, tc := range tests {
			t.Run(fmt.Sprintf("%s/quirk=%v", tc.name, quirky), func(t *testing.T) {
				token := ""
				if tc.token {
					token = scimToken
				}
				r := e.on(t).send(tc.method, tc.path, token, tc.body)
				want := "application/json"
				if tc.scim && !quirky {
					want = "application/scim+json"
				}
				if r.status != tc.status || r.header.Get("Content-Type") != want {
					t.Errorf("%s %s: %d %q, want %d %q: %s", tc.method, tc.path, r.status, r.header.Get("Content-Type"), tc.status, want, r.body)
				}
			})
		}
	}
}

// TestQuirksLeaveStatsAlone: the same requests count the same with every
// quirk that changes an answer's status or body.
func TestQuirksLeaveStatsAlone(t *testing.T) {
	t.Parallel()
	run := func(q scimserver.Quirks) mockserver.Stats {
		e := newEnv(t, mockserver.Options{Quirks: q})
		_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
		if err != nil {
			t.Fatal(err)
		}
		for _, body := range []any{
			map[string]any{"userName": "jane@example.com"},
			map[string]any{"userName": "john@example.com"},
		} {
			e.send(http.MethodPost, "/identity/v2/scim/Users", scimToken, body)
		}
		e.send(http.MethodGet, "/identity/v2/scim/Users?attributes=userName", scimToken, nil)
		e.send(http.MethodPost, "/identity/v2/scim/Groups", scimToken, map[string]any{"displayName": "Ops", "members": []any{map[string]any{"value": "nope"}}})
		e.send(http.MethodGet, "/identity/v2/scim/Nope", scimToken, nil)
		e.send(http.MethodGet, "/_mock/quirks", "", nil)
		return e.srv.Stats()
	}
	normal := run(0)
	for _, q := range []scimserver.Quirks{
		scimserver.QuirkJSONContentType | scimserver.QuirkNoMeta | scimserver.QuirkAttributeCase | scimserver.QuirkIntegerIDs,
		scimserver.QuirkCreate200 | scimserver.QuirkSelectionRefused | scimserver.QuirkIgnoreUnknownMembers,
		scimserver.QuirkLowercaseValues | scimserver.QuirkFillDisplayName | scimserver.QuirkDropExtension | scimserver.QuirkMembersHidden,
	} {
		got := run(q)
		// Only the classes of the answers the quirks change may differ.
		if diff := cmp.Diff(normal.Requests, got.Requests); diff != "" || got.Total != normal.Total {
			t.Errorf("quirks %v: requests (-normal +quirks):\n%s; total %d, want %d", q, diff, got.Total, normal.Total)
		}
	}
}

// newEnvOf serves srv for the test.
func newEnvOf(t *testing.T, srv *mockserver.Server) *env {
	t.Helper()
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, srv: srv, ts: ts, clock: newFakeClock()}
}

// scimCreate posts a SCIM resource and returns the id in its Location.
func (e *env) scimCreate(scimToken, path string, body any) string {
	e.t.Helper()
	r := e.send(http.MethodPost, "/identity/v2/scim"+path, scimToken, body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("POST %s: %d %s", path, r.status, r.body)
	}
	loc := r.header.Get("Location")
	return loc[strings.LastIndex(loc, "/")+1:]
}

// TestQuirkIntegerIDsOneCounterPerMock: decimal ids come from one counter
// for every directory integration of a mock, and another mock counts for
// itself.
func TestQuirkIntegerIDsOneCounterPerMock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{Quirks: scimserver.QuirkIntegerIDs})
	_, okta, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	_, entra, err := e.srv.Bootstrap("Entra", "entra_id")
	if err != nil {
		t.Fatal(err)
	}
	got := []string{
		e.scimCreate(okta, "/Users", map[string]any{"userName": "jane@example.com"}),
		e.scimCreate(entra, "/Users", map[string]any{"userName": "jane@example.com"}),
		e.scimCreate(okta, "/Groups", map[string]any{"displayName": "Ops"}),
	}
	other := newEnv(t, mockserver.Options{Quirks: scimserver.QuirkIntegerIDs})
	_, tok, err := other.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, other.scimCreate(tok, "/Users", map[string]any{"userName": "jane@example.com"}))
	if diff := cmp.Diff([]string{"1", "2", "3", "1"}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	r := e.send(http.MethodGet, "/identity/v2/scim/Users/1?attributes=userName", okta, nil)
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"id":1,`) {
		t.Errorf("GET /Users/1: %d %s, want the id as a number", r.status, r.body)
	}
}

// TestQuirksPersistence: resources made under quirks persist with their
// ids (-data), a restarted mock's integer ids skip the ones the file
// holds, and the quirks themselves are not persisted.
func TestQuirksPersistence(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "mock.db")
	open := func(q scimserver.Quirks) *env {
		srv, err := mockserver.Open(path, mockserver.Options{Now: newFakeClock().Now, Quirks: q})
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		e := newEnvOf(t, srv)
		t.Cleanup(func() { _ = srv.Close() })
		return e
	}
	e := open(scimserver.QuirkIntegerIDs)
	dir, tok, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	ids := []string{
		e.scimCreate(tok, "/Users", map[string]any{"userName": "jane@example.com"}),
		e.scimCreate(tok, "/Groups", map[string]any{"displayName": "Ops", "members": []any{map[string]any{"value": "1"}}}),
	}
	before := state(e.srv)
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}

	e = open(0)
	if q := e.srv.Quirks(); q != 0 {
		t.Errorf("quirks after a restart without them: %v", q)
	}
	if diff := cmp.Diff(before, state(e.srv)); diff != "" {
		t.Errorf("state after a restart (-before +after):\n%s", diff)
	}
	r := e.send(http.MethodGet, "/identity/v2/scim/Groups/"+ids[1]+"?attributes=members.value", tok, nil)
	if want := `{"id":"2","members":[{"value":"1"}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]}`; r.status != http.StatusOK || string(r.body) != want {
		t.Errorf("GET the group without quirks: %d %s, want %s", r.status, r.body, want)
	}
	if err := e.srv.Close(); err != nil {
		t.Fatal(err)
	}

	e = open(scimserver.QuirkIntegerIDs)
	if id := e.scimCreate(tok, "/Users", map[string]any{"userName": "john@example.com"}); id != "3" {
		t.Errorf("first id after a restart = %q, want 3 (1 and 2 are taken)", id)
	}
	if _, ok := e.srv.Store().Directory(dir.ID); !ok {
		t.Error("the directory is gone")
	}
}
