package provider

import (
	"context"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// configureWith runs the provider's Configure with attrs (strings, bools,
// *big.Float numbers, or tftypes.UnknownValue) set and every other
// attribute null, and returns its response.
func configureWith(t *testing.T, attrs map[string]any) provider.ConfigureResponse {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	values := map[string]tftypes.Value{}
	for name, a := range sresp.Schema.Attributes {
		values[name] = tftypes.NewValue(a.GetType().TerraformType(ctx), attrs[name])
	}
	raw := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), values)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: raw}}, &resp)
	return resp
}

// clearProviderEnv unsets every environment variable the provider reads.
func clearProviderEnv(t *testing.T) {
	t.Helper()
	for _, env := range []string{envBaseURL, envSCIMURL, envClientID, envClientSecret, envSCIMToken, envInsecureHTTP} {
		t.Setenv(env, "")
	}
}

// TestConfigure_checkSpendsNoExtraToken: a valid configuration costs one
// token request at Configure and one SCIM request, and the admin call
// that follows uses that token: one token request in all, as without the
// check.
func TestConfigure_checkSpendsNoExtraToken(t *testing.T) {
	clearProviderEnv(t)
	m := newTestMock(t)
	resp := configureWith(t, map[string]any{"base_url": m.URL, "client_id": testClientID, "client_secret": testClientSecret, "scim_token": m.SCIMToken})
	if resp.Diagnostics.HasError() {
		t.Fatalf("Configure: %v", resp.Diagnostics)
	}
	stats := m.Server.Stats()
	if stats.Total != 2 || stats.Count("POST /auth/v2/token") != 1 || stats.Count("GET /identity/v2/scim/Users") != 1 {
		t.Errorf("Configure sent %v, want one token request and one SCIM list", stats.Requests)
	}
	data, ok := resp.ResourceData.(*providerData)
	if !ok {
		t.Fatalf("ResourceData is %T", resp.ResourceData)
	}
	var diags diag.Diagnostics
	client, ok := data.adminClient(&diags)
	if !ok {
		t.Fatal(diags)
	}
	if _, err := client.DirectoryIntegrations.List(t.Context()); err != nil {
		t.Fatal(err)
	}
	if n := m.Server.Stats().Count("POST /auth/v2/token"); n != 1 {
		t.Errorf("%d token requests for Configure and an admin call, want 1: the call must use the token Configure obtained", n)
	}
}

