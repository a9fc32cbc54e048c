package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
)

func TestDirectoryIntegrationDataSourceModelFromAPI(t *testing.T) {
	t.Parallel()
	created := time.Date(2026, 3, 18, 12, 20, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   admin.DirectoryIntegration
		want directoryIntegrationDataSourceModel
	}{
		{
			name: "with counts",
			in: admin.DirectoryIntegration{
				ID: "7f0c", Name: "OKTA Integration", IdentityProvider: "okta", ProvisioningMethod: "idp", ProvisioningURL: "https://api.sse.cisco.com/identity/v2/scim",
				UserCount: 42, GroupCount: 3, CreatedAt: created, ModifiedAt: created.Add(time.Hour),
			},
			want: directoryIntegrationDataSourceModel{
				ID: types.StringValue("7f0c"), Name: types.StringValue("OKTA Integration"), IdentityProvider: types.StringValue("okta"),
				ProvisioningMethod: types.StringValue("idp"), ProvisioningURL: types.StringValue("https://api.sse.cisco.com/identity/v2/scim"),
				UserCount: types.Int64Value(42), GroupCount: types.Int64Value(3),
				CreatedAt: types.StringValue("2026-03-18T12:20:00Z"), ModifiedAt: types.StringValue("2026-03-18T13:20:00Z"),
			},
		},
		{
			name: "empty directory",
			in:   admin.DirectoryIntegration{ID: "1", Name: "Google", IdentityProvider: "google", ProvisioningMethod: "idp", ProvisioningURL: "u", CreatedAt: created, ModifiedAt: created},
			want: directoryIntegrationDataSourceModel{
				ID: types.StringValue("1"), Name: types.StringValue("Google"), IdentityProvider: types.StringValue("google"),
				ProvisioningMethod: types.StringValue("idp"), ProvisioningURL: types.StringValue("u"),
				UserCount: types.Int64Value(0), GroupCount: types.Int64Value(0),
				CreatedAt: types.StringValue("2026-03-18T12:20:00Z"), ModifiedAt: types.StringValue("2026-03-18T12:20:00Z"),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got directoryIntegrationDataSourceModel
			got.fromAPI(&tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fromAPI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDirectoryIntegrationsDataSourceModelFromAPI(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      []admin.DirectoryIntegration
		wantIDs []string
	}{
		{name: "none", in: nil, wantIDs: []string{}},
		{name: "in order", in: []admin.DirectoryIntegration{{ID: "b", Name: "B"}, {ID: "a", Name: "A"}}, wantIDs: []string{"b", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got directoryIntegrationsDataSourceModel
			got.fromAPI(tt.in)
			ids := []string{}
			for _, d := range got.DirectoryIntegrations {
				ids = append(ids, d.ID.ValueString())
			}
			if diff := cmp.Diff(tt.wantIDs, ids); diff != "" {
				t.Errorf("fromAPI ids (-want +got):\n%s", diff)
			}
			if got.DirectoryIntegrations == nil {
				t.Error("fromAPI left a nil list, which Terraform would show as null")
			}
		})
	}
}

// TestAccDirectoryIntegrationDataSource_basic reads the bootstrapped
// directory by name (with counts from seeded users and groups), a managed
// one by ID, and the list of both.
func TestAccDirectoryIntegrationDataSource_basic(t *testing.T) {
	testAccMockOnly(t, "it asserts the exact list and user and group counts of every directory integration, which only a fresh mock has")
	m := newTestMock(t)
	store := m.scim(t)
	for _, u := range []string{"jane.doe@example.com", "john.roe@example.com"} {
		if _, err := store.CreateUser(scimsp.User{UserName: u, Active: new(true)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := store.CreateGroup(scimsp.Group{DisplayName: "OKTA - Secure Access Users"}); err != nil {
		t.Fatal(err)
	}
	config := directoryIntegrationConfig(m, "Entra Integration", "entra_id") + `
data "secureaccess_directory_integration" "by_name" {
  name = "ACCEPTANCE"
}

data "secureaccess_directory_integration" "by_id" {
  id = secureaccess_directory_integration.okta.id
}

data "secureaccess_directory_integrations" "all" {
  depends_on = [secureaccess_directory_integration.okta]
}
`
	byName, byID, all := "data.secureaccess_directory_integration.by_name", "data.secureaccess_directory_integration.by_id", "data.secureaccess_directory_integrations.all"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config:      m.adminProviderConfig() + `data "secureaccess_directory_integration" "x" { name = "No Such Directory" }`,
				ExpectError: regexp.MustCompile(`(?s)Error Reading Directory Integration.*No Such Directory.*not found`),
			},
			{
				Config: m.adminProviderConfig() + fmt.Sprintf(`
data "secureaccess_directory_integration" "x" {
  id   = %q
  name = "Acceptance"
}
`, m.DirectoryID),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes must be configured`),
			},
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("id"), knownvalue.StringExact(m.DirectoryID)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("name"), knownvalue.StringExact("Acceptance")),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("identity_provider"), knownvalue.StringExact("okta")),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("user_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("group_count"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("modified_at"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("name"), knownvalue.StringExact("Entra Integration")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("provisioning_url"), knownvalue.StringExact(m.URL+scimPath)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("user_count"), knownvalue.Int64Exact(0)),
					statecheck.ExpectKnownValue(all, tfjsonpath.New("directory_integrations"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Acceptance"), "user_count": knownvalue.Int64Exact(2)}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("Entra Integration"), "identity_provider": knownvalue.StringExact("entra_id")}),
					})),
				},
			},
		},
	})
}
