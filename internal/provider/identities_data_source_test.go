package provider

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

func TestIdentitiesDataSourceModelToAPI(t *testing.T) {
	t.Parallel()
	set := func(values ...string) types.Set {
		elems := make([]attr.Value, len(values))
		for i, v := range values {
			elems[i] = types.StringValue(v)
		}
		return types.SetValueMust(types.StringType, elems)
	}
	tests := []struct {
		name string
		in   identitiesDataSourceModel
		want admin.IdentityQuery
	}{
		{name: "everything", in: identitiesDataSourceModel{Search: types.StringNull(), Types: types.SetNull(types.StringType)}, want: admin.IdentityQuery{}},
		{name: "search", in: identitiesDataSourceModel{Search: types.StringValue("jane"), Types: types.SetNull(types.StringType)}, want: admin.IdentityQuery{Search: "jane"}},
		{
			name: "types sorted",
			in:   identitiesDataSourceModel{Search: types.StringValue("okta"), Types: set("directory_user", "directory_group")},
			want: admin.IdentityQuery{Search: "okta", Types: []string{"directory_group", "directory_user"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, diags := tt.in.toAPI(t.Context())
			if diags.HasError() {
				t.Fatalf("toAPI: %v", diags)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("toAPI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestIdentitiesDataSourceModelFromAPI(t *testing.T) {
	t.Parallel()
	userType := admin.IdentityType{ID: 7, Label: "Directory Users", Type: admin.IdentityTypeDirectoryUser}
	groupType := admin.IdentityType{ID: 6, Label: "Directory Groups", Type: admin.IdentityTypeDirectoryGroup}
	tests := []struct {
		name string
		in   []admin.Identity
		want []identityModel
	}{
		{name: "none", in: nil, want: []identityModel{}},
		{
			name: "users and groups, deleted left out",
			in: []admin.Identity{
				{ID: 123, Label: "Jane Doe (jane.doe@example.com)", Type: userType},
				{ID: 124, Label: "Gone (gone@example.com)", Type: userType, Deleted: true},
				{ID: 125, Label: "OKTA - Secure Access Users", Type: groupType},
			},
			want: []identityModel{
				{ID: types.Int64Value(123), Label: types.StringValue("Jane Doe (jane.doe@example.com)"), Type: types.StringValue("directory_user")},
				{ID: types.Int64Value(125), Label: types.StringValue("OKTA - Secure Access Users"), Type: types.StringValue("directory_group")},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var got identitiesDataSourceModel
			got.fromAPI(tt.in)
			if diff := cmp.Diff(tt.want, got.Identities); diff != "" {
				t.Errorf("fromAPI (-want +got):\n%s", diff)
			}
		})
	}
}
