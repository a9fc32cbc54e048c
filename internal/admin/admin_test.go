package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

const (
	testClientID     = "id"
	testClientSecret = "very-secret-client-secret"
)

// fastRetries keeps retry waits in the milliseconds.
var fastRetries = transport.Config{MaxRetries: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond}

// newMock starts a mock service with opts and returns it with its URL.
func newMock(t *testing.T, opts mockserver.Options) (*mockserver.Server, string) {
	t.Helper()
	opts.ClientID, opts.ClientSecret, opts.Seed = testClientID, testClientSecret, 1
	m := mocktest.Start(t, "", opts)
	return m.Server, m.URL
}

// newTestClient returns a client of the mock at baseURL with fast retries
// and no client-side rate limit, changed by options.
func newTestClient(t *testing.T, baseURL, secret string, options ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: baseURL, ClientID: testClientID, ClientSecret: secret, Config: fastRetries}
	cfg.RateLimit = math.Inf(1)
	for _, o := range options {
		o(&cfg)
	}
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	return c
}

// ignoreTimes compares directory integrations without their timestamps.
var ignoreTimes = cmpopts.IgnoreFields(DirectoryIntegration{}, "CreatedAt", "ModifiedAt")

func TestDirectoryIntegrationsLifecycle(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	c := newTestClient(t, url, testClientSecret)
	ctx := t.Context()

	created, err := c.DirectoryIntegrations.Create(ctx, CreateDirectoryIntegrationRequest{Name: "OKTA Integration", IdentityProvider: IdentityProviderOkta})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	want := DirectoryIntegration{
		ID: created.ID, Name: "OKTA Integration", IdentityProvider: "okta",
		ProvisioningMethod: "idp", ProvisioningURL: url + "/identity/v2/scim",
	}
	if diff := cmp.Diff(want, *created, ignoreTimes); diff != "" {
		t.Errorf("Create (-want +got):\n%s", diff)
	}
	if created.CreatedAt.IsZero() {
		t.Error("CreatedAt not decoded")
	}

	got, err := c.DirectoryIntegrations.Get(ctx, created.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get (-create +get):\n%s", diff)
	}
	byName, err := c.DirectoryIntegrations.GetByName(ctx, "okta integration")
	if err != nil || byName.ID != created.ID {
		t.Errorf("GetByName = %v, %v; want %s", byName, err, created.ID)
	}

	renamed, err := c.DirectoryIntegrations.Update(ctx, created.ID, "Okta Prod")
	if err != nil {
		t.Fatalf("Update: %v", err)
	}
	want.Name = "Okta Prod"
	if diff := cmp.Diff(want, *renamed, ignoreTimes); diff != "" {
		t.Errorf("Update (-want +got):\n%s", diff)
	}
	if d, ok := srv.Store().Directory(created.ID); !ok || d.Name != "Okta Prod" {
		t.Errorf("store has %+v after rename", d)
	}

	if err := c.DirectoryIntegrations.Delete(ctx, created.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for name, err := range map[string]error{
		"Get":       second(c.DirectoryIntegrations.Get(ctx, created.ID)),
		"GetByName": second(c.DirectoryIntegrations.GetByName(ctx, "Okta Prod")),
		"Delete":    c.DirectoryIntegrations.Delete(ctx, created.ID),
	} {
		if !errors.Is(err, transport.ErrNotFound) {
			t.Errorf("%s after delete: %v, want ErrNotFound", name, err)
		}
	}
}

// second returns the error of a (value, error) pair.
func second[T any](_ T, err error) error { return err }

func TestDirectoryIntegrationsCreateConflict(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	if _, _, err := srv.Bootstrap("Taken", "okta"); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, url, testClientSecret)
	_, err := c.DirectoryIntegrations.Create(t.Context(), CreateDirectoryIntegrationRequest{Name: "Taken", IdentityProvider: "okta"})
	if !errors.Is(err, transport.ErrConflict) {
		t.Errorf("Create duplicate: %v, want ErrConflict", err)
	}
	if n := srv.Stats().Count("POST /admin/v2/directoryIntegrations"); n != 1 {
		t.Errorf("%d create requests, want 1", n)
	}
}

