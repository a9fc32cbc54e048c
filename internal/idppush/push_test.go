package idppush_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/idppush"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
)

// recorder records the requests a push sends: "METHOD /path?query" (the
// path relative to the SCIM base, the query decoded) and their bodies.
type recorder struct {
	mu       sync.Mutex
	requests []string
	bodies   []string
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil {
		var err error
		if body, err = io.ReadAll(req.Body); err != nil {
			return nil, err
		}
		req.Body = io.NopCloser(bytes.NewReader(body))
	}
	line := req.Method + " " + strings.TrimPrefix(req.URL.Path, mockserver.SCIMPath)
	if req.URL.RawQuery != "" {
		q, _ := url.QueryUnescape(req.URL.RawQuery)
		line += "?" + q
	}
	r.mu.Lock()
	r.requests = append(r.requests, line)
	r.bodies = append(r.bodies, string(body))
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

// take returns the requests and bodies recorded since the last take.
func (r *recorder) take() (requests, bodies []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	requests, bodies = r.requests, r.bodies
	r.requests, r.bodies = nil, nil
	return requests, bodies
}

// day1 is the directory of the first push: three users, two groups.
func day1() *idppush.Directory {
	return &idppush.Directory{
		Users: []idppush.User{
			{UserName: "alice@example.com", GivenName: "Alice", FamilyName: "Adams", DisplayName: "Alice Adams", Email: "alice@example.com", ExternalID: "00u1alice"},
			{UserName: "bob@example.com", GivenName: "Bob", FamilyName: "Brown", DisplayName: "Bob Brown", Email: "bob@example.com", ExternalID: "00u1bob"},
			{UserName: "carol@example.com", DisplayName: "Carol Clark", ExternalID: "00u1carol"},
		},
		Groups: []idppush.Group{
			{DisplayName: "OKTA - Engineering", ExternalID: "00g1eng", Members: []string{"alice@example.com", "bob@example.com"}},
			{DisplayName: "OKTA - Sales", Members: []string{"carol@example.com"}},
		},
	}
}

// start returns a mock in strict filter mode, its SCIM store and a push
// client that records its requests.
func start(t *testing.T) (*mocktest.Mock, *scimserver.Store, *idppush.Client, *recorder) {
	t.Helper()
	m := mocktest.Start(t, "Okta", mockserver.Options{})
	m.SetStrictFilters(true)
	rec := &recorder{}
	c, err := idppush.New(m.SCIMURL(), m.SCIMToken, idppush.Options{HTTPClient: &http.Client{Transport: rec}})
	if err != nil {
		t.Fatal(err)
	}
	return m, m.SCIM(t), c, rec
}

// lines is each change's line.
func lines(changes []idppush.Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.String()
	}
	return out
}

