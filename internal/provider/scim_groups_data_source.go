package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ datasource.DataSource              = &scimGroupsDataSource{}
	_ datasource.DataSourceWithConfigure = &scimGroupsDataSource{}
)

// NewSCIMGroupsDataSource returns the secureaccess_scim_groups data source.
func NewSCIMGroupsDataSource() datasource.DataSource {
	return &scimGroupsDataSource{dataSourceBase{typeName: "_scim_groups"}}
}

// scimGroupsDataSource lists the SCIM groups of the directory integration.
type scimGroupsDataSource struct {
	dataSourceBase
}

// scimGroupsDataSourceModel maps the data source's schema.
type scimGroupsDataSourceModel struct {
	Filter         types.String          `tfsdk:"filter"`
	IncludeMembers types.Bool            `tfsdk:"include_members"`
	Groups         []scimGroupsItemModel `tfsdk:"groups"`
}

// scimGroupsItemModel is one element of groups: the attributes of a
// secureaccess_scim_group plus the member list.
type scimGroupsItemModel struct {
	scimGroupResourceModel
	MemberIDs types.List `tfsdk:"member_ids"`
}

// fromAPI converts a listed group; member_ids is set only when
// withMembers is, sorted like the secureaccess_scim_group data source's.
func (m *scimGroupsItemModel) fromAPI(g *scim.Group, withMembers bool) {
	m.scimGroupResourceModel.fromAPI(g)
	m.MemberIDs = types.ListNull(types.StringType)
	if withMembers {
		m.MemberIDs = stringList(memberValues(g.Members))
	}
}

func (d *scimGroupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists the SCIM groups of the directory integration, all pages, with their members only when `include_members` is true. " +
			"Use it to find the groups an identity provider has already provisioned, and import them into `secureaccess_scim_group` " +
			"(and their member lists into `secureaccess_scim_group_members`) by `id`.\n\n" +
			"Requires the provider's `scim_token`.",
		Attributes: map[string]schema.Attribute{
			"filter": scimFilterAttribute("groups", "displayName", `displayName eq "OKTA - Secure Access Users"`),
			"include_members": schema.BoolAttribute{
				MarkdownDescription: "Whether to read each group's members into its `member_ids`. Defaults to false, which keeps the member lists " +
					"(possibly thousands of users per group) off the wire. The members come with the same paged listing, not one request per group.",
				Optional: true,
			},
			"groups": schema.ListNestedAttribute{
				MarkdownDescription: "The groups, in the order the service lists them.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"id": schema.StringAttribute{
							MarkdownDescription: "The SCIM ID of the group.",
							Computed:            true,
						},
						"display_name": schema.StringAttribute{
							MarkdownDescription: "The name of the group.",
							Computed:            true,
						},
						"external_id": schema.StringAttribute{
							MarkdownDescription: "The identifier of the group in the identity provider; null when it has none.",
							Computed:            true,
						},
						"member_ids": schema.ListAttribute{
							MarkdownDescription: "The SCIM IDs of the group's member users, sorted, when `include_members` is true; null otherwise. " +
								"It can be the `member_ids` of a `secureaccess_scim_group_members` as it is.",
							Computed:    true,
							ElementType: types.StringType,
						},
					},
				},
			},
		},
	}
}

func (d *scimGroupsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	config, client, ok := scimLookup[scimGroupsDataSourceModel](ctx, d.data, req, &resp.Diagnostics)
	if !ok {
		return
	}
	withMembers := config.IncludeMembers.ValueBool()
	opts := &scim.ListOptions{Filter: scimFilterOf(config.Filter)}
	if !withMembers {
		opts.ExcludedAttributes = withoutMembers(client)
	}
	var err error
	config.Groups, err = listAll(client.Groups.All(ctx, opts), func(g *scim.Group) (m scimGroupsItemModel) {
		m.fromAPI(g, withMembers)
		return m
	})
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading SCIM Groups", "SCIM groups", err, invalidFilterFix(err, `displayName eq "Engineering"`))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, config)...)
}
