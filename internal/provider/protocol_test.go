package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// A harness that drives the provider through the plugin protocol as
// Terraform does, with no terraform binary: the list resources and the
// resource identities, which the Terraform of CI (1.11) neither lists nor
// sends, are tested by `make test` whatever Terraform is installed. The
// acceptance tests with querycheck (Terraform 1.14 and later) stay as the
// end-to-end check.

// protocolServer is the provider as Terraform talks to it, list resources
// included (terraform-plugin-go keeps them out of ProviderServer for now).
type protocolServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
}

// protocolProvider is a provider server configured with every credential
// of a mock, and its schemas.
type protocolProvider struct {
	t          *testing.T
	srv        protocolServer
	schemas    *tfprotov6.GetProviderSchemaResponse
	identities *tfprotov6.GetResourceIdentitySchemasResponse
}

// newProtocolProvider serves the provider in process and configures it
// for m, as a provider block with base_url, the API key and the SCIM
// token would, without the admin API's client-side rate limit.
func newProtocolProvider(t *testing.T, m *testMock) *protocolProvider {
	t.Helper()
	srv, schemas := configuredServer(t, false, map[string]tftypes.Value{
		"base_url":      tfString(m.URL),
		"client_id":     tfString(m.clientID()),
		"client_secret": tfString(m.clientSecret()),
		"scim_token":    tfString(m.SCIMToken),
		"max_retries":   tftypes.NewValue(tftypes.Number, 2),
		"rate_limit":    tftypes.NewValue(tftypes.Number, 1000),
	})
	requireNoErrors(t, "GetProviderSchema", schemas.Diagnostics)
	ls, ok := srv.(protocolServer)
	if !ok {
		t.Fatalf("the provider server %T does not serve list resources", srv)
	}
	identities, err := srv.GetResourceIdentitySchemas(t.Context(), &tfprotov6.GetResourceIdentitySchemasRequest{})
	if err != nil {
		t.Fatalf("GetResourceIdentitySchemas: %v", err)
	}
	requireNoErrors(t, "GetResourceIdentitySchemas", identities.Diagnostics)
	return &protocolProvider{t: t, srv: ls, schemas: schemas, identities: identities}
}

// tfString is a known string.
func tfString(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }

// requireNoErrors fails the test if diags has an error.
func requireNoErrors(t *testing.T, what string, diags []*tfprotov6.Diagnostic) {
	t.Helper()
	if hasError(diags) {
		t.Fatalf("%s: %s", what, formatDiags(diags))
	}
}

// hasError reports whether diags has an error.
func hasError(diags []*tfprotov6.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			return true
		}
	}
	return false
}

// formatDiags renders diagnostics for a failure message.
func formatDiags(diags []*tfprotov6.Diagnostic) string {
	var b strings.Builder
	for _, d := range diags {
		fmt.Fprintf(&b, "\n  %s: %s: %s", d.Severity, d.Summary, d.Detail)
		if d.Attribute != nil {
			fmt.Fprintf(&b, " (at %s)", d.Attribute)
		}
	}
	return b.String()
}

// on is p for the (sub)test t: failures go to t.
func (p *protocolProvider) on(t *testing.T) *protocolProvider {
	c := *p
	c.t = t
	return &c
}

// resourceType is the value type of a resource's state.
func (p *protocolProvider) resourceType(typeName string) tftypes.Type {
	p.t.Helper()
	return valueType(p.t, p.schemas.ResourceSchemas, typeName, "GetProviderSchema has no resource")
}

// identityType is the value type of a resource's identity.
func (p *protocolProvider) identityType(typeName string) tftypes.Type {
	p.t.Helper()
	return valueType(p.t, p.identities.IdentitySchemas, typeName, "GetResourceIdentitySchemas has no identity for")
}

// listConfigType is the value type of a list block's config.
func (p *protocolProvider) listConfigType(typeName string) tftypes.Type {
	p.t.Helper()
	return valueType(p.t, p.schemas.ListResourceSchemas, typeName, "GetProviderSchema has no list resource")
}

// valueType is the value type of typeName's schema in schemas; missing
// names the call that should have had it.
func valueType[S interface{ ValueType() tftypes.Type }](t testing.TB, schemas map[string]S, typeName, missing string) tftypes.Type {
	t.Helper()
	s, ok := schemas[typeName]
	if !ok {
		t.Fatalf("%s %s", missing, typeName)
	}
	return s.ValueType()
}

