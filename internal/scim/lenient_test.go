package scim

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// The client against answers that other SCIM services give: it reads
// liberally, and never turns what it did not get into a value.

// answerWith answers each request with the first route whose "METHOD
// path" prefix matches, with content type application/json (as some
// services send), or 404.
func answerWith(routes map[string]func(http.ResponseWriter, *http.Request)) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + r.URL.EscapedPath()
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		best := ""
		for prefix := range routes {
			if strings.HasPrefix(key, prefix) && len(prefix) > len(best) {
				best = prefix
			}
		}
		if best == "" {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		routes[best](w, r)
	}
}

// plainJSON answers status with body as application/json.
func plainJSON(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func TestDecodeLeniently(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		body string
		want User
	}{
		"integer id, active as the string True": {
			body: `{"id":42,"userName":"jane","active":"True","emails":[{"value":"j@x","primary":"true"}]}`,
			want: User{ID: "42", UserName: "jane", Active: ptr(true), Emails: []Email{{Value: "j@x", Primary: true}}},
		},
		"active False, primary false": {
			body: `{"id":"dXNlcjE=","userName":"jane","active":"False","emails":[{"value":"j@x","primary":"FALSE"}]}`,
			want: User{ID: "dXNlcjE=", UserName: "jane", Active: ptr(false), Emails: []Email{{Value: "j@x"}}},
		},
		"attribute names and extension URN in another letter case": {
			body: `{"SCHEMAS":["URN:IETF:PARAMS:SCIM:SCHEMAS:CORE:2.0:USER"],"ID":"u1","USERNAME":"jane","Active":true,"NAME":{"GIVENNAME":"Jane"},` +
				`"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:CISCOUMBRELLA:2.0:USER":{"NATIVEOBJECTID":"guid"}}`,
			want: User{ID: "u1", UserName: "jane", Active: ptr(true), Name: &Name{GivenName: ptr("Jane")}, Cisco: &CiscoUserExtension{NativeObjectID: ptr("guid")}},
		},
		"nulls and no meta": {
			body: `{"id":"u1","userName":"jane","active":null,"externalId":null,"meta":null}`,
			want: User{ID: "u1", UserName: "jane"},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, c := newRecording(t, fastRetries, plainJSON(http.StatusOK, tt.body))
			got, err := c.Users.Get(t.Context(), "u1", nil)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(&tt.want, got); diff != "" {
				t.Errorf("Get (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeRefusesWhatItCannotName(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		call func(c *Client) error
		body string
		want string // in the error
	}{
		"a member without value": {
			call: func(c *Client) error { return second(c.Groups.Get(t.Context(), "g1", nil)) },
			body: `{"id":"g1","displayName":"Eng","members":[{"value":"u1"},{}]}`,
			want: `GET /scim/Groups/g1: decoding response: the service's answer has a group member without "value" (the user's id): {}`,
		},
		"a member with an empty value, quoted": {
			call: func(c *Client) error { return second(c.Refresh.HasMember(t.Context(), "g1", "u1")) },
			body: `{"id":"g1","displayName":"Eng","members":[{"value":"","display":"Ana"}]}`,
			want: `{"value":"","display":"Ana"}`,
		},
		"a member in a listing": {
			call: func(c *Client) error { return second(c.Groups.List(t.Context(), nil)) },
			body: `{"totalResults":1,"Resources":[{"id":"g1","displayName":"Eng","members":[{"display":"Ana"}]}]}`,
			want: `{"display":"Ana"}`,
		},
		"a group without id": {
			call: func(c *Client) error { return second(c.Groups.Get(t.Context(), "g1", nil)) },
			body: `{"displayName":"Eng"}`,
			want: `GET /scim/Groups/g1: decoding response: the service's answer has a group without "id"`,
		},
		"a user without userName": {
			call: func(c *Client) error { return second(c.Users.Get(t.Context(), "u1", nil)) },
			body: `{"id":"u1"}`,
			want: `the service's answer has a user without "userName"`,
		},
		"active that is no boolean": {
			call: func(c *Client) error { return second(c.Users.Get(t.Context(), "u1", nil)) },
			body: `{"id":"u1","userName":"jane","active":"yes"}`,
			want: `want a boolean, got "yes"`,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, c := newRecording(t, fastRetries, plainJSON(http.StatusOK, tt.body))
			err := tt.call(c)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one containing %s", err, tt.want)
			}
			if _, ok := errors.AsType[*transport.ResponseError](err); !ok {
				t.Errorf("error %v (%T) is not a *transport.ResponseError", err, err)
			}
		})
	}
}

// TestWriteAnswers: a create answered 200 or 201, with or without the
// object; a PATCH answered 204, an empty 200 or a body; a PUT answered 204.
func TestWriteAnswers(t *testing.T) {
	t.Parallel()
	const user = `{"id":"u1","userName":"jane"}`
	const found = `{"totalResults":1,"Resources":[` + user + `]}`
	t.Run("create 200 with the object", func(t *testing.T) {
		t.Parallel()
		rs, c := newRecording(t, fastRetries, plainJSON(http.StatusOK, user))
		u, err := c.Users.Create(t.Context(), &User{UserName: "jane"})
		if err != nil || u.ID != "u1" || len(rs.all()) != 1 {
			t.Errorf("Create = %+v, %v after %d requests; want u1 after 1", u, err, len(rs.all()))
		}
	})
	for name, answer := range map[string]func(http.ResponseWriter, *http.Request){
		"create 201 without a body": plainJSON(http.StatusCreated, ""),
		"create 201 without an id":  plainJSON(http.StatusCreated, `{"userName":"jane"}`),
		"create 204":                plainJSON(http.StatusNoContent, ""),
	} {
		t.Run(name+" is looked up by its key", func(t *testing.T) {
			t.Parallel()
			rs, c := newRecording(t, fastRetries, answerWith(map[string]func(http.ResponseWriter, *http.Request){
				"POST /scim/Users": answer,
				"GET /scim/Users?": plainJSON(http.StatusOK, found),
			}))
			u, err := c.Users.Create(t.Context(), &User{UserName: "jane"})
			if err != nil || u.ID != "u1" {
				t.Fatalf("Create = %+v, %v; want u1", u, err)
			}
			if reqs := rs.all(); len(reqs) != 2 || reqs[1].Query["filter"] != `userName eq "jane"` {
				t.Errorf("requests %+v, want the POST and a lookup by userName", reqs)
			}
		})
	}
	for name, answer := range map[string]func(http.ResponseWriter, *http.Request){
		"PATCH 204":           plainJSON(http.StatusNoContent, ""),
		"PATCH 200, no body":  plainJSON(http.StatusOK, ""),
		"PATCH 200, no id":    plainJSON(http.StatusOK, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"]}`),
		"PATCH 200, the user": plainJSON(http.StatusOK, user),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, c := newRecording(t, fastRetries, answer)
			u, err := c.Users.Patch(t.Context(), "u1", []PatchOperation{{Op: OpReplace, Path: "active", Value: false}})
			if err != nil {
				t.Fatal(err)
			}
			if wantUser := name == "PATCH 200, the user"; (u != nil) != wantUser || wantUser && u.ID != "u1" {
				t.Errorf("Patch = %+v; want the user only when the answer holds one", u)
			}
		})
	}
	t.Run("PUT 204 is followed by a read", func(t *testing.T) {
		t.Parallel()
		rs, c := newRecording(t, fastRetries, answerWith(map[string]func(http.ResponseWriter, *http.Request){
			"PUT /scim/Users/u1": plainJSON(http.StatusNoContent, ""),
			"GET /scim/Users/u1": plainJSON(http.StatusOK, user),
		}))
		u, err := c.Users.Replace(t.Context(), "u1", &User{UserName: "jane"})
		if err != nil || u.ID != "u1" || len(rs.all()) != 2 {
			t.Errorf("Replace = %+v, %v after %d requests; want u1 after 2", u, err, len(rs.all()))
		}
	})
}

