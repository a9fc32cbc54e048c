package scim

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
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

// fastRetries keeps retry waits in the milliseconds.
var fastRetries = transport.Config{MaxRetries: 4, RetryWaitMin: time.Millisecond, RetryWaitMax: 10 * time.Millisecond}

// fixture is a mock service with one directory integration and a SCIM
// client for it.
type fixture struct {
	srv   *mockserver.Server
	store *scimserver.Store // the directory's users and groups
	c     *Client
	url   string // SCIM base URL
	token string
}

// newFixture starts a fresh mock in strict filter mode: the client must
// work against the real service, which may refuse any filter but the
// documented ones.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixtureWith(t, mockserver.Options{Seed: 1, StrictFilters: true})
}

// newFixtureWith starts a fresh mock with opts, for the tests of filters
// that only the mock's default mode answers. Its filter mode is the one
// opts gives, whatever SECUREACCESS_MOCK_STRICT says.
func newFixtureWith(t testing.TB, opts mockserver.Options) *fixture {
	t.Helper()
	m := mocktest.Start(t, "OKTA Integration", opts)
	m.SetStrictFilters(opts.StrictFilters)
	c, err := NewClient(Config{URL: m.SCIMURL(), Token: m.SCIMToken, Config: fastRetries})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{srv: m.Server, store: m.SCIM(t), c: c, url: m.SCIMURL(), token: m.SCIMToken}
}

// ptr returns a pointer to v.
func ptr[T any](v T) *T { return &v }

// ignoreMeta compares resources without their service-set metadata.
var ignoreMeta = cmpopts.IgnoreFields(User{}, "ID", "Meta")

func TestUsersLifecycle(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	jane := &User{
		UserName:    "jane@example.com",
		ExternalID:  ptr("00u1"),
		Active:      ptr(true),
		DisplayName: ptr("Jane Doe"),
		Name:        &Name{GivenName: ptr("Jane"), FamilyName: ptr("Doe"), Formatted: ptr("Jane Doe")},
		Emails:      []Email{{Value: "jane@example.com", Type: "work", Primary: true}},
		Cisco:       &CiscoUserExtension{NativeObjectID: ptr("5f3c"), AuthName: ptr("jdoe")},
	}

	created, err := f.c.Users.Create(ctx, jane)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if diff := cmp.Diff(jane, created, ignoreMeta); diff != "" {
		t.Errorf("Create (-sent +got):\n%s", diff)
	}
	if created.ID == "" || created.Meta == nil || created.Meta.Version == "" || created.Meta.Created.IsZero() {
		t.Fatalf("Create: id or meta missing: %+v", created)
	}
	if stored, ok := f.store.User(created.ID); !ok || stored.AuthName != "jdoe" || stored.NativeObjectID != "5f3c" {
		t.Errorf("store has %+v", stored)
	}

	got, err := f.c.Users.Get(ctx, created.ID, nil)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("Get (-created +got):\n%s", diff)
	}
	partial, err := f.c.Users.Get(ctx, created.ID, &GetOptions{Attributes: []string{"userName"}})
	if err != nil || partial.UserName != jane.UserName || partial.DisplayName != nil || partial.Emails != nil {
		t.Errorf("Get userName only = %+v, %v", partial, err)
	}
	noEmails, err := f.c.Users.Get(ctx, created.ID, &GetOptions{ExcludedAttributes: []string{"emails"}})
	if err != nil || noEmails.Emails != nil || noEmails.DisplayName == nil {
		t.Errorf("Get without emails = %+v, %v", noEmails, err)
	}
	byName, err := f.c.Users.GetByUserName(ctx, "JANE@example.com")
	if err != nil || byName.ID != created.ID {
		t.Errorf("GetByUserName = %+v, %v", byName, err)
	}

	update := *created
	update.DisplayName = ptr("Jane Smith")
	update.Cisco = nil
	replaced, err := f.c.Users.Replace(ctx, created.ID, &update)
	if err != nil {
		t.Fatalf("Replace: %v", err)
	}
	if *replaced.DisplayName != "Jane Smith" || replaced.Cisco != nil || replaced.Meta.Version == created.Meta.Version {
		t.Errorf("Replace = %+v", replaced)
	}

	patched, err := f.c.Users.Patch(ctx, created.ID, []PatchOperation{{Op: OpReplace, Value: map[string]any{"active": false}}})
	if err != nil {
		t.Fatalf("Patch: %v", err)
	}
	if patched == nil || patched.Active == nil || *patched.Active {
		t.Errorf("Patch = %+v, want inactive", patched)
	}

	if err := f.c.Users.Delete(ctx, created.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	for name, err := range map[string]error{
		"Get":           second(f.c.Users.Get(ctx, created.ID, nil)),
		"GetByUserName": second(f.c.Users.GetByUserName(ctx, jane.UserName)),
		"Delete":        f.c.Users.Delete(ctx, created.ID),
		"Patch":         second(f.c.Users.Patch(ctx, created.ID, []PatchOperation{{Op: OpReplace, Path: "active", Value: true}})),
	} {
		if !errors.Is(err, transport.ErrNotFound) {
			t.Errorf("%s after delete: %v, want ErrNotFound", name, err)
		}
	}
}

