package scimserver

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// Fixtures of the cases of the quirks that change what is stored.
const (
	sUser    = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
	sUserExt = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"]`
	sGroup   = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"]`
	extKey   = `"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"`
	// johnMember is John (u2) as a rendered member.
	johnMember = `{"value":"u2","type":"User","display":"john@example.com","$ref":"http://mock.test/identity/v2/scim/Users/u2"}`
	// engHidden is eng under members-hidden.
	engHidden = `{` + sGroup + `,"id":"g1","displayName":"Engineering","members":[],` + engMeta + `}`
)

// newUserWith is the body of a POST of new@example.com with more
// attributes (JSON members, each after a comma).
func newUserWith(attrs string) string {
	return `{` + sUser + `,"userName":"new@example.com"` + attrs + `}`
}

// wantStored checks a user after the request: with the quirk, check gets
// the stored user and quirky true.
func wantStored(userName string, check func(t *testing.T, u User, quirky bool)) func(*testing.T, *Store, bool) {
	return func(t *testing.T, s *Store, quirky bool) {
		t.Helper()
		u, ok := s.UserByUserName(userName)
		if !ok {
			t.Fatalf("no user %q stored", userName)
		}
		check(t, u, quirky)
	}
}

// wantMembers checks the stored members of the group displayName: the
// same with the quirk as without.
func wantMembers(displayName string, want ...string) func(*testing.T, *Store, bool) {
	return func(t *testing.T, s *Store, _ bool) {
		t.Helper()
		g, ok := s.GroupByDisplayName(displayName)
		if !ok {
			t.Fatalf("no group %q stored", displayName)
		}
		if diff := cmp.Diff(want, s.GroupMembers(g.ID), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("stored members of %s (-want +got):\n%s", displayName, diff)
		}
	}
}

