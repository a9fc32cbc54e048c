package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// testAccProtoV6ProviderFactories serves the provider in-process to the
// terraform binary that terraform-plugin-testing runs.
var testAccProtoV6ProviderFactories = map[string]func() (tfprotov6.ProviderServer, error){
	"secureaccess": providerserver.NewProtocol6WithError(New("test")()),
}

const (
	testClientID     = "acc-client-id"
	testClientSecret = "acc-client-secret"
)

// testMock is a fresh in-process mock Secure Access service for one test,
// with one directory integration ("Acceptance", Okta) and its SCIM token;
// or, in live mode (acctest_test.go), the service of the environment, with
// no Server and no DirectoryID.
type testMock struct {
	Server      *mockserver.Server
	URL         string
	DirectoryID string
	SCIMToken   string
	// Strict is whether the mock is in strict filter mode
	// (SECUREACCESS_MOCK_STRICT): it refuses every filter but the ones
	// Secure Access documents, as the real endpoint may.
	Strict bool

	// SCIMURL, ClientID and ClientSecret are the live service's; empty
	// in mock mode (scimURL, clientID, clientSecret).
	SCIMURL, ClientID, ClientSecret string
	// Prefix starts the name of every object the test creates: empty in
	// mock mode, unique to the test in live mode (name).
	Prefix string
	// checks counts the provider's SCIM checks at Configure since the
	// mock's counters were last reset (stats, resetStats).
	checks *atomic.Int64
	// directURL is the mock's own URL when recordSCIMRequests put a proxy
	// in front of it: the checks' clients bypass the proxy.
	directURL string
	live      bool
}

// newTestMock starts a mock for the test and stops it when the test ends,
// in strict mode unless SECUREACCESS_MOCK_STRICT=0 (mocktest.StartAcceptance).
func newTestMock(t *testing.T) *testMock {
	t.Helper()
	return newTestMockWith(t, scimserver.Quirks(0))
}

// newTestMockWith is newTestMock with the mock's SCIM quirks on, besides
// those SECUREACCESS_MOCK_QUIRKS names.
func newTestMockWith(t *testing.T, quirks scimserver.Quirks) *testMock {
	t.Helper()
	testAccMockOnly(t, "it drives or reads the in-process mock (its memory, request counts, faults, clock or quirks)")
	mock := mocktest.StartAcceptance(t, "Acceptance", mockserver.Options{ClientID: testClientID, ClientSecret: testClientSecret, Seed: 1, Quirks: quirks})
	m := &testMock{Server: mock.Server, DirectoryID: mock.DirectoryID, SCIMToken: mock.SCIMToken, Strict: mock.StrictFilters(), checks: new(atomic.Int64)}
	// The mock's request counters cannot tell the SCIM request that the
	// provider sends when Terraform configures it (checkSCIM) from a list a
	// resource sends: they count by route. This proxy counts those checks,
	// so that stats can leave them out.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isConfigureCheck(r) {
			m.checks.Add(1)
		}
		m.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	m.URL = ts.URL
	return m
}

// configureCheckQuery is the query of the SCIM request the provider sends
// when Terraform configures it: one user of the list (checkSCIM).
const configureCheckQuery = "count=1&startIndex=1"

// isConfigureCheck reports whether r is the SCIM request of the provider's
// check at Configure.
func isConfigureCheck(r *http.Request) bool {
	return r.Method == http.MethodGet && r.URL.Path == scimPath+"/Users" && r.URL.Query().Encode() == configureCheckQuery
}

// stats is the mock's request counters without the SCIM requests of the
// provider's checks at Configure (one per provider configuration that
// Terraform configures with a SCIM token: a number that depends on how many
// commands terraform-plugin-testing runs per step): the requests that
// resources and data sources send. The admin access token obtained at
// Configure is the one the first admin call uses, so token requests stay.
func (m *testMock) stats() mockserver.Stats {
	st := m.Server.Stats()
	n := int(m.checks.Load())
	st.Total -= n
	if st.Requests[statsListUsers] -= n; st.Requests[statsListUsers] == 0 {
		delete(st.Requests, statsListUsers)
	}
	return st
}

