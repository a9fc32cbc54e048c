package scimserver

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	filter "github.com/scim2/filter-parser/v2"
)

func TestPatchUser(t *testing.T) {
	t.Parallel()
	base := User{UserName: "jane@x", DisplayName: "Jane", Active: new(true), ExternalID: "e1", Name: Name{GivenName: "Jane", FamilyName: "Doe"},
		Emails: []Email{{Value: "jane@work", Type: "work", Primary: true}, {Value: "jane@home", Type: "home"}}, AuthName: "jd"}
	tests := []struct {
		name     string
		ops      string
		ifMatch  string
		want     func(u *User) // applied to base; nil when the request fails
		status   int
		scimType string
	}{
		{name: "replace active without path", ops: `[{"op":"replace","value":{"active":false}}]`, want: func(u *User) { u.Active = new(false) }},
		{name: "replace active as string", ops: `[{"op":"Replace","path":"active","value":"False"}]`, want: func(u *User) { u.Active = new(false) }},
		{name: "ops in upper case", ops: `[{"op":"REPLACE","path":"displayName","value":"J"}]`, want: func(u *User) { u.DisplayName = "J" }},
		{name: "path case-insensitive", ops: `[{"op":"replace","path":"NAME.GIVENNAME","value":"Janet"}]`, want: func(u *User) { u.Name.GivenName = "Janet" }},
		{name: "full URN path", ops: `[{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:displayName","value":"Z"}]`, want: func(u *User) { u.DisplayName = "Z" }},
		{name: "add sub-attribute", ops: `[{"op":"add","path":"name.formatted","value":"Jane Doe"}]`, want: func(u *User) { u.Name.Formatted = "Jane Doe" }},
		{name: "replace complex merges", ops: `[{"op":"replace","path":"name","value":{"familyName":"Roe"}}]`, want: func(u *User) { u.Name.FamilyName = "Roe" }},
		{name: "remove attribute", ops: `[{"op":"remove","path":"displayName"}]`, want: func(u *User) { u.DisplayName = "" }},
		{name: "remove sub-attribute", ops: `[{"op":"remove","path":"name.givenName"}]`, want: func(u *User) { u.Name.GivenName = "" }},
		{name: "remove missing attribute", ops: `[{"op":"remove","path":"name.formatted"}]`, want: func(*User) {}},
		{name: "value path sub-attribute", ops: `[{"op":"replace","path":"emails[type eq \"work\"].value","value":"new@work"}]`,
			want: func(u *User) { u.Emails[0].Value = "new@work" }},
		{name: "value path creates missing element", ops: `[{"op":"add","path":"emails[type eq \"other\"].value","value":"o@x"}]`,
			want: func(u *User) { u.Emails = append(u.Emails, Email{Value: "o@x", Type: "other"}) }},
		{name: "value path replace element", ops: `[{"op":"replace","path":"emails[value eq \"jane@home\"]","value":{"type":"other"}}]`,
			want: func(u *User) { u.Emails[1].Type = "other" }},
		{name: "value path remove element", ops: `[{"op":"remove","path":"emails[type eq \"home\"]"}]`, want: func(u *User) { u.Emails = u.Emails[:1] }},
		{name: "value path remove no match", ops: `[{"op":"remove","path":"emails[type eq \"none\"]"}]`, want: func(*User) {}},
		{name: "add primary email demotes old", ops: `[{"op":"add","path":"emails","value":[{"value":"p@x","primary":true}]}]`,
			want: func(u *User) {
				u.Emails[0].Primary = false
				u.Emails = append(u.Emails, Email{Value: "p@x", Primary: true})
			}},
		{name: "replace multi-valued", ops: `[{"op":"replace","path":"emails","value":[{"value":"only@x","type":"work"}]}]`,
			want: func(u *User) { u.Emails = []Email{{Value: "only@x", Type: "work"}} }},
		{name: "all emails sub-attribute", ops: `[{"op":"replace","path":"emails.type","value":"other"}]`,
			want: func(u *User) { u.Emails[0].Type, u.Emails[1].Type = "other", "other" }},
		{name: "extension attribute", ops: `[{"op":"add","path":"` + urnUmbrella + `:nativeObjectId","value":"guid"}]`, want: func(u *User) { u.NativeObjectID = "guid" }},
		{name: "whole extension", ops: `[{"op":"replace","path":"` + urnUmbrella + `","value":{"nativeObjectId":"g2"}}]`, want: func(u *User) { u.NativeObjectID = "g2" }},
		{name: "remove extension", ops: `[{"op":"remove","path":"` + urnUmbrella + `"}]`, want: func(u *User) { u.AuthName = "" }},
		{name: "extension in value", ops: `[{"op":"add","value":{"` + urnUmbrella + `":{"authName":"x"}}}]`, want: func(u *User) { u.AuthName = "x" }},
		{name: "null value without path removes", ops: `[{"op":"replace","value":{"displayName":null}}]`, want: func(u *User) { u.DisplayName = "" }},
		{name: "read-only id in value ignored", ops: `[{"op":"replace","value":{"id":"x","meta":{},"displayName":"K"}}]`, want: func(u *User) { u.DisplayName = "K" }},
		{name: "unparsable name in value ignored", ops: `[{"op":"add","value":{"[bad":1,"displayName":"Q"}}]`, want: func(u *User) { u.DisplayName = "Q" }},
		{name: "unknown attribute ignored", ops: `[{"op":"add","path":"nickName","value":"jj"},{"op":"add","path":"urn:x:y:2.0:User:z","value":1}]`, want: func(*User) {}},
		{name: "password accepted, not stored", ops: `[{"op":"replace","path":"password","value":"s3cret"}]`, want: func(*User) {}},
		{name: "if-match current", ops: `[{"op":"replace","path":"active","value":false}]`, ifMatch: `"1"`, want: func(u *User) { u.Active = new(false) }},

		{name: "if-match stale", ops: `[{"op":"replace","path":"active","value":false}]`, ifMatch: `W/"7", W/"2"`, status: 412},
		{name: "atomic: second op fails", ops: `[{"op":"replace","path":"displayName","value":"X"},{"op":"replace","path":"active","value":"maybe"}]`, status: 400, scimType: "invalidValue"},
		{name: "userName taken", ops: `[{"op":"replace","path":"userName","value":"BOB@x"}]`, status: 409, scimType: "uniqueness"},
		{name: "userName removed", ops: `[{"op":"remove","path":"userName"}]`, status: 400, scimType: "invalidValue"},
		{name: "remove without path", ops: `[{"op":"remove"}]`, status: 400, scimType: "noTarget"},
		{name: "replace no match complex filter", ops: `[{"op":"replace","path":"emails[type eq \"x\" or type eq \"y\"].value","value":"v"}]`, status: 400, scimType: "noTarget"},
		{name: "unknown op", ops: `[{"op":"copy","path":"displayName","value":"x"}]`, status: 400, scimType: "invalidSyntax"},
		{name: "bad path", ops: `[{"op":"replace","path":"emails[type eq","value":"x"}]`, status: 400, scimType: "invalidPath"},
		{name: "path not a string", ops: `[{"op":"replace","path":5,"value":"x"}]`, status: 400, scimType: "invalidPath"},
		{name: "sub-attribute of simple", ops: `[{"op":"replace","path":"userName.x","value":"x"}]`, status: 400, scimType: "invalidPath"},
		{name: "filter on singular", ops: `[{"op":"replace","path":"name[givenName eq \"x\"]","value":"x"}]`, status: 400, scimType: "invalidPath"},
		{name: "bad filter in path", ops: `[{"op":"replace","path":"emails[primary gt true]","value":"x"}]`, status: 400, scimType: "invalidPath"},
		{name: "explicit read-only path", ops: `[{"op":"replace","path":"id","value":"x"}]`, status: 400, scimType: "mutability"},
		{name: "add without value", ops: `[{"op":"add","path":"displayName"}]`, status: 400, scimType: "invalidValue"},
		{name: "value not an object", ops: `[{"op":"add","value":"x"}]`, status: 400, scimType: "invalidValue"},
		{name: "complex value not an object", ops: `[{"op":"replace","path":"name","value":"x"}]`, status: 400, scimType: "invalidValue"},
		{name: "operation not an object", ops: `["x"]`, status: 400, scimType: "invalidSyntax"},
		{name: "no operations", ops: `[]`, status: 400, scimType: "invalidSyntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			u, err := s.CreateUser(base)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.CreateUser(User{UserName: "bob@x"}); err != nil {
				t.Fatal(err)
			}
			var headers []string
			if tt.ifMatch != "" {
				headers = []string{"If-Match", tt.ifMatch}
			}
			resp := c.do("PATCH", "/Users/"+u.ID, patchBody(tt.ops), headers...)
			got, _ := s.User(u.ID)
			ignore := cmpopts.IgnoreFields(User{}, "Version", "LastModified")
			if tt.want == nil {
				if resp.status != tt.status {
					t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.raw)
				}
				if _, scimType := resp.errorOf(t); scimType != tt.scimType {
					t.Errorf("scimType %q, want %q", scimType, tt.scimType)
				}
				if diff := cmp.Diff(u, got); diff != "" {
					t.Errorf("failed PATCH changed the user (-want +got):\n%s", diff)
				}
				return
			}
			if resp.status != 200 {
				t.Fatalf("status %d: %s", resp.status, resp.raw)
			}
			want := copyUser(u)
			tt.want(&want)
			if diff := cmp.Diff(want, got, ignore); diff != "" {
				t.Errorf("user (-want +got):\n%s", diff)
			}
			if resp.header.Get("ETag") != got.ETag() || resp.str("meta.version") != got.ETag() || got.Version <= u.Version {
				t.Errorf("ETag %q, meta.version %q, stored %q (was %q)", resp.header.Get("ETag"), resp.str("meta.version"), got.ETag(), u.ETag())
			}
		})
	}
}

