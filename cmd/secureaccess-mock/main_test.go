package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// started is a run in the background.
type started struct {
	lines  chan string
	done   chan error
	cancel context.CancelFunc
}

// start runs the program with args and env until the test ends.
func start(t *testing.T, args []string, env map[string]string) *started {
	t.Helper()
	return startLogging(t, args, env, io.Discard)
}

// startLogging is start with the program's stderr going to stderr, which
// the test may read once the run has returned.
func startLogging(t *testing.T, args []string, env map[string]string, stderr io.Writer) *started {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	pr, pw := io.Pipe()
	s := &started{lines: make(chan string, 16), done: make(chan error, 1), cancel: cancel}
	go func() {
		err := run(ctx, args, func(k string) string { return env[k] }, pw, stderr)
		_ = pw.Close()
		s.done <- err
	}()
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			s.lines <- sc.Text()
		}
		close(s.lines)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-s.done; err != nil {
			t.Errorf("run: %v", err)
		}
	})
	return s
}

// line returns the next stdout line.
func (s *started) line(t *testing.T) string {
	t.Helper()
	select {
	case l, ok := <-s.lines:
		if !ok {
			err := <-s.done
			s.done <- err // for the cleanup, which waits for it too
			t.Fatal("stdout closed: " + errString(err))
		}
		return l
	case <-time.After(10 * time.Second):
		t.Fatal("no output line within 10 s")
	}
	return ""
}

// errString renders a possibly nil error.
func errString(err error) string {
	if err == nil {
		return "run returned nil"
	}
	return err.Error()
}

// baseURL reads the first line and returns the URL in it.
func (s *started) baseURL(t *testing.T) string {
	t.Helper()
	first := s.line(t)
	m := regexp.MustCompile(`^listening on (http://127\.0\.0\.1:[1-9][0-9]*)$`).FindStringSubmatch(first)
	if m == nil {
		t.Fatalf("first line %q is not \"listening on http://HOST:PORT\"", first)
	}
	return m[1]
}

// call performs a request and returns the status.
func call(t *testing.T, method, target, bearer string, basic *url.Userinfo, body string) int {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if basic != nil {
		pass, _ := basic.Password()
		req.SetBasicAuth(basic.Username(), pass)
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func TestRunServesAndShutsDown(t *testing.T) {
	t.Parallel()
	s := start(t, []string{"-listen", "127.0.0.1:0", "-bootstrap", "Okta", "-bootstrap-idp", "entra_id"}, nil)
	base := s.baseURL(t)

	dirLine, urlLine, tokenLine := s.line(t), s.line(t), s.line(t)
	if !regexp.MustCompile(`^directory integration: [0-9a-f-]{36} \(Okta, entra_id; 0 users, 0 groups\)$`).MatchString(dirLine) {
		t.Errorf("directory line = %q", dirLine)
	}
	if want := "provisioning URL: " + base + "/identity/v2/scim"; urlLine != want {
		t.Errorf("URL line = %q, want %q", urlLine, want)
	}
	scimToken, ok := strings.CutPrefix(tokenLine, "SCIM token: ")
	if !ok || len(scimToken) != 43 {
		t.Fatalf("token line = %q", tokenLine)
	}

	creds := url.UserPassword(mockserver.DefaultClientID, mockserver.DefaultClientSecret)
	if got := call(t, http.MethodPost, base+"/auth/v2/token", "", creds, "grant_type=client_credentials"); got != http.StatusOK {
		t.Errorf("token: %d", got)
	}
	if got := call(t, http.MethodGet, base+"/identity/v2/scim/Users", scimToken, nil, ""); got != http.StatusOK {
		t.Errorf("SCIM with the bootstrap token: %d", got)
	}
	s.stop(t)
}

// stop cancels the run and waits for it to return.
func (s *started) stop(t *testing.T) {
	t.Helper()
	s.cancel()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("run after cancel: %v", err)
		}
		s.done <- err // for the cleanup
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after its context was cancelled")
	}
}

