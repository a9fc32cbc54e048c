package provider

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// While the provider's scim_token is unknown (it comes from a token that
// the plan generates or rotates), refreshing a SCIM resource keeps its
// prior state, sends nothing, and warns once per provider; where Terraform
// allows deferrals, it defers instead. These drive the protocol directly,
// as Terraform does, because terraform-plugin-testing cannot make a
// provider configuration unknown.

// unknownTokenServer is a configured provider server whose scim_token is
// unknown and whose base_url points at a mock that must not be called.
func unknownTokenServer(t *testing.T, deferralAllowed bool) (tfprotov6.ProviderServer, *testMock, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	testAccMockOnly(t, "it asserts that the mock received no request at all")
	m := newTestMock(t)
	srv, schemas := configuredServer(t, deferralAllowed, map[string]tftypes.Value{
		"base_url":   tftypes.NewValue(tftypes.String, m.URL),
		"scim_token": tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
	})
	return srv, m, schemas
}

// configuredServer is a provider server configured with settings (every
// other attribute null), as Terraform configures it.
func configuredServer(t *testing.T, deferralAllowed bool, settings map[string]tftypes.Value) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	t.Helper()
	ctx := t.Context()
	srv := providerserver.NewProtocol6(New("test")())()
	schemas, err := srv.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	config := objectValue(t, schemas.Provider.ValueType(), settings)
	resp, err := srv.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{
		Config:             dynamicValue(t, schemas.Provider.ValueType(), config),
		ClientCapabilities: &tfprotov6.ConfigureProviderClientCapabilities{DeferralAllowed: deferralAllowed},
	})
	if err != nil || len(resp.Diagnostics) > 0 {
		t.Fatalf("ConfigureProvider: %v %+v", err, resp.Diagnostics)
	}
	return srv, schemas
}

// objectValue is an object of typ with every attribute null except set.
func objectValue(t *testing.T, typ tftypes.Type, set map[string]tftypes.Value) tftypes.Value {
	t.Helper()
	obj, ok := typ.(tftypes.Object)
	if !ok {
		t.Fatalf("%s is not an object type", typ)
	}
	values := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		values[name] = tftypes.NewValue(at, nil)
	}
	for name, v := range set {
		if _, ok := values[name]; !ok {
			t.Fatalf("no attribute %q", name)
		}
		values[name] = v
	}
	return tftypes.NewValue(obj, values)
}

func dynamicValue(t *testing.T, typ tftypes.Type, v tftypes.Value) *tfprotov6.DynamicValue {
	t.Helper()
	dv, err := tfprotov6.NewDynamicValue(typ, v)
	if err != nil {
		t.Fatal(err)
	}
	return &dv
}

// readGroup refreshes a secureaccess_scim_group whose state is id and
// display_name.
func readGroup(ctx context.Context, t *testing.T, srv tfprotov6.ProviderServer, schemas *tfprotov6.GetProviderSchemaResponse, deferralAllowed bool) (*tfprotov6.ReadResourceResponse, tftypes.Value) {
	t.Helper()
	typ := schemas.ResourceSchemas["secureaccess_scim_group"].ValueType()
	state := objectValue(t, typ, map[string]tftypes.Value{
		"id":           tftypes.NewValue(tftypes.String, "6c1f0b2e-0000-4000-8000-000000000001"),
		"display_name": tftypes.NewValue(tftypes.String, "OKTA - Secure Access Users"),
	})
	resp, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName:           "secureaccess_scim_group",
		CurrentState:       dynamicValue(t, typ, state),
		ClientCapabilities: &tfprotov6.ReadResourceClientCapabilities{DeferralAllowed: deferralAllowed},
	})
	if err != nil {
		t.Fatal(err)
	}
	return resp, state
}

