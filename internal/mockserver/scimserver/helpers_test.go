package scimserver

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// testTime is the fixed clock of test stores.
var testTime = time.Date(2026, 3, 18, 12, 20, 0, 0, time.UTC)

// newTestStore returns a store with a fixed clock and at most maxGroups groups.
func newTestStore(maxGroups int) *Store {
	var ids atomic.Int64
	return NewStore(Config{MaxGroups: maxGroups, Now: func() time.Time { return testTime }, NextIdentityID: func() int64 { return ids.Add(1) }})
}

// newMux mounts Routes() for one store the way the parent does, with a
// body limit of limit bytes.
func newMux(s *Store, limit int64) *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range Routes() {
		mux.HandleFunc(rt.Method+" "+basePath+rt.Pattern, func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			rt.Handle(w, r, s)
		})
	}
	return mux
}

// client sends requests to a mux in-process.
type client struct {
	t   testing.TB
	mux http.Handler
}

// newClient returns a client of a fresh store (1000 groups, 1 MiB bodies).
func newClient(t testing.TB) (*client, *Store) {
	s := newTestStore(1000)
	return &client{t: t, mux: newMux(s, 1<<20)}, s
}

// on returns the client reporting to t (for subtests).
func (c *client) on(t testing.TB) *client { return &client{t: t, mux: c.mux} }

// response is a recorded answer.
type response struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a request; path is relative to the SCIM base; headers are
// name/value pairs.
func (c *client) do(method, path, body string, headers ...string) response {
	c.t.Helper()
	var rd *strings.Reader
	if body != "" {
		rd = strings.NewReader(body)
	} else {
		rd = strings.NewReader("")
	}
	req := httptest.NewRequestWithContext(c.t.Context(), method, "http://mock.test"+basePath+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	c.mux.ServeHTTP(rec, req)
	resp := response{status: rec.Code, header: rec.Header(), raw: rec.Body.String()}
	if rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &resp.body); err != nil {
			c.t.Fatalf("%s %s: response is not a JSON object: %v: %s", method, path, err, rec.Body.String())
		}
		if ct := rec.Header().Get("Content-Type"); ct != contentType {
			c.t.Fatalf("%s %s: Content-Type %q", method, path, ct)
		}
	}
	return resp
}

// must sends a request and fails the test unless it answers want.
func (c *client) must(want int, method, path, body string, headers ...string) response {
	c.t.Helper()
	resp := c.do(method, path, body, headers...)
	if resp.status != want {
		c.t.Fatalf("%s %s: status %d, want %d: %s", method, path, resp.status, want, resp.raw)
	}
	return resp
}

// str returns the string at a dotted path of a JSON object ("" if absent).
func (r response) str(path string) string {
	s, _ := r.get(path).(string)
	return s
}

// get returns the value at a dotted path ("name.givenName").
func (r response) get(path string) any {
	var v any = r.body
	for part := range strings.SplitSeq(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// errorOf returns the status and scimType of an error response, checking
// the error schema and that status is a string.
func (r response) errorOf(t testing.TB) (status, scimType string) {
	t.Helper()
	schemas, _ := r.body["schemas"].([]any)
	if len(schemas) != 1 || schemas[0] != urnError {
		t.Fatalf("not an error response: %s", r.raw)
	}
	status, ok := r.body["status"].(string)
	if !ok {
		t.Fatalf("status is not a string: %s", r.raw)
	}
	scimType, _ = r.body["scimType"].(string)
	return status, scimType
}

// userBody is a minimal user create body.
func userBody(userName string) string {
	return `{"schemas":["` + urnUser + `"],"userName":"` + userName + `"}`
}

// patchBody wraps operations (a JSON list) in a PatchOp request.
func patchBody(ops string) string {
	return `{"schemas":["` + urnPatchOp + `"],"Operations":` + ops + `}`
}