// TestRunLogsWhatItServed: once stopped, the mock logs its request counts
// per API and per answer class, and its rate limit windows' peaks and
// 429s, which testacc-live.sh shows after the suite.
func TestRunLogsWhatItServed(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	s := startLogging(t, []string{"-listen", "127.0.0.1:0", "-bootstrap", "Okta", "-rate-limits", "cisco"}, nil, &stderr)
	base := s.baseURL(t)
	_, _ = s.line(t), s.line(t)
	scimToken := strings.TrimPrefix(s.line(t), "SCIM token: ")

	creds := url.UserPassword(mockserver.DefaultClientID, mockserver.DefaultClientSecret)
	if got := call(t, http.MethodPost, base+"/auth/v2/token", "", creds, "grant_type=client_credentials"); got != http.StatusOK {
		t.Fatalf("token: %d", got)
	}
	for range 2 {
		if got := call(t, http.MethodGet, base+"/identity/v2/scim/Users", scimToken, nil, ""); got != http.StatusOK {
			t.Fatalf("SCIM: %d", got)
		}
	}
	if got := call(t, http.MethodGet, base+"/admin/v2/directoryIntegrations", "wrong", nil, ""); got != http.StatusUnauthorized {
		t.Fatalf("admin with a wrong token: %d", got)
	}
	s.stop(t)

	want := `level=INFO msg=served requests=4 admin=1 token=1 scim=2 2xx=3 4xx=1 rate_limited=0 ` +
		`"token 20 per 1m0s"="peak 1, 0 limited"` + "\n"
	if got := stderr.String(); !strings.HasSuffix(got, want) {
		t.Errorf("stderr = %q, want it to end with %q", got, want)
	}
}

func TestRunFaultFlags(t *testing.T) {
	t.Parallel()
	s := start(t, []string{"-listen", "127.0.0.1:0", "-fault-route", "GET /admin/v2/directoryIntegrations",
		"-fault-rate-503", "1", "-fault-limit", "1"}, nil)
	base := s.baseURL(t)
	creds := url.UserPassword(mockserver.DefaultClientID, mockserver.DefaultClientSecret)
	if got := call(t, http.MethodPost, base+"/auth/v2/token", "", creds, "grant_type=client_credentials"); got != http.StatusOK {
		t.Errorf("token: %d", got)
	}
	var got []int
	for range 2 {
		got = append(got, call(t, http.MethodGet, base+"/admin/v2/directoryIntegrations", "", nil, ""))
	}
	if diff := cmp.Diff([]int{http.StatusServiceUnavailable, http.StatusUnauthorized}, got); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
}

// TestRunFaultGarbleFlag: -fault-garble-rate answers with the handler's
// status and half its body, then, past -fault-limit, whole bodies again.
func TestRunFaultGarbleFlag(t *testing.T) {
	t.Parallel()
	s := start(t, []string{"-listen", "127.0.0.1:0", "-fault-route", "POST /auth/v2/token",
		"-fault-garble-rate", "1", "-fault-limit", "1"}, nil)
	base := s.baseURL(t)
	var valid []bool
	for range 2 {
		resp := do(t, http.MethodPost, base+"/auth/v2/token", "", "")
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("token without credentials: %d %q %v, want 401", resp.StatusCode, body, err)
		}
		valid = append(valid, json.Valid(body))
	}
	if diff := cmp.Diff([]bool{false, true}, valid); diff != "" {
		t.Errorf("answers that are JSON (-want +got):\n%s", diff)
	}
}

func TestRunErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		args    []string
		wantErr string
	}{
		{"non-loopback", []string{"-listen", "0.0.0.0:0"}, "-allow-remote"},
		{"all interfaces", []string{"-listen", ":0"}, "-allow-remote"},
		{"bad address", []string{"-listen", "localhost"}, "invalid -listen"},
		{"unknown flag", []string{"-nope"}, "not defined"},
		{"extra argument", []string{"serve"}, "unexpected arguments"},
		{"bad fault rate", []string{"-listen", "127.0.0.1:0", "-fault-rate-500", "2"}, "fault flags"},
		{"bad fault route", []string{"-listen", "127.0.0.1:0", "-fault-route", "GET /x", "-fault-rate-500", "1"}, "unknown route"},
		{"bad bootstrap IdP", []string{"-listen", "127.0.0.1:0", "-bootstrap", "x", "-bootstrap-idp", "azure"}, "identityProvider"},
		{"unknown quirk", []string{"-listen", "127.0.0.1:0", "-quirks", "patch-204,patch-205"},
			`invalid value "patch-204,patch-205" for flag -quirks: unknown quirk "patch-205": valid quirks are json-content-type, no-meta,`},
		{"conflicting quirks", []string{"-listen", "127.0.0.1:0", "-quirks", "selection-ignored,selection-refused"},
			"quirks selection-refused and selection-ignored conflict"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := run(t.Context(), tc.args, func(string) string { return "" }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("run(%q) = %v, want an error mentioning %q", tc.args, err, tc.wantErr)
			}
		})
	}
}

