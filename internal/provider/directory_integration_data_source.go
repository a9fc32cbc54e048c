package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

var (
	_ datasource.DataSource                     = &directoryIntegrationDataSource{}
	_ datasource.DataSourceWithConfigure        = &directoryIntegrationDataSource{}
	_ datasource.DataSourceWithConfigValidators = &directoryIntegrationDataSource{}
)

// directoryIntegrationDataSource reads one directory integration by ID or
// by name.
type directoryIntegrationDataSource struct {
	dataSourceBase
}

// directoryIntegrationDataSourceModel maps one directory integration as the
// data sources show it, with its volatile counts.
type directoryIntegrationDataSourceModel struct {
	ID                 types.String `tfsdk:"id"`
	Name               types.String `tfsdk:"name"`
	IdentityProvider   types.String `tfsdk:"identity_provider"`
	ProvisioningMethod types.String `tfsdk:"provisioning_method"`
	ProvisioningURL    types.String `tfsdk:"provisioning_url"`
	UserCount          types.Int64  `tfsdk:"user_count"`
	GroupCount         types.Int64  `tfsdk:"group_count"`
	CreatedAt          types.String `tfsdk:"created_at"`
	ModifiedAt         types.String `tfsdk:"modified_at"`
}

// NewDirectoryIntegrationDataSource returns the secureaccess_directory_integration data source.
func NewDirectoryIntegrationDataSource() datasource.DataSource {
	return &directoryIntegrationDataSource{dataSourceBase{typeName: "_directory_integration"}}
}

func (d *directoryIntegrationDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := directoryIntegrationAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: "The ID of the directory integration. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
	}
	attrs["name"] = schema.StringAttribute{
		MarkdownDescription: "The name of the directory integration, compared without regard to letter case. Exactly one of `id` and `name` must be set.",
		Optional:            true,
		Computed:            true,
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: modelledNotice("This data source") + "Reads a Secure Access directory integration by ID or by name, with its current user and group counts. Needs the admin API key (`client_id`, `client_secret`).",
		Attributes:          attrs,
	}
}

// ConfigValidators requires exactly one of id and name.
func (d *directoryIntegrationDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("name")),
	}
}

func (d *directoryIntegrationDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var cfg directoryIntegrationDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	ctx, endWaits := watchRateWaits(ctx, "Reading data.secureaccess_directory_integration")
	defer endWaits(&resp.Diagnostics)
	client, ok := d.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}

	var (
		dir    *admin.DirectoryIntegration
		err    error
		object string
	)
	if cfg.ID.IsNull() {
		object = fmt.Sprintf("Directory integration named %q", cfg.Name.ValueString())
		dir, err = client.DirectoryIntegrations.GetByName(ctx, cfg.Name.ValueString())
	} else {
		object = objectName(kindDirectory, "", cfg.ID.ValueString())
		dir, err = client.DirectoryIntegrations.Read(ctx, cfg.ID.ValueString())
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading Directory Integration", object, err, "")
		return
	}
	var state directoryIntegrationDataSourceModel
	state.fromAPI(dir)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// fromAPI sets the model from the API's directory integration.
func (m *directoryIntegrationDataSourceModel) fromAPI(d *admin.DirectoryIntegration) {
	m.ID = types.StringValue(d.ID)
	m.Name = types.StringValue(d.Name)
	m.IdentityProvider = types.StringValue(d.IdentityProvider)
	m.ProvisioningMethod = types.StringValue(d.ProvisioningMethod)
	m.ProvisioningURL = types.StringValue(d.ProvisioningURL)
	m.UserCount = types.Int64Value(int64(d.UserCount))
	m.GroupCount = types.Int64Value(int64(d.GroupCount))
	m.CreatedAt = timeValue(d.CreatedAt)
	m.ModifiedAt = timeValue(d.ModifiedAt)
}

// directoryIntegrationAttributes are the computed attributes of a directory
// integration, shared by the singular and the plural data source.
func directoryIntegrationAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id": schema.StringAttribute{
			MarkdownDescription: "The ID of the directory integration.",
			Computed:            true,
		},
		"name": schema.StringAttribute{
			MarkdownDescription: "The name of the directory integration.",
			Computed:            true,
		},
		"identity_provider": schema.StringAttribute{
			MarkdownDescription: "The identity provider that provisions the directory, one of " + codeList(admin.IdentityProviders()) + ".",
			Computed:            true,
		},
		"provisioning_method": schema.StringAttribute{
			MarkdownDescription: "How the directory is provisioned: `idp` (through SCIM by the identity provider).",
			Computed:            true,
		},
		"provisioning_url": schema.StringAttribute{
			MarkdownDescription: "The SCIM 2.0 base URL the identity provider calls.",
			Computed:            true,
		},
		"user_count": schema.Int64Attribute{
			MarkdownDescription: "How many users are provisioned in the directory now.",
			Computed:            true,
		},
		"group_count": schema.Int64Attribute{
			MarkdownDescription: "How many groups are provisioned in the directory now.",
			Computed:            true,
		},
		"created_at": schema.StringAttribute{
			MarkdownDescription: "When the directory integration was created, in RFC 3339 format.",
			Computed:            true,
		},
		"modified_at": schema.StringAttribute{
			MarkdownDescription: "When the directory integration was last changed, in RFC 3339 format.",
			Computed:            true,
		},
	}
}