// refusedFilterError matches the one error of a filter the service refused:
// summary, the 400 invalidFilter, and the fix naming what Secure Access
// documents.
func refusedFilterError(summary string) *regexp.Regexp {
	return regexp.MustCompile(`(?s)` + phrase(summary) + `.*` + phrase("400 Bad Request (invalidFilter)") + `.*` +
		phrase("Secure Access documents filtering on userName eq (users) and displayName eq (groups)"))
}

// phrase is a regular expression for text as Terraform prints it: any
// space may have become a line break.
func phrase(text string) string {
	return strings.Join(strings.Fields(regexp.QuoteMeta(text)), `\s+`)
}

// strictRefuses returns step unchanged, or, when the mock is in strict
// filter mode, the same configuration expecting the one error of a filter
// Secure Access may refuse (summary is its diagnostic's summary): for the
// steps whose user-written filter is richer than what the service documents.
func (m *testMock) strictRefuses(step resource.TestStep, summary string) resource.TestStep {
	if !m.Strict {
		return step
	}
	return resource.TestStep{PreConfig: step.PreConfig, Config: step.Config, ExpectError: refusedFilterError(summary)}
}

// providerConfig is a provider block with every credential for this mock
// (in live mode, those the environment sets).
func (m *testMock) providerConfig() string {
	return "\nprovider \"secureaccess\" {\n" + m.providerArgs(true) + "  max_retries   = 2\n}\n"
}

// adminProviderConfig is a provider block with only the admin API key.
func (m *testMock) adminProviderConfig() string {
	return "\nprovider \"secureaccess\" {\n" + m.providerArgs(false) + "}\n"
}

// providerArgs are the provider block's URLs and credentials, the SCIM
// ones when withSCIM; empty ones are left out.
func (m *testMock) providerArgs(withSCIM bool) string {
	var b strings.Builder
	arg := func(name, value string) {
		if value != "" {
			fmt.Fprintf(&b, "  %-13s = %q\n", name, value)
		}
	}
	arg("base_url", m.URL)
	arg("client_id", m.clientID())
	arg("client_secret", m.clientSecret())
	if withSCIM {
		arg("scim_url", m.SCIMURL)
		arg("scim_token", m.SCIMToken)
	}
	return b.String()
}

// scim is the SCIM store of the bootstrapped directory, to assert on.
func (m *testMock) scim(t *testing.T) *scimserver.Store {
	t.Helper()
	s, ok := m.Server.Store().DirectorySCIM(m.DirectoryID)
	if !ok {
		t.Fatalf("directory %s is gone from the mock", m.DirectoryID)
	}
	return s
}

// rfc3339Regexp matches the timestamps the provider stores.
var rfc3339Regexp = regexp.MustCompile(`^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`)

// directoryIntegrationConfig is a directory integration with the admin
// provider block of m; a non-empty name gets the test's prefix.
func directoryIntegrationConfig(m *testMock, name, idp string) string {
	if name != "" {
		name = m.name(name)
	}
	return m.adminProviderConfig() + fmt.Sprintf(`
resource "secureaccess_directory_integration" "okta" {
  name                = %q
  identity_provider   = %q
  deletion_protection = false
}
`, name, idp)
}

// stateAttr returns an attribute of a resource in the state.
func stateAttr(s *terraform.State, addr, attr string) (string, error) {
	rs, ok := s.RootModule().Resources[addr]
	if !ok {
		return "", fmt.Errorf("%s not in state", addr)
	}
	return rs.Primary.Attributes[attr], nil
}

const provisioningTokenAddr = "secureaccess_provisioning_token.okta"