func TestRunHelp(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	env := map[string]string{envClientSecret: "env-secret"}
	if err := run(t.Context(), []string{"-help"}, func(k string) string { return env[k] }, io.Discard, &stderr); err != nil {
		t.Fatalf("run -help: %v", err)
	}
	for _, want := range []string{"-client-id", envClientID, envClientSecret, mockserver.DefaultClientID, "127.0.0.1:8080", "-fault-rate-429", "-bootstrap", "/_mock/",
		"-quirks", "patch-selects-first", "members-hidden", "/_mock/quirks", "-fault-garble-rate"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("-help output does not mention %q", want)
		}
	}
	if strings.Contains(stderr.String(), "env-secret") {
		t.Error("-help prints the client secret from the environment")
	}
}

func TestParseFlagsCredentials(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		args       []string
		env        map[string]string
		wantID     string
		wantSecret string
	}{
		{"defaults", nil, nil, mockserver.DefaultClientID, mockserver.DefaultClientSecret},
		{"environment", nil, map[string]string{envClientID: "env-id", envClientSecret: "env-secret"}, "env-id", "env-secret"},
		{"flags win over environment", []string{"-client-id", "flag-id", "-client-secret", "flag-secret"},
			map[string]string{envClientID: "env-id", envClientSecret: "env-secret"}, "flag-id", "flag-secret"},
		{"mixed", []string{"-client-secret", "flag-secret"}, map[string]string{envClientID: "env-id"}, "env-id", "flag-secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg, err := parseFlags(tc.args, func(k string) string { return tc.env[k] }, io.Discard)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([2]string{tc.wantID, tc.wantSecret}, [2]string{cfg.opts.ClientID, cfg.opts.ClientSecret}); diff != "" {
				t.Errorf("credentials (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseFlagsRateLimits: -rate-limits cisco turns on Secure Access's
// windows, -rate-window-scale shortens them; anything else is refused.
func TestParseFlagsRateLimits(t *testing.T) {
	t.Parallel()
	cases := []struct {
		args    []string
		want    mockserver.RateLimits
		wantErr bool
	}{
		{args: nil},
		{args: []string{"-rate-limits", "off"}},
		{args: []string{"-rate-limits", "cisco"}, want: mockserver.CiscoRateLimits()},
		{args: []string{"-rate-limits", "cisco", "-rate-window-scale", "0.01"}, want: mockserver.CiscoRateLimits().Scaled(0.01)},
		{args: []string{"-rate-limits", "fast"}, wantErr: true},
		{args: []string{"-rate-limits", "cisco", "-rate-window-scale", "0"}, wantErr: true},
	}
	for _, tc := range cases {
		cfg, err := parseFlags(tc.args, func(string) string { return "" }, io.Discard)
		if (err != nil) != tc.wantErr {
			t.Errorf("%v: error %v, want error %v", tc.args, err, tc.wantErr)
			continue
		}
		if diff := cmp.Diff(tc.want, cfg.opts.RateLimits); diff != "" && !tc.wantErr {
			t.Errorf("%v: RateLimits (-want +got):\n%s", tc.args, diff)
		}
	}
}

func TestRunUsesCredentials(t *testing.T) {
	t.Parallel()
	s := start(t, []string{"-listen", "127.0.0.1:0", "-client-secret", "flag-secret"},
		map[string]string{envClientID: "env-id", envClientSecret: "env-secret"})
	base := s.baseURL(t)
	cases := []struct {
		user, pass string
		want       int
	}{
		{"env-id", "flag-secret", http.StatusOK},
		{"env-id", "env-secret", http.StatusUnauthorized},
		{mockserver.DefaultClientID, mockserver.DefaultClientSecret, http.StatusUnauthorized},
	}
	for _, tc := range cases {
		if got := call(t, http.MethodPost, base+"/auth/v2/token", "", url.UserPassword(tc.user, tc.pass), "grant_type=client_credentials"); got != tc.want {
			t.Errorf("token with %s: %d, want %d", tc.user, got, tc.want)
		}
	}
}

func TestCheckListen(t *testing.T) {
	t.Parallel()
	cases := []struct {
		addr        string
		allowRemote bool
		wantErr     bool
	}{
		{"127.0.0.1:0", false, false},
		{"127.0.0.2:8080", false, false},
		{"localhost:8080", false, false},
		{"[::1]:0", false, false},
		{"0.0.0.0:8080", false, true},
		{":8080", false, true},
		{"192.168.1.10:8080", false, true},
		{"example.com:8080", false, true},
		{"0.0.0.0:8080", true, false},
		{"no-port", true, true},
	}
	for _, tc := range cases {
		if err := checkListen(tc.addr, tc.allowRemote); (err != nil) != tc.wantErr {
			t.Errorf("checkListen(%q, %v) = %v, want error: %v", tc.addr, tc.allowRemote, err, tc.wantErr)
		}
	}
}

func TestRunClockOffsetFlag(t *testing.T) {
	t.Parallel()
	s := start(t, []string{"-listen", "127.0.0.1:0", "-clock-offset", "-3624h"}, nil)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, s.baseURL(t)+"/_mock/clock", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = resp.Body.Close() }()
	var got struct{ Now, Offset string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Offset != "-3624h0m0s" {
		t.Errorf("offset = %q, want -3624h0m0s", got.Offset)
	}
	now, err := time.Parse(time.RFC3339, got.Now)
	if err != nil {
		t.Fatal(err)
	}
	if ago := time.Since(now); ago < 150*24*time.Hour || ago > 152*24*time.Hour {
		t.Errorf("the mock's clock is %s behind, want 151 days", ago)
	}
}

// TestRunStrictFiltersFlag: -strict-filters starts the mock in strict
// filter mode, as GET /_mock/strict shows and a SCIM query the real
// service may refuse proves; without it the mode is off.
func TestRunStrictFiltersFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		wantStrict bool
		wantStatus int
	}{
		{args: nil, wantStrict: false, wantStatus: http.StatusOK},
		{args: []string{"-strict-filters"}, wantStrict: true, wantStatus: http.StatusBadRequest},
	} {
		s := start(t, append([]string{"-listen", "127.0.0.1:0", "-bootstrap", "Okta"}, tc.args...), nil)
		base := s.baseURL(t)
		s.line(t) // directory integration
		s.line(t) // provisioning URL
		token := strings.TrimPrefix(s.line(t), "SCIM token: ")
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base+"/_mock/strict", nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var got struct{ StrictFilters bool }
		err = json.NewDecoder(resp.Body).Decode(&got)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK || got.StrictFilters != tc.wantStrict {
			t.Errorf("%v: GET /_mock/strict = %d %+v (%v), want strictFilters %v", tc.args, resp.StatusCode, got, err, tc.wantStrict)
		}
		filter := url.Values{"filter": {`displayName sw "OKTA"`}}.Encode()
		if status := call(t, http.MethodGet, base+"/identity/v2/scim/Groups?"+filter, token, nil, ""); status != tc.wantStatus {
			t.Errorf("%v: a displayName sw filter: %d, want %d", tc.args, status, tc.wantStatus)
		}
	}
}

// TestRunQuirksFlag: -quirks starts the mock with those SCIM quirks, as
// GET /_mock/quirks shows and a SCIM create proves; without it there are
// none.
func TestRunQuirksFlag(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args       []string
		wantQuirks []string
		wantStatus int
		wantType   string
	}{
		{args: nil, wantQuirks: []string{}, wantStatus: http.StatusCreated, wantType: "application/scim+json"},
		{args: []string{"-quirks", "json-content-type, create-200"}, wantQuirks: []string{"json-content-type", "create-200"},
			wantStatus: http.StatusOK, wantType: "application/json"},
	} {
		s := start(t, append([]string{"-listen", "127.0.0.1:0", "-bootstrap", "Okta"}, tc.args...), nil)
		base := s.baseURL(t)
		s.line(t) // directory integration
		s.line(t) // provisioning URL
		token := strings.TrimPrefix(s.line(t), "SCIM token: ")

		var got struct{ Quirks []string }
		resp := do(t, http.MethodGet, base+"/_mock/quirks", "", "")
		err := json.NewDecoder(resp.Body).Decode(&got)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("%v: GET /_mock/quirks = %d (%v)", tc.args, resp.StatusCode, err)
		}
		if diff := cmp.Diff(tc.wantQuirks, got.Quirks); diff != "" {
			t.Errorf("%v: quirks (-want +got):\n%s", tc.args, diff)
		}
		resp = do(t, http.MethodPost, base+"/identity/v2/scim/Users", token, `{"userName":"jane@example.com"}`)
		_ = resp.Body.Close()
		if resp.StatusCode != tc.wantStatus || resp.Header.Get("Content-Type") != tc.wantType {
			t.Errorf("%v: POST /Users = %d %q, want %d %q", tc.args, resp.StatusCode, resp.Header.Get("Content-Type"), tc.wantStatus, tc.wantType)
		}
	}
}

// do sends a request with an optional bearer token and JSON body; the
// caller closes the answer's body.
func do(t *testing.T, method, target, bearer, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if bearer != "" {
		req.Header.Set("Authorization", "Bearer "+bearer)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	return resp
}
