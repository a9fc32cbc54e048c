package provider

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// Live mode: with SECUREACCESS_BASE_URL set, the acceptance tests that can
// run against a real service use it (and SECUREACCESS_SCIM_TOKEN, and for
// the admin resources SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET)
// instead of a fresh in-process mock, and the tests that only a mock can run
// skip. Without it, every test runs against its own in-process mock.
//
// Everything a live run creates is named with a prefix unique to the test
// (testAccPrefix followed by random hex and "-"), deleted by that prefix
// when the test ends, pass or fail, and by the sweepers (sweep_test.go) if a
// run was killed. Nothing without testAccPrefix is ever deleted.

// testAccPrefix starts the name of every object a live run creates.
const testAccPrefix = "tfacc-"

// testAccLive reports whether the acceptance tests run against the service
// named by SECUREACCESS_BASE_URL rather than an in-process mock.
func testAccLive() bool { return os.Getenv(envBaseURL) != "" }

// envServerQuirks names, in live mode, what the SCIM service under test is
// known to do differently from Secure Access, comma-separated, so that the
// few tests that rely on it adapt or skip and say why. make
// testacc-interop sets it for each independent server it runs
// (scripts/testacc-interop.sh); against a Secure Access tenant it stays
// unset.
const envServerQuirks = "SECUREACCESS_ACC_SERVER_QUIRKS"

// Server quirks that tests adapt to.
const (
	// quirkFilterCaseSensitive: eq compares userName and displayName
	// with regard to letter case (RFC 7643 makes both case-insensitive,
	// and Secure Access compares them so).
	quirkFilterCaseSensitive = "filter-case-sensitive"
	// quirkFilterEscapesUndecoded: a filter value's \ and \" escapes
	// (RFC 7644 §3.4.2.2 takes them from JSON) are not decoded, so a
	// value holding " or \ cannot be looked up.
	quirkFilterEscapesUndecoded = "filter-escapes-undecoded"
)

// serverHasQuirk reports whether, in live mode, the service under test has
// the quirk (envServerQuirks).
func serverHasQuirk(name string) bool {
	return testAccLive() && slices.Contains(strings.Split(os.Getenv(envServerQuirks), ","), name)
}

// skipOnServerQuirk skips the test when the service under test has the
// quirk, saying why the test cannot pass there.
func skipOnServerQuirk(t *testing.T, name, why string) {
	t.Helper()
	if serverHasQuirk(name) {
		t.Skipf("the SCIM service under test has the quirk %s (%s): %s", name, envServerQuirks, why)
	}
}

// otherCase returns other, a letter-case variant of exact that a lookup
// compared without regard to case finds, unless the service under test
// compares filter values case-sensitively: then exact, so that the rest
// of the test still runs there.
func otherCase(exact, other string) string {
	if !strings.EqualFold(exact, other) {
		panic(fmt.Sprintf("otherCase(%q, %q): not the same but for letter case", exact, other))
	}
	if serverHasQuirk(quirkFilterCaseSensitive) {
		return exact
	}
	return other
}

// testAccPreCheck skips the test in live mode when the SCIM token is not
// set. In mock mode it does nothing: each test has its own mock.
func testAccPreCheck(t *testing.T) {
	t.Helper()
	if testAccLive() && os.Getenv(envSCIMToken) == "" {
		t.Skipf("live mode (%s is set) needs %s: the SCIM provisioning token of a directory integration whose users and groups the tests may create and delete",
			envBaseURL, envSCIMToken)
	}
}

// testAccAdminPreCheck is testAccPreCheck for the admin resources, which
// also need an API key in live mode.
func testAccAdminPreCheck(t *testing.T) {
	t.Helper()
	testAccPreCheck(t)
	if testAccLive() && (os.Getenv(envClientID) == "" || os.Getenv(envClientSecret) == "") {
		t.Skipf("live mode (%s is set) needs %s and %s for the admin resources (directory integrations, provisioning tokens); "+
			"Cisco publishes no admin API for them, so only the mock answers today", envBaseURL, envClientID, envClientSecret)
	}
}

// testAccMockOnly skips the test in live mode, saying why only an
// in-process mock can run it.
func testAccMockOnly(t *testing.T, why string) {
	t.Helper()
	if testAccLive() {
		t.Skipf("mock only (%s is set): %s", envBaseURL, why)
	}
}

// newTestTarget is the service a test that can run in both modes talks
// to: a fresh in-process mock, or in live mode the service of the
// environment, with a unique name prefix and a cleanup of what carries it.
func newTestTarget(t *testing.T) *testMock {
	t.Helper()
	testAccPreCheck(t)
	if !testAccLive() {
		return newTestMock(t)
	}
	m := liveTarget()
	m.Prefix = newTestPrefix(t)
	prefix := m.Prefix
	t.Cleanup(func() { m.sweep(t, prefix) })
	return m
}

