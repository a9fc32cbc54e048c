package scimserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseQuirks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Quirks
		wantErr string // a part of the error; "" for none
	}{
		{in: "", want: 0},
		{in: " , ", want: 0},
		{in: "patch-204", want: QuirkPatch204},
		{in: "no-meta, patch-204", want: QuirkNoMeta | QuirkPatch204},
		{in: "patch-204,patch-204", want: QuirkPatch204},
		{in: "json-content-type,filter-case-sensitive", want: QuirkJSONContentType | QuirkFilterCaseSensitive},
		{in: "members-hidden, drop-extension,fill-name-formatted", want: QuirkFillNameFormatted | QuirkDropExtension | QuirkMembersHidden},
		{in: "patch204", wantErr: `unknown quirk "patch204": valid quirks are json-content-type, no-meta, `},
		{in: "Patch-204", wantErr: `unknown quirk "Patch-204"`},
		{in: "no-meta,nope", wantErr: `unknown quirk "nope"`},
		{in: "integer-ids,base64-ids", wantErr: "quirks integer-ids and base64-ids conflict"},
		{in: "patch-empty-200,patch-204", wantErr: "quirks patch-204 and patch-empty-200 conflict"},
		{in: "selection-refused,selection-ignored", wantErr: "quirks selection-refused and selection-ignored conflict"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseQuirks(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseQuirks(%q) = %v, %v; want an error containing %q", tt.in, got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseQuirks(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
			}
		})
	}
}

// TestQuirkNames: every quirk has a name, String lists them in that order,
// and ParseQuirks reads what String writes.
func TestQuirkNames(t *testing.T) {
	t.Parallel()
	names := QuirkNames()
	if len(names) != len(quirkNames) || Quirks(1)<<len(names) != quirkEnd {
		t.Fatalf("%d names for the quirks below bit %#x", len(names), uint32(quirkEnd))
	}
	var all Quirks
	for i, name := range names {
		q := Quirks(1) << i
		if got := q.String(); got != name {
			t.Errorf("quirk %d String() = %q, want %q", i, got, name)
		}
		if !strings.Contains(name, "-") || strings.ToLower(name) != name {
			t.Errorf("quirk name %q is not kebab-case", name)
		}
		if q != QuirkPatchEmpty200 && q != QuirkBase64IDs && q != QuirkSelectionIgnored {
			all |= q
		}
	}
	if err := all.Validate(); err != nil {
		t.Fatalf("every quirk but one of each conflicting pair: %v", err)
	}
	back, err := ParseQuirks(all.String())
	if err != nil || back != all {
		t.Errorf("ParseQuirks(%q) = %v, %v; want it back", all.String(), back, err)
	}
	if got := Quirks(0).String(); got != "" {
		t.Errorf("no quirks String() = %q, want empty", got)
	}
	if err := quirkEnd.Validate(); err == nil {
		t.Error("Validate accepts an unknown bit")
	}
}

func TestQuirksJSON(t *testing.T) {
	t.Parallel()
	q := QuirkNoMeta | QuirkPatch204
	b, err := json.Marshal(q)
	if err != nil || string(b) != `["no-meta","patch-204"]` {
		t.Fatalf("Marshal = %s, %v", b, err)
	}
	none, _ := json.Marshal(Quirks(0))
	if string(none) != `[]` {
		t.Errorf("Marshal(none) = %s, want []", none)
	}
	back := q
	if err := json.Unmarshal(none, &back); err != nil || back != 0 {
		t.Errorf("Unmarshal([]) = %v, %v", back, err)
	}
	if err := json.Unmarshal([]byte(`["patch-204","no-meta"]`), &back); err != nil || back != q {
		t.Errorf("Unmarshal = %v, %v; want %v", back, err, q)
	}
	for _, bad := range []string{`["nope"]`, `"patch-204"`, `[1]`, `["patch-204","patch-empty-200"]`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Unmarshal(%s) accepted", bad)
		}
	}
}

