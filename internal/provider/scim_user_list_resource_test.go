package provider

import (
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// TestAccSCIMUserListResource_basic lists the users an identity provider
// pushed, through a service that pages by two: each once, shown by its
// user name, with the values secureaccess_scim_user would read
// (include_resource) and the resource's own settings at their defaults; a
// userName eq filter; filters the service refuses; and a malformed one,
// which validation refuses before the query.
func TestAccSCIMUserListResource_basic(t *testing.T) {
	m := newTestMock(t)
	pages := capSCIMPages(t, m, 2)
	jane := seedUser(t, m, scimserver.User{
		UserName: "jane.doe@example.com", ExternalID: "00u1jane", Active: new(true), DisplayName: "Jane Doe",
		Name:           scimserver.Name{GivenName: "Jane", FamilyName: "Doe"},
		Emails:         []scimserver.Email{{Value: "jane.doe@example.com", Type: "work", Primary: true}},
		NativeObjectID: "8f1e2a3b-0000-4e6a-9c7d-5d0a3c8e2b1f",
	})
	john := seedUser(t, m, scimserver.User{UserName: "john.roe@example.com", Active: new(false)})
	third := seedUser(t, m, scimserver.User{UserName: "third@example.com", Active: new(true)})

	byID := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"id": knownvalue.StringExact(id)})
	}
	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   queryVersionChecks,
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{Config: m.providerConfig()},
			{
				PreConfig: pages.reset,
				Query:     true,
				Config: listBlock("secureaccess_scim_user", "all", "  include_resource = true\n") +
					listBlock("secureaccess_scim_user", "jane", "  config {\n    filter = \"userName eq \\\"JANE.DOE@example.com\\\"\"\n  }\n"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("secureaccess_scim_user.all", 3),
					querycheck.ExpectIdentity("secureaccess_scim_user.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(jane.ID)}),
					querycheck.ExpectIdentity("secureaccess_scim_user.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(john.ID)}),
					querycheck.ExpectIdentity("secureaccess_scim_user.all", map[string]knownvalue.Check{"id": knownvalue.StringExact(third.ID)}),
					querycheck.ExpectResourceDisplayName("secureaccess_scim_user.all", byID(jane.ID), knownvalue.StringExact("jane.doe@example.com")),
					querycheck.ExpectResourceDisplayName("secureaccess_scim_user.all", byID(john.ID), knownvalue.StringExact("john.roe@example.com")),
					querycheck.ExpectResourceKnownValues("secureaccess_scim_user.all", byID(jane.ID), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("id"), KnownValue: knownvalue.StringExact(jane.ID)},
						{Path: tfjsonpath.New("user_name"), KnownValue: knownvalue.StringExact("jane.doe@example.com")},
						{Path: tfjsonpath.New("display_name"), KnownValue: knownvalue.StringExact("Jane Doe")},
						{Path: tfjsonpath.New("external_id"), KnownValue: knownvalue.StringExact("00u1jane")},
						{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(true)},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.ObjectExact(map[string]knownvalue.Check{
							"given_name": knownvalue.StringExact("Jane"), "family_name": knownvalue.StringExact("Doe"), "formatted": knownvalue.Null(),
						})},
						{Path: tfjsonpath.New("emails"), KnownValue: knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value": knownvalue.StringExact("jane.doe@example.com"), "type": knownvalue.StringExact("work"), "primary": knownvalue.Bool(true),
						})})},
						{Path: tfjsonpath.New("native_object_id"), KnownValue: knownvalue.StringExact("8f1e2a3b-0000-4e6a-9c7d-5d0a3c8e2b1f")},
						{Path: tfjsonpath.New("auth_name"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("on_destroy"), KnownValue: knownvalue.StringExact(onDestroyDelete)},
						{Path: tfjsonpath.New("adopt_existing"), KnownValue: knownvalue.Bool(false)},
					}),
					querycheck.ExpectResourceKnownValues("secureaccess_scim_user.all", byID(john.ID), []querycheck.KnownValueCheck{
						{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(false)},
						{Path: tfjsonpath.New("name"), KnownValue: knownvalue.Null()},
						{Path: tfjsonpath.New("emails"), KnownValue: knownvalue.Null()},
					}),
					querycheck.ExpectLength("secureaccess_scim_user.jane", 1),
					querycheck.ExpectIdentity("secureaccess_scim_user.jane", map[string]knownvalue.Check{"id": knownvalue.StringExact(jane.ID)}),
					expectRequests(pages, []string{
						"/Users?count=100&filter=userName+eq+%22JANE.DOE%40example.com%22&startIndex=1",
						"/Users?count=100&startIndex=1",
						"/Users?count=100&startIndex=3",
					}),
				},
			},
			{
				Query:       true,
				Config:      listBlock("secureaccess_scim_user", "bad", "  config {\n    filter = \"userName eq 42\"\n  }\n"),
				ExpectError: refusedFilterError("Error Listing SCIM Users"),
			},
			{
				Query:       true,
				Config:      listBlock("secureaccess_scim_user", "malformed", "  config {\n    filter = \"userName eq 'x'\"\n  }\n"),
				ExpectError: regexp.MustCompile(`(?s)` + phrase("Invalid SCIM Filter") + `.*` + phrase("string values take double quotes")),
			},
			queryStrictRefuses(m, resource.TestStep{
				Query:  true,
				Config: listBlock("secureaccess_scim_user", "active", "  config {\n    filter = \"active eq true\"\n  }\n"),
				QueryResultChecks: []querycheck.QueryResultCheck{
					querycheck.ExpectLength("secureaccess_scim_user.active", 2),
				},
			}, "Error Listing SCIM Users"),
		},
	})
}

// queryStrictRefuses is strictRefuses for a query step.
func queryStrictRefuses(m *testMock, step resource.TestStep, summary string) resource.TestStep {
	if !m.Strict {
		return step
	}
	return resource.TestStep{Query: true, Config: step.Config, ExpectError: refusedFilterError(summary)}
}
