package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// fuzzToken is the provisioning token of the fuzzed client.
const fuzzToken = "fuzz-provisioning-token-3f9a0c"

// maxFuzzItems bounds All: a canned page that claims more results repeats
// forever.
const maxFuzzItems = 5

// cannedTransport answers every request with the same status and body,
// without a network.
type cannedTransport struct {
	status int
	body   []byte
}

// RoundTrip implements http.RoundTripper.
func (c cannedTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{
		Status:        http.StatusText(c.status),
		StatusCode:    c.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        http.Header{"Content-Type": {MediaType}},
		Body:          io.NopCloser(bytes.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       r,
	}, nil
}

// wantSentinel is the sentinel error each error status must match.
var wantSentinel = map[int]error{
	http.StatusNotFound:        transport.ErrNotFound,
	http.StatusConflict:        transport.ErrConflict,
	http.StatusUnauthorized:    transport.ErrUnauthorized,
	http.StatusForbidden:       transport.ErrForbidden,
	http.StatusTooManyRequests: transport.ErrRateLimited,
}

// fuzzCall is one client operation; lookup marks those that report an empty
// result as transport.ErrNotFound (a create whose answer lacks the created
// object looks it up by its key).
type fuzzCall struct {
	name   string
	lookup bool
	call   func(t *testing.T, c *Client) error
}

var fuzzCalls = []fuzzCall{
	{name: "Users.Get", call: func(t *testing.T, c *Client) error {
		u, err := c.Users.Get(t.Context(), "u1", nil)
		if err == nil {
			checkRoundTrip(t, u)
		}
		return err
	}},
	{name: "Groups.Get", call: func(t *testing.T, c *Client) error {
		g, err := c.Groups.Get(t.Context(), "g1", &GetOptions{ExcludedAttributes: []string{"members"}})
		if err == nil {
			checkRoundTrip(t, g)
		}
		return err
	}},
	{name: "Users.Create", lookup: true, call: func(t *testing.T, c *Client) error {
		return second(c.Users.Create(t.Context(), &User{UserName: "jane@example.com"}))
	}},
	{name: "Groups.Patch", call: func(t *testing.T, c *Client) error {
		return second(c.Groups.Patch(t.Context(), "g1", []PatchOperation{{Op: OpReplace, Path: "displayName", Value: "x"}}))
	}},
	{name: "Users.Delete", call: func(t *testing.T, c *Client) error {
		return c.Users.Delete(t.Context(), "u1")
	}},
	{name: "Users.List", call: func(t *testing.T, c *Client) error {
		return second(c.Users.List(t.Context(), &ListOptions{Filter: Eq("userName", "jane@example.com")}))
	}},
	{name: "Users.GetByUserName", lookup: true, call: func(t *testing.T, c *Client) error {
		return second(c.Users.GetByUserName(t.Context(), "jane@example.com"))
	}},
	{name: "Refresh.HasMember", call: func(t *testing.T, c *Client) error {
		return second(c.Refresh.HasMember(t.Context(), "g1", "u1"))
	}},
	{name: "Groups.All", call: func(t *testing.T, c *Client) error {
		n := 0
		for g, err := range c.Groups.All(t.Context(), nil) {
			if err != nil {
				return err
			}
			if g == nil {
				t.Fatal("All yielded a nil group without an error")
			}
			if n++; n == maxFuzzItems {
				break
			}
		}
		return nil
	}},
}

// FuzzDecodeResponse answers every client operation with an arbitrary status
// and body: never a panic; an error status, or a redirect the client did not
// follow (any 3xx that reaches it), is always an *transport.APIError of that
// status matching its sentinel; a 2xx fails only to decode; neither errors
// nor logs carry the token; a decoded resource survives a round trip.
func FuzzDecodeResponse(f *testing.F) {
	for _, seed := range []struct {
		status uint16
		body   string
	}{
		{200, `{"schemas":["` + SchemaUser + `"],"id":"u1","userName":"jane@example.com","active":true,"name":{"givenName":"Jane"},"emails":[{"value":"j@x","type":"work","primary":true}],"` + SchemaCiscoUser + `":{"nativeObjectId":"g"},"meta":{"resourceType":"User","created":"2026-03-18T12:30:00Z","lastModified":"2026-03-18T12:30:00.5+01:00","version":"W/\"1\""}}`},
		{200, `{"schemas":["` + SchemaListResponse + `"],"totalResults":3,"startIndex":1,"itemsPerPage":1,"Resources":[{"id":"g1","displayName":"Eng","members":[{"value":"u1","$ref":"../Users/u1"}]}]}`},
		{201, `{"id":"u1","userName":"jane@example.com","active":"True"}`},
		{204, ``},
		{404, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"404","detail":"Resource u1 not found"}`},
		{409, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":409,"scimType":"uniqueness","detail":"userName taken"}`},
		{412, `{"detail":"stale"}`},
		{429, `{"message":"slow down"}`},
		{503, "<html>\nunavailable\n</html>"},
		{400, `{"scimType":"invalidFilter","detail":"filter \u00e9"}`},
		{500, strings.Repeat("é", 150)},
		{200, `null`},
		{200, `[]`},
		{200, `{"meta":{"created":"not a time"}}`},
		{200, `{"totalResults":1e999}`},
	} {
		f.Add(seed.status, []byte(seed.body))
	}
	f.Fuzz(func(t *testing.T, rawStatus uint16, body []byte) {
		status := http.StatusOK + (int(rawStatus)+http.StatusOK)%400 // 200…599; seeds keep their status
		logger := &memLogger{}
		cfg := transport.Config{MaxRetries: -1, HTTPClient: &http.Client{Transport: cannedTransport{status, body}}, Logger: logger}
		c, err := NewClient(Config{URL: "https://scim.invalid/scim", Token: fuzzToken, Config: cfg})
		if err != nil {
			t.Fatal(err)
		}
		for _, fc := range fuzzCalls {
			checkFuzzError(t, fc, status, body, fc.call(t, c))
		}
		for _, e := range logger.entries {
			if strings.Contains(e, fuzzToken) {
				t.Errorf("log entry holds the token: %s", e)
			}
		}
	})
}

