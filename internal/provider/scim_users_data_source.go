package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ datasource.DataSource              = &scimUsersDataSource{}
	_ datasource.DataSourceWithConfigure = &scimUsersDataSource{}
)

// NewSCIMUsersDataSource returns the secureaccess_scim_users data source.
func NewSCIMUsersDataSource() datasource.DataSource {
	return &scimUsersDataSource{dataSourceBase{typeName: "_scim_users"}}
}

// scimUsersDataSource lists the SCIM users a filter selects, every page.
type scimUsersDataSource struct {
	dataSourceBase
}

// scimUsersDataSourceModel maps the data source's schema.
type scimUsersDataSourceModel struct {
	Filter types.String    `tfsdk:"filter"`
	Users  []scimUserModel `tfsdk:"users"`
}

func (d *scimUsersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the users of the directory integration that the provider's `scim_token` belongs to, " +
			"all of them or those a SCIM filter selects, in the order the service keeps them.",
		Attributes: map[string]schema.Attribute{
			"filter": scimFilterAttribute("users", "userName", `userName eq "jane.doe@example.com"`),
			"users": schema.ListNestedAttribute{
				MarkdownDescription: "The users, with the attributes of the `secureaccess_scim_user` data source.",
				Computed:            true,
				NestedObject:        schema.NestedAttributeObject{Attributes: scimUserDataSourceAttributes()},
			},
		},
	}
}

func (d *scimUsersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, client, ok := scimLookup[scimUsersDataSourceModel](ctx, d.data, req, &resp.Diagnostics)
	if !ok {
		return
	}
	filter := scimFilterOf(cfg.Filter)
	users, err := listAll(client.Users.All(ctx, &scim.ListOptions{Filter: filter}), func(u *scim.User) *scim.User { return u })
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Listing SCIM Users", scimUsersObject(string(filter)), err, invalidFilterFix(err, `userName eq "jane.doe@example.com"`))
		return
	}
	resp.Diagnostics.Append(setUsersState(&resp.State, cfg.Filter, users)...)
}

// scimUsersObject names the listed users in diagnostics: the filter only
// when one is set.
func scimUsersObject(filter string) string {
	if filter == "" {
		return "SCIM users"
	}
	return "SCIM users with filter " + filter
}