func TestReadResource_unknownSCIMTokenKeepsPriorState(t *testing.T) {
	t.Parallel()
	srv, m, schemas := unknownTokenServer(t, false)
	typ := schemas.ResourceSchemas["secureaccess_scim_group"].ValueType()
	for i := range 3 {
		resp, state := readGroup(t.Context(), t, srv, schemas, false)
		if resp.Deferred != nil {
			t.Errorf("read %d deferred although Terraform does not allow it", i)
		}
		got, err := resp.NewState.Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		if !got.Equal(state) {
			t.Errorf("read %d changed the state:\n got %s\nwant %s", i, got, state)
		}
		var warnings []string
		for _, d := range resp.Diagnostics {
			if d.Severity == tfprotov6.DiagnosticSeverityError {
				t.Errorf("read %d: error %q: %s", i, d.Summary, d.Detail)
			}
			warnings = append(warnings, d.Summary)
		}
		want := 0
		if i == 0 {
			want = 1 // once per provider
		}
		if len(warnings) != want || (want == 1 && warnings[0] != "SCIM Objects Not Refreshed") {
			t.Errorf("read %d warned %q, want %d warning(s) \"SCIM Objects Not Refreshed\"", i, warnings, want)
		}
	}
	if n := m.Server.Stats().Total; n != 0 {
		t.Errorf("%d requests reached the service, want none", n)
	}
}

func TestReadResource_unknownSCIMTokenDefers(t *testing.T) {
	t.Parallel()
	srv, m, schemas := unknownTokenServer(t, true)
	resp, _ := readGroup(t.Context(), t, srv, schemas, true)
	if resp.Deferred == nil || resp.Deferred.Reason != tfprotov6.DeferredReasonProviderConfigUnknown {
		t.Errorf("Deferred = %+v, want reason ProviderConfigUnknown", resp.Deferred)
	}
	for _, d := range resp.Diagnostics {
		t.Errorf("unexpected diagnostic %q: %s", d.Summary, d.Detail)
	}
	if n := m.Server.Stats().Total; n != 0 {
		t.Errorf("%d requests reached the service, want none", n)
	}
}

// TestReadDataSource_unknownSCIMToken: a data source cannot keep a prior
// state, so it fails with one error that says how to read it.
func TestReadDataSource_unknownSCIMToken(t *testing.T) {
	t.Parallel()
	srv, m, schemas := unknownTokenServer(t, false)
	typ := schemas.DataSourceSchemas["secureaccess_scim_group"].ValueType()
	config := objectValue(t, typ, map[string]tftypes.Value{
		"display_name": tftypes.NewValue(tftypes.String, "OKTA - Secure Access Users"),
	})
	resp, err := srv.ReadDataSource(t.Context(), &tfprotov6.ReadDataSourceRequest{
		TypeName: "secureaccess_scim_group",
		Config:   dynamicValue(t, typ, config),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityError {
		t.Fatalf("diagnostics = %+v, want one error", resp.Diagnostics)
	}
	d := resp.Diagnostics[0]
	for _, want := range []string{
		"\n  depends_on = [secureaccess_provisioning_token.<name>]\n",
		"\n  terraform apply -target=secureaccess_provisioning_token.<name>\n",
	} {
		if !strings.Contains(d.Detail, want) {
			t.Errorf("%s: detail does not say %q on a line of its own:\n%s", d.Summary, want, d.Detail)
		}
	}
	if n := m.Server.Stats().Total; n != 0 {
		t.Errorf("%d requests reached the service, want none", n)
	}
}

// TestReadResource_unknownBaseURLWarnsPerAPI: with base_url unknown both
// APIs are unreachable; a SCIM and an admin refresh each keep their state
// and each API's warning comes once.
func TestReadResource_unknownBaseURLWarnsPerAPI(t *testing.T) {
	t.Parallel()
	testAccMockOnly(t, "it configures the provider server in process")
	ctx := t.Context()
	srv, schemas := configuredServer(t, false, map[string]tftypes.Value{
		"base_url":      tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"client_id":     tftypes.NewValue(tftypes.String, "id"),
		"client_secret": tftypes.NewValue(tftypes.String, "secret"),
		"scim_token":    tftypes.NewValue(tftypes.String, "token"),
	})
	integration := schemas.ResourceSchemas["secureaccess_directory_integration"].ValueType()
	integrationState := objectValue(t, integration, map[string]tftypes.Value{
		"id":                tftypes.NewValue(tftypes.String, "7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f"),
		"name":              tftypes.NewValue(tftypes.String, "OKTA Integration"),
		"identity_provider": tftypes.NewValue(tftypes.String, "okta"),
	})
	var got []string
	for range 2 {
		resp, _ := readGroup(ctx, t, srv, schemas, false)
		for _, d := range resp.Diagnostics {
			got = append(got, d.Summary)
		}
		aresp, err := srv.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
			TypeName:     "secureaccess_directory_integration",
			CurrentState: dynamicValue(t, integration, integrationState),
		})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := aresp.NewState.Unmarshal(integration); err != nil || !st.Equal(integrationState) {
			t.Errorf("the directory integration's state changed: %v %v", st, err)
		}
		for _, d := range aresp.Diagnostics {
			got = append(got, d.Summary)
		}
	}
	want := []string{"SCIM Objects Not Refreshed", "Secure Access Objects Not Refreshed"}
	if !slices.Equal(got, want) {
		t.Errorf("diagnostics over two rounds = %q, want %q", got, want)
	}
}

