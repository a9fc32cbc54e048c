package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

var (
	_ resource.Resource                = &directoryIntegrationResource{}
	_ resource.ResourceWithConfigure   = &directoryIntegrationResource{}
	_ resource.ResourceWithImportState = &directoryIntegrationResource{}
	_ resource.ResourceWithModifyPlan  = &directoryIntegrationResource{}
)

// directoryIntegrationResource manages a directory integration through the
// admin API.
type directoryIntegrationResource struct {
	data *providerData
}

// directoryIntegrationResourceModel maps the resource schema.
type directoryIntegrationResourceModel struct {
	ID                 types.String `tfsdk:"id"`
	Name               types.String `tfsdk:"name"`
	IdentityProvider   types.String `tfsdk:"identity_provider"`
	ProvisioningMethod types.String `tfsdk:"provisioning_method"`
	ProvisioningURL    types.String `tfsdk:"provisioning_url"`
	CreatedAt          types.String `tfsdk:"created_at"`
	DeletionProtection types.Bool   `tfsdk:"deletion_protection"`
}

// NewDirectoryIntegrationResource returns the secureaccess_directory_integration resource.
func NewDirectoryIntegrationResource() resource.Resource {
	return &directoryIntegrationResource{}
}

func (r *directoryIntegrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_directory_integration"
}

func (r *directoryIntegrationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: modelledNotice("This resource") + "Manages a Secure Access directory integration whose users and groups an identity provider provisions through SCIM " +
			"(in the dashboard: Connect > Users, Groups and Endpoint Devices > Configuration Management > Integrate directory, provisioning method Identity Provider). " +
			"**Destroying or replacing it deletes every user and group provisioned through it**, including the ones the identity provider pushed " +
			"that no Terraform configuration manages, and revokes its provisioning token: `deletion_protection` (on unless set to `false`) makes a plan that would do so fail, " +
			"naming how many users and groups the integration holds, and with protection off such a plan warns with the same counts. " +
			"Needs the admin API key (`client_id`, `client_secret`).",
		Attributes: map[string]schema.Attribute{
			"id": computedKept("The ID of the directory integration, set by Secure Access."),
			"name": schema.StringAttribute{
				MarkdownDescription: "The name of the directory integration, for example `OKTA Integration`: 1 to 255 characters, unique in the organization (compared without regard to letter case). It can be changed in place.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.LengthBetween(1, 255)},
			},
			"identity_provider": schema.StringAttribute{
				MarkdownDescription: "The identity provider that provisions the directory. Allowed values: " + codeList(admin.IdentityProviders()) + ". Changing this forces a new resource to be created.",
				Required:            true,
				Validators:          []validator.String{stringvalidator.OneOf(admin.IdentityProviders()...)},
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"deletion_protection": schema.BoolAttribute{
				MarkdownDescription: "Whether a plan that destroys or replaces this directory integration fails. Defaults to `true`. " +
					"To destroy the integration, set it to `false` and apply, then destroy (`terraform destroy` reads the value in state). " +
					"A change that replaces the integration (a new `identity_provider`) goes ahead when the same configuration sets it to `false`. " +
					"Changing it sends nothing to the service; an imported integration starts protected.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
			},
			"provisioning_method": computedKept("How the directory is provisioned, set by Secure Access: `idp` (through SCIM by the identity provider)."),
			"provisioning_url":    computedKept("The SCIM 2.0 base URL the identity provider calls, set by Secure Access. It is the same for every directory integration of the organization: the provisioning token selects the directory."),
			"created_at":          computedKept("When the directory integration was created, in RFC 3339 format."),
		},
	}
}