// TestConfigure_checks: the one error of each mistake Configure finds, and
// what it does not check.
func TestConfigure_checks(t *testing.T) {
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	noRetries := new(big.Float)
	tests := map[string]struct {
		attrs func(m *testMock) map[string]any
		// faults are the mock's during Configure.
		faults   []mockserver.FaultRule
		want     func(m *testMock) []diagSummary
		requests map[string]int
	}{
		"valid": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "client_id": testClientID, "client_secret": testClientSecret, "scim_token": m.SCIMToken}
			},
			requests: map[string]int{"POST /auth/v2/token": 1, "GET /identity/v2/scim/Users": 1},
		},
		"SCIM token rejected": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "scim_token": "wrong-scim-token"}
			},
			want: func(*testMock) []diagSummary {
				return []diagSummary{{Severity: diag.SeverityError, Summary: "SCIM Provisioning Token Rejected",
					Detail: "Checking the SCIM provisioning token (one request for one user) when Terraform configured the provider: " +
						"GET /identity/v2/scim/Users: 401 Unauthorized: unknown or revoked provisioning token\n\n" + scimTokenRejectedFix +
						"\n\nTerraform read and changed nothing with this provider configuration."}}
			},
			requests: map[string]int{"GET /identity/v2/scim/Users": 1},
		},
		"admin API key rejected": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "client_id": testClientID, "client_secret": "wrong-client-secret", "scim_token": m.SCIMToken}
			},
			want: func(*testMock) []diagSummary {
				return []diagSummary{{Severity: diag.SeverityError, Summary: "Secure Access Admin API Key Rejected",
					Detail: "Obtaining an access token for the admin API when Terraform configured the provider: " +
						"POST /auth/v2/token: 401 Unauthorized: the API key was rejected: check the client ID and client secret\n\n" + adminKeyRejectedFix +
						"\n\nTerraform read and changed nothing with this provider configuration."}}
			},
			// The SCIM token is right and checked too: one error per mistake.
			requests: map[string]int{"POST /auth/v2/token": 1, "GET /identity/v2/scim/Users": 1},
		},
		"scim_url without SCIM endpoint": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "scim_url": m.URL + "/scim/v2", "scim_token": m.SCIMToken}
			},
			want: func(m *testMock) []diagSummary {
				return []diagSummary{{Severity: diag.SeverityError, Summary: "SCIM Endpoint Not Found",
					Detail: "Checking the SCIM provisioning token (one request for one user) when Terraform configured the provider: " +
						"GET /scim/v2/Users: 404 Not Found: no route for GET /scim/v2/Users\n\n" +
						"No SCIM endpoint answers at " + m.URL + "/scim/v2, the SCIM URL taken from scim_url. " +
						"Secure Access serves it at base_url followed by /identity/v2/scim (https://api.sse.cisco.com/identity/v2/scim): " +
						"set base_url to the API's address without a path, and leave scim_url unset unless the SCIM endpoint is elsewhere." +
						"\n\nTerraform read and changed nothing with this provider configuration."}}
			},
			requests: map[string]int{"UNMATCHED": 1},
		},
		"base_url with a path": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL + "/v2", "scim_token": m.SCIMToken}
			},
			want: func(m *testMock) []diagSummary {
				return []diagSummary{{Severity: diag.SeverityError, Summary: "SCIM Endpoint Not Found",
					Detail: "Checking the SCIM provisioning token (one request for one user) when Terraform configured the provider: " +
						"GET /v2/identity/v2/scim/Users: 404 Not Found: no route for GET /v2/identity/v2/scim/Users\n\n" +
						"No SCIM endpoint answers at " + m.URL + "/v2/identity/v2/scim, the SCIM URL taken from base_url followed by /identity/v2/scim. " +
						"Secure Access serves it at base_url followed by /identity/v2/scim (https://api.sse.cisco.com/identity/v2/scim): " +
						"set base_url to the API's address without a path, and leave scim_url unset unless the SCIM endpoint is elsewhere." +
						"\n\nTerraform read and changed nothing with this provider configuration."}}
			},
			requests: map[string]int{"UNMATCHED": 1},
		},
		"service error is left to the resources": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "scim_token": m.SCIMToken, "max_retries": noRetries}
			},
			faults: []mockserver.FaultRule{{Route: "GET /identity/v2/scim/Users", Rate500: 1}},
			want: func(*testMock) []diagSummary {
				return []diagSummary{{Severity: diag.SeverityWarning, Summary: "Secure Access Check Not Completed",
					Detail: "Checking the SCIM provisioning token (one request for one user) failed when Terraform configured the provider, after its retries: " +
						"GET /identity/v2/scim/Users: 500 Internal Server Error: Internal server error (injected fault).\n\n" +
						"The provider goes on: each resource and data source sends its own requests, and meets this failure again if it lasts."}}
			},
			requests: map[string]int{"GET /identity/v2/scim/Users": 1},
		},
		"scim_token unknown": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "client_id": testClientID, "client_secret": testClientSecret, "scim_token": tftypes.UnknownValue}
			},
			requests: map[string]int{"POST /auth/v2/token": 1},
		},
		"client_secret unknown": {
			attrs: func(m *testMock) map[string]any {
				return map[string]any{"base_url": m.URL, "client_id": testClientID, "client_secret": tftypes.UnknownValue, "scim_token": m.SCIMToken}
			},
			requests: map[string]int{"GET /identity/v2/scim/Users": 1},
		},
		"no credentials": {
			attrs:    func(m *testMock) map[string]any { return map[string]any{"base_url": m.URL} },
			requests: map[string]int{},
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			clearProviderEnv(t)
			m := newTestMock(t)
			m.Server.SetFaults(tt.faults...)
			resp := configureWith(t, tt.attrs(m))
			var want []diagSummary
			if tt.want != nil {
				want = tt.want(m)
			}
			if diff := cmp.Diff(want, summarize(resp.Diagnostics)); diff != "" {
				t.Errorf("Configure diagnostics mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.requests, m.Server.Stats().Requests); diff != "" {
				t.Errorf("requests Configure sent (-want +got):\n%s", diff)
			}
			for _, d := range resp.Diagnostics {
				if strings.Contains(d.Detail(), "wrong-") || strings.Contains(d.Detail(), m.SCIMToken) || strings.Contains(d.Detail(), testClientSecret) {
					t.Errorf("diagnostic %q holds a credential", d.Detail())
				}
			}
		})
	}

	// A service that cannot be reached is one error, even with both APIs
	// configured: the SCIM check does not ask the same host again.
	clearProviderEnv(t)
	resp := configureWith(t, map[string]any{"base_url": closed.URL, "client_id": testClientID, "client_secret": testClientSecret,
		"scim_token": "not-sent", "max_retries": noRetries})
	want := []diagSummary{{Severity: diag.SeverityError, Summary: "Secure Access Not Reachable"}}
	got := summarize(resp.Diagnostics)
	for i := range got {
		if !strings.Contains(got[i].Detail, "Secure Access could not be reached at "+closed.URL+". Check base_url") {
			t.Errorf("detail %q does not say what to check", got[i].Detail)
		}
		got[i].Detail = ""
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Configure of an unreachable service (-want +got):\n%s", diff)
	}
}