// TestReadResource_unknownBaseURLKnownSCIMURL: a known scim_url does not
// need base_url, so an unknown base_url leaves the SCIM refresh alone: the
// group is read (and found gone), with no "not refreshed" warning.
func TestReadResource_unknownBaseURLKnownSCIMURL(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	m := newTestMock(t)
	srv, schemas := configuredServer(t, false, map[string]tftypes.Value{
		"base_url":   tftypes.NewValue(tftypes.String, tftypes.UnknownValue),
		"scim_url":   tftypes.NewValue(tftypes.String, m.scimURL()),
		"scim_token": tftypes.NewValue(tftypes.String, m.SCIMToken),
	})
	resp, _ := readGroup(ctx, t, srv, schemas, false)
	for _, d := range resp.Diagnostics {
		t.Errorf("unexpected diagnostic %q: %s", d.Summary, d.Detail)
	}
	typ := schemas.ResourceSchemas["secureaccess_scim_group"].ValueType()
	if st, err := resp.NewState.Unmarshal(typ); err != nil || !st.IsNull() {
		t.Errorf("state after reading a group the service does not have = %v (%v), want none", st, err)
	}
	if n := m.Server.Stats().Count("GET /identity/v2/scim/Groups/{id}"); n == 0 {
		t.Error("the group was not read")
	}
}

// TestImportResourceState_invalidIDBeforeUnknownToken: an import ID that
// no form accepts is that error, whatever the token: each membership
// resource checks the ID first, like the other resources.
func TestImportResourceState_invalidIDBeforeUnknownToken(t *testing.T) {
	t.Parallel()
	srv, _, _ := unknownTokenServer(t, false)
	for typ, id := range map[string]string{
		"secureaccess_scim_group_member":  "user_name=jane",
		"secureaccess_scim_group_members": "name=Sales",
		"secureaccess_scim_group":         "userName=jane",
	} {
		resp, err := srv.ImportResourceState(t.Context(), &tfprotov6.ImportResourceStateRequest{TypeName: typ, ID: id})
		if err != nil {
			t.Fatal(err)
		}
		if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Summary != "Invalid Import ID" {
			var got []string
			for _, d := range resp.Diagnostics {
				got = append(got, d.Summary)
			}
			t.Errorf("%s import of %q: diagnostics %q, want one \"Invalid Import ID\"", typ, id, got)
		}
	}
}
