package admin

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// errTooManyCalls ends a list that the canned answer would page forever.
var errTooManyCalls = errors.New("canned transport: too many calls")

// maxCannedCalls bounds the API requests of one operation.
const maxCannedCalls = 4

// cannedAnswer is a status and body.
type cannedAnswer struct {
	status int
	body   []byte
}

// response is the answer to r.
func (a cannedAnswer) response(r *http.Request) *http.Response {
	return &http.Response{
		Status:        http.StatusText(a.status),
		StatusCode:    a.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(bytes.NewReader(a.body)),
		ContentLength: int64(len(a.body)),
		Request:       r,
	}
}

// cannedAdmin answers token requests with token and everything else with
// api, without a network, and remembers the credentials it was sent. The
// fuzz target runs its operations one at a time, so it needs no lock.
type cannedAdmin struct {
	token, api cannedAnswer
	calls      int      // API requests since the last reset
	sent       []string // Authorization header values and their credentials
}

// RoundTrip implements http.RoundTripper.
func (c *cannedAdmin) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	if h := r.Header.Get("Authorization"); h != "" {
		_, cred, _ := strings.Cut(h, " ")
		c.sent = append(c.sent, h, cred)
	}
	if r.URL.Path == tokenPath {
		return c.token.response(r), nil
	}
	if c.calls++; c.calls > maxCannedCalls {
		return nil, errTooManyCalls
	}
	return c.api.response(r), nil
}

// adminFuzzCall is one client operation; lookup marks those that report an
// empty result as transport.ErrNotFound.
type adminFuzzCall struct {
	name   string
	lookup bool
	call   func(t *testing.T, c *Client) error
}

var adminFuzzCalls = []adminFuzzCall{
	{name: "DirectoryIntegrations.Get", call: func(t *testing.T, c *Client) error {
		return second(c.DirectoryIntegrations.Get(t.Context(), "d1"))
	}},
	{name: "DirectoryIntegrations.GetByName", lookup: true, call: func(t *testing.T, c *Client) error {
		return second(c.DirectoryIntegrations.GetByName(t.Context(), "OKTA Integration"))
	}},
	{name: "DirectoryIntegrations.Create", call: func(t *testing.T, c *Client) error {
		return second(c.DirectoryIntegrations.Create(t.Context(), CreateDirectoryIntegrationRequest{Name: "OKTA Integration", IdentityProvider: IdentityProviderOkta}))
	}},
	{name: "DirectoryIntegrations.Delete", call: func(t *testing.T, c *Client) error {
		return c.DirectoryIntegrations.Delete(t.Context(), "d1")
	}},
	{name: "ProvisioningTokens.Generate", call: func(t *testing.T, c *Client) error {
		tok, err := c.ProvisioningTokens.Generate(t.Context(), "d1", nil)
		if err == nil {
			checkRedacted(t, *tok)
		}
		return err
	}},
	{name: "ProvisioningTokens.Get", call: func(t *testing.T, c *Client) error {
		return second(c.ProvisioningTokens.Get(t.Context(), "d1"))
	}},
	{name: "Identities.List", call: func(t *testing.T, c *Client) error {
		return second(c.Identities.List(t.Context(), IdentityQuery{Search: "jane", Types: []string{IdentityTypeDirectoryUser}}))
	}},
}

