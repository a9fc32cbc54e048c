package provider

import (
	"context"
	"iter"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ list.ListResource              = &scimUserListResource{}
	_ list.ListResourceWithConfigure = &scimUserListResource{}
	_ list.ListResource              = &scimGroupListResource{}
	_ list.ListResourceWithConfigure = &scimGroupListResource{}
)

// scimListResource is the list resource (`terraform query`, Terraform 1.14
// and later) of the SCIM users or groups (T) of the directory integration;
// spec is what users and groups do differently.
type scimListResource[T any] struct {
	spec scimListSpec[T]
	data *providerData
}

// scimListSpec is what the users' and the groups' list resources do
// differently: the type name and description; the
// filter (scimFilterDescription); a failed listing's error and fix
// (invalidFilterFix); the listing; the result of one object (listResult).
type scimListSpec[T any] struct {
	typeName, description       string
	things, key, example        string
	summary, object, fixExample string
	all                         func(ctx context.Context, c *scim.Client, opts *scim.ListOptions) iter.Seq2[*T, error]
	result                      func(ctx context.Context, req list.ListRequest, obj *T) list.ListResult
}

// scimListConfigModel is the configuration of a SCIM list resource.
type scimListConfigModel struct {
	Filter types.String `tfsdk:"filter"`
}

func (r *scimListResource[T]) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + r.spec.typeName
}

func (r *scimListResource[T]) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *scimListResource[T]) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	s := r.spec
	resp.Schema = schema.Schema{
		MarkdownDescription: s.description,
		Attributes: map[string]schema.Attribute{
			"filter": schema.StringAttribute{
				MarkdownDescription: scimFilterDescription(s.things, s.key, s.example, false),
				Optional:            true,
				Validators:          []validator.String{scimFilter(s.example)},
			},
		},
	}
}

func (r *scimListResource[T]) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	s := r.spec
	var cfg scimListConfigModel
	diags := req.Config.Get(ctx, &cfg)
	client, ok := r.data.scimClient(&diags)
	if !ok {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	opts := &scim.ListOptions{Filter: scimFilterOf(cfg.Filter), Count: listPageSize(req.Limit)}
	convert := func(obj *T) list.ListResult { return s.result(ctx, req, obj) }
	fail := func(err error) diag.Diagnostics {
		var diags diag.Diagnostics
		addAPIError(&diags, s.summary, s.object, err, invalidFilterFix(err, s.fixExample))
		return diags
	}
	stream.Results = streamSCIM(s.all(ctx, client, opts), req.Limit, convert, fail)
}

// listPageSize is the page size to ask for when Terraform wants at most
// limit results (0: no limit): never more than scim.DefaultPageSize, so
// that one page at a time is in memory, and no more than the limit.
func listPageSize(limit int64) int {
	if limit > 0 && limit < scim.DefaultPageSize {
		return int(limit)
	}
	return scim.DefaultPageSize
}

// streamSCIM sets stream to the results of objects, one page of the
// service in memory at a time: each object becomes a result through
// convert, until limit results (0: no limit), the end of the listing, or
// Terraform stops reading. A failed request ends the stream with one
// error result, built by fail.
func streamSCIM[T any](objects iter.Seq2[*T, error], limit int64, convert func(*T) list.ListResult, fail func(error) diag.Diagnostics) iter.Seq[list.ListResult] {
	return func(push func(list.ListResult) bool) {
		var n int64
		for obj, err := range objects {
			if err != nil {
				push(list.ListResult{Diagnostics: fail(err)})
				return
			}
			if !push(convert(obj)) {
				return
			}
			n++
			if limit > 0 && n >= limit {
				return
			}
		}
	}
}

// listResult is the result of one object: its identity is the ID id,
// Terraform shows it as name, and set sets the resource when Terraform
// asks for it (include_resource).
func listResult(ctx context.Context, req list.ListRequest, id, name string, set func(*tfsdk.Resource) diag.Diagnostics) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = name
	result.Diagnostics.Append(result.Identity.Set(ctx, scimIdentityModel{ID: types.StringValue(id)})...)
	if req.IncludeResource {
		result.Diagnostics.Append(set(result.Resource)...)
	}
	return result
}