// identity is the identity {id = id} of a resource of typeName.
func (p *protocolProvider) identity(typeName, id string) *tfprotov6.ResourceIdentityData {
	p.t.Helper()
	typ := p.identityType(typeName)
	return &tfprotov6.ResourceIdentityData{IdentityData: dynamicValue(p.t, typ, objectValue(p.t, typ, map[string]tftypes.Value{"id": tfString(id)}))}
}

// identityID is the id of an identity of typeName; "" when there is none.
func (p *protocolProvider) identityID(typeName string, data *tfprotov6.ResourceIdentityData) string {
	p.t.Helper()
	if data == nil || data.IdentityData == nil {
		return ""
	}
	return idAttr(p.t, p.decode(p.identityType(typeName), data.IdentityData))
}

// decode is dv as a value of typ.
func (p *protocolProvider) decode(typ tftypes.Type, dv *tfprotov6.DynamicValue) tftypes.Value {
	p.t.Helper()
	if dv == nil {
		p.t.Fatalf("no %s value", typ)
	}
	v, err := dv.Unmarshal(typ)
	if err != nil {
		p.t.Fatalf("decoding a %s: %v", typ, err)
	}
	return v
}

// idAttr is the string attribute id of the object v (a state or an
// identity); "" when null.
func idAttr(t *testing.T, v tftypes.Value) string {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := v.As(&attrs); err != nil {
		t.Fatalf("%s is not an object: %v", v, err)
	}
	var id *string
	if err := attrs["id"].As(&id); err != nil {
		t.Fatalf("the id of %s is not a string: %v", v, err)
	}
	if id == nil {
		return ""
	}
	return *id
}

// diffValues describes how got differs from want; "" when they are equal.
func diffValues(want, got tftypes.Value) string {
	diffs, err := want.Diff(got)
	if err != nil {
		return fmt.Sprintf("cannot compare %s with %s: %v", want, got, err)
	}
	var b strings.Builder
	for _, d := range diffs {
		fmt.Fprintf(&b, "\n  %s: want %v, got %v", d.Path, d.Value1, d.Value2)
	}
	return b.String()
}

// listed is one result of ListResource, decoded.
type listed struct {
	DisplayName string
	// ID is the id of the result's identity.
	ID string
	// Resource is the listed resource's value; null unless the request
	// included resources.
	Resource tftypes.Value
}

// list runs ListResource for a list block of typeName whose config sets
// config (everything else null), and reads the whole stream, as Terraform
// does, without stopping at limit: stopping there is the provider's job.
// It returns the results and the diagnostics of the stream.
func (p *protocolProvider) list(typeName string, config map[string]tftypes.Value, includeResource bool, limit int64) ([]listed, []*tfprotov6.Diagnostic) {
	p.t.Helper()
	typ := p.listConfigType(typeName)
	stream, err := p.srv.ListResource(p.t.Context(), &tfprotov6.ListResourceRequest{
		TypeName:        typeName,
		Config:          dynamicValue(p.t, typ, objectValue(p.t, typ, config)),
		IncludeResource: includeResource,
		Limit:           limit,
	})
	if err != nil {
		p.t.Fatalf("ListResource %s: %v", typeName, err)
	}
	var results []listed
	var diags []*tfprotov6.Diagnostic
	for r := range stream.Results {
		diags = append(diags, r.Diagnostics...)
		if hasError(r.Diagnostics) {
			continue
		}
		l := listed{DisplayName: r.DisplayName, ID: p.identityID(typeName, r.Identity), Resource: tftypes.NewValue(p.resourceType(typeName), nil)}
		if r.Resource != nil {
			l.Resource = p.decode(p.resourceType(typeName), r.Resource)
		}
		results = append(results, l)
	}
	return results, diags
}

// mustList is list for a listing that must succeed.
func (p *protocolProvider) mustList(typeName string, config map[string]tftypes.Value, includeResource bool, limit int64) []listed {
	p.t.Helper()
	results, diags := p.list(typeName, config, includeResource, limit)
	requireNoErrors(p.t, "ListResource "+typeName, diags)
	return results
}

