package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// resourceConstructors lists every resource type of the provider.
var resourceConstructors = []func() resource.Resource{
	NewDirectoryIntegrationResource,
	NewProvisioningTokenResource,
	NewSCIMUserResource,
	NewSCIMGroupResource,
	NewSCIMGroupMembersResource,
	NewSCIMGroupMemberResource,
}

// dataSourceConstructors lists every data source of the provider.
var dataSourceConstructors = []func() datasource.DataSource{
	NewDirectoryIntegrationDataSource,
	NewDirectoryIntegrationsDataSource,
	NewIdentitiesDataSource,
	NewSCIMUserDataSource,
	NewSCIMUsersDataSource,
	NewSCIMGroupDataSource,
	NewSCIMGroupsDataSource,
}
