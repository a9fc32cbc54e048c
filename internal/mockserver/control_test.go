package mockserver_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

func TestStats(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	dir := e.createDirectory(admin, "Okta", "okta")
	e.send(http.MethodGet, directoriesPath+"/"+dir.ID, admin, nil)
	e.send(http.MethodGet, directoriesPath+"/nope", admin, nil)
	scimToken := e.newSCIMToken(admin, dir.ID, nil)
	userID := e.scimUser(scimToken, "jane@example.com", "Jane")
	e.send(http.MethodGet, "/identity/v2/scim/Users/"+userID, scimToken, nil)
	e.send(http.MethodGet, "/nowhere", "", nil)
	e.send(http.MethodGet, "/_mock/faults", "", nil) // not counted

	want := mockserver.Stats{
		Total: 8,
		Requests: map[string]int{
			"POST /auth/v2/token":                                         1,
			"POST /admin/v2/directoryIntegrations":                        1,
			"GET /admin/v2/directoryIntegrations/{id}":                    2,
			"POST /admin/v2/directoryIntegrations/{id}/provisioningToken": 1,
			"POST /identity/v2/scim/Users":                                1,
			"GET /identity/v2/scim/Users/{id}":                            1,
			"UNMATCHED":                                                   1,
		},
		Classes: map[string]int{"2xx": 6, "4xx": 2},
	}
	if diff := cmp.Diff(want, e.srv.Stats()); diff != "" {
		t.Errorf("Stats mismatch (-want +got):\n%s", diff)
	}
	if got := e.srv.Stats().Count("GET /admin/v2/directoryIntegrations/{id}"); got != 2 {
		t.Errorf("Count = %d, want 2", got)
	}
	var overHTTP mockserver.Stats
	e.send(http.MethodGet, "/_mock/stats", "", nil).json(t, &overHTTP)
	if diff := cmp.Diff(want, overHTTP); diff != "" {
		t.Errorf("GET /_mock/stats mismatch (-want +got):\n%s", diff)
	}
	e.srv.ResetStats()
	if diff := cmp.Diff(mockserver.Stats{Requests: map[string]int{}, Classes: map[string]int{}}, e.srv.Stats()); diff != "" {
		t.Errorf("after ResetStats (-want +got):\n%s", diff)
	}
}

func TestFaults(t *testing.T) {
	t.Parallel()
	const route = "GET /admin/v2/directoryIntegrations"
	cases := []struct {
		name           string
		rule           mockserver.FaultRule
		path           string // default: route's path
		wantStatuses   []int
		wantRetryAfter string
		wantMinLatency time.Duration
	}{
		{"500", mockserver.FaultRule{Route: route, Rate500: 1}, "", []int{500, 500}, "", 0},
		{"503 global", mockserver.FaultRule{Rate503: 1}, "", []int{503, 503}, "", 0},
		{"429 without Retry-After", mockserver.FaultRule{Route: route, Rate429: 1}, "", []int{429}, "", 0},
		{"429 with default Retry-After", mockserver.FaultRule{Route: route, Rate429RetryAfter: 1}, "", []int{429}, "1", 0},
		{"429 with Retry-After 3", mockserver.FaultRule{Route: route, Rate429RetryAfter: 1, RetryAfterSeconds: 3}, "", []int{429}, "3", 0},
		{"limit 2", mockserver.FaultRule{Route: route, Rate503: 1, Limit: 2}, "", []int{503, 503, 200, 200}, "", 0},
		{"other route untouched", mockserver.FaultRule{Route: "GET /reports/v2/identities", Rate500: 1}, "", []int{200}, "", 0},
		{"rate 0", mockserver.FaultRule{Route: route}, "", []int{200}, "", 0},
		{"latency", mockserver.FaultRule{Route: route, Latency: 150 * time.Millisecond}, "", []int{200}, "", 150 * time.Millisecond},
		{"latency and jitter", mockserver.FaultRule{Route: route, Latency: 50 * time.Millisecond, Jitter: 20 * time.Millisecond}, "", []int{200}, "", 50 * time.Millisecond},
		{"latency limit 1", mockserver.FaultRule{Route: route, Latency: 100 * time.Millisecond, Limit: 1}, "", []int{200}, "", 100 * time.Millisecond},
		{"unmatched routes too", mockserver.FaultRule{Rate500: 1}, "/nowhere", []int{500}, "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{})
			admin := e.accessToken()
			e.srv.SetFaults(tc.rule)
			path := tc.path
			if path == "" {
				path = directoriesPath
			}
			var got []int
			for i := range tc.wantStatuses {
				start := time.Now()
				r := e.send(http.MethodGet, path, admin, nil)
				elapsed := time.Since(start)
				got = append(got, r.status)
				if i == 0 && elapsed < tc.wantMinLatency {
					t.Errorf("first request took %v, want at least %v", elapsed, tc.wantMinLatency)
				}
				if r.status >= 400 {
					wantMessage(t, r, r.status)
				}
				if ra := r.header.Get("Retry-After"); ra != tc.wantRetryAfter {
					t.Errorf("Retry-After = %q, want %q", ra, tc.wantRetryAfter)
				}
				if r.status == http.StatusTooManyRequests && r.message(t) != "Too many requests. Retry request." {
					t.Errorf("429 message = %q", r.message(t))
				}
			}
			if diff := cmp.Diff(tc.wantStatuses, got); diff != "" {
				t.Errorf("statuses mismatch (-want +got):\n%s", diff)
			}
			if n := e.srv.Stats().Total; n != len(tc.wantStatuses)+1 {
				t.Errorf("Stats.Total = %d, want every request counted (%d)", n, len(tc.wantStatuses)+1)
			}
		})
	}
}

func TestFaultOnSCIMUsesSCIMErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetFaults(mockserver.FaultRule{Route: "GET /identity/v2/scim/Users", Rate503: 1})
	wantSCIMError(t, e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil), http.StatusServiceUnavailable)
	if got := e.srv.Stats().Count("GET /identity/v2/scim/Users"); got != 1 {
		t.Errorf("faulted request counted %d times, want 1", got)
	}
}

func TestFaultDropAfterApply(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	e.srv.SetFaults(mockserver.FaultRule{Route: "POST /admin/v2/directoryIntegrations", DropRate: 1, Limit: 1})

	_, err := e.try(http.MethodPost, directoriesPath, admin, map[string]string{"name": "Okta", "identityProvider": "okta"})
	if err == nil {
		t.Fatal("the client got an answer; want a connection error")
	}
	if _, ok := e.srv.Store().DirectoryByName("Okta"); !ok {
		t.Error("the dropped create was not applied")
	}
	// The retry of the non-idempotent POST finds the object.
	r := e.send(http.MethodPost, directoriesPath, admin, map[string]string{"name": "Okta", "identityProvider": "okta"})
	wantMessage(t, r, http.StatusConflict)
	if got := e.srv.Stats().Classes["dropped"]; got != 1 {
		t.Errorf(`Stats.Classes["dropped"] = %d, want 1`, got)
	}
}

func TestFaultSeedIsDeterministic(t *testing.T) {
	t.Parallel()
	statuses := func(seed uint64) []int {
		e := newEnv(t, mockserver.Options{Seed: seed})
		e.srv.SetFaults(mockserver.FaultRule{Route: "UNMATCHED", Rate500: 0.3, Rate503: 0.3})
		var out []int
		for range 20 {
			out = append(out, e.send(http.MethodGet, "/nowhere", "", nil).status)
		}
		return out
	}
	a, b := statuses(42), statuses(42)
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("same seed, different faults (-first +second):\n%s", diff)
	}
	if count := strings.Count(fmt.Sprint(a), "404"); count == 0 || count == 20 {
		t.Errorf("statuses %v: want a mix of faults and 404s", a)
	}
}