// liveTarget is the service of the environment, without a prefix.
func liveTarget() *testMock {
	return &testMock{
		URL:          strings.TrimRight(os.Getenv(envBaseURL), "/"),
		SCIMURL:      os.Getenv(envSCIMURL),
		SCIMToken:    os.Getenv(envSCIMToken),
		ClientID:     os.Getenv(envClientID),
		ClientSecret: os.Getenv(envClientSecret),
		live:         true,
	}
}

// newAdminTestTarget is newTestTarget for tests of the admin resources.
func newAdminTestTarget(t *testing.T) *testMock {
	t.Helper()
	testAccAdminPreCheck(t)
	return newTestTarget(t)
}

// newTestPrefix returns testAccPrefix, 8 random hex digits and "-".
func newTestPrefix(t *testing.T) string {
	t.Helper()
	b := make([]byte, 4)
	if _, err := rand.Read(b); err != nil {
		t.Fatalf("random prefix: %v", err)
	}
	return testAccPrefix + hex.EncodeToString(b) + "-"
}

// name is s with the test's prefix: unchanged in mock mode, unique to the
// test in live mode.
func (m *testMock) name(s string) string { return m.Prefix + s }

// user is u with the test's prefix on its non-empty UserName and ExternalID.
func (m *testMock) user(u scimserver.User) scimserver.User {
	if u.UserName != "" {
		u.UserName = m.name(u.UserName)
	}
	if u.ExternalID != "" {
		u.ExternalID = m.name(u.ExternalID)
	}
	return u
}

// prefixNames gives the non-empty string values of the given attributes
// in a configuration body the test's prefix, so that a test's
// configurations stay readable and its objects stay its own in live mode.
// Only bodies whose values for attrs are literals belong here.
func (m *testMock) prefixNames(body string, attrs ...string) string {
	if m.Prefix == "" {
		return body
	}
	re := regexp.MustCompile(`((?:^|\s)(?:` + strings.Join(attrs, "|") + `)\s*=\s*")([^"])`)
	return re.ReplaceAllString(body, "${1}"+m.Prefix+"${2}")
}

// clientID is the API key's ID of the target.
func (m *testMock) clientID() string {
	if m.live {
		return m.ClientID
	}
	return testClientID
}

// clientSecret is the API key's secret of the target.
func (m *testMock) clientSecret() string {
	if m.live {
		return m.ClientSecret
	}
	return testClientSecret
}

// scimURL is the SCIM provisioning URL of the target for the tests' own
// clients (bypassing a recordSCIMRequests proxy).
func (m *testMock) scimURL() string {
	switch {
	case m.SCIMURL != "":
		return m.SCIMURL
	case m.directURL != "":
		return m.directURL + scimPath
	}
	return m.URL + scimPath
}

// scimClient is a SCIM client of the target, for checks and for changes
// behind Terraform's back.
func (m *testMock) scimClient() (*scim.Client, error) {
	c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: m.SCIMToken, Config: transport.Config{MaxRetries: 2}})
	if err != nil {
		return nil, fmt.Errorf("scim.NewClient: %w", err)
	}
	return c, nil
}