// storeQuirkCases cover the quirks that change what is stored, and
// members-hidden: each answer with it, and the normal answer, and what
// the store holds after either.
var storeQuirkCases = []quirkCase{
	// fill-name-formatted
	{
		name: "fill-name-formatted create given and family", quirk: QuirkFillNameFormatted, method: "POST", path: "/Users?attributes=name",
		body:   newUserWith(`,"name":{"givenName":"New","familyName":"User"}`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","name":{"givenName":"New","familyName":"User","formatted":"New User"}}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","name":{"givenName":"New","familyName":"User"}}`},
		after: wantStored("new@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{true: "New User"}[quirky]; u.Name.Formatted != want {
				t.Errorf("stored name.formatted %q, want %q", u.Name.Formatted, want)
			}
		}),
	},
	{
		name: "fill-name-formatted create from displayName", quirk: QuirkFillNameFormatted, method: "POST", path: "/Users?attributes=name",
		body:   newUserWith(`,"displayName":"Newbie"`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","name":{"formatted":"Newbie"}}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
	},
	{
		name: "fill-name-formatted create nothing to derive", quirk: QuirkFillNameFormatted, method: "POST", path: "/Users?attributes=name,displayName",
		body:   newUserBody,
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
	},
	{
		name: "fill-name-formatted put", quirk: QuirkFillNameFormatted, method: "PUT", path: "/Users/u2?attributes=name",
		body:   `{` + sUser + `,"userName":"john@example.com","name":{"familyName":"Smith"}}`,
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","name":{"familyName":"Smith","formatted":"Smith"}}`},
		normal: quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","name":{"familyName":"Smith"}}`},
		after: wantStored("john@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{true: "Smith"}[quirky]; u.Name.Formatted != want {
				t.Errorf("stored name.formatted %q, want %q", u.Name.Formatted, want)
			}
		}),
	},
	{
		name: "fill-name-formatted patch name", quirk: QuirkFillNameFormatted, method: "PATCH", path: "/Users/u1?attributes=name",
		body:   patchBody(`[{"op":"replace","path":"name.givenName","value":"Janet"}]`),
		want:   quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","name":{"givenName":"Janet","formatted":"Janet"}}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","name":{"givenName":"Janet"}}`},
	},
	{
		name: "fill-name-formatted patch another attribute", quirk: QuirkFillNameFormatted, method: "PATCH", path: "/Users/u1?attributes=name",
		body:   patchBody(`[{"op":"replace","path":"active","value":false}]`),
		want:   quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","name":{"formatted":"Jane Doe"}}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1"}`},
		after: wantStored("jane@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{true: "Jane Doe"}[quirky]; u.Name.Formatted != want {
				t.Errorf("stored name.formatted %q, want %q", u.Name.Formatted, want)
			}
		}),
	},

	// fill-display-name
	{
		name: "fill-display-name create from formatted", quirk: QuirkFillDisplayName, method: "POST", path: "/Users?attributes=displayName",
		body:   newUserWith(`,"name":{"formatted":"Dr. New User","givenName":"New","familyName":"User"}`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"Dr. New User"}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
		after: wantStored("new@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{true: "Dr. New User"}[quirky]; u.DisplayName != want {
				t.Errorf("stored displayName %q, want %q", u.DisplayName, want)
			}
		}),
	},
	{
		name: "fill-display-name create from given and family", quirk: QuirkFillDisplayName, method: "POST", path: "/Users?attributes=displayName",
		body:   newUserWith(`,"name":{"givenName":"New","familyName":"User"}`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"New User"}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
	},
	{
		name: "fill-display-name create from userName", quirk: QuirkFillDisplayName, method: "POST", path: "/Users?attributes=displayName",
		body:   newUserBody,
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"new@example.com"}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
	},
	{
		name: "fill-display-name keeps the one sent", quirk: QuirkFillDisplayName, method: "POST", path: "/Users?attributes=displayName",
		body:   newUserWith(`,"displayName":"Newbie","name":{"formatted":"New User"}`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"Newbie"}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"Newbie"}`},
	},
	{
		name: "fill-display-name put", quirk: QuirkFillDisplayName, method: "PUT", path: "/Users/u1?attributes=displayName",
		body:   `{` + sUser + `,"userName":"jane@example.com","name":{"givenName":"Jane"}}`,
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u1","displayName":"Jane"}`},
		normal: quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u1"}`},
	},
	{
		name: "fill-display-name patch", quirk: QuirkFillDisplayName, method: "PATCH", path: "/Users/u1?attributes=displayName",
		body:   patchBody(`[{"op":"remove","path":"displayName"}]`),
		want:   quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","displayName":"jane@example.com"}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1"}`},
		after: wantStored("jane@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{true: "jane@example.com"}[quirky]; u.DisplayName != want {
				t.Errorf("stored displayName %q, want %q", u.DisplayName, want)
			}
		}),
	},
	{
		name: "fill-display-name and fill-name-formatted from userName", quirk: QuirkFillDisplayName | QuirkFillNameFormatted,
		method: "POST", path: "/Users?attributes=displayName,name", body: newUserBody,
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"new@example.com","name":{"formatted":"new@example.com"}}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID"}`},
	},
	{
		name: "fill-display-name and fill-name-formatted from givenName", quirk: QuirkFillDisplayName | QuirkFillNameFormatted,
		method: "POST", path: "/Users?attributes=displayName,name", body: newUserWith(`,"name":{"givenName":"New"}`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","displayName":"New","name":{"givenName":"New","formatted":"New"}}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","name":{"givenName":"New"}}`},
	},

	// fill-email-primary
	{
		name: "fill-email-primary create", quirk: QuirkFillEmailPrimary, method: "POST", path: "/Users?attributes=emails",
		body: newUserWith(`,"emails":[{"value":"b@example.com","type":"work"},{"value":"a@example.com","type":"home"}]`),
		want: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","emails":[` +
			`{"value":"b@example.com","type":"work","primary":true},{"value":"a@example.com","type":"home","primary":false}]}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","emails":[` +
			`{"value":"b@example.com","type":"work","primary":false},{"value":"a@example.com","type":"home","primary":false}]}`},
		after: wantStored("new@example.com", func(t *testing.T, u User, quirky bool) {
			if len(u.Emails) != 2 || u.Emails[0].Primary != quirky || u.Emails[1].Primary {
				t.Errorf("stored emails %+v; want the first primary only with the quirk", u.Emails)
			}
		}),
	},
	{
		name: "fill-email-primary put", quirk: QuirkFillEmailPrimary, method: "PUT", path: "/Users/u2?attributes=emails",
		body:   `{` + sUser + `,"userName":"john@example.com","emails":[{"value":"john@example.com"}]}`,
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","emails":[{"value":"john@example.com","primary":true}]}`},
		normal: quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","emails":[{"value":"john@example.com","primary":false}]}`},
	},
	{
		name: "fill-email-primary patch", quirk: QuirkFillEmailPrimary, method: "PATCH", path: "/Users/u1?attributes=emails",
		body: patchBody(`[{"op":"replace","path":"emails","value":[{"value":"jane2@example.com"},{"value":"jane@example.com","type":"work"}]}]`),
		want: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","emails":[` +
			`{"value":"jane2@example.com","primary":true},{"value":"jane@example.com","type":"work","primary":false}]}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","emails":[` +
			`{"value":"jane2@example.com","primary":false},{"value":"jane@example.com","type":"work","primary":false}]}`},
	},
	{
		name: "fill-email-primary keeps a primary", quirk: QuirkFillEmailPrimary, method: "PATCH", path: "/Users/u1?attributes=emails",
		body: patchBody(`[{"op":"add","path":"emails","value":[{"value":"j@example.com"}]}]`),
		want: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","emails":[` +
			`{"value":"jane@example.com","type":"work","primary":true},{"value":"j@example.com","primary":false}]}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","emails":[` +
			`{"value":"jane@example.com","type":"work","primary":true},{"value":"j@example.com","primary":false}]}`},
	},

	// lowercase-values
	{
		name: "lowercase-values create", quirk: QuirkLowercaseValues, method: "POST", path: "/Users?attributes=userName,emails",
		body: `{` + sUser + `,"userName":"New@Example.COM","emails":[{"value":"New@Example.COM","type":"work","primary":true}]}`,
		want: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","userName":"new@example.com",` +
			`"emails":[{"value":"new@example.com","type":"work","primary":true}]}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","userName":"New@Example.COM",` +
			`"emails":[{"value":"New@Example.COM","type":"work","primary":true}]}`},
		after: wantStored("new@example.com", func(t *testing.T, u User, quirky bool) {
			want := map[bool]string{true: "new@example.com", false: "New@Example.COM"}[quirky]
			if u.UserName != want || len(u.Emails) != 1 || u.Emails[0].Value != want {
				t.Errorf("stored userName %q, emails %+v; want %q", u.UserName, u.Emails, want)
			}
		}),
	},
	{
		name: "lowercase-values put", quirk: QuirkLowercaseValues, method: "PUT", path: "/Users/u2?attributes=userName",
		body:   `{` + sUser + `,"userName":"John@Example.com"}`,
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","userName":"john@example.com"}`},
		normal: quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","userName":"John@Example.com"}`},
	},
	{
		name: "lowercase-values patch", quirk: QuirkLowercaseValues, method: "PATCH", path: "/Users/u1?attributes=userName,emails",
		body: patchBody(`[{"op":"replace","path":"userName","value":"Jane.Doe@Example.com"},{"op":"add","path":"emails","value":[{"value":"Jane.Doe@Example.com"}]}]`),
		want: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","userName":"jane.doe@example.com","emails":[` +
			`{"value":"jane@example.com","type":"work","primary":true},{"value":"jane.doe@example.com","primary":false}]}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","userName":"Jane.Doe@Example.com","emails":[` +
			`{"value":"jane@example.com","type":"work","primary":true},{"value":"Jane.Doe@Example.com","primary":false}]}`},
		after: wantStored("jane.doe@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{true: "jane.doe@example.com", false: "Jane.Doe@Example.com"}[quirky]; u.UserName != want {
				t.Errorf("stored userName %q, want %q", u.UserName, want)
			}
		}),
	},

	// reorder-emails
	{
		name: "reorder-emails create", quirk: QuirkReorderEmails, method: "POST", path: "/Users?attributes=emails",
		body: newUserWith(`,"emails":[{"value":"a@example.com"},{"value":"c@example.com"},{"value":"b@example.com"}]`),
		want: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","emails":[` +
			`{"value":"c@example.com","primary":false},{"value":"b@example.com","primary":false},{"value":"a@example.com","primary":false}]}`},
		normal: quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","emails":[` +
			`{"value":"a@example.com","primary":false},{"value":"c@example.com","primary":false},{"value":"b@example.com","primary":false}]}`},
		after: wantStored("new@example.com", func(t *testing.T, u User, quirky bool) {
			want := map[bool][]string{true: {"c@example.com", "b@example.com", "a@example.com"}, false: {"a@example.com", "c@example.com", "b@example.com"}}[quirky]
			if diff := cmp.Diff(want, emailValues(u)); diff != "" {
				t.Errorf("stored emails (-want +got):\n%s", diff)
			}
		}),
	},
	{
		name: "reorder-emails put", quirk: QuirkReorderEmails, method: "PUT", path: "/Users/u1?attributes=emails",
		body: `{` + sUser + `,"userName":"jane@example.com","emails":[{"value":"a@example.com"},{"value":"b@example.com","primary":true}]}`,
		want: quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u1","emails":[` +
			`{"value":"b@example.com","primary":true},{"value":"a@example.com","primary":false}]}`},
		normal: quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u1","emails":[` +
			`{"value":"a@example.com","primary":false},{"value":"b@example.com","primary":true}]}`},
	},
	{
		name: "reorder-emails patch", quirk: QuirkReorderEmails, method: "PATCH", path: "/Users/u1?attributes=emails",
		body: patchBody(`[{"op":"add","path":"emails","value":[{"value":"zed@example.com"}]}]`),
		want: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","emails":[` +
			`{"value":"zed@example.com","primary":false},{"value":"jane@example.com","type":"work","primary":true}]}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","emails":[` +
			`{"value":"jane@example.com","type":"work","primary":true},{"value":"zed@example.com","primary":false}]}`},
	},

	// drop-extension
	{
		name: "drop-extension create", quirk: QuirkDropExtension, method: "POST", path: "/Users?excludedAttributes=meta",
		body:   newUserWith(`,` + extKey + `:{"authName":"new","nativeObjectId":"abc"}`),
		want:   quirkAnswer{status: 201, body: `{` + sUser + `,"id":"$ID","userName":"new@example.com","active":true}`},
		normal: quirkAnswer{status: 201, body: `{` + sUserExt + `,"id":"$ID","userName":"new@example.com","active":true,` + extKey + `:{"authName":"new","nativeObjectId":"abc"}}`},
		after: wantStored("new@example.com", func(t *testing.T, u User, quirky bool) {
			if dropped := u.AuthName == "" && u.NativeObjectID == ""; dropped != quirky {
				t.Errorf("stored authName %q, nativeObjectId %q; want them dropped only with the quirk", u.AuthName, u.NativeObjectID)
			}
		}),
	},
	{
		name: "drop-extension put", quirk: QuirkDropExtension, method: "PUT", path: "/Users/u2?attributes=userName," + urnUmbrella,
		body:   `{` + sUserExt + `,"userName":"john@example.com",` + extKey + `:{"nativeObjectId":"abc"}}`,
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2","userName":"john@example.com"}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u2","userName":"john@example.com",` + extKey + `:{"nativeObjectId":"abc"}}`},
	},
	{
		name: "drop-extension patch of the extension", quirk: QuirkDropExtension, method: "PATCH", path: "/Users/u2?attributes=" + urnUmbrella,
		body:   patchBody(`[{"op":"add","path":"` + urnUmbrella + `:authName","value":"john"}]`),
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u2"}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u2",` + extKey + `:{"authName":"john"}}`},
	},
	{
		name: "drop-extension patch of another attribute", quirk: QuirkDropExtension, method: "PATCH", path: "/Users/u1?attributes=displayName," + urnUmbrella,
		body:   patchBody(`[{"op":"replace","path":"displayName","value":"Jane"}]`),
		want:   quirkAnswer{status: 200, body: `{` + sUser + `,"id":"u1","displayName":"Jane"}`},
		normal: quirkAnswer{status: 200, body: `{` + sUserExt + `,"id":"u1","displayName":"Jane",` + extKey + `:{"authName":"jane"}}`},
		after: wantStored("jane@example.com", func(t *testing.T, u User, quirky bool) {
			if want := map[bool]string{false: "jane"}[quirky]; u.AuthName != want {
				t.Errorf("stored authName %q, want %q", u.AuthName, want)
			}
		}),
	},

	// members-hidden
	{
		name: "members-hidden get", quirk: QuirkMembersHidden, method: "GET", path: "/Groups/g1",
		want: quirkAnswer{status: 200, body: engHidden}, normal: quirkAnswer{status: 200, body: eng},
		after: wantMembers("Engineering", "u1"),
	},
	{
		name: "members-hidden list", quirk: QuirkMembersHidden, method: "GET", path: "/Groups",
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + engHidden + `]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + eng + `]}`},
		after:  wantMembers("Engineering", "u1"),
	},
	{
		name: "members-hidden member filter", quirk: QuirkMembersHidden, method: "GET", path: "/Groups" + filterQuery(`members[value eq "u1"]`),
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + engHidden + `]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":1,"startIndex":1,"itemsPerPage":1,"Resources":[` + eng + `]}`},
		after:  wantMembers("Engineering", "u1"),
	},
	{
		name: "members-hidden member filter without match", quirk: QuirkMembersHidden, method: "GET", path: "/Groups" + filterQuery(`members[value eq "u2"]`),
		want:   quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`},
	},
	{
		name: "members-hidden search", quirk: QuirkMembersHidden, method: "POST", path: "/.search",
		body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"id eq \"g1\" or id eq \"u1\"","attributes":["members"]}`,
		want: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":1,"itemsPerPage":2,"Resources":[` +
			`{` + sUserExt + `,"id":"u1"},{` + sGroup + `,"id":"g1","members":[]}]}`},
		normal: quirkAnswer{status: 200, body: `{` + listUR + `,"totalResults":2,"startIndex":1,"itemsPerPage":2,"Resources":[` +
			`{` + sUserExt + `,"id":"u1"},{` + sGroup + `,"id":"g1","members":[` + janeMember + `]}]}`},
	},
	{
		name: "members-hidden selected", quirk: QuirkMembersHidden, method: "GET", path: "/Groups/g1?attributes=members.value",
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","members":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","members":[{"value":"u1"}]}`},
	},
	{
		name: "members-hidden and members-stripped", quirk: QuirkMembersHidden | QuirkMembersStripped, method: "GET", path: "/Groups/g1?attributes=members",
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","members":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","members":[` + janeMember + `]}`},
	},
	{
		name: "members-hidden not selected", quirk: QuirkMembersHidden, method: "GET", path: "/Groups/g1?attributes=displayName",
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering"}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering"}`},
	},
	{
		name: "members-hidden excluded", quirk: QuirkMembersHidden, method: "GET", path: "/Groups/g1?excludedAttributes=members,meta",
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering"}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering"}`},
	},
	{
		name: "members-hidden create", quirk: QuirkMembersHidden, method: "POST", path: "/Groups?attributes=displayName,members",
		body:   `{` + sGroup + `,"displayName":"Ops","members":[{"value":"u1"},{"value":"u2"}]}`,
		want:   quirkAnswer{status: 201, body: `{` + sGroup + `,"id":"$ID","displayName":"Ops","members":[]}`},
		normal: quirkAnswer{status: 201, body: `{` + sGroup + `,"id":"$ID","displayName":"Ops","members":[` + janeMember + `,` + johnMember + `]}`},
		after:  wantMembers("Ops", "u1", "u2"),
	},
	{
		name: "members-hidden create without members", quirk: QuirkMembersHidden, method: "POST", path: "/Groups?excludedAttributes=meta",
		body:   `{` + sGroup + `,"displayName":"Ops"}`,
		want:   quirkAnswer{status: 201, body: `{` + sGroup + `,"id":"$ID","displayName":"Ops","members":[]}`},
		normal: quirkAnswer{status: 201, body: `{` + sGroup + `,"id":"$ID","displayName":"Ops"}`},
		after:  wantMembers("Ops"),
	},
	{
		name: "members-hidden put", quirk: QuirkMembersHidden, method: "PUT", path: "/Groups/g1?excludedAttributes=meta",
		body:   `{` + sGroup + `,"displayName":"Engineering","members":[{"value":"u2"}]}`,
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering","members":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering","members":[` + johnMember + `]}`},
		after:  wantMembers("Engineering", "u2"),
	},
	{
		name: "members-hidden patch", quirk: QuirkMembersHidden, method: "PATCH", path: "/Groups/g1?attributes=members.value",
		body:   patchBody(`[{"op":"add","path":"members","value":[{"value":"u2"}]}]`),
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","members":[]}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","members":[{"value":"u1"},{"value":"u2"}]}`},
		after:  wantMembers("Engineering", "u1", "u2"),
	},
	{
		name: "members-hidden patch remove by value filter", quirk: QuirkMembersHidden, method: "PATCH", path: "/Groups/g1?attributes=displayName",
		body:   patchBody(`[{"op":"remove","path":"members[value eq \"u1\"]"}]`),
		want:   quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering"}`},
		normal: quirkAnswer{status: 200, body: `{` + sGroup + `,"id":"g1","displayName":"Engineering"}`},
		after:  wantMembers("Engineering"),
	},
	{
		name: "members-hidden user delete", quirk: QuirkMembersHidden, method: "DELETE", path: "/Users/u1",
		want: quirkAnswer{status: 204}, normal: quirkAnswer{status: 204},
		after: wantMembers("Engineering"),
	},
	{
		name: "members-hidden users unchanged", quirk: QuirkMembersHidden, method: "GET", path: "/Users/u1",
		want: quirkAnswer{status: 200, body: jane}, normal: quirkAnswer{status: 200, body: jane},
	},
}

