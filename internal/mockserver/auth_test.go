package mockserver_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

func TestToken(t *testing.T) {
	t.Parallel()
	const id, secret = "client-1", "s3cr:et/+&=" //nolint:gosec // G101: a test credential.
	cases := []struct {
		name       string
		user, pass string // Basic credentials, none when user is empty
		form       string
		wantStatus int
	}{
		{"basic", id, secret, "grant_type=client_credentials", http.StatusOK},
		{"form fields", "", "", "grant_type=client_credentials&client_id=client-1&client_secret=s3cr%3Aet%2F%2B%26%3D", http.StatusOK},
		{"basic url-encoded as oauth2 sends it", "client-1", "s3cr%3Aet%2F%2B%26%3D", "grant_type=client_credentials", http.StatusOK},
		{"wrong secret", id, "wrong", "grant_type=client_credentials", http.StatusUnauthorized},
		{"unknown client", "other", secret, "grant_type=client_credentials", http.StatusUnauthorized},
		{"no credentials", "", "", "grant_type=client_credentials", http.StatusUnauthorized},
		{"wrong secret in form", "", "", "grant_type=client_credentials&client_id=client-1&client_secret=x", http.StatusUnauthorized},
		{"missing grant", id, secret, "", http.StatusBadRequest},
		{"unsupported grant", id, secret, "grant_type=password", http.StatusBadRequest},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{ClientID: id, ClientSecret: secret, AccessTokenTTL: 90 * time.Second})
			r := e.tokenRequest(tc.user, tc.pass, tc.form)
			if bytes.Contains(r.body, []byte(secret)) {
				t.Errorf("the client secret leaks into the answer: %s", r.body)
			}
			if tc.wantStatus != http.StatusOK {
				wantMessage(t, r, tc.wantStatus)
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("status = %d, body %s", r.status, r.body)
			}
			var got map[string]any
			r.json(t, &got)
			if tok, _ := got["access_token"].(string); len(tok) < 32 {
				t.Errorf("access_token %q is too short", tok)
			}
			delete(got, "access_token")
			want := map[string]any{"token_type": "bearer", "expires_in": float64(90)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("token answer mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokenOAuth2Client(t *testing.T) {
	t.Parallel()
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		e := newEnv(t, mockserver.Options{ClientID: "id with space", ClientSecret: "p@ss:w/rd"})
		cfg := clientcredentials.Config{
			ClientID: "id with space", ClientSecret: "p@ss:w/rd",
			TokenURL: e.ts.URL + "/auth/v2/token", AuthStyle: style,
		}
		tok, err := cfg.Token(t.Context())
		if err != nil {
			t.Fatalf("auth style %v: %v", style, err)
		}
		r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", tok.AccessToken, nil)
		if r.status != http.StatusOK {
			t.Errorf("auth style %v: list with the token: %d %s", style, r.status, r.body)
		}
	}
}

func TestAdminAuth(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		auth       func(e *env) string // the Authorization header
		wantStatus int
		wantInMsg  string
	}{
		{"valid", func(e *env) string { return "Bearer " + e.accessToken() }, http.StatusOK, ""},
		{"lower-case scheme", func(e *env) string { return "bearer " + e.accessToken() }, http.StatusOK, ""},
		{"missing", func(*env) string { return "" }, http.StatusUnauthorized, "missing"},
		{"basic scheme", func(*env) string { return "Basic bW9jazptb2Nr" }, http.StatusUnauthorized, "missing"},
		{"unknown", func(*env) string { return "Bearer nope" }, http.StatusUnauthorized, "unknown"},
		{"expired", func(e *env) string {
			tok := e.accessToken()
			e.clock.Advance(time.Hour)
			return "Bearer " + tok
		}, http.StatusUnauthorized, "expired"},
		{"SCIM token", func(e *env) string {
			_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
			if err != nil {
				e.t.Fatal(err)
			}
			return "Bearer " + scimToken
		}, http.StatusUnauthorized, "provisioning token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{AccessTokenTTL: time.Hour})
			header := tc.auth(e)
			for _, path := range []string{"/admin/v2/directoryIntegrations", "/reports/v2/identities"} {
				req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, e.ts.URL+path, nil)
				if err != nil {
					t.Fatal(err)
				}
				if h := header; h != "" {
					req.Header.Set("Authorization", h)
				}
				r := e.do(req)
				if tc.wantStatus == http.StatusOK {
					if r.status != http.StatusOK {
						t.Fatalf("%s: %d %s", path, r.status, r.body)
					}
					continue
				}
				wantMessage(t, r, tc.wantStatus)
				if msg := r.message(t); !strings.Contains(msg, tc.wantInMsg) {
					t.Errorf("%s: message %q does not mention %q", path, msg, tc.wantInMsg)
				}
				if r.header.Get("WWW-Authenticate") == "" {
					t.Errorf("%s: no WWW-Authenticate challenge", path)
				}
			}
		})
	}
}