// second returns the error of a (value, error) pair.
func second[T any](_ T, err error) error { return err }

func TestUsersCreateConflictOnFirstAttempt(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	if _, err := f.store.CreateUser(scimserver.User{UserName: "taken@example.com"}); err != nil {
		t.Fatal(err)
	}
	_, err := f.c.Users.Create(t.Context(), &User{UserName: "TAKEN@example.com"})
	var apiErr *transport.APIError
	if !errors.Is(err, transport.ErrConflict) || !errors.As(err, &apiErr) || apiErr.ScimType != "uniqueness" {
		t.Errorf("Create duplicate: %v, want ErrConflict with scimType uniqueness", err)
	}
	if n := f.srv.Stats().Count("POST /identity/v2/scim/Users"); n != 1 {
		t.Errorf("%d POSTs, want 1", n)
	}
}

func TestCreateLostResponse(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		route  string
		create func(f *fixture) (string, error)
		count  func(f *fixture) int
	}{
		"user": {
			route: "POST /identity/v2/scim/Users",
			create: func(f *fixture) (string, error) {
				u, err := f.c.Users.Create(t.Context(), &User{UserName: "lost@example.com", DisplayName: ptr("Lost")})
				if err != nil {
					return "", err
				}
				return u.ID, nil
			},
			count: func(f *fixture) int { return len(f.store.Users()) },
		},
		"group": {
			route: "POST /identity/v2/scim/Groups",
			create: func(f *fixture) (string, error) {
				g, err := f.c.Groups.Create(t.Context(), &Group{DisplayName: "Lost"})
				if err != nil {
					return "", err
				}
				return g.ID, nil
			},
			count: func(f *fixture) int { return len(f.store.Groups()) },
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			f.srv.SetFaults(mockserver.FaultRule{Route: tc.route, DropRate: 1, Limit: 1})
			id, err := tc.create(f)
			if err != nil {
				t.Fatalf("Create: %v", err)
			}
			if n := tc.count(f); n != 1 {
				t.Errorf("store holds %d, want exactly 1", n)
			}
			if id == "" {
				t.Error("no id returned")
			}
			if n := f.srv.Stats().Count(tc.route); n != 2 {
				t.Errorf("%d POSTs, want 2 (dropped, then 409)", n)
			}
		})
	}
}

func TestFilterEscapingAgainstMock(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, mockserver.Options{Seed: 1}) // strict mode refuses the naive filter before it can widen
	names := []string{
		`a" or userName pr or "`,
		`x" or userName pr or userName eq "y`,
		`back\slash@example.com`,
		`quote"in@example.com`,
		`plain@example.com`,
		`a`,
	}
	ids := map[string]string{}
	for _, n := range names {
		u, err := f.c.Users.Create(t.Context(), &User{UserName: n})
		if err != nil {
			t.Fatalf("Create %q: %v", n, err)
		}
		ids[n] = u.ID
	}
	naive := Filter(`userName eq "` + names[1] + `"`) // what unescaped quoting would send
	if resp, err := f.c.Users.List(t.Context(), &ListOptions{Filter: naive}); err != nil || resp.TotalResults != len(names) {
		t.Fatalf("the unescaped filter should match all %d users: %+v, %v", len(names), resp, err)
	}
	for _, n := range names {
		t.Run(n, func(t *testing.T) {
			t.Parallel()
			resp, err := f.c.Users.List(t.Context(), &ListOptions{Filter: Eq("userName", n)})
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			var got []string
			for _, u := range resp.Resources {
				got = append(got, u.ID)
			}
			if diff := cmp.Diff([]string{ids[n]}, got); diff != "" || resp.TotalResults != 1 {
				t.Errorf("filter for %q (-want +got):\n%s (totalResults %d)", n, diff, resp.TotalResults)
			}
			u, err := f.c.Users.GetByUserName(t.Context(), n)
			if err != nil || u.ID != ids[n] {
				t.Errorf("GetByUserName = %+v, %v", u, err)
			}
		})
	}
}

