package provider

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
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
				CreatedAt: types.StringValue("2026-03-18T11:20:00Z"),
			},
		},
		{
			name: "no creation time",
			in:   admin.DirectoryIntegration{ID: "1", Name: "Entra", IdentityProvider: "entra_id", ProvisioningMethod: "idp", ProvisioningURL: "u"},
			want: directoryIntegrationResourceModel{
				ID: types.StringValue("1"), Name: types.StringValue("Entra"), IdentityProvider: types.StringValue("entra_id"),
				ProvisioningMethod: types.StringValue("idp"), ProvisioningURL: types.StringValue("u"), CreatedAt: types.StringNull(),
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
				ResourceName:      directoryIntegrationAddr,
				ImportState:       true,
				ImportStateVerify: true,
			},
			{
				ResourceName:      directoryIntegrationAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateId:     "name=" + m.name("okta integration"),
			},
		},
	})
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
				ExpectError: regexp.MustCompile(`(?s)409.*already exists.*terraform import secureaccess_directory_integration.<name>\s+"name=` + taken + `".*id = "name=` + taken + `"`),
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
