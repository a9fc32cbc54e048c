package provider

import (
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccDirectoryIntegrationListResource_basic lists the directory
// integrations of the organization, by identity provider too, and imports
// one by identity with generated configuration.
func TestAccDirectoryIntegrationListResource_basic(t *testing.T) {
	m := newTestMock(t)
	entra, _, err := m.Server.Bootstrap("Entra Integration", "entra_id")
	if err != nil {
		t.Fatalf("seeding a directory integration: %v", err)
	}
	const addr = "secureaccess_directory_integration.okta"
	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   queryVersionChecks,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: directoryIntegrationConfig(m, "OKTA Integration", "okta"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("id")),
				},
			},
			{
				Query: true,
				Config: listBlock("secureaccess_directory_integration", "all", "  include_resource = true\n") +
					listBlock("secureaccess_directory_integration", "entra", "  config {\n    identity_provider = \"entra_id\"\n  }\n"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					// The mock's own "Acceptance", "Entra Integration" and the one Terraform created.
					querycheck.ExpectLength("secureaccess_directory_integration.all", 3),
					querycheck.ExpectIdentity("secureaccess_directory_integration.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(m.DirectoryID)}),
					querycheck.ExpectResourceDisplayName("secureaccess_directory_integration.all", byID(entra.ID), knownvalue.StringExact("Entra Integration")),
					querycheck.ExpectResourceKnownValues("secureaccess_directory_integration.all", byID(entra.ID), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.StringExact("Entra Integration")},
						{Path: tfjsonpath.New("identity_provider"), KnownValue: knownvalue.StringExact("entra_id")},
						{Path: tfjsonpath.New("provisioning_method"), KnownValue: knownvalue.StringExact("idp")},
						{Path: tfjsonpath.New("created_at"), KnownValue: knownvalue.StringRegexp(rfc3339Regexp)},
					}),
					querycheck.ExpectLength("secureaccess_directory_integration.entra", 1),
					querycheck.ExpectIdentity("secureaccess_directory_integration.entra", map[string]knownvalue.Check{"id": knownvalue.StringExact(entra.ID)}),
				},
			},
			{
				ResourceName:    addr,
				ImportState:     true,
				ImportStateKind: resource.ImportBlockWithResourceIdentity,
				GenerateConfig:  true,
			},
		},
	})
}
