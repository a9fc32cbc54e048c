package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// What the SCIM resources' Reads share: the refresh of the users, groups
// and group member lists. (Their ModifyPlan shares
// providerData.scimPlanCheck.)

// scimRefresh is the refresh of one SCIM object by a resource's Read.
type scimRefresh struct {
	// id is the object's SCIM ID.
	id string
	// object names it in errors: objectName's `SCIM user "jane" (id)`.
	object string
	// what names the resource in summaries: "SCIM User".
	what string
	// key finds the object an import ID names by its natural key, for
	// the error of an import by that key mistaken for an ID (importMiss).
	key naturalKey
}

// refreshSCIM reads the object of r through read, a method of the batched
// refresh such as (*scim.RefreshService).User. It returns nil when the Read
// ends here: the SCIM settings are only known after apply (the prior state
// stays), the object is gone (it leaves the state; after an import by ID,
// with the error of importMiss), or an error.
func refreshSCIM[T any](ctx context.Context, d *providerData, r scimRefresh, read func(*scim.RefreshService, context.Context, string) (*T, error),
	req resource.ReadRequest, resp *resource.ReadResponse) *T {
	client, ok := d.scimForRefresh(&resp.Diagnostics)
	if !ok {
		return nil
	}
	obj, err := read(client.Refresh, ctx, r.id)
	switch {
	case isNotFound(err):
		if resp.Diagnostics.Append(r.key.importMiss(ctx, client, req.Private, "Error Importing "+r.what)...); resp.Diagnostics.HasError() {
			return nil
		}
		tflog.Warn(ctx, "SCIM object is gone; removing it from state", map[string]any{"object": r.object})
		resp.State.RemoveResource(ctx)
		return nil
	case err != nil:
		addAPIError(&resp.Diagnostics, "Error Reading "+r.what, r.object, err, "")
		return nil
	}
	return obj
}
