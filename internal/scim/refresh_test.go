package scim

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// refreshFixture is a mock directory (mocktest) behind a proxy that counts
// the SCIM requests by kind and can shape the pages the service answers.
type refreshFixture struct {
	store *scimserver.Store
	srv   *mockserver.Server
	c     *Client

	mu       sync.Mutex
	requests map[string]int // "GET /Users/{id}", "GET /Users", …
	// pageSize, when set, caps the count of a list request the way a
	// service with a smaller maximum does; it gets the startIndex.
	pageSize func(startIndex int) int
	// failLists answers every list request 400 invalidFilter.
	failLists bool
}

func newRefreshFixture(t *testing.T, cfg Config) *refreshFixture {
	t.Helper()
	m := mocktest.Start(t, "OKTA Integration", mockserver.Options{Seed: 1, StrictFilters: true})
	f := &refreshFixture{srv: m.Server, store: m.SCIM(t), requests: map[string]int{}}
	proxy := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(proxy.Close)
	cfg.URL, cfg.Token, cfg.Config = proxy.URL+mockserver.SCIMPath, m.SCIMToken, fastRetries
	var err error
	if f.c, err = NewClient(cfg); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *refreshFixture) serve(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, mockserver.SCIMPath+"/")
	kind, id, _ := strings.Cut(rest, "/")
	key := r.Method + " /" + kind
	if id != "" {
		key += "/{id}"
	}
	f.mu.Lock()
	f.requests[key]++
	shape, fail := f.pageSize, f.failLists
	f.mu.Unlock()
	if id == "" && r.Method == http.MethodGet {
		if fail {
			w.Header().Set("Content-Type", MediaType)
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprint(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidFilter","detail":"no"}`)
			return
		}
		if shape != nil {
			q := r.URL.Query()
			start, _ := strconv.Atoi(q.Get("startIndex"))
			count, _ := strconv.Atoi(q.Get("count"))
			q.Set("count", strconv.Itoa(min(count, shape(max(start, 1)))))
			r.URL.RawQuery = q.Encode()
		}
	}
	f.srv.ServeHTTP(w, r)
}

// counts returns the requests seen since the last call, by kind.
func (f *refreshFixture) counts() map[string]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := f.requests
	f.requests = map[string]int{}
	return out
}

// seedUsers creates n users and returns them in order.
func (f *refreshFixture) seedUsers(t testing.TB, n int) []scimserver.User {
	t.Helper()
	users := make([]scimserver.User, n)
	for i := range users {
		u, err := f.store.CreateUser(scimserver.User{UserName: fmt.Sprintf("user-%06d@example.com", i), DisplayName: fmt.Sprintf("User %d", i), Active: new(true)})
		if err != nil {
			t.Fatal(err)
		}
		users[i] = u
	}
	return users
}

// readUsers reads the users with ids through c.Refresh, ten at a time as
// Terraform's default parallelism does, and returns their userNames by id.
func readUsers(t *testing.T, c *Client, ids []string) map[string]string {
	t.Helper()
	var (
		mu   sync.Mutex
		got  = map[string]string{}
		errs []error
		work = make(chan string)
		wg   sync.WaitGroup
	)
	for range 10 {
		wg.Go(func() {
			for id := range work {
				u, err := c.Refresh.User(t.Context(), id)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", id, err))
				} else {
					got[id] = u.UserName
				}
				mu.Unlock()
			}
		})
	}
	for _, id := range ids {
		work <- id
	}
	close(work)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return got
}

// want is the userNames of users by id.
func want(users []scimserver.User) map[string]string {
	m := make(map[string]string, len(users))
	for _, u := range users {
		m[u.ID] = u.UserName
	}
	return m
}

func ids(users []scimserver.User) []string {
	out := make([]string, len(users))
	for i, u := range users {
		out[i] = u.ID
	}
	return out
}

func TestRefresh_fewObjectsAreReadByID(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	users := f.seedUsers(t, 100000)                  // issue 14: 10 users of 100,000 in at most 12 requests
	managed := users[50000 : 50000+RefreshThreshold] // at the threshold: no listing
	if diff := cmp.Diff(want(managed), readUsers(t, f.c, ids(managed))); diff != "" {
		t.Fatalf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"GET /Users/{id}": RefreshThreshold}, f.counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// A second read of the same objects in the same operation is free.
	readUsers(t, f.c, ids(managed))
	if got := f.counts(); len(got) != 0 {
		t.Errorf("reading the same users again sent %v", got)
	}
}