func TestAllPages(t *testing.T) {
	t.Parallel()
	f := newFixtureWith(t, mockserver.Options{Seed: 1}) // paging through a filter that matches many takes a filter strict mode refuses
	const n = 250
	var want []string
	for i := range n {
		u, err := f.store.CreateUser(scimserver.User{UserName: fmt.Sprintf("user%03d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, u.ID)
	}
	tests := map[string]struct {
		opts         *ListOptions
		want         []string
		wantRequests int
	}{
		"nil options, one large page": {opts: nil, want: want, wantRequests: 1},
		"pages of 100":                {opts: &ListOptions{Count: 100}, want: want, wantRequests: 3},
		"from 201 in pages of 25":     {opts: &ListOptions{StartIndex: 201, Count: 25}, want: want[200:], wantRequests: 2},
		"filtered":                    {opts: &ListOptions{Filter: `userName sw "user24"`, Count: 4}, want: want[240:250], wantRequests: 3},
		"nothing matches":             {opts: &ListOptions{Filter: Eq("userName", "nobody")}, want: nil, wantRequests: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, counter := countingClient(t, f)
			var got []string
			for u, err := range c.Users.All(t.Context(), tc.opts) {
				if err != nil {
					t.Fatalf("All: %v", err)
				}
				got = append(got, u.ID)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ids (-want +got):\n%s", diff)
			}
			if n := counter.count(); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

func TestAllStopsEarlyAndReportsErrors(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	for i := range 5 {
		if _, err := f.store.CreateUser(scimserver.User{UserName: fmt.Sprintf("u%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	c, counter := countingClient(t, f)
	seen := 0
	for _, err := range c.Users.All(t.Context(), &ListOptions{Count: 2}) {
		if err != nil {
			t.Fatal(err)
		}
		if seen++; seen == 3 {
			break
		}
	}
	if n := counter.count(); n != 2 {
		t.Errorf("%d requests after breaking at the 3rd user, want 2", n)
	}

	var errs []error
	for u, err := range f.c.Users.All(t.Context(), &ListOptions{Filter: "userName zz"}) {
		if u != nil {
			t.Errorf("yielded %+v with an invalid filter", u)
		}
		errs = append(errs, err)
	}
	var apiErr *transport.APIError
	if len(errs) != 1 || !errors.As(errs[0], &apiErr) || apiErr.ScimType != "invalidFilter" {
		t.Errorf("errors %v, want one invalidFilter", errs)
	}
}

func TestGroupsLifecycleAndMembers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	var userIDs []string
	for i := range 250 {
		u, err := f.store.CreateUser(scimserver.User{UserName: fmt.Sprintf("m%03d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		userIDs = append(userIDs, u.ID)
	}
	g, err := f.c.Groups.Create(ctx, &Group{DisplayName: "Engineering", ExternalID: ptr("ext-1"), Members: []Member{{Value: userIDs[0]}}})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if g.ID == "" || len(g.Members) != 1 || g.Members[0].Value != userIDs[0] || *g.ExternalID != "ext-1" {
		t.Errorf("Create = %+v", g)
	}
	byName, err := f.c.Groups.GetByDisplayName(ctx, "engineering", nil)
	if err != nil || byName.ID != g.ID {
		t.Errorf("GetByDisplayName = %+v, %v", byName, err)
	}

	const patchRoute = "PATCH /identity/v2/scim/Groups/{id}"
	if _, err := f.c.Groups.AddMembers(ctx, g.ID, userIDs); err != nil {
		t.Fatalf("AddMembers: %v", err)
	}
	if diff := cmp.Diff(sorted(userIDs), f.store.GroupMembers(g.ID)); diff != "" {
		t.Errorf("members after add (-want +got):\n%s", diff)
	}
	if n := f.srv.Stats().Count(patchRoute); n != 3 {
		t.Errorf("%d PATCHes for 250 adds, want 3", n)
	}
	if err := f.c.Groups.RemoveMembers(ctx, g.ID, userIDs[:150]); err != nil {
		t.Fatalf("RemoveMembers: %v", err)
	}
	if diff := cmp.Diff(sorted(userIDs[150:]), f.store.GroupMembers(g.ID)); diff != "" {
		t.Errorf("members after remove (-want +got):\n%s", diff)
	}
	if n := f.srv.Stats().Count(patchRoute); n != 5 {
		t.Errorf("%d PATCHes after 150 removes, want 5", n)
	}
	for id, want := range map[string]bool{userIDs[0]: false, userIDs[200]: true, "no-such-user": false} {
		if got, err := f.c.Refresh.HasMember(ctx, g.ID, id); err != nil || got != want {
			t.Errorf("HasMember(%s) = %v, %v; want %v", id, got, err, want)
		}
	}
	if got, err := f.c.Refresh.HasMember(ctx, "no-such-group", userIDs[200]); !errors.Is(err, transport.ErrNotFound) || got {
		t.Errorf("HasMember of a missing group = %v, %v; want false, ErrNotFound", got, err)
	}

	noMembers, err := f.c.Groups.Get(ctx, g.ID, &GetOptions{ExcludedAttributes: []string{"members"}})
	if err != nil || noMembers.Members != nil || noMembers.DisplayName != "Engineering" {
		t.Errorf("Get without members = %+v, %v", noMembers, err)
	}
	renamed, err := f.c.Groups.Patch(ctx, g.ID, []PatchOperation{{Op: OpReplace, Value: map[string]any{"id": g.ID, "displayName": "Eng"}}})
	if err != nil {
		t.Fatalf("Patch: %v", err)
	}
	if renamed != nil && renamed.DisplayName != "Eng" {
		t.Errorf("Patch = %+v", renamed)
	}
	replaced, err := f.c.Groups.Replace(ctx, g.ID, &Group{DisplayName: "Platform", Members: []Member{{Value: userIDs[1]}}})
	if err != nil || replaced.DisplayName != "Platform" || len(replaced.Members) != 1 {
		t.Errorf("Replace = %+v, %v", replaced, err)
	}
	resp, err := f.c.Groups.List(ctx, &ListOptions{Filter: Eq("displayName", "Platform"), ExcludedAttributes: []string{"members"}})
	if err != nil || resp.TotalResults != 1 || resp.Resources[0].ID != g.ID {
		t.Errorf("List = %+v, %v", resp, err)
	}
	if err := f.c.Groups.Delete(ctx, g.ID); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if _, err := f.c.Groups.Get(ctx, g.ID, nil); !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("Get after delete: %v, want ErrNotFound", err)
	}
}

// sorted returns a sorted copy.
func sorted(s []string) []string {
	return slices.Sorted(slices.Values(s))
}

// countingTransport counts the requests of one client.
type countingTransport struct {
	n atomic.Int32
}

// RoundTrip implements http.RoundTripper.
func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// count returns the requests so far.
func (c *countingTransport) count() int { return int(c.n.Load()) }

// countingClient returns a client of f's directory that counts its requests.
func countingClient(t *testing.T, f *fixture) (*Client, *countingTransport) {
	t.Helper()
	counter := &countingTransport{}
	cfg := fastRetries
	cfg.HTTPClient = &http.Client{Transport: counter}
	c, err := NewClient(Config{URL: f.url, Token: f.token, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return c, counter
}

func TestRetriesAgainstFaults(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		route        string
		rule         mockserver.FaultRule
		wantRequests int
	}{
		"POST 503 burst":            {route: "POST /identity/v2/scim/Users", rule: mockserver.FaultRule{Rate503: 1, Limit: 2}, wantRequests: 3},
		"POST 429 with Retry-After": {route: "POST /identity/v2/scim/Users", rule: mockserver.FaultRule{Rate429RetryAfter: 1, RetryAfterSeconds: 1, Limit: 1}, wantRequests: 2},
		"POST 500 not retried":      {route: "POST /identity/v2/scim/Users", rule: mockserver.FaultRule{Rate500: 1, Limit: 1}, wantRequests: 1},
		"GET 429 without Retry-After": {
			route: "GET /identity/v2/scim/Users/{id}", rule: mockserver.FaultRule{Rate429: 1, Limit: 3}, wantRequests: 4,
		},
		"PATCH dropped": {route: "PATCH /identity/v2/scim/Users/{id}", rule: mockserver.FaultRule{DropRate: 1, Limit: 1}, wantRequests: 2},
		"PUT latency":   {route: "PUT /identity/v2/scim/Users/{id}", rule: mockserver.FaultRule{Latency: 30 * time.Millisecond}, wantRequests: 1},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := newFixture(t)
			seeded, err := f.store.CreateUser(scimserver.User{UserName: "seed@example.com"})
			if err != nil {
				t.Fatal(err)
			}
			tc.rule.Route = tc.route
			f.srv.SetFaults(tc.rule)
			err = callRoute(t, f, tc.route, seeded.ID)
			if tc.rule.Rate500 > 0 {
				var apiErr *transport.APIError
				if !errors.As(err, &apiErr) || apiErr.StatusCode != 500 {
					t.Errorf("got %v, want the 500", err)
				}
			} else if err != nil {
				t.Errorf("call: %v", err)
			}
			if n := f.srv.Stats().Count(tc.route); n != tc.wantRequests {
				t.Errorf("%d requests, want %d", n, tc.wantRequests)
			}
		})
	}
}

// callRoute makes the client call that uses route, on user id.
func callRoute(t *testing.T, f *fixture, route, id string) error {
	t.Helper()
	ctx := t.Context()
	switch route {
	case "POST /identity/v2/scim/Users":
		return second(f.c.Users.Create(ctx, &User{UserName: "new@example.com"}))
	case "GET /identity/v2/scim/Users/{id}":
		return second(f.c.Users.Get(ctx, id, nil))
	case "PATCH /identity/v2/scim/Users/{id}":
		return second(f.c.Users.Patch(ctx, id, []PatchOperation{{Op: OpReplace, Path: "active", Value: false}}))
	case "PUT /identity/v2/scim/Users/{id}":
		return second(f.c.Users.Replace(ctx, id, &User{UserName: "seed@example.com", DisplayName: ptr("Seed")}))
	}
	t.Fatalf("no call for %s", route)
	return nil
}

func TestRevokedTokenIsUnauthorized(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	c, err := NewClient(Config{URL: f.url, Token: "not-the-token", Config: fastRetries})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Users.List(t.Context(), nil)
	if !errors.Is(err, transport.ErrUnauthorized) {
		t.Errorf("List: %v, want ErrUnauthorized", err)
	}
	if n := f.srv.Stats().Count("GET /identity/v2/scim/Users"); n != 1 {
		t.Errorf("%d requests, want 1 (no retry)", n)
	}
}

// TestUserActiveUnassigned checks that the client reads a user whose active
// was removed (RFC 7644 §3.5.2.2) as unassigned, nil, and that a Replace
// without Active leaves the service's value alone.
func TestUserActiveUnassigned(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	created, err := f.c.Users.Create(ctx, &User{UserName: "jane@example.com", Active: ptr(false)})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	replaced, err := f.c.Users.Replace(ctx, created.ID, &User{UserName: "jane@example.com", DisplayName: ptr("Jane")})
	if err != nil {
		t.Fatalf("Replace: %v", err)
	}
	if diff := cmp.Diff(ptr(false), replaced.Active); diff != "" {
		t.Errorf("Replace without active: active (-want +got):\n%s", diff)
	}
	patched, err := f.c.Users.Patch(ctx, created.ID, []PatchOperation{{Op: OpRemove, Path: "active"}})
	if err != nil {
		t.Fatalf("Patch: %v", err)
	}
	got, err := f.c.Users.Get(ctx, created.ID, nil)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	for name, u := range map[string]*User{"Patch": patched, "Get": got} {
		if u == nil || u.Active != nil {
			t.Errorf("%s after removing active = %+v, want Active nil (unassigned)", name, u)
		}
	}
}
