package provider

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// The list resources through the plugin protocol (protocol_test.go), as
// `terraform query` drives them, on every Terraform version: what the
// TestAcc*ListResource_basic tests check with querycheck, where Terraform
// 1.14 or later is installed.

// listedNames maps the identity IDs of results to their display names;
// an empty ID or an object listed twice fails the test.
func listedNames(t *testing.T, results []listed) map[string]string {
	t.Helper()
	names := make(map[string]string, len(results))
	for _, r := range results {
		if r.ID == "" {
			t.Errorf("result %q has no identity", r.DisplayName)
			continue
		}
		if _, dup := names[r.ID]; dup {
			t.Errorf("%s (%q) is listed twice", r.ID, r.DisplayName)
		}
		names[r.ID] = r.DisplayName
	}
	return names
}

// checkListed fails the test unless results are exactly the objects of
// want (identity ID to display name).
func checkListed(t *testing.T, results []listed, want map[string]string) {
	t.Helper()
	if diff := cmp.Diff(want, listedNames(t, results)); diff != "" {
		t.Errorf("listed objects (identity ID: display name) mismatch (-want +got):\n%s", diff)
	}
}

// checkLimited fails the test unless results are limit distinct objects
// of all (identity ID to display name).
func checkLimited(t *testing.T, results []listed, limit int, all map[string]string) {
	t.Helper()
	if len(results) != limit {
		t.Errorf("listed %d objects with limit %d, want %d", len(results), limit, limit)
	}
	for id, name := range listedNames(t, results) {
		if all[id] != name {
			t.Errorf("listed %s (%q), which is not one of the objects", id, name)
		}
	}
}

// checkRequests fails the test unless the list requests recorded by p
// since its last reset are want, in any order; then resets p.
func checkRequests(t *testing.T, p *pageCap, want []string) {
	t.Helper()
	got := p.recorded()
	slices.Sort(got)
	if diff := cmp.Diff(slices.Sorted(slices.Values(want)), got); diff != "" {
		t.Errorf("SCIM list requests mismatch (-want +got):\n%s", diff)
	}
	p.reset()
}

// checkIncluded fails the test unless each result's resource (listed
// with include_resource, as `terraform query -generate-config-out` does)
// has the result's ID, and, for the objects of ids, equals the state
// that importing the object by that identity and reading it gives: the
// configuration Terraform generates then plans no change.
func checkIncluded(t *testing.T, p *protocolProvider, typeName string, results []listed, ids ...string) {
	t.Helper()
	byID := map[string]tftypes.Value{}
	for _, r := range results {
		if r.Resource.IsNull() {
			t.Errorf("%s: no resource with include_resource", r.ID)
			continue
		}
		if got := idAttr(t, r.Resource); got != r.ID {
			t.Errorf("%s: the resource's id is %q", r.ID, got)
		}
		byID[r.ID] = r.Resource
	}
	for _, id := range ids {
		listedValue, ok := byID[id]
		if !ok {
			t.Errorf("%s is not listed", id)
			continue
		}
		_, state, identity := p.importByIdentity(typeName, id)
		if diff := diffValues(state, listedValue); diff != "" {
			t.Errorf("%s: the listed resource differs from its state after import by identity (want the state):%s", id, diff)
		}
		if got := p.identityID(typeName, identity); got != id {
			t.Errorf("%s: identity after import and read is %q", id, got)
		}
	}
}