// Fixtures of the quirk tests: a fresh store per request, seeded by
// seedQuirks with fixed ids, so that each answer is known to the byte.
const (
	janeMeta = `"meta":{"resourceType":"User","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z",` +
		`"version":"W/\"1\"","location":"http://mock.test/identity/v2/scim/Users/u1"}`
	janeCore = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],` +
		`"id":"u1","userName":"jane@example.com","displayName":"Jane Doe","active":true,` +
		`"emails":[{"value":"jane@example.com","type":"work","primary":true}],` +
		`"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User":{"authName":"jane"}`
	jane       = `{` + janeCore + `,` + janeMeta + `}`
	janeNoMeta = `{` + janeCore + `}`
	john       = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u2","userName":"john@example.com","active":false,` +
		`"meta":{"resourceType":"User","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z",` +
		`"version":"W/\"2\"","location":"http://mock.test/identity/v2/scim/Users/u2"}}`
	janeMember = `{"value":"u1","type":"User","display":"Jane Doe","$ref":"http://mock.test/identity/v2/scim/Users/u1"}`
	engMeta    = `"meta":{"resourceType":"Group","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z",` +
		`"version":"W/\"3\"","location":"http://mock.test/identity/v2/scim/Groups/g1"}`
	eng = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering",` +
		`"members":[` + janeMember + `],` + engMeta + `}`
	// newUser is the answer to a POST of newUserBody; $ID is its id.
	newUserBody = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"new@example.com"}`
	newUser     = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"$ID","userName":"new@example.com","active":true,` +
		`"meta":{"resourceType":"User","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z",` +
		`"version":"W/\"4\"","location":"http://mock.test/identity/v2/scim/Users/$ID"}}`
	listUR = `"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"]`
)