// validateList runs ValidateListResourceConfig for a list block of
// typeName whose config sets config, with include_resource and limit as
// Terraform sends them.
func (p *protocolProvider) validateList(typeName string, config map[string]tftypes.Value) []*tfprotov6.Diagnostic {
	p.t.Helper()
	typ := p.listConfigType(typeName)
	resp, err := p.srv.ValidateListResourceConfig(p.t.Context(), &tfprotov6.ValidateListResourceConfigRequest{
		TypeName:              typeName,
		Config:                dynamicValue(p.t, typ, objectValue(p.t, typ, config)),
		IncludeResourceObject: dynamicValue(p.t, tftypes.Bool, tftypes.NewValue(tftypes.Bool, false)),
		Limit:                 dynamicValue(p.t, tftypes.Number, tftypes.NewValue(tftypes.Number, 100)),
	})
	if err != nil {
		p.t.Fatalf("ValidateListResourceConfig %s: %v", typeName, err)
	}
	return resp.Diagnostics
}

// create plans and applies a new resource of typeName whose configuration
// sets config, as Terraform does, and returns its state and identity.
func (p *protocolProvider) create(typeName string, config map[string]tftypes.Value) (tftypes.Value, *tfprotov6.ResourceIdentityData) {
	p.t.Helper()
	ctx := p.t.Context()
	typ := p.resourceType(typeName)
	cfg := dynamicValue(p.t, typ, objectValue(p.t, typ, config))
	prior := dynamicValue(p.t, typ, tftypes.NewValue(typ, nil))
	plan, err := p.srv.PlanResourceChange(ctx, &tfprotov6.PlanResourceChangeRequest{
		TypeName: typeName, PriorState: prior, ProposedNewState: cfg, Config: cfg,
	})
	if err != nil {
		p.t.Fatalf("PlanResourceChange %s: %v", typeName, err)
	}
	requireNoErrors(p.t, "PlanResourceChange "+typeName, plan.Diagnostics)
	applied, err := p.srv.ApplyResourceChange(ctx, &tfprotov6.ApplyResourceChangeRequest{
		TypeName: typeName, PriorState: prior, PlannedState: plan.PlannedState, Config: cfg,
		PlannedPrivate: plan.PlannedPrivate, PlannedIdentity: plan.PlannedIdentity,
	})
	if err != nil {
		p.t.Fatalf("ApplyResourceChange %s: %v", typeName, err)
	}
	requireNoErrors(p.t, "ApplyResourceChange "+typeName, applied.Diagnostics)
	return p.decode(typ, applied.NewState), applied.NewIdentity
}

// read refreshes a resource of typeName, as Terraform does before a plan
// and after an import, and returns its new state and identity.
func (p *protocolProvider) read(typeName string, state tftypes.Value, private []byte, identity *tfprotov6.ResourceIdentityData) (tftypes.Value, *tfprotov6.ResourceIdentityData) {
	p.t.Helper()
	typ := p.resourceType(typeName)
	resp, err := p.srv.ReadResource(p.t.Context(), &tfprotov6.ReadResourceRequest{
		TypeName: typeName, CurrentState: dynamicValue(p.t, typ, state), Private: private, CurrentIdentity: identity,
	})
	if err != nil {
		p.t.Fatalf("ReadResource %s: %v", typeName, err)
	}
	requireNoErrors(p.t, "ReadResource "+typeName, resp.Diagnostics)
	return p.decode(typ, resp.NewState), resp.NewIdentity
}

// importByIdentity imports the resource of typeName whose identity is
// {id = id}, as an import block with identity does, then reads it, as
// Terraform does next. It returns the imported identity and the state and
// identity after the read.
func (p *protocolProvider) importByIdentity(typeName, id string) (imported *tfprotov6.ResourceIdentityData, state tftypes.Value, identity *tfprotov6.ResourceIdentityData) {
	p.t.Helper()
	resp, err := p.srv.ImportResourceState(p.t.Context(), &tfprotov6.ImportResourceStateRequest{
		TypeName: typeName, Identity: p.identity(typeName, id),
	})
	if err != nil {
		p.t.Fatalf("ImportResourceState %s: %v", typeName, err)
	}
	requireNoErrors(p.t, "ImportResourceState "+typeName, resp.Diagnostics)
	if len(resp.ImportedResources) != 1 {
		p.t.Fatalf("ImportResourceState %s imported %d resources, want 1", typeName, len(resp.ImportedResources))
	}
	r := resp.ImportedResources[0]
	typ := p.resourceType(typeName)
	if got := idAttr(p.t, p.decode(typ, r.State)); got != id {
		p.t.Errorf("ImportResourceState %s by identity %q: state id %q", typeName, id, got)
	}
	state, identity = p.read(typeName, p.decode(typ, r.State), r.Private, r.Identity)
	return r.Identity, state, identity
}
