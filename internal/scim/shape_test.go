package scim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

const recordingToken = "scim-secret-token-value"

// recorded is one request a recordingServer saw.
type recorded struct {
	Method, Path string
	Query        map[string]string
	Header       http.Header
	Body         []byte
}

// recordingServer records requests and answers each with answer.
type recordingServer struct {
	mu       sync.Mutex
	requests []recorded
	answer   func(w http.ResponseWriter, r *http.Request)
}

// ServeHTTP implements http.Handler.
func (s *recordingServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	q := map[string]string{}
	for k := range r.URL.Query() {
		q[k] = r.URL.Query().Get(k)
	}
	s.mu.Lock()
	s.requests = append(s.requests, recorded{r.Method, r.URL.EscapedPath(), q, r.Header.Clone(), body})
	s.mu.Unlock()
	s.answer(w, r)
}

// all returns the requests so far.
func (s *recordingServer) all() []recorded {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]recorded(nil), s.requests...)
}

// newRecording starts a recording server and returns a client for it.
func newRecording(t *testing.T, cfg transport.Config, answer func(http.ResponseWriter, *http.Request)) (*recordingServer, *Client) {
	t.Helper()
	rs := &recordingServer{answer: answer}
	ts := httptest.NewServer(rs)
	t.Cleanup(ts.Close)
	c, err := NewClient(Config{URL: ts.URL + "/scim/", Token: recordingToken, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	return rs, c
}

// answerJSON answers status with body.
func answerJSON(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", MediaType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// memLogger records log entries.
type memLogger struct {
	mu      sync.Mutex
	entries []string
}

// Debug implements transport.Logger.
func (l *memLogger) Debug(_ context.Context, msg string, fields map[string]any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, fmt.Sprint(msg, fields))
}

func TestRequestHeadersAndLogs(t *testing.T) {
	t.Parallel()
	logger := &memLogger{}
	cfg := fastRetries
	cfg.UserAgent = "terraform-provider-secureaccess/0.4.2"
	cfg.Logger = logger
	rs, c := newRecording(t, cfg, answerJSON(http.StatusCreated, `{"id":"u1","userName":"jane"}`))
	if _, err := c.Users.Create(t.Context(), &User{UserName: "jane"}); err != nil {
		t.Fatal(err)
	}
	req := rs.all()[0]
	got := map[string]string{"method+path": req.Method + " " + req.Path}
	for _, h := range []string{"User-Agent", "Authorization", "Content-Type", "Accept"} {
		got[h] = req.Header.Get(h)
	}
	want := map[string]string{
		"method+path":   "POST /scim/Users",
		"User-Agent":    "terraform-provider-secureaccess/0.4.2",
		"Authorization": "Bearer " + recordingToken,
		"Content-Type":  MediaType,
		"Accept":        MediaType,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("request (-want +got):\n%s", diff)
	}
	if len(logger.entries) != 1 {
		t.Fatalf("log entries %q, want 1", logger.entries)
	}
	for _, e := range logger.entries {
		if strings.Contains(e, recordingToken) || !strings.Contains(e, "/scim/Users") || !strings.Contains(e, "status:201") {
			t.Errorf("log entry %q: want path and status, never the token", e)
		}
	}
}

// patchBody is a decoded PATCH request.
type patchBody struct {
	Schemas    []string
	Operations []struct {
		Op    string
		Path  string
		Value []Member
	}
}

func TestMembershipChunking(t *testing.T) {
	t.Parallel()
	ids := make([]string, 250)
	for i := range ids {
		ids[i] = fmt.Sprintf("u%d", i)
	}
	ids[7] = `u"7\` // escaped in remove filters
	tests := map[string]struct {
		call      func(c *Client) error
		wantSizes []int // member values per PATCH
		wantOp    string
	}{
		"add 250":    {call: func(c *Client) error { return second(c.Groups.AddMembers(t.Context(), "g/1", ids)) }, wantSizes: []int{100, 100, 50}, wantOp: OpAdd},
		"add 100":    {call: func(c *Client) error { return second(c.Groups.AddMembers(t.Context(), "g/1", ids[:100])) }, wantSizes: []int{100}, wantOp: OpAdd},
		"add none":   {call: func(c *Client) error { return second(c.Groups.AddMembers(t.Context(), "g/1", nil)) }},
		"remove 150": {call: func(c *Client) error { return c.Groups.RemoveMembers(t.Context(), "g/1", ids[:150]) }, wantSizes: []int{100, 50}, wantOp: OpRemove},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rs, c := newRecording(t, fastRetries, answerJSON(http.StatusNoContent, ""))
			if err := tc.call(c); err != nil {
				t.Fatal(err)
			}
			var sizes []int
			var values []string
			for _, req := range rs.all() {
				if req.Method != http.MethodPatch || req.Path != "/scim/Groups/g%2F1" {
					t.Errorf("request %s %s", req.Method, req.Path)
				}
				var body patchBody
				if err := json.Unmarshal(req.Body, &body); err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff([]string{SchemaPatchOp}, body.Schemas); diff != "" {
					t.Errorf("schemas (-want +got):\n%s", diff)
				}
				size := 0
				for _, op := range body.Operations {
					if op.Op != tc.wantOp {
						t.Errorf("op %q, want %q", op.Op, tc.wantOp)
					}
					for _, m := range op.Value {
						values = append(values, m.Value)
					}
					size += len(op.Value)
					if op.Op == OpRemove {
						values = append(values, op.Path)
						size++
					}
				}
				sizes = append(sizes, size)
			}
			if diff := cmp.Diff(tc.wantSizes, sizes); diff != "" {
				t.Errorf("member values per PATCH (-want +got):\n%s", diff)
			}
			if tc.wantOp == OpAdd && len(values) > 0 && values[7] != ids[7] {
				t.Errorf("8th added value %q, want %q", values[7], ids[7])
			}
			if tc.wantOp == OpRemove && values[7] != `members[value eq "u\"7\\"]` {
				t.Errorf("8th remove path %s is not escaped", values[7])
			}
		})
	}
}

func TestQueryShape(t *testing.T) {
	t.Parallel()
	const emptyList = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}`
	tests := map[string]struct {
		call   func(c *Client) error
		answer string // the service's answer; default emptyList
		path   string // the request's path, when it matters
		want   map[string]string
	}{
		"GetByUserName escapes": {
			call: func(c *Client) error { return second(c.Users.GetByUserName(t.Context(), `a" or userName pr or "`)) },
			want: map[string]string{"filter": `userName eq "a\" or userName pr or \""`},
		},
		"GetByDisplayName": {
			call: func(c *Client) error { return second(c.Groups.GetByDisplayName(t.Context(), `R&D \ Ops`, nil)) },
			want: map[string]string{"filter": `displayName eq "R&D \\ Ops"`},
		},
		"Refresh.HasMember reads the group plainly": {
			call:   func(c *Client) error { return second(c.Refresh.HasMember(t.Context(), "g1", "u1")) },
			answer: `{"id":"g1","displayName":"Eng","members":[{"value":"u2"}]}`,
			path:   "/scim/Groups/g1",
			want:   map[string]string{},
		},
		"List options": {
			call: func(c *Client) error {
				return second(c.Groups.List(t.Context(), &ListOptions{Filter: Eq("externalId", "00g1"), StartIndex: 3, Count: 7, ExcludedAttributes: []string{"members", "meta"}}))
			},
			want: map[string]string{"filter": `externalId eq "00g1"`, "startIndex": "3", "count": "7", "excludedAttributes": "members,meta"},
		},
		"List nil options": {
			call: func(c *Client) error { return second(c.Users.List(t.Context(), nil)) },
			want: map[string]string{},
		},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			answer := tc.answer
			if answer == "" {
				answer = emptyList
			}
			rs, c := newRecording(t, fastRetries, answerJSON(http.StatusOK, answer))
			if err := tc.call(c); err != nil && !errors.Is(err, transport.ErrNotFound) {
				t.Fatal(err)
			}
			reqs := rs.all()
			if len(reqs) != 1 {
				t.Fatalf("%d requests, want 1", len(reqs))
			}
			if diff := cmp.Diff(tc.want, reqs[0].Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if tc.path != "" && reqs[0].Path != tc.path {
				t.Errorf("path %s, want %s", reqs[0].Path, tc.path)
			}
		})
	}
}

func TestAllFollowsServerPageSize(t *testing.T) {
	t.Parallel()
	const total, serverMax = 5, 2
	rs, c := newRecording(t, fastRetries, func(w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
		var res []User
		for i := start; i < start+serverMax && i <= total; i++ {
			res = append(res, User{ID: strconv.Itoa(i), UserName: fmt.Sprint("u", i)})
		}
		body, _ := json.Marshal(ListResponse[User]{TotalResults: total, StartIndex: start, ItemsPerPage: len(res), Resources: res})
		answerJSON(http.StatusOK, string(body))(w, r)
	})
	var got []string
	for u, err := range c.Users.All(t.Context(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, u.ID)
	}
	if diff := cmp.Diff([]string{"1", "2", "3", "4", "5"}, got); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	var starts []string
	for _, r := range rs.all() {
		starts = append(starts, r.Query["startIndex"]+"/"+r.Query["count"])
	}
	if diff := cmp.Diff([]string{"1/1000", "3/1000", "5/1000"}, starts); diff != "" {
		t.Errorf("startIndex/count per page (-want +got):\n%s", diff)
	}
}

func TestPatchNoContent(t *testing.T) {
	t.Parallel()
	_, c := newRecording(t, fastRetries, answerJSON(http.StatusNoContent, ""))
	g, err := c.Groups.Patch(t.Context(), "g1", []PatchOperation{{Op: OpReplace, Path: "displayName", Value: "X"}})
	if g != nil || err != nil {
		t.Errorf("Patch on 204 = %+v, %v; want nil, nil", g, err)
	}
}

func TestNewClientValidates(t *testing.T) {
	t.Parallel()
	tests := map[string]Config{
		"no token":     {URL: "https://x/scim"},
		"relative url": {URL: "x/scim", Token: "t"},
	}
	for name, cfg := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, err := NewClient(cfg); err == nil {
				t.Error("NewClient: no error")
			}
		})
	}
}