// mustSCIMClient is scimClient for code outside a check.
func (m *testMock) mustSCIMClient(t *testing.T) *scim.Client {
	t.Helper()
	c, err := m.scimClient()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// adminClient is an admin API client of the target.
func (m *testMock) adminClient() (*admin.Client, error) {
	cfg := admin.Config{BaseURL: m.URL, ClientID: m.clientID(), ClientSecret: m.clientSecret()}
	// The provider's windows at their test scale: this client shares them
	// (same API key), so that the checks' calls and the provider's
	// together stay inside a scaled mock's windows, in live mode too
	// (testacc-live.sh scales the mock's windows and TestMain the
	// provider's): a client at full length here would count the provider's
	// scaled calls against Cisco's real minute and wait most of one before
	// each check. Against a tenant the scale is 1 and both keep the real
	// windows.
	withTestWindows(&cfg)
	c, err := admin.NewClient(cfg)
	if err != nil {
		return nil, fmt.Errorf("admin.NewClient: %w", err)
	}
	return c, nil
}

// mockCheck is check in mock mode and no check in live mode: for the
// assertions on the mock's request counts or memory inside a test that
// otherwise runs in both modes.
func (m *testMock) mockCheck(check resource.TestCheckFunc) resource.TestCheckFunc {
	if m.live {
		return func(*terraform.State) error { return nil }
	}
	return check
}

// resetStats clears the mock's request counters; nothing in live mode. For
// a step's PreConfig.
func (m *testMock) resetStats() {
	if !m.live {
		m.Server.ResetStats()
		m.checks.Store(0)
	}
}

// sweep deletes the users, groups and (with an API key) directory
// integrations whose names start with prefix, the test's. Errors are
// logged: the sweepers catch what is left.
func (m *testMock) sweep(t *testing.T, prefix string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, err := range sweepPrefix(ctx, m, prefix) {
		t.Logf("cleanup of %s*: %v", prefix, err)
	}
}

// sweepPrefix deletes the SCIM users and groups, and with an API key the
// directory integrations, of the target whose names start with prefix,
// which must start with testAccPrefix. It returns the errors.
func sweepPrefix(ctx context.Context, m *testMock, prefix string) []error {
	if !strings.HasPrefix(prefix, testAccPrefix) {
		return []error{fmt.Errorf("refusing to delete by the prefix %q, which does not start with %q", prefix, testAccPrefix)}
	}
	var errs []error
	if m.SCIMToken != "" {
		c, err := m.scimClient()
		if err != nil {
			return []error{err}
		}
		errs = append(errs, sweepSCIM(ctx, c, prefix)...)
	}
	if m.clientID() != "" && m.clientSecret() != "" {
		errs = append(errs, sweepDirectories(ctx, m, prefix)...)
	}
	return errs
}

// sweepSCIM deletes the groups, then the users, named with prefix.
func sweepSCIM(ctx context.Context, c *scim.Client, prefix string) []error {
	var errs []error
	var groups, users []string
	for g, err := range c.Groups.All(ctx, &scim.ListOptions{Attributes: []string{"displayName"}}) {
		if err != nil {
			errs = append(errs, fmt.Errorf("listing groups: %w", err))
			break
		}
		if strings.HasPrefix(g.DisplayName, prefix) {
			groups = append(groups, g.ID)
		}
	}
	for u, err := range c.Users.All(ctx, &scim.ListOptions{Attributes: []string{"userName"}}) {
		if err != nil {
			errs = append(errs, fmt.Errorf("listing users: %w", err))
			break
		}
		if strings.HasPrefix(u.UserName, prefix) {
			users = append(users, u.ID)
		}
	}
	for _, id := range groups {
		if err := c.Groups.Delete(ctx, id); err != nil && !errors.Is(err, transport.ErrNotFound) {
			errs = append(errs, fmt.Errorf("deleting group %s: %w", id, err))
		}
	}
	for _, id := range users {
		if err := c.Users.Delete(ctx, id); err != nil && !errors.Is(err, transport.ErrNotFound) {
			errs = append(errs, fmt.Errorf("deleting user %s: %w", id, err))
		}
	}
	return errs
}

// sweepDirectories deletes the directory integrations named with prefix.
func sweepDirectories(ctx context.Context, m *testMock, prefix string) []error {
	c, err := m.adminClient()
	if err != nil {
		return []error{err}
	}
	dirs, err := c.DirectoryIntegrations.List(ctx)
	if err != nil {
		return []error{fmt.Errorf("listing directory integrations: %w", err)}
	}
	var errs []error
	for _, d := range dirs {
		if !strings.HasPrefix(d.Name, prefix) {
			continue
		}
		if err := c.DirectoryIntegrations.Delete(ctx, d.ID); err != nil && !errors.Is(err, transport.ErrNotFound) {
			errs = append(errs, fmt.Errorf("deleting directory integration %s: %w", d.ID, err))
		}
	}
	return errs
}

// userToSCIM is u as the SCIM client sends it.
func userToSCIM(u scimserver.User) *scim.User {
	out := &scim.User{UserName: u.UserName, Active: u.Active}
	str := func(v string) *string {
		if v == "" {
			return nil
		}
		return &v
	}
	out.ExternalID = str(u.ExternalID)
	out.DisplayName = str(u.DisplayName)
	if u.Name != (scimserver.Name{}) {
		out.Name = &scim.Name{GivenName: str(u.Name.GivenName), FamilyName: str(u.Name.FamilyName), Formatted: str(u.Name.Formatted)}
	}
	for _, e := range u.Emails {
		out.Emails = append(out.Emails, scim.Email{Value: e.Value, Type: e.Type, Primary: e.Primary})
	}
	if u.NativeObjectID != "" || u.AuthName != "" {
		out.Cisco = &scim.CiscoUserExtension{NativeObjectID: str(u.NativeObjectID), AuthName: str(u.AuthName)}
	}
	return out
}

// userFromSCIM is u in the mock store's shape, to compare with the
// expectations the tests write that way.
func userFromSCIM(u *scim.User) scimserver.User {
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	out := scimserver.User{
		ID: u.ID, ExternalID: deref(u.ExternalID), UserName: u.UserName, Active: u.Active,
		DisplayName: deref(u.DisplayName),
	}
	if u.Name != nil {
		out.Name = scimserver.Name{GivenName: deref(u.Name.GivenName), FamilyName: deref(u.Name.FamilyName), Formatted: deref(u.Name.Formatted)}
	}
	for _, e := range u.Emails {
		out.Emails = append(out.Emails, scimserver.Email{Value: e.Value, Type: e.Type, Primary: e.Primary})
	}
	if u.Cisco != nil {
		out.NativeObjectID = deref(u.Cisco.NativeObjectID)
		out.AuthName = deref(u.Cisco.AuthName)
	}
	return out
}
