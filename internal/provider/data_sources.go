package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// What the data sources share: the type name and the provider data
// (dataSourceBase), and for the SCIM users and groups, the opening of
// Read (scimLookup), the listing (listAll) and the filter.

// dataSourceBase is embedded by every data source: its type name, after
// the provider's, and the provider data Configure hands it.
type dataSourceBase struct {
	typeName string
	data     *providerData
}

func (b *dataSourceBase) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + b.typeName
}

func (b *dataSourceBase) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	b.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// scimLookup opens the Read of a SCIM data source: its configuration, of
// model M, and the SCIM client; ok is false after an error in either.
func scimLookup[M any](ctx context.Context, d *providerData, req datasource.ReadRequest, diags *diag.Diagnostics) (cfg M, client *scim.Client, ok bool) {
	diags.Append(req.Config.Get(ctx, &cfg)...)
	client, ok = d.scimClient(diags)
	return cfg, client, ok
}

// listAll returns every object of a listing, each converted by convert
// (never nil: an empty listing is an empty list), or the first error.
func listAll[T, E any](objects iter.Seq2[*T, error], convert func(*T) E) ([]E, error) {
	out := []E{}
	for obj, err := range objects {
		if err != nil {
			return nil, err
		}
		out = append(out, convert(obj))
	}
	return out, nil
}

// scimFilterAttribute is the filter of the SCIM users and groups data
// sources: things, key and example as scimFilterDescription takes them.
func scimFilterAttribute(things, key, example string) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: scimFilterDescription(things, key, example, true),
		Optional:            true,
		Validators:          []validator.String{scimFilter(example)},
	}
}
