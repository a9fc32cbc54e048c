package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	fwresource "github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

const directoryIntegrationAddr = "secureaccess_directory_integration.okta"

func TestDirectoryIntegrationResourceModelFromAPI(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 3, 18, 12, 20, 0, 0, time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		in   admin.DirectoryIntegration
		want directoryIntegrationResourceModel
	}{
		{
			name: "full",
			in: admin.DirectoryIntegration{
				ID: "7f0c", Name: "OKTA Integration", IdentityProvider: "okta", ProvisioningMethod: "idp",
				ProvisioningURL: "https://api.sse.cisco.com/identity/v2/scim", UserCount: 3, GroupCount: 1, CreatedAt: created, ModifiedAt: created,
			},
			want: directoryIntegrationResourceModel{
				ID: types.StringValue("7f0c"), Name: types.StringValue("OKTA Integration"), IdentityProvider: types.StringValue("okta"),
				ProvisioningMethod: types.StringValue("idp"), ProvisioningURL: types.StringValue("https://api.sse.cisco.com/identity/v2/scim"),
				CreatedAt: types.StringValue("2026-03-18T11:20:00Z"), DeletionProtection: types.BoolValue(true),
			},
		},
		{
			name: "no creation time",
			in:   admin.DirectoryIntegration{ID: "1", Name: "Entra", IdentityProvider: "entra_id", ProvisioningMethod: "idp", ProvisioningURL: "u"},
			want: directoryIntegrationResourceModel{
				ID: types.StringValue("1"), Name: types.StringValue("Entra"), IdentityProvider: types.StringValue("entra_id"),
				ProvisioningMethod: types.StringValue("idp"), ProvisioningURL: types.StringValue("u"), CreatedAt: types.StringNull(),
				DeletionProtection: types.BoolValue(true),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got directoryIntegrationResourceModel
			got.fromAPI(&tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fromAPI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDirectoryIntegrationResourceModelToAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   directoryIntegrationResourceModel
		want admin.CreateDirectoryIntegrationRequest
	}{
		{
			name: "okta",
			in:   directoryIntegrationResourceModel{Name: types.StringValue("OKTA Integration"), IdentityProvider: types.StringValue("okta"), ID: types.StringUnknown()},
			want: admin.CreateDirectoryIntegrationRequest{Name: "OKTA Integration", IdentityProvider: "okta"},
		},
		{
			name: "entra",
			in:   directoryIntegrationResourceModel{Name: types.StringValue("Entra ID"), IdentityProvider: types.StringValue("entra_id")},
			want: admin.CreateDirectoryIntegrationRequest{Name: "Entra ID", IdentityProvider: "entra_id"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.in.toAPI()); diff != "" {
				t.Errorf("toAPI (-want +got):\n%s", diff)
			}
		})
	}
}

// checkDirectoryIntegrationsDestroyed asks the admin API that every
// directory integration in the state is gone.
func checkDirectoryIntegrationsDestroyed(m *testMock) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		c, err := m.adminClient()
		if err != nil {
			return err
		}
		for _, rs := range s.RootModule().Resources {
			if rs.Type != "secureaccess_directory_integration" {
				continue
			}
			d, err := c.DirectoryIntegrations.Get(context.Background(), rs.Primary.ID)
			switch {
			case errors.Is(err, transport.ErrNotFound):
			case err != nil:
				return fmt.Errorf("reading directory integration %s: %w", rs.Primary.ID, err)
			default:
				return fmt.Errorf("directory integration %s (%q) still exists", d.ID, d.Name)
			}
		}
		return nil
	}
}