// testAdminClient is an admin API client of the mock, to change things
// behind Terraform's back.
func testAdminClient(t *testing.T, m *testMock) *admin.Client {
	t.Helper()
	c, err := m.adminClient()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkSCIMToken reports an error unless a SCIM request with token gets
// the wanted outcome from the mock: accepted, or rejected with 401.
func checkSCIMToken(ctx context.Context, m *testMock, token string, wantAccepted bool) error {
	c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: token, Config: transport.Config{MaxRetries: -1}})
	if err != nil {
		return fmt.Errorf("scim.NewClient: %w", err)
	}
	_, err = c.Users.List(ctx, &scim.ListOptions{Count: 1})
	switch {
	case wantAccepted && err != nil:
		return fmt.Errorf("the mock rejected the token: %w", err)
	case !wantAccepted && err == nil:
		return errors.New("the mock accepted the token, want 401")
	case !wantAccepted && !errors.Is(err, transport.ErrUnauthorized):
		return fmt.Errorf("a SCIM call with the token got %w, want 401", err)
	}
	return nil
}

// provisioningTokenConfig is a directory integration and its token with
// the given extra arguments, with the admin provider block of m.
func provisioningTokenConfig(m *testMock, tokenArgs string) string {
	return m.adminProviderConfig() + fmt.Sprintf(`
resource "secureaccess_directory_integration" "okta" {
  name                = %q
  identity_provider   = "okta"
  deletion_protection = false
}

resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
  %s
}
`, m.name("OKTA Integration"), tokenArgs)
}

// captureAttr stores an attribute of a resource in the state into *dst.
func captureAttr(addr, attr string, dst *string) resource.TestCheckFunc {
	return func(s *terraform.State) (err error) {
		*dst, err = stateAttr(s, addr, attr)
		return err
	}
}

// checkTokenActive checks, through the admin API, that the token in state
// is the directory's active one, and that the SCIM API accepts its secret.
func checkTokenActive(t *testing.T, m *testMock) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources[provisioningTokenAddr]
		if !ok {
			return fmt.Errorf("%s not in state", provisioningTokenAddr)
		}
		c, err := m.adminClient()
		if err != nil {
			return err
		}
		md, err := c.ProvisioningTokens.Get(t.Context(), rs.Primary.Attributes["directory_integration_id"])
		if err != nil {
			return fmt.Errorf("the active token of the directory: %w", err)
		}
		if md.ID != rs.Primary.ID {
			return fmt.Errorf("the active token of the directory is %s, want %s", md.ID, rs.Primary.ID)
		}
		return checkSCIMToken(t.Context(), m, rs.Primary.Attributes["token"], true)
	}
}

// checkTokensRevoked asks the admin API that no token in the state is
// active.
func checkTokensRevoked(m *testMock) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c, err := m.adminClient()
		if err != nil {
			return err
		}
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "secureaccess_provisioning_token" {
				continue
			}
			md, err := c.ProvisioningTokens.Get(context.Background(), rs.Primary.Attributes["directory_integration_id"])
			switch {
			case errors.Is(err, transport.ErrNotFound):
			case err != nil:
				return fmt.Errorf("the active token of directory %s: %w", rs.Primary.Attributes["directory_integration_id"], err)
			case md.ID == rs.Primary.ID:
				return fmt.Errorf("provisioning token %s is still active", rs.Primary.ID)
			}
		}
		return nil
	}
}

// sortedCopy returns a sorted copy of ids.
func sortedCopy(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

const scimGroupAddr = "secureaccess_scim_group.okta_users"

// Stats keys of the mock's SCIM group endpoints.
const (
	statsListGroups = "GET /identity/v2/scim/Groups"
	statsGetGroup   = "GET /identity/v2/scim/Groups/{id}"
	statsPatchGroup = "PATCH /identity/v2/scim/Groups/{id}"
	statsPutGroup   = "PUT /identity/v2/scim/Groups/{id}"
)

// scimRequestLog records the method, path and query of every SCIM request
// the provider sends to a mock.
type scimRequestLog struct {
	mu    sync.Mutex
	lines []string
}

// recordSCIMRequests puts a recording proxy in front of the mock: the
// provider configurations of m use it from now on.
// In live mode there is no mock to put it in front of: the log stays
// empty, and the tests check it in mock mode only (mockCheck).
func recordSCIMRequests(t *testing.T, m *testMock) *scimRequestLog {
	t.Helper()
	l := &scimRequestLog{}
	if m.live {
		return l
	}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The provider's check at Configure is not a resource's request.
		if strings.HasPrefix(r.URL.Path, scimPath) && !isConfigureCheck(r) {
			l.mu.Lock()
			l.lines = append(l.lines, r.Method+" "+strings.TrimPrefix(r.URL.Path, scimPath)+"?"+r.URL.Query().Encode())
			l.mu.Unlock()
		}
		m.Server.ServeHTTP(w, r)
	}))
	t.Cleanup(ts.Close)
	m.directURL = m.URL
	m.URL = ts.URL
	return l
}

