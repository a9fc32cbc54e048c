package provider

import (
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// planOf is a ModifyPlan request whose plan is raw: null for a destroy.
func planOf(raw tftypes.Value) resource.ModifyPlanRequest {
	return resource.ModifyPlanRequest{Plan: tfsdk.Plan{Raw: raw}}
}

// TestClientAccess is the whole rule book of the provider data's
// accessors: what each operation gets of each API in each state of its
// settings, done as the resources do it. "client" is a client and no
// diagnostic; anything else is the diagnostics' summaries and no client.
// No request is sent: clients are built lazily.
func TestClientAccess(t *testing.T) {
	t.Parallel()
	settings := map[string]func() *providerData{
		"set": func() *providerData {
			return &providerData{version: "test", baseURL: "https://127.0.0.1:1", scimURL: "https://127.0.0.1:1/scim",
				scimToken: "t", clientID: "id", clientSecret: "secret"}
		},
		"unknown": func() *providerData {
			return &providerData{version: "test", scimTokenUnknown: true, adminUnknown: true}
		},
		"missing":      func() *providerData { return &providerData{version: "test", baseURL: "https://127.0.0.1:1"} },
		"unconfigured": func() *providerData { return nil },
	}
	const (
		scimUnknown  = "error SCIM Provisioning Token Not Known Yet"
		scimMissing  = "error Missing SCIM Provisioning Token"
		adminUnknown = "error Secure Access Admin API Credentials Not Known Yet"
		adminMissing = "error Missing Secure Access Admin API Credentials"
		bug          = "error Provider Not Configured"
	)
	// For each operation and API, the outcome with the settings set,
	// unknown, missing, and before Configure.
	rules := []struct {
		op, api string
		want    [4]string
	}{
		{"client", "scim", [4]string{"client", scimUnknown, scimMissing, bug}},
		{"client", "admin", [4]string{"client", adminUnknown, adminMissing, bug}},
		{"refresh", "scim", [4]string{"client", "warning SCIM Objects Not Refreshed", scimMissing, bug}},
		{"refresh", "admin", [4]string{"client", "warning Secure Access Objects Not Refreshed", adminMissing, bug}},
		{"delete", "scim", [4]string{"client", "warning SCIM Object Removed From State Only", scimMissing, bug}},
		{"import", "scim", [4]string{"", scimUnknown, scimMissing, ""}},
		{"import", "admin", [4]string{"", adminUnknown, "", ""}},
		{"plan", "scim", [4]string{"", "", scimMissing, ""}},
	}
	states := []string{"set", "unknown", "missing", "unconfigured"}
	for _, rule := range rules {
		for i, state := range states {
			t.Run(rule.op+"/"+rule.api+"/"+state, func(t *testing.T) {
				t.Parallel()
				d := settings[state]()
				api := apiSCIM
				if rule.api == "admin" {
					api = apiAdmin
				}
				var diags diag.Diagnostics
				gotClient := false
				// ok must say whether a client came.
				check := func(c any, ok bool) {
					gotClient = ok
					if ok == reflect.ValueOf(c).IsNil() {
						t.Errorf("client %v with ok %v", c, ok)
					}
				}
				switch {
				case rule.op == "client" && api == apiAdmin:
					check(d.adminClient(&diags))
				case rule.op == "client":
					check(d.scimClient(&diags))
				case rule.op == "refresh" && api == apiAdmin:
					check(d.adminForRefresh(&diags))
				case rule.op == "refresh":
					check(d.scimForRefresh(&diags))
				case rule.op == "delete":
					check(d.scimForDelete(`SCIM user "jane" (u1)`, &diags))
				}
				switch rule.op {
				case "import":
					diags = d.importCheck(api, "secureaccess_scim_user", "jane")
				case "plan":
					d.scimPlanCheck(planOf(tftypes.NewValue(tftypes.Object{}, map[string]tftypes.Value{})), &diags)
				}
				var got []string
				for _, dg := range diags {
					got = append(got, strings.ToLower(dg.Severity().String())+" "+dg.Summary())
				}
				want := rule.want[i]
				if want == "client" {
					if !gotClient || len(got) > 0 {
						t.Errorf("client %v, diagnostics %q; want a client and none", gotClient, got)
					}
					return
				}
				if gotClient || strings.Join(got, "; ") != want {
					t.Errorf("client %v, diagnostics %q; want no client and %q", gotClient, got, want)
				}
			})
		}
	}
}

// TestClientAccess_onceAndNamed: the "not refreshed" warning comes once per
// provider and API; the import error names the import and where provider
// goes; the delete warning names the object; a destroy plan needs no token.
func TestClientAccess_onceAndNamed(t *testing.T) {
	t.Parallel()
	d := &providerData{version: "test", scimTokenUnknown: true}
	for i, want := range []int{1, 0, 0} {
		var diags diag.Diagnostics
		if !d.refreshDeferred(apiSCIM, &diags) || len(diags) != want {
			t.Errorf("read %d: %d diagnostics, want %d, and the refresh deferred", i, len(diags), want)
		}
	}
	var diags diag.Diagnostics
	d.scimForDelete(`SCIM user "jane" (u1)`, &diags)
	if len(diags) != 1 || !strings.HasPrefix(diags[0].Detail(), `SCIM user "jane" (u1) could not be deleted`) {
		t.Errorf("delete: %v, want the warning naming the user", diags)
	}
	missing := &providerData{version: "test"}
	diags = nil
	if missing.scimPlanCheck(planOf(tftypes.NewValue(tftypes.Object{}, nil)), &diags); len(diags) != 0 {
		t.Errorf("destroy plan without a SCIM token: %v, want no diagnostic", diags)
	}
	diags = missing.importCheck(apiSCIM, "secureaccess_scim_user", "jane")
	if len(diags) != 1 || !strings.Contains(diags[0].Detail(), `The import of "jane" into secureaccess_scim_user`) ||
		!strings.Contains(diags[0].Detail(), "provider = secureaccess.scim") {
		t.Errorf("import: %v, want the error naming the import and the provider argument", diags)
	}
}
