package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// NewSCIMGroupListResource returns the secureaccess_scim_group list
// resource.
func NewSCIMGroupListResource() list.ListResource {
	return &scimGroupListResource{spec: groupListSpec}
}

// scimGroupListResource lists the SCIM groups of the directory integration
// for `terraform query`.
type scimGroupListResource = scimListResource[scim.Group]

// groupListSpec is what the groups' list resource does differently.
var groupListSpec = scimListSpec[scim.Group]{
	typeName: "_scim_group",
	description: "Lists the SCIM groups of the directory integration, such as those an identity provider has pushed, for `terraform query` " +
		"(Terraform 1.14 and later). Each result is a `secureaccess_scim_group` identified by its SCIM ID; " +
		"`terraform query -generate-config-out=FILE` writes a resource block and an `import` block for each. " +
		"Member lists are not read: import them into `secureaccess_scim_group_members` by the group's ID.\n\n" +
		"The groups come page by page, in the order the service lists them; Terraform stops at the list block's `limit` (100 unless set).\n\n" +
		"Requires the provider's `scim_token`.",
	things: "groups", key: "displayName", example: `displayName eq "OKTA - Secure Access Users"`,
	summary: "Error Listing SCIM Groups", object: "SCIM groups", fixExample: `displayName eq "Engineering"`,
	// The groups come without their members (withoutMembers).
	all: func(ctx context.Context, c *scim.Client, opts *scim.ListOptions) iter.Seq2[*scim.Group, error] {
		opts.ExcludedAttributes = withoutMembers(c)
		return c.Groups.All(ctx, opts)
	},
	result: func(ctx context.Context, req list.ListRequest, g *scim.Group) list.ListResult {
		return listResult(ctx, req, g.ID, g.DisplayName, func(res *tfsdk.Resource) diag.Diagnostics {
			var m scimGroupResourceModel
			m.fromAPI(g)
			return res.Set(ctx, m)
		})
	},
}