func TestRefresh_manyObjectsAreListed(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		pageSize func(int) int
		maxReqs  int
	}{
		// The mock's own maximum (1000): the first page is the directory.
		{name: "one page", maxReqs: RefreshThreshold + 1},
		// A service that answers 100 per page: 10 pages.
		{name: "pages of 100", pageSize: func(int) int { return 100 }, maxReqs: RefreshThreshold + 10},
		// A service whose pages are shorter than the first: the gaps are
		// listed, not read by id.
		{name: "short pages", pageSize: func(start int) int {
			if start == 1 {
				return 100
			}
			return 37
		}, maxReqs: RefreshThreshold + 1 + 9*3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newRefreshFixture(t, Config{})
			f.pageSize = tt.pageSize
			users := f.seedUsers(t, 1000)
			if diff := cmp.Diff(want(users), readUsers(t, f.c, ids(users))); diff != "" {
				t.Fatalf("users (-want +got):\n%s", diff)
			}
			got := f.counts()
			total := got["GET /Users/{id}"] + got["GET /Users"]
			if got["GET /Users/{id}"] > RefreshThreshold || total > tt.maxReqs {
				t.Errorf("reading 1000 users sent %v, want at most %d reads by id and %d requests in all", got, RefreshThreshold, tt.maxReqs)
			}
		})
	}
}

// A few objects in a large directory: the directory is not listed, and
// the refresh costs at most one page more than reading them one by one.
func TestRefresh_largeDirectoryIsNotListed(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	f.pageSize = func(int) int { return 100 }
	users := f.seedUsers(t, 20000) // 200 pages
	managed := users[5000:5150]
	if diff := cmp.Diff(want(managed), readUsers(t, f.c, ids(managed))); diff != "" {
		t.Fatalf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"GET /Users/{id}": len(managed), "GET /Users": 1}, f.counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// The objects of the first page, which told the size, are not read
	// again.
	first, err := f.c.Users.List(t.Context(), &ListOptions{StartIndex: 1, Count: 5})
	if err != nil {
		t.Fatal(err)
	}
	f.counts()
	var firstIDs []string
	for _, u := range first.Resources {
		firstIDs = append(firstIDs, u.ID)
	}
	if got := readUsers(t, f.c, firstIDs); len(got) != len(firstIDs) {
		t.Errorf("users of the first page: got %v", got)
	}
	if got := f.counts(); len(got) != 0 {
		t.Errorf("reading users of the first page sent %v, want nothing", got)
	}
}

// Once the reads by id cost as much as the rest of the listing, the rest
// is listed.
func TestRefresh_listsOnceReadsByIDCostAsMuch(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	f.pageSize = func(int) int { return 100 }
	users := f.seedUsers(t, 3000) // 30 pages
	managed := users[:600]
	if diff := cmp.Diff(want(managed), readUsers(t, f.c, ids(managed))); diff != "" {
		t.Fatalf("users (-want +got):\n%s", diff)
	}
	got := f.counts()
	// 29 pages left after the first: listing starts after 29 reads by id
	// (a few more may be in flight), and costs 30 pages.
	if byID, pages := got["GET /Users/{id}"], got["GET /Users"]; byID < 29 || byID > 29+10 || pages != 30 {
		t.Errorf("reading 600 of 3000 users sent %v, want 29 to 39 reads by id and 30 pages", got)
	}
}

