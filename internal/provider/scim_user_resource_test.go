package provider

import (
	"errors"
	"fmt"
	"regexp"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// scimUserConfig is the provider block plus a secureaccess_scim_user.jane
// with the given body, whose non-empty user_name and external_id get the
// test's prefix.
func scimUserConfig(m *testMock, body string) string {
	return m.providerConfig() + "\nresource \"secureaccess_scim_user\" \"jane\" {\n" + m.prefixNames(body, "user_name", "external_id") + "\n}\n"
}

// fullUserBody sets every attribute of the resource.
const fullUserBody = `
  user_name    = "jane.doe@example.com"
  display_name = "Jane Doe"
  external_id  = "00u1abcd"
  active       = true
  name = {
    given_name  = "Jane"
    family_name = "Doe"
    formatted   = "Ms. Jane Doe"
  }
  emails = [
    { value = "jane.doe@example.com", type = "work", primary = true },
    { value = "jane@home.example" },
  ]
  native_object_id = "b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11"
  auth_name        = "jdoe"
  on_destroy       = "delete"
  adopt_existing   = true
`

// ignoreServerFields leaves out what the service assigns itself.
var ignoreServerFields = cmpopts.IgnoreFields(scimserver.User{}, "ID", "IdentityID", "Created", "LastModified", "Version")

// checkStoreUser compares the user with the state's id, read through the
// SCIM API, with want (whose user_name and external_id get the test's
// prefix), apart from what the service assigns itself.
func checkStoreUser(t *testing.T, m *testMock, want scimserver.User) resource.TestCheckFunc {
	want = m.user(want)
	return func(s *terraform.State) error {
		id, err := stateAttr(s, scimUserAddr, "id")
		if err != nil {
			return err
		}
		c, err := m.scimClient()
		if err != nil {
			return err
		}
		u, err := c.Users.Get(t.Context(), id, nil)
		if err != nil {
			return fmt.Errorf("reading user %s: %w", id, err)
		}
		if diff := cmp.Diff(want, userFromSCIM(u), ignoreServerFields, cmpopts.EquateEmpty()); diff != "" {
			return fmt.Errorf("user mismatch (-want +got):\n%s", diff)
		}
		return nil
	}
}

func TestAccSCIMUserResource_basic(t *testing.T) {
	m := newTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, fullUserBody),
				ConfigStateChecks: []statecheck.StateCheck{
					// SCIM ids are opaque: UUIDs here, integers or base64 elsewhere.
					scimUserState("id", knownvalue.StringRegexp(regexp.MustCompile(`^\S+$`))),
					scimUserState("user_name", knownvalue.StringExact(m.name("jane.doe@example.com"))),
					scimUserState("display_name", knownvalue.StringExact("Jane Doe")),
					scimUserState("external_id", knownvalue.StringExact(m.name("00u1abcd"))),
					scimUserState("active", knownvalue.Bool(true)),
					scimUserState("name", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"given_name":  knownvalue.StringExact("Jane"),
						"family_name": knownvalue.StringExact("Doe"),
						"formatted":   knownvalue.StringExact("Ms. Jane Doe"),
					})),
					scimUserState("emails", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value":   knownvalue.StringExact("jane.doe@example.com"),
							"type":    knownvalue.StringExact("work"),
							"primary": knownvalue.Bool(true),
						}),
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"value":   knownvalue.StringExact("jane@home.example"),
							"type":    knownvalue.Null(),
							"primary": knownvalue.Bool(false),
						}),
					})),
					scimUserState("native_object_id", knownvalue.StringExact("b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11")),
					scimUserState("auth_name", knownvalue.StringExact("jdoe")),
					scimUserState("on_destroy", knownvalue.StringExact("delete")),
					scimUserState("adopt_existing", knownvalue.Bool(true)),
				},
				Check: checkStoreUser(t, m, fullStoreUser),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// An imported user has the default settings, which this
				// configuration does not use for adopt_existing.
				ResourceName:            scimUserAddr,
				ImportState:             true,
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"adopt_existing"},
			},
		},
	})
}