func (r *directoryIntegrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *directoryIntegrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := withoutStop(ctx)
	defer cancel()
	var plan directoryIntegrationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Creating the directory integration %q", plan.Name.ValueString()))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}

	dir, err := client.DirectoryIntegrations.Create(ctx, plan.toAPI())
	if err != nil {
		fix := importFix(err, "A directory integration with this name", "secureaccess_directory_integration",
			directoryIntegrationImportKey+"="+plan.Name.ValueString(), "")
		addAPIError(&resp.Diagnostics, "Error Creating Directory Integration", objectName(kindDirectory, plan.Name.ValueString(), ""), err, fix)
		return
	}
	tflog.Info(ctx, "created directory integration", map[string]any{"id": dir.ID, "identity_provider": dir.IdentityProvider})
	plan.fromAPI(dir)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, plan.ID)...)
}

func (r *directoryIntegrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state directoryIntegrationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, state.ID)...)
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Reading the directory integration %q", state.Name.ValueString()))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminForRefresh(&resp.Diagnostics)
	if !ok {
		return // the prior state stays, or an error
	}

	dir, err := client.DirectoryIntegrations.Read(ctx, state.ID.ValueString())
	if isNotFound(err) {
		tflog.Warn(ctx, "directory integration is gone; removing it from state", map[string]any{"id": state.ID.ValueString()})
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Reading Directory Integration", objectName(kindDirectory, state.Name.ValueString(), state.ID.ValueString()), err, "")
		return
	}
	state.fromAPI(dir)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *directoryIntegrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state directoryIntegrationResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if plan.Name.Equal(state.Name) {
		// Only deletion_protection changed: nothing to send.
		state.DeletionProtection = plan.DeletionProtection
		resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
		resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, state.ID)...)
		return
	}
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Renaming the directory integration %q", state.Name.ValueString()))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}

	dir, err := client.DirectoryIntegrations.Update(ctx, state.ID.ValueString(), plan.Name.ValueString())
	if err != nil {
		fix := ""
		if isConflict(err) {
			fix = "Another directory integration already has this name; names are unique in the organization regardless of letter case."
		}
		addAPIError(&resp.Diagnostics, "Error Updating Directory Integration", objectName(kindDirectory, plan.Name.ValueString(), state.ID.ValueString()), err, fix)
		return
	}
	plan.fromAPI(dir)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, plan.ID)...)
}

func (r *directoryIntegrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state directoryIntegrationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Deleting the directory integration %q", state.Name.ValueString()))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}

	err := client.DirectoryIntegrations.Delete(ctx, state.ID.ValueString())
	if err != nil && !isNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting Directory Integration", objectName(kindDirectory, state.Name.ValueString(), state.ID.ValueString()), err, "")
	}
}

// ModifyPlan fails a plan that destroys or replaces a protected directory
// integration, and warns about one that destroys or replaces an unprotected
// one: either deletes every user and group provisioned through it. Both
// name how many the integration holds, when the admin API can tell.
// Destroying reads deletion_protection from state (a destroy has no
// configuration); replacing reads it from the plan, so that the change that
// replaces the integration can turn protection off with it.
func (r *directoryIntegrationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() {
		return // create
	}
	var state directoryIntegrationResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	destroy := req.Plan.Raw.IsNull()
	protected := !state.DeletionProtection.Equal(types.BoolValue(false))
	if !destroy {
		var plan directoryIntegrationResourceModel
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
		if resp.Diagnostics.HasError() {
			return
		}
		// identity_provider is the one attribute that forces a replacement
		// (the framework hands resource-level ModifyPlan none of the
		// attributes' RequiresReplace). An unknown one may.
		if plan.IdentityProvider.Equal(state.IdentityProvider) {
			return // an update in place
		}
		// Unknown counts as protected: only an explicit false turns it off.
		protected = !plan.DeletionProtection.Equal(types.BoolValue(false))
	}
	what := "Destroying"
	if !destroy {
		what = "Replacing (a new `identity_provider` forces it)"
	}
	name := fmt.Sprintf("directory integration %q (ID %s)", state.Name.ValueString(), state.ID.ValueString())
	holds := r.holdings(ctx, state.ID.ValueString())
	if protected {
		off := "set deletion_protection = false in its configuration and apply, then destroy"
		if !destroy {
			off = "set deletion_protection = false in its configuration, in the same change"
		}
		resp.Diagnostics.AddAttributeError(path.Root("deletion_protection"), "Directory Integration Is Protected from Deletion",
			fmt.Sprintf("%s the %s would delete %s, and revoke its provisioning token. "+
				"deletion_protection is on, so this plan fails.\n\nIf that is what you want, %s:\n\n    deletion_protection = false",
				what, name, holds, off))
		return
	}
	resp.Diagnostics.AddAttributeWarning(path.Root("deletion_protection"), "Directory Integration and Its Users and Groups Will Be Deleted",
		fmt.Sprintf("%s the %s deletes %s, and revokes its provisioning token. deletion_protection is off.", what, name, holds))
}

