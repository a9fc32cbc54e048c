package provider

import (
	"context"
	"fmt"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

var (
	_ resource.Resource                = &scimGroupMemberResource{}
	_ resource.ResourceWithConfigure   = &scimGroupMemberResource{}
	_ resource.ResourceWithImportState = &scimGroupMemberResource{}
	_ resource.ResourceWithModifyPlan  = &scimGroupMemberResource{}
)

// memberPartRegexp matches a group or user ID that can be part of a
// membership ID.
var memberPartRegexp = regexp.MustCompile(`^[^/]+$`)

// NewSCIMGroupMemberResource returns the secureaccess_scim_group_member
// resource.
func NewSCIMGroupMemberResource() resource.Resource {
	return &scimGroupMemberResource{}
}

// scimGroupMemberResource manages one user's membership in one group.
type scimGroupMemberResource struct {
	data *providerData
}

// scimGroupMemberResourceModel maps the resource's schema. A membership has
// no API object of its own: its ID is "<group_id>/<user_id>".
type scimGroupMemberResourceModel struct {
	ID      types.String `tfsdk:"id"`
	GroupID types.String `tfsdk:"group_id"`
	UserID  types.String `tfsdk:"user_id"`
}

func (r *scimGroupMemberResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scim_group_member"
}

func (r *scimGroupMemberResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	idValidators := []validator.String{
		stringvalidator.RegexMatches(memberPartRegexp, "must be a SCIM ID: not empty and without \""+memberIDSeparator+"\""),
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages one user's membership in a SCIM group, leaving the group's other members alone: " +
			"destroying it removes only this user from the group, and deletes neither the user nor the group. " +
			"Refreshing it costs one plain read of the group (`GET /Groups/{id}`, which every SCIM service answers; Secure Access may refuse a `members[...]` filter), " +
			"shared by every membership of the group in one refresh, so it grows with the group: about 200 bytes per member. " +
			"Creating it is one PATCH that adds the user, then a read of the group to confirm that the service kept the user, unless the PATCH's answer shows the members: " +
			"a service that answers success but ignores the user (as some do with an ID they do not know) fails the apply instead of the next plan. " +
			"If the user already is a member, the resource takes the membership over: destroying it removes the user from the group.\n\n" +
			"~> Do not use this resource together with `secureaccess_scim_group_members` for the same group: " +
			"`secureaccess_scim_group_members` removes every member it does not list, so the two would undo each other's changes on every apply.\n\n" +
			"Requires the provider's `scim_token`.",
		Attributes: map[string]schema.Attribute{
			"id": computedKept("The ID of the membership, `<group_id>/<user_id>`."),
			"group_id": schema.StringAttribute{
				MarkdownDescription: "The SCIM ID of the group, such as the `id` of a `secureaccess_scim_group`. " +
					"Changing this forces a new resource to be created.",
				Required:      true,
				Validators:    idValidators,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"user_id": schema.StringAttribute{
				MarkdownDescription: "The SCIM ID of the user, such as the `id` of a `secureaccess_scim_user`. " +
					"Changing this forces a new resource to be created.",
				Required:      true,
				Validators:    idValidators,
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
		},
	}
}

// ModifyPlan fails a plan that creates or changes the membership through a
// provider with no SCIM token, instead of the apply.
func (r *scimGroupMemberResource) ModifyPlan(_ context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.scimPlanCheck(req, &resp.Diagnostics)
}

func (r *scimGroupMemberResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// Create adds the user to the group with one PATCH, and confirms that the
// service did: from the PATCH's answer when it shows the members, else with
// a read of the group (scim.GroupsService.ConfirmMembers). A service that
// answered success without adding the user (one that ignores an unknown
// user ID, say) is an error, and nothing is recorded in state.
func (r *scimGroupMemberResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := withoutStop(ctx)
	defer cancel()
	var plan scimGroupMemberResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	groupID, userID := plan.GroupID.ValueString(), plan.UserID.ValueString()
	shown, err := client.Groups.AddMembers(ctx, groupID, []string{userID})
	if err == nil {
		_, err = client.Groups.ConfirmMembers(ctx, groupID, shown, []string{userID}, nil)
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Creating SCIM Group Member", memberObject(groupID, userID), err, membershipFix(ctx, client, err))
		return
	}
	plan.ID = types.StringValue(formatMemberID(plan.GroupID.ValueString(), plan.UserID.ValueString()))
	tflog.Debug(ctx, "added SCIM group member", map[string]any{"group_id": groupID, "user_id": userID})
	resp.Diagnostics.Append(resp.State.Set(ctx, plan)...)
}

// Read asks whether the user is still a member, from the group's member
// list, which one refresh reads once for every membership of the group (see
// scim.RefreshService); a group that is gone takes the membership with it.
func (r *scimGroupMemberResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state scimGroupMemberResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, ok := r.data.scimForRefresh(&resp.Diagnostics)
	if !ok {
		return // the prior state stays, or an error
	}
	groupID, userID := state.GroupID.ValueString(), state.UserID.ValueString()
	ok, err := client.Refresh.HasMember(ctx, groupID, userID)
	if isNotFound(err) {
		ok, err = false, nil
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading SCIM Group Member", memberObject(groupID, userID), err, "")
		return
	}
	if !ok {
		if id := importedID(ctx, req.Private); id != "" {
			if resp.Diagnostics.Append(memberImportMiss(ctx, client, groupID, userID)...); resp.Diagnostics.HasError() {
				return
			}
		}
		tflog.Warn(ctx, "SCIM group membership is gone; removing it from state", map[string]any{"group_id": groupID, "user_id": userID})
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(formatMemberID(state.GroupID.ValueString(), state.UserID.ValueString()))
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(endImport(ctx, resp.Private)...)
}

// memberImportMiss is the error of an import of a membership that does not
// exist, when its group or its user is given by name: the import ID takes
// SCIM IDs, and the error gives the one to use. It reads the group and the
// user, on this failure only. With both IDs valid (the user is not a
// member) it adds nothing: Terraform's "Cannot import non-existent remote
// object" says that.
func memberImportMiss(ctx context.Context, client *scim.Client, groupID, userID string) diag.Diagnostics {
	var diags diag.Diagnostics
	gid, gByName := resolveMemberPart(ctx, groupID,
		func(ctx context.Context) error {
			_, err := client.Groups.Get(ctx, groupID, client.Groups.WithoutMembers())
			return err
		},
		func(ctx context.Context) (string, error) {
			g, err := client.Groups.GetByDisplayName(ctx, groupID, client.Groups.WithoutMembers())
			if err != nil {
				return "", err
			}
			return g.ID, nil
		})
	uid, uByName := resolveMemberPart(ctx, userID,
		func(ctx context.Context) error { _, err := client.Users.Get(ctx, userID, nil); return err },
		func(ctx context.Context) (string, error) {
			u, err := client.Users.GetByUserName(ctx, userID)
			if err != nil {
				return "", err
			}
			return u.ID, nil
		})
	const summary = "Error Importing SCIM Group Member"
	id := formatMemberID(groupID, userID)
	switch {
	case gid != "" && uid != "" && (gByName || uByName):
		diags.AddError(summary, fmt.Sprintf("The import ID %q names the group or the user by name, but it takes their SCIM IDs, <group_id>/<user_id>. "+
			"In the import block whose id is %q, write\n\n  id = %q\n\n(with terraform import, pass it as the ID).", id, id, formatMemberID(gid, uid)))
	case gid == "" && !idShaped.MatchString(groupID):
		diags.AddError(summary, fmt.Sprintf("No SCIM group has the ID or the display name %q in %s. "+
			"The import ID takes the SCIM IDs of the group and the user, <group_id>/<user_id>; "+
			"the secureaccess_scim_group data source finds a group's ID by display_name.", groupID, scimDirectory))
	case uid == "" && !idShaped.MatchString(userID):
		diags.AddError(summary, fmt.Sprintf("No SCIM user has the ID or the user_name %q in %s. "+
			"The import ID takes the SCIM IDs of the group and the user, <group_id>/<user_id>; "+
			"the secureaccess_scim_user data source finds a user's ID by user_name.", userID, scimDirectory))
	}
	return diags
}

// resolveMemberPart returns the SCIM ID that the group or user part of a
// membership import ID stands for: the part itself when get finds it,
// else the ID of the object whose name it is (byName), else "".
func resolveMemberPart(ctx context.Context, part string, get func(context.Context) error,
	byName func(context.Context) (string, error)) (id string, isName bool) {
	if get(ctx) == nil {
		return part, false
	}
	if id, err := byName(ctx); err == nil {
		return id, true
	}
	return "", false
}

// Update only exists to satisfy resource.Resource: every configurable
// attribute forces a new resource, so Terraform never plans an update.
func (r *scimGroupMemberResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	resp.State.Raw = req.Plan.Raw
}

// Delete removes the user from the group; a group or membership that is
// already gone is success.
func (r *scimGroupMemberResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state scimGroupMemberResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, ok := r.data.scimForDelete("The "+memberObject(state.GroupID.ValueString(), state.UserID.ValueString()), &resp.Diagnostics)
	if !ok {
		return // the object leaves the state only, or an error
	}
	groupID, userID := state.GroupID.ValueString(), state.UserID.ValueString()
	if err := client.Groups.RemoveMembers(ctx, groupID, []string{userID}); err != nil && !isNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting SCIM Group Member", memberObject(groupID, userID), err, "")
		return
	}
	tflog.Debug(ctx, "removed SCIM group member", map[string]any{"group_id": groupID, "user_id": userID})
}

// ImportState accepts "<group_id>/<user_id>"; Read then checks the membership.
func (r *scimGroupMemberResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	groupID, userID, ok := parseMemberID(req.ID)
	if !ok || !validImportID(groupID) || !validImportID(userID) {
		resp.Diagnostics.AddError("Invalid Import ID",
			fmt.Sprintf("Expected an import ID of the form <group_id>/<user_id>, such as "+
				"\"6c1f0b2e-0000-4000-8000-000000000001/0d9e6a4c-0000-4000-8000-000000000002\", got %q.", req.ID))
		return
	}
	diags := r.data.importCheck(apiSCIM, "secureaccess_scim_group_member", req.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	m := scimGroupMemberResourceModel{ID: types.StringValue(req.ID), GroupID: types.StringValue(groupID), UserID: types.StringValue(userID)}
	resp.Diagnostics.Append(resp.State.Set(ctx, m)...)
	resp.Diagnostics.Append(markImport(ctx, resp.Private, req.ID)...)
}

// memberObject names a membership in diagnostics.
func memberObject(groupID, userID string) string {
	return fmt.Sprintf("membership of SCIM user %q in SCIM group %q", userID, groupID)
}