func TestAccSCIMUserResource_update(t *testing.T) {
	m := newTestTarget(t)
	sameID := statecheck.CompareValue(compare.ValuesSame())
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, `user_name = "jane.doe@example.com"`),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(scimUserAddr, tfjsonpath.New("id")),
					scimUserState("active", knownvalue.Bool(true)),
					scimUserState("display_name", knownvalue.Null()),
					scimUserState("name", knownvalue.Null()),
					scimUserState("emails", knownvalue.Null()),
					scimUserState("on_destroy", knownvalue.StringExact("delete")),
					scimUserState("adopt_existing", knownvalue.Bool(false)),
				},
				Check: checkStoreUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(true)}),
			},
			{
				// A new user_name is a rename in place: SCIM PUT may change it.
				Config: scimUserConfig(m, `
  user_name    = "jane.smith@example.com"
  display_name = "Jane Smith"
  name         = { family_name = "Smith" }
  emails       = [{ value = "jane.smith@example.com", type = "work" }]
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(scimUserAddr, tfjsonpath.New("id")),
					scimUserState("user_name", knownvalue.StringExact(m.name("jane.smith@example.com"))),
					scimUserState("name", knownvalue.ObjectExact(map[string]knownvalue.Check{
						"given_name":  knownvalue.Null(),
						"family_name": knownvalue.StringExact("Smith"),
						"formatted":   knownvalue.Null(),
					})),
				},
				Check: checkStoreUser(t, m, scimserver.User{
					UserName: "jane.smith@example.com", Active: new(true), DisplayName: "Jane Smith",
					Name: scimserver.Name{FamilyName: "Smith"}, Emails: []scimserver.Email{{Value: "jane.smith@example.com", Type: "work"}},
				}),
			},
			{
				// Removing attributes clears them in the service (PUT replaces).
				Config: scimUserConfig(m, `
  user_name = "jane.smith@example.com"
  active    = false
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(scimUserAddr, tfjsonpath.New("id")),
					scimUserState("active", knownvalue.Bool(false)),
					scimUserState("display_name", knownvalue.Null()),
					scimUserState("name", knownvalue.Null()),
					scimUserState("emails", knownvalue.Null()),
				},
				Check: checkStoreUser(t, m, scimserver.User{UserName: "jane.smith@example.com", Active: new(false)}),
			},
			{
				// The resource's own settings change without a request.
				PreConfig: m.resetStats,
				Config: scimUserConfig(m, `
  user_name      = "jane.smith@example.com"
  active         = false
  adopt_existing = true
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionUpdate)},
				},
				ConfigStateChecks: []statecheck.StateCheck{scimUserState("adopt_existing", knownvalue.Bool(true))},
				Check:             m.mockCheck(checkRequestCounts(m, userRequests(map[string]int{statsGetUser: 1}))),
			},
		},
	})
}

func TestAccSCIMUserResource_import(t *testing.T) {
	m := newTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, `
  user_name    = "Jane.Doe@example.com"
  display_name = "Jane Doe"
  emails       = [{ value = "jane.doe@example.com", primary = true }]
`),
			},
			{
				// The natural key, in another letter case.
				ResourceName:      scimUserAddr,
				ImportState:       true,
				ImportStateId:     "user_name=" + m.name(otherCase("Jane.Doe@example.com", "JANE.DOE@EXAMPLE.COM")),
				ImportStateVerify: true,
			},
			{
				ResourceName:  scimUserAddr,
				ImportState:   true,
				ImportStateId: "user_name=" + m.name("nobody@example.com"),
				ExpectError:   regexp.MustCompile(`(?s)Error Importing SCIM User.*` + regexp.QuoteMeta(m.name("nobody@example.com"))),
			},
		},
	})
}

func TestAccSCIMUserResource_disappears(t *testing.T) {
	m := newTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, `user_name = "jane.doe@example.com"`),
				Check: func(s *terraform.State) error {
					id, err := stateAttr(s, scimUserAddr, "id")
					if err != nil {
						return err
					}
					c, err := m.scimClient()
					if err != nil {
						return err
					}
					if err := c.Users.Delete(t.Context(), id); err != nil {
						return fmt.Errorf("deleting user %s behind Terraform's back: %w", id, err)
					}
					return nil
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionCreate)},
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

// TestAccSCIMUserResource_activeRemoved removes active behind Terraform's
// back, as a SCIM PATCH may: the user is then not active, Terraform sees
// the drift (false) and sets active = true again.
func TestAccSCIMUserResource_activeRemoved(t *testing.T) {
	m := newTestTarget(t)
	config := scimUserConfig(m, `user_name = "jane.doe@example.com"`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: func(s *terraform.State) error {
					id, err := stateAttr(s, scimUserAddr, "id")
					if err != nil {
						return err
					}
					removeActive(t, m, id)
					return nil
				},
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(scimUserAddr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					},
				},
				ExpectNonEmptyPlan: true,
			},
			{
				// The refreshed state reads the unassigned active as false.
				RefreshState:       true,
				Check:              resource.TestCheckResourceAttr(scimUserAddr, "active", "false"),
				ExpectNonEmptyPlan: true,
			},
			{
				Config:            config,
				ConfigStateChecks: []statecheck.StateCheck{scimUserState("active", knownvalue.Bool(true))},
				Check:             checkStoreUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(true)}),
			},
		},
	})
}

// removeActive removes a user's active behind Terraform's back, through
// the SCIM API, leaving it unassigned.
func removeActive(t *testing.T, m *testMock, id string) {
	t.Helper()
	c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: m.SCIMToken})
	if err != nil {
		t.Fatalf("creating the SCIM client: %v", err)
	}
	if _, err := c.Users.Patch(t.Context(), id, []scim.PatchOperation{{Op: scim.OpRemove, Path: "active"}}); err != nil {
		t.Fatalf("removing active of user %s: %v", id, err)
	}
}

func TestAccSCIMUserResource_userNameCase(t *testing.T) {
	m := newTestTarget(t)
	var id string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, `user_name = "Jane.Doe@example.com"`),
				Check:  captureAttr(scimUserAddr, "id", &id),
			},
			{
				// Only the configuration's letter case changes: no change.
				Config:   scimUserConfig(m, `user_name = "jane.doe@EXAMPLE.COM"`),
				PlanOnly: true,
			},
			{
				// Only the service's letter case changes: no drift.
				PreConfig: func() { renameUser(t, m, id, m.name("JANE.DOE@EXAMPLE.COM")) },
				Config:    scimUserConfig(m, `user_name = "Jane.Doe@example.com"`),
				PlanOnly:  true,
			},
		},
	})
}

// renameUser changes a user's userName behind Terraform's back, through the
// SCIM API as an identity provider would.
func renameUser(t *testing.T, m *testMock, id, userName string) {
	t.Helper()
	c, err := scim.NewClient(scim.Config{URL: m.scimURL(), Token: m.SCIMToken})
	if err != nil {
		t.Fatalf("creating the SCIM client: %v", err)
	}
	// As an IdP does: the whole user, changed, since a PUT may clear what
	// it leaves out (RFC 7644 §3.5.1).
	u, err := c.Users.Get(t.Context(), id, nil)
	if err != nil {
		t.Fatalf("reading user %s: %v", id, err)
	}
	u.UserName, u.Meta = userName, nil
	if _, err := c.Users.Replace(t.Context(), id, u); err != nil {
		t.Fatalf("renaming user %s: %v", id, err)
	}
}

func TestAccSCIMUserResource_adoptExisting(t *testing.T) {
	m := newTestTarget(t)
	existing := seedUser(t, m, m.user(scimserver.User{UserName: otherCase("Jane.Doe@example.com", "jane.doe@example.com"), DisplayName: "Old Name", ExternalID: "old", Active: new(false)}))
	body := `
  user_name    = "Jane.Doe@example.com"
  display_name = "Jane Doe"
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, body),
				// The address to import into is the one Terraform prints in
				// the "with" line above the detail, as the fix says.
				ExpectError: regexp.MustCompile(`(?s)Error Creating SCIM User\s+with ` + regexp.QuoteMeta(scimUserAddr) + `,.*` +
					`First\s+check\s+that\s+no\s+other\s+resource\s+in\s+this\s+configuration\s+has\s+the\s+same\s+user_name.*` +
					phrase(`import it into this resource's address, which Terraform prints above this message after "with" (secureaccess_scim_user.…).`) +
					`.*to = <that address>\s+id = "user_name=` + regexp.QuoteMeta(m.name("Jane.Doe@example.com")) + `".*` +
					`terraform import '<that address>' "user_name=` + regexp.QuoteMeta(m.name("Jane.Doe@example.com")) + `".*or\s+set\s+adopt_existing\s+=\s+true`),
			},
			{
				PreConfig: m.resetStats,
				Config:    scimUserConfig(m, body+"  adopt_existing = true\n"),
				ConfigStateChecks: []statecheck.StateCheck{
					scimUserState("id", knownvalue.StringExact(existing.ID)),
					scimUserState("user_name", knownvalue.StringExact(m.name("Jane.Doe@example.com"))),
					scimUserState("external_id", knownvalue.Null()),
					scimUserState("active", knownvalue.Bool(true)),
				},
				Check: resource.ComposeTestCheckFunc(
					// The counts first: checkStoreUser sends a request.
					m.mockCheck(checkRequestCounts(m, userRequests(map[string]int{statsCreateUser: 1, statsListUsers: 1, statsReplaceUser: 1}))),
					checkStoreUser(t, m, scimserver.User{UserName: "Jane.Doe@example.com", DisplayName: "Jane Doe", Active: new(true)}),
				),
			},
		},
	})
}

