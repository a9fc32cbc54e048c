package mockserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

const directoriesPath = "/admin/v2/directoryIntegrations"

func TestCreateDirectory(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	got := e.createDirectory(admin, "OKTA Integration", "okta")
	want := directory{
		Name: "OKTA Integration", IdentityProvider: "okta", ProvisioningMethod: "idp",
		ProvisioningURL: e.ts.URL + "/identity/v2/scim",
		CreatedAt:       "2026-03-18T12:20:00Z", ModifiedAt: "2026-03-18T12:20:00Z",
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(directory{}, "ID")); diff != "" {
		t.Errorf("created directory mismatch (-want +got):\n%s", diff)
	}
	if len(got.ID) != 36 {
		t.Errorf("id %q is not a UUID", got.ID)
	}
	var fetched directory
	e.send(http.MethodGet, directoriesPath+"/"+got.ID, admin, nil).json(t, &fetched)
	if diff := cmp.Diff(got, fetched); diff != "" {
		t.Errorf("GET differs from POST (-post +get):\n%s", diff)
	}
	if d, ok := e.srv.Store().DirectoryByName("okta integration"); !ok || d.ID != got.ID {
		t.Errorf("Store.DirectoryByName = %+v, %v", d, ok)
	}
}

func TestCreateDirectoryErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		body       any
		wantStatus int
		wantInMsg  string
	}{
		{"duplicate name in other case", map[string]string{"name": "okta", "identityProvider": "okta"}, http.StatusConflict, "already exists"},
		{"blank name", map[string]string{"name": "  ", "identityProvider": "okta"}, http.StatusBadRequest, "name"},
		{"name too long", map[string]string{"name": strings.Repeat("é", 256), "identityProvider": "okta"}, http.StatusBadRequest, "255"},
		{"unknown IdP", map[string]string{"name": "x", "identityProvider": "azure"}, http.StatusBadRequest, "entra_id"},
		{"missing IdP", map[string]string{"name": "x"}, http.StatusBadRequest, "identityProvider"},
		{"unknown field", map[string]string{"name": "x", "identityProvider": "okta", "color": "red"}, http.StatusBadRequest, "color"},
		{"malformed JSON", `{"name":`, http.StatusBadRequest, "JSON"},
		{"trailing data", `{"name":"x","identityProvider":"okta"} {}`, http.StatusBadRequest, "after"},
		{"empty body", "", http.StatusBadRequest, "empty"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{})
			admin := e.accessToken()
			e.createDirectory(admin, "OKTA", "okta")
			r := e.send(http.MethodPost, directoriesPath, admin, tc.body)
			wantMessage(t, r, tc.wantStatus)
			if msg := r.message(t); !strings.Contains(msg, tc.wantInMsg) {
				t.Errorf("message %q does not mention %q", msg, tc.wantInMsg)
			}
			if n := len(e.srv.Store().Directories()); n != 1 {
				t.Errorf("store holds %d directories after a refused create, want 1", n)
			}
		})
	}
}

func TestCreateDirectoryLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	for i := range 10 {
		e.createDirectory(admin, fmt.Sprintf("dir %d", i), "other")
	}
	r := e.send(http.MethodPost, directoriesPath, admin, map[string]string{"name": "eleventh", "identityProvider": "okta"})
	wantMessage(t, r, http.StatusBadRequest)
	if msg := r.message(t); !strings.Contains(msg, "10") {
		t.Errorf("message %q does not give the limit", msg)
	}
}

