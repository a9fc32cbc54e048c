package provider

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

func TestAccSCIMUserDataSource_basic(t *testing.T) {
	m := newTestTarget(t)
	seedUser(t, m, m.user(scimserver.User{UserName: "john.smith@example.com", Active: new(true)}))
	jane := seedUser(t, m, m.user(fullStoreUser))
	byID, byName := "data.secureaccess_scim_user.by_id", "data.secureaccess_scim_user.by_name"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: m.providerConfig() + fmt.Sprintf(`
data "secureaccess_scim_user" "by_id" {
  id = %q
}

data "secureaccess_scim_user" "by_name" {
  user_name = %q
}
`, jane.ID, m.name(otherCase("jane.doe@example.com", "JANE.DOE@example.com"))),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("user_name"), knownvalue.StringExact(m.name("jane.doe@example.com"))),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("display_name"), knownvalue.StringExact("Jane Doe")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("external_id"), knownvalue.StringExact(m.name("00u1abcd"))),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("active"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("name").AtMapKey("formatted"), knownvalue.StringExact("Ms. Jane Doe")),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("emails"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value": knownvalue.StringExact("jane.doe@example.com"), "type": knownvalue.StringExact("work"), "primary": knownvalue.Bool(true),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value": knownvalue.StringExact("jane@home.example"), "type": knownvalue.Null(), "primary": knownvalue.Bool(false),
						}),
					})),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("native_object_id"), knownvalue.StringExact(fullStoreUser.NativeObjectID)),
					statecheck.ExpectKnownValue(byID, tfjsonpath.New("auth_name"), knownvalue.StringExact("jdoe")),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("id"), knownvalue.StringExact(jane.ID)),
					// The configured letter case is kept: it names the same user.
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("user_name"), knownvalue.StringExact(m.name(otherCase("jane.doe@example.com", "JANE.DOE@example.com")))),
					statecheck.ExpectKnownValue(byName, tfjsonpath.New("display_name"), knownvalue.StringExact("Jane Doe")),
				},
			},
			{
				Config: m.providerConfig() + `
data "secureaccess_scim_user" "both" {
  id        = "x"
  user_name = "jane.doe@example.com"
}
`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Invalid Attribute Combination.*Exactly one of these attributes`),
			},
			{
				Config: m.providerConfig() + fmt.Sprintf(`
data "secureaccess_scim_user" "missing" {
  user_name = %q
}
`, m.name("nobody@example.com")),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Error Reading SCIM User.*` + regexp.QuoteMeta(m.name("nobody@example.com"))),
			},
		},
	})
}

// TestAccSCIMUserDataSource_filterInjection looks a user up by a userName
// that would widen an unescaped filter to every user: the lookup by the
// data source and the import by user_name must find that user only.
func TestAccSCIMUserDataSource_filterInjection(t *testing.T) {
	skipOnServerQuirk(t, quirkFilterEscapesUndecoded, "the user it looks up has \" and \\ in its userName")
	m := newTestTarget(t)
	seedUser(t, m, m.user(scimserver.User{UserName: "alice@example.com", Active: new(true)}))
	evil := m.name(`a\b" or userName pr or userName eq "c`)
	target := seedUser(t, m, scimserver.User{UserName: evil, Active: new(true)})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: m.providerConfig() + fmt.Sprintf(`
data "secureaccess_scim_user" "evil" {
  user_name = %[1]s
}

import {
  to = secureaccess_scim_user.jane
  id = %[2]s
}

resource "secureaccess_scim_user" "jane" {
  user_name = %[1]s
}
`, strconv.Quote(evil), strconv.Quote(userImportKey+"="+evil)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_user.evil", tfjsonpath.New("id"), knownvalue.StringExact(target.ID)),
					scimUserState("id", knownvalue.StringExact(target.ID)),
				},
			},
		},
	})
}