func TestDirectoryIntegrationsCreateLostResponse(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	srv.SetFaults(mockserver.FaultRule{Route: "POST /admin/v2/directoryIntegrations", DropRate: 1, Limit: 1})
	c := newTestClient(t, url, testClientSecret)
	got, err := c.DirectoryIntegrations.Create(t.Context(), CreateDirectoryIntegrationRequest{Name: "Lost", IdentityProvider: "entra_id"})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	dirs := srv.Store().Directories()
	if len(dirs) != 1 || dirs[0].ID != got.ID || got.Name != "Lost" {
		t.Errorf("store has %d directories, client got %+v", len(dirs), got)
	}
	if n := srv.Stats().Count("POST /admin/v2/directoryIntegrations"); n != 2 {
		t.Errorf("%d create requests, want 2 (dropped, then 409)", n)
	}
}

func TestDirectoryIntegrationsListAllPages(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{MaxDirectories: 250})
	var want []string
	for i := range 205 {
		d, _, err := srv.Bootstrap(fmt.Sprintf("dir %03d", i), "other")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, d.ID)
	}
	c := newTestClient(t, url, testClientSecret)
	dirs, err := c.DirectoryIntegrations.List(t.Context())
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	var got []string
	for _, d := range dirs {
		got = append(got, d.ID)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("List ids (-want +got):\n%s", diff)
	}
	if n := srv.Stats().Count("GET /admin/v2/directoryIntegrations"); n != 3 {
		t.Errorf("%d list requests, want 3 pages of 100", n)
	}
}

func TestProvisioningTokens(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	dir, first, err := srv.Bootstrap("Tokens", "okta")
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, url, testClientSecret)
	ctx := t.Context()

	days := 30
	tok, err := c.ProvisioningTokens.Generate(ctx, dir.ID, &days)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	if tok.Token == "" || tok.Token == first || tok.ExpiresAt == nil {
		t.Errorf("Generate returned %v", tok)
	} else if d := tok.ExpiresAt.Sub(tok.GeneratedAt); d != 30*24*time.Hour {
		t.Errorf("expires %v after generation, want 30 days", d)
	}
	if s := tok.String() + tok.GoString(); strings.Contains(s, tok.Token) {
		t.Errorf("String/GoString leak the token: %s", s)
	}

	meta, err := c.ProvisioningTokens.Get(ctx, dir.ID)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	wantMeta := ProvisioningTokenMetadata{ID: tok.ID, GeneratedAt: tok.GeneratedAt, ExpiresAt: tok.ExpiresAt}
	if diff := cmp.Diff(wantMeta, *meta); diff != "" {
		t.Errorf("Get (-want +got):\n%s", diff)
	}

	noExpiry, err := c.ProvisioningTokens.Generate(ctx, dir.ID, nil)
	if err != nil || noExpiry.ExpiresAt != nil {
		t.Errorf("Generate without expiry = %v, %v", noExpiry, err)
	}

	if err := c.ProvisioningTokens.Revoke(ctx, dir.ID); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	if _, err := c.ProvisioningTokens.Get(ctx, dir.ID); !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("Get after revoke: %v, want ErrNotFound", err)
	}
	if _, err := c.ProvisioningTokens.Generate(ctx, "no-such-dir", nil); !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("Generate for a missing directory: %v, want ErrNotFound", err)
	}
}

