package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ datasource.DataSource                     = &scimUserDataSource{}
	_ datasource.DataSourceWithConfigure        = &scimUserDataSource{}
	_ datasource.DataSourceWithConfigValidators = &scimUserDataSource{}
)

// NewSCIMUserDataSource returns the secureaccess_scim_user data source.
func NewSCIMUserDataSource() datasource.DataSource {
	return &scimUserDataSource{dataSourceBase{typeName: "_scim_user"}}
}

// scimUserDataSource reads one SCIM user by ID or by userName. Its model is
// scimUserModel.
type scimUserDataSource struct {
	dataSourceBase
}

func (d *scimUserDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := scimUserDataSourceAttributes()
	attrs["id"] = schema.StringAttribute{
		MarkdownDescription: descUserID + " Exactly one of `id` and `user_name` must be set.",
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["user_name"] = schema.StringAttribute{
		MarkdownDescription: descUserName + " Exactly one of `id` and `user_name` must be set; the letter case of `user_name` does not matter.",
		Optional:            true,
		Computed:            true,
		CustomType:          userNameType{},
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads one user of the directory integration that the provider's `scim_token` belongs to, by SCIM ID or by `user_name`.",
		Attributes:          attrs,
	}
}

// scimUserDataSourceAttributes are the user's attributes as this data
// source and the elements of secureaccess_scim_users show them: the
// resource's, all computed, described as what they are, not how to set them
// (TestUserConversionCoversSchema fails when they and the model differ).
func scimUserDataSourceAttributes() map[string]schema.Attribute {
	computed := func(description string) schema.StringAttribute {
		return schema.StringAttribute{MarkdownDescription: description, Computed: true}
	}
	return map[string]schema.Attribute{
		"id":           computed(descUserID),
		"user_name":    schema.StringAttribute{MarkdownDescription: descUserName, Computed: true, CustomType: userNameType{}},
		"display_name": computed(descDisplayName),
		"name": schema.SingleNestedAttribute{
			MarkdownDescription: descName,
			Computed:            true,
			Attributes: map[string]schema.Attribute{
				"given_name":  computed(descGivenName),
				"family_name": computed(descFamilyName),
				"formatted":   computed(descFormatted),
			},
		},
		"emails": schema.ListNestedAttribute{
			MarkdownDescription: descEmails,
			Computed:            true,
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"value":   computed(descEmailValue),
					"type":    computed("The kind of address: one of " + codeList(emailTypes) + ", or null."),
					"primary": schema.BoolAttribute{MarkdownDescription: descEmailPrimary, Computed: true},
				},
			},
		},
		"external_id":      computed(descExternalID),
		"active":           schema.BoolAttribute{MarkdownDescription: descActive, Computed: true},
		"native_object_id": computed(descNativeObject),
		"auth_name":        computed(descAuthName),
	}
}

func (d *scimUserDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("user_name")),
	}
}

func (d *scimUserDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	cfg, client, ok := scimLookup[scimUserModel](ctx, d.data, req, &resp.Diagnostics)
	if !ok {
		return
	}
	var (
		u      *scim.User
		err    error
		object string
	)
	if id := cfg.ID.ValueString(); id != "" {
		object = objectName(kindSCIMUser, "", id)
		u, err = client.Users.Get(ctx, id, nil)
	} else {
		object = userKey.object(cfg.UserName.ValueString())
		u, err = client.Users.GetByUserName(ctx, cfg.UserName.ValueString())
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading SCIM User", object, err, userLookupFix(err))
		return
	}
	cfg.fromAPI(u)
	resp.Diagnostics.Append(resp.State.Set(ctx, cfg)...)
}