func TestListDirectories(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	var names []string
	for i := range 5 {
		names = append(names, e.createDirectory(admin, fmt.Sprintf("dir %d", i), "okta").Name)
	}
	type page struct {
		Data                 []directory
		Offset, Limit, Total int
	}
	cases := []struct {
		query     string
		wantNames []string
		wantPage  page
	}{
		{"", names, page{Offset: 0, Limit: 100, Total: 5}},
		{"?offset=0&limit=2", names[:2], page{Offset: 0, Limit: 2, Total: 5}},
		{"?offset=2&limit=2", names[2:4], page{Offset: 2, Limit: 2, Total: 5}},
		{"?offset=4&limit=2", names[4:], page{Offset: 4, Limit: 2, Total: 5}},
		{"?offset=9&limit=100", nil, page{Offset: 9, Limit: 100, Total: 5}},
	}
	for _, tc := range cases {
		t.Run(tc.query, func(t *testing.T) {
			t.Parallel()
			r := e.on(t).send(http.MethodGet, directoriesPath+tc.query, admin, nil)
			var got page
			r.json(t, &got)
			var gotNames []string
			for _, d := range got.Data {
				gotNames = append(gotNames, d.Name)
			}
			if diff := cmp.Diff(tc.wantNames, gotNames); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
			got.Data = nil
			if diff := cmp.Diff(tc.wantPage, got); diff != "" {
				t.Errorf("paging mismatch (-want +got):\n%s", diff)
			}
		})
	}
	for _, q := range []string{"?limit=0", "?limit=101", "?limit=x", "?offset=-1", "?offset=1.5"} {
		t.Run(q, func(t *testing.T) {
			t.Parallel()
			wantMessage(t, e.on(t).send(http.MethodGet, directoriesPath+q, admin, nil), http.StatusBadRequest)
		})
	}
}

func TestPatchDirectory(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		body       any
		wantStatus int
		wantName   string
	}{
		{"rename", map[string]string{"name": "Renamed"}, http.StatusOK, "Renamed"},
		{"rename with the same IdP", map[string]string{"name": "Renamed", "identityProvider": "okta"}, http.StatusOK, "Renamed"},
		{"change letter case of own name", map[string]string{"name": "okta"}, http.StatusOK, "okta"},
		{"IdP change", map[string]string{"name": "Renamed", "identityProvider": "entra_id"}, http.StatusBadRequest, "OKTA"},
		{"name taken", map[string]string{"name": "ENTRA"}, http.StatusConflict, "OKTA"},
		{"blank name", map[string]string{"name": ""}, http.StatusBadRequest, "OKTA"},
		{"no name", map[string]string{}, http.StatusBadRequest, "OKTA"},
		{"unknown field", map[string]string{"name": "x", "id": "y"}, http.StatusBadRequest, "OKTA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{})
			admin := e.accessToken()
			dir := e.createDirectory(admin, "OKTA", "okta")
			e.createDirectory(admin, "Entra", "entra_id")
			e.clock.Advance(time.Minute)
			r := e.send(http.MethodPatch, directoriesPath+"/"+dir.ID, admin, tc.body)
			if tc.wantStatus != http.StatusOK {
				wantMessage(t, r, tc.wantStatus)
			} else if r.status != http.StatusOK {
				t.Fatalf("status = %d, body %s", r.status, r.body)
			}
			var got directory
			e.send(http.MethodGet, directoriesPath+"/"+dir.ID, admin, nil).json(t, &got)
			want := dir
			want.Name = tc.wantName
			if tc.wantStatus == http.StatusOK {
				want.ModifiedAt = "2026-03-18T12:21:00Z"
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("directory after PATCH mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDirectoryNotFound(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	dir := e.createDirectory(admin, "OKTA", "okta")
	if r := e.send(http.MethodDelete, directoriesPath+"/"+dir.ID, admin, nil); r.status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.status, r.body)
	}
	cases := []struct{ method, path string }{
		{http.MethodGet, directoriesPath + "/" + dir.ID},
		{http.MethodPatch, directoriesPath + "/" + dir.ID},
		{http.MethodDelete, directoriesPath + "/" + dir.ID},
		{http.MethodGet, directoriesPath + "/unknown"},
		{http.MethodPost, directoriesPath + "/unknown/provisioningToken"},
		{http.MethodGet, directoriesPath + "/unknown/provisioningToken"},
		{http.MethodDelete, directoriesPath + "/unknown/provisioningToken"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			wantMessage(t, e.on(t).send(tc.method, tc.path, admin, nil), http.StatusNotFound)
		})
	}
	if _, ok := e.srv.Store().Directory(dir.ID); ok {
		t.Error("the deleted directory is still in the store")
	}
}