func TestSCIMAuth(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		token      func(e *env, admin, dirID string) string // the bearer token to use on SCIM
		wantStatus int
	}{
		{"valid", func(e *env, admin, id string) string { return e.newSCIMToken(admin, id, nil) }, http.StatusOK},
		{"missing", func(*env, string, string) string { return "" }, http.StatusUnauthorized},
		{"unknown", func(*env, string, string) string { return "not-a-token" }, http.StatusUnauthorized},
		{"admin access token", func(_ *env, admin, _ string) string { return admin }, http.StatusUnauthorized},
		{"revoked", func(e *env, admin, id string) string {
			tok := e.newSCIMToken(admin, id, nil)
			if r := e.send(http.MethodDelete, "/admin/v2/directoryIntegrations/"+id+"/provisioningToken", admin, nil); r.status != http.StatusNoContent {
				e.t.Fatalf("revoke: %d %s", r.status, r.body)
			}
			return tok
		}, http.StatusUnauthorized},
		{"replaced by a new one", func(e *env, admin, id string) string {
			old := e.newSCIMToken(admin, id, nil)
			e.newSCIMToken(admin, id, nil)
			return old
		}, http.StatusUnauthorized},
		{"new one after regenerate", func(e *env, admin, id string) string {
			e.newSCIMToken(admin, id, nil)
			return e.newSCIMToken(admin, id, nil)
		}, http.StatusOK},
		{"expired", func(e *env, admin, id string) string {
			tok := e.newSCIMToken(admin, id, map[string]int{"expiresInDays": 1})
			e.clock.Advance(24 * time.Hour)
			return tok
		}, http.StatusUnauthorized},
		{"not yet expired", func(e *env, admin, id string) string {
			tok := e.newSCIMToken(admin, id, map[string]int{"expiresInDays": 1})
			e.clock.Advance(23 * time.Hour)
			return tok
		}, http.StatusOK},
		{"directory deleted", func(e *env, admin, id string) string {
			tok := e.newSCIMToken(admin, id, nil)
			if r := e.send(http.MethodDelete, "/admin/v2/directoryIntegrations/"+id, admin, nil); r.status != http.StatusNoContent {
				e.t.Fatalf("delete: %d %s", r.status, r.body)
			}
			return tok
		}, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{AccessTokenTTL: 72 * time.Hour})
			admin := e.accessToken()
			dir := e.createDirectory(admin, "Okta", "okta")
			r := e.send(http.MethodGet, "/identity/v2/scim/Users?startIndex=1&count=2", tc.token(e, admin, dir.ID), nil)
			if tc.wantStatus == http.StatusOK {
				if r.status != http.StatusOK {
					t.Fatalf("status = %d, body %s", r.status, r.body)
				}
				return
			}
			wantSCIMError(t, r, tc.wantStatus)
		})
	}
}

func TestSCIMTokenLastUsed(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	dir := e.createDirectory(admin, "Okta", "okta")
	scimToken := e.newSCIMToken(admin, dir.ID, nil)
	path := "/admin/v2/directoryIntegrations/" + dir.ID + "/provisioningToken"

	var meta struct{ LastUsedAt *string }
	e.send(http.MethodGet, path, admin, nil).json(t, &meta)
	if meta.LastUsedAt != nil {
		t.Fatalf("lastUsedAt = %q before any use, want null", *meta.LastUsedAt)
	}
	e.clock.Advance(time.Minute)
	if r := e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil); r.status != http.StatusOK {
		t.Fatalf("SCIM call: %d %s", r.status, r.body)
	}
	e.send(http.MethodGet, path, admin, nil).json(t, &meta)
	want := "2026-03-18T12:21:00Z"
	if meta.LastUsedAt == nil || *meta.LastUsedAt != want {
		t.Errorf("lastUsedAt = %v, want %s", meta.LastUsedAt, want)
	}
}

func TestAdminRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{AdminRateLimit: 5})
	admin := e.accessToken()
	var got []int
	for range 6 {
		got = append(got, e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil).status)
	}
	e.clock.Advance(time.Second)
	last := e.send(http.MethodGet, "/reports/v2/identities", admin, nil)
	got = append(got, last.status)
	want := []int{200, 200, 200, 200, 200, 429, 200}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statuses mismatch (-want +got):\n%s", diff)
	}
	r := e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil)
	for range 5 {
		r = e.send(http.MethodGet, "/admin/v2/directoryIntegrations", admin, nil)
	}
	if msg := r.message(t); r.status != http.StatusTooManyRequests || msg != "Too many requests. Retry request." {
		t.Errorf("over the limit: %d %q", r.status, msg)
	}
}

func TestLogsHaveNoSecrets(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	e := newEnv(t, mockserver.Options{Logger: logger})
	admin := e.accessToken()
	dir := e.createDirectory(admin, "Okta", "okta")
	scimToken := e.newSCIMToken(admin, dir.ID, nil)
	e.scimUser(scimToken, "jane@example.com", "Jane")
	e.srv.SetFaults(mockserver.FaultRule{Rate503: 1})
	e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil)
	e.tokenRequest(mockserver.DefaultClientID, "wrong-secret", "grant_type=client_credentials")

	out := logs.String()
	if !strings.Contains(out, "POST /identity/v2/scim/Users") || !strings.Contains(out, "fault injected") {
		t.Fatalf("the log lacks the request and fault records:\n%s", out)
	}
	for _, secret := range []string{mockserver.DefaultClientSecret, "wrong-secret", admin, scimToken} {
		if strings.Contains(out, secret) {
			t.Errorf("the log contains the secret %q", secret)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the server's concurrent writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
