package provider

import (
	"context"
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

func TestAccSCIMUsersDataSource_basic(t *testing.T) {
	m := newTestMock(t)
	seedUser(t, m, fullStoreUser)
	seedUser(t, m, scimserver.User{UserName: "john.smith@example.com", Active: new(false)})
	// One more user than a page holds, so that listing them all takes two.
	for i := range scim.DefaultPageSize - 1 {
		seedUser(t, m, scimserver.User{UserName: fmt.Sprintf("bulk-%04d@example.com", i), Active: new(true)})
	}
	userNames := func(names ...string) knownvalue.Check {
		checks := make([]knownvalue.Check, len(names))
		for i, n := range names {
			checks[i] = knownvalue.ObjectPartial(map[string]knownvalue.Check{"user_name": knownvalue.StringExact(n)})
		}
		return knownvalue.ListExact(checks)
	}
	users := tfjsonpath.New("users")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{
			m.strictRefuses(resource.TestStep{
				PreConfig: m.resetStats,
				Config: m.providerConfig() + `
data "secureaccess_scim_users" "j" {
  filter = "userName sw \"j\""
}

data "secureaccess_scim_users" "all" {}

data "secureaccess_scim_users" "none" {
  filter = "userName eq \"nobody@example.com\""
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.j", users, userNames("jane.doe@example.com", "john.smith@example.com")),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.j", users.AtSliceIndex(0).AtMapKey("emails").AtSliceIndex(0).AtMapKey("value"),
						knownvalue.StringExact("jane.doe@example.com")),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.j", users.AtSliceIndex(1).AtMapKey("active"), knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.all", users, knownvalue.ListSizeExact(scim.DefaultPageSize+1)),
					statecheck.ExpectKnownValue("data.secureaccess_scim_users.none", users, knownvalue.ListSizeExact(0)),
				},
				// Read while planning: one page each for j and none, two for all.
				Check: checkRequestCounts(m, map[string]int{statsListUsers: 4}),
			}, "Error Listing SCIM Users"),
			{
				Config: m.providerConfig() + `
data "secureaccess_scim_users" "bad" {
  filter = "userName eq 42"
}
`,
				PlanOnly:    true,
				ExpectError: refusedFilterError("Error Listing SCIM Users"),
			},
		},
	})
}

// usersDataSourceSchema returns secureaccess_scim_users's schema.
func usersDataSourceSchema(t testing.TB) dschema.Schema {
	t.Helper()
	var resp datasource.SchemaResponse
	NewSCIMUsersDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

// setUsersStateReflect is the reflection-based version setUsersState
// replaced, kept as the reference of the test and the baseline of the
// benchmark below.
func setUsersStateReflect(ctx context.Context, state *tfsdk.State, filter types.String, users []*scim.User) diag.Diagnostics {
	m := scimUsersDataSourceModel{Filter: filter, Users: make([]scimUserModel, len(users))}
	for i, u := range users {
		m.Users[i].fromAPI(u)
	}
	return state.Set(ctx, m)
}

// benchAPIUsers returns n users shaped like the bench harness's seeded ones.
func benchAPIUsers(n int) []*scim.User {
	users := make([]*scim.User, n)
	for i := range users {
		userName := fmt.Sprintf("seed-user-%05d@example.com", i)
		users[i] = &scim.User{
			ID: fmt.Sprintf("id-%05d", i), UserName: userName, DisplayName: new(fmt.Sprintf("Seed User %05d", i)), Active: new(true),
			Name:   &scim.Name{GivenName: new("Seed"), FamilyName: new(fmt.Sprintf("User %05d", i))},
			Emails: []scim.Email{{Value: userName, Type: "work", Primary: true}},
		}
	}
	return users
}

// TestSetUsersStateMatchesReflection checks that setUsersState gives
// exactly the state that tfsdk's reflection gave.
func TestSetUsersStateMatchesReflection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := usersDataSourceSchema(t)
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	tests := map[string]struct {
		filter types.String
		users  []*scim.User
	}{
		"no users is an empty list": {filter: types.StringNull(), users: nil},
		"every shape": {filter: types.StringValue(`userName sw "j"`), users: []*scim.User{
			fullAPIUser(),
			{ID: "u1", UserName: "jane"},
			{ID: "u2", UserName: "john", Active: new(false), Name: &scim.Name{}, Emails: []scim.Email{}},
			{ID: "u3", UserName: "joe", Name: &scim.Name{GivenName: new("Joe")}, Cisco: &scim.CiscoUserExtension{AuthName: new("joe")}},
		}},
		"many": {filter: types.StringNull(), users: benchAPIUsers(50)},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			want := tfsdk.State{Schema: s, Raw: null}
			if diags := setUsersStateReflect(ctx, &want, tt.filter, tt.users); diags.HasError() {
				t.Fatalf("reflection: %v", diags)
			}
			got := tfsdk.State{Schema: s, Raw: null}
			if diags := setUsersState(&got, tt.filter, tt.users); diags.HasError() {
				t.Fatalf("setUsersState: %v", diags)
			}
			if !got.Raw.Equal(want.Raw) {
				t.Errorf("setUsersState = %s\nwant (reflection) %s", got.Raw, want.Raw)
			}
		})
	}
}

// BenchmarkUsersState compares building the data source's state of n users
// by reflection (the old Read) and by hand, in one run:
//
//	go test -run '^$' -bench BenchmarkUsersState -benchmem -count 6 ./internal/provider/
func BenchmarkUsersState(b *testing.B) {
	ctx := context.Background()
	s := usersDataSourceSchema(b)
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	users := benchAPIUsers(10000)
	b.Run("reflect", func(b *testing.B) {
		for b.Loop() {
			st := tfsdk.State{Schema: s, Raw: null}
			if diags := setUsersStateReflect(ctx, &st, types.StringNull(), users); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			st := tfsdk.State{Schema: s, Raw: null}
			if diags := setUsersState(&st, types.StringNull(), users); diags.HasError() {
				b.Fatal(diags)
			}
		}
	})
}

// TestSetUsersStateSchemaMismatch checks that a state whose schema is not
// the data source's is an error diagnostic, not a panic.
func TestSetUsersStateSchemaMismatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	wrong := usersDataSourceSchema(t)
	users := wrong.Attributes["users"].(dschema.ListNestedAttribute)
	delete(users.NestedObject.Attributes, "auth_name") // one user attribute fewer than the model has
	wrong.Attributes["users"] = users
	st := tfsdk.State{Schema: wrong, Raw: tftypes.NewValue(wrong.Type().TerraformType(ctx), nil)}
	diags := setUsersState(&st, types.StringNull(), []*scim.User{fullAPIUser()})
	if !diags.HasError() {
		t.Fatalf("setUsersState with a mismatched schema: no error; state %s", st.Raw)
	}
}

// TestAccSCIMUsersDataSource_documentedFilter lists users with the one
// filter Secure Access documents (userName eq), and without a filter. It
// runs in live mode too: a directory of other users changes nothing it
// asserts.
func TestAccSCIMUsersDataSource_documentedFilter(t *testing.T) {
	m := newTestTarget(t)
	jane := seedUser(t, m, m.user(fullStoreUser))
	john := seedUser(t, m, m.user(scimserver.User{UserName: "john.smith@example.com", Active: new(false)}))
	byName, all := "data.secureaccess_scim_users.jane", "data.secureaccess_scim_users.all"
	users := tfjsonpath.New("users")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []resource.TestStep{{
			Config: m.providerConfig() + fmt.Sprintf(`
data "secureaccess_scim_users" "jane" {
  filter = "userName eq \"%s\""
}

data "secureaccess_scim_users" "none" {
  filter = "userName eq \"%s\""
}

data "secureaccess_scim_users" "all" {}
`, m.name(otherCase("jane.doe@example.com", "JANE.DOE@example.com")), m.name("nobody@example.com")),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(byName, users, knownvalue.ListExact([]knownvalue.Check{knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"id":           knownvalue.StringExact(jane.ID),
					"user_name":    knownvalue.StringExact(m.name("jane.doe@example.com")),
					"display_name": knownvalue.StringExact("Jane Doe"),
					"external_id":  knownvalue.StringExact(m.name("00u1abcd")),
					"active":       knownvalue.Bool(true),
				})})),
				statecheck.ExpectKnownValue(byName, users.AtSliceIndex(0).AtMapKey("emails").AtSliceIndex(0).AtMapKey("value"),
					knownvalue.StringExact("jane.doe@example.com")),
				statecheck.ExpectKnownValue("data.secureaccess_scim_users.none", users, knownvalue.ListSizeExact(0)),
			},
			// Every page of the whole directory is read: both users are in it,
			// whatever else the directory holds.
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckTypeSetElemNestedAttrs(all, "users.*", map[string]string{"id": jane.ID, "user_name": jane.UserName, "active": "true"}),
				resource.TestCheckTypeSetElemNestedAttrs(all, "users.*", map[string]string{"id": john.ID, "user_name": john.UserName, "active": "false"}),
			),
		}},
	})
}