// checkDirectoryIntegration asks the admin API that the directory
// integration in the state is named name (with the test's prefix) and has
// identity provider idp.
func checkDirectoryIntegration(t *testing.T, m *testMock, name, idp string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		id, err := stateAttr(s, directoryIntegrationAddr, "id")
		if err != nil {
			return err
		}
		c, err := m.adminClient()
		if err != nil {
			return err
		}
		d, err := c.DirectoryIntegrations.Get(t.Context(), id)
		if err != nil {
			return fmt.Errorf("reading directory integration %s: %w", id, err)
		}
		if d.Name != m.name(name) || d.IdentityProvider != idp {
			return fmt.Errorf("directory integration %s is %q (%s), want %q (%s)", id, d.Name, d.IdentityProvider, m.name(name), idp)
		}
		return nil
	}
}

// checkAdminRequestCount checks, in mock mode only, how many requests the
// mock counted for key.
func checkAdminRequestCount(m *testMock, key string, want int) resource.TestCheckFunc {
	return m.mockCheck(func(*terraform.State) error {
		if n := m.Server.Stats().Count(key); n != want {
			return fmt.Errorf("%d requests %s, want %d", n, key, want)
		}
		return nil
	})
}

func TestAccDirectoryIntegrationResource_basic(t *testing.T) {
	m := newAdminTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDirectoryIntegrationsDestroyed(m),
		Steps: []resource.TestStep{
			{
				Config: directoryIntegrationConfig(m, "OKTA Integration", "okta"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("name"), knownvalue.StringExact(m.name("OKTA Integration"))),
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("identity_provider"), knownvalue.StringExact("okta")),
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("provisioning_method"), knownvalue.StringExact("idp")),
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("provisioning_url"), knownvalue.StringExact(m.URL+scimPath)),
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("created_at"), knownvalue.StringRegexp(rfc3339Regexp)),
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: resource.ComposeTestCheckFunc(
					checkAdminRequestCount(m, "POST /admin/v2/directoryIntegrations", 1),
					checkDirectoryIntegration(t, m, "OKTA Integration", "okta"),
				),
			},
			{
				ResourceName:            directoryIntegrationAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"deletion_protection"},
				ImportStateCheck:        checkImportedProtected,
			},
			{
				ResourceName:            directoryIntegrationAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"deletion_protection"},
				ImportStateCheck:        checkImportedProtected,
				ImportStateId:           "name=" + m.name("okta integration"),
			},
		},
	})
}

// checkImportedProtected checks that an imported directory integration
// starts with deletion_protection on, whatever the configuration says.
func checkImportedProtected(states []*terraform.InstanceState) error {
	if len(states) != 1 {
		return fmt.Errorf("import gave %d resources, want 1", len(states))
	}
	if got := states[0].Attributes["deletion_protection"]; got != "true" {
		return fmt.Errorf("imported deletion_protection = %q, want true", got)
	}
	return nil
}

func TestAccDirectoryIntegrationResource_update(t *testing.T) {
	m := newAdminTestTarget(t)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDirectoryIntegrationsDestroyed(m),
		Steps: []resource.TestStep{
			{
				Config: directoryIntegrationConfig(m, "OKTA Integration", "okta"),
				Check: func(s *terraform.State) (err error) {
					firstID, err = stateAttr(s, directoryIntegrationAddr, "id")
					return err
				},
			},
			{
				Config: directoryIntegrationConfig(m, "OKTA Prod", "okta"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(directoryIntegrationAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: resource.ComposeTestCheckFunc(
					checkAdminRequestCount(m, "PATCH /admin/v2/directoryIntegrations/{id}", 1),
					resource.TestCheckResourceAttrPtr(directoryIntegrationAddr, "id", &firstID),
					checkDirectoryIntegration(t, m, "OKTA Prod", "okta"),
				),
			},
			{
				Config: directoryIntegrationConfig(m, "OKTA Prod", "entra_id"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(directoryIntegrationAddr, plancheck.ResourceActionReplace)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("identity_provider"), knownvalue.StringExact("entra_id")),
				},
			},
		},
	})
}