// TestSCIMUserListResource_protocol lists the users an identity provider
// pushed, one more than a page of the service holds (scim.DefaultPageSize,
// what the list asks for): every user once with its identity and user
// name across two pages; a userName eq filter; the list block's limit,
// which also caps the page size asked for; and with include_resource the
// values an import by identity reads.
func TestSCIMUserListResource_protocol(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	pages := capSCIMPages(t, m, scimserver.MaxResults) // records the list requests; pages as the mock does
	jane := seedUser(t, m, scimserver.User{
		UserName: "jane.doe@example.com", ExternalID: "00u1jane", Active: new(true), DisplayName: "Jane Doe",
		Name:           scimserver.Name{GivenName: "Jane", FamilyName: "Doe"},
		Emails:         []scimserver.Email{{Value: "jane.doe@example.com", Type: "work", Primary: true}},
		NativeObjectID: "8f1e2a3b-0000-4e6a-9c7d-5d0a3c8e2b1f",
	})
	john := seedUser(t, m, scimserver.User{UserName: "john.roe@example.com", Active: new(false)})
	all := map[string]string{jane.ID: jane.UserName, john.ID: john.UserName}
	for i := len(all); i <= scim.DefaultPageSize; i++ {
		u := seedUser(t, m, scimserver.User{UserName: fmt.Sprintf("user%04d@example.com", i), Active: new(true)})
		all[u.ID] = u.UserName
	}
	provider := newProtocolProvider(t, m)
	const typeName = "secureaccess_scim_user"

	t.Run("pages", func(t *testing.T) {
		p := provider.on(t)
		pages.reset()
		results := p.mustList(typeName, nil, false, int64(len(all)+10))
		checkListed(t, results, all)
		for _, r := range results {
			if !r.Resource.IsNull() {
				t.Fatalf("%s: a resource without include_resource", r.ID)
			}
		}
		checkRequests(t, pages, []string{
			fmt.Sprintf("/Users?count=%d&startIndex=1", scim.DefaultPageSize),
			fmt.Sprintf("/Users?count=%d&startIndex=%d", scim.DefaultPageSize, scim.DefaultPageSize+1),
		})
	})
	t.Run("filter", func(t *testing.T) {
		// Whitespace around the filter is not sent (scimFilterOf).
		for _, filter := range []string{`userName eq "JANE.DOE@example.com"`, "\n  userName eq \"JANE.DOE@example.com\"  \n"} {
			p := provider.on(t)
			pages.reset()
			results := p.mustList(typeName, map[string]tftypes.Value{"filter": tfString(filter)}, false, 100)
			checkListed(t, results, map[string]string{jane.ID: jane.UserName})
			checkRequests(t, pages, []string{"/Users?count=100&filter=userName+eq+%22JANE.DOE%40example.com%22&startIndex=1"})
		}
	})
	t.Run("limit", func(t *testing.T) {
		p := provider.on(t)
		pages.reset()
		checkLimited(t, p.mustList(typeName, nil, false, 3), 3, all)
		checkRequests(t, pages, []string{"/Users?count=3&startIndex=1"})
	})
	t.Run("include_resource", func(t *testing.T) {
		p := provider.on(t)
		results := p.mustList(typeName, nil, true, int64(len(all)))
		checkListed(t, results, all)
		checkIncluded(t, p, typeName, results, jane.ID, john.ID)
	})
}

// TestSCIMGroupListResource_protocol lists groups through a service that
// pages by two: every group once with its identity and display name
// across three pages; a displayName eq filter; a limit that falls in the
// second page, which stops there; and with include_resource the values an
// import by identity reads.
func TestSCIMGroupListResource_protocol(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	pages := capSCIMPages(t, m, 2)
	users := seedGroupUsers(t, m, 2)
	okta := seedGroupExternal(t, m, "OKTA - Secure Access Users", "00g1okta", users)
	contractors := seedGroup(t, m, "OKTA - Contractors", users[0])
	all := map[string]string{okta.ID: okta.DisplayName, contractors: "OKTA - Contractors"}
	for i := range 3 {
		name := fmt.Sprintf("Other %d", i)
		all[seedGroup(t, m, name)] = name
	}
	provider := newProtocolProvider(t, m)
	const typeName = "secureaccess_scim_group"

	t.Run("pages", func(t *testing.T) {
		p := provider.on(t)
		pages.reset()
		checkListed(t, p.mustList(typeName, nil, false, 100), all)
		checkRequests(t, pages, []string{
			"/Groups?count=100&startIndex=1",
			"/Groups?count=100&startIndex=3",
			"/Groups?count=100&startIndex=5",
		})
	})
	t.Run("filter", func(t *testing.T) {
		// Whitespace around the filter is not sent (scimFilterOf).
		for _, filter := range []string{`displayName eq "OKTA - Contractors"`, "  displayName eq \"OKTA - Contractors\"\n"} {
			p := provider.on(t)
			pages.reset()
			results := p.mustList(typeName, map[string]tftypes.Value{"filter": tfString(filter)}, false, 100)
			checkListed(t, results, map[string]string{contractors: "OKTA - Contractors"})
			checkRequests(t, pages, []string{"/Groups?count=100&filter=displayName+eq+%22OKTA+-+Contractors%22&startIndex=1"})
		}
	})
	t.Run("limit", func(t *testing.T) {
		p := provider.on(t)
		pages.reset()
		checkLimited(t, p.mustList(typeName, nil, false, 3), 3, all)
		checkRequests(t, pages, []string{"/Groups?count=3&startIndex=1", "/Groups?count=3&startIndex=3"})
	})
	t.Run("include_resource", func(t *testing.T) {
		p := provider.on(t)
		results := p.mustList(typeName, nil, true, 100)
		checkListed(t, results, all)
		checkIncluded(t, p, typeName, results, okta.ID, contractors)
	})
}

