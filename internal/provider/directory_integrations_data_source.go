package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

var (
	_ datasource.DataSource              = &directoryIntegrationsDataSource{}
	_ datasource.DataSourceWithConfigure = &directoryIntegrationsDataSource{}
)

// directoryIntegrationsDataSource lists every directory integration.
type directoryIntegrationsDataSource struct {
	dataSourceBase
}

// directoryIntegrationsDataSourceModel maps the data source schema.
type directoryIntegrationsDataSourceModel struct {
	DirectoryIntegrations []directoryIntegrationDataSourceModel `tfsdk:"directory_integrations"`
}

// NewDirectoryIntegrationsDataSource returns the secureaccess_directory_integrations data source.
func NewDirectoryIntegrationsDataSource() datasource.DataSource {
	return &directoryIntegrationsDataSource{dataSourceBase{typeName: "_directory_integrations"}}
}

func (d *directoryIntegrationsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: modelledNotice("This data source") + "Lists every Secure Access directory integration of the organization, with their current user and group counts. Needs the admin API key (`client_id`, `client_secret`).",
		Attributes: map[string]schema.Attribute{
			"directory_integrations": schema.ListNestedAttribute{
				MarkdownDescription: "The directory integrations, in the order Secure Access lists them (creation order).",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: directoryIntegrationAttributes()},
			},
		},
	}
}

func (d *directoryIntegrationsDataSource) Read(ctx context.Context, _ datasource.ReadRequest, resp *datasource.ReadResponse) {
	ctx, endWaits := watchRateWaits(ctx, "Reading data.secureaccess_directory_integrations")
	defer endWaits(&resp.Diagnostics)
	client, ok := d.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}
	dirs, err := client.DirectoryIntegrations.List(ctx)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Listing Directory Integrations", "Directory integrations", err, "")
		return
	}
	var state directoryIntegrationsDataSourceModel
	state.fromAPI(dirs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// fromAPI sets the model from the API's list; an empty list stays a list.
func (m *directoryIntegrationsDataSourceModel) fromAPI(dirs []admin.DirectoryIntegration) {
	m.DirectoryIntegrations = make([]directoryIntegrationDataSourceModel, len(dirs))
	for i := range dirs {
		m.DirectoryIntegrations[i].fromAPI(&dirs[i])
	}
}