func TestPatchRequestShape(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, body string
		status     int
		scimType   string
	}{
		{name: "wrong schema", body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"op":"remove","path":"displayName"}]}`, status: 400, scimType: "invalidSyntax"},
		{name: "no schemas", body: `{"Operations":[{"op":"remove","path":"displayName"}]}`, status: 400, scimType: "invalidSyntax"},
		{name: "operations lower case", body: `{"schemas":["` + urnPatchOp + `"],"operations":[{"OP":"remove","PATH":"displayName"}]}`, status: 200},
		{name: "operations not a list", body: `{"schemas":["` + urnPatchOp + `"],"Operations":{}}`, status: 400, scimType: "invalidSyntax"},
		{name: "malformed", body: `{"schemas":`, status: 400, scimType: "invalidSyntax"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, s := newClient(t)
			u := mustUser(t, s, "jane@x")
			resp := c.do("PATCH", "/Users/"+u.ID, tt.body)
			if resp.status != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.status, tt.status, resp.raw)
			}
			if tt.status != 200 {
				if _, scimType := resp.errorOf(t); scimType != tt.scimType {
					t.Errorf("scimType %q, want %q", scimType, tt.scimType)
				}
			}
		})
	}
	t.Run("unknown id", func(t *testing.T) {
		t.Parallel()
		c, _ := newClient(t)
		c.must(404, "PATCH", "/Users/nope", patchBody(`[{"op":"remove","path":"displayName"}]`))
		c.must(404, "PATCH", "/Groups/nope", patchBody(`[{"op":"remove","path":"displayName"}]`))
	})
}

// TestMemberValuePath checks that the parser-free recognizer of
// members[value eq "ID"] accepts only paths that the general parser
// resolves to the same target.
func TestMemberValuePath(t *testing.T) {
	t.Parallel()
	for _, path := range []string{
		`members[value eq "2819c223-7f76-453a-919d-413861904646"]`,
		`members[value eq "a.b_c-d@e+f:g"]`,
		`members[value eq "X"]`,
		`members[value eq ""]`,
		`members[value eq "a b"]`,
		`members[value eq "a\"b"]`,
		`members[value eq "a]b"]`,
		`members[value eq "é"]`,
		`Members[value eq "x"]`,
		`members[Value eq "x"]`,
		`members[value EQ "x"]`,
		`members[value  eq "x"]`,
		`members[value eq "x"].display`,
		`members[value eq "x"] `,
		`members[value eq x]`,
		`members[value eq "x"`,
		`members[value eq "x" or value eq "y"]`,
	} {
		id, ok := memberValuePath(path)
		if !ok {
			continue
		}
		p, err := filter.ParsePath([]byte(path))
		if err != nil {
			t.Errorf("%s: recognized, but the parser rejects it: %v", path, err)
			continue
		}
		tg, serr := resolveTarget(groupKind, map[string]any{}, p)
		if serr != nil || tg == nil || tg.match == nil || tg.sub != nil || tg.def.Name != "members" || tg.containerURN != "" ||
			tg.eqKey != "value" || tg.eqValue != id || tg.eqDef != membersValueDef {
			t.Errorf("%s: recognized as %q, but the parser resolves it to %+v, %v", path, id, tg, serr)
		}
	}
}

// TestApplyPatchRemoveRuns checks that applying runs of filtered removes
// together (applyRemoveRun) gives the same document and error as applying
// every operation in turn, on random operation sequences.
func TestApplyPatchRemoveRuns(t *testing.T) {
	t.Parallel()
	groupOps := []patchOp{
		{op: "remove", path: `members[value eq "u1"]`},
		{op: "remove", path: `members[value eq "u2"]`},
		{op: "remove", path: `members[value eq "nobody"]`},
		{op: "remove", path: `members[value eq ""]`},
		{op: "Remove", path: `MEMBERS[Value Eq "u3"]`},
		{op: "remove", path: `members[value eq "U4"]`},
		{op: "remove", path: `members[type eq "user"]`},
		{op: "remove", path: `members[value eq "u5" or value eq "u6"]`},
		{op: "remove", path: `members[value eq "u7"].display`},
		{op: "remove", path: `members[value eq "u8"].type`},
		{op: "remove", path: `members[valu eq "u9"]`},
		{op: "remove", path: `members[value eq u9]`},
		{op: "remove", path: `urn:ietf:params:scim:schemas:core:2.0:Group:members[value eq "u2"]`},
		{op: "remove", path: "displayName"},
		{op: "add", path: "members", value: []any{map[string]any{"value": "u1"}, map[string]any{"value": []any{"u2", "u9"}}, "junk"}},
		{op: "add", path: "members", value: []any{map[string]any{"value": "u3"}}},
		{op: "replace", path: "displayName", value: "G"},
		{op: "remove", path: "members", value: []any{map[string]any{"value": "u5"}}},
		{op: "remove", path: "members"},
	}
	userOps := []patchOp{
		{op: "remove", path: `emails[value eq "A@X"]`},
		{op: "remove", path: `emails[value eq "b@x"]`},
		{op: "remove", path: `emails[type eq "HOME"]`},
		{op: "remove", path: `emails[primary eq true]`},
		{op: "remove", path: `emails[value eq "c@x"].type`},
		{op: "remove", path: `members[value eq "x"]`},
		{op: "add", path: "emails", value: []any{map[string]any{"value": "c@x", "type": "work"}}},
	}
	groupDocument := func() map[string]any {
		members := []any{}
		for _, id := range []string{"u1", "u2", "u3", "u4", "u5", "u6", "u7", "u8", "u1"} {
			members = append(members, map[string]any{"value": id, "type": "User", "display": "D" + id})
		}
		members = append(members, map[string]any{"value": []any{"u2", "u4"}}, map[string]any{"value": ""}, "junk")
		return map[string]any{"id": "g", "displayName": "G", "members": members}
	}
	userDocument := func() map[string]any {
		return map[string]any{"id": "u", "userName": "u", "emails": []any{
			map[string]any{"value": "a@x", "type": "work", "primary": true},
			map[string]any{"value": "B@x", "type": "home"},
			map[string]any{"value": "c@x"},
		}}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 600 {
		k, pool, newDoc := groupKind, groupOps, groupDocument
		if i%4 == 3 {
			k, pool, newDoc = userKind, userOps, userDocument
		}
		ops := make([]patchOp, 1+rng.IntN(8))
		for j := range ops {
			ops[j] = pool[rng.IntN(len(pool))]
			ops[j].op = strings.ToLower(ops[j].op)
		}
		batched, sequential := newDoc(), newDoc()
		errB := applyPatch(k, batched, ops)
		var errS *scimError
		for _, op := range ops {
			if errS = applyOne(k, sequential, op); errS != nil {
				break
			}
		}
		if diff := cmp.Diff(errS, errB, cmp.AllowUnexported(scimError{})); diff != "" {
			t.Fatalf("%s %v: error (-sequential +batched):\n%s", k.name, ops, diff)
		}
		if errS == nil {
			if diff := cmp.Diff(sequential, batched); diff != "" {
				t.Fatalf("%s %v: document (-sequential +batched):\n%s", k.name, ops, diff)
			}
		}
	}
}
