package scimserver

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// seedFilterUsers stores the fixed user set of the filter tests and fuzzer
// and returns the store after moving its clock forward per user.
func seedFilterUsers(t testing.TB) *Store {
	t.Helper()
	s := newTestStore(10)
	clock := testTime
	s.cfg.Now = func() time.Time { return clock }
	users := []User{
		{UserName: "jane@example.com", ExternalID: "00u1", DisplayName: "Jane Doe", Active: new(true), Name: Name{GivenName: "Jane", FamilyName: "Doe"},
			Emails: []Email{{Value: "jane@example.com", Type: "work", Primary: true}, {Value: "jane@home.org", Type: "home"}}, NativeObjectID: "GUID-1", AuthName: "jdoe"},
		{UserName: "Bob@Example.com", ExternalID: "00U2", DisplayName: "Bob", Active: new(false),
			Emails: []Email{{Value: "bob@x.org", Type: "work"}}},
		{UserName: "carol", Active: new(true), Name: Name{GivenName: "Carol"}},
	}
	for _, u := range users {
		if _, err := s.CreateUser(u); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Hour)
	}
	return s
}

func TestFilterUsers(t *testing.T) {
	t.Parallel()
	s := seedFilterUsers(t)
	c := &client{t: t, mux: newMux(s, 1<<20)}
	jane, _ := s.UserByUserName("jane@example.com")
	tests := []struct {
		filter string
		want   []string
	}{
		{`userName eq "JANE@example.com"`, []string{"jane@example.com"}},
		{`USERNAME Eq "bob@example.com"`, []string{"Bob@Example.com"}},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "carol"`, []string{"carol"}},
		{`userName ne "carol"`, []string{"jane@example.com", "Bob@Example.com"}},
		{`userName co "EXAMPLE"`, []string{"jane@example.com", "Bob@Example.com"}},
		{`userName sw "j"`, []string{"jane@example.com"}},
		{`userName ew ".COM"`, []string{"jane@example.com", "Bob@Example.com"}},
		{`userName gt "bob@example.com"`, []string{"jane@example.com", "carol"}},
		{`userName ge "bob@example.com"`, []string{"jane@example.com", "Bob@Example.com", "carol"}},
		{`userName lt "carol"`, []string{"Bob@Example.com"}},
		{`userName le "carol"`, []string{"Bob@Example.com", "carol"}},
		{`externalId eq "00u2"`, nil}, // externalId is caseExact
		{`externalId eq "00U2"`, []string{"Bob@Example.com"}},
		{`id eq "` + jane.ID + `"`, []string{"jane@example.com"}},
		{`externalId pr`, []string{"jane@example.com", "Bob@Example.com"}},
		{`name pr`, []string{"jane@example.com", "carol"}},
		{`not (externalId pr)`, []string{"carol"}},
		{`externalId eq null`, []string{"carol"}},
		{`externalId ne null`, []string{"jane@example.com", "Bob@Example.com"}},
		{`active eq true`, []string{"jane@example.com", "carol"}},
		{`active eq false and userName sw "b"`, []string{"Bob@Example.com"}},
		{`active eq false or name.givenName eq "carol"`, []string{"Bob@Example.com", "carol"}},
		{`(userName eq "carol" or userName eq "jane@example.com") and active eq true`, []string{"jane@example.com", "carol"}},
		{`name.givenName eq "JANE"`, []string{"jane@example.com"}},
		{`emails co "home.org"`, []string{"jane@example.com"}},
		{`emails.value ew "x.org"`, []string{"Bob@Example.com"}},
		{`emails[type eq "work" and value co "@example"]`, []string{"jane@example.com"}},
		{`emails[type eq "home"] or userName eq "carol"`, []string{"jane@example.com", "carol"}},
		{`emails[primary eq true]`, []string{"jane@example.com"}},
		{`emails.type eq "work"`, []string{"jane@example.com", "Bob@Example.com"}},
		{urnUmbrella + `:nativeObjectId eq "GUID-1"`, []string{"jane@example.com"}},
		{urnUmbrella + `:nativeObjectId eq "guid-1"`, nil}, // caseExact
		{urnUmbrella + `:authName eq "JDOE"`, []string{"jane@example.com"}},
		{`meta.created gt "2026-03-18T12:30:00Z"`, []string{"Bob@Example.com", "carol"}},
		{`meta.lastModified lt "2026-03-18T13:00:00Z"`, []string{"jane@example.com"}},
		{`meta.created ge "2026-03-18T13:00:00+00:00"`, []string{"Bob@Example.com", "carol"}},
		{`meta.resourceType eq "User"`, []string{"jane@example.com", "Bob@Example.com", "carol"}},
		{`unknownAttr eq "x"`, nil},
		{`not (unknownAttr eq "x") and userName eq "carol"`, []string{"carol"}},
		{`urn:example:other:Thing:x pr`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "GET", "/Users?filter="+url.QueryEscape(tt.filter), "")
			if diff := cmp.Diff(tt.want, userNames(resp)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if got := resp.get("totalResults"); got != float64(len(tt.want)) {
				t.Errorf("totalResults %v, want %d", got, len(tt.want))
			}
		})
	}
}

func TestFilterEscapes(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	mustUser(t, s, `a" or userName pr or "`)
	mustUser(t, s, `back\slash`)
	mustUser(t, s, "other")
	tests := []struct{ filter, want string }{
		{`userName eq "a\" or userName pr or \""`, `a" or userName pr or "`},
		{`userName eq "back\\slash"`, `back\slash`},
	}
	for _, tt := range tests {
		resp := c.on(t).must(200, "GET", "/Users?filter="+url.QueryEscape(tt.filter), "")
		if diff := cmp.Diff([]string{tt.want}, userNames(resp)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.filter, diff)
		}
	}
}

func TestFilterInvalid(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	syntax := []string{`userName`, `userName eq`, `userName xx "a"`, `(userName eq "a"`, `userName eq "a" and`, `emails[type eq "work"`, `emails[bogus[x eq "y"]]`}
	semantic := []string{`active gt true`, `active eq "yes"`, `userName co null`, `userName eq 5`, `name eq "x"`,
		`meta.created gt "yesterday"`, `userName[value eq "x"]`, `meta.lastModified le 5`}
	for i, f := range append(syntax, semantic...) {
		kinds := []string{"/Users"}
		if i < len(syntax) {
			kinds = append(kinds, "/Groups")
		}
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			for _, kind := range kinds {
				resp := c.on(t).do("GET", kind+"?filter="+url.QueryEscape(f), "")
				if resp.status != 400 {
					t.Fatalf("%s: status %d: %s", kind, resp.status, resp.raw)
				}
				if _, scimType := resp.errorOf(t); scimType != "invalidFilter" {
					t.Errorf("scimType %q, want invalidFilter", scimType)
				}
			}
		})
	}
}

func TestFilterGroups(t *testing.T) {
	t.Parallel()
	c, s := newClient(t)
	jane, bob := mustUser(t, s, "jane@x"), mustUser(t, s, "bob@x")
	eng, err := s.CreateGroup(Group{DisplayName: "Engineering", ExternalID: "ext-1", Members: []string{jane.ID}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateGroup(Group{DisplayName: "Sales", Members: []string{jane.ID, bob.ID}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		filter string
		want   []string
	}{
		{`displayName eq "engineering"`, []string{"Engineering"}},
		{`externalId eq "ext-1"`, []string{"Engineering"}},
		{`members[value eq "` + bob.ID + `"]`, []string{"Sales"}},
		{`members eq "` + jane.ID + `"`, []string{"Engineering", "Sales"}},
		{`id eq "` + eng.ID + `" and members[value eq "` + jane.ID + `"]`, []string{"Engineering"}},
		{`id eq "` + eng.ID + `" and members[value eq "` + bob.ID + `"]`, nil},
		{`displayName eq "Sales" or displayName eq "Engineering"`, []string{"Engineering", "Sales"}},
		{`displayName sw "s"`, []string{"Sales"}},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "GET", "/Groups?excludedAttributes=members&filter="+url.QueryEscape(tt.filter), "")
			var got []string
			for _, r := range resources(resp) {
				got = append(got, r["displayName"].(string))
				if _, ok := r["members"]; ok {
					t.Error("members returned despite excludedAttributes=members")
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestIndexable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		filter string
		want   []indexKey
		ok     bool
	}{
		{`userName eq "A"`, []indexKey{{"userName", "A"}}, true},
		{`urn:ietf:params:scim:schemas:core:2.0:User:externalId EQ "x"`, []indexKey{{"externalId", "x"}}, true},
		{`active eq true and id eq "i"`, []indexKey{{"id", "i"}}, true},
		{`userName eq "a" or externalId eq "b"`, []indexKey{{"userName", "a"}, {"externalId", "b"}}, true},
		{`userName eq "a" or active eq true`, nil, false},
		{`userName co "a"`, nil, false},
		{`displayName eq "a"`, nil, false}, // not unique for users
		{`not (userName eq "a")`, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			expr, _, err := parseFilter(userKind, tt.filter)
			if err != nil {
				t.Fatal(err)
			}
			keys, ok := indexable(userKind, expr)
			if ok != tt.ok {
				t.Fatalf("ok %v, want %v", ok, tt.ok)
			}
			if ok {
				if diff := cmp.Diff(tt.want, keys, cmp.AllowUnexported(indexKey{})); diff != "" {
					t.Errorf("(-want +got):\n%s", diff)
				}
			}
		})
	}
}

// resources returns the Resources of a ListResponse.
func resources(resp response) []map[string]any {
	list, _ := resp.body["Resources"].([]any)
	out := make([]map[string]any, len(list))
	for i, r := range list {
		out[i] = r.(map[string]any)
	}
	return out
}

// userNames returns the userNames of a ListResponse, in order.
func userNames(resp response) []string {
	var out []string
	for _, r := range resources(resp) {
		out = append(out, r["userName"].(string))
	}
	return out
}

func TestFilterCache(t *testing.T) {
	t.Parallel()
	var c filterCache
	first, _, err := c.parse(userKind, `userName eq "a"`, false)
	if err != nil {
		t.Fatal(err)
	}
	again, _, _ := c.parse(userKind, `userName eq "a"`, false)
	if first != again {
		t.Error("a repeated filter was parsed again")
	}
	other, _, _ := c.parse(groupKind, `userName eq "a"`, false)
	if other == first {
		t.Error("the cache is shared between resource types")
	}
	if cs, _, _ := c.parse(userKind, `userName eq "a"`, true); cs == first {
		t.Error("the cache is shared between case-insensitive and case-sensitive eq (filter-case-sensitive)")
	}
	if _, _, err := c.parse(userKind, `userName eq`, false); err == nil || err.scimType != scimTypeInvalidFilter {
		t.Errorf("invalid filter: %v", err)
	}
	for i := range filterCacheSize + 10 {
		if _, _, err := c.parse(userKind, fmt.Sprintf(`userName eq "%d"`, i), false); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.m) > filterCacheSize {
		t.Errorf("cache holds %d filters, more than %d", len(c.m), filterCacheSize)
	}
	var none *filterCache
	if _, _, err := none.parse(userKind, `userName pr`, false); err != nil {
		t.Errorf("nil cache: %v", err)
	}
}