func TestDeleteDirectoryRemovesSCIMData(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	dir := e.createDirectory(admin, "OKTA", "okta")
	scimToken := e.newSCIMToken(admin, dir.ID, nil)
	e.scimUser(scimToken, "jane@example.com", "Jane Doe")
	e.scimGroup(scimToken, "Engineering")

	var got directory
	e.send(http.MethodGet, directoriesPath+"/"+dir.ID, admin, nil).json(t, &got)
	if got.UserCount != 1 || got.GroupCount != 1 {
		t.Fatalf("userCount, groupCount = %d, %d, want 1, 1", got.UserCount, got.GroupCount)
	}
	e.send(http.MethodDelete, directoriesPath+"/"+dir.ID, admin, nil)
	wantSCIMError(t, e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil), http.StatusUnauthorized)
	var ids struct{ Data []any }
	e.send(http.MethodGet, "/reports/v2/identities", admin, nil).json(t, &ids)
	if len(ids.Data) != 0 {
		t.Errorf("identities after delete = %v, want none", ids.Data)
	}
	// The name is free again.
	e.createDirectory(admin, "OKTA", "okta")
}

func TestProvisioningToken(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	dir := e.createDirectory(admin, "OKTA", "okta")
	path := directoriesPath + "/" + dir.ID + "/provisioningToken"

	wantMessage(t, e.send(http.MethodGet, path, admin, nil), http.StatusNotFound)

	r := e.send(http.MethodPost, path, admin, map[string]int{"expiresInDays": 30})
	if r.status != http.StatusCreated {
		t.Fatalf("POST: %d %s", r.status, r.body)
	}
	var created map[string]any
	r.json(t, &created)
	tok, _ := created["token"].(map[string]any)
	secret, _ := tok["token"].(string)
	if len(secret) != 43 {
		t.Errorf("token %q is not 32 bytes of unpadded URL-safe base64", secret)
	}
	wantCreated := map[string]any{"message": "success", "token": map[string]any{
		"id": tok["id"], "token": secret, "generatedAt": "2026-03-18T12:20:00Z", "expiresAt": "2026-04-17T12:20:00Z",
	}}
	if diff := cmp.Diff(wantCreated, created); diff != "" {
		t.Errorf("POST answer mismatch (-want +got):\n%s", diff)
	}

	meta := e.send(http.MethodGet, path, admin, nil)
	if strings.Contains(string(meta.body), secret) {
		t.Fatalf("GET metadata leaks the secret: %s", meta.body)
	}
	var gotMeta map[string]any
	meta.json(t, &gotMeta)
	wantMeta := map[string]any{
		"id": tok["id"], "generatedAt": "2026-03-18T12:20:00Z", "expiresAt": "2026-04-17T12:20:00Z", "lastUsedAt": nil,
	}
	if diff := cmp.Diff(wantMeta, gotMeta); diff != "" {
		t.Errorf("GET metadata mismatch (-want +got):\n%s", diff)
	}
	stored, _ := e.srv.Store().Directory(dir.ID)
	if stored.Token == nil || stored.Token.Hash == [32]byte{} {
		t.Errorf("store token = %+v, want its hash", stored.Token)
	}

	if r := e.send(http.MethodDelete, path, admin, nil); r.status != http.StatusNoContent {
		t.Fatalf("DELETE: %d %s", r.status, r.body)
	}
	wantMessage(t, e.send(http.MethodGet, path, admin, nil), http.StatusNotFound)
	wantMessage(t, e.send(http.MethodDelete, path, admin, nil), http.StatusNotFound)
}