// An object the listing does not have is read by id: one created after
// the listing is found, one deleted is gone.
func TestRefresh_absentFromListingIsReadByID(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	users := f.seedUsers(t, 50)
	readUsers(t, f.c, ids(users))
	late, err := f.store.CreateUser(scimserver.User{UserName: "late@example.com", Active: new(true)}) // not in the listing
	if err != nil {
		t.Fatal(err)
	}
	f.counts()
	if got := readUsers(t, f.c, []string{late.ID}); got[late.ID] != late.UserName {
		t.Errorf("user created after the listing: got %v", got)
	}
	if _, err := f.c.Refresh.User(t.Context(), "no-such-id"); !errors.Is(err, transport.ErrNotFound) {
		t.Errorf("unknown id: got %v, want ErrNotFound", err)
	}
	if diff := cmp.Diff(map[string]int{"GET /Users/{id}": 2}, f.counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// A write through the client forgets what was read: the next read goes to
// the service and sees the write.
func TestRefresh_writeForgets(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	users := f.seedUsers(t, 50)
	readUsers(t, f.c, ids(users))
	u := users[7]
	renamed := &User{UserName: "renamed@example.com", Active: new(true)}
	if _, err := f.c.Users.Replace(t.Context(), u.ID, renamed); err != nil {
		t.Fatal(err)
	}
	f.counts()
	if got := readUsers(t, f.c, []string{u.ID}); got[u.ID] != "renamed@example.com" {
		t.Errorf("after the write: got %v, want renamed@example.com", got)
	}
	if diff := cmp.Diff(map[string]int{"GET /Users/{id}": 1}, f.counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// A service that refuses the listing costs nothing but that one request:
// the reads go on by id.
func TestRefresh_failedListingFallsBack(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	users := f.seedUsers(t, 100)
	f.failLists = true
	if diff := cmp.Diff(want(users), readUsers(t, f.c, ids(users))); diff != "" {
		t.Fatalf("users (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"GET /Users/{id}": 100, "GET /Users": 1}, f.counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

func TestRefresh_unbatched(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{UnbatchedRefresh: true})
	users := f.seedUsers(t, 100)
	readUsers(t, f.c, ids(users))
	readUsers(t, f.c, ids(users[:10]))
	if diff := cmp.Diff(map[string]int{"GET /Users/{id}": 110}, f.counts()); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
}

// Memberships: one member list per group serves every membership of it;
// many groups are listed with their members; groups are read without.
func TestRefresh_groupsAndMembers(t *testing.T) {
	t.Parallel()
	f := newRefreshFixture(t, Config{})
	users := f.seedUsers(t, 200)
	type membership struct{ group, user string }
	var members []membership
	var groupIDs []string
	for i := range 40 {
		g, err := f.store.CreateGroup(scimserver.Group{DisplayName: fmt.Sprintf("group-%02d", i)})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range users[i*5 : i*5+5] {
			if err := f.store.AddMembers(g.ID, u.ID); err != nil {
				t.Fatal(err)
			}
			members = append(members, membership{g.ID, u.ID})
		}
		groupIDs = append(groupIDs, g.ID)
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(members)+len(groupIDs)+1)
	for _, m := range members {
		wg.Go(func() {
			ok, err := f.c.Refresh.HasMember(t.Context(), m.group, m.user)
			if err == nil && !ok {
				err = fmt.Errorf("%s is not a member of %s", m.user, m.group)
			}
			errs <- err
		})
	}
	for _, id := range groupIDs {
		wg.Go(func() {
			g, err := f.c.Refresh.Group(t.Context(), id)
			if err == nil && (g.ID != id || g.DisplayName == "") {
				err = fmt.Errorf("group %s read as id %q, name %q; want its id and name", id, g.ID, g.DisplayName)
			}
			errs <- err
		})
	}
	wg.Go(func() {
		ok, err := f.c.Refresh.HasMember(t.Context(), groupIDs[0], users[199].ID)
		if err == nil && ok {
			err = errors.New("a non-member reads as a member")
		}
		errs <- err
	})
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	// Member lists: at most RefreshThreshold by id and one page; groups
	// the same, once the first group read probed excludedAttributes=members
	// with two reads.
	got := f.counts()
	if got["GET /Groups/{id}"] > 2*RefreshThreshold+2 || got["GET /Groups"] > 2 {
		t.Errorf("reading 40 groups and 200 memberships sent %v", got)
	}
}

// TestRefresh_cancelledWhenListingStarts reads, with a cancelled context,
// at the moment a read starts the listing after the first page came. The
// read ends with the object or the context's error, never a panic: the
// probe's wait may pick the context's error over its page.
func TestRefresh_cancelledWhenListingStarts(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for range 50 {
		c := newCollection(&resources[User]{idOf: func(u *User) string { return u.ID }}, nil, DefaultPageSize, false)
		s := c.cache.Lock()
		for i := range RefreshThreshold {
			id := fmt.Sprint("read-", i)
			s.one[id] = &flight[*User]{v: &User{ID: id}}
		}
		s.probe = &flight[*ListResponse[User]]{v: &ListResponse[User]{TotalResults: 1, Resources: []User{{ID: "listed"}}}}
		c.cache.Unlock()
		u, err := c.get(ctx, "listed")
		if err == nil && u.ID != "listed" || err != nil && !errors.Is(err, context.Canceled) {
			t.Fatalf("get = %v, %v; want the listed user or context.Canceled", u, err)
		}
	}
}

// TestRefreshNext is the decision of a read of an object not read yet, as
// a function of what the collection has seen.
func TestRefreshNext(t *testing.T) {
	t.Parallel()
	const n = RefreshThreshold
	tests := map[string]struct {
		k    counts
		want step
	}{
		"nothing read":                      {counts{}, stepByID},
		"fewer than the threshold read":     {counts{byID: n - 1}, stepByID},
		"threshold reached: the first page": {counts{byID: n}, stepProbe},
		"first page failed: by id":          {counts{byID: n, probed: true, probeFailed: true}, stepByID},
		"rest costs no more than the reads": {counts{byID: n, probed: true, pagesLeft: n}, stepList},
		"one collection page: listed":       {counts{byID: n, probed: true, pagesLeft: 0}, stepList},
		"rest costs more: by id":            {counts{byID: n, probed: true, pagesLeft: n + 1}, stepByID},
		"reads caught up with the pages":    {counts{byID: 3 * n, probed: true, pagesLeft: 3 * n}, stepList},
		"listing started: wait for it":      {counts{byID: n, probed: true, pagesLeft: 5, listing: true}, stepList},
		"listing failed: by id":             {counts{byID: n, probed: true, pagesLeft: 5, listing: true, listFailed: true}, stepByID},
	}
	for name, tt := range tests {
		if got := next(tt.k); got != tt.want {
			t.Errorf("%s: next(%+v) = %d, want %d", name, tt.k, got, tt.want)
		}
	}
}
