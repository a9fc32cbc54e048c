package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// Resource identity (Terraform 1.12 and later) of secureaccess_scim_user
// and secureaccess_scim_group: the SCIM ID, which the service assigns once
// and never changes. Terraform needs it for the results of `terraform
// query` (list resources) and for import blocks with `identity = { id =
// "…" }`; older versions ignore it, and the import IDs of ImportState keep
// working on every version. secureaccess_directory_integration has the
// same kind of identity, its ID, and uses the same helpers
// (directory_integration_list_resource.go).

var (
	_ resource.ResourceWithIdentity = &scimUserResource{}
	_ resource.ResourceWithIdentity = &scimGroupResource{}
)

// scimIdentityModel is the identity of a SCIM user or group.
type scimIdentityModel struct {
	ID types.String `tfsdk:"id"`
}

// scimIdentitySchema is the identity schema of a SCIM object; kind is
// "user" or "group".
func scimIdentitySchema(kind string) identityschema.Schema {
	return identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"id": identityschema.StringAttribute{
				Description:       "The SCIM ID of the " + kind + ", assigned by Secure Access.",
				RequiredForImport: true,
			},
		},
	}
}

func (r *scimUserResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = scimIdentitySchema("user")
}

func (r *scimGroupResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = scimIdentitySchema("group")
}

// setSCIMIdentity sets identity to the SCIM ID id. A nil identity (a
// resource without identity support in the request) and an unknown or
// null id leave it alone.
func setSCIMIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, id types.String) diag.Diagnostics {
	if identity == nil || id.IsNull() || id.IsUnknown() {
		return nil
	}
	return identity.Set(ctx, scimIdentityModel{ID: id})
}

// importSCIMByIdentity handles an import by identity (an import block with
// identity = { id = "…" }, Terraform 1.12 and later): the ID goes to the
// state's id and Read fills in the rest. It reports whether the request
// was one; an import by ID string (the only kind before 1.12) is left to
// the caller.
func importSCIMByIdentity(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) bool {
	if req.ID != "" || req.Identity == nil {
		return false
	}
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("id"), path.Root("id"), req, resp)
	return true
}