func TestAccSCIMUserResource_onDestroyDeactivate(t *testing.T) {
	m := newTestTarget(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			c, err := m.scimClient()
			if err != nil {
				return err
			}
			u, err := c.Users.GetByUserName(t.Context(), m.name("jane.doe@example.com"))
			if err != nil {
				return fmt.Errorf("the deactivated user: %w", err)
			}
			if u.Active == nil || *u.Active {
				return errors.New("the user is not deactivated (active false) after destroy")
			}
			return m.mockCheck(checkRequestCounts(m, map[string]int{statsPatchUser: 1, statsDeleteUser: 0}))(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: scimUserConfig(m, `
  user_name  = "jane.doe@example.com"
  on_destroy = "deactivate"
`),
				Check: checkStoreUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(true)}),
			},
		},
	})
}

func TestAccSCIMUserResource_invalidConfig(t *testing.T) {
	m := newTestTarget(t)
	steps := []struct{ body, wantErr string }{
		{`user_name = ""`, `(?s)user_name.*string length must be at least 1`},
		{"user_name = \"jane\"\non_destroy = \"archive\"", `(?s)on_destroy.*value must be one of`},
		{"user_name = \"jane\"\nemails = [{ value = \"not-an-email\" }]", `must be an email address`},
		{"user_name = \"jane\"\nemails = [{ value = \"jane@example.com\", type = \"personal\" }]", `(?s)type.*value must be one of`},
		{"user_name = \"jane\"\nemails = []", `(?s)emails.*at least 1`},
		{"user_name = \"jane\"\nname = {}", `(?s)Invalid Attribute Combination.*` + phrase("At least one attribute out of") + `\s+` +
			regexp.QuoteMeta("[name.family_name,name.formatted,name.given_name]") + `\s+` + phrase("must be specified")},
		{`
  user_name = "jane"
  emails = [
    { value = "jane@example.com", primary = true },
    { value = "jane.doe@example.com", primary = true },
  ]`, `Too Many Primary Emails`},
	}
	tc := resource.TestCase{ProtoV6ProviderFactories: testAccProtoV6ProviderFactories}
	for _, s := range steps {
		tc.Steps = append(tc.Steps, resource.TestStep{
			Config:      scimUserConfig(m, s.body),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(s.wantErr),
		})
	}
	resource.ParallelTest(t, tc)
}

