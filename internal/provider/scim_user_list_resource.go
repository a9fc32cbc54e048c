package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// NewSCIMUserListResource returns the secureaccess_scim_user list resource.
func NewSCIMUserListResource() list.ListResource {
	return &scimUserListResource{spec: userListSpec}
}

// scimUserListResource lists the SCIM users of the directory integration
// for `terraform query`.
type scimUserListResource = scimListResource[scim.User]

// userListSpec is what the users' list resource does differently.
var userListSpec = scimListSpec[scim.User]{
	typeName: "_scim_user",
	description: "Lists the SCIM users of the directory integration, such as those an identity provider has pushed, for `terraform query` " +
		"(Terraform 1.14 and later). Each result is a `secureaccess_scim_user` identified by its SCIM ID and shown by its `user_name`; " +
		"`terraform query -generate-config-out=FILE` writes a resource block and an `import` block for each, " +
		"with `on_destroy` and `adopt_existing` at their defaults.\n\n" +
		"The users come page by page (at most 1000 in memory at a time, fewer when the service pages smaller), in the order the service lists them; " +
		"Terraform stops at the list block's `limit` (100 unless set).\n\n" +
		"Requires the provider's `scim_token`.",
	things: "users", key: "userName", example: `userName eq "jane.doe@example.com"`,
	summary: "Error Listing SCIM Users", object: "SCIM users", fixExample: `userName eq "jane.doe@example.com"`,
	all: func(ctx context.Context, c *scim.Client, opts *scim.ListOptions) iter.Seq2[*scim.User, error] {
		return c.Users.All(ctx, opts)
	},
	result: func(ctx context.Context, req list.ListRequest, u *scim.User) list.ListResult {
		return listResult(ctx, req, u.ID, u.UserName, func(res *tfsdk.Resource) diag.Diagnostics {
			var m scimUserResourceModel
			m.fromAPI(u)
			m.setDefaultSettings()
			return setUserResource(res, &m)
		})
	},
}