// seedQuirks stores Jane (u1, active, an email, the extension), John (u2,
// inactive) and the group Engineering (g1) with Jane, versions 1 to 3.
func seedQuirks(t testing.TB, s *Store) {
	t.Helper()
	for _, u := range []User{
		{ID: "u1", UserName: "jane@example.com", DisplayName: "Jane Doe", Active: new(true),
			Emails: []Email{{Value: "jane@example.com", Type: "work", Primary: true}}, AuthName: "jane"},
		{ID: "u2", UserName: "john@example.com", Active: new(false)},
	} {
		if _, err := s.CreateUser(u); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateGroup(Group{ID: "g1", DisplayName: "Engineering", Members: []string{"u1"}}); err != nil {
		t.Fatal(err)
	}
}

// filterQuery is "?filter=" and the escaped filter.
func filterQuery(f string) string { return "?filter=" + url.QueryEscape(f) }

// quirkAnswer is an expected answer.
type quirkAnswer struct {
	status int
	body   string // JSON; $ID stands for the id in Location; "" for no body
	// contentType defaults to application/scim+json with a body, none without.
	contentType string
	// header are further headers, "" meaning absent.
	header map[string]string
}

// quirkCase is one request, answered once with quirk and once without.
type quirkCase struct {
	name                 string
	quirk                Quirks
	seed                 func(testing.TB, *Store) // default seedQuirks
	method, path, body   string
	want, normal         quirkAnswer
	after                func(t *testing.T, s *Store, quirky bool) // state after the request
	idPattern, normalIDs string                                    // regexp the created id must match, with and without the quirk
}

const (
	uuidPattern = `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`
	errNoSel    = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue",` +
		`"detail":"attribute selection is not supported: send neither attributes nor excludedAttributes"}`
)

// quirkCases covers every quirk: each answer with it, and the normal answer.
var quirkCases = []quirkCase{
	{
		name: "json-content-type resource", quirk: QuirkJSONContentType, method: "GET", path: "/Users/u1",
		want:   quirkAnswer{status: 200, body: jane, contentType: "application/json"},
		normal: quirkAnswer{status: 200, body: jane},
	},
	{
		name: "json-content-type error", quirk: QuirkJSONContentType, method: "GET", path: "/Users/nope",
		want: quirkAnswer{status: 404, contentType: "application/json",
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"User \"nope\" not found"}`},
		normal: quirkAnswer{status: 404,
			body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"User \"nope\" not found"}`},
	},
	{
		name: "no-meta get", quirk: QuirkNoMeta, method: "GET", path: "/Users/u1",
		want:   quirkAnswer{status: 200, body: janeNoMeta, header: map[string]string{"ETag": `W/"1"`}},
		normal: quirkAnswer{status: 200, body: jane, header: map[string]string{"ETag": `W/"1"`}},
	},
	{
		name: "no-meta list", quirk: QuirkNoMeta, method: "GET", path: "/Users" + filterQuery(`userName eq "jane@example.com"`),
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + janeNoMeta + `]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + jane + `]}`},
	},
	{
		name: "no-meta create", quirk: QuirkNoMeta, method: "POST", path: "/Users", body: newUserBody,
		want: quirkAnswer{status: 201,
			body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"$ID","userName":"new@example.com","active":true}`},
		normal: quirkAnswer{status: 201, body: newUser},
	},
	{
		name: "no-meta patch", quirk: QuirkNoMeta, method: "PATCH", path: "/Groups/g1",
		body: patchBody(`[{"op":"replace","path":"displayName","value":"Eng"}]`),
		want: quirkAnswer{status: 200,
			body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng","members":[` + janeMember + `]}`},
		normal: quirkAnswer{status: 200,
			body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng","members":[` + janeMember + `],` +
				strings.Replace(engMeta, `W/\"3\"`, `W/\"4\"`, 1) + `}`},
	},
	{
		name: "no-items-per-page", quirk: QuirkNoItemsPerPage, method: "GET", path: "/Users?count=5&attributes=userName",
		want: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":1,"Resources":[` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],"id":"u1","userName":"jane@example.com"},` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u2","userName":"john@example.com"}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":1,"itemsPerPage":2,"Resources":[` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],"id":"u1","userName":"jane@example.com"},` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u2","userName":"john@example.com"}]}`},
	},
	{
		name: "items-per-page-requested count", quirk: QuirkItemsPerPageRequested, method: "GET", path: "/Users?count=5&startIndex=2&attributes=id",
		want: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":2,"itemsPerPage":5,"Resources":[` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u2"}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":2,"itemsPerPage":1,"Resources":[` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u2"}]}`},
	},
	{
		name: "items-per-page-requested no count", quirk: QuirkItemsPerPageRequested, method: "POST", path: "/Groups/.search",
		body:   `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["displayName"]}`,
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1000,"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering"}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering"}]}`},
	},
	{
		name: "no-start-index", quirk: QuirkNoStartIndex, method: "POST", path: "/.search",
		body:   `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \"Engineering\"","attributes":["displayName"]}`,
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"itemsPerPage":1,"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering"}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering"}]}`},
	},
	{
		name: "create-200 user", quirk: QuirkCreate200, method: "POST", path: "/Users", body: newUserBody,
		want:   quirkAnswer{status: 200, body: newUser, header: map[string]string{"ETag": `W/"4"`}},
		normal: quirkAnswer{status: 201, body: newUser, header: map[string]string{"ETag": `W/"4"`}},
	},
	{
		name: "create-200 group", quirk: QuirkCreate200, method: "POST", path: "/Groups",
		body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops"}`,
		want: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"$ID","displayName":"Ops",` +
			`"meta":{"resourceType":"Group","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z","version":"W/\"4\"","location":"http://mock.test/identity/v2/scim/Groups/$ID"}}`},
		normal: quirkAnswer{status: 201, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"$ID","displayName":"Ops",` +
			`"meta":{"resourceType":"Group","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z","version":"W/\"4\"","location":"http://mock.test/identity/v2/scim/Groups/$ID"}}`},
	},
	{
		name: "patch-204", quirk: QuirkPatch204, method: "PATCH", path: "/Users/u2",
		body:   patchBody(`[{"op":"replace","path":"active","value":true}]`),
		want:   quirkAnswer{status: 204, header: map[string]string{"ETag": ""}},
		normal: quirkAnswer{status: 200, body: strings.NewReplacer(`"active":false`, `"active":true`, `W/\"2\"`, `W/\"4\"`).Replace(john), header: map[string]string{"ETag": `W/"4"`}},
		after:  wantActive("u2", true),
	},
	{
		name: "patch-empty-200", quirk: QuirkPatchEmpty200, method: "PATCH", path: "/Users/u2",
		body:   patchBody(`[{"op":"replace","path":"active","value":true}]`),
		want:   quirkAnswer{status: 200, header: map[string]string{"Content-Length": "0", "ETag": ""}},
		normal: quirkAnswer{status: 200, body: strings.NewReplacer(`"active":false`, `"active":true`, `W/\"2\"`, `W/\"4\"`).Replace(john), header: map[string]string{"ETag": `W/"4"`}},
		after:  wantActive("u2", true),
	},
	{
		name: "integer-ids create", quirk: QuirkIntegerIDs, method: "POST", path: "/Users", body: newUserBody,
		want: quirkAnswer{status: 201, header: map[string]string{"Location": "http://mock.test/identity/v2/scim/Users/1"},
			body: strings.Replace(newUser, `"id":"$ID"`, `"id":1`, 1)},
		normal: quirkAnswer{status: 201, body: newUser}, idPattern: `^1$`, normalIDs: uuidPattern,
	},
	{
		name: "integer-ids members", quirk: QuirkIntegerIDs, seed: seedDecimalUser, method: "POST", path: "/Groups",
		body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops","members":[{"value":"42"}]}`,
		want: quirkAnswer{status: 201, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":1,"displayName":"Ops",` +
			`"members":[{"value":42,"type":"User","display":"fortytwo@example.com","$ref":"http://mock.test/identity/v2/scim/Users/42"}],` +
			`"meta":{"resourceType":"Group","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z","version":"W/\"2\"","location":"http://mock.test/identity/v2/scim/Groups/1"}}`},
		normal: quirkAnswer{status: 201, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"$ID","displayName":"Ops",` +
			`"members":[{"value":"42","type":"User","display":"fortytwo@example.com","$ref":"http://mock.test/identity/v2/scim/Users/42"}],` +
			`"meta":{"resourceType":"Group","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z","version":"W/\"2\"","location":"http://mock.test/identity/v2/scim/Groups/$ID"}}`},
		idPattern: `^1$`, normalIDs: uuidPattern,
	},
	{
		name: "integer-ids get by id", quirk: QuirkIntegerIDs, seed: seedDecimalUser, method: "GET", path: "/Users/42?attributes=userName",
		want:   quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":42,"userName":"fortytwo@example.com"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"42","userName":"fortytwo@example.com"}`},
	},
	{
		name: "base64-ids", quirk: QuirkBase64IDs, method: "POST", path: "/Users", body: newUserBody,
		want: quirkAnswer{status: 201, body: newUser}, normal: quirkAnswer{status: 201, body: newUser},
		idPattern: `^[A-Za-z0-9_-]{22,23}={1,2}$`, normalIDs: uuidPattern,
		after: func(t *testing.T, s *Store, _ bool) {
			// The id works everywhere an id goes: as a member, in a
			// PATCH path filter, in a list filter.
			u, _ := s.UserByUserName("new@example.com")
			g, err := s.CreateGroup(Group{DisplayName: "Ops", Members: []string{u.ID, "u1"}})
			if err != nil {
				t.Fatal(err)
			}
			c := &client{t: t, mux: newMux(s, 1<<20)}
			c.must(200, "PATCH", "/Groups/"+g.ID, patchBody(`[{"op":"remove","path":"members[value eq \"`+u.ID+`\"]"}]`))
			if diff := cmp.Diff([]string{"u1"}, s.GroupMembers(g.ID)); diff != "" {
				t.Errorf("members after removing %s (-want +got):\n%s", u.ID, diff)
			}
			if n := c.must(200, "GET", "/Users"+filterQuery(`id eq "`+u.ID+`"`), "").get("totalResults"); n != 1.0 {
				t.Errorf("filter by id %s: %v results", u.ID, n)
			}
		},
	},
	{
		name: "attribute-case user", quirk: QuirkAttributeCase, method: "GET", path: "/Users/u1",
		want: quirkAnswer{status: 200, body: `{"schemas":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER","URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:CISCOUMBRELLA:2.0:USER"],` +
			`"id":"u1","username":"jane@example.com","displayname":"Jane Doe","active":true,` +
			`"emails":[{"value":"jane@example.com","type":"work","primary":true}],` +
			`"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:user":{"authname":"jane"},` +
			`"meta":{"resourcetype":"User","created":"2026-03-18T12:20:00Z","lastmodified":"2026-03-18T12:20:00Z",` +
			`"version":"W/\"1\"","location":"http://mock.test/identity/v2/scim/Users/u1"}}`},
		normal: quirkAnswer{status: 200, body: jane},
	},
	{
		name: "attribute-case list", quirk: QuirkAttributeCase, method: "GET", path: "/Groups?excludedAttributes=meta",
		want: quirkAnswer{status: 200, body: `{"schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:LISTRESPONSE"],"totalresults":1,"startindex":1,"itemsperpage":1,` +
			`"resources":[{"schemas":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:GROUP"],"id":"g1","displayname":"Engineering",` +
			`"members":[{"value":"u1","type":"User","display":"Jane Doe","$ref":"http://mock.test/identity/v2/scim/Users/u1"}]}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,` +
			`"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering","members":[` + janeMember + `]}]}`},
	},
	{
		name: "active-string true", quirk: QuirkActiveString, method: "GET", path: "/Users/u1",
		want:   quirkAnswer{status: 200, body: strings.NewReplacer(`"active":true`, `"active":"True"`, `"primary":true`, `"primary":"True"`).Replace(jane)},
		normal: quirkAnswer{status: 200, body: jane},
	},
	{
		name: "active-string false", quirk: QuirkActiveString, method: "GET", path: "/Users/u2",
		want:   quirkAnswer{status: 200, body: strings.Replace(john, `"active":false`, `"active":"False"`, 1)},
		normal: quirkAnswer{status: 200, body: john},
	},
	{
		name: "remove-unset-notarget", quirk: QuirkRemoveUnsetNoTarget, method: "PATCH", path: "/Groups/g1?attributes=displayName",
		body: patchBody(`[{"op":"replace","path":"displayName","value":"Eng"},{"op":"remove","path":"externalId"}]`),
		want: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"noTarget",` +
			`"detail":"path \"externalId\": the resource has no value to remove"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Eng"}`},
		after: func(t *testing.T, s *Store, quirky bool) {
			g, _ := s.Group("g1")
			if want := map[bool]string{true: "Engineering", false: "Eng"}[quirky]; g.DisplayName != want {
				t.Errorf("displayName %q, want %q", g.DisplayName, want)
			}
		},
	},
	{
		name: "remove-unset-notarget sub-attribute", quirk: QuirkRemoveUnsetNoTarget, method: "PATCH", path: "/Users/u1?attributes=userName",
		body: patchBody(`[{"op":"remove","path":"name.givenName"}]`),
		want: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"noTarget",` +
			`"detail":"path \"name.givenName\": the resource has no value to remove"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],"id":"u1","userName":"jane@example.com"}`},
	},
	{
		name: "remove-unset-notarget extension and active", quirk: QuirkRemoveUnsetNoTarget, method: "PATCH", path: "/Users/u2?attributes=userName",
		body: patchBody(`[{"op":"remove","path":"active"},{"op":"remove","path":"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"}]`),
		want: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"noTarget",` +
			`"detail":"path \"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User\": the resource has no value to remove"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u2","userName":"john@example.com"}`},
		after: func(t *testing.T, s *Store, quirky bool) {
			if u, _ := s.User("u2"); (u.Active != nil) != quirky {
				t.Errorf("active = %v after the PATCH; want it kept only with the quirk", u.Active)
			}
		},
	},
	{
		name: "remove-unset-notarget filter without match", quirk: QuirkRemoveUnsetNoTarget, method: "PATCH", path: "/Groups/g1?attributes=members.value",
		body:   patchBody(`[{"op":"remove","path":"members[value eq \"u2\"]"},{"op":"remove","path":"members[value eq \"u1\"]"}]`),
		want:   quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1"}`},
	},
	{
		name: "patch-selects-first group", quirk: QuirkPatchSelectsFirst, method: "PATCH", path: "/Groups/g1?excludedAttributes=members",
		body: patchBody(`[{"op":"add","path":"members","value":[{"value":"u2"}]}]`),
		want: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering",` +
			strings.Replace(engMeta, `W/\"3\"`, `W/\"4\"`, 1) + `}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering",` +
			strings.Replace(engMeta, `W/\"3\"`, `W/\"4\"`, 1) + `}`},
		after: func(t *testing.T, s *Store, quirky bool) {
			want := map[bool][]string{true: {"u2"}, false: {"u1", "u2"}}[quirky]
			if diff := cmp.Diff(want, s.GroupMembers("g1")); diff != "" {
				t.Errorf("members (-want +got):\n%s", diff)
			}
		},
	},
	{
		name: "patch-selects-first user", quirk: QuirkPatchSelectsFirst, method: "PATCH", path: "/Users/u1?attributes=userName,displayName",
		body: patchBody(`[{"op":"replace","path":"displayName","value":"Jane"}]`),
		want: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"u1","userName":"jane@example.com","displayName":"Jane"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],` +
			`"id":"u1","userName":"jane@example.com","displayName":"Jane"}`},
		after: func(t *testing.T, s *Store, quirky bool) {
			u, _ := s.User("u1")
			lost := u.Active == nil && len(u.Emails) == 0 && u.AuthName == ""
			if lost != quirky {
				t.Errorf("active %v, emails %v, authName %q: lost = %v, want %v", u.Active, u.Emails, u.AuthName, lost, quirky)
			}
		},
	},
	{
		name: "patch-selects-first drops userName", quirk: QuirkPatchSelectsFirst, method: "PATCH", path: "/Users/u1?attributes=displayName",
		body: patchBody(`[{"op":"replace","path":"displayName","value":"Jane"}]`),
		want: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"userName is required"}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],` +
			`"id":"u1","displayName":"Jane"}`},
	},
	{
		name: "members-stripped get", quirk: QuirkMembersStripped, method: "GET", path: "/Groups/g1?attributes=members",
		want:   quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","members":[{}]}`},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","members":[` + janeMember + `]}`},
	},
	{
		name: "members-stripped search", quirk: QuirkMembersStripped, method: "POST", path: "/Groups/.search",
		body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["displayName","members.value"]}`,
		want: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,` +
			`"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering","members":[{}]}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,` +
			`"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering","members":[{"value":"u1"}]}]}`},
	},
	{
		name: "members-stripped without attributes", quirk: QuirkMembersStripped, method: "GET", path: "/Groups/g1",
		want: quirkAnswer{status: 200, body: eng}, normal: quirkAnswer{status: 200, body: eng},
	},
	{
		name: "ignore-unknown-members create", quirk: QuirkIgnoreUnknownMembers, method: "POST", path: "/Groups",
		body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Ops","members":[{"value":"nope"},{"value":"u1"},{"value":"g1"}]}`,
		want: quirkAnswer{status: 201, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"$ID","displayName":"Ops","members":[` + janeMember + `],` +
			`"meta":{"resourceType":"Group","created":"2026-03-18T12:20:00Z","lastModified":"2026-03-18T12:20:00Z","version":"W/\"4\"","location":"http://mock.test/identity/v2/scim/Groups/$ID"}}`},
		normal: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue",` +
			`"detail":"member \"nope\" is not a user of this directory"}`},
	},
	{
		name: "ignore-unknown-members patch", quirk: QuirkIgnoreUnknownMembers, method: "PATCH", path: "/Groups/g1?attributes=members.value",
		body:   patchBody(`[{"op":"add","path":"members","value":[{"value":"u2"},{"value":"nope"}]}]`),
		want:   quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","members":[{"value":"u1"},{"value":"u2"}]}`},
		normal: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"member \"nope\" is not a user of this directory"}`},
	},
	{
		name: "ignore-unknown-members put", quirk: QuirkIgnoreUnknownMembers, method: "PUT", path: "/Groups/g1?attributes=members.value",
		body:   `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Engineering","members":[{"value":"g1"},{"value":"u2"}]}`,
		want:   quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","members":[{"value":"u2"}]}`},
		normal: quirkAnswer{status: 400, body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"400","scimType":"invalidValue","detail":"member \"g1\" is a group: nested groups are not supported"}`},
	},
	{
		name: "selection-refused get", quirk: QuirkSelectionRefused, method: "GET", path: "/Users/u1?attributes=userName",
		want: quirkAnswer{status: 400, body: errNoSel},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],` +
			`"id":"u1","userName":"jane@example.com"}`},
	},
	{
		name: "selection-refused list", quirk: QuirkSelectionRefused, method: "GET", path: "/Users?excludedAttributes=emails,meta&count=1",
		want: quirkAnswer{status: 400, body: errNoSel},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":1,"itemsPerPage":1,"Resources":[` +
			`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],` +
			`"id":"u1","userName":"jane@example.com","displayName":"Jane Doe","active":true,` +
			`"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User":{"authName":"jane"}}]}`},
	},
	{
		name: "selection-refused search", quirk: QuirkSelectionRefused, method: "POST", path: "/.search",
		body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \"Engineering\"","attributes":["displayName"]}`,
		want: quirkAnswer{status: 400, body: errNoSel},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,` +
			`"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering"}]}`},
	},
	{
		name: "selection-refused without selection", quirk: QuirkSelectionRefused, method: "GET", path: "/Users/u1?attributes=",
		want: quirkAnswer{status: 200, body: jane}, normal: quirkAnswer{status: 200, body: jane},
	},
	{
		name: "selection-ignored get", quirk: QuirkSelectionIgnored, method: "GET", path: "/Groups/g1?excludedAttributes=members",
		want:   quirkAnswer{status: 200, body: eng},
		normal: quirkAnswer{status: 200, body: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering",` + engMeta + `}`},
	},
	{
		name: "selection-ignored search", quirk: QuirkSelectionIgnored, method: "POST", path: "/Groups/.search",
		body:   `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"attributes":["displayName"]}`,
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + eng + `]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering"}]}`},
	},
	{
		name: "filter-case-sensitive userName", quirk: QuirkFilterCaseSensitive, method: "GET", path: "/Users" + filterQuery(`userName eq "JANE@example.com"`),
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + jane + `]}`},
	},
	{
		name: "filter-case-sensitive same case", quirk: QuirkFilterCaseSensitive, method: "GET", path: "/Users" + filterQuery(`userName eq "jane@example.com"`),
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + jane + `]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + jane + `]}`},
	},
	{
		name: "filter-case-sensitive search", quirk: QuirkFilterCaseSensitive, method: "POST", path: "/.search",
		body:   `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \"engineering\" or emails[value eq \"JANE@EXAMPLE.COM\"]","attributes":["id"]}`,
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":1,"itemsPerPage":2,"Resources":[{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"],"id":"u1"},{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1"}]}`},
	},
}

