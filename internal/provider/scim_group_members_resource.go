package provider

import (
	"context"
	"fmt"
	"slices"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ resource.Resource                = &scimGroupMembersResource{}
	_ resource.ResourceWithConfigure   = &scimGroupMembersResource{}
	_ resource.ResourceWithImportState = &scimGroupMembersResource{}
	_ resource.ResourceWithModifyPlan  = &scimGroupMembersResource{}
)

// NewSCIMGroupMembersResource returns the secureaccess_scim_group_members
// resource.
func NewSCIMGroupMembersResource() resource.Resource {
	return &scimGroupMembersResource{}
}

// scimGroupMembersResource manages the complete member list of one group.
type scimGroupMembersResource struct {
	data *providerData
}

// scimGroupMembersResourceModel maps the resource's schema.
type scimGroupMembersResourceModel struct {
	ID        types.String `tfsdk:"id"`
	GroupID   types.String `tfsdk:"group_id"`
	MemberIDs types.List   `tfsdk:"member_ids"`
}

// fromAPI converts a group read with its members. The member IDs keep the
// order of the model's current member_ids (the prior state), and members
// it does not list follow, sorted: see orderLike.
func (m *scimGroupMembersResourceModel) fromAPI(g *scim.Group) {
	m.ID = types.StringValue(g.ID)
	m.GroupID = types.StringValue(g.ID)
	m.MemberIDs = stringList(orderLike(memberValues(g.Members), stringElements(m.MemberIDs)))
}

// memberIDs returns the user IDs of member_ids, sorted, each once: the one
// form the member list has between the plan and the requests, which the
// client turns into SCIM members.
func (m scimGroupMembersResourceModel) memberIDs() []string {
	ids := stringElements(m.MemberIDs)
	slices.Sort(ids)
	return slices.Compact(ids)
}

func (r *scimGroupMembersResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scim_group_members"
}

func (r *scimGroupMembersResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages the complete member list of a SCIM group: the group's members are exactly the users in `member_ids`. " +
			"**It is authoritative: creating it, and every apply after, removes the members that are not in `member_ids`, " +
			"including the ones the identity provider added**; use `secureaccess_scim_group_member` for the memberships Terraform adds beside the identity provider's. " +
			"Changes are sent as a delta of added and removed users, at most " + fmt.Sprint(scim.MaxMembersPerPatch) +
			" per request, and confirmed before they are recorded: from the last PATCH's answer when it shows the members, else with one read of the group. " +
			"A service that answers success but does not apply the change (as some do with a user ID they do not know) fails the apply, " +
			"and the state records the members it holds. Destroying the resource removes the members it manages.\n\n" +
			"~> Do not use this resource together with `secureaccess_scim_group_member` for the same group: " +
			"each would undo the other's changes on every apply. Use this resource alone when Terraform owns the whole member list, " +
			"and `secureaccess_scim_group_member` when other tools (such as an identity provider's group push) add members too.\n\n" +
			"Requires the provider's `scim_token`.",
		Attributes: map[string]schema.Attribute{
			"id": computedKept("The SCIM ID of the group, the same as `group_id`."),
			"group_id": schema.StringAttribute{
				MarkdownDescription: "The SCIM ID of the group, such as the `id` of a `secureaccess_scim_group`. " +
					"Changing this forces a new resource to be created.",
				Required:      true,
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1)},
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"member_ids": schema.ListAttribute{
				MarkdownDescription: "The SCIM IDs of the users that are the group's members, such as the `id` of `secureaccess_scim_user` resources. " +
					"The order does not matter: the same IDs in another order plan no change, and a refresh keeps the order of the configuration. " +
					"Each ID may appear only once; a set, such as `toset(...)`, is accepted. " +
					"An empty list removes every member. Members are users only: groups cannot be nested.",
				// A list rather than a set: Terraform compares a set's
				// elements with every other element after apply, and
				// terraform_data alone took 309 s to create a set of 10,000
				// IDs and 6.6 s for the list (BENCHMARKS.md).
				Required:    true,
				ElementType: types.StringType,
				Validators: []validator.List{
					listvalidator.ValueStringsAre(stringvalidator.LengthAtLeast(1)),
					uniqueStringsValidator{},
				},
				PlanModifiers: []planmodifier.List{ignoreListOrder{}},
			},
		},
	}
}

// ModifyPlan fails a plan that creates or changes the member list through a
// provider with no SCIM token, instead of the apply.
func (r *scimGroupMembersResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.scimPlanCheck(req, &resp.Diagnostics)
}

