package provider

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// BenchmarkUserListResource lists 10,000 users through the users list
// resource, as `terraform query` does, with and without include_resource,
// against the in-process mock (1000 users a page), in one run:
//
//	go test -run '^$' -bench BenchmarkUserListResource -benchtime 3x -count 3 ./internal/provider/
func BenchmarkUserListResource(b *testing.B) {
	ctx := context.Background()
	m := mocktest.Start(b, "Bench", mockserver.Options{})
	st := m.SCIM(b)
	for _, u := range benchAPIUsers(10000) {
		if _, err := st.CreateUser(scimserver.User{UserName: u.UserName, DisplayName: *u.DisplayName, Active: new(true),
			Name: scimserver.Name{GivenName: *u.Name.GivenName, FamilyName: *u.Name.FamilyName}}); err != nil {
			b.Fatal(err)
		}
	}
	r := &scimUserListResource{spec: userListSpec, data: &providerData{version: "bench", scimURL: m.SCIMURL(), scimToken: m.SCIMToken}}
	var configSchema list.ListResourceSchemaResponse
	r.ListResourceConfigSchema(ctx, list.ListResourceSchemaRequest{}, &configSchema)
	var resourceSchema resource.SchemaResponse
	NewSCIMUserResource().Schema(ctx, resource.SchemaRequest{}, &resourceSchema)
	var identitySchema resource.IdentitySchemaResponse
	NewSCIMUserResource().(resource.ResourceWithIdentity).IdentitySchema(ctx, resource.IdentitySchemaRequest{}, &identitySchema)
	config := tfsdk.Config{Schema: configSchema.Schema, Raw: tftypes.NewValue(configSchema.Schema.Type().TerraformType(ctx), map[string]tftypes.Value{
		"filter": tftypes.NewValue(tftypes.String, nil),
	})}
	for _, include := range []bool{false, true} {
		name := "identity"
		if include {
			name = "include_resource"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				req := list.ListRequest{Config: config, IncludeResource: include,
					ResourceSchema: resourceSchema.Schema, ResourceIdentitySchema: identitySchema.IdentitySchema}
				var stream list.ListResultsStream
				r.List(ctx, req, &stream)
				n := 0
				for result := range stream.Results {
					if result.Diagnostics.HasError() {
						b.Fatal(result.Diagnostics)
					}
					n++
				}
				if n != 10000 {
					b.Fatalf("listed %d users, want 10000", n)
				}
			}
		})
	}
}

// userResourceSchema returns secureaccess_scim_user's schema.
func userResourceSchema(t testing.TB) rschema.Schema {
	t.Helper()
	var resp resource.SchemaResponse
	NewSCIMUserResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	return resp.Schema
}

// listedUserModel is what the users list resource gives a listed user.
func listedUserModel(u *scim.User) *scimUserResourceModel {
	var m scimUserResourceModel
	m.fromAPI(u)
	m.setDefaultSettings()
	return &m
}

// TestSetUserResourceMatchesReflection checks that setUserResource gives
// exactly the resource that tfsdk's reflection gives, for every user shape.
func TestSetUserResourceMatchesReflection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := userResourceSchema(t)
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	users := append([]*scim.User{
		fullAPIUser(),
		{ID: "u1", UserName: "jane"},
		{ID: "u2", UserName: "john", Active: new(false), Name: &scim.Name{}, Emails: []scim.Email{}},
		{ID: "u3", UserName: "joe", Name: &scim.Name{GivenName: new("Joe")}, Cisco: &scim.CiscoUserExtension{AuthName: new("joe")}},
	}, benchAPIUsers(3)...)
	for _, u := range users {
		t.Run(u.UserName, func(t *testing.T) {
			t.Parallel()
			m := listedUserModel(u)
			want := tfsdk.Resource{Schema: s, Raw: null}
			if diags := want.Set(ctx, m); diags.HasError() {
				t.Fatalf("reflection: %v", diags)
			}
			got := tfsdk.Resource{Schema: s, Raw: null}
			if diags := setUserResource(&got, m); diags.HasError() {
				t.Fatalf("setUserResource: %v", diags)
			}
			if !got.Raw.Equal(want.Raw) {
				t.Errorf("setUserResource = %s\nwant (reflection) %s", got.Raw, want.Raw)
			}
		})
	}
}

// TestSetUserResourceSchemaMismatch checks that a resource whose schema is
// not secureaccess_scim_user's is an error diagnostic, not a panic.
func TestSetUserResourceSchemaMismatch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	wrong := userResourceSchema(t)
	delete(wrong.Attributes, "adopt_existing")
	res := tfsdk.Resource{Schema: wrong, Raw: tftypes.NewValue(wrong.Type().TerraformType(ctx), nil)}
	if diags := setUserResource(&res, listedUserModel(fullAPIUser())); !diags.HasError() {
		t.Fatalf("setUserResource with a mismatched schema: no error; resource %s", res.Raw)
	}
}

// BenchmarkUserResource compares building the resources of 10,000 listed
// users by reflection (Resource.Set) and by hand, in one run:
//
//	go test -run '^$' -bench BenchmarkUserResource -benchtime 3x -count 3 ./internal/provider/
func BenchmarkUserResource(b *testing.B) {
	ctx := context.Background()
	s := userResourceSchema(b)
	null := tftypes.NewValue(s.Type().TerraformType(ctx), nil)
	users := benchAPIUsers(10000)
	b.Run("reflect", func(b *testing.B) {
		for b.Loop() {
			for _, u := range users {
				res := tfsdk.Resource{Schema: s, Raw: null}
				if diags := res.Set(ctx, listedUserModel(u)); diags.HasError() {
					b.Fatal(diags)
				}
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		for b.Loop() {
			for _, u := range users {
				res := tfsdk.Resource{Schema: s, Raw: null}
				if diags := setUserResource(&res, listedUserModel(u)); diags.HasError() {
					b.Fatal(diags)
				}
			}
		}
	})
}