// seedDecimalUser stores one user with the decimal id "42" (version 1).
func seedDecimalUser(t testing.TB, s *Store) {
	t.Helper()
	if _, err := s.CreateUser(User{ID: "42", UserName: "fortytwo@example.com", Active: new(true)}); err != nil {
		t.Fatal(err)
	}
}

// wantActive checks a user's active after the request.
func wantActive(id string, want bool) func(*testing.T, *Store, bool) {
	return func(t *testing.T, s *Store, _ bool) {
		u, _ := s.User(id)
		if u.Active == nil || *u.Active != want {
			t.Errorf("user %s active = %v, want %v", id, u.Active, want)
		}
	}
}

// TestQuirks sends each case's request (quirkCases and storeQuirkCases)
// to a fresh store twice: with its quirk, the answer is the quirky one;
// without, the normal one.
func TestQuirks(t *testing.T) {
	t.Parallel()
	covered := Quirks(0)
	for _, tc := range slices.Concat(quirkCases, storeQuirkCases) {
		covered |= tc.quirk
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for _, quirky := range []bool{true, false} {
				t.Run(map[bool]string{true: "quirk", false: "normal"}[quirky], func(t *testing.T) {
					q, want, ids := Quirks(0), tc.normal, tc.normalIDs
					if quirky {
						q, want, ids = tc.quirk, tc.want, tc.idPattern
					}
					s := newTestStore(1000)
					seed := tc.seed
					if seed == nil {
						seed = seedQuirks
					}
					seed(t, s)
					got := quirkExchange(t, s, q, tc.method, tc.path, tc.body)
					id := got.Header().Get("Location")
					id = id[strings.LastIndex(id, "/")+1:]
					if ids != "" && !regexp.MustCompile(ids).MatchString(id) {
						t.Errorf("created id %q does not match %s", id, ids)
					}
					want.check(t, got, id)
					if tc.after != nil {
						tc.after(t, s, quirky)
					}
				})
			}
		})
	}
	if covered != quirkEnd-1 {
		t.Errorf("quirks without a case: %s", (quirkEnd-1)&^covered)
	}
}

