package mockserver_test

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestFaultGarbleAfterApply: a garbled SCIM create is applied and answered
// 201 with the handler's headers and the first half of its body, which is
// not JSON; past the rule's limit the answers are whole again. Garbled
// answers count by their status.
func TestFaultGarbleAfterApply(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	dir, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetFaults(mockserver.FaultRule{Route: "POST /identity/v2/scim/Users", GarbleRate: 1, Limit: 1})

	r := e.send(http.MethodPost, "/identity/v2/scim/Users", scimToken, map[string]any{"userName": "jane@example.com"})
	if r.status != http.StatusCreated {
		t.Fatalf("garbled create: status %d, want 201: %s", r.status, r.body)
	}
	if json.Valid(r.body) {
		t.Errorf("garbled create: the body %q parses as JSON", r.body)
	}
	if cl := r.header.Get("Content-Length"); cl != strconv.Itoa(len(r.body)) {
		t.Errorf("Content-Length %q, want %d", cl, len(r.body))
	}
	for _, h := range []string{"Location", "ETag"} {
		if r.header.Get(h) == "" {
			t.Errorf("garbled create lacks the handler's %s header", h)
		}
	}
	if ct := r.header.Get("Content-Type"); ct != "application/scim+json" {
		t.Errorf("Content-Type %q, want the handler's application/scim+json", ct)
	}
	scim, ok := e.srv.Store().DirectorySCIM(dir.ID)
	if !ok {
		t.Fatal("no SCIM store for the directory")
	}
	u, ok := scim.UserByUserName("jane@example.com")
	if !ok {
		t.Fatal("the garbled create was not applied")
	}
	if loc := r.header.Get("Location"); !strings.HasSuffix(loc, "/Users/"+u.ID) {
		t.Errorf("Location %q does not name the stored user %s", loc, u.ID)
	}
	// A GET renders the same document the create answered with.
	got := e.send(http.MethodGet, "/identity/v2/scim/Users/"+u.ID, scimToken, nil)
	if got.status != http.StatusOK || !json.Valid(got.body) {
		t.Fatalf("GET the garbled create's user: %d %s", got.status, got.body)
	}
	if want := got.body[:len(got.body)/2]; string(r.body) != string(want) {
		t.Errorf("garbled body %q, want the first half of the answer, %q", r.body, want)
	}

	// The limit is spent: the next create is answered whole.
	r = e.send(http.MethodPost, "/identity/v2/scim/Users", scimToken, map[string]any{"userName": "john@example.com"})
	if r.status != http.StatusCreated || !json.Valid(r.body) {
		t.Errorf("create past the limit: %d %q, want 201 with JSON", r.status, r.body)
	}
	st := e.srv.Stats()
	if diff := cmp.Diff(map[string]int{"2xx": 3}, st.Classes); diff != "" || st.Count("POST /identity/v2/scim/Users") != 2 {
		t.Errorf("stats %+v: want 2 creates and 1 GET, all 2xx (-want +got classes):\n%s", st, diff)
	}
}

// TestFaultGarbleErrorAndEmptyBodies: an error answer is garbled too (its
// status kept), and one without a body (204) is sent as it was.
func TestFaultGarbleErrorAndEmptyBodies(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	_, scimToken, err := e.srv.Bootstrap("Okta", "okta")
	if err != nil {
		t.Fatal(err)
	}
	id := e.scimUser(scimToken, "jane@example.com", "Jane Doe")
	e.srv.SetFaults(mockserver.FaultRule{GarbleRate: 1})

	r := e.send(http.MethodGet, "/identity/v2/scim/Users/nope", scimToken, nil)
	if r.status != http.StatusNotFound || len(r.body) == 0 || json.Valid(r.body) {
		t.Errorf("garbled 404: %d %q, want 404 with half a JSON body", r.status, r.body)
	}
	r = e.send(http.MethodDelete, "/identity/v2/scim/Users/"+id, scimToken, nil)
	if r.status != http.StatusNoContent || len(r.body) != 0 {
		t.Errorf("garbled 204: %d %q, want 204 without a body", r.status, r.body)
	}
	if st := e.srv.Stats(); st.Classes["4xx"] != 1 || st.Classes["2xx"] != 2 {
		t.Errorf("classes %v, want the garbled answers counted by status", st.Classes)
	}
}

// TestFaultGarbleValidation: garbleRate counts in the rates' sum and range,
// and survives the JSON form.
func TestFaultGarbleValidation(t *testing.T) {
	t.Parallel()
	e := newEnv(t, mockserver.Options{})
	for _, tc := range []struct {
		rule mockserver.FaultRule
		ok   bool
	}{
		{mockserver.FaultRule{GarbleRate: 1}, true},
		{mockserver.FaultRule{GarbleRate: 0.5, DropRate: 0.5}, true},
		{mockserver.FaultRule{GarbleRate: 0.6, Rate500: 0.6}, false},
		{mockserver.FaultRule{GarbleRate: 0.6, DropRate: 0.6}, false},
		{mockserver.FaultRule{GarbleRate: 1.5}, false},
		{mockserver.FaultRule{GarbleRate: -0.1}, false},
	} {
		if err := e.srv.ValidateFault(tc.rule); (err == nil) != tc.ok {
			t.Errorf("ValidateFault(%+v) = %v, want ok %v", tc.rule, err, tc.ok)
		}
	}
	r := e.send(http.MethodPost, "/_mock/faults", "", `{"route":"POST /identity/v2/scim/Users","garbleRate":0.7,"rate503":0.4}`)
	wantMessage(t, r, http.StatusBadRequest)

	rule := mockserver.FaultRule{Route: "POST /identity/v2/scim/Users", GarbleRate: 0.25, Limit: 2}
	b, err := json.Marshal(rule)
	if err != nil || string(b) != `{"route":"POST /identity/v2/scim/Users","garbleRate":0.25,"limit":2}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
	var back mockserver.FaultRule
	if err := json.Unmarshal(b, &back); err != nil || back != rule {
		t.Errorf("Unmarshal(%s) = %+v, %v; want %+v", b, back, err, rule)
	}
}
