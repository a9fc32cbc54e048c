package e2e

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// queryExample is the shipped example TestQuery_generateConfig runs.
const queryExample = "../../examples/query-okta-groups"

// queryMinMinor is the first Terraform 1.x with `terraform query` and list
// resources: 1.14.
const queryMinMinor = 14

// RequireQuery skips the test unless the CLI under test is Terraform 1.14
// or newer (OpenTofu has no `terraform query`).
func RequireQuery(t *testing.T, tf *Terraform) {
	t.Helper()
	v, _, err := tf.Exec.Version(t.Context(), false)
	if err != nil {
		t.Fatalf("%s version: %v", CLI(), err)
	}
	if s := v.Segments(); s[0] < 1 || s[0] == 1 && s[1] < queryMinMinor {
		t.Skipf("terraform query needs Terraform 1.%d or newer; %s is %s. "+
			"Run it with TF_ACC_TERRAFORM_PATH set to a newer binary (make testacc-tf115).",
			queryMinMinor, CLI(), v)
	}
	if name := CLIName(t); strings.HasPrefix(name, "OpenTofu") {
		t.Skipf("terraform query is Terraform's (1.14 and later); %s is %s", CLI(), name)
	}
}

// Query runs terraform query -json (Terraform 1.14 and later) and requires
// success. Its Stdout is the text of its messages, one a line: QueryJSON
// takes stdout for itself.
func (tf *Terraform) Query(t *testing.T, opts ...tfexec.QueryOption) Result {
	t.Helper()
	var messages strings.Builder
	res := tf.run(t, "query", 0, func(ctx context.Context) (bool, error) {
		seq, err := tf.Exec.QueryJSON(ctx, opts...)
		if err != nil {
			return false, err
		}
		var errs []error
		for next := range seq { // the last one holds the command's error
			if next.Msg != nil {
				fmt.Fprintln(&messages, next.Msg.Message())
			}
			errs = append(errs, next.Err)
		}
		if err := errors.Join(errs...); err != nil {
			return false, fmt.Errorf("%w\n%s", err, messages.String())
		}
		return false, nil
	})
	res.Stdout = messages.String()
	return res
}