func TestProvisioningTokenRequest(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name          string
		body          any
		wantStatus    int
		wantExpiresAt any
	}{
		{"no body", nil, http.StatusCreated, nil},
		{"empty object", map[string]any{}, http.StatusCreated, nil},
		{"null days", map[string]any{"expiresInDays": nil}, http.StatusCreated, nil},
		{"one day", map[string]any{"expiresInDays": 1}, http.StatusCreated, "2026-03-19T12:20:00Z"},
		{"365 days", map[string]any{"expiresInDays": 365}, http.StatusCreated, "2027-03-18T12:20:00Z"},
		{"zero days", map[string]any{"expiresInDays": 0}, http.StatusBadRequest, nil},
		{"366 days", map[string]any{"expiresInDays": 366}, http.StatusBadRequest, nil},
		{"days as string", map[string]any{"expiresInDays": "3"}, http.StatusBadRequest, nil},
		{"unknown field", map[string]any{"days": 3}, http.StatusBadRequest, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{})
			admin := e.accessToken()
			dir := e.createDirectory(admin, "OKTA", "okta")
			r := e.send(http.MethodPost, directoriesPath+"/"+dir.ID+"/provisioningToken", admin, tc.body)
			if tc.wantStatus != http.StatusCreated {
				wantMessage(t, r, tc.wantStatus)
				return
			}
			var got struct{ Token map[string]any }
			r.json(t, &got)
			if r.status != tc.wantStatus || got.Token["expiresAt"] != tc.wantExpiresAt {
				t.Errorf("got %d expiresAt %v, want %d %v", r.status, got.Token["expiresAt"], tc.wantStatus, tc.wantExpiresAt)
			}
		})
	}
}

func TestConcurrentAdmin(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{MaxDirectories: 50})
	admin := e.accessToken()
	var wg sync.WaitGroup
	statuses := make(chan int, 20)
	for i := range 20 {
		wg.Go(func() {
			if err := provision(e, admin, i); err != nil {
				t.Error(err)
			}
		})
		wg.Go(func() {
			r, err := e.try(http.MethodPost, directoriesPath, admin, map[string]string{"name": "same", "identityProvider": "okta"})
			if err != nil {
				t.Error(err)
			}
			statuses <- r.status
		})
	}
	wg.Wait()
	close(statuses)
	count := map[int]int{}
	for s := range statuses {
		count[s]++
	}
	if diff := cmp.Diff(map[int]int{http.StatusCreated: 1, http.StatusConflict: 19}, count); diff != "" {
		t.Errorf("concurrent duplicate creates (-want +got):\n%s", diff)
	}
	if n := len(e.srv.Store().Directories()); n != 21 {
		t.Errorf("store holds %d directories, want 21", n)
	}
}

// provision creates directory i with a token and a SCIM user, then lists the
// directories, without failing the test from a goroutine.
func provision(e *env, admin string, i int) error {
	r, err := expect(http.StatusCreated)(e.try(http.MethodPost, directoriesPath, admin,
		map[string]string{"name": fmt.Sprintf("dir %d", i), "identityProvider": "okta"}))
	if err != nil {
		return err
	}
	var d directory
	if err := json.Unmarshal(r.body, &d); err != nil {
		return err
	}
	r, err = expect(http.StatusCreated)(e.try(http.MethodPost, directoriesPath+"/"+d.ID+"/provisioningToken", admin, nil))
	if err != nil {
		return err
	}
	var tok struct{ Token struct{ Token string } }
	if err := json.Unmarshal(r.body, &tok); err != nil {
		return err
	}
	_, err = expect(http.StatusCreated)(e.try(http.MethodPost, "/identity/v2/scim/Users", tok.Token.Token, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": fmt.Sprintf("user%d@example.com", i),
	}))
	if err != nil {
		return err
	}
	_, err = expect(http.StatusOK)(e.try(http.MethodGet, directoriesPath, admin, nil))
	return err
}

// expect turns an answer with an unwanted status into an error.
func expect(status int) func(response, error) (response, error) {
	return func(r response, err error) (response, error) {
		if err == nil && r.status != status {
			err = fmt.Errorf("status %d, want %d: %s", r.status, status, r.body)
		}
		return r, err
	}
}
