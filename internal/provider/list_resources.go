package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/provider"
)

var _ provider.ProviderWithListResources = &secureAccessProvider{}

// listResourceConstructors lists every list resource of the provider
// (`terraform query`, Terraform 1.14 and later). Each lists a resource type
// of the same name, which has a resource identity.
var listResourceConstructors = []func() list.ListResource{
	NewDirectoryIntegrationListResource,
	NewSCIMUserListResource,
	NewSCIMGroupListResource,
}

func (p *secureAccessProvider) ListResources(_ context.Context) []func() list.ListResource {
	return listResourceConstructors
}
