package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
)

// TestClientVerdict is the whole rule book of the client accessors: what
// every operation gets of each API in each state of its settings.
func TestClientVerdict(t *testing.T) {
	t.Parallel()
	// For each operation, what SCIM and the admin API give with their
	// settings set, only known after apply, and missing a credential.
	rules := map[opKind]struct{ scim, admin [3]verdict }{
		opCreate: {scim: [3]verdict{giveClient, failUnknown, failMissing}, admin: [3]verdict{giveClient, failUnknown, failMissing}},
		opRead:   {scim: [3]verdict{giveClient, keepState, failMissing}, admin: [3]verdict{giveClient, keepState, failMissing}},
		opUpdate: {scim: [3]verdict{giveClient, failUnknown, failMissing}, admin: [3]verdict{giveClient, failUnknown, failMissing}},
		opDelete: {scim: [3]verdict{giveClient, stateOnly, failMissing}, admin: [3]verdict{giveClient, failUnknown, failMissing}},
		opImport: {scim: [3]verdict{passCheck, failUnknown, failImportMissing}, admin: [3]verdict{passCheck, failUnknown, passCheck}},
		opList:   {scim: [3]verdict{giveClient, failUnknown, failMissing}, admin: [3]verdict{giveClient, failUnknown, failMissing}},
		opLookup: {scim: [3]verdict{giveClient, failUnknown, failMissing}, admin: [3]verdict{giveClient, failUnknown, failMissing}},
		opPlan:   {scim: [3]verdict{passCheck, passCheck, failMissing}, admin: [3]verdict{giveClient, passCheck, failMissing}},
	}
	if len(rules) != int(opPlan)+1 {
		t.Fatalf("%d operations in the table, want every one (%d)", len(rules), opPlan+1)
	}
	for op, want := range rules {
		for s := range 3 {
			for api, w := range map[apiKind]verdict{apiSCIM: want.scim[s], apiAdmin: want.admin[s]} {
				if got := clientVerdict(api, op, settingsState(s)); got != w {
					t.Errorf("clientVerdict(api %d, op %d, settings %d) = %d, want %d", api, op, s, got, w)
				}
			}
		}
	}
}

// TestClientAccessors checks what scimFor and adminFor answer for every
// operation in each state of the settings: a client, or none, and the
// diagnostics' summaries, against providers that are set, unknown and
// missing their credentials. No request is sent: clients are built lazily.
func TestClientAccessors(t *testing.T) {
	t.Parallel()
	ops := map[string]operation{
		"create": opCreating, "read": opReading, "update": opUpdating, "delete": deleting(`SCIM user "jane" (u1)`),
		"import": importing("secureaccess_scim_user", "jane"), "list": opListing, "lookup": opLookingUp, "plan": opPlanning,
	}
	settings := map[string]func() *providerData{
		"set": func() *providerData {
			return &providerData{version: "test", baseURL: "https://127.0.0.1:1", scimURL: "https://127.0.0.1:1/scim",
				scimToken: "t", clientID: "id", clientSecret: "secret"}
		},
		"unknown": func() *providerData {
			return &providerData{version: "test", scimTokenUnknown: true, adminUnknown: true}
		},
		"missing": func() *providerData { return &providerData{version: "test", baseURL: "https://127.0.0.1:1"} },
	}
	summaries := map[apiKind]map[verdict]string{
		apiSCIM: {
			keepState:         "warning SCIM Objects Not Refreshed",
			stateOnly:         "warning SCIM Object Removed From State Only",
			failUnknown:       "error SCIM Provisioning Token Not Known Yet",
			failMissing:       "error Missing SCIM Provisioning Token",
			failImportMissing: "error Missing SCIM Provisioning Token",
		},
		apiAdmin: {
			keepState:   "warning Secure Access Objects Not Refreshed",
			failUnknown: "error Secure Access Admin API Credentials Not Known Yet",
			failMissing: "error Missing Secure Access Admin API Credentials",
		},
	}
	states := map[string]settingsState{"set": settingsSet, "unknown": settingsUnknown, "missing": settingsMissing}
	for opName, op := range ops {
		for sName, newData := range settings {
			t.Run(opName+"/"+sName, func(t *testing.T) {
				t.Parallel()
				d := newData()
				sc, scimDiags := d.scimFor(op)
				ac, adminDiags := d.adminFor(op)
				for _, c := range []struct {
					api       apiKind
					gotClient bool
					diags     diag.Diagnostics
				}{{apiSCIM, sc != nil, scimDiags}, {apiAdmin, ac != nil, adminDiags}} {
					v := clientVerdict(c.api, op.kind, states[sName])
					if c.gotClient != (v == giveClient) {
						t.Errorf("api %d: client returned %v, verdict %d", c.api, c.gotClient, v)
					}
					var got []string
					for _, dg := range c.diags {
						got = append(got, strings.ToLower(dg.Severity().String())+" "+dg.Summary())
					}
					if want := summaries[c.api][v]; strings.Join(got, "; ") != want {
						t.Errorf("api %d, verdict %d: diagnostics %q, want %q", c.api, v, got, want)
					}
				}
			})
		}
	}
}

// TestClientAccessors_onceAndUnconfigured: the "not refreshed" warning
// comes once per provider and API; before Configure, checks pass and calls
// are an error, not a panic.
func TestClientAccessors_onceAndUnconfigured(t *testing.T) {
	t.Parallel()
	d := &providerData{version: "test", scimTokenUnknown: true}
	for i, want := range []int{1, 0, 0} {
		if _, diags := d.scimFor(opReading); len(diags) != want {
			t.Errorf("read %d: %d diagnostics, want %d", i, len(diags), want)
		}
	}
	var unconfigured *providerData
	for name, op := range map[string]operation{"import": importing("secureaccess_scim_user", "u1"), "plan": opPlanning} {
		if _, diags := unconfigured.scimFor(op); diags.HasError() {
			t.Errorf("%s before Configure: %v, want no error", name, diags)
		}
	}
	if c, diags := unconfigured.scimFor(opCreating); c != nil || !diags.HasError() {
		t.Errorf("create before Configure: client %v, diagnostics %v; want an error", c, diags)
	}
	if c, diags := unconfigured.adminFor(opListing); c != nil || !diags.HasError() {
		t.Errorf("list before Configure: client %v, diagnostics %v; want an error", c, diags)
	}
}