// TestProbeWithoutMembers: excludedAttributes=members is used only once a
// plain and a selected read of the same group agree on everything but the
// members; any other answer keeps the reads plain, and an answer that says
// nothing of the selection leaves the question open. The refresh probes
// after RefreshThreshold group reads, with the read it makes anyway.
func TestProbeWithoutMembers(t *testing.T) {
	t.Parallel()
	const full = `{"id":"g","displayName":"Eng","externalId":"00g1","members":[{"value":"u1"}]}`
	tests := map[string]struct {
		selected func(http.ResponseWriter, *http.Request)
		want     selectionState
	}{
		"honoured":           {selected: plainJSON(http.StatusOK, `{"id":"g","displayName":"Eng","externalId":"00g1"}`), want: selectionProven},
		"refused":            {selected: plainJSON(http.StatusBadRequest, `{"scimType":"invalidValue","detail":"attribute selection is not supported"}`), want: selectionUnproven},
		"ignored":            {selected: plainJSON(http.StatusOK, full), want: selectionUnproven},
		"drops externalId":   {selected: plainJSON(http.StatusOK, `{"id":"g","displayName":"Eng"}`), want: selectionUnproven},
		"drops displayName":  {selected: plainJSON(http.StatusOK, `{"id":"g","externalId":"00g1"}`), want: selectionUnproven},
		"strips the members": {selected: plainJSON(http.StatusOK, `{"id":"g","displayName":"Eng","externalId":"00g1","members":[{}]}`), want: selectionUnproven},
		"unavailable":        {selected: plainJSON(http.StatusServiceUnavailable, `{}`), want: selectionUnknown},
		"gone meanwhile":     {selected: plainJSON(http.StatusNotFound, `{}`), want: selectionUnknown},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			// Every group id answers the same group; the selected reads of
			// the probe answer as the case says.
			rs, c := newRecording(t, transport.Config{MaxRetries: -1}, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Query().Get("excludedAttributes") == "members" {
					tt.selected(w, r)
					return
				}
				plainJSON(http.StatusOK, full)(w, r)
			})
			c.Refresh = newRefreshService(c.Users, c.Groups, true) // one GET per read, to count them
			const reads = RefreshThreshold + 3
			for i := range reads {
				g, err := c.Refresh.Group(t.Context(), fmt.Sprint("g", i))
				if err != nil || g.DisplayName != "Eng" {
					t.Fatalf("read %d: %+v, %v; want the group", i, g, err)
				}
			}
			if got := c.Groups.omitMembers.load(); got != tt.want {
				t.Fatalf("after the probe: %d, want %d", got, tt.want)
			}
			var selected []int
			for i, r := range rs.all() {
				if r.Query["excludedAttributes"] != "" {
					selected = append(selected, i)
				}
			}
			// The first RefreshThreshold reads are plain; the next one probes
			// (a plain read and a selected one); after it, the reads are
			// selected once proven, plain otherwise, and probe again while the
			// question is open.
			probe := RefreshThreshold + 1
			want := map[selectionState][]int{
				selectionProven:   {probe, probe + 1, probe + 2},
				selectionUnproven: {probe},
				selectionUnknown:  {probe, probe + 2, probe + 4},
			}[tt.want]
			if diff := cmp.Diff(want, selected); diff != "" {
				t.Errorf("requests with excludedAttributes=members, by position (-want +got):\n%s", diff)
			}
		})
	}
}

