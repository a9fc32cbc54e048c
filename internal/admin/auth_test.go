package admin

import (
	"encoding/base64"
	"errors"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

func TestRefreshTime(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
	tests := map[string]struct {
		expiry time.Time
		want   time.Time
	}{
		"one hour: a minute early":  {expiry: now.Add(time.Hour), want: now.Add(59 * time.Minute)},
		"one second: a tenth early": {expiry: now.Add(time.Second), want: now.Add(900 * time.Millisecond)},
		"five minutes: 30s early":   {expiry: now.Add(5 * time.Minute), want: now.Add(4*time.Minute + 30*time.Second)},
		"no expiry: until rejected": {expiry: time.Time{}, want: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := refreshTime(now, tc.expiry); !got.Equal(tc.want) {
				t.Errorf("refreshTime = %v, want %v", got, tc.want)
			}
		})
	}
}

// tokenServer answers the token endpoint with status and body and every
// other request with an empty list, counting both.
type tokenServer struct {
	status         int
	body           string
	tokens, others atomic.Int32
}

// ServeHTTP implements http.Handler.
func (s *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path != tokenPath {
		s.others.Add(1)
		_, _ = io.WriteString(w, `{"data":[],"total":0}`)
		return
	}
	s.tokens.Add(1)
	w.WriteHeader(s.status)
	_, _ = io.WriteString(w, s.body)
}

func TestTokenEndpointOAuthError(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		status     int
		body       string
		wantStatus int
		wantErr    error    // the sentinel the error must match, if any
		wantText   []string // substrings of the message
	}{
		"200 invalid_client with description": {
			status: 200, body: `{"error":"invalid_client","error_description":"Client authentication failed"}`,
			wantStatus: 401, wantErr: transport.ErrUnauthorized,
			wantText: []string{`OAuth error "invalid_client"`, `"Client authentication failed"`, "check the client ID and client secret", "answered 200 OK"},
		},
		"200 invalid_client with an access token too": {
			status: 200, body: `{"error":"invalid_client","access_token":"x"}`,
			wantStatus: 401, wantErr: transport.ErrUnauthorized, wantText: []string{`OAuth error "invalid_client"`},
		},
		"200 unauthorized_client": {
			status: 200, body: `{"error":"unauthorized_client"}`,
			wantStatus: 401, wantErr: transport.ErrUnauthorized, wantText: []string{`OAuth error "unauthorized_client"`},
		},
		"200 unsupported_grant_type": {
			status: 200, body: `{"error":"unsupported_grant_type","error_description":"grant_type must be client_credentials"}`,
			wantStatus: 400, wantText: []string{`OAuth error "unsupported_grant_type"`, `"grant_type must be client_credentials"`},
		},
		"200 error echoing the secret": {
			status: 200, body: `{"error":"invalid_client","error_description":"secret ` + testClientSecret + ` is wrong"}`,
			wantStatus: 401, wantErr: transport.ErrUnauthorized, wantText: []string{`OAuth error "invalid_client"`, "secret [redacted] is wrong"},
		},
		"400 invalid_client keeps its status": {
			status: 400, body: `{"error":"invalid_client","error_description":"unknown client"}`,
			wantStatus: 400, wantText: []string{`OAuth error "invalid_client"`, `"unknown client"`, "check the client ID and client secret"},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := &tokenServer{status: tc.status, body: tc.body}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			c, err := NewClient(Config{BaseURL: ts.URL, ClientID: testClientID, ClientSecret: testClientSecret,
				Config: transport.Config{MaxRetries: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond, RateLimit: math.Inf(1)}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.DirectoryIntegrations.List(t.Context())
			apiErr, ok := errors.AsType[*transport.APIError](err)
			if !ok || apiErr.Path != tokenPath || apiErr.StatusCode != tc.wantStatus {
				t.Fatalf("List: %v, want an *APIError %d of %s", err, tc.wantStatus, tokenPath)
			}
			if tc.wantErr != nil && !errors.Is(err, tc.wantErr) {
				t.Errorf("List: %v, want %v", err, tc.wantErr)
			}
			msg := err.Error()
			for _, s := range tc.wantText {
				if !strings.Contains(msg, s) {
					t.Errorf("message %q lacks %q", msg, s)
				}
			}
			basic := base64.StdEncoding.EncodeToString([]byte(testClientID + ":" + testClientSecret))
			if strings.Contains(msg, testClientSecret) || strings.Contains(msg, basic) {
				t.Errorf("message %q contains the client secret", msg)
			}
			if n := srv.tokens.Load(); n != 1 {
				t.Errorf("%d token requests, want 1 (no retry)", n)
			}
			if n := srv.others.Load(); n != 0 {
				t.Errorf("%d API requests, want none", n)
			}
		})
	}
}