func TestFaultsOverHTTP(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		body       string
		wantStatus int
		wantRules  []mockserver.FaultRule
	}{
		{"one rule", `{"route":"GET /reports/v2/identities","latency":"250ms","rate503":0.5,"limit":2}`, http.StatusOK,
			[]mockserver.FaultRule{{Route: "GET /reports/v2/identities", Latency: 250 * time.Millisecond, Rate503: 0.5, Limit: 2}}},
		{"array", `[{"rate429RetryAfter":0.1,"retryAfterSeconds":5},{"dropRate":0.2,"garbleRate":0.1,"jitter":"1s","rate500":0.1,"rate429":0.1}]`, http.StatusOK,
			[]mockserver.FaultRule{
				{Rate429RetryAfter: 0.1, RetryAfterSeconds: 5},
				{DropRate: 0.2, GarbleRate: 0.1, Jitter: time.Second, Rate500: 0.1, Rate429: 0.1},
			}},
		{"unknown route", `{"route":"GET /users"}`, http.StatusBadRequest, nil},
		{"rate above 1", `{"rate500":1.5}`, http.StatusBadRequest, nil},
		{"rates sum above 1", `{"rate500":0.6,"rate503":0.6}`, http.StatusBadRequest, nil},
		{"garble rate in the sum", `{"dropRate":0.6,"garbleRate":0.6}`, http.StatusBadRequest, nil},
		{"negative latency", `{"latency":"-1s"}`, http.StatusBadRequest, nil},
		{"bad duration", `{"latency":"soon"}`, http.StatusBadRequest, nil},
		{"unknown field", `{"rate_500":0.5}`, http.StatusBadRequest, nil},
		{"malformed", `{`, http.StatusBadRequest, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{})
			r := e.send(http.MethodPost, "/_mock/faults", "", tc.body)
			if tc.wantStatus != http.StatusOK {
				wantMessage(t, r, tc.wantStatus)
				if len(e.srv.Faults()) != 0 {
					t.Errorf("refused rules were installed: %v", e.srv.Faults())
				}
				return
			}
			if r.status != http.StatusOK {
				t.Fatalf("status %d: %s", r.status, r.body)
			}
			if diff := cmp.Diff(tc.wantRules, e.srv.Faults()); diff != "" {
				t.Errorf("installed rules mismatch (-want +got):\n%s", diff)
			}
			var listed struct{ Rules []mockserver.FaultRule }
			e.send(http.MethodGet, "/_mock/faults", "", nil).json(t, &listed)
			if diff := cmp.Diff(tc.wantRules, listed.Rules); diff != "" {
				t.Errorf("GET /_mock/faults mismatch (-want +got):\n%s", diff)
			}
			if r := e.send(http.MethodDelete, "/_mock/faults", "", nil); r.status != http.StatusNoContent || len(e.srv.Faults()) != 0 {
				t.Errorf("DELETE /_mock/faults: %d, rules left %v", r.status, e.srv.Faults())
			}
		})
	}
}

func TestFaultRuleJSON(t *testing.T) {
	t.Parallel()
	rule := mockserver.FaultRule{Route: "POST /auth/v2/token", Latency: 1500 * time.Millisecond, Rate429RetryAfter: 0.25, RetryAfterSeconds: 2, Limit: 3}
	b, err := json.Marshal(rule)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON := `{"route":"POST /auth/v2/token","latency":"1.5s","rate429RetryAfter":0.25,"retryAfterSeconds":2,"limit":3}`
	if string(b) != wantJSON {
		t.Errorf("JSON = %s, want %s", b, wantJSON)
	}
	var back mockserver.FaultRule
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rule, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestSetFaultsPanicsOnInvalidRule(t *testing.T) {
	t.Parallel()
	srv := mockserver.New(mockserver.Options{})
	defer func() {
		if recover() == nil {
			t.Error("SetFaults accepted a rate of 2")
		}
	}()
	srv.SetFaults(mockserver.FaultRule{Rate500: 2})
}

func TestReset(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	e.scimUser(scimToken, "jane@example.com", "Jane")
	e.srv.SetFaults(mockserver.FaultRule{Route: "UNMATCHED", Rate500: 1})

	if r := e.send(http.MethodPost, "/_mock/reset", "", nil); r.status != http.StatusNoContent {
		t.Fatalf("reset: %d %s", r.status, r.body)
	}
	if n := len(e.srv.Store().Directories()); n != 0 {
		t.Errorf("%d directories after reset", n)
	}
	if n := len(e.srv.Faults()); n != 0 {
		t.Errorf("%d fault rules after reset", n)
	}
	if n := e.srv.Stats().Total; n != 0 {
		t.Errorf("Stats.Total = %d after reset", n)
	}
	wantSCIMError(t, e.send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil), http.StatusUnauthorized)
	if r := e.send(http.MethodGet, directoriesPath, admin, nil); r.status != http.StatusOK {
		t.Errorf("the access token stopped working after reset: %d", r.status)
	}
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	big := `{"name":"` + strings.Repeat("x", 2048) + `","identityProvider":"okta"}`
	cases := []struct {
		name    string
		path    string
		body    io.Reader
		chunked bool
		scim    bool
	}{
		{"admin with length", directoriesPath, strings.NewReader(big), false, false},
		{"admin chunked", directoriesPath, io.MultiReader(strings.NewReader(big)), true, false},
		{"token form", "/auth/v2/token", strings.NewReader("grant_type=client_credentials&pad=" + strings.Repeat("x", 2048)), false, false},
		{"SCIM chunked", "/identity/v2/scim/Users", io.MultiReader(strings.NewReader(big)), true, true},
		{"SCIM with length", "/identity/v2/scim/Users", strings.NewReader(big), false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, mockserver.Options{MaxBodyBytes: 1024})
			admin := e.accessToken()
			_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
			if err != nil {
				t.Fatal(err)
			}
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.ts.URL+tc.path, tc.body)
			if err != nil {
				t.Fatal(err)
			}
			token := admin
			if tc.scim {
				token = scimToken
			}
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			if tc.path == "/auth/v2/token" {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(mockserver.DefaultClientID, mockserver.DefaultClientSecret)
			}
			if tc.chunked != (req.ContentLength <= 0) {
				t.Fatalf("test setup: ContentLength %d", req.ContentLength)
			}
			r := e.do(req)
			if tc.scim {
				wantSCIMError(t, r, http.StatusRequestEntityTooLarge)
			} else {
				wantMessage(t, r, http.StatusRequestEntityTooLarge)
			}
		})
	}
}