// emailValues returns the values of u's emails in order.
func emailValues(u User) []string {
	out := make([]string, len(u.Emails))
	for i, e := range u.Emails {
		out[i] = e.Value
	}
	return out
}

// TestQuirkReorderEmailsIsStable: the order reorder-emails stores does not
// depend on the order sent, and a write of another attribute keeps it.
func TestQuirkReorderEmailsIsStable(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	seedQuirks(t, s)
	want := []string{"c@example.com", "b@example.com", "a@example.com"}
	for _, order := range []string{`"a","c","b"`, `"b","a","c"`, `"c","b","a"`} {
		emails := strings.NewReplacer(`"a"`, `{"value":"a@example.com"}`, `"b"`, `{"value":"b@example.com"}`, `"c"`, `{"value":"c@example.com"}`).Replace(order)
		rec := quirkExchange(t, s, QuirkReorderEmails, "PUT", "/Users/u1", `{"userName":"jane@example.com","emails":[`+emails+`]}`)
		if rec.Code != http.StatusOK {
			t.Fatalf("PUT emails %s: %d %s", order, rec.Code, rec.Body)
		}
		u, _ := s.User("u1")
		if diff := cmp.Diff(want, emailValues(u)); diff != "" {
			t.Errorf("PUT emails %s: stored (-want +got):\n%s", order, diff)
		}
	}
	for _, q := range []Quirks{QuirkReorderEmails, 0} {
		rec := quirkExchange(t, s, q, "PATCH", "/Users/u1", patchBody(`[{"op":"replace","path":"displayName","value":"Jane"}]`))
		if rec.Code != http.StatusOK {
			t.Fatalf("PATCH: %d %s", rec.Code, rec.Body)
		}
		u, _ := s.User("u1")
		if diff := cmp.Diff(want, emailValues(u)); diff != "" {
			t.Errorf("after a PATCH of displayName with quirks %q: emails (-want +got):\n%s", q, diff)
		}
	}
}