func (r *scimGroupMembersResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// Create reads the group's current members once, sends the delta to the
// planned list and confirms the result (setMembers).
func (r *scimGroupMembersResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := withoutStop(ctx)
	defer cancel()
	var plan scimGroupMembersResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	groupID := plan.GroupID.ValueString()
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	object := fmt.Sprintf("members of SCIM group %q", groupID)
	have, err := client.Groups.Get(ctx, groupID, nil)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Creating SCIM Group Members", object, err, missingGroupFix(err))
		return
	}
	plan.ID = plan.GroupID
	r.setMembers(ctx, client, &plan, memberValues(have.Members), "Error Creating SCIM Group Members", &resp.State, &resp.Diagnostics)
}

// setMembers sends the delta from the members have to those of plan, then
// confirms that the service applied it (scim.GroupsService.ConfirmMembers)
// before it records plan in state. A service that answered success but
// did not apply the change is an error, and the state records the members
// it holds instead, so that the next plan shows what is still to change.
func (r *scimGroupMembersResource) setMembers(ctx context.Context, client *scim.Client, plan *scimGroupMembersResourceModel, have []string,
	summary string, state *tfsdk.State, diags *diag.Diagnostics,
) {
	groupID := plan.GroupID.ValueString()
	object := fmt.Sprintf("members of SCIM group %q", groupID)
	want := plan.memberIDs()
	delta := diffMembers(have, want)
	if len(delta.add)+len(delta.remove) > 0 {
		shown, err := client.Groups.UpdateMembers(ctx, groupID, delta.add, delta.remove)
		if err == nil {
			var got *scim.Group
			if got, err = client.Groups.ConfirmMembers(ctx, groupID, shown, want, delta.remove); got != nil && err != nil {
				plan.fromAPI(got)
				diags.Append(state.Set(ctx, plan)...)
			}
		}
		if err != nil {
			addAPIError(diags, summary, object, err, membershipFix(ctx, client, err))
			return
		}
	}
	tflog.Debug(ctx, "set SCIM group members", map[string]any{"group_id": groupID, "added": len(delta.add), "removed": len(delta.remove)})
	diags.Append(state.Set(ctx, plan)...)
}

func (r *scimGroupMembersResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state scimGroupMembersResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	id := state.GroupID.ValueString()
	g := refreshSCIM(ctx, r.data, scimRefresh{id: id, what: "SCIM Group Members", key: groupKey,
		object: fmt.Sprintf("members of SCIM group %q", id)}, (*scim.RefreshService).GroupMembers, req, resp)
	if g == nil {
		return
	}
	state.fromAPI(g)
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(endImport(ctx, resp.Private)...)
}

// Update sends only the delta between the state and the plan.
func (r *scimGroupMembersResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state scimGroupMembersResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	r.setMembers(ctx, client, &plan, state.memberIDs(), "Error Updating SCIM Group Members", &resp.State, &resp.Diagnostics)
}

// Delete removes the members in state; other members stay.
func (r *scimGroupMembersResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state scimGroupMembersResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	groupID := state.GroupID.ValueString()
	client, ok := r.data.scimForDelete(fmt.Sprintf("The members of SCIM group %q", groupID), &resp.Diagnostics)
	if !ok {
		return // the object leaves the state only, or an error
	}
	remove := state.memberIDs()
	if err := client.Groups.RemoveMembers(ctx, groupID, remove); err != nil && !isNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting SCIM Group Members", fmt.Sprintf("members of SCIM group %q", groupID), err, "")
		return
	}
	tflog.Debug(ctx, "removed SCIM group members", map[string]any{"group_id": groupID, "removed": len(remove)})
}

// ImportState accepts the group's SCIM ID or "display_name=<displayName>",
// as secureaccess_scim_group does; Read then fills in the members.
func (r *scimGroupMembersResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !validImportID(req.ID, groupImportKey) {
		addImportIDError(&resp.Diagnostics, "secureaccess_scim_group_members", req.ID,
			"the SCIM ID of the group, such as 5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d", groupKey.keyForm())
		return
	}
	diags := r.data.importCheck(apiSCIM, "secureaccess_scim_group_members", req.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	id, byKey := splitImportID(req.ID, groupImportKey)
	if byKey {
		id = groupKey.lookupID(ctx, r.data, id, "Error Importing SCIM Group Members", &resp.Diagnostics)
		if resp.Diagnostics.HasError() {
			return
		}
	} else {
		resp.Diagnostics.Append(markImport(ctx, resp.Private, req.ID)...)
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), id)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("group_id"), id)...)
}