// TestProbeWaits: reads that come while the probe runs wait for its
// verdict instead of guessing, and the probe's plain read is the one the
// member lists' collection makes: a batched refresh of many groups costs
// one request more than without the probe.
func TestProbeWaits(t *testing.T) {
	t.Parallel()
	rs, c := newRecording(t, fastRetries, func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/scim/Groups/")
		if r.URL.Query().Get("excludedAttributes") == "members" {
			plainJSON(http.StatusOK, `{"id":"`+id+`","displayName":"G"}`)(w, r)
			return
		}
		plainJSON(http.StatusOK, `{"id":"`+id+`","displayName":"G","members":[{"value":"u1"}]}`)(w, r)
	})
	c.Refresh = newRefreshService(c.Users, c.Groups, true)
	for i := range RefreshThreshold {
		if _, err := c.Refresh.Group(t.Context(), fmt.Sprint("g", i)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			if _, err := c.Refresh.Group(t.Context(), fmt.Sprint("h", i)); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	plain, selected := 0, 0
	for _, r := range rs.all() {
		if r.Query["excludedAttributes"] == "members" {
			selected++
		} else {
			plain++
		}
	}
	// 10 plain reads, the probe's plain and selected read of one h, and the
	// other 7 h selected.
	if plain != RefreshThreshold+1 || selected != 8 {
		t.Errorf("%d plain and %d selected reads, want %d and 8", plain, selected, RefreshThreshold+1)
	}
}

// TestConfirmMembers: a membership change is believed from its answer only
// when that answer shows the members as they should be; otherwise the group
// is read, and a service that dropped members is reported.
func TestConfirmMembers(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		shown   *Group
		read    string // the group as a read returns it
		want    *MembersNotAppliedError
		wantGet bool
	}{
		"the answer shows the change": {
			shown: &Group{ID: "g1", Members: []Member{{Value: "u1"}, {Value: "u2"}}},
		},
		"no answer, the read shows it": {
			read: `{"id":"g1","displayName":"G","members":[{"value":"u1"},{"value":"u2"}]}`, wantGet: true,
		},
		"the answer disagrees, the read agrees": {
			shown:   &Group{ID: "g1", Members: []Member{{Value: "u1"}}},
			read:    `{"id":"g1","displayName":"G","members":[{"value":"u2"},{"value":"u1"}]}`,
			wantGet: true,
		},
		"the service dropped a member and kept one": {
			read:    `{"id":"g1","displayName":"G","members":[{"value":"u1"},{"value":"u3"}]}`,
			want:    &MembersNotAppliedError{GroupID: "g1", Missing: []string{"u2"}, Kept: []string{"u3"}, Shown: 2},
			wantGet: true,
		},
		"no members at all (Shown 0)": {
			read:    `{"id":"g1","displayName":"G"}`,
			want:    &MembersNotAppliedError{GroupID: "g1", Missing: []string{"u1", "u2"}},
			wantGet: true,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rs, c := newRecording(t, fastRetries, plainJSON(http.StatusOK, tt.read))
			_, err := c.Groups.ConfirmMembers(t.Context(), "g1", tt.shown, []string{"u1", "u2"}, []string{"u3"})
			var got *MembersNotAppliedError
			if err != nil && !errors.As(err, &got) {
				t.Fatalf("ConfirmMembers: %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if n := len(rs.all()); (n == 1) != tt.wantGet || n > 1 {
				t.Errorf("%d requests, want a read: %t", n, tt.wantGet)
			}
			if tt.wantGet && len(rs.all()) == 1 && len(rs.all()[0].Query) != 0 {
				t.Errorf("the confirming read has the query %v, want a plain GET", rs.all()[0].Query)
			}
		})
	}
}