func TestAccDirectoryIntegrationResource_disappears(t *testing.T) {
	m := newAdminTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDirectoryIntegrationsDestroyed(m),
		Steps: []resource.TestStep{
			{
				Config: directoryIntegrationConfig(m, "OKTA Integration", "okta"),
				Check: func(s *terraform.State) error {
					id, err := stateAttr(s, directoryIntegrationAddr, "id")
					if err != nil {
						return err
					}
					return testAdminClient(t, m).DirectoryIntegrations.Delete(t.Context(), id)
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccDirectoryIntegrationResource_conflictAndValidation covers a 409 on
// create (the error says how to import) and bad arguments rejected at plan.
// The mock has "Acceptance" already; in live mode the test creates its own
// prefixed one first.
func TestAccDirectoryIntegrationResource_conflictAndValidation(t *testing.T) {
	m := newAdminTestTarget(t)
	if m.live {
		if _, err := testAdminClient(t, m).DirectoryIntegrations.Create(t.Context(),
			admin.CreateDirectoryIntegrationRequest{Name: m.name("Acceptance"), IdentityProvider: "okta"}); err != nil {
			t.Fatalf("creating the directory integration to conflict with: %v", err)
		}
	}
	taken := regexp.QuoteMeta(m.name("acceptance"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDirectoryIntegrationsDestroyed(m),
		Steps: []resource.TestStep{
			{
				Config:      directoryIntegrationConfig(m, "acceptance", "okta"),
				ExpectError: regexp.MustCompile(`(?s)409.*already exists.*id = "name=` + taken + `".*terraform import '<that address>'\s+"name=` + taken + `"`),
			},
			{
				Config:      directoryIntegrationConfig(m, "OKTA Integration", "azure"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)identity_provider.*value must be one of.*"entra_id"`),
			},
			{
				Config:      directoryIntegrationConfig(m, "", "okta"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)name.*string length must be between 1 and 255`),
			},
		},
	})
}

// protectedDirectoryConfig is a directory integration with identity
// provider idp and its token; protection is the deletion_protection line,
// or "" for the default.
func protectedDirectoryConfig(m *testMock, idp, protection string) string {
	return m.adminProviderConfig() + fmt.Sprintf(`
resource "secureaccess_directory_integration" "okta" {
  name              = %q
  identity_provider = %q
  %s
}

resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
}
`, m.name("Protected Integration"), idp, protection)
}

// seedThroughToken creates users and a group in the directory of the
// provisioning token in state, as an identity provider would.
func seedThroughToken(m *testMock, users int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		token, err := stateAttr(s, provisioningTokenAddr, "token")
		if err != nil {
			return err
		}
		c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: token, Config: transport.Config{MaxRetries: -1}})
		if err != nil {
			return err
		}
		ctx := context.Background()
		for i := range users {
			if _, err := c.Users.Create(ctx, &scim.User{UserName: m.name(fmt.Sprintf("pushed%d@example.com", i))}); err != nil {
				return fmt.Errorf("seeding a user: %w", err)
			}
		}
		if _, err := c.Groups.Create(ctx, &scim.Group{DisplayName: m.name("Pushed Group")}); err != nil {
			return fmt.Errorf("seeding a group: %w", err)
		}
		return nil
	}
}