func TestCountPrimaryEmails(t *testing.T) {
	t.Parallel()
	emailType := types.ObjectType{AttrTypes: map[string]attr.Type{"value": types.StringType, "type": types.StringType, "primary": types.BoolType}}
	email := func(primary types.Bool) attr.Value {
		return types.ObjectValueMust(emailType.AttrTypes, map[string]attr.Value{
			"value": types.StringValue("jane@example.com"), "type": types.StringNull(), "primary": primary,
		})
	}
	tests := map[string]struct {
		emails types.List
		want   int
	}{
		"null":    {emails: types.ListNull(emailType), want: 0},
		"unknown": {emails: types.ListUnknown(emailType), want: 0},
		"none primary": {
			emails: types.ListValueMust(emailType, []attr.Value{email(types.BoolNull()), email(types.BoolValue(false))}),
			want:   0,
		},
		"two primary, one unknown": {
			emails: types.ListValueMust(emailType, []attr.Value{email(types.BoolValue(true)), email(types.BoolUnknown()), email(types.BoolValue(true))}),
			want:   2,
		},
		"unknown element": {
			emails: types.ListValueMust(emailType, []attr.Value{types.ObjectUnknown(emailType.AttrTypes), email(types.BoolValue(true))}),
			want:   1,
		},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if got := countPrimaryEmails(tt.emails); got != tt.want {
				t.Errorf("countPrimaryEmails() = %d, want %d", got, tt.want)
			}
		})
	}
}