func TestMembersNotAppliedError(t *testing.T) {
	t.Parallel()
	e := &MembersNotAppliedError{GroupID: "g1", Missing: []string{"u1"}, Kept: []string{"u2", "u3"}}
	const want = `the service accepted the membership change, but the group's member list read afterwards lacks 1 user(s) that should be members: ["u1"], and still holds 2 user(s) that were removed: ["u2" "u3"]`
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

// TestCreateStoredButUnreadable: a create the service applied and answered
// with success, in a form the client cannot use, never loses the object:
// an answer that does not decode is looked up by the key, an answer with
// an id that fails its check is read again by that id, and when neither
// gives a usable object the error comes with the id the service gave.
func TestCreateStoredButUnreadable(t *testing.T) {
	t.Parallel()
	const user = `{"id":"u1","userName":"jane"}`
	const found = `{"totalResults":1,"Resources":[` + user + `]}`
	const none = `{"totalResults":0,"Resources":[]}`
	tests := map[string]struct {
		routes  map[string]func(http.ResponseWriter, *http.Request)
		wantID  string // of the returned user, "" for nil
		wantErr string // in the error, "" for none
		lookups int    // requests after the POST
	}{
		"an answer cut short is looked up by userName": {
			routes: map[string]func(http.ResponseWriter, *http.Request){
				"POST /scim/Users": plainJSON(http.StatusCreated, `{"id":"u1","userN`),
				"GET /scim/Users?": plainJSON(http.StatusOK, found),
			},
			wantID: "u1", lookups: 1,
		},
		"an answer without userName is read again by id": {
			routes: map[string]func(http.ResponseWriter, *http.Request){
				"POST /scim/Users":   plainJSON(http.StatusCreated, `{"id":"u1"}`),
				"GET /scim/Users/u1": plainJSON(http.StatusOK, user),
			},
			wantID: "u1", lookups: 1,
		},
		"a service that never names the user: the id comes with the error": {
			routes: map[string]func(http.ResponseWriter, *http.Request){
				"POST /scim/Users":   plainJSON(http.StatusCreated, `{"id":"u1"}`),
				"GET /scim/Users/u1": plainJSON(http.StatusOK, `{"id":"u1"}`),
			},
			wantID: "u1", wantErr: `POST /scim/Users: decoding response: the service's answer has a user without "userName"`, lookups: 1,
		},
		"an answer cut short, and a lookup that finds nothing": {
			routes: map[string]func(http.ResponseWriter, *http.Request){
				"POST /scim/Users": plainJSON(http.StatusCreated, `{"id":"u1","userN`),
				"GET /scim/Users?": plainJSON(http.StatusOK, none),
			},
			wantErr: "the service answered the create with success, in a form the client cannot read", lookups: 1,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rs, c := newRecording(t, fastRetries, answerWith(tt.routes))
			u, err := c.Users.Create(t.Context(), &User{UserName: "jane"})
			gotID := ""
			if u != nil {
				gotID = u.ID
			}
			if gotID != tt.wantID {
				t.Errorf("Create returned the user %q, want %q", gotID, tt.wantID)
			}
			switch {
			case tt.wantErr == "" && err != nil:
				t.Errorf("Create: %v", err)
			case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
				t.Errorf("Create error %v, want one containing %q", err, tt.wantErr)
			}
			if reqs := rs.all(); len(reqs) != 1+tt.lookups {
				t.Errorf("%d requests, want the POST and %d more: %+v", len(reqs), tt.lookups, reqs)
			}
		})
	}
}