func TestIdentitiesList(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	dir, _, err := srv.Bootstrap("Identities", "okta")
	if err != nil {
		t.Fatal(err)
	}
	store, _ := srv.Store().DirectorySCIM(dir.ID)
	seedIdentities(t, store)
	c := newTestClient(t, url, testClientSecret)

	tests := map[string]struct {
		query     IdentityQuery
		wantCount int
		wantTypes []string
	}{
		"all":           {query: IdentityQuery{}, wantCount: 152, wantTypes: []string{IdentityTypeDirectoryGroup, IdentityTypeDirectoryUser}},
		"users only":    {query: IdentityQuery{Types: []string{IdentityTypeDirectoryUser}}, wantCount: 150, wantTypes: []string{IdentityTypeDirectoryUser}},
		"search groups": {query: IdentityQuery{Search: "team", Types: []string{IdentityTypeDirectoryGroup}}, wantCount: 2, wantTypes: []string{IdentityTypeDirectoryGroup}},
		"search one":    {query: IdentityQuery{Search: "user042@"}, wantCount: 1, wantTypes: []string{IdentityTypeDirectoryUser}},
		"nothing":       {query: IdentityQuery{Search: "nobody"}, wantCount: 0},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ids, err := c.Identities.List(t.Context(), tc.query)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			var types []string
			for _, id := range ids {
				if id.ID == 0 || id.Label == "" {
					t.Errorf("identity without id or label: %+v", id)
				}
				if !slices.Contains(types, id.Type.Type) {
					types = append(types, id.Type.Type)
				}
			}
			slices.Sort(types)
			if len(ids) != tc.wantCount {
				t.Errorf("%d identities, want %d", len(ids), tc.wantCount)
			}
			if diff := cmp.Diff(tc.wantTypes, types); diff != "" {
				t.Errorf("types (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBadCredentialsFailFast(t *testing.T) {
	t.Parallel()
	const wrong = "wrong-secret-value"
	srv, url := newMock(t, mockserver.Options{})
	c := newTestClient(t, url, wrong)
	_, err := c.DirectoryIntegrations.List(t.Context())
	if !errors.Is(err, transport.ErrUnauthorized) {
		t.Fatalf("List: %v, want ErrUnauthorized", err)
	}
	msg := err.Error()
	if !strings.Contains(msg, "check the client ID and client secret") {
		t.Errorf("message %q does not say what to fix", msg)
	}
	if strings.Contains(msg, wrong) || strings.Contains(msg, testClientSecret) {
		t.Errorf("message %q contains a secret", msg)
	}
	stats := srv.Stats()
	if n := stats.Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("%d token requests, want 1", n)
	}
	if stats.Total != 1 {
		t.Errorf("%d requests in all, want only the token request", stats.Total)
	}
}

func TestTokenReusedAndRefreshed(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{AccessTokenTTL: time.Second})
	dir, _, err := srv.Bootstrap("Refresh", "okta")
	if err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, url, testClientSecret)
	// The first token is fetched during a call whose context (think:
	// Terraform's Configure) is cancelled right after; refreshes must not
	// depend on it.
	configureCtx, cancel := context.WithCancel(t.Context())
	if _, err := c.DirectoryIntegrations.Get(configureCtx, dir.ID); err != nil {
		t.Fatal(err)
	}
	cancel()
	deadline := time.Now().Add(2500 * time.Millisecond)
	calls := 1
	for ; time.Now().Before(deadline); calls++ {
		if _, err := c.DirectoryIntegrations.Get(t.Context(), dir.ID); err != nil {
			t.Fatalf("Get %d: %v", calls, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stats := srv.Stats()
	tokens := stats.Count("POST /auth/v2/token")
	if tokens < 3 || tokens > 5 {
		t.Errorf("%d token requests for %d calls over 2.5s with a 1s token, want 3 to 5", tokens, calls)
	}
	if gets := stats.Count("GET /admin/v2/directoryIntegrations/{id}"); gets != calls {
		t.Errorf("%d GETs for %d calls: a 401 was retried, the token was not refreshed in time", gets, calls)
	}
}

func TestReauthenticatesOnceAfter401(t *testing.T) {
	t.Parallel()
	var skew atomic.Int64 // the mock's clock runs ahead of the client's by this
	now := func() time.Time { return time.Now().Add(time.Duration(skew.Load())) }
	srv, url := newMock(t, mockserver.Options{AccessTokenTTL: time.Hour, Now: now})
	c := newTestClient(t, url, testClientSecret)
	if _, err := c.DirectoryIntegrations.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	skew.Store(int64(2 * time.Hour)) // the cached token expired for the mock only
	if _, err := c.DirectoryIntegrations.List(t.Context()); err != nil {
		t.Fatalf("List after the token expired: %v", err)
	}
	stats := srv.Stats()
	if n := stats.Count("POST /auth/v2/token"); n != 2 {
		t.Errorf("%d token requests, want 2", n)
	}
	if n := stats.Count("GET /admin/v2/directoryIntegrations"); n != 3 {
		t.Errorf("%d list requests, want 3 (success, 401, success)", n)
	}
}

func TestRetriesAgainstFaults(t *testing.T) {
	t.Parallel()
	const route = "GET /admin/v2/directoryIntegrations/{id}"
	tests := map[string]struct {
		rule           mockserver.FaultRule
		requestTimeout time.Duration
		wantRequests   int
		minDuration    time.Duration
	}{
		"429 without Retry-After": {rule: mockserver.FaultRule{Rate429: 1, Limit: 2}, wantRequests: 3},
		"429 with Retry-After":    {rule: mockserver.FaultRule{Rate429RetryAfter: 1, RetryAfterSeconds: 1, Limit: 1}, wantRequests: 2, minDuration: time.Second},
		"503 burst":               {rule: mockserver.FaultRule{Rate503: 1, Limit: 4}, wantRequests: 5},
		"latency":                 {rule: mockserver.FaultRule{Latency: 50 * time.Millisecond, Jitter: 10 * time.Millisecond}, wantRequests: 1, minDuration: 50 * time.Millisecond},
		"latency beyond the attempt timeout": {
			rule: mockserver.FaultRule{Latency: 2 * time.Second, Limit: 1}, requestTimeout: 200 * time.Millisecond,
			wantRequests: 2, minDuration: 200 * time.Millisecond,
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv, url := newMock(t, mockserver.Options{})
			dir, _, err := srv.Bootstrap("Faults", "okta")
			if err != nil {
				t.Fatal(err)
			}
			tc.rule.Route = route
			srv.SetFaults(tc.rule)
			c := newTestClient(t, url, testClientSecret, func(cfg *Config) { cfg.RequestTimeout = tc.requestTimeout })
			start := time.Now()
			if _, err := c.DirectoryIntegrations.Get(t.Context(), dir.ID); err != nil {
				t.Fatalf("Get: %v", err)
			}
			if took := time.Since(start); took < tc.minDuration {
				t.Errorf("took %v, want at least %v", took, tc.minDuration)
			}
			// The mock counts a request when its handler returns: an attempt
			// the client gave up on may still be sleeping in the latency
			// fault, so wait for it before comparing.
			if n := waitForCount(srv, route, tc.wantRequests); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

// waitForCount waits up to five seconds for the mock to have counted want
// requests of route, and returns the count it saw last. It does not stop
// early when the count is already above want, so extra requests still fail
// the caller's comparison.
func waitForCount(srv *mockserver.Server, route string, want int) int {
	deadline := time.Now().Add(5 * time.Second)
	n := srv.Stats().Count(route)
	for n < want && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		n = srv.Stats().Count(route)
	}
	return n
}

func TestRateLimitedAfterRetries(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	srv.SetFaults(mockserver.FaultRule{Route: "GET /admin/v2/directoryIntegrations", Rate429: 1})
	c := newTestClient(t, url, testClientSecret)
	_, err := c.DirectoryIntegrations.List(t.Context())
	if !errors.Is(err, transport.ErrRateLimited) {
		t.Errorf("List: %v, want ErrRateLimited", err)
	}
	if n := srv.Stats().Count("GET /admin/v2/directoryIntegrations"); n != 5 {
		t.Errorf("%d requests, want 5 (1 + MaxRetries)", n)
	}
}

// TestWindowsBelongToCisco: without settings the client keeps Cisco's
// windows from the first request on Cisco's hosts, and on any other only
// once the service answers 429; a rate_limit or windows of one's own hold
// from the first request everywhere.
func TestWindowsBelongToCisco(t *testing.T) {
	t.Parallel()
	for base, dormant := range map[string]bool{
		"https://api.sse.cisco.com":             false,
		"https://api.secureaccessfed.cisco.com": false,
		"https://API.SSE.CISCO.COM.":            false,
		"http://127.0.0.1:8080":                 true,
		"https://secureaccess.example.com":      true,
		"https://notcisco.com":                  true,
		"https://api.sse.cisco.com.example.org": true,
	} {
		cfg := Config{BaseURL: base, ClientID: "id"}.withWindows(base + tokenPath)
		if cfg.WindowsOnceLimited != dormant || len(cfg.Windows) != 3 || len(cfg.TokenWindows) != 1 {
			t.Errorf("%s: WindowsOnceLimited %t with %d windows and %d token windows, want %t with Cisco's 3 and 1",
				base, cfg.WindowsOnceLimited, len(cfg.Windows), len(cfg.TokenWindows), dormant)
		}
	}
	own := Config{ClientID: "id"}
	own.RateLimit = 2
	if cfg := own.withWindows("http://127.0.0.1:8080" + tokenPath); cfg.WindowsOnceLimited {
		t.Error("rate_limit set: the windows wait for a 429, want them from the first request")
	}
	own = Config{ClientID: "id"}
	own.Windows = []transport.Window{{Limit: 1, Period: time.Second}}
	if cfg := own.withWindows("http://127.0.0.1:8080" + tokenPath); cfg.WindowsOnceLimited {
		t.Error("windows of one's own: they wait for a 429, want them from the first request")
	}
}

// TestDefaultWindowsAgainstAServiceThatDoesNotLimit: with no settings, 30
// calls to a service that does not limit (the bundled mock, on a host that
// is not Cisco's) take no wait, where Cisco's 14 a minute would have held
// the 15th back for most of a minute.
func TestDefaultWindowsAgainstAServiceThatDoesNotLimit(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	c, err := NewClient(Config{BaseURL: url, ClientID: testClientID, ClientSecret: testClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	ctx, waits := transport.WithWaitLog(t.Context())
	for range 30 {
		if _, err := c.DirectoryIntegrations.List(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if total, window := waits.Waited(); total != 0 {
		t.Errorf("30 calls waited %v under %v, want no wait", total, window)
	}
	if st := srv.Stats(); st.RateLimited != 0 {
		t.Errorf("%d answers 429, want none", st.RateLimited)
	}
}

// TestWindowsWakeOnTheFirst429: against a service that enforces Cisco's
// windows (here the mock's, at a hundredth of their length, and the
// client's alike), windows that wait for a 429 get exactly one: the call
// it answered is retried, and every later call waits its turn instead.
func TestWindowsWakeOnTheFirst429(t *testing.T) {
	t.Parallel()
	const scale = 0.01
	srv, url := newMock(t, mockserver.Options{RateLimits: mockserver.CiscoRateLimits().Scaled(scale)})
	cfg := Config{BaseURL: url, ClientID: testClientID, ClientSecret: testClientSecret, Config: fastRetries,
		TokenWindows: transport.ScaleWindows(DefaultTokenWindows(), scale)}
	cfg.Windows, cfg.WindowsOnceLimited = transport.ScaleWindows(DefaultWindows(), scale), true
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, waits := transport.WithWaitLog(t.Context())
	for range 40 {
		if _, err := c.DirectoryIntegrations.List(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if st := srv.Stats(); st.RateLimited != 1 {
		t.Errorf("%d answers 429, want exactly 1 (the one that wakes the windows): %v", st.RateLimited, st.RateLimits)
	}
	if total, _ := waits.Waited(); total == 0 {
		t.Error("no call waited after the 429, want the windows to hold")
	}
}

// TestClientsOfOneKeyShareWindowsAndToken: two clients of the same API key
// (two provider configurations in one process) count against one set of
// windows and share one access token; a client of another key does not.
func TestClientsOfOneKeyShareWindowsAndToken(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	windows := func(cfg *Config) {
		cfg.RateLimit, cfg.Windows = 0, []transport.Window{{Limit: 4, Period: 400 * time.Millisecond}}
	}
	a := newTestClient(t, url, testClientSecret, windows)
	b := newTestClient(t, url, testClientSecret, windows)
	start := time.Now()
	for _, c := range []*Client{a, b, a, b, a, b} {
		if _, err := c.DirectoryIntegrations.List(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took < 400*time.Millisecond {
		t.Errorf("6 calls of two clients of one key took %v, want ≥ 400ms under 4 per 400ms together", took)
	}
	if n := srv.Stats().Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("%d token requests for two clients of one key, want 1", n)
	}

	// Another key (the same client ID on another service) has its own.
	_, url2 := newMock(t, mockserver.Options{})
	other := newTestClient(t, url2, testClientSecret, windows)
	start = time.Now()
	for range 4 {
		if _, err := other.DirectoryIntegrations.List(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if took := time.Since(start); took > 300*time.Millisecond {
		t.Errorf("4 calls of another key took %v, want no wait", took)
	}
}

// TestTokenReusedAcrossCalls: 20 calls of one client cost one token request.
func TestTokenReusedAcrossCalls(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	c := newTestClient(t, url, testClientSecret)
	for range 20 {
		if _, err := c.DirectoryIntegrations.List(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.Stats().Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("%d token requests for 20 calls, want 1", n)
	}
}

// TestAuthorize: Authorize fetches the token the first call then uses (one
// token request for both, nothing else sent by Authorize), and with
// rejected credentials fails as a call would, after which calls fail
// without a request of their own.
func TestAuthorize(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	c := newTestClient(t, url, testClientSecret, func(cfg *Config) { cfg.FailFast = true })
	if err := c.Authorize(t.Context()); err != nil {
		t.Fatalf("Authorize: %v", err)
	}
	if stats := srv.Stats(); stats.Total != 1 || stats.Count("POST /auth/v2/token") != 1 {
		t.Errorf("Authorize sent %v, want one token request", stats.Requests)
	}
	if _, err := c.DirectoryIntegrations.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := srv.Stats().Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("%d token requests for Authorize and a call, want 1", n)
	}

	const wrong = "wrong-secret-for-authorize"
	srv, url = newMock(t, mockserver.Options{})
	c = newTestClient(t, url, wrong, func(cfg *Config) { cfg.FailFast = true })
	err := c.Authorize(t.Context())
	var failed *transport.FailedError
	if !errors.Is(err, transport.ErrUnauthorized) || !errors.As(err, &failed) {
		t.Fatalf("Authorize: %v, want ErrUnauthorized as a fail-fast failure", err)
	}
	if strings.Contains(err.Error(), wrong) {
		t.Errorf("Authorize: %q contains the secret", err)
	}
	if _, err := c.DirectoryIntegrations.List(t.Context()); !errors.As(err, &failed) || failed.Sent() {
		t.Errorf("List after a rejected Authorize: %v, want the failure, not sent", err)
	}
	if stats := srv.Stats(); stats.Total != 1 {
		t.Errorf("%v sent, want the one token request", stats.Requests)
	}
}

// TestDefaultWindowsAreTheMocks: the client's defaults are the windows the
// mock enforces in strict mode, Cisco's.
func TestDefaultWindowsAreTheMocks(t *testing.T) {
	t.Parallel()
	limits := mockserver.CiscoRateLimits()
	if diff := cmp.Diff(toWindows(limits.Admin), DefaultWindows()); diff != "" {
		t.Errorf("admin windows (-mock +client):\n%s", diff)
	}
	if diff := cmp.Diff(toWindows(limits.Token), DefaultTokenWindows()); diff != "" {
		t.Errorf("token windows (-mock +client):\n%s", diff)
	}
}

// toWindows converts the mock's windows.
func toWindows(ws []mockserver.Window) []transport.Window {
	var out []transport.Window
	for _, w := range ws {
		out = append(out, transport.Window{Limit: w.Limit, Period: w.Period})
	}
	return out
}

func TestRateWindow(t *testing.T) {
	t.Parallel()
	for rate, want := range map[float64]transport.Window{
		5:    {Limit: 5, Period: time.Second},
		2.5:  {Limit: 2, Period: 800 * time.Millisecond},
		0.1:  {Limit: 1, Period: 10 * time.Second},
		1000: {Limit: 1000, Period: time.Second},
	} {
		if got := RateWindow(rate); got != want {
			t.Errorf("RateWindow(%v) = %v, want %v", rate, got, want)
		}
	}
}

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	tests := map[string]Config{
		"no client id":     {ClientSecret: "s"},
		"no client secret": {ClientID: "i"},
		"relative url":     {ClientID: "i", ClientSecret: "s", BaseURL: "api.example.com"},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewClient(cfg); err == nil {
				t.Error("NewClient: no error")
			}
		})
	}
}

// seedIdentities stores 150 users and the groups "Team A" and "Team B".
func seedIdentities(t *testing.T, store *scimserver.Store) {
	t.Helper()
	for i := range 150 {
		name := fmt.Sprintf("user%03d@example.com", i)
		if _, err := store.CreateUser(scimserver.User{UserName: name, DisplayName: "User", Active: new(true)}); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"Team A", "Team B"} {
		if _, err := store.CreateGroup(scimserver.Group{DisplayName: name}); err != nil {
			t.Fatal(err)
		}
	}
}

func TestConcurrentCallsShareOneToken(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	c := newTestClient(t, url, testClientSecret)
	const calls = 20
	errs := make(chan error, calls)
	for range calls {
		go func() {
			_, err := c.DirectoryIntegrations.List(t.Context())
			errs <- err
		}()
	}
	for range calls {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	stats := srv.Stats()
	if n := stats.Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("%d token requests for %d concurrent calls, want 1", n, calls)
	}
	if n := stats.Count("GET /admin/v2/directoryIntegrations"); n != calls {
		t.Errorf("%d list requests, want %d", n, calls)
	}
}

// memLogger records log entries.
type memLogger struct {
	mu      sync.Mutex
	entries []map[string]any
}

// markerKey marks the caller's context, to see it reach the logger.
type markerKey struct{}

// Debug implements transport.Logger. It adds the caller's marker to fields.
func (l *memLogger) Debug(ctx context.Context, _ string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fields["marker"] = ctx.Value(markerKey{})
	l.entries = append(l.entries, fields)
}

func TestLogsCarryNoSecrets(t *testing.T) {
	t.Parallel()
	srv, url := newMock(t, mockserver.Options{})
	dir, scimToken, err := srv.Bootstrap("Logs", "okta")
	if err != nil {
		t.Fatal(err)
	}
	logger := &memLogger{}
	cfg := Config{BaseURL: url, ClientID: testClientID, ClientSecret: testClientSecret, Config: fastRetries}
	cfg.Logger = logger
	cfg.UserAgent = "terraform-provider-secureaccess/test"
	c, err := NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.WithValue(t.Context(), markerKey{}, "caller")
	tok, err := c.ProvisioningTokens.Generate(ctx, dir.ID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range logger.entries {
		paths = append(paths, fmt.Sprint(e["method"], " ", e["path"], " ", e["status"], " ", e["attempt"], " ", e["marker"]))
		for k, v := range e {
			if s := fmt.Sprint(v); strings.Contains(s, testClientSecret) || strings.Contains(s, tok.Token) || strings.Contains(s, scimToken) {
				t.Errorf("log field %s=%q holds a secret", k, s)
			}
		}
	}
	want := []string{
		"POST /auth/v2/token 200 1 caller", // the token request logs with the caller's context
		"POST /admin/v2/directoryIntegrations/" + dir.ID + "/provisioningToken 201 1 caller",
	}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("log entries (-want +got):\n%s", diff)
	}
}

// pagingServer is an admin API whose token endpoint works and whose list
// endpoints answer every request with answer(offset), counting requests.
type pagingServer struct {
	answer   func(offset int) string
	requests atomic.Int32
}

// ServeHTTP implements http.Handler.
func (s *pagingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if r.URL.Path == tokenPath {
		_, _ = io.WriteString(w, `{"access_token":"paging-access-token","token_type":"bearer","expires_in":3600}`)
		return
	}
	s.requests.Add(1)
	offset, _ := strconv.Atoi(r.URL.Query().Get("offset"))
	_, _ = io.WriteString(w, s.answer(offset))
}

// directoryPage is a page of n directory integrations numbered from first,
// with the total field set to total (omitted when negative).
func directoryPage(first, n, total int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":"d%d","name":"dir %d","identityProvider":"okta"}`, first+i, first+i)
	}
	if total < 0 {
		return `{"data":[` + strings.Join(items, ",") + `],"meta":{}}`
	}
	return fmt.Sprintf(`{"data":[%s],"offset":%d,"limit":100,"total":%d}`, strings.Join(items, ","), first, total)
}

func TestListStopsOnInconsistentPages(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		answer       func(offset int) string
		wantCount    int   // items returned when wantErr is nil
		wantErr      error // nil: success
		wantRequests int32
	}{
		// A service that ignores offset: the same full page forever.
		"same full page, total 0":      {answer: func(int) string { return directoryPage(0, 100, 0) }, wantErr: ErrInconsistentPages, wantRequests: 2},
		"same full page, no total":     {answer: func(int) string { return directoryPage(0, 100, -1) }, wantErr: ErrInconsistentPages, wantRequests: 2},
		"same full page, total 1000":   {answer: func(int) string { return directoryPage(0, 100, 1000) }, wantErr: ErrInconsistentPages, wantRequests: 2},
		"no total: short page ends":    {answer: func(o int) string { return directoryPage(o, max(0, min(100, 150-o)), -1) }, wantCount: 150, wantRequests: 2},
		"no total: empty page ends":    {answer: func(o int) string { return directoryPage(o, max(0, min(100, 200-o)), -1) }, wantCount: 200, wantRequests: 3},
		"total 0: short page ends":     {answer: func(o int) string { return directoryPage(o, max(0, min(100, 30-o)), 0) }, wantCount: 30, wantRequests: 1},
		"total reached on a full page": {answer: func(o int) string { return directoryPage(o, 100, 200) }, wantCount: 200, wantRequests: 2},
		"empty page before total":      {answer: func(o int) string { return directoryPage(o, max(0, min(100, 100-o)), 500) }, wantCount: 100, wantRequests: 2},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			srv := &pagingServer{answer: tc.answer}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			c := newTestClient(t, ts.URL, testClientSecret)
			// Before the fix a broken service was paged until the context
			// ended; the deadline turns that into a failure, not a hang.
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			dirs, err := c.DirectoryIntegrations.List(ctx)
			switch {
			case tc.wantErr == nil && err != nil:
				t.Errorf("List: %v", err)
			case tc.wantErr != nil && !errors.Is(err, tc.wantErr):
				t.Errorf("List: %v, want %v", err, tc.wantErr)
			case tc.wantErr == nil && len(dirs) != tc.wantCount:
				t.Errorf("List: %d directory integrations, want %d", len(dirs), tc.wantCount)
			}
			if n := srv.requests.Load(); n != tc.wantRequests {
				t.Errorf("%d list requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

func TestListStopsAtPageCap(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		total int // -1: no total field
	}{
		"total 0":        {total: 0},
		"no total":       {total: -1},
		"total too high": {total: 1 << 40},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Full pages of new items forever: only the cap ends the list.
			srv := &pagingServer{answer: func(o int) string { return directoryPage(o, 100, tc.total) }}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			c := newTestClient(t, ts.URL, testClientSecret)
			const pageCap = 5
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
			defer cancel()
			_, err := listPages[DirectoryIntegration](ctx, c.DirectoryIntegrations.tc, directoriesPath, nil, pageCap)
			if !errors.Is(err, ErrInconsistentPages) {
				t.Errorf("listPages: %v, want ErrInconsistentPages", err)
			}
			if n := srv.requests.Load(); n != pageCap {
				t.Errorf("%d list requests, want the cap of %d", n, pageCap)
			}
		})
	}
}

func TestOwnsPath(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]bool{
		tokenPath:                       true,
		identitiesPath:                  true,
		directoriesPath:                 true,
		tokenPathOf("7f0c"):             true,
		"/identity/v2/scim/Users":       false,
		"/identity/v2/scim/Groups/g1":   false,
		"/custom/scim/Users/admin/v2/x": false,
	} {
		if got := OwnsPath(path); got != want {
			t.Errorf("OwnsPath(%q) = %v, want %v", path, got, want)
		}
	}
}