// TestAccDirectoryIntegrationResource_deletionProtection: with
// deletion_protection at its default, a plan that replaces or destroys the
// integration fails and says how many users and groups it would delete
// (here 2 and 1, pushed behind Terraform's back); turning it off is an
// update that sends nothing, after which a replacement goes ahead.
func TestAccDirectoryIntegrationResource_deletionProtection(t *testing.T) {
	m := newAdminTestTarget(t)
	holds := `2\s+users\s+and\s+1\s+group\s+provisioned\s+through\s+it,\s+including\s+those\s+the\s+identity\s+provider\s+pushed`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDirectoryIntegrationsDestroyed(m),
		Steps: []resource.TestStep{
			{
				Config: protectedDirectoryConfig(m, "okta", ""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("deletion_protection"), knownvalue.Bool(true)),
				},
				Check: seedThroughToken(m, 2),
			},
			{
				Config:      protectedDirectoryConfig(m, "entra_id", ""),
				ExpectError: regexp.MustCompile(`(?s)Directory Integration Is Protected from Deletion.*Replacing \(a new\s+` + "`identity_provider`" + `\s+forces it\)\s+the\s+directory\s+integration.*would\s+delete\s+` + holds + `.*in the same change`),
			},
			{
				Config:      protectedDirectoryConfig(m, "okta", ""),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`(?s)Directory Integration Is Protected from Deletion.*Destroying\s+the\s+directory\s+integration.*would\s+delete\s+` + holds + `.*apply,\s+then\s+destroy.*deletion_protection = false`),
			},
			{
				Config: protectedDirectoryConfig(m, "okta", "deletion_protection = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(directoryIntegrationAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: checkAdminRequestCount(m, "PATCH /admin/v2/directoryIntegrations/{id}", 0),
			},
			{
				Config: protectedDirectoryConfig(m, "entra_id", "deletion_protection = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(directoryIntegrationAddr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(directoryIntegrationAddr, tfjsonpath.New("identity_provider"), knownvalue.StringExact("entra_id")),
				},
			},
		},
	})
}