// TestQuery_generateConfig takes over what "Okta" pushed with `terraform
// query -generate-config-out` (Terraform 1.14+): a few hundred groups,
// listed by the shipped example (examples/query-okta-groups) through a
// service that pages by 50 (itemsPerPage below what the provider asks
// for), and one user selected with a userName eq filter among others. The generated file plus `terraform
// apply` must import exactly those objects with the service's values,
// write nothing to the service, and leave an empty plan.
func TestQuery_generateConfig(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	proxy, groupPages := pageCapProxy(t, m, 50)
	tf := NewTerraform(t, "SECUREACCESS_BASE_URL="+proxy, "SECUREACCESS_SCIM_TOKEN="+m.SCIMToken)
	RequireQuery(t, tf)
	st := m.SCIM(t)
	start := time.Now()

	nGroups := Sized(250, 900) // at most 1000 groups per directory integration
	want := map[string]map[string]any{}
	for i := range nGroups {
		g := scimserver.Group{DisplayName: fmt.Sprintf("OKTA - Group %04d", i)}
		if i%3 == 0 {
			g.ExternalID = fmt.Sprintf("00g%05d", i)
		}
		g, err := st.CreateGroup(g)
		if err != nil {
			t.Fatalf("seeding group %d: %v", i, err)
		}
		want["secureaccess_scim_group/"+g.ID] = map[string]any{"id": g.ID, "display_name": g.DisplayName, "external_id": nilIfEmpty(g.ExternalID)}
	}
	var jane scimserver.User
	for i, name := range []string{"adam@example.com", "jane.doe@example.com", "zoe@example.com"} {
		u := scimserver.User{UserName: name, Active: new(i != 2)}
		if name == "jane.doe@example.com" {
			u.ExternalID, u.DisplayName = "00u1jane", "Jane Doe"
			u.Name = scimserver.Name{GivenName: "Jane", FamilyName: "Doe"}
			u.Emails = []scimserver.Email{{Value: name, Type: "work", Primary: true}}
		}
		u, err := st.CreateUser(u)
		if err != nil {
			t.Fatalf("seeding user %s: %v", name, err)
		}
		if name == "jane.doe@example.com" {
			jane = u
		}
	}
	want["secureaccess_scim_user/"+jane.ID] = map[string]any{
		"id": jane.ID, "user_name": jane.UserName, "display_name": "Jane Doe", "external_id": "00u1jane", "active": true,
		"name":             map[string]any{"given_name": "Jane", "family_name": "Doe", "formatted": nil},
		"emails":           []any{map[string]any{"value": jane.UserName, "type": "work", "primary": true}},
		"native_object_id": nil, "auth_name": nil, "on_destroy": "delete", "adopt_existing": false,
	}
	groupsBefore, usersBefore := st.Groups(), st.Users()
	t.Logf("seeded %d groups and 3 users in %s", nGroups, time.Since(start))

	for _, name := range []string{"main.tf", "versions.tf", "okta.tfquery.hcl"} {
		src, err := os.ReadFile(filepath.Join(queryExample, name))
		if err != nil {
			t.Fatal(err)
		}
		tf.WriteFile(t, name, string(src))
	}
	tf.WriteFile(t, "jane.tfquery.hcl", `
list "secureaccess_scim_user" "jane" {
  provider = secureaccess
  config {
    filter = "userName eq \"jane.doe@example.com\""
  }
}
`)
	if err := tf.Exec.Init(t.Context()); err != nil {
		t.Fatalf("terraform init: %v", err)
	}

	step := time.Now()
	res := tf.Query(t, tfexec.GenerateConfigOut("generated.tf"))
	t.Logf("query: %s", time.Since(step))
	var wantPages []string // pages of 50: startIndex 1, 51, 101, ...
	for i := 1; i <= nGroups; i += 50 {
		wantPages = append(wantPages, strconv.Itoa(i))
	}
	if diff := cmp.Diff(wantPages, groupPages()); diff != "" {
		t.Errorf("group list requests (startIndex) mismatch (-want +got):\n%s", diff)
	}
	generated, err := os.ReadFile(filepath.Join(tf.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no generated.tf: %v\n%s", err, lastLines(res.Output(), 20))
	}
	if n := len(regexp.MustCompile(`(?m)^import \{`).FindAll(generated, -1)); n != nGroups+1 {
		t.Errorf("generated.tf has %d import blocks, want %d (every group and one user)", n, nGroups+1)
	}
	if strings.Contains(string(generated), m.SCIMToken) {
		t.Error("generated.tf contains the SCIM token")
	}

	step = time.Now()
	res = tf.Apply(t)
	t.Logf("apply: %s", time.Since(step))
	summary := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", nGroups+1)
	if !strings.Contains(res.Stdout, summary) {
		t.Errorf("apply output lacks %q:\n%s", summary, lastLines(res.Stdout, 5))
	}
	got := map[string]map[string]any{}
	for _, r := range tf.State(t) {
		got[r.Type+"/"+ID(r)] = r.AttributeValues
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state mismatch (-service +terraform):\n%s", diff)
	}
	if diff := cmp.Diff(groupsBefore, st.Groups()); diff != "" {
		t.Errorf("the takeover changed groups in the service (-before +after):\n%s", diff)
	}
	if diff := cmp.Diff(usersBefore, st.Users()); diff != "" {
		t.Errorf("the takeover changed users in the service (-before +after):\n%s", diff)
	}

	step = time.Now()
	tf.RequireEmptyPlan(t)
	t.Logf("empty plan: %s; whole test: %s", time.Since(step), time.Since(start))
}

// TestQuery_generateConfigUsers takes over every user of a directory with
// the users list resource of the documentation (limit = 10000) and
// `terraform query -generate-config-out` (Terraform 1.14+): each user is
// imported once with the service's values and the resource's defaults,
// nothing is written to the service, and the next plan is empty. SOAK=1
// runs it at 10,000 users, the limit of the documented example.
func TestQuery_generateConfigUsers(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t, "SECUREACCESS_BASE_URL="+m.URL, "SECUREACCESS_SCIM_TOKEN="+m.SCIMToken)
	RequireQuery(t, tf)
	st := m.SCIM(t)
	start := time.Now()

	nUsers := Sized(300, 10000)
	want := map[string]map[string]any{}
	for i := range nUsers {
		u := scimserver.User{
			UserName: fmt.Sprintf("user%05d@example.com", i), DisplayName: fmt.Sprintf("User %05d", i), Active: new(i%7 != 0),
			Name: scimserver.Name{GivenName: "User", FamilyName: fmt.Sprintf("%05d", i)},
		}
		emails := any(nil)
		if i%2 == 0 {
			u.ExternalID = fmt.Sprintf("00u%05d", i)
			u.Emails = []scimserver.Email{{Value: u.UserName, Type: "work", Primary: true}}
			emails = []any{map[string]any{"value": u.UserName, "type": "work", "primary": true}}
		}
		u, err := st.CreateUser(u)
		if err != nil {
			t.Fatalf("seeding user %d: %v", i, err)
		}
		want[u.ID] = map[string]any{
			"id": u.ID, "user_name": u.UserName, "display_name": u.DisplayName, "external_id": nilIfEmpty(u.ExternalID), "active": *u.Active,
			"name":   map[string]any{"given_name": "User", "family_name": u.Name.FamilyName, "formatted": nil},
			"emails": emails, "native_object_id": nil, "auth_name": nil, "on_destroy": "delete", "adopt_existing": false,
		}
	}
	usersBefore := st.Users()
	t.Logf("seeded %d users in %s", nUsers, time.Since(start))

	tf.WriteConfig(t, `provider "secureaccess" {}`+"\n")
	tf.WriteFile(t, "users.tfquery.hcl", `
list "secureaccess_scim_user" "all" {
  provider = secureaccess
  limit    = 10000
}
`)
	if err := tf.Exec.Init(t.Context()); err != nil {
		t.Fatalf("terraform init: %v", err)
	}

	step := time.Now()
	res := tf.Query(t, tfexec.GenerateConfigOut("generated.tf"))
	t.Logf("query: %s", time.Since(step))
	generated, err := os.ReadFile(filepath.Join(tf.Dir, "generated.tf"))
	if err != nil {
		t.Fatalf("terraform query wrote no generated.tf: %v\n%s", err, lastLines(res.Output(), 20))
	}
	if n := len(regexp.MustCompile(`(?m)^import \{`).FindAll(generated, -1)); n != nUsers {
		t.Errorf("generated.tf has %d import blocks, want %d", n, nUsers)
	}

	step = time.Now()
	res = tf.Apply(t)
	t.Logf("apply: %s", time.Since(step))
	if summary := fmt.Sprintf("Resources: %d imported, 0 added, 0 changed, 0 destroyed.", nUsers); !strings.Contains(res.Stdout, summary) {
		t.Errorf("apply output lacks %q:\n%s", summary, lastLines(res.Stdout, 5))
	}
	got := map[string]map[string]any{}
	for _, r := range tf.State(t) {
		got[ID(r)] = r.AttributeValues
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("state mismatch (-service +terraform):\n%s", diff)
	}
	if diff := cmp.Diff(usersBefore, st.Users()); diff != "" {
		t.Errorf("the takeover changed users in the service (-before +after):\n%s", diff)
	}

	step = time.Now()
	tf.RequireEmptyPlan(t)
	t.Logf("empty plan: %s; whole test: %s", time.Since(step), time.Since(start))
}

// nilIfEmpty is nil for "" (an unset optional attribute in the state).
func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// pageCapProxy starts a proxy in front of the mock that answers every SCIM
// list request as a service whose pages hold at most size resources would
// (a larger count is lowered to size). It returns its base URL and a
// function that returns the startIndex of every group list request so far.
func pageCapProxy(t *testing.T, m *Mock, size int) (url string, groupPages func() []string) {
	t.Helper()
	var mu sync.Mutex
	var starts []string
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		list := strings.HasSuffix(r.URL.Path, "/Users") || strings.HasSuffix(r.URL.Path, "/Groups")
		if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/Groups") {
			mu.Lock()
			starts = append(starts, q.Get("startIndex"))
			mu.Unlock()
		}
		if n, err := strconv.Atoi(q.Get("count")); r.Method == http.MethodGet && list && (err != nil || n > size) {
			q.Set("count", strconv.Itoa(size))
			r.URL.RawQuery = q.Encode()
		}
		m.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	return ts.URL, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(starts)
	}
}