// quirkExchange sends a request to a mux of s mounted as the parent mounts
// it under the quirks q, and records the answer.
func quirkExchange(t *testing.T, s *Store, q Quirks, method, path, body string) *httptest.ResponseRecorder {
	t.Helper()
	mux := newMux(s, 1<<20)
	req := httptest.NewRequestWithContext(WithQuirks(t.Context(), q), method, "http://mock.test"+basePath+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	rec := httptest.NewRecorder()
	mux.ServeHTTP(q.WrapResponseWriter(rec), req)
	return rec
}

// check compares a recorded answer with a, $ID standing for id.
func (a quirkAnswer) check(t *testing.T, got *httptest.ResponseRecorder, id string) {
	t.Helper()
	if got.Code != a.status {
		t.Errorf("status %d, want %d: %s", got.Code, a.status, got.Body)
	}
	ct := a.contentType
	if ct == "" && a.body != "" {
		ct = contentType
	}
	if g := got.Header().Get("Content-Type"); g != ct {
		t.Errorf("Content-Type %q, want %q", g, ct)
	}
	for name, want := range a.header {
		if g := got.Header().Get(name); g != want {
			t.Errorf("%s %q, want %q", name, g, want)
		}
	}
	if a.body == "" {
		if got.Body.Len() != 0 {
			t.Errorf("body %q, want none", got.Body)
		}
		return
	}
	want := decodeNumbers(t, strings.ReplaceAll(a.body, "$ID", id))
	if diff := cmp.Diff(want, decodeNumbers(t, got.Body.String())); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

// decodeNumbers decodes JSON keeping numbers as json.Number, so that 42
// and "42" differ.
func decodeNumbers(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

// TestQuirkIntegerIDsCount: integer ids count up across users and groups
// of one store, and skip an id a resource already has.
func TestQuirkIntegerIDsCount(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	if _, err := s.CreateUser(User{ID: "2", UserName: "taken@example.com", Active: new(true)}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for i, path := range []string{"/Users", "/Groups", "/Users"} {
		body := `{"userName":"u` + string(rune('a'+i)) + `@example.com","displayName":"G` + string(rune('a'+i)) + `"}`
		rec := quirkExchange(t, s, QuirkIntegerIDs, "POST", path, body)
		if rec.Code != http.StatusCreated {
			t.Fatalf("POST %s: %d %s", path, rec.Code, rec.Body)
		}
		loc := rec.Header().Get("Location")
		got = append(got, loc[strings.LastIndex(loc, "/")+1:])
	}
	if diff := cmp.Diff([]string{"1", "3", "4"}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
}

// TestQuirksCombine: quirks that touch the same answer apply together.
func TestQuirksCombine(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	seedQuirks(t, s)
	q := QuirkJSONContentType | QuirkNoMeta | QuirkNoItemsPerPage | QuirkNoStartIndex | QuirkAttributeCase |
		QuirkActiveString | QuirkMembersStripped | QuirkIntegerIDs
	rec := quirkExchange(t, s, q, "GET", "/Users?attributes=userName,active&filter="+url.QueryEscape(`userName eq "john@example.com"`), "")
	want := quirkAnswer{status: 200, contentType: "application/json", body: `{"schemas":["URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:LISTRESPONSE"],"totalresults":1,` +
		`"resources":[{"schemas":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],"id":"u2","username":"john@example.com","active":"False"}]}`}
	want.check(t, rec, "")
}

// TestQuirksLeaveDiscoveryAlone: the discovery documents keep their shape
// under every shape quirk (only the content type changes).
func TestQuirksLeaveDiscoveryAlone(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	for _, path := range []string{"/ServiceProviderConfig", "/Schemas", "/ResourceTypes", "/ResourceTypes/User"} {
		normal := quirkExchange(t, s, 0, "GET", path, "")
		quirky := quirkExchange(t, s, shapeQuirks|QuirkItemsPerPageRequested, "GET", path, "")
		if normal.Code != 200 || quirky.Code != 200 || normal.Body.String() != quirky.Body.String() {
			t.Errorf("GET %s: %d %s\nwith quirks: %d %s", path, normal.Code, normal.Body, quirky.Code, quirky.Body)
		}
	}
}

// TestQuirkSelectionIgnoredDisablesPatchSelectsFirst: with the selection
// ignored there is nothing to select first.
func TestQuirkSelectionIgnoredDisablesPatchSelectsFirst(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	seedQuirks(t, s)
	rec := quirkExchange(t, s, QuirkSelectionIgnored|QuirkPatchSelectsFirst, "PATCH", "/Groups/g1?excludedAttributes=members",
		patchBody(`[{"op":"add","path":"members","value":[{"value":"u2"}]}]`))
	if rec.Code != http.StatusOK {
		t.Fatalf("PATCH: %d %s", rec.Code, rec.Body)
	}
	if diff := cmp.Diff([]string{"u1", "u2"}, s.GroupMembers("g1")); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
}
