package provider

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

// Bounds of a provisioning token's lifetime, in days.
const (
	minTokenDays = 1
	maxTokenDays = 365
)

// dayDuration is the unit of expires_in_days and rotate_before_days.
const dayDuration = 24 * time.Hour

var (
	_ resource.Resource                   = &provisioningTokenResource{}
	_ resource.ResourceWithConfigure      = &provisioningTokenResource{}
	_ resource.ResourceWithImportState    = &provisioningTokenResource{}
	_ resource.ResourceWithModifyPlan     = &provisioningTokenResource{}
	_ resource.ResourceWithValidateConfig = &provisioningTokenResource{}
)

// provisioningTokenResource manages the SCIM provisioning token of a
// directory integration.
type provisioningTokenResource struct {
	data *providerData
	// now is the clock rotate_before_days is measured against.
	now func() time.Time
}

// provisioningTokenResourceModel maps the resource schema.
type provisioningTokenResourceModel struct {
	ID                     types.String `tfsdk:"id"`
	DirectoryIntegrationID types.String `tfsdk:"directory_integration_id"`
	ExpiresInDays          types.Int64  `tfsdk:"expires_in_days"`
	RotateBeforeDays       types.Int64  `tfsdk:"rotate_before_days"`
	RotationTriggers       types.Map    `tfsdk:"rotation_triggers"`
	Token                  types.String `tfsdk:"token"`
	GeneratedAt            types.String `tfsdk:"generated_at"`
	ExpiresAt              types.String `tfsdk:"expires_at"`
}

// provisioningTokenComputed are the attributes a new token gets; a planned
// rotation makes them unknown.
var provisioningTokenComputed = []string{"id", "token", "generated_at", "expires_at"}

// NewProvisioningTokenResource returns the secureaccess_provisioning_token resource.
func NewProvisioningTokenResource() resource.Resource {
	return &provisioningTokenResource{now: time.Now}
}

func (r *provisioningTokenResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provisioning_token"
}

func (r *provisioningTokenResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: modelledNotice("This resource") + "Generates the SCIM provisioning token of a directory integration (the dashboard's \"Generate Token\"), the bearer token the identity provider, " +
			"or this provider's `scim_token`, uses to provision users and groups. A directory integration has one active token: " +
			"creating this resource revokes the token the directory integration had, and destroying it revokes the token.\n\n" +
			"The secret is only known when Terraform generates it, and it is stored in the Terraform state: protect the state accordingly. " +
			"When the token has expired, or was regenerated or revoked outside Terraform, the next plan generates a new one.\n\n" +
			"Import it with the ID of its directory integration. Secure Access never shows the secret again, so `token` is null after an import: " +
			"replace the resource (`terraform apply -replace=...`) to get a token that Terraform knows.\n\n" +
			"Needs the admin API key (`client_id`, `client_secret`).",
		Attributes: map[string]schema.Attribute{
			"id": computedKept("The ID of the token, set by Secure Access. It identifies the token and is not secret."),
			"directory_integration_id": schema.StringAttribute{
				MarkdownDescription: "The ID of the directory integration the token provisions. Changing this forces a new resource to be created.",
				Required:            true,
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
			},
			"expires_in_days": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many days the token is valid, from %d to %d. When not set, the token does not expire. After an import, it is derived from the token's expiry. Changing this forces a new resource to be created.", minTokenDays, maxTokenDays),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(minTokenDays, maxTokenDays)},
				PlanModifiers:       []planmodifier.Int64{int64planmodifier.RequiresReplace()},
			},
			"rotate_before_days": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Plan a replacement (a new token) once the token expires within this many days, from %d to %d, so that a regular `terraform apply` rotates it before it expires. "+
					"When not set, the token is only replaced when it has expired, when it is gone, or when an argument that forces replacement changes. Changing it does not replace the token.", minTokenDays, maxTokenDays),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(minTokenDays, maxTokenDays)},
			},
			"rotation_triggers": schema.MapAttribute{
				MarkdownDescription: "Arbitrary map of values that, when changed, generate a new token, like the `keepers` of the random provider; for example the ID of the identity provider application that uses the token. Changing this forces a new resource to be created.",
				Optional:            true,
				ElementType:         types.StringType,
				PlanModifiers:       []planmodifier.Map{mapplanmodifier.RequiresReplace()},
			},
			"token":        sensitive(computedKept("The secret SCIM bearer token. Secure Access shows it only once, when it is generated, so it is null after `terraform import`.")),
			"generated_at": computedKept("When the token was generated, in RFC 3339 format."),
			"expires_at":   computedKept("When the token expires, in RFC 3339 format; null when it does not expire."),
		},
	}
}

