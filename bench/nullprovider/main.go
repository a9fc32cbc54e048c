// Command nullprovider is the benchmarks' second floor: a plugin that
// serves this provider's exact schemas (attributes, validators, plan
// modifiers) through terraform-plugin-framework, but whose resources do no
// work: Create and Update store the plan with unknown values filled in, Read
// keeps the state, Delete does nothing. Run against the same configuration
// as the real provider, it measures what any framework provider with these
// schemas costs Terraform (plugin start-up, gRPC, the framework's value
// conversions), so that the real provider's cost above it is what its HTTP
// calls and CRUD code add. bench/framework-floor.sh builds and runs it.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	realprovider "github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

func main() {
	realprovider.QuietSDKLogsUnlessLogging() // as the real provider's main does
	opts := providerserver.ServeOpts{Address: "registry.terraform.io/secureaccess-iac/secureaccessnull"}
	if err := providerserver.Serve(context.Background(), func() provider.Provider { return &nullProvider{real: realprovider.New("null")()} }, opts); err != nil {
		log.Fatal(err)
	}
}

// nullProvider has the real provider's name and schema, and no client.
type nullProvider struct {
	real provider.Provider
}

func (p *nullProvider) Metadata(ctx context.Context, req provider.MetadataRequest, resp *provider.MetadataResponse) {
	p.real.Metadata(ctx, req, resp)
}

func (p *nullProvider) Schema(ctx context.Context, req provider.SchemaRequest, resp *provider.SchemaResponse) {
	p.real.Schema(ctx, req, resp)
}

func (p *nullProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (p *nullProvider) Resources(ctx context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, newReal := range p.real.Resources(ctx) {
		out = append(out, func() resource.Resource { return &nullResource{real: newReal()} })
	}
	return out
}

func (p *nullProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

// nullResource has a real resource's type name and schema, and no effect.
type nullResource struct {
	real resource.Resource
}

func (r *nullResource) Metadata(ctx context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	r.real.Metadata(ctx, req, resp)
}

func (r *nullResource) Schema(ctx context.Context, req resource.SchemaRequest, resp *resource.SchemaResponse) {
	r.real.Schema(ctx, req, resp)
}

func (r *nullResource) Create(_ context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (r *nullResource) Read(context.Context, resource.ReadRequest, *resource.ReadResponse) {}

func (r *nullResource) Update(_ context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = known(req.Plan.Raw)
}

func (r *nullResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

// known replaces the unknown values of a planned object (computed
// attributes such as id) with a fixed string, false, zero or null.
func known(v tftypes.Value) tftypes.Value {
	out, err := tftypes.Transform(v, func(_ *tftypes.AttributePath, v tftypes.Value) (tftypes.Value, error) {
		if v.IsKnown() {
			return v, nil
		}
		switch {
		case v.Type().Is(tftypes.String):
			return tftypes.NewValue(tftypes.String, "00000000-0000-4000-8000-000000000000"), nil
		case v.Type().Is(tftypes.Bool):
			return tftypes.NewValue(tftypes.Bool, false), nil
		case v.Type().Is(tftypes.Number):
			return tftypes.NewValue(tftypes.Number, 0), nil
		default:
			return tftypes.NewValue(v.Type(), nil), nil
		}
	})
	if err != nil {
		panic(err) // Transform fails only on a callback error, and this one returns none
	}
	return out
}