// FuzzAdminResponses answers the token request and then every admin API
// operation with arbitrary statuses and bodies: never a panic; a refused
// token request is an *transport.APIError of /auth/v2/token (of its status,
// or 400 or 401 for a 2xx carrying an OAuth error); an API error status or
// an unfollowed 3xx is an *transport.APIError of that status matching its
// sentinel; a 2xx fails only to decode or to page; neither errors nor logs
// carry the client secret, its Basic form or an access token; a
// provisioning token prints redacted.
func FuzzAdminResponses(f *testing.F) {
	const okToken = `{"access_token":"fuzz-access-token-5be1c0","token_type":"bearer","expires_in":3600}`
	for _, seed := range []struct {
		tokenStatus uint16
		tokenBody   string
		apiStatus   uint16
		apiBody     string
	}{
		{200, okToken, 200, `{"id":"d1","name":"OKTA Integration","identityProvider":"okta","provisioningMethod":"idp","provisioningUrl":"https://x/identity/v2/scim","userCount":1,"groupCount":2,"createdAt":"2026-03-18T12:30:00Z","modifiedAt":"2026-03-18T12:30:00Z"}`},
		{200, okToken, 201, `{"message":"success","token":{"id":"t1","token":"scim-secret-token","generatedAt":"2026-03-18T12:30:00Z","expiresAt":null}}`},
		{200, okToken, 200, `{"data":[{"id":1,"label":"jane","type":{"id":7,"label":"Directory User","type":"directory_user"},"deleted":false}],"total":1}`},
		{200, okToken, 200, `{"data":[],"total":0}`},
		{200, okToken, 204, ``},
		{200, okToken, 401, `{"message":"expired token"}`},
		{200, okToken, 404, `{"message":"not found"}`},
		{200, okToken, 409, `{"message":"name taken"}`},
		{200, okToken, 429, `{"message":"slow down"}`},
		{200, okToken, 500, "<html>\ninternal\n</html>"},
		{200, okToken, 200, `{"id":"d1","createdAt":"yesterday"}`},
		{401, `{"error":"invalid_client"}`, 200, `{}`},
		{200, `{"error":"invalid_client","access_token":"x"}`, 200, `{}`},
		{200, `{"access_token":""}`, 200, `{}`},
		{200, `{"access_token":"t","expires_in":-5}`, 200, `{}`},
		{200, `{"access_token":"t","expires_in":1e999}`, 200, `{}`},
		{503, `not json`, 200, `{}`},
		{200, `{"error":"invalid_client","error_description":"` + testClientSecret + `"}`, 200, `{}`},
		{200, okToken, 302, `{"id":"d1"}`},
		{200, okToken, 304, ``},
		{200, okToken, 200, directoryPage(0, pageSize, 0)},
	} {
		f.Add(seed.tokenStatus, []byte(seed.tokenBody), seed.apiStatus, []byte(seed.apiBody))
	}
	f.Fuzz(func(t *testing.T, tokenStatus uint16, tokenBody []byte, apiStatus uint16, apiBody []byte) {
		rt := &cannedAdmin{token: cannedAnswer{fuzzStatus(tokenStatus), tokenBody}, api: cannedAnswer{fuzzStatus(apiStatus), apiBody}}
		logger := &memLogger{}
		cfg := Config{BaseURL: "https://admin.invalid", ClientID: testClientID, ClientSecret: testClientSecret}
		cfg.MaxRetries, cfg.RateLimit, cfg.Logger = -1, math.Inf(1), logger
		cfg.HTTPClient = &http.Client{Transport: rt}
		c, err := NewClient(cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, fc := range adminFuzzCalls {
			rt.calls = 0
			checkAdminError(t, fc, rt, fc.call(t, c))
		}
		checkLogs(t, logger, rt.secrets())
	})
}

// fuzzStatus maps a fuzzed number to a status from 200 to 599; 200 to 599
// map to themselves.
func fuzzStatus(raw uint16) int {
	return http.StatusOK + (int(raw)+http.StatusOK)%400
}

// minSecretLen is the shortest fuzzed access token looked for in errors and
// logs: shorter ones ("t") occur in any text.
const minSecretLen = 16

// secrets lists the client secret, its Basic form and every credential the
// client sent, minus those the canned API body holds (an echo is the
// service's doing).
func (c *cannedAdmin) secrets() []string {
	all := append([]string{testClientSecret, base64.StdEncoding.EncodeToString([]byte(testClientID + ":" + testClientSecret))}, c.sent...)
	var out []string
	for _, s := range all {
		if len(s) >= minSecretLen && !bytes.Contains(c.api.body, []byte(s)) {
			out = append(out, s)
		}
	}
	return out
}

// checkAdminError checks the error of one operation.
func checkAdminError(t *testing.T, fc adminFuzzCall, rt *cannedAdmin, err error) {
	t.Helper()
	if err == nil {
		if rt.api.status >= http.StatusMultipleChoices {
			t.Errorf("%s: status %d gave no error", fc.name, rt.api.status)
		}
		return
	}
	for _, s := range rt.secrets() {
		if strings.Contains(err.Error(), s) {
			t.Errorf("%s: error holds the credential %q: %v", fc.name, s, err)
		}
	}
	apiErr, isAPIErr := errors.AsType[*transport.APIError](err)
	switch {
	case isAPIErr && apiErr.Path == tokenPath:
		oauthError := rt.token.status < http.StatusMultipleChoices && strings.Contains(err.Error(), "OAuth error ") &&
			(apiErr.StatusCode == http.StatusBadRequest || apiErr.StatusCode == http.StatusUnauthorized)
		if apiErr.StatusCode != rt.token.status && !oauthError {
			t.Errorf("%s: token status %d gave %v", fc.name, rt.token.status, err)
		}
	case strings.Contains(err.Error(), "requesting an access token"):
		if rt.token.status >= http.StatusBadRequest {
			t.Errorf("%s: token status %d is not an *APIError: %v", fc.name, rt.token.status, err)
		}
	case rt.api.status < http.StatusMultipleChoices:
		expected := strings.Contains(err.Error(), "decoding response: ") || errors.Is(err, errTooManyCalls) ||
			errors.Is(err, ErrInconsistentPages) || fc.lookup && errors.Is(err, transport.ErrNotFound)
		if isAPIErr || !expected {
			t.Errorf("%s: status %d: unexpected error %v", fc.name, rt.api.status, err)
		}
	default:
		checkStatusError(t, fc.name, rt.api.status, err)
	}
}

// statusSentinels maps error statuses to the sentinel they must match.
var statusSentinels = map[int]error{
	http.StatusNotFound:        transport.ErrNotFound,
	http.StatusConflict:        transport.ErrConflict,
	http.StatusUnauthorized:    transport.ErrUnauthorized,
	http.StatusForbidden:       transport.ErrForbidden,
	http.StatusTooManyRequests: transport.ErrRateLimited,
}

// checkStatusError checks that err is an *APIError of status matching
// exactly the sentinel of that status.
func checkStatusError(t *testing.T, name string, status int, err error) {
	t.Helper()
	apiErr, ok := errors.AsType[*transport.APIError](err)
	if !ok || apiErr.StatusCode != status {
		t.Fatalf("%s: status %d: error %v (%T) is not an *APIError of that status", name, status, err, err)
	}
	for _, s := range statusSentinels {
		if want := errors.Is(statusSentinels[status], s); errors.Is(err, s) != want {
			t.Errorf("%s: status %d: errors.Is(%v, %v) = %t", name, status, err, s, !want)
		}
	}
}

// checkLogs checks that no log entry holds a secret.
func checkLogs(t *testing.T, logger *memLogger, secrets []string) {
	t.Helper()
	for _, e := range logger.entries {
		line := fmt.Sprint(e)
		for _, s := range secrets {
			if strings.Contains(line, s) {
				t.Errorf("log entry holds the credential %q: %s", s, line)
			}
		}
	}
}

// checkRedacted checks that a provisioning token prints the same whatever
// its secret.
func checkRedacted(t *testing.T, tok ProvisioningToken) {
	t.Helper()
	blank := tok
	blank.Token = ""
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		if got, want := fmt.Sprintf(verb, tok), fmt.Sprintf(verb, blank); got != want {
			t.Errorf("Sprintf(%q) shows the token: %s", verb, got)
		}
	}
}
