package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestIDStyles(t *testing.T) {
	for _, style := range []idStyle{idsUUID, idsInt, idsBase64} {
		s := newStore(style)
		seen := map[string]bool{}
		for i := 1; i <= 300; i++ {
			id := s.newID()
			if seen[id] {
				t.Fatalf("%s: id %q twice", style, id)
			}
			seen[id] = true
			switch style {
			case idsInt:
				if want := s.seq; id != strings.TrimSpace(id) || id == "" || id[0] == '0' || want != i {
					t.Fatalf("int id %q", id)
				}
			case idsBase64:
				if !strings.HasSuffix(id, "=") || strings.Contains(id, "/") {
					t.Fatalf("base64 id %q", id)
				}
			case idsUUID:
				if len(id) != 36 || id[14] != '4' {
					t.Fatalf("uuid %q", id)
				}
			}
		}
	}
}

// do sends a request through the whole server (library and store).
func do(t *testing.T, h http.Handler, method, path, body string) (int, map[string]interface{}) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, path, strings.NewReader(body)))
	var m map[string]interface{}
	if w.Body.Len() > 0 {
		if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
			t.Fatalf("%s %s: %v: %s", method, path, err, w.Body)
		}
	}
	return w.Code, m
}

func TestStore(t *testing.T) {
	srv, err := newSCIMServer("http://example.test/scim/v2", idsInt)
	if err != nil {
		t.Fatal(err)
	}
	user := func(name string) string {
		return `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + name + `","password":"p"}`
	}
	for _, n := range []string{"a", "b", "c"} {
		if code, m := do(t, srv, "POST", "/Users", user(n)); code != 201 || m["password"] != nil {
			t.Fatalf("create %s: %d %v", n, code, m)
		}
	}
	if code, m := do(t, srv, "POST", "/Users", user("B")); code != 409 || m["scimType"] != "uniqueness" {
		t.Fatalf("duplicate userName: %d %v", code, m)
	}
	code, m := do(t, srv, "GET", "/Users?startIndex=2&count=1", "")
	if res, _ := m["Resources"].([]interface{}); code != 200 || m["totalResults"] != 2.0+1 || len(res) != 1 ||
		res[0].(map[string]interface{})["userName"] != "b" {
		t.Fatalf("page 2 of 1: %d %v", code, m)
	}
	if _, m := do(t, srv, "GET", `/Users?filter=userName+eq+"C"`, ""); m["totalResults"] != 1.0 {
		t.Fatalf("filter: %v", m)
	}
	g := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"G","members":[{"value":"1"},{"value":"2"}]}`
	if code, m := do(t, srv, "POST", "/Groups", g); code != 201 || m["id"] != "4" { // one counter for users and groups
		t.Fatalf("group: %d %v", code, m)
	}
	if code, m := do(t, srv, "POST", "/Groups", strings.NewReplacer(`"2"`, `"9"`, `"G"`, `"H"`).Replace(g)); code != 400 || m["scimType"] != "invalidValue" {
		t.Fatalf("unknown member: %d %v", code, m)
	}
	if code, _ := do(t, srv, "DELETE", "/Users/1", ""); code != 204 {
		t.Fatalf("delete: %d", code)
	}
	_, m = do(t, srv, "GET", "/Groups/4", "")
	if members, _ := m["members"].([]interface{}); len(members) != 1 || members[0].(map[string]interface{})["value"] != "2" {
		t.Fatalf("members after deleting user 1: %v", m)
	}
}
