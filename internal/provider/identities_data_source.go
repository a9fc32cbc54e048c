package provider

import (
	"context"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/setvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

// identityTypes are the identity types the data source can select.
var identityTypes = []string{admin.IdentityTypeDirectoryUser, admin.IdentityTypeDirectoryGroup}

var (
	_ datasource.DataSource              = &identitiesDataSource{}
	_ datasource.DataSourceWithConfigure = &identitiesDataSource{}
)

// identitiesDataSource searches the Reports identities of provisioned users
// and groups.
type identitiesDataSource struct {
	dataSourceBase
}

// identitiesDataSourceModel maps the data source schema.
type identitiesDataSourceModel struct {
	Search     types.String    `tfsdk:"search"`
	Types      types.Set       `tfsdk:"types"`
	Identities []identityModel `tfsdk:"identities"`
}

// identityModel is one identity.
type identityModel struct {
	ID    types.Int64  `tfsdk:"id"`
	Label types.String `tfsdk:"label"`
	Type  types.String `tfsdk:"type"`
}

// NewIdentitiesDataSource returns the secureaccess_identities data source.
func NewIdentitiesDataSource() datasource.DataSource {
	return &identitiesDataSource{dataSourceBase{typeName: "_identities"}}
}

func (d *identitiesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the numeric Secure Access identity IDs of provisioned directory users and groups (the Reports API identities), which access policies refer to. " +
			"Deleted identities are left out. Needs the admin API key (`client_id`, `client_secret`).",
		Attributes: map[string]schema.Attribute{
			"search": schema.StringAttribute{
				MarkdownDescription: "Only identities whose label contains this text, compared without regard to letter case. A user's label is `Display Name (userName)`, a group's its display name. When not set, every identity matches.",
				Optional:            true,
			},
			"types": schema.SetAttribute{
				MarkdownDescription: "Only identities of these types. Allowed values: " + codeList(identityTypes) + ". When not set, identities of every type are returned.",
				Optional:            true,
				ElementType:         types.StringType,
				Validators: []validator.Set{
					setvalidator.SizeAtLeast(1),
					setvalidator.ValueStringsAre(stringvalidator.OneOf(identityTypes...)),
				},
			},
			"identities": schema.ListNestedAttribute{
				MarkdownDescription: "The matching identities, ordered by ID.",
				Computed:            true,
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id": schema.Int64Attribute{
						MarkdownDescription: "The numeric identity ID, as access policies use it.",
						Computed:            true,
					},
					"label": schema.StringAttribute{
						MarkdownDescription: "The identity's label, for example `Jane Doe (jane.doe@example.com)`.",
						Computed:            true,
					},
					"type": schema.StringAttribute{
						MarkdownDescription: "The identity's type, one of " + codeList(identityTypes) + " for provisioned users and groups.",
						Computed:            true,
					},
				}},
			},
		},
	}
}

func (d *identitiesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var state identitiesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	query, diags := state.toAPI(ctx)
	resp.Diagnostics.Append(diags...)
	ctx, endWaits := watchRateWaits(ctx, "Reading data.secureaccess_identities")
	defer endWaits(&resp.Diagnostics)
	client, ok := d.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}
	ids, err := client.Identities.List(ctx, query)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading Identities", "Identities", err, "")
		return
	}
	state.fromAPI(ids)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// toAPI is the identity query of the configuration; the types are sorted so
// that the request does not depend on set order.
func (m identitiesDataSourceModel) toAPI(ctx context.Context) (admin.IdentityQuery, diag.Diagnostics) {
	q := admin.IdentityQuery{Search: m.Search.ValueString()}
	if m.Types.IsNull() || m.Types.IsUnknown() {
		return q, nil
	}
	diags := m.Types.ElementsAs(ctx, &q.Types, false)
	slices.Sort(q.Types)
	return q, diags
}

// fromAPI sets the identities from the API's, leaving deleted ones out.
func (m *identitiesDataSourceModel) fromAPI(ids []admin.Identity) {
	m.Identities = make([]identityModel, 0, len(ids))
	for _, id := range ids {
		if id.Deleted {
			continue
		}
		m.Identities = append(m.Identities, identityModel{
			ID:    types.Int64Value(id.ID),
			Label: types.StringValue(id.Label),
			Type:  types.StringValue(id.Type.Type),
		})
	}
}
