package provider

import (
	"fmt"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
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
// with one directory integration ("Acceptance", Okta) and its SCIM token.
type testMock struct {
	Server      *mockserver.Server
	URL         string
	DirectoryID string
	SCIMToken   string
}

// newTestMock starts a mock for the test and stops it when the test ends.
func newTestMock(t *testing.T) *testMock {
	t.Helper()
	srv := mockserver.New(mockserver.Options{
		ClientID:     testClientID,
		ClientSecret: testClientSecret,
		Seed:         1,
	})
	ts := httptest.NewServer(srv)
	t.Cleanup(ts.Close)
	dir, token, err := srv.Bootstrap("Acceptance", "okta")
	if err != nil {
		t.Fatalf("bootstrapping the mock: %v", err)
	}
	return &testMock{Server: srv, URL: ts.URL, DirectoryID: dir.ID, SCIMToken: token}
}

// providerConfig is a provider block with every credential for this mock.
func (m *testMock) providerConfig() string {
	return fmt.Sprintf(`
provider "secureaccess" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
  scim_token    = %q
  max_retries   = 2
}
`, m.URL, testClientID, testClientSecret, m.SCIMToken)
}

// adminProviderConfig is a provider block with only the admin API key.
func (m *testMock) adminProviderConfig() string {
	return fmt.Sprintf(`
provider "secureaccess" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
}
`, m.URL, testClientID, testClientSecret)
}

// scim is the SCIM store of the bootstrapped directory, to assert on.
func (m *testMock) scim(t *testing.T) *scimsp.Store {
	t.Helper()
	s, ok := m.Server.Store().DirectorySCIM(m.DirectoryID)
	if !ok {
		t.Fatalf("directory %s is gone from the mock", m.DirectoryID)
	}
	return s
}