// TestPush_oktaSequence pushes a directory to an empty directory
// integration in strict filter mode: the requests must be Okta's, in
// Okta's order and shape, and the directory must hold the file's users and
// groups. The same push again must change nothing and send no write.
func TestPush_oktaSequence(t *testing.T) {
	t.Parallel()
	_, st, c, rec := start(t)

	changes, err := c.Push(t.Context(), day1())
	if err != nil {
		t.Fatalf("push: %v (changes: %q)", err, lines(changes))
	}
	want := []string{
		"user alice@example.com: created",
		"user bob@example.com: created",
		"user carol@example.com: created",
		`group "OKTA - Engineering": created`,
		`group "OKTA - Engineering": added member alice@example.com`,
		`group "OKTA - Engineering": added member bob@example.com`,
		`group "OKTA - Sales": created`,
		`group "OKTA - Sales": added member carol@example.com`,
	}
	if diff := cmp.Diff(want, lines(changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	alice, _ := st.UserByUserName("alice@example.com")
	bob, _ := st.UserByUserName("bob@example.com")
	eng, _ := st.GroupByDisplayName("OKTA - Engineering")
	requests, bodies := rec.take()
	wantRequests := []string{
		"GET /Users?startIndex=1&count=2",
		"GET /Groups?startIndex=1&count=100",
		"GET /Users?startIndex=1&count=100",
		"GET /Groups?startIndex=1&count=100",
		`GET /Users?filter=userName eq "alice@example.com"&startIndex=1&count=100`,
		"POST /Users",
		`GET /Users?filter=userName eq "bob@example.com"&startIndex=1&count=100`,
		"POST /Users",
		`GET /Users?filter=userName eq "carol@example.com"&startIndex=1&count=100`,
		"POST /Users",
		`GET /Groups?filter=displayName eq "OKTA - Engineering"&startIndex=1&count=100`,
		"POST /Groups",
		"PATCH /Groups/" + eng.ID,
		`GET /Groups?filter=displayName eq "OKTA - Sales"&startIndex=1&count=100`,
		"POST /Groups",
		"PATCH /Groups/" + mustGroup(t, st, "OKTA - Sales").ID,
	}
	if diff := cmp.Diff(wantRequests, requests); diff != "" {
		t.Errorf("requests (-want +got):\n%s", diff)
	}
	// Okta's bodies: a create with password and groups: [], a group
	// created empty, its members added in one PATCH.
	var create map[string]any
	if err := json.Unmarshal([]byte(bodies[5]), &create); err != nil {
		t.Fatal(err)
	}
	if create["password"] == "" || create["password"] == nil || !cmp.Equal(create["groups"], []any{}) || create["externalId"] != "00u1alice" ||
		!cmp.Equal(create["name"], map[string]any{"givenName": "Alice", "familyName": "Adams"}) {
		t.Errorf("POST /Users body is not Okta's: %s", bodies[5])
	}
	if got := bodies[11]; got != `{"displayName":"OKTA - Engineering","externalId":"00g1eng","members":[],"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]}` {
		t.Errorf("POST /Groups body: %s", got)
	}
	wantAdd := `{"Operations":[{"op":"add","path":"members","value":[{"display":"alice@example.com","value":"` + alice.ID +
		`"},{"display":"bob@example.com","value":"` + bob.ID + `"}]}],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`
	if diff := cmp.Diff(wantAdd, bodies[12]); diff != "" {
		t.Errorf("member PATCH body (-want +got):\n%s", diff)
	}

	users := st.Users()
	if len(users) != 3 || !*alice.Active || alice.DisplayName != "Alice Adams" || alice.ExternalID != "00u1alice" ||
		alice.Name.GivenName != "Alice" || len(alice.Emails) != 1 || alice.Emails[0].Value != "alice@example.com" {
		t.Errorf("users in the service: %+v", users)
	}
	if diff := cmp.Diff(sorted(alice.ID, bob.ID), eng.Members); diff != "" || eng.ExternalID != "00g1eng" {
		t.Errorf("OKTA - Engineering: externalId %q, members (-want +got):\n%s", eng.ExternalID, diff)
	}

	// Pushing the same file again changes nothing and writes nothing.
	changes, err = c.Push(t.Context(), day1())
	if err != nil || len(changes) != 0 {
		t.Errorf("second push of the same file: changes %q, error %v", lines(changes), err)
	}
	requests, _ = rec.take()
	for _, r := range requests {
		if !strings.HasPrefix(r, "GET ") {
			t.Errorf("second push of the same file sent %s", r)
		}
	}
}

// TestPush_changes pushes a changed file after the first: profile
// updates go as PUT of the whole user, deactivations (marked inactive, or
// gone from the file) as Okta's PATCH, a user back in the file is
// reactivated, a group renamed in the IdP keeps its id (found by
// externalId), and members leave and join in one PATCH per group.
func TestPush_changes(t *testing.T) {
	t.Parallel()
	m, st, c, rec := start(t)
	if _, err := c.Push(t.Context(), day1()); err != nil {
		t.Fatal(err)
	}
	eng := mustGroup(t, st, "OKTA - Engineering")
	bob, _ := st.UserByUserName("bob@example.com")
	rec.take()

	day2 := day1()
	day2.Users[0].DisplayName = "Alice Adams-Smith"
	day2.Users[1].Active = new(false)
	day2.Users = slices.Delete(day2.Users, 2, 3) // carol leaves
	day2.Users = append(day2.Users, idppush.User{UserName: "dave@example.com", DisplayName: "Dave Davis", ExternalID: "00u1dave"})
	day2.Groups[0].DisplayName = "OKTA - R&D" // renamed in Okta
	day2.Groups[0].Members = []string{"bob@example.com", "dave@example.com"}
	day2.Groups[1].Members = []string{"dave@example.com"}

	changes, err := c.Push(t.Context(), day2)
	if err != nil {
		t.Fatalf("push: %v (changes: %q)", err, lines(changes))
	}
	want := []string{
		"user alice@example.com: updated displayName",
		"user bob@example.com: deactivated",
		"user dave@example.com: created",
		"user carol@example.com: deactivated (not in the directory file)",
		`group "OKTA - R&D": renamed from "OKTA - Engineering"`,
		`group "OKTA - R&D": removed member alice@example.com`,
		`group "OKTA - R&D": added member dave@example.com`,
		`group "OKTA - Sales": removed member carol@example.com`,
		`group "OKTA - Sales": added member dave@example.com`,
	}
	if diff := cmp.Diff(want, lines(changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	requests, bodies := rec.take()
	var writes []string
	sent := map[string][]string{} // request line => bodies
	for i, r := range requests {
		if !strings.HasPrefix(r, "GET ") {
			writes = append(writes, r)
			sent[r] = append(sent[r], bodies[i])
		}
	}
	alice, _ := st.UserByUserName("alice@example.com")
	carol, _ := st.UserByUserName("carol@example.com")
	dave, _ := st.UserByUserName("dave@example.com")
	sales := mustGroup(t, st, "OKTA - Sales")
	wantWrites := []string{
		"PUT /Users/" + alice.ID,
		"PATCH /Users/" + bob.ID,
		"POST /Users",
		"PATCH /Users/" + carol.ID,
		"PATCH /Groups/" + eng.ID, // rename
		"PATCH /Groups/" + eng.ID, // members
		"PATCH /Groups/" + sales.ID,
	}
	if diff := cmp.Diff(wantWrites, writes); diff != "" {
		t.Errorf("writes (-want +got):\n%s", diff)
	}
	const patchOp = `],"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`
	deactivate := `{"Operations":[{"op":"replace","value":{"active":false}}` + patchOp
	wantBodies := map[string][]string{
		"PATCH /Users/" + bob.ID:   {deactivate},
		"PATCH /Users/" + carol.ID: {deactivate},
		"PATCH /Groups/" + eng.ID: {
			`{"Operations":[{"op":"replace","value":{"displayName":"OKTA - R&D","id":"` + eng.ID + `"}}` + patchOp,
			`{"Operations":[{"op":"remove","path":"members[value eq \"` + alice.ID + `\"]"},{"op":"add","path":"members","value":[{"display":"dave@example.com","value":"` + dave.ID + `"}]}` + patchOp,
		},
	}
	for line, want := range wantBodies {
		if diff := cmp.Diff(want, sent[line]); diff != "" {
			t.Errorf("%s bodies (-want +got):\n%s", line, diff)
		}
	}
	// The PUT is the whole user, with its id and meta (when the service
	// sends one).
	var put map[string]any
	if err := json.Unmarshal([]byte(bodies[slices.Index(requests, "PUT /Users/"+alice.ID)]), &put); err != nil {
		t.Fatal(err)
	}
	if put["id"] != alice.ID || (put["meta"] == nil) != (m.Quirks()&scimserver.QuirkNoMeta != 0) || put["userName"] != "alice@example.com" || put["displayName"] != "Alice Adams-Smith" || put["password"] != nil {
		t.Errorf("PUT body: %v", put)
	}

	bob, _ = st.UserByUserName("bob@example.com")
	if alice.DisplayName != "Alice Adams-Smith" || *bob.Active || *carol.Active || !*dave.Active {
		t.Errorf("after the push: alice %q, bob active %v, carol active %v, dave active %v", alice.DisplayName, *bob.Active, *carol.Active, *dave.Active)
	}
	renamed, ok := st.Group(eng.ID)
	if !ok || renamed.DisplayName != "OKTA - R&D" {
		t.Errorf("the renamed group: %+v, %v", renamed, ok)
	}
	if diff := cmp.Diff(sorted(bob.ID, dave.ID), renamed.Members); diff != "" {
		t.Errorf("OKTA - R&D members (-want +got):\n%s", diff)
	}

	// Carol back in the file: reactivated, not created again.
	day3 := day2
	day3.Users = append(day3.Users, idppush.User{UserName: "carol@example.com", DisplayName: "Carol Clark", ExternalID: "00u1carol"})
	changes, err = c.Push(t.Context(), day3)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"user carol@example.com: reactivated"}, lines(changes)); diff != "" {
		t.Errorf("day 3 changes (-want +got):\n%s", diff)
	}
	if n, _ := st.Counts(); n != 4 {
		t.Errorf("the directory holds %d users, want 4", n)
	}
}

// TestPush_leavesOthersAlone: users without an externalId (not the IdP's,
// such as those Terraform creates) and groups the file does not name are
// never touched.
func TestPush_leavesOthersAlone(t *testing.T) {
	t.Parallel()
	_, st, c, _ := start(t)
	tfUser, err := st.CreateUser(scimserver.User{UserName: "terraform@example.com", Active: new(true)})
	if err != nil {
		t.Fatal(err)
	}
	tfGroup, err := st.CreateGroup(scimserver.Group{DisplayName: "Terraform", Members: []string{tfUser.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Push(t.Context(), day1()); err != nil {
		t.Fatal(err)
	}
	empty := &idppush.Directory{}
	changes, err := c.Push(t.Context(), empty)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"user alice@example.com: deactivated (not in the directory file)",
		"user bob@example.com: deactivated (not in the directory file)",
		"user carol@example.com: deactivated (not in the directory file)",
	}
	if diff := cmp.Diff(want, lines(changes)); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
	if u, _ := st.User(tfUser.ID); !*u.Active {
		t.Error("the push deactivated a user without an externalId")
	}
	if g, _ := st.Group(tfGroup.ID); !cmp.Equal(g.Members, []string{tfUser.ID}) {
		t.Errorf("the push changed a group the file does not name: %v", g.Members)
	}
}

// TestPush_errors: a wrong token fails at the test connection, and the
// error names the request but never the token.
func TestPush_errors(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, "Okta", mockserver.Options{})
	const token = "not-the-token-0123456789"
	c, err := idppush.New(m.SCIMURL(), token, idppush.Options{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Push(t.Context(), day1())
	if err == nil || !strings.Contains(err.Error(), "test connection: GET /Users: 401") || strings.Contains(err.Error(), token) {
		t.Errorf("push with a wrong token: %v", err)
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		url, token, err string
	}{
		{"http://127.0.0.1:8080/identity/v2/scim", "t", ""},
		{"http://localhost:8080/identity/v2/scim/", "t", ""},
		{"https://api.sse.cisco.com/identity/v2/scim", "t", ""},
		{"http://api.sse.cisco.com/identity/v2/scim", "t", "plain http only to a loopback host"},
		{"ftp://127.0.0.1/identity/v2/scim", "t", "want http(s)://host/path"},
		{"http://127.0.0.1:8080/identity/v2/scim?x=1", "t", "no query"},
		{"http://127.0.0.1:8080/identity/v2/scim", "", "token is required"},
	} {
		_, err := idppush.New(tc.url, tc.token, idppush.Options{})
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("New(%q): %v, want an error containing %q", tc.url, err, tc.err)
		}
	}
}

func TestParseDirectory(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, file, err string
	}{
		{"valid", `{"users":[{"userName":"a@x","externalId":"00u1","active":false}],"groups":[{"displayName":"G","members":["A@X"]}]}`, ""},
		{"unknown field", `{"users":[{"userName":"a@x","externalId":"00u1","login":"a"}]}`, `unknown field "login"`},
		{"no userName", `{"users":[{"externalId":"00u1"}]}`, "users[0]: userName is required"},
		{"no externalId", `{"users":[{"userName":"a@x"}]}`, "users[0] (a@x): externalId is required"},
		{"duplicate userName", `{"users":[{"userName":"a@x","externalId":"1"},{"userName":"A@x","externalId":"2"}]}`, `users[1]: userName "A@x" is also users[0]'s`},
		{"duplicate externalId", `{"users":[{"userName":"a@x","externalId":"1"},{"userName":"b@x","externalId":"1"}]}`, `externalId "1" is also users[0]'s`},
		{"duplicate group", `{"groups":[{"displayName":"G"},{"displayName":"g"}]}`, `groups[1]: displayName "g" is also groups[0]'s`},
		{"unknown member", `{"groups":[{"displayName":"G","members":["nobody@x"]}]}`, `member "nobody@x" is not a userName of users`},
		{"member twice", `{"users":[{"userName":"a@x","externalId":"1"}],"groups":[{"displayName":"G","members":["a@x","A@x"]}]}`, `member "A@x" is listed twice`},
		{"two values", `{} {}`, "more than one JSON value"},
	} {
		_, err := idppush.ParseDirectory(strings.NewReader(tc.file))
		if tc.err == "" && err != nil || tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)) {
			t.Errorf("%s: %v, want an error containing %q", tc.name, err, tc.err)
		}
	}
}

// TestNotInTheProvider: the push is a SCIM client of its own, linked into
// the mock's command and the tests, never into the provider binary, and
// it imports no terraform-plugin-* package.
func TestNotInTheProvider(t *testing.T) {
	t.Parallel()
	deps := func(pkg string) []string {
		t.Helper()
		out, err := exec.CommandContext(t.Context(), "go", "list", "-deps", "-f", "{{.ImportPath}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list -deps %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	const module = "github.com/secureaccess-iac/terraform-provider-secureaccess"
	if slices.Contains(deps(module), module+"/internal/idppush") {
		t.Error("the provider binary links internal/idppush")
	}
	for _, d := range deps(module + "/internal/idppush") {
		if strings.Contains(d, "terraform-plugin-") {
			t.Errorf("internal/idppush imports %s", d)
		}
	}
}

func mustGroup(t *testing.T, st *scimserver.Store, name string) scimserver.Group {
	t.Helper()
	g, ok := st.GroupByDisplayName(name)
	if !ok {
		t.Fatalf("group %q is not in the service", name)
	}
	return g
}

func sorted(ids ...string) []string {
	slices.Sort(ids)
	return ids
}