// TestDirectoryIntegrationListResource_protocol lists the directory
// integrations of the organization (one page: at most 10): all, by
// identity provider, up to the limit, and with include_resource the
// values an import by identity reads.
func TestDirectoryIntegrationListResource_protocol(t *testing.T) {
	t.Parallel()
	m := newTestMock(t)
	all := map[string]string{m.DirectoryID: "Acceptance"} // the mock's, Okta
	entra := map[string]string{}
	for _, d := range []struct{ name, idp string }{
		{"Entra One", admin.IdentityProviderEntraID},
		{"Entra Two", admin.IdentityProviderEntraID},
		{"Ping", admin.IdentityProviderPing},
	} {
		dir, _, err := m.Server.Bootstrap(d.name, d.idp)
		if err != nil {
			t.Fatalf("seeding a directory integration: %v", err)
		}
		all[dir.ID] = d.name
		if d.idp == admin.IdentityProviderEntraID {
			entra[dir.ID] = d.name
		}
	}
	provider := newProtocolProvider(t, m)
	const typeName = "secureaccess_directory_integration"
	byIDP := map[string]tftypes.Value{"identity_provider": tfString(admin.IdentityProviderEntraID)}

	t.Run("all", func(t *testing.T) {
		checkListed(t, provider.on(t).mustList(typeName, nil, false, 100), all)
	})
	t.Run("identity_provider", func(t *testing.T) {
		checkListed(t, provider.on(t).mustList(typeName, byIDP, false, 100), entra)
	})
	t.Run("limit", func(t *testing.T) {
		p := provider.on(t)
		checkLimited(t, p.mustList(typeName, nil, false, 2), 2, all)
		checkLimited(t, p.mustList(typeName, byIDP, false, 1), 1, entra)
	})
	t.Run("include_resource", func(t *testing.T) {
		p := provider.on(t)
		results := p.mustList(typeName, nil, true, 100)
		checkListed(t, results, all)
		checkIncluded(t, p, typeName, results, slices.Collect(maps.Keys(all))...)
	})
}

// TestListResources_protocolValidateConfig: the provider reports the three
// list resources, each with a resource identity {id}; their configs
// validate, and an identity_provider that is not one of the allowed
// values is an error at that attribute. The SCIM filters' syntax is
// checked too (TestSCIMFilter_protocolValidate).
func TestListResources_protocolValidateConfig(t *testing.T) {
	t.Parallel()
	p := newProtocolProvider(t, newTestMock(t))
	meta, err := p.srv.GetMetadata(t.Context(), &tfprotov6.GetMetadataRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var metaNames []string
	for _, l := range meta.ListResources {
		metaNames = append(metaNames, l.TypeName)
	}
	slices.Sort(metaNames)
	want := []string{"secureaccess_directory_integration", "secureaccess_scim_group", "secureaccess_scim_user"}
	if diff := cmp.Diff(want, metaNames); diff != "" {
		t.Errorf("GetMetadata list resources mismatch (-want +got):\n%s", diff)
	}
	for _, name := range want {
		if _, ok := p.schemas.ListResourceSchemas[name]; !ok {
			t.Errorf("GetProviderSchema has no list resource schema for %s", name)
		}
		idType, ok := p.identityType(name).(tftypes.Object)
		if !ok || len(idType.AttributeTypes) != 1 || !idType.AttributeTypes["id"].Equal(tftypes.String) {
			t.Errorf("the identity of %s is %s, want an object with the string id", name, p.identityType(name))
		}
	}

	for _, tc := range []struct {
		name, typeName string
		config         map[string]tftypes.Value
		wantErrorAt    string // the attribute of the one error; "" for none
	}{
		{"user no config", "secureaccess_scim_user", nil, ""},
		{"user filter", "secureaccess_scim_user", map[string]tftypes.Value{"filter": tfString(`userName eq "jane.doe@example.com"`)}, ""},
		{"group filter", "secureaccess_scim_group", map[string]tftypes.Value{"filter": tfString(`displayName eq "Engineering"`)}, ""},
		{"user unknown filter", "secureaccess_scim_user", map[string]tftypes.Value{"filter": tftypes.NewValue(tftypes.String, tftypes.UnknownValue)}, ""},
		{"user malformed filter", "secureaccess_scim_user", map[string]tftypes.Value{"filter": tfString(`userName = "x"`)}, "filter"},
		{"group malformed filter", "secureaccess_scim_group", map[string]tftypes.Value{"filter": tfString(`displayName eq 'x'`)}, "filter"},
		{"integration no config", "secureaccess_directory_integration", nil, ""},
		{"integration okta", "secureaccess_directory_integration", map[string]tftypes.Value{"identity_provider": tfString(admin.IdentityProviderOkta)}, ""},
		{"integration bad provider", "secureaccess_directory_integration", map[string]tftypes.Value{"identity_provider": tfString("azure_ad")}, "identity_provider"},
		{"integration provider in capitals", "secureaccess_directory_integration", map[string]tftypes.Value{"identity_provider": tfString("OKTA")}, "identity_provider"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			diags := p.on(t).validateList(tc.typeName, tc.config)
			if tc.wantErrorAt == "" {
				if len(diags) > 0 {
					t.Fatalf("ValidateListResourceConfig: %s", formatDiags(diags))
				}
				return
			}
			if len(diags) != 1 || diags[0].Severity != tfprotov6.DiagnosticSeverityError {
				t.Fatalf("ValidateListResourceConfig: %s\nwant one error", formatDiags(diags))
			}
			if want := tftypes.NewAttributePath().WithAttributeName(tc.wantErrorAt); !diags[0].Attribute.Equal(want) {
				t.Errorf("the error is at %s, want %s", diags[0].Attribute, want)
			}
		})
	}
}
