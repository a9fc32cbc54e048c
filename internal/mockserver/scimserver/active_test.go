package scimserver

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestActiveUnassigned checks that active is a tri-state attribute: a
// removed active is unassigned (RFC 7644 §3.5.2.2), absent from responses,
// and no write other than an explicit true turns a deactivated user on.
func TestActiveUnassigned(t *testing.T) {
	t.Parallel()
	const absent = "absent"
	tests := []struct {
		name   string
		create string // POST /Users body
		setup  string // PATCH operations applied first, or ""
		method string // "PATCH" (body: operations) or "PUT" (body: user)
		body   string
		want   any // the active of the response and of a later GET, or absent
	}{
		{name: "remove from an active user", create: `{"userName":"a@x","active":true}`,
			method: "PATCH", body: `[{"op":"remove","path":"active"}]`, want: absent},
		{name: "remove from an inactive user", create: `{"userName":"a@x","active":false}`,
			method: "PATCH", body: `[{"op":"remove","path":"active"}]`, want: absent},
		{name: "remove in any letter case", create: `{"userName":"a@x","active":false}`,
			method: "PATCH", body: `[{"op":"Remove","path":"ACTIVE"}]`, want: absent},
		{name: "null value without path", create: `{"userName":"a@x","active":false}`,
			method: "PATCH", body: `[{"op":"replace","value":{"active":null}}]`, want: absent},
		{name: "set again after removal", create: `{"userName":"a@x","active":false}`,
			method: "PATCH", body: `[{"op":"remove","path":"active"},{"op":"replace","path":"active","value":true}]`, want: true},
		{name: "other change keeps it unassigned", create: `{"userName":"a@x","active":false}`, setup: `[{"op":"remove","path":"active"}]`,
			method: "PATCH", body: `[{"op":"replace","path":"displayName","value":"A"}]`, want: absent},
		{name: "PUT without active keeps false", create: `{"userName":"a@x","active":false}`,
			method: "PUT", body: `{"userName":"a@x","displayName":"A"}`, want: false},
		{name: "PUT with null active keeps false", create: `{"userName":"a@x","active":false}`,
			method: "PUT", body: `{"userName":"a@x","active":null}`, want: false},
		{name: "PUT without active keeps true", create: `{"userName":"a@x","active":true}`,
			method: "PUT", body: `{"userName":"a@x"}`, want: true},
		{name: "PUT without active keeps it unassigned", create: `{"userName":"a@x","active":true}`, setup: `[{"op":"remove","path":"active"}]`,
			method: "PUT", body: `{"userName":"a@x"}`, want: absent},
		{name: "PUT with active true enables", create: `{"userName":"a@x","active":false}`,
			method: "PUT", body: `{"userName":"a@x","active":true}`, want: true},
		{name: "POST without active is active", create: `{"userName":"a@x"}`,
			method: "PATCH", body: `[{"op":"replace","path":"displayName","value":"A"}]`, want: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _ := newClient(t)
			c = c.on(t)
			id := c.must(201, "POST", "/Users", tt.create).str("id")
			if tt.setup != "" {
				c.must(200, "PATCH", "/Users/"+id, patchBody(tt.setup))
			}
			body := tt.body
			if tt.method == "PATCH" {
				body = patchBody(body)
			}
			resp := c.must(200, tt.method, "/Users/"+id, body)
			for source, doc := range map[string]map[string]any{
				tt.method: resp.body,
				"GET":     c.must(200, "GET", "/Users/"+id, "").body,
			} {
				got, ok := doc["active"]
				if !ok {
					got = absent
				}
				if diff := cmp.Diff(tt.want, got); diff != "" {
					t.Errorf("%s: active (-want +got):\n%s", source, diff)
				}
			}
		})
	}
}

// TestActiveUnassignedFilters checks that an unassigned active is neither
// present nor equal to either boolean in filters.
func TestActiveUnassignedFilters(t *testing.T) {
	t.Parallel()
	c, _ := newClient(t)
	id := c.must(201, "POST", "/Users", `{"userName":"a@x","active":false}`).str("id")
	c.must(200, "PATCH", "/Users/"+id, patchBody(`[{"op":"remove","path":"active"}]`))
	tests := []struct {
		filter string
		want   float64
	}{
		{filter: `active pr`, want: 0},
		{filter: `active eq true`, want: 0},
		{filter: `active eq false`, want: 0},
		{filter: `not (active pr)`, want: 1},
	}
	for _, tt := range tests {
		t.Run(tt.filter, func(t *testing.T) {
			t.Parallel()
			resp := c.on(t).must(200, "POST", "/Users/.search", `{"filter":`+strconv.Quote(tt.filter)+`}`)
			if got := resp.get("totalResults"); got != tt.want {
				t.Errorf("totalResults %v, want %v", got, tt.want)
			}
		})
	}
}
