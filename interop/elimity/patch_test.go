package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"

	"github.com/elimity-com/scim"
	"github.com/elimity-com/scim/schema"
)

// The operations reach the handler as the library parses them: each test
// sends a PATCH body through the library's server to a recording handler,
// then applies what it recorded with our patcher, so the table below is
// written in the JSON that clients send.

// recorder is a ResourceHandler that keeps the operations of a PATCH.
type recorder struct {
	scim.ResourceHandler
	ops []scim.PatchOperation
}

func (r *recorder) Patch(_ *http.Request, _ string, ops []scim.PatchOperation) (scim.Resource, error) {
	r.ops = ops
	return scim.Resource{}, nil // 204
}

// parseOps returns the library's parse of a PATCH body for a user (or a
// group), or the status it answered with.
func parseOps(t *testing.T, group bool, body string) ([]scim.PatchOperation, int) {
	t.Helper()
	schema.SetAllowStringValues(true)
	rec := &recorder{}
	rt := scim.ResourceType{Name: "User", Endpoint: "/Users", Schema: schema.CoreUserSchema(),
		SchemaExtensions: []scim.SchemaExtension{{Schema: ciscoUserSchema()}}, Handler: rec}
	if group {
		rt = scim.ResourceType{Name: "Group", Endpoint: "/Groups", Schema: schema.CoreGroupSchema(), Handler: rec}
	}
	srv, err := scim.NewServer(&scim.ServerArgs{ServiceProviderConfig: &scim.ServiceProviderConfig{}, ResourceTypes: []scim.ResourceType{rt}})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest(http.MethodPatch, rt.Endpoint+"/1",
		strings.NewReader(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":`+body+`}`)))
	return rec.ops, w.Code
}

func jsonMap(t *testing.T, s string) map[string]interface{} {
	t.Helper()
	var m map[string]interface{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return m
}

const ext = "urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"

func TestApplyPatch(t *testing.T) {
	jane := `{"userName":"jane","externalId":"e1","active":true,"displayName":"Jane",
		"name":{"givenName":"Jane","familyName":"Doe"},
		"emails":[{"value":"jane@work.example","type":"work","primary":true}],"` + ext + `":{"nativeObjectId":"n1"}}`
	group := `{"displayName":"Eng","members":[{"value":"u1"},{"value":"u2","display":"bob"}]}`
	tests := []struct {
		name       string
		group      bool
		start, ops string
		want       string // the attributes after, or "" when the library or we refuse
		wantStatus int    // the library's status when it refuses to parse
	}{
		{name: "replace userName", start: jane,
			ops:  `[{"op":"replace","path":"userName","value":"janet"}]`,
			want: strings.Replace(jane, `"userName":"jane"`, `"userName":"janet"`, 1)},
		{name: "ops and paths in any letter case", start: jane,
			ops:  `[{"op":"Replace","path":"DisplayName","value":"J"},{"op":"REMOVE","path":"EXTERNALID"}]`,
			want: strings.Replace(strings.Replace(jane, `"displayName":"Jane"`, `"displayName":"J"`, 1), `"externalId":"e1",`, ``, 1)},
		{name: "Okta deactivate: no path, value object", start: jane,
			ops:  `[{"op":"replace","value":{"active":false}}]`,
			want: strings.Replace(jane, `"active":true`, `"active":false`, 1)},
		{name: "Entra boolean as string", start: jane,
			ops:  `[{"op":"Replace","path":"active","value":"False"}]`,
			want: strings.Replace(jane, `"active":true`, `"active":false`, 1)},
		{name: "remove externalId, set or not", start: `{"userName":"jane"}`,
			ops:  `[{"op":"remove","path":"externalId"},{"op":"remove","path":"externalId"}]`,
			want: `{"userName":"jane"}`},
		{name: "add externalId", start: `{"userName":"jane"}`,
			ops:  `[{"op":"add","path":"externalId","value":"x"}]`,
			want: `{"userName":"jane","externalId":"x"}`},
		{name: "sub-attribute", start: jane,
			ops:  `[{"op":"replace","path":"name.givenName","value":"Janet"},{"op":"add","path":"name.formatted","value":"Janet Doe"}]`,
			want: strings.Replace(jane, `"givenName":"Jane"`, `"givenName":"Janet","formatted":"Janet Doe"`, 1)},
		{name: "complex value merges", start: jane,
			ops:  `[{"op":"replace","path":"name","value":{"familyName":"Roe"}}]`,
			want: strings.Replace(jane, `"familyName":"Doe"`, `"familyName":"Roe"`, 1)},
		{name: "no path, dotted key and complex value", start: jane,
			ops:  `[{"op":"replace","value":{"name.familyName":"Roe","name":{"formatted":"F"}}}]`,
			want: strings.Replace(jane, `"familyName":"Doe"`, `"familyName":"Roe","formatted":"F"`, 1)},
		{name: "remove the last sub-attributes removes the attribute", start: `{"userName":"j","name":{"givenName":"J"}}`,
			ops:  `[{"op":"remove","path":"name.givenName"}]`,
			want: `{"userName":"j"}`},
		{name: "email value under a value filter", start: jane,
			ops:  `[{"op":"replace","path":"emails[type eq \"work\"].value","value":"j@new.example"}]`,
			want: strings.Replace(jane, `jane@work.example`, `j@new.example`, 1)},
		{name: "add under an equality filter that matches nothing adds the element", start: jane,
			ops:  `[{"op":"add","path":"emails[type eq \"home\"].value","value":"j@home.example"}]`,
			want: strings.Replace(jane, `"primary":true}]`, `"primary":true},{"type":"home","value":"j@home.example"}]`, 1)},
		{name: "replace under a filter that matches nothing is noTarget", start: jane,
			ops: `[{"op":"replace","path":"emails[type eq \"home\"].value","value":"x@y"}]`},
		{name: "replace emails", start: jane,
			ops:  `[{"op":"replace","path":"emails","value":[{"value":"a@b","type":"other"}]}]`,
			want: strings.Replace(jane, `{"value":"jane@work.example","type":"work","primary":true}`, `{"value":"a@b","type":"other"}`, 1)},
		{name: "remove emails by filter", start: jane,
			ops:  `[{"op":"remove","path":"emails[value eq \"jane@work.example\"]"}]`,
			want: strings.Replace(jane, `"emails":[{"value":"jane@work.example","type":"work","primary":true}],`, ``, 1)},
		{name: "extension attribute by path", start: jane,
			ops:  `[{"op":"replace","path":"` + ext + `:nativeObjectId","value":"n2"},{"op":"add","path":"` + ext + `:authName","value":"jd"}]`,
			want: strings.Replace(jane, `"nativeObjectId":"n1"`, `"nativeObjectId":"n2","authName":"jd"`, 1)},
		{name: "extension object without path", start: `{"userName":"j"}`,
			ops:  `[{"op":"add","value":{"` + ext + `":{"authName":"jd"}}}]`,
			want: `{"userName":"j","` + ext + `":{"authName":"jd"}}`},
		{name: "remove the last extension attribute removes the extension", start: jane,
			ops:  `[{"op":"remove","path":"` + ext + `:nativeObjectId"}]`,
			want: strings.Replace(jane, `,"`+ext+`":{"nativeObjectId":"n1"}`, ``, 1)},
		{name: "the library refuses an unknown path", start: jane,
			ops: `[{"op":"replace","path":"nickname2","value":"x"}]`, wantStatus: http.StatusBadRequest},

		{name: "add members, a present one once", group: true, start: group,
			ops:  `[{"op":"add","path":"members","value":[{"value":"u3"},{"value":"u1","display":"again"}]}]`,
			want: `{"displayName":"Eng","members":[{"value":"u1"},{"value":"u2","display":"bob"},{"value":"u3"}]}`},
		{name: "remove a member by filter", group: true, start: group,
			ops:  `[{"op":"remove","path":"members[value eq \"u1\"]"}]`,
			want: `{"displayName":"Eng","members":[{"value":"u2","display":"bob"}]}`},
		{name: "remove a non-member", group: true, start: group,
			ops:  `[{"op":"remove","path":"members[value eq \"u9\"]"}]`,
			want: group},
		{name: "Entra remove with a value array", group: true, start: group,
			ops:  `[{"op":"Remove","path":"members","value":[{"value":"u2"},{"value":"u1"}]}]`,
			want: `{"displayName":"Eng"}`},
		{name: "Okta delta in one PATCH", group: true, start: group,
			ops:  `[{"op":"remove","path":"members[value eq \"u1\"]"},{"op":"add","path":"members","value":[{"value":"u4","display":"x"}]}]`,
			want: `{"displayName":"Eng","members":[{"value":"u2","display":"bob"},{"value":"u4","display":"x"}]}`},
		{name: "replace members", group: true, start: group,
			ops:  `[{"op":"replace","path":"members","value":[{"value":"u5"}]}]`,
			want: `{"displayName":"Eng","members":[{"value":"u5"}]}`},
		{name: "remove all members", group: true, start: group,
			ops:  `[{"op":"remove","path":"members"}]`,
			want: `{"displayName":"Eng"}`},
		{name: "Okta rename: the id rides along", group: true, start: group,
			ops:  `[{"op":"replace","value":{"id":"g1","displayName":"New"}}]`,
			want: strings.Replace(group, `"Eng"`, `"New"`, 1)},
		{name: "group externalId", group: true, start: `{"displayName":"Eng"}`,
			ops:  `[{"op":"add","path":"externalId","value":"x"},{"op":"replace","path":"displayName","value":"E"}]`,
			want: `{"displayName":"E","externalId":"x"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ops, status := parseOps(t, tt.group, tt.ops)
			if tt.wantStatus != 0 {
				if status != tt.wantStatus {
					t.Fatalf("library status %d, want %d", status, tt.wantStatus)
				}
				return
			}
			if status != http.StatusNoContent {
				t.Fatalf("the library refused the operations: %d", status)
			}
			p := newPatcher(schema.CoreUserSchema(), ciscoUserSchema())
			if tt.group {
				p = newPatcher(schema.CoreGroupSchema())
			}
			// Stored attributes are what the library validated: JSON
			// decoded the same way (its booleans are bools, strings strings).
			attrs := jsonMap(t, tt.start)
			var err error
			for _, op := range ops {
				if err = p.apply(attrs, op); err != nil {
					break
				}
			}
			if tt.want == "" {
				if err == nil {
					t.Fatalf("no error; attributes %v", attrs)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if want := jsonMap(t, tt.want); !reflect.DeepEqual(roundTrip(t, attrs), want) {
				got, _ := json.Marshal(attrs)
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

// roundTrip is v through JSON, so that values compare as decoded JSON.
func roundTrip(t *testing.T, v interface{}) map[string]interface{} {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return jsonMap(t, string(b))
}
