package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scimlimits"
)

var (
	_ resource.Resource                = &scimGroupResource{}
	_ resource.ResourceWithConfigure   = &scimGroupResource{}
	_ resource.ResourceWithImportState = &scimGroupResource{}
	_ resource.ResourceWithModifyPlan  = &scimGroupResource{}
)

// NewSCIMGroupResource returns the secureaccess_scim_group resource.
func NewSCIMGroupResource() resource.Resource {
	return &scimGroupResource{}
}

// scimGroupResource manages a SCIM group's own attributes, never its members.
type scimGroupResource struct {
	data *providerData
}

// scimGroupResourceModel maps the resource's schema. The groups data
// source reuses it for its list elements.
type scimGroupResourceModel struct {
	ID          types.String `tfsdk:"id"`
	DisplayName types.String `tfsdk:"display_name"`
	ExternalID  types.String `tfsdk:"external_id"`
}

// fromAPI converts a group returned by the API; members are ignored.
func (m *scimGroupResourceModel) fromAPI(g *scim.Group) {
	m.ID = types.StringValue(g.ID)
	m.DisplayName = types.StringValue(g.DisplayName)
	m.ExternalID = types.StringPointerValue(g.ExternalID)
}

// toAPI converts the model to a group without members.
func (m scimGroupResourceModel) toAPI() *scim.Group {
	return &scim.Group{
		ID:          m.ID.ValueString(),
		DisplayName: m.DisplayName.ValueString(),
		ExternalID:  knownString(m.ExternalID),
	}
}

// groupAttributeOps are the PATCH operations that change a group's own
// attributes from those of have to those of want, and leave its members
// alone (a PUT would replace the member list). Only what changes is sent,
// and externalId is removed only when the group has one: a service may
// answer a remove of an attribute that is not there with 400 noTarget.
func groupAttributeOps(want, have *scim.Group) []scim.PatchOperation {
	var ops []scim.PatchOperation
	if want.DisplayName != have.DisplayName {
		ops = append(ops, scim.PatchOperation{Op: scim.OpReplace, Path: "displayName", Value: want.DisplayName})
	}
	switch {
	case want.ExternalID == nil && have.ExternalID != nil:
		ops = append(ops, scim.PatchOperation{Op: scim.OpRemove, Path: "externalId"})
	case want.ExternalID != nil && (have.ExternalID == nil || *have.ExternalID != *want.ExternalID):
		ops = append(ops, scim.PatchOperation{Op: scim.OpReplace, Path: "externalId", Value: *want.ExternalID})
	}
	return ops
}

func (r *scimGroupResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scim_group"
}

func (r *scimGroupResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a SCIM group of a Secure Access directory integration, as an identity provider's group push does. " +
			"**Destroying or replacing this resource deletes the group in Secure Access**, with its memberships, " +
			"also a group the identity provider pushed and this configuration imported. " +
			"This resource manages the group's own attributes only: it never reads or writes the group's members. " +
			"Manage members with `secureaccess_scim_group_members` (the whole member list) or `secureaccess_scim_group_member` (one membership each).\n\n" +
			"Requires the provider's `scim_token`.",
		Attributes: map[string]schema.Attribute{
			"id": computedKept("The SCIM ID of the group, assigned by Secure Access."),
			"display_name": schema.StringAttribute{
				MarkdownDescription: "The name of the group, unique within the directory integration (compared without regard to letter case). " +
					"Must not be empty. " + atMost(scimlimits.GroupDisplayName) + " Changing it renames the group in place.",
				Required:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.UTF8LengthAtMost(scimlimits.GroupDisplayName)},
			},
			"external_id": schema.StringAttribute{
				MarkdownDescription: "The identifier of the group in the identity provider, such as Okta's or Entra ID's group ID. " +
					"Must not be empty when set. " + atMost(scimlimits.ExternalID) + " Removing it from the configuration clears it in Secure Access. " + descLeftToService,
				Optional:   true,
				Computed:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.UTF8LengthAtMost(scimlimits.ExternalID)},
			},
		},
	}
}

// ModifyPlan fails a plan that creates or changes the group through a
// provider with no SCIM token, instead of the apply, and plans an update by
// what the configuration owns (ownership.go).
func (r *scimGroupResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.scimPlanCheck(req, &resp.Diagnostics)
	if req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var cfg, state, plan scimGroupResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	edits := planGroup(cfg, state, plan, ownedBefore(ctx, req.Private, groupOwned(state)))
	resp.Diagnostics.Append(edits.apply(ctx, &resp.Plan)...)
}