// TestAccSCIMUserResource_leftToService: what the configuration leaves
// unset is the service's (ownership.go). A value set outside Terraform on
// such an attribute is recorded and plans nothing, and an update sends it
// back rather than erasing it; an attribute removed from the
// configuration, and nothing else, plans an update that clears it; an
// import plans nothing for it.
func TestAccSCIMUserResource_leftToService(t *testing.T) {
	m := newTestTarget(t)
	var id string
	setOutside := func() {
		c := m.mustSCIMClient(t)
		u, err := c.Users.Get(t.Context(), id, nil)
		if err != nil {
			t.Fatalf("reading user %s: %v", id, err)
		}
		u.DisplayName, u.ExternalID, u.Meta = new("Set By The IdP"), new(m.name("00u-idp")), nil
		if _, err := c.Users.Replace(t.Context(), id, u); err != nil {
			t.Fatalf("setting attributes outside Terraform: %v", err)
		}
	}
	empty := []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkSCIMUsersDestroyed(t, m),
		Steps: []resource.TestStep{
			{
				Config:           scimUserConfig(m, `user_name = "jane.doe@example.com"`),
				Check:            captureAttr(scimUserAddr, "id", &id),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
			},
			{
				// Set outside Terraform where the configuration says nothing:
				// recorded, no change planned.
				PreConfig:         setOutside,
				Config:            scimUserConfig(m, `user_name = "jane.doe@example.com"`),
				ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: empty},
				ConfigStateChecks: []statecheck.StateCheck{scimUserState("display_name", knownvalue.StringExact("Set By The IdP"))},
			},
			{
				// An update of what the configuration sets keeps them.
				Config: scimUserConfig(m, "user_name = \"jane.doe@example.com\"\n  active = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(scimUserAddr, tfjsonpath.New("display_name"), knownvalue.StringExact("Set By The IdP")),
					},
					PostApplyPostRefresh: empty,
				},
				Check: checkStoreUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(false), DisplayName: "Set By The IdP", ExternalID: "00u-idp"}),
			},
			{
				// Configured: owned from now on.
				Config:           scimUserConfig(m, "user_name = \"jane.doe@example.com\"\n  active = false\n  display_name = \"Jane\""),
				ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: empty},
			},
			{
				// Removed from the configuration, nothing else changed: an
				// update that leaves it out, so the service clears it.
				Config: scimUserConfig(m, "user_name = \"jane.doe@example.com\"\n  active = false"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(scimUserAddr, plancheck.ResourceActionUpdate),
						plancheck.ExpectUnknownValue(scimUserAddr, tfjsonpath.New("display_name")),
					},
					PostApplyPostRefresh: empty,
				},
				Check: checkStoreUser(t, m, scimserver.User{UserName: "jane.doe@example.com", Active: new(false), ExternalID: "00u-idp"}),
			},
			{ResourceName: scimUserAddr, ImportState: true, ImportStateKind: resource.ImportBlockWithID},
		},
	})
}
