package provider

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
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