// reset forgets the recorded requests.
func (l *scimRequestLog) reset() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lines = nil
}

// expect checks that the requests recorded since the last reset that start
// with prefix are exactly those want returns (called when the check runs).
func (l *scimRequestLog) expect(prefix string, want func() []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if diff := cmp.Diff(want(), l.matching(prefix)); diff != "" {
			return fmt.Errorf("%s requests mismatch (-want +got):\n%s", prefix, diff)
		}
		return nil
	}
}

// matching returns the recorded requests that start with prefix.
func (l *scimRequestLog) matching(prefix string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, line := range l.lines {
		if strings.HasPrefix(line, prefix) {
			out = append(out, line)
		}
	}
	return out
}

// seedGroupUsers creates n users (member000@example.com and so on, with
// the test's prefix) behind Terraform's back and returns their sorted IDs.
// In mock mode they go straight into the store, so that seeding counts as
// no request; in live mode through the SCIM API.
func seedGroupUsers(t *testing.T, m *testMock, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		ids[i] = seedUser(t, m, scimserver.User{UserName: m.name(fmt.Sprintf("member%03d@example.com", i)), Active: new(true)}).ID
	}
	slices.Sort(ids)
	return ids
}

// seedGroup creates a group with the given members behind Terraform's back
// (name gets the test's prefix), like seedGroupUsers.
func seedGroup(t *testing.T, m *testMock, name string, members ...string) string {
	t.Helper()
	name = m.name(name)
	if !m.live {
		g, err := m.scim(t).CreateGroup(scimserver.Group{DisplayName: name, Members: members})
		if err != nil {
			t.Fatalf("seeding group %q: %v", name, err)
		}
		return g.ID
	}
	g := &scim.Group{DisplayName: name}
	for _, id := range members {
		g.Members = append(g.Members, scim.Member{Value: id})
	}
	g, err := m.mustSCIMClient(t).Groups.Create(t.Context(), g)
	if err != nil {
		t.Fatalf("seeding group %q: %v", name, err)
	}
	return g.ID
}

// hclStrings renders strings as an HCL list.
func hclStrings(values []string) string {
	quoted := make([]string, len(values))
	for i, v := range values {
		quoted[i] = fmt.Sprintf("%q", v)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// checkRequestCounts compares the mock's request counters for the given
// Stats keys with want.
func checkRequestCounts(m *testMock, want map[string]int) resource.TestCheckFunc {
	return func(*terraform.State) error {
		stats := m.stats()
		got := make(map[string]int, len(want))
		for key := range want {
			got[key] = stats.Count(key)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			return fmt.Errorf("request counts mismatch (-want +got):\n%s", diff)
		}
		return nil
	}
}

// cmpEmptyEqual treats nil and empty slices as equal.
var cmpEmptyEqual = cmp.FilterValues(func(a, b []string) bool { return len(a) == 0 && len(b) == 0 }, cmp.Ignore())

// checkGroupMembers compares a group's members, read through the SCIM
// API, with want.
func checkGroupMembers(t *testing.T, m *testMock, groupID *string, want []string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := m.scimClient()
		if err != nil {
			return err
		}
		g, err := c.Groups.Get(t.Context(), *groupID, nil)
		if err != nil {
			return fmt.Errorf("reading group %s: %w", *groupID, err)
		}
		var got []string
		for _, mem := range g.Members {
			got = append(got, mem.Value)
		}
		slices.Sort(got)
		if diff := cmp.Diff(want, got, cmpEmptyEqual); diff != "" {
			return fmt.Errorf("members of group %s mismatch (-want +got):\n%s", *groupID, diff)
		}
		return nil
	}
}

// checkSCIMGroupsDestroyed asks the SCIM API that no group named in names
// (with the test's prefix) is left.
func checkSCIMGroupsDestroyed(t *testing.T, m *testMock, names ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		c, err := m.scimClient()
		if err != nil {
			return err
		}
		for _, name := range names {
			g, err := c.Groups.GetByDisplayName(t.Context(), m.name(name), nil)
			switch {
			case errors.Is(err, transport.ErrNotFound):
			case err != nil:
				return fmt.Errorf("looking up group %q: %w", m.name(name), err)
			default:
				return fmt.Errorf("group %q (%s) still exists", m.name(name), g.ID)
			}
		}
		return nil
	}
}

