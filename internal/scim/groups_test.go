package scim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// numbered returns n ids prefix0, prefix1, ….
func numbered(prefix string, n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprint(prefix, i)
	}
	return ids
}

// wantAddOp is the decoded JSON of one add operation with the given members.
func wantAddOp(ids []string) any {
	members := make([]any, len(ids))
	for i, id := range ids {
		members[i] = map[string]any{"value": id}
	}
	return map[string]any{"op": "add", "path": "members", "value": members}
}

// wantRemoveOps is the decoded JSON of one remove-by-value operation per id.
func wantRemoveOps(ids []string) []any {
	ops := make([]any, len(ids))
	for i, id := range ids {
		ops[i] = map[string]any{"op": "remove", "path": fmt.Sprintf("members[value eq %q]", id)}
	}
	return ops
}

func TestUpdateMembersRequests(t *testing.T) {
	t.Parallel()
	adds := numbered("a", 150)
	removes := numbered("r", 70)
	removes[3] = `r"3\` // escaped in the filter
	tests := map[string]struct {
		add, remove []string
		want        [][]any // the Operations of each PATCH
	}{
		"150 adds and 70 removes": {add: adds, remove: removes, want: [][]any{
			{wantAddOp(adds[:100])},
			append([]any{wantAddOp(adds[100:])}, wantRemoveOps(removes[:50])...),
			wantRemoveOps(removes[50:]),
		}},
		"60 adds and 40 removes": {add: adds[:60], remove: removes[:40], want: [][]any{
			append([]any{wantAddOp(adds[:60])}, wantRemoveOps(removes[:40])...),
		}},
		"100 adds":   {add: adds[:100], want: [][]any{{wantAddOp(adds[:100])}}},
		"70 removes": {remove: removes, want: [][]any{wantRemoveOps(removes)}},
		"nothing":    {},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rs, c := newRecording(t, fastRetries, answerJSON(http.StatusOK, `{"id":"g/1","displayName":"G"}`))
			if _, err := c.Groups.UpdateMembers(t.Context(), "g/1", tc.add, tc.remove); err != nil {
				t.Fatal(err)
			}
			var got [][]any
			for _, req := range rs.all() {
				if req.Method != http.MethodPatch || req.Path != "/scim/Groups/g%2F1" {
					t.Errorf("request %s %s, want PATCH /scim/Groups/g%%2F1", req.Method, req.Path)
				}
				if len(req.Query) != 0 {
					t.Errorf("a membership PATCH with the query %v: a service may apply an attribute selection before the operations", req.Query)
				}
				var body struct {
					Schemas    []string
					Operations []any
				}
				if err := json.Unmarshal(req.Body, &body); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]string{SchemaPatchOp}, body.Schemas); diff != "" {
					t.Errorf("schemas (-want +got):\n%s", diff)
				}
				got = append(got, body.Operations)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("operations per PATCH (-want +got):\n%s", diff)
			}
		})
	}
}

func TestUpdateMembersAgainstMock(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := t.Context()
	userIDs := make([]string, 220)
	for i := range userIDs {
		u, err := f.store.CreateUser(scimserver.User{UserName: fmt.Sprintf("d%03d@example.com", i)})
		if err != nil {
			t.Fatal(err)
		}
		userIDs[i] = u.ID
	}
	g, err := f.c.Groups.Create(ctx, &Group{DisplayName: "Delta"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.c.Groups.AddMembers(ctx, g.ID, userIDs[150:]); err != nil {
		t.Fatal(err)
	}
	const patchRoute = "PATCH /identity/v2/scim/Groups/{id}"
	before := f.srv.Stats().Count(patchRoute)
	if _, err := f.c.Groups.UpdateMembers(ctx, g.ID, userIDs[:150], userIDs[150:]); err != nil {
		t.Fatalf("UpdateMembers: %v", err)
	}
	if diff := cmp.Diff(sorted(userIDs[:150]), f.store.GroupMembers(g.ID)); diff != "" {
		t.Errorf("members (-want +got):\n%s", diff)
	}
	if n := f.srv.Stats().Count(patchRoute) - before; n != 3 {
		t.Errorf("%d PATCHes for 150 adds and 70 removes, want 3", n)
	}
}