func (r *provisioningTokenResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig warns when rotate_before_days would replace the token on
// every apply.
func (r *provisioningTokenResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var cfg provisioningTokenResourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || cfg.RotateBeforeDays.IsNull() || cfg.RotateBeforeDays.IsUnknown() || cfg.ExpiresInDays.IsUnknown() {
		return
	}
	if cfg.ExpiresInDays.IsNull() {
		resp.Diagnostics.AddAttributeWarning(path.Root("rotate_before_days"), "Token Never Rotates",
			"rotate_before_days has no effect without expires_in_days: a token without expiry is never due for rotation.")
		return
	}
	if cfg.RotateBeforeDays.ValueInt64() >= cfg.ExpiresInDays.ValueInt64() {
		resp.Diagnostics.AddAttributeWarning(path.Root("rotate_before_days"), "Token Rotates on Every Apply",
			fmt.Sprintf("rotate_before_days (%d) is not less than expires_in_days (%d), so every plan finds the new token due for rotation and replaces it.",
				cfg.RotateBeforeDays.ValueInt64(), cfg.ExpiresInDays.ValueInt64()))
	}
}

// ModifyPlan plans a replacement when the token has expired or expires
// within rotate_before_days.
func (r *provisioningTokenResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return // create or destroy
	}
	var state, plan provisioningTokenResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	due, err := dueForRotation(state.ExpiresAt, plan.RotateBeforeDays, r.now())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("expires_at"), "Invalid Provisioning Token Expiry in State", err.Error())
		return
	}
	if !due {
		return
	}
	tflog.Info(ctx, "provisioning token has expired or is due for rotation; planning a new one", map[string]any{
		"id": state.ID.ValueString(), "expires_at": state.ExpiresAt.ValueString(), "rotate_before_days": plan.RotateBeforeDays.ValueInt64(),
	})
	for _, attr := range provisioningTokenComputed {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root(attr), types.StringUnknown())...)
	}
	resp.RequiresReplace = append(resp.RequiresReplace, path.Root("expires_at"))
	summary, detail := rotationReason(state, plan.RotateBeforeDays, r.now())
	resp.Diagnostics.AddAttributeWarning(path.Root("expires_at"), summary, detail)
}

// rotationReason says why a plan replaces the token in state, which
// dueForRotation found due: Terraform shows only "expires_at ... # forces
// replacement".
func rotationReason(state provisioningTokenResourceModel, rotateBeforeDays types.Int64, now time.Time) (summary, detail string) {
	at := now.UTC().Truncate(time.Second).Format(time.RFC3339)
	token := fmt.Sprintf("The provisioning token %s of directory integration %q", state.ID.ValueString(), state.DirectoryIntegrationID.ValueString())
	replaced := " This plan replaces it: the apply generates a new token, which revokes this one at once, " +
		"so whatever uses this token (an identity provider, a scim_token) needs the new one."
	exp, err := time.Parse(time.RFC3339, state.ExpiresAt.ValueString())
	if err != nil || !now.Before(exp) || rotateBeforeDays.IsNull() || rotateBeforeDays.IsUnknown() {
		return "Provisioning Token Expired",
			fmt.Sprintf("%s expired at %s (now %s).%s", token, state.ExpiresAt.ValueString(), at, replaced)
	}
	days := rotateBeforeDays.ValueInt64()
	from := exp.Add(-time.Duration(days) * dayDuration).UTC()
	return "Provisioning Token Due for Rotation",
		fmt.Sprintf("%s expires at %s, and rotate_before_days = %d: it is due for rotation since %s (now %s).%s",
			token, state.ExpiresAt.ValueString(), days, from.Format(time.RFC3339), at, replaced)
}