// TestQuirkLowercaseValuesIndex: the stored, lower-cased userName is what
// the index and filters see and what uniqueness compares.
func TestQuirkLowercaseValuesIndex(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	rec := quirkExchange(t, s, QuirkLowercaseValues, "POST", "/Users", `{"userName":"New@Example.COM","emails":[{"value":"New@Example.COM"}]}`)
	if rec.Code != http.StatusCreated {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body)
	}
	for _, tc := range []struct {
		filter string
		want   float64
	}{
		{`userName eq "new@example.com"`, 1},
		{`userName eq "New@Example.COM"`, 0},
		{`emails[value eq "new@example.com"]`, 1},
		{`emails.value eq "New@Example.COM"`, 0},
	} {
		rec := quirkExchange(t, s, QuirkFilterCaseSensitive, "GET", "/Users"+filterQuery(tc.filter), "")
		var got struct{ TotalResults float64 }
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil || rec.Code != http.StatusOK || got.TotalResults != tc.want {
			t.Errorf("case-sensitive filter %s: %d %s, want %v results", tc.filter, rec.Code, rec.Body, tc.want)
		}
	}
	if u, ok := s.UserByUserName("NEW@EXAMPLE.COM"); !ok || u.UserName != "new@example.com" {
		t.Errorf("UserByUserName = %+v, %v; want the lower-cased user", u, ok)
	}
	rec = quirkExchange(t, s, QuirkLowercaseValues, "POST", "/Users", `{"userName":"NEW@example.com"}`)
	if rec.Code != http.StatusConflict {
		t.Errorf("POST of the same userName in other letters: %d %s, want 409", rec.Code, rec.Body)
	}
}

// TestQuirkDropExtensionFilter: a filter on the extension finds nothing
// the quirk kept from the store.
func TestQuirkDropExtensionFilter(t *testing.T) {
	t.Parallel()
	s := newTestStore(1000)
	body := newUserWith(`,` + extKey + `:{"authName":"new"}`)
	if rec := quirkExchange(t, s, QuirkDropExtension, "POST", "/Users", body); rec.Code != http.StatusCreated {
		t.Fatalf("POST: %d %s", rec.Code, rec.Body)
	}
	rec := quirkExchange(t, s, 0, "GET", "/Users"+filterQuery(urnUmbrella+`:authName eq "new"`), "")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"totalResults":0`) {
		t.Errorf("filter on the dropped authName: %d %s, want no results", rec.Code, rec.Body)
	}
}
