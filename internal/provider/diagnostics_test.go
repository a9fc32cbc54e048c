package provider

// Tests of the diagnostics a new user meets first (issue 12, section 6):
// an unusable base_url, rejected credentials, a malformed import ID, a
// conflict on create, adoption, and a destroy that only deactivates.

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// diagSummary is what the tests compare of a diagnostic.
type diagSummary struct {
	Severity        diag.Severity
	Path            string
	Summary, Detail string
}

// summarize turns diagnostics into comparable values.
func summarize(diags diag.Diagnostics) []diagSummary {
	var out []diagSummary
	for _, d := range diags {
		s := diagSummary{Severity: d.Severity(), Summary: d.Summary(), Detail: d.Detail()}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			s.Path = wp.Path().String()
		}
		out = append(out, s)
	}
	return out
}

// configureProvider runs the provider's Configure with the given attributes
// set (strings and bools) and every other attribute null.
func configureProvider(t *testing.T, attrs map[string]any) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	values := map[string]tftypes.Value{}
	for name, a := range sresp.Schema.Attributes {
		typ := a.GetType().TerraformType(ctx)
		values[name] = tftypes.NewValue(typ, attrs[name])
	}
	raw := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), values)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: raw}}, &resp)
	return resp.Diagnostics
}

// TestConfigure_plainHTTP: a plain http base_url on a remote host is one
// error, on the attribute the user set, with the fix; scim_url, derived from
// it, is not reported as well.
func TestConfigure_plainHTTP(t *testing.T) {
	for _, env := range []string{envBaseURL, envSCIMURL, envClientID, envClientSecret, envSCIMToken, envInsecureHTTP} {
		t.Setenv(env, "")
	}
	tests := map[string]struct {
		attrs map[string]any
		env   map[string]string
		want  []diagSummary
	}{
		"base_url in the provider block": {
			attrs: map[string]any{"base_url": "http://10.1.2.3:8080"},
			want: []diagSummary{{
				Severity: diag.SeverityError, Path: "base_url", Summary: "Invalid Secure Access URL",
				Detail: `base_url is "http://10.1.2.3:8080": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
					"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
			}},
		},
		"base_url from the environment": {
			env: map[string]string{envBaseURL: "http://10.1.2.3:8080"},
			want: []diagSummary{{
				Severity: diag.SeverityError, Path: "base_url", Summary: "Invalid Secure Access URL",
				Detail: `The SECUREACCESS_BASE_URL environment variable (used because base_url is not set) is "http://10.1.2.3:8080": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
					"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
			}},
		},
		"scim_url set explicitly": {
			attrs: map[string]any{"scim_url": "http://10.1.2.3:8080/identity/v2/scim"},
			want: []diagSummary{{
				Severity: diag.SeverityError, Path: "scim_url", Summary: "Invalid Secure Access URL",
				Detail: `scim_url is "http://10.1.2.3:8080/identity/v2/scim": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
					"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
			}},
		},
		"insecure_http": {attrs: map[string]any{"base_url": "http://10.1.2.3:8080", "insecure_http": true}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			got := summarize(configureProvider(t, tt.attrs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Configure diagnostics mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// scimTokenRejectedFix is the fix of every SCIM call whose token got 401.
const scimTokenRejectedFix = "The SCIM provisioning token was rejected: it is wrong, expired or revoked " +
	"(generating a new token for a directory integration revokes the previous one at once), " +
	"or it belongs to another Secure Access organization than the one base_url (or scim_url) points to. " +
	"Generate a new token for the directory integration with \"Refresh SCIM Token\" in the Secure Access dashboard " +
	"or with a secureaccess_provisioning_token resource, then set it as scim_token in the provider block " +
	"or in the SECUREACCESS_SCIM_TOKEN environment variable."

// adminKeyRejectedFix is the fix of every admin API call whose API key got
// 401 from the token endpoint.
const adminKeyRejectedFix = "Check client_id and client_secret in the provider block, " +
	"or the SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET environment variables: " +
	"Secure Access does not accept this admin API key (wrong, deleted or expired). " +
	"Create a new key in the Secure Access dashboard under Admin > API Keys if needed."

// TestAddAPIError_rejectedCredentials pins the whole detail of a call whose
// credentials the mock rejects: the object once, the API's answer, the fix,
// and no secret.
func TestAddAPIError_rejectedCredentials(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	sc, err := scim.NewClient(scim.Config{URL: m.URL + scimPath, Token: "wrong-scim-token", Config: transport.Config{MaxRetries: -1}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := admin.Config{BaseURL: m.URL, ClientID: testClientID, ClientSecret: "wrong-client-secret"}
	cfg.RateLimit, cfg.MaxRetries = math.Inf(1), -1
	ac, err := admin.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}

	_, createErr := sc.Users.Create(t.Context(), &scim.User{UserName: "jane@example.com"})
	_, listErr := sc.Users.List(t.Context(), &scim.ListOptions{})
	_, lookupErr := sc.Users.GetByUserName(t.Context(), "jane@example.com")
	_, dirErr := ac.DirectoryIntegrations.Create(t.Context(), admin.CreateDirectoryIntegrationRequest{Name: "Okta", IdentityProvider: "okta"})

	var diags diag.Diagnostics
	addAPIError(&diags, "Error Creating SCIM User", `SCIM user "jane@example.com"`, createErr, "")
	addAPIError(&diags, "Error Listing SCIM Users", scimUsersObject(""), listErr, "")
	addAPIError(&diags, "Error Importing SCIM User", `SCIM user with user_name "jane@example.com"`, lookupErr, userLookupFix(lookupErr))
	addAPIError(&diags, "Error Creating Directory Integration", `Directory integration "Okta"`, dirErr, "")
	scimAnswer := "POST /identity/v2/scim/Users: 401 Unauthorized: unknown or revoked provisioning token"
	listAnswer := "GET /identity/v2/scim/Users: 401 Unauthorized: unknown or revoked provisioning token"
	want := []diagSummary{
		{Severity: diag.SeverityError, Summary: "Error Creating SCIM User", Detail: `SCIM user "jane@example.com": ` + scimAnswer + "\n\n" + scimTokenRejectedFix},
		{Severity: diag.SeverityError, Summary: "Error Listing SCIM Users", Detail: "SCIM users: " + listAnswer + "\n\n" + scimTokenRejectedFix},
		{Severity: diag.SeverityError, Summary: "Error Importing SCIM User", Detail: `SCIM user with user_name "jane@example.com": ` + listAnswer + "\n\n" + scimTokenRejectedFix},
		{Severity: diag.SeverityError, Summary: "Error Creating Directory Integration", Detail: `Directory integration "Okta": ` +
			"POST /auth/v2/token: 401 Unauthorized: the API key was rejected: check the client ID and client secret\n\n" + adminKeyRejectedFix},
	}
	if diff := cmp.Diff(want, summarize(diags)); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
}

// TestAddAPIError_failFast pins the diagnostics of the clients the provider
// builds (fail fast): the first call of a refused token or an unreachable
// service gets the whole error and what to check, every later one a line
// that names the object of the first; nothing else is sent.
func TestAddAPIError_failFast(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	for name, tt := range map[string]struct {
		data       *providerData
		firstError string
		fix        string
		cause      string
	}{
		"refused token": {
			data:       &providerData{version: "test", scimURL: m.URL + scimPath, scimToken: "wrong-scim-token", maxRetries: -1},
			firstError: "POST /identity/v2/scim/Users: 401 Unauthorized: unknown or revoked provisioning token",
			fix:        scimTokenRejectedFix,
			cause:      "the SCIM provisioning token of this provider configuration was rejected",
		},
		"unreachable": {
			data: &providerData{version: "test", scimURL: closed.URL + scimPath, scimToken: "not-used", maxRetries: 1},
			firstError: fmt.Sprintf(`after 2 attempts: Post "%s/identity/v2/scim/Users": dial tcp %s: connect: connection refused`,
				closed.URL, strings.TrimPrefix(closed.URL, "http://")),
			fix: "Secure Access could not be reached at " + closed.URL + ". Check base_url in the provider block or the SECUREACCESS_BASE_URL environment variable " +
				"(default https://api.sse.cisco.com), scim_url or SECUREACCESS_SCIM_URL if set (default: base_url followed by /identity/v2/scim), " +
				"and that the service is up and reachable from this machine: its host name resolves, and no firewall or proxy (HTTPS_PROXY) is in the way.",
			cause: "the service at " + closed.URL + " could not be reached",
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var diags diag.Diagnostics
			c, ok := tt.data.scimClient(&diags)
			if !ok {
				t.Fatal(diags)
			}
			before := m.Server.Stats().Total
			var got diag.Diagnostics
			_, err := c.Users.Create(t.Context(), &scim.User{UserName: "jane@example.com"})
			addAPIError(&got, "Error Creating SCIM User", `SCIM user "jane@example.com"`, err, "")
			_, err = c.Groups.Create(t.Context(), &scim.Group{DisplayName: "Engineering"})
			addAPIError(&got, "Error Creating SCIM Group", `SCIM group "Engineering"`, err, "some other fix")
			const note = "This provider configuration sends no other request to this API in this run: " +
				"its other resources and data sources fail with one line that points to this error."
			want := []diagSummary{
				{Severity: diag.SeverityError, Summary: "Error Creating SCIM User", Detail: `SCIM user "jane@example.com": ` + tt.firstError + "\n\n" + tt.fix + "\n\n" + note},
				{Severity: diag.SeverityError, Summary: "Error Creating SCIM Group", Detail: `SCIM group "Engineering": not sent, because ` + tt.cause +
					` earlier in this run; the error for SCIM user "jane@example.com" says what to check.`},
			}
			if diff := cmp.Diff(want, summarize(got)); diff != "" {
				t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
			}
			if name == "refused token" {
				if n := m.Server.Stats().Total - before; n != 1 {
					t.Errorf("%d requests reached the mock, want 1", n)
				}
			}
		})
	}
}

// TestAddAPIError_failFastAdmin: a rejected admin API key is one full
// error too, and one token request.
func TestAddAPIError_failFastAdmin(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	d := &providerData{version: "test", baseURL: m.URL, clientID: testClientID, clientSecret: "wrong-client-secret", maxRetries: -1, rateLimit: 1000}
	var diags diag.Diagnostics
	c, ok := d.adminClient(&diags)
	if !ok {
		t.Fatal(diags)
	}
	var got diag.Diagnostics
	_, err := c.DirectoryIntegrations.Create(t.Context(), admin.CreateDirectoryIntegrationRequest{Name: "Okta", IdentityProvider: "okta"})
	addAPIError(&got, "Error Creating Directory Integration", `Directory integration "Okta"`, err, "")
	_, err = c.ProvisioningTokens.Get(t.Context(), "dir-1")
	addAPIError(&got, "Error Reading Provisioning Token", `Provisioning token of directory integration "dir-1"`, err, "")
	want := []diagSummary{
		{Severity: diag.SeverityError, Summary: "Error Creating Directory Integration", Detail: `Directory integration "Okta": ` +
			"POST /auth/v2/token: 401 Unauthorized: the API key was rejected: check the client ID and client secret\n\n" + adminKeyRejectedFix + "\n\n" +
			"This provider configuration sends no other request to this API in this run: its other resources and data sources fail with one line that points to this error."},
		{Severity: diag.SeverityError, Summary: "Error Reading Provisioning Token", Detail: `Provisioning token of directory integration "dir-1": not sent, ` +
			`because the admin API key of this provider configuration was rejected earlier in this run; the error for Directory integration "Okta" says what to check.`},
	}
	if diff := cmp.Diff(want, summarize(got)); diff != "" {
		t.Errorf("diagnostics mismatch (-want +got):\n%s", diff)
	}
	if n := m.Server.Stats().Total; n != 1 {
		t.Errorf("%d requests reached the mock, want 1 (the token request)", n)
	}
}

// TestScimUsersObject: the data source names its filter only when one is set.
func TestScimUsersObject(t *testing.T) {
	t.Parallel()
	for filter, want := range map[string]string{"": "SCIM users", `userName sw "j"`: `SCIM users with filter userName sw "j"`} {
		if got := scimUsersObject(filter); got != want {
			t.Errorf("scimUsersObject(%q) = %q, want %q", filter, got, want)
		}
	}
}

// TestCheckImportID: an ID in a key=value form the resource does not know
// is refused, naming the accepted forms; anything else passes.
func TestCheckImportID(t *testing.T) {
	t.Parallel()
	tests := map[string]struct {
		id   string
		keys []string
		ok   bool
	}{
		"SCIM ID":             {id: "2819c223-7f76-453a-919d-413861904646", keys: []string{"user_name"}, ok: true},
		"natural key":         {id: "user_name=jane@example.com", keys: []string{"user_name"}, ok: true},
		"SCIM attribute name": {id: "userName=jane@example.com", keys: []string{"user_name"}},
		"other attribute":     {id: "displayName=Jane Doe", keys: []string{"user_name"}},
		"group key for user":  {id: "display_name=Engineering", keys: []string{"user_name"}},
		"no key accepted":     {id: "name=OKTA Integration"},
		"equals in the value": {id: "abc==", ok: true},
		"base64 ID, padded":   {id: "dXNlcjE=", keys: []string{"user_name"}, ok: true},
		"integer ID":          {id: "42", keys: []string{"user_name"}, ok: true},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := validImportID(tt.id, tt.keys...); got != tt.ok {
				t.Errorf("validImportID(%q, %q) = %v, want %v", tt.id, tt.keys, got, tt.ok)
			}
		})
	}
}

// scimUserResourceSchema is the resource's schema.
func scimUserResourceSchema(t *testing.T) resource.SchemaResponse {
	t.Helper()
	var resp resource.SchemaResponse
	(&scimUserResource{}).Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatalf("schema: %v", resp.Diagnostics)
	}
	return resp
}

// TestSCIMUserResource_adoptWarning: a create that adopts an existing user
// warns that someone else may manage it.
func TestSCIMUserResource_adoptWarning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newTestMock(t)
	existing := seedUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(true)})
	sresp := scimUserResourceSchema(t)
	r := &scimUserResource{data: &providerData{version: "test", scimURL: m.URL + scimPath, scimToken: m.SCIMToken, maxRetries: -1}}

	plan := tfsdk.Plan{Schema: sresp.Schema}
	model := scimUserResourceModel{OnDestroy: types.StringValue(onDestroyDelete), AdoptExisting: types.BoolValue(true)}
	model.ID = types.StringUnknown()
	model.UserName = newUserNameValue("Jane.Doe@example.com")
	model.DisplayName, model.ExternalID, model.NativeObjectID, model.AuthName = types.StringNull(), types.StringNull(), types.StringNull(), types.StringNull()
	model.Active = types.BoolValue(true)
	if diags := plan.Set(ctx, model); diags.HasError() {
		t.Fatalf("plan: %v", diags)
	}
	configured := tfsdk.Plan{Schema: sresp.Schema}
	model.ID = types.StringNull()
	if diags := configured.Set(ctx, model); diags.HasError() {
		t.Fatalf("config: %v", diags)
	}
	config := tfsdk.Config{Schema: sresp.Schema, Raw: configured.Raw}
	resp := resource.CreateResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)}}
	r.Create(ctx, resource.CreateRequest{Plan: plan, Config: config}, &resp)

	want := []diagSummary{{
		Severity: diag.SeverityWarning, Summary: "Existing SCIM User Adopted",
		Detail: fmt.Sprintf(`secureaccess_scim_user took over the SCIM user "Jane.Doe@example.com" (ID %s), which already existed, because adopt_existing = true, `+
			"and replaced its attributes with the configured ones. "+
			"Another resource, in this or another Terraform configuration, or the identity provider may also manage this user: "+
			"then each of them overwrites the other's changes. Make sure that only this resource manages it.", existing.ID),
	}}
	if diff := cmp.Diff(want, summarize(withoutPrivateState(resp.Diagnostics))); diff != "" {
		t.Errorf("Create diagnostics mismatch (-want +got):\n%s", diff)
	}
}

// withoutPrivateState is diags without the error of a response that has
// no private state: the framework gives every Create and Update one, but
// a test cannot make one (its type is internal to the framework).
func withoutPrivateState(diags diag.Diagnostics) diag.Diagnostics {
	var out diag.Diagnostics
	for _, d := range diags {
		if d.Summary() != "Uninitialized ProviderData" {
			out.Append(d)
		}
	}
	return out
}

// TestSCIMUserResource_deactivateWarning: planning the destroy of a user
// with on_destroy = "deactivate" warns that it is only deactivated.
func TestSCIMUserResource_deactivateWarning(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	sresp := scimUserResourceSchema(t)
	null := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), nil)
	for onDestroy, want := range map[string][]diagSummary{
		onDestroyDelete: nil,
		onDestroyDeactivate: {{
			Severity: diag.SeverityWarning, Summary: "SCIM User Will Be Deactivated, Not Deleted",
			Detail: `on_destroy = "deactivate": destroying this resource only sets active = false on the SCIM user "jane.doe@example.com" (ID 2819c223). ` +
				"The user is not deleted: it stays in the Secure Access directory integration, and Terraform no longer manages it. " +
				`To delete it instead, set on_destroy = "delete" and apply before destroying.`,
		}},
	} {
		state := tfsdk.State{Schema: sresp.Schema}
		model := scimUserResourceModel{OnDestroy: types.StringValue(onDestroy), AdoptExisting: types.BoolValue(false)}
		model.fromAPI(&scim.User{ID: "2819c223", UserName: "jane.doe@example.com"})
		if diags := state.Set(ctx, model); diags.HasError() {
			t.Fatalf("state: %v", diags)
		}
		resp := resource.ModifyPlanResponse{Plan: tfsdk.Plan{Schema: sresp.Schema, Raw: null}}
		(&scimUserResource{}).ModifyPlan(ctx, resource.ModifyPlanRequest{
			State: state, Plan: tfsdk.Plan{Schema: sresp.Schema, Raw: null}, Config: tfsdk.Config{Schema: sresp.Schema, Raw: null},
		}, &resp)
		if diff := cmp.Diff(want, summarize(resp.Diagnostics)); diff != "" {
			t.Errorf("on_destroy = %q: ModifyPlan diagnostics mismatch (-want +got):\n%s", onDestroy, diff)
		}
	}
}

// TestConfigure_provisioningURLAsBaseURL: the provisioning URL the
// dashboard shows, given as base_url, is an error that says where it
// goes, from the environment (when the provider is configured) as from
// the provider block (when Terraform validates it).
func TestConfigure_provisioningURLAsBaseURL(t *testing.T) {
	for _, env := range []string{envBaseURL, envSCIMURL, envClientID, envClientSecret, envSCIMToken, envInsecureHTTP} {
		t.Setenv(env, "")
	}
	const fix = `: that is the SCIM provisioning URL the dashboard shows beside the token. ` +
		"base_url is the service's address without a path, here https://api.sse.cisco.com: the provider adds /identity/v2/scim to it for SCIM, and uses it for the admin API too. " +
		"Set base_url to https://api.sse.cisco.com, or leave base_url unset for Cisco's https://api.sse.cisco.com; only a SCIM endpoint somewhere else goes in scim_url."
	t.Setenv(envBaseURL, "https://api.sse.cisco.com/identity/v2/scim/")
	want := []diagSummary{{
		Severity: diag.SeverityError, Path: "base_url", Summary: "Invalid Secure Access URL",
		Detail: `The SECUREACCESS_BASE_URL environment variable (used because base_url is not set) is "https://api.sse.cisco.com/identity/v2/scim/"` + fix,
	}}
	if diff := cmp.Diff(want, summarize(configureProvider(t, nil))); diff != "" {
		t.Errorf("Configure diagnostics mismatch (-want +got):\n%s", diff)
	}

	ctx := context.Background()
	for raw, wantErr := range map[string]bool{
		"https://api.sse.cisco.com/identity/v2/scim":  true,
		"http://127.0.0.1:8080/identity/v2/scim/":     true,
		"https://api.sse.cisco.com":                   false,
		"https://proxy.example.com/secure-access/":    false,
		"https://api.sse.cisco.com/identity/v2/scimx": false,
	} {
		var resp validator.StringResponse
		urlValidator{base: true}.ValidateString(ctx, validator.StringRequest{Path: path.Root("base_url"), ConfigValue: types.StringValue(raw)}, &resp)
		if resp.Diagnostics.HasError() != wantErr {
			t.Errorf("base_url %q: errors %v, want an error: %t", raw, resp.Diagnostics, wantErr)
		}
	}
	var resp validator.StringResponse
	urlValidator{}.ValidateString(ctx, validator.StringRequest{Path: path.Root("scim_url"), ConfigValue: types.StringValue("https://api.sse.cisco.com/identity/v2/scim")}, &resp)
	if resp.Diagnostics.HasError() {
		t.Errorf("scim_url set to the provisioning URL: %v, want no error", resp.Diagnostics)
	}
}