// TestDirectoryIntegrationResource_modifyPlan: what a plan that destroys,
// replaces or updates the integration says, with protection on and off,
// and when the admin API settings are unknown.
func TestDirectoryIntegrationResource_modifyPlan(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	m := newTestMock(t)
	seedUser(t, m, scimserver.User{UserName: "jane@example.com", Active: new(true)})
	seedGroup(t, m, "Sales")
	seedGroup(t, m, "Marketing")
	dir, ok := m.Server.Store().Directory(m.DirectoryID)
	if !ok {
		t.Fatal("no bootstrapped directory")
	}
	var sresp fwresource.SchemaResponse
	(&directoryIntegrationResource{}).Schema(ctx, fwresource.SchemaRequest{}, &sresp)
	sch := sresp.Schema
	model := func(idp string, protection bool) tftypes.Value {
		var st tfsdk.State
		st.Schema = sch
		md := directoryIntegrationResourceModel{DeletionProtection: types.BoolValue(protection)}
		md.fromAPI(&admin.DirectoryIntegration{ID: dir.ID, Name: dir.Name, IdentityProvider: idp, ProvisioningMethod: "idp", ProvisioningURL: "u"})
		if diags := st.Set(ctx, md); diags.HasError() {
			t.Fatal(diags)
		}
		return st.Raw
	}
	null := tftypes.NewValue(sch.Type().TerraformType(ctx), nil)
	known := &providerData{version: "test", baseURL: m.URL, clientID: testClientID, clientSecret: testClientSecret, maxRetries: -1}
	unknown := &providerData{version: "test", adminUnknown: true}
	counted := "1 user and 2 groups provisioned through it, including those the identity provider pushed that no Terraform configuration manages"
	uncounted := "every user and group provisioned through it (their number is not known while the admin API settings are unknown), " +
		"including those the identity provider pushed that no Terraform configuration manages"
	name := fmt.Sprintf("directory integration %q (ID %s)", dir.Name, dir.ID)
	protectedErr := func(what, holds, off string) []diagSummary {
		return []diagSummary{{Severity: diag.SeverityError, Path: "deletion_protection", Summary: "Directory Integration Is Protected from Deletion",
			Detail: what + " the " + name + " would delete " + holds + ", and revoke its provisioning token. deletion_protection is on, so this plan fails.\n\n" +
				"If that is what you want, " + off + ":\n\n    deletion_protection = false"}}
	}
	deletedWarning := func(what string) []diagSummary {
		return []diagSummary{{Severity: diag.SeverityWarning, Path: "deletion_protection", Summary: "Directory Integration and Its Users and Groups Will Be Deleted",
			Detail: what + " the " + name + " deletes " + counted + ", and revokes its provisioning token. deletion_protection is off."}}
	}
	const replacing = "Replacing (a new `identity_provider` forces it)"
	tests := map[string]struct {
		data        *providerData
		state, plan tftypes.Value
		want        []diagSummary
	}{
		"destroy protected": {known, model("okta", true), null,
			protectedErr("Destroying", counted, "set deletion_protection = false in its configuration and apply, then destroy")},
		"destroy protected, admin unknown": {unknown, model("okta", true), null,
			protectedErr("Destroying", uncounted, "set deletion_protection = false in its configuration and apply, then destroy")},
		"destroy unprotected": {known, model("okta", false), null, deletedWarning("Destroying")},
		"replace protected": {known, model("okta", true), model("entra_id", true),
			protectedErr(replacing, counted, "set deletion_protection = false in its configuration, in the same change")},
		"replace, protection turned off in the same change": {known, model("okta", true), model("entra_id", false), deletedWarning(replacing)},
		"replace, protection turned on in the same change": {known, model("okta", false), model("entra_id", true),
			protectedErr(replacing, counted, "set deletion_protection = false in its configuration, in the same change")},
		"update in place, protected": {known, model("okta", true), model("okta", true), nil},
		"turn protection off":        {known, model("okta", true), model("okta", false), nil},
		"create":                     {known, null, model("okta", true), nil},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			req := fwresource.ModifyPlanRequest{State: tfsdk.State{Schema: sch, Raw: tt.state}, Plan: tfsdk.Plan{Schema: sch, Raw: tt.plan}}
			resp := fwresource.ModifyPlanResponse{Plan: req.Plan}
			(&directoryIntegrationResource{data: tt.data}).ModifyPlan(ctx, req, &resp)
			if diff := cmp.Diff(tt.want, summarize(resp.Diagnostics)); diff != "" {
				t.Errorf("ModifyPlan diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestAccDirectoryIntegrationResource_batchedRefresh: a plan that refreshes
// three directory integrations reads the first by id and the others from
// one listing (batch_refresh, the default), and still shows one renamed
// outside Terraform; with batch_refresh = false it reads each by id.
func TestAccDirectoryIntegrationResource_batchedRefresh(t *testing.T) {
	testAccMockOnly(t, "it counts the in-process mock's requests")
	m := newAdminTestTarget(t)
	const n = 3
	config := func(batch string) string {
		return "\nprovider \"secureaccess\" {\n" + m.providerArgs(false) + batch + "}\n" + fmt.Sprintf(`
resource "secureaccess_directory_integration" "d" {
  count               = %d
  name                = "%sBatched ${count.index}"
  identity_provider   = "okta"
  deletion_protection = false
}
`, n, m.Prefix)
	}
	reads := func(wantGets, wantLists int) func() {
		return func() {
			st := m.Server.Stats()
			if gets, lists := st.Count("GET /admin/v2/directoryIntegrations/{id}"), st.Count("GET /admin/v2/directoryIntegrations"); gets != wantGets || lists != wantLists {
				t.Errorf("the plan read directory integrations with %d GETs by id and %d listings, want %d and %d", gets, lists, wantGets, wantLists)
			}
			m.resetStats()
		}
	}
	var renamed string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkDirectoryIntegrationsDestroyed(m),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				Check:  captureAttr("secureaccess_directory_integration.d.2", "id", &renamed),
			},
			{
				PreConfig: func() {
					c, err := m.adminClient()
					if err != nil {
						t.Fatal(err)
					}
					if _, err := c.DirectoryIntegrations.Update(t.Context(), renamed, m.name("Renamed outside")); err != nil {
						t.Fatalf("renaming outside Terraform: %v", err)
					}
					m.resetStats()
				},
				Config:             config(""),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig:          reads(1, 1),
				Config:             config("  batch_refresh = false\n"),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
			{
				PreConfig: reads(n, 0),
				Config:    config(""),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("secureaccess_directory_integration.d[2]", plancheck.ResourceActionUpdate)},
				},
			},
		},
	})
}