// holdings says what deleting the directory integration id deletes: its
// users and groups, counted when the admin API can tell, and always the
// ones an identity provider pushed.
func (r *directoryIntegrationResource) holdings(ctx context.Context, id string) string {
	const unmanaged = ", including those the identity provider pushed that no Terraform configuration manages"
	client, ok := r.data.adminClient(new(diag.Diagnostics))
	if !ok {
		return "every user and group provisioned through it (their number is not known while the admin API settings are unknown)" + unmanaged
	}
	// As of this plan's refresh: with several integrations, from its
	// listing (batch_refresh), at no request more.
	dir, err := client.DirectoryIntegrations.Read(ctx, id)
	if err != nil {
		tflog.Warn(ctx, "could not count the directory integration's users and groups", map[string]any{"id": id, "error": err.Error()})
		return "every user and group provisioned through it (their number could not be read: " + err.Error() + ")" + unmanaged
	}
	return fmt.Sprintf("%s and %s provisioned through it%s", plural(dir.UserCount, "user"), plural(dir.GroupCount, "group"), unmanaged)
}

// plural is "1 user", "2 users".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// ImportState accepts the directory integration's ID or "name=<name>".
func (r *directoryIntegrationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	naturalKeyImport{
		resourceType: "secureaccess_directory_integration",
		key:          directoryIntegrationImportKey,
		idForm:       "the directory integration's ID, such as 7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f",
		keyForm:      `name=<name>, such as "name=OKTA Integration" (letter case does not matter)`,
		data:         r.data,
		api:          apiAdmin,
		lookup: func(ctx context.Context, name string, diags *diag.Diagnostics) string {
			client, ok := r.data.adminClient(diags)
			if !ok {
				return ""
			}
			dir, err := client.DirectoryIntegrations.GetByName(ctx, name)
			if err != nil {
				addAPIError(diags, "Error Importing Directory Integration", fmt.Sprintf("Directory integration named %q", name), err,
					"Check the name, or import by ID.")
				return ""
			}
			return dir.ID
		},
	}.importState(ctx, req, resp)
}

// toAPI is the create request of the planned directory integration.
func (m directoryIntegrationResourceModel) toAPI() admin.CreateDirectoryIntegrationRequest {
	return admin.CreateDirectoryIntegrationRequest{Name: m.Name.ValueString(), IdentityProvider: m.IdentityProvider.ValueString()}
}

// fromAPI sets the model from the API's directory integration, and
// deletion_protection, which the service does not know, to true when the
// model has none.
func (m *directoryIntegrationResourceModel) fromAPI(d *admin.DirectoryIntegration) {
	m.ID = types.StringValue(d.ID)
	m.Name = types.StringValue(d.Name)
	m.IdentityProvider = types.StringValue(d.IdentityProvider)
	m.ProvisioningMethod = types.StringValue(d.ProvisioningMethod)
	m.ProvisioningURL = types.StringValue(d.ProvisioningURL)
	m.CreatedAt = timeValue(d.CreatedAt)
	if m.DeletionProtection.IsNull() {
		// Imported, listed, or in a state written by a version without the
		// attribute: protected, as the schema's default.
		m.DeletionProtection = types.BoolValue(true)
	}
}