// record ends a create or update (recordWrite): the state is plan settled
// against kept, the group as the service answered it (settleGroup); an
// answer that failed its check (not complete) warns of nothing.
func (r *scimGroupResource) record(ctx context.Context, plan, cfg scimGroupResourceModel, kept *scim.Group, complete bool,
	state *tfsdk.State, private privateState, diags *diag.Diagnostics,
) {
	owned := groupOwned(cfg)
	group, kd := settleGroup(plan, kept, owned)
	recordWrite(ctx, group, owned, objectName(kindSCIMGroup, kept.DisplayName, kept.ID), kd, complete, state, private, diags)
}

func (r *scimGroupResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *scimGroupResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := withoutStop(ctx)
	defer cancel()
	var plan, cfg scimGroupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	name := plan.DisplayName.ValueString()
	g, err := client.Groups.Create(ctx, plan.toAPI())
	if g == nil {
		fix := importFix(err, "A group with this display name (compared without regard to letter case)",
			"secureaccess_scim_group", groupImportKey+"="+name, "")
		addAPIError(&resp.Diagnostics, "Error Creating SCIM Group", objectName(kindSCIMGroup, name, ""), err, fix)
		return
	}
	tflog.Debug(ctx, "created SCIM group", map[string]any{"id": g.ID, "display_name": name})
	r.record(ctx, plan, cfg, g, err == nil, &resp.State, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, types.StringValue(g.ID))...)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Creating SCIM Group", objectName(kindSCIMGroup, name, g.ID), err, storedAnywayFix("group"))
	}
}

func (r *scimGroupResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state scimGroupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, state.ID)...)
	g := refreshSCIM(ctx, r.data, scimRefresh{id: state.ID.ValueString(), what: "SCIM Group", key: groupKey,
		object: objectName(kindSCIMGroup, state.DisplayName.ValueString(), state.ID.ValueString())}, (*scim.RefreshService).Group, req, resp)
	if g == nil {
		return
	}
	state.fromAPI(g)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(endImport(ctx, resp.Private)...)
}

func (r *scimGroupResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state, cfg scimGroupResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	id := plan.ID.ValueString()
	g := state.toAPI() // nothing to send: the group as last read
	if ops := groupAttributeOps(plan.toAPI(), g); len(ops) > 0 {
		var err error
		if g, err = client.Groups.Patch(ctx, id, ops); err == nil && g == nil {
			// Answered without the group (204): it holds what was sent, and
			// the next refresh reads it; no read here.
			g = plan.toAPI()
		}
		if err != nil {
			addAPIError(&resp.Diagnostics, "Error Updating SCIM Group", objectName(kindSCIMGroup, plan.DisplayName.ValueString(), id), err, groupUpdateFix(err))
			return
		}
	}
	tflog.Debug(ctx, "updated SCIM group", map[string]any{"id": id, "display_name": plan.DisplayName.ValueString()})
	r.record(ctx, plan, cfg, g, true, &resp.State, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, plan.ID)...)
}

// groupUpdateFix is the fix text of a failed update.
func groupUpdateFix(err error) string {
	switch {
	case isNotFound(err):
		return "The group was deleted outside Terraform. Run terraform apply again to create it anew."
	case isConflict(err):
		return "Another group of the directory already has this display_name (compared without regard to letter case). " +
			"Choose another display_name, or rename or delete the other group first."
	default:
		return ""
	}
}

func (r *scimGroupResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state scimGroupResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, ok := r.data.scimForDelete(objectName(kindSCIMGroup, state.DisplayName.ValueString(), state.ID.ValueString()), &resp.Diagnostics)
	if !ok {
		return // the object leaves the state only, or an error
	}
	id := state.ID.ValueString()
	if err := client.Groups.Delete(ctx, id); err != nil && !isNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting SCIM Group", objectName(kindSCIMGroup, state.DisplayName.ValueString(), id), err, "")
		return
	}
	tflog.Debug(ctx, "deleted SCIM group", map[string]any{"id": id})
}

// ImportState accepts the group's SCIM ID or "display_name=<displayName>".
func (r *scimGroupResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	naturalKeyImport{
		resourceType: "secureaccess_scim_group",
		key:          groupImportKey,
		idForm:       "the group's SCIM ID, such as 5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d",
		keyForm:      groupKey.keyForm(),
		ownership:    true,
		data:         r.data,
		api:          apiSCIM,
		lookup: func(ctx context.Context, name string, diags *diag.Diagnostics) string {
			return groupKey.lookupID(ctx, r.data, name, "Error Importing SCIM Group", diags)
		},
	}.importState(ctx, req, resp)
}
