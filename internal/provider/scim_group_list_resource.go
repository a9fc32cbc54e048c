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
	_ list.ListResource              = &scimGroupListResource{}
	_ list.ListResourceWithConfigure = &scimGroupListResource{}
)

// NewSCIMGroupListResource returns the secureaccess_scim_group list
// resource.
func NewSCIMGroupListResource() list.ListResource {
	return &scimGroupListResource{}
}

// scimGroupListResource lists the SCIM groups of the directory integration
// for `terraform query`.
type scimGroupListResource struct {
	data *providerData
}

func (r *scimGroupListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scim_group"
}

func (r *scimGroupListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *scimGroupListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SCIM groups of the directory integration, such as those an identity provider has pushed, for `terraform query` " +
			"(Terraform 1.14 and later). Each result is a `secureaccess_scim_group` identified by its SCIM ID; " +
			"`terraform query -generate-config-out=FILE` writes a resource block and an `import` block for each. " +
			"Member lists are not read: import them into `secureaccess_scim_group_members` by the group's ID.\n\n" +
			"The groups come page by page, in the order the service lists them; Terraform stops at the list block's `limit` (100 unless set).\n\n" +
			"Requires the provider's `scim_token`.",
		Attributes: map[string]schema.Attribute{
			"filter": schema.StringAttribute{
				MarkdownDescription: scimFilterDescription("groups", "displayName", `displayName eq "OKTA - Secure Access Users"`, false),
				Optional:            true,
				Validators:          []validator.String{scimFilter(`displayName eq "OKTA - Secure Access Users"`)},
			},
		},
	}
}

func (r *scimGroupListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg scimListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	client, clientDiags := r.data.scimFor(opListing)
	diags.Append(clientDiags...)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	opts := &scim.ListOptions{
		Filter:             scimFilterOf(cfg.Filter),
		Count:              listPageSize(req.Limit),
		ExcludedAttributes: withoutMembers(client),
	}
	convert := func(g *scim.Group) list.ListResult {
		result := req.NewListResult(ctx)
		result.DisplayName = g.DisplayName
		setListIdentity(ctx, &result, g.ID)
		if req.IncludeResource {
			var m scimGroupResourceModel
			m.fromAPI(g)
			result.Diagnostics.Append(result.Resource.Set(ctx, m)...)
		}
		return result
	}
	fail := func(err error) diag.Diagnostics {
		var diags diag.Diagnostics
		addAPIError(&diags, "Error Listing SCIM Groups", "SCIM groups", err, invalidFilterFix(err, `displayName eq "Engineering"`))
		return diags
	}
	stream.Results = streamSCIM(client.Groups.All(ctx, opts), req.Limit, convert, fail)
}
