package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ list.ListResource              = &scimUserListResource{}
	_ list.ListResourceWithConfigure = &scimUserListResource{}
)

// NewSCIMUserListResource returns the secureaccess_scim_user list resource.
func NewSCIMUserListResource() list.ListResource {
	return &scimUserListResource{}
}

// scimUserListResource lists the SCIM users of the directory integration
// for `terraform query`.
type scimUserListResource struct {
	data *providerData
}

func (r *scimUserListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scim_user"
}

func (r *scimUserListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *scimUserListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SCIM users of the directory integration, such as those an identity provider has pushed, for `terraform query` " +
			"(Terraform 1.14 and later). Each result is a `secureaccess_scim_user` identified by its SCIM ID and shown by its `user_name`; " +
			"`terraform query -generate-config-out=FILE` writes a resource block and an `import` block for each, " +
			"with `on_destroy` and `adopt_existing` at their defaults.\n\n" +
			"The users come page by page (at most 1000 in memory at a time, fewer when the service pages smaller), in the order the service lists them; " +
			"Terraform stops at the list block's `limit` (100 unless set).\n\n" +
			"Requires the provider's `scim_token`.",
		Attributes: map[string]schema.Attribute{
			"filter": schema.StringAttribute{
				MarkdownDescription: scimFilterDescription("users", "userName", `userName eq "jane.doe@example.com"`, false),
				Optional:            true,
				Validators:          []validator.String{scimFilter(`userName eq "jane.doe@example.com"`)},
			},
		},
	}
}

func (r *scimUserListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg scimListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	client, clientDiags := r.data.scimFor(opListing)
	diags.Append(clientDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	opts := &scim.ListOptions{Filter: scimFilterOf(cfg.Filter), Count: listPageSize(req.Limit)}
	convert := func(u *scim.User) list.ListResult {
		result := req.NewListResult(ctx)
		result.DisplayName = u.UserName
		setListIdentity(ctx, &result, u.ID)
		if req.IncludeResource {
			var m scimUserResourceModel
			m.fromAPI(u)
			m.setDefaultSettings()
			result.Diagnostics.Append(setUserResource(result.Resource, &m)...)
		}
		return result
	}
	fail := func(err error) diag.Diagnostics {
		var diags diag.Diagnostics
		addAPIError(&diags, "Error Listing SCIM Users", "SCIM users", err, invalidFilterFix(err, `userName eq "jane.doe@example.com"`))
		return diags
	}
	stream.Results = streamSCIM(client.Users.All(ctx, opts), req.Limit, convert, fail)
}