const scimUserAddr = "secureaccess_scim_user.jane"

// Stats keys of the mock's SCIM user endpoints.
const (
	statsCreateUser  = "POST /identity/v2/scim/Users"
	statsListUsers   = "GET /identity/v2/scim/Users"
	statsGetUser     = "GET /identity/v2/scim/Users/{id}"
	statsReplaceUser = "PUT /identity/v2/scim/Users/{id}"
	statsPatchUser   = "PATCH /identity/v2/scim/Users/{id}"
	statsDeleteUser  = "DELETE /identity/v2/scim/Users/{id}"
)

// fullStoreUser is a user with every attribute set, as the mock stores it
// (fullUserBody in scim_user_resource_test.go is its configuration).
var fullStoreUser = scimserver.User{
	ExternalID:  "00u1abcd",
	UserName:    "jane.doe@example.com",
	Active:      new(true),
	DisplayName: "Jane Doe",
	Name:        scimserver.Name{GivenName: "Jane", FamilyName: "Doe", Formatted: "Ms. Jane Doe"},
	Emails: []scimserver.Email{
		{Value: "jane.doe@example.com", Type: "work", Primary: true},
		{Value: "jane@home.example"},
	},
	NativeObjectID: "b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11",
	AuthName:       "jdoe",
}

// checkSCIMUsersDestroyed asks the SCIM API that no user of the state is
// left.
func checkSCIMUsersDestroyed(t *testing.T, m *testMock) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c, err := m.scimClient()
		if err != nil {
			return err
		}
		for addr, rs := range s.RootModule().Resources {
			if rs.Type != "secureaccess_scim_user" {
				continue
			}
			_, err := c.Users.Get(t.Context(), rs.Primary.ID, nil)
			switch {
			case errors.Is(err, transport.ErrNotFound):
			case err != nil:
				return fmt.Errorf("reading %s (%s): %w", addr, rs.Primary.ID, err)
			default:
				return fmt.Errorf("%s (%s) still exists", addr, rs.Primary.ID)
			}
		}
		return nil
	}
}

// seedUser creates a user behind Terraform's back and returns it; u's
// names must already carry the test's prefix. In mock mode it goes
// straight into the store, so that seeding counts as no request; in live
// mode through the SCIM API.
func seedUser(t *testing.T, m *testMock, u scimserver.User) scimserver.User {
	t.Helper()
	if !m.live {
		u, err := m.scim(t).CreateUser(u)
		if err != nil {
			t.Fatalf("seeding user %q: %v", u.UserName, err)
		}
		return u
	}
	got, err := m.mustSCIMClient(t).Users.Create(t.Context(), userToSCIM(u))
	if err != nil {
		t.Fatalf("seeding user %q: %v", u.UserName, err)
	}
	return userFromSCIM(got)
}

// scimUserState is a known value check on an attribute of scimUserAddr.
func scimUserState(attribute string, check knownvalue.Check) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(scimUserAddr, tfjsonpath.New(attribute), check)
}
