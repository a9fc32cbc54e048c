package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

var (
	_ resource.ResourceWithIdentity  = &directoryIntegrationResource{}
	_ list.ListResource              = &directoryIntegrationListResource{}
	_ list.ListResourceWithConfigure = &directoryIntegrationListResource{}
)

// IdentitySchema: the identity of a directory integration is its ID, as
// for the SCIM objects (scim_identity.go).
func (r *directoryIntegrationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The ID of the directory integration, assigned by Secure Access.",
				RequiredForImport: true,
			},
		},
	}
}

// NewDirectoryIntegrationListResource returns the
// secureaccess_directory_integration list resource.
func NewDirectoryIntegrationListResource() list.ListResource {
	return &directoryIntegrationListResource{}
}

// directoryIntegrationListResource lists the directory integrations of the
// organization for `terraform query`.
type directoryIntegrationListResource struct {
	data *providerData
}

// directoryIntegrationListConfigModel is its configuration.
type directoryIntegrationListConfigModel struct {
	IdentityProvider types.String `tfsdk:"identity_provider"`
}

func (r *directoryIntegrationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_directory_integration"
}

func (r *directoryIntegrationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *directoryIntegrationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: modelledNotice("This list resource") + "Lists the directory integrations of the organization for `terraform query` " +
			"(Terraform 1.14 and later), shown by name. Each result is a `secureaccess_directory_integration` identified by its ID; " +
			"`terraform query -generate-config-out=FILE` writes a resource block and an `import` block for each. " +
			"Needs the admin API key (`client_id`, `client_secret`).",
		Attributes: map[string]schema.Attribute{
			"identity_provider": schema.StringAttribute{
				MarkdownDescription: "Lists only the directory integrations of this identity provider: one of " + codeList(admin.IdentityProviders()) + ". " +
					"Optional; all are listed when it is not set.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.OneOf(admin.IdentityProviders()...)},
			},
		},
	}
}

func (r *directoryIntegrationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg directoryIntegrationListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	client, ok := r.data.adminClient(&diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	// At most 10 per organization: the service's listing is one page.
	dirs, err := client.DirectoryIntegrations.List(ctx)
	if err != nil {
		addAPIError(&diags, "Error Listing Directory Integrations", "Directory integrations", err, "")
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	stream.Results = func(push func(list.ListResult) bool) {
		var n int64
		for i := range dirs {
			d := &dirs[i]
			if idp := cfg.IdentityProvider.ValueString(); idp != "" && d.IdentityProvider != idp {
				continue
			}
			if req.Limit > 0 && n >= req.Limit {
				return
			}
			result := listResult(ctx, req, d.ID, d.Name, func(res *tfsdk.Resource) diag.Diagnostics {
				var m directoryIntegrationResourceModel
				m.fromAPI(d)
				return res.Set(ctx, m)
			})
			if !push(result) {
				return
			}
			n++
		}
	}
}