func TestUnknownRoutes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	admin := e.accessToken()
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path, token string
		wantStatus          int
		wantAllow           string
		scim                bool
	}{
		{http.MethodGet, "/nowhere", admin, http.StatusNotFound, "", false},
		{http.MethodGet, "/admin/v2/directoryIntegrations/a/b", admin, http.StatusNotFound, "", false},
		{http.MethodGet, "/auth/v2/token", "", http.StatusMethodNotAllowed, "POST", false},
		{http.MethodPut, directoriesPath, admin, http.StatusMethodNotAllowed, "GET, HEAD, POST", false},
		{http.MethodGet, "/identity/v2/scim/Nope", scimToken, http.StatusNotFound, "", true},
		{http.MethodGet, "/_mock/nope", "", http.StatusNotFound, "", false},
		{http.MethodPost, "/_mock/stats", "", http.StatusMethodNotAllowed, "GET, HEAD", false},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			r := e.on(t).send(tc.method, tc.path, tc.token, nil)
			if tc.scim {
				wantSCIMError(t, r, tc.wantStatus)
			} else {
				wantMessage(t, r, tc.wantStatus)
			}
			if got := r.header.Get("Allow"); got != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", got, tc.wantAllow)
			}
		})
	}
}

func TestBootstrap(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	dir, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	if dir.Token == nil || dir.Token.ExpiresAt != nil || dir.Name != "Okta" || dir.IdentityProvider != "okta" || dir.SCIM == nil {
		t.Errorf("Bootstrap directory = %+v", dir)
	}
	e.scimUser(scimToken, "jane@example.com", "Jane")
	if scim, ok := e.srv.Store().DirectorySCIM(dir.ID); !ok || !equalCounts(scim.Counts, 1, 0) {
		t.Errorf("DirectorySCIM(%q) does not hold the user", dir.ID)
	}
	// Again with the same name (any letter case), as make mock does at
	// every start on its -data file: the same directory with its user,
	// and a new token that revokes the previous one.
	again, newToken, err := e.srv.Bootstrap("OKTA", "okta")
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != dir.ID || newToken == scimToken || !equalCounts(again.SCIM.Counts, 1, 0) {
		t.Errorf("Bootstrap again = %+v, token changed %v; want directory %s with its user and a new token", again, newToken != scimToken, dir.ID)
	}
	if r := e.on(t).send(http.MethodGet, "/identity/v2/scim/Users", scimToken, nil); r.status != http.StatusUnauthorized {
		t.Errorf("the previous token after Bootstrap again: %d, want 401", r.status)
	}
	if _, _, err := e.srv.Bootstrap("Other", "azure"); err == nil {
		t.Error("Bootstrap accepted an unknown identity provider")
	}
}

// equalCounts compares a Counts method's result.
func equalCounts(counts func() (int, int), users, groups int) bool {
	u, g := counts()
	return u == users && g == groups
}