// checkFuzzError checks the error of one call answered with status and body.
func checkFuzzError(t *testing.T, fc fuzzCall, status int, body []byte, err error) {
	t.Helper()
	if err == nil {
		if status >= http.StatusMultipleChoices {
			t.Errorf("%s: status %d gave no error", fc.name, status)
		}
		return
	}
	if strings.Contains(err.Error(), fuzzToken) && !bytes.Contains(body, []byte(fuzzToken)) {
		t.Errorf("%s: error holds the token: %v", fc.name, err)
	}
	apiErr, isAPIErr := errors.AsType[*transport.APIError](err)
	if status < http.StatusMultipleChoices {
		expected := strings.Contains(err.Error(), "decoding response: ") || fc.lookup && errors.Is(err, transport.ErrNotFound)
		if isAPIErr || !expected {
			t.Errorf("%s: status %d: unexpected error %v", fc.name, status, err)
		}
		return
	}
	// Errors, and redirects the client did not follow (a 3xx reaching the
	// client has no usable Location), are *APIErrors of their status.
	if !isAPIErr || apiErr.StatusCode != status {
		t.Fatalf("%s: status %d: error %v (%T) is not an *APIError of that status", fc.name, status, err, err)
	}
	for _, s := range wantSentinel {
		if want := errors.Is(wantSentinel[status], s); errors.Is(err, s) != want {
			t.Errorf("%s: status %d: errors.Is(%v, %v) = %t", fc.name, status, err, s, !want)
		}
	}
}

// checkRoundTrip checks that a decoded resource encodes and decodes to itself.
func checkRoundTrip[T any](t *testing.T, v *T) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		return // a time outside RFC 3339's years; the provider never sends meta
	}
	var back T
	if err := json.Unmarshal(raw, &back); err != nil {
		t.Fatalf("decoding %s: %v", raw, err)
	}
	if diff := cmp.Diff(*v, back, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("round trip of %s (-decoded +again):\n%s", raw, diff)
	}
}
