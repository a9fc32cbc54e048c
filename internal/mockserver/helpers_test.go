package mockserver_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// fakeClock is a settable clock for Options.Now.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 18, 12, 20, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// env is one mock behind an httptest server, with a fake clock.
type env struct {
	t     *testing.T
	srv   *mockserver.Server
	ts    *httptest.Server
	clock *fakeClock
}

// newEnv starts a mock with opts (Now defaults to a fake clock).
func newEnv(t *testing.T, opts mockserver.Options) *env {
	t.Helper()
	clock := newFakeClock()
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	srv := mockserver.New(opts)
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	return &env{t: t, srv: srv, ts: ts, clock: clock}
}

// response is a finished HTTP exchange.
type response struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into v.
func (r response) json(t *testing.T, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %q: %v", r.body, err)
	}
}

// message returns the "message" of an admin error body.
func (r response) message(t *testing.T) string {
	t.Helper()
	var m struct{ Message string }
	r.json(t, &m)
	return m.Message
}

// on returns a copy of e reporting to t, for subtests sharing one mock.
func (e *env) on(t *testing.T) *env {
	c := *e
	c.t = t
	return &c
}

// send performs a request with an optional bearer token and body (a string
// is sent as is, anything else as JSON).
func (e *env) send(method, path, token string, body any) response {
	e.t.Helper()
	r, err := e.try(method, path, token, body)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// try is send for goroutines: it returns the error instead of failing.
func (e *env) try(method, path, token string, body any) (response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			return response{}, err
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.ts.URL+path, rd)
	if err != nil {
		return response{}, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return roundTrip(e.ts.Client(), req)
}

// do performs req and reads the answer.
func (e *env) do(req *http.Request) response {
	e.t.Helper()
	r, err := roundTrip(e.ts.Client(), req)
	if err != nil {
		e.t.Fatal(err)
	}
	return r
}

// roundTrip performs req and reads the whole answer.
func roundTrip(c *http.Client, req *http.Request) (response, error) {
	resp, err := c.Do(req)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, fmt.Errorf("%s %s: read body: %w", req.Method, req.URL.Path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// tokenRequest posts a form to /auth/v2/token, with Basic credentials when
// user is not empty.
func (e *env) tokenRequest(user, pass, form string) response {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.ts.URL+"/auth/v2/token", strings.NewReader(form))
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if user != "" {
		req.SetBasicAuth(user, pass)
	}
	return e.do(req)
}

// accessToken gets a management API access token with the default
// credentials.
func (e *env) accessToken() string {
	e.t.Helper()
	r := e.tokenRequest(mockserver.DefaultClientID, mockserver.DefaultClientSecret, "grant_type=client_credentials")
	if r.status != http.StatusOK {
		e.t.Fatalf("token: %d %s", r.status, r.body)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	r.json(e.t, &tok)
	return tok.AccessToken
}

// directory is a directory integration as the admin API returns it.
type directory struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	IdentityProvider   string `json:"identityProvider"`
	ProvisioningMethod string `json:"provisioningMethod"`
	ProvisioningURL    string `json:"provisioningUrl"`
	UserCount          int    `json:"userCount"`
	GroupCount         int    `json:"groupCount"`
	CreatedAt          string `json:"createdAt"`
	ModifiedAt         string `json:"modifiedAt"`
}

// createDirectory creates a directory integration through the admin API.
func (e *env) createDirectory(token, name, idp string) directory {
	e.t.Helper()
	r := e.send(http.MethodPost, "/admin/v2/directoryIntegrations", token,
		map[string]string{"name": name, "identityProvider": idp})
	if r.status != http.StatusCreated {
		e.t.Fatalf("create directory %q: %d %s", name, r.status, r.body)
	}
	var d directory
	r.json(e.t, &d)
	return d
}

// newSCIMToken generates a provisioning token for directory id.
func (e *env) newSCIMToken(token, id string, body any) string {
	e.t.Helper()
	r := e.send(http.MethodPost, "/admin/v2/directoryIntegrations/"+id+"/provisioningToken", token, body)
	if r.status != http.StatusCreated {
		e.t.Fatalf("generate token: %d %s", r.status, r.body)
	}
	var resp struct {
		Token struct {
			Token string `json:"token"`
		} `json:"token"`
	}
	r.json(e.t, &resp)
	return resp.Token.Token
}

// scimUser posts a SCIM user and returns its id.
func (e *env) scimUser(scimToken, userName, displayName string) string {
	e.t.Helper()
	r := e.send(http.MethodPost, "/identity/v2/scim/Users", scimToken, map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName":    userName,
		"displayName": displayName,
	})
	return createdID(e.t, r)
}

// scimGroup posts a SCIM group and returns its id.
func (e *env) scimGroup(scimToken, displayName string) string {
	e.t.Helper()
	r := e.send(http.MethodPost, "/identity/v2/scim/Groups", scimToken, map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
		"displayName": displayName,
	})
	return createdID(e.t, r)
}

// createdID returns the id of a 201 SCIM answer.
func createdID(t *testing.T, r response) string {
	t.Helper()
	if r.status != http.StatusCreated {
		t.Fatalf("SCIM create: %d %s", r.status, r.body)
	}
	var obj struct{ ID string }
	r.json(t, &obj)
	return obj.ID
}

// scimErrorBody is an RFC 7644 error.
type scimErrorBody struct {
	Schemas []string `json:"schemas"`
	Status  string   `json:"status"`
}

// wantSCIMError checks that r is an RFC 7644 error with the given status.
func wantSCIMError(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var got scimErrorBody
	r.json(t, &got)
	want := scimErrorBody{
		Schemas: []string{"urn:ietf:params:scim:api:messages:2.0:Error"},
		Status:  strconv.Itoa(status),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("SCIM error body mismatch (-want +got):\n%s", diff)
	}
}

// wantMessage checks that r is an admin error with the given status and a
// non-empty message.
func wantMessage(t *testing.T, r response, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	if msg := r.message(t); msg == "" {
		t.Fatalf("empty message in %s", r.body)
	}
}