// dueForRotation reports whether a token expiring at expiresAt (RFC 3339,
// null for never) has expired or is within rotateBeforeDays of now.
func dueForRotation(expiresAt types.String, rotateBeforeDays types.Int64, now time.Time) (bool, error) {
	if expiresAt.IsNull() || expiresAt.IsUnknown() {
		return false, nil
	}
	exp, err := time.Parse(time.RFC3339, expiresAt.ValueString())
	if err != nil {
		return false, fmt.Errorf("expires_at %q is not an RFC 3339 time: %w", expiresAt.ValueString(), err)
	}
	if !rotateBeforeDays.IsNull() && !rotateBeforeDays.IsUnknown() {
		exp = exp.Add(-time.Duration(rotateBeforeDays.ValueInt64()) * dayDuration)
	}
	return !now.Before(exp), nil
}

func (r *provisioningTokenResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := withoutStop(ctx)
	defer cancel()
	var plan provisioningTokenResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Generating the provisioning token of directory integration %q", plan.DirectoryIntegrationID.ValueString()))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}

	dirID := plan.DirectoryIntegrationID.ValueString()
	tok, err := client.ProvisioningTokens.Generate(ctx, dirID, plan.toAPI())
	if err != nil {
		fix := ""
		if isNotFound(err) {
			fix = "The directory integration does not exist: check directory_integration_id."
		}
		addAPIError(&resp.Diagnostics, "Error Creating Provisioning Token", fmt.Sprintf("Provisioning token of directory integration %q", dirID), err, fix)
		return
	}
	tflog.Info(ctx, "generated provisioning token", map[string]any{"id": tok.ID, "directory_integration_id": dirID})
	plan.fromAPI(&admin.ProvisioningTokenMetadata{ID: tok.ID, GeneratedAt: tok.GeneratedAt, ExpiresAt: tok.ExpiresAt})
	plan.Token = types.StringValue(tok.Token)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Read keeps the token (the secret is in state only) while it is the
// directory integration's active one, and removes the resource when it was
// regenerated or revoked elsewhere or has expired, so that the next apply
// makes a new one.
func (r *provisioningTokenResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state provisioningTokenResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Reading the provisioning token of directory integration %q", state.DirectoryIntegrationID.ValueString()))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminForRefresh(&resp.Diagnostics)
	if !ok {
		return // the prior state stays, or an error
	}
	meta, diags := activeToken(ctx, client, state.DirectoryIntegrationID.ValueString())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	imported := state.ID.IsNull()
	if meta == nil || (!imported && meta.ID != state.ID.ValueString()) {
		tflog.Warn(ctx, "provisioning token was revoked or regenerated outside Terraform; removing it from state", map[string]any{
			"id": state.ID.ValueString(), "directory_integration_id": state.DirectoryIntegrationID.ValueString(),
		})
		resp.State.RemoveResource(ctx)
		return
	}
	if meta.ExpiresAt != nil && !r.now().Before(*meta.ExpiresAt) {
		// An expired token authenticates nothing: treat it as gone, so that
		// the plan generates a new one and nothing tries to use the old one.
		tflog.Warn(ctx, "provisioning token has expired; removing it from state", map[string]any{
			"id": meta.ID, "expires_at": meta.ExpiresAt.Format(time.RFC3339),
		})
		resp.State.RemoveResource(ctx)
		return
	}
	if imported {
		state.ExpiresInDays = lifetimeDays(meta)
	}
	state.fromAPI(meta)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// Update only records rotate_before_days: every other argument forces a new
// token.
func (r *provisioningTokenResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan provisioningTokenResourceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

// Delete revokes the token, unless it is no longer the active one: a token
// regenerated outside Terraform since the last refresh is left alone.
func (r *provisioningTokenResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state provisioningTokenResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	dirID := state.DirectoryIntegrationID.ValueString()
	ctx, endWaits := watchRateWaits(ctx, fmt.Sprintf("Revoking the provisioning token of directory integration %q", dirID))
	defer endWaits(&resp.Diagnostics)
	client, ok := r.data.adminClient(&resp.Diagnostics)
	if !ok {
		return
	}
	meta, diags := activeToken(ctx, client, dirID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() || meta == nil {
		return
	}
	if meta.ID != state.ID.ValueString() {
		tflog.Warn(ctx, "the active provisioning token is not the one in state; leaving it", map[string]any{"id": state.ID.ValueString(), "active_id": meta.ID})
		return
	}
	if err := client.ProvisioningTokens.Revoke(ctx, dirID); err != nil && !isNotFound(err) {
		addAPIError(&resp.Diagnostics, "Error Deleting Provisioning Token", fmt.Sprintf("Provisioning token %q of directory integration %q", state.ID.ValueString(), dirID), err, "")
	}
}

// activeToken returns the metadata of the directory integration's active
// token, or nil when it has none (or the directory integration is gone).
func activeToken(ctx context.Context, client *admin.Client, dirID string) (*admin.ProvisioningTokenMetadata, diag.Diagnostics) {
	var diags diag.Diagnostics
	meta, err := client.ProvisioningTokens.Get(ctx, dirID)
	switch {
	case isNotFound(err):
		return nil, diags
	case err != nil:
		addAPIError(&diags, "Error Reading Provisioning Token", fmt.Sprintf("Provisioning token of directory integration %q", dirID), err, "")
		return nil, diags
	}
	return meta, diags
}

// ImportState takes the directory integration's ID; the secret cannot be
// read back, so token stays null.
func (r *provisioningTokenResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	if !validImportID(req.ID) {
		addImportIDError(&resp.Diagnostics, "secureaccess_provisioning_token", req.ID,
			"the ID of the directory integration the token belongs to, such as 7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f")
		return
	}
	diags := r.data.importCheck(apiAdmin, "secureaccess_provisioning_token", req.ID)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resource.ImportStatePassthroughID(ctx, path.Root("directory_integration_id"), req, resp)
}

// toAPI is the expiresInDays of the generate request; nil for no expiry.
func (m provisioningTokenResourceModel) toAPI() *int {
	if m.ExpiresInDays.IsNull() || m.ExpiresInDays.IsUnknown() {
		return nil
	}
	days := int(m.ExpiresInDays.ValueInt64())
	return &days
}

// fromAPI sets the computed attributes from the token's metadata; the secret
// is left as it is.
func (m *provisioningTokenResourceModel) fromAPI(meta *admin.ProvisioningTokenMetadata) {
	m.ID = types.StringValue(meta.ID)
	m.GeneratedAt = timeValue(meta.GeneratedAt)
	m.ExpiresAt = optionalTimeValue(meta.ExpiresAt)
}

// lifetimeDays is the token's validity in whole days, rounded, as
// expires_in_days would have asked for it; null for no expiry.
func lifetimeDays(meta *admin.ProvisioningTokenMetadata) types.Int64 {
	if meta.ExpiresAt == nil {
		return types.Int64Null()
	}
	return types.Int64Value(int64(math.Round(float64(meta.ExpiresAt.Sub(meta.GeneratedAt)) / float64(dayDuration))))
}
