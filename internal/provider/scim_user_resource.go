package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scimlimits"
)

var (
	_ resource.Resource                   = &scimUserResource{}
	_ resource.ResourceWithConfigure      = &scimUserResource{}
	_ resource.ResourceWithImportState    = &scimUserResource{}
	_ resource.ResourceWithModifyPlan     = &scimUserResource{}
	_ resource.ResourceWithValidateConfig = &scimUserResource{}
)

// on_destroy values.
const (
	onDestroyDelete     = "delete"
	onDestroyDeactivate = "deactivate"
)

// onDestroyValues are the allowed on_destroy values.
var onDestroyValues = []string{onDestroyDelete, onDestroyDeactivate}

// emailTypes are the allowed emails[*].type values.
var emailTypes = []string{"work", "home", "other"}

// emailPattern is a deliberately loose email address check: one @, no
// spaces, a dot in the domain. The identity provider is the authority.
var emailPattern = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// NewSCIMUserResource returns the secureaccess_scim_user resource.
func NewSCIMUserResource() resource.Resource {
	return &scimUserResource{}
}

// scimUserResource manages a user of a directory integration through SCIM.
type scimUserResource struct {
	data *providerData
}

func (r *scimUserResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_scim_user"
}

func (r *scimUserResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages a user of a Secure Access directory integration through its SCIM provisioning endpoint, " +
			"as an identity provider such as Okta or Entra ID pushes it. " +
			"**Destroying or replacing this resource deletes the user in Secure Access** (and so its group memberships), " +
			"also a user the identity provider pushed and this configuration imported; with `on_destroy = \"" + onDestroyDeactivate + "\"` it is only deactivated instead. " +
			"The provider's `scim_token` selects the directory integration. " +
			"What the configuration sets is compared and repaired on every apply; what it leaves unset is the service's " +
			"(the guide \"SCIM server compatibility\" says how, under What a service may store differently). " +
			"Import by SCIM ID or by `user_name=<userName>`.",
		Attributes: map[string]schema.Attribute{
			"id": computedKept(descUserID),
			"user_name": schema.StringAttribute{
				MarkdownDescription: descUserName + " " + atMost(scimlimits.UserName) + " A change of letter case alone plans nothing; any other change updates the user in place " +
					"(SCIM allows renaming), keeping its ID and group memberships.",
				Required:      true,
				CustomType:    userNameType{},
				Validators:    []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.UTF8LengthAtMost(scimlimits.UserName)},
				PlanModifiers: []planmodifier.String{keepUserNameCase{}},
			},
			"display_name": optionalUserString(descDisplayName, scimlimits.DisplayName),
			"name": schema.SingleNestedAttribute{
				MarkdownDescription: descName + " When set, at least one of its attributes must be set. " + descLeftToService,
				Optional:            true,
				Computed:            true,
				Attributes: map[string]schema.Attribute{
					"given_name":  givenNameAttribute(),
					"family_name": optionalUserString(descFamilyName, scimlimits.FamilyName),
					"formatted":   optionalUserString(descFormatted, scimlimits.Formatted),
				},
			},
			"emails": schema.ListNestedAttribute{
				MarkdownDescription: descEmails + " When set, the list must not be empty, and at most one email may be primary. " +
					"Neither the order of the emails nor the letter case of the addresses matters. " + descLeftToService,
				Optional:   true,
				Computed:   true,
				Validators: []validator.List{listvalidator.SizeAtLeast(1)},
				NestedObject: schema.NestedAttributeObject{
					Attributes: map[string]schema.Attribute{
						"value": schema.StringAttribute{
							MarkdownDescription: descEmailValue + " It must look like an email address, such as `jane.doe@example.com`. " +
								atMost(scimlimits.EmailValue),
							Required: true,
							Validators: []validator.String{
								stringvalidator.RegexMatches(emailPattern, "must be an email address, such as jane.doe@example.com"),
								stringvalidator.UTF8LengthAtMost(scimlimits.EmailValue),
							},
						},
						"type": schema.StringAttribute{
							MarkdownDescription: "The kind of address: one of " + codeList(emailTypes) + ". " + descLeftToService,
							Optional:            true,
							Computed:            true,
							Validators:          []validator.String{stringvalidator.OneOf(emailTypes...)},
						},
						"primary": schema.BoolAttribute{
							MarkdownDescription: descEmailPrimary + " " + descLeftToService,
							Optional:            true,
							Computed:            true,
						},
					},
				},
			},
			"external_id": optionalUserString(descExternalID, scimlimits.ExternalID),
			"active": schema.BoolAttribute{
				MarkdownDescription: descActive + " Defaults to `true`.",
				Optional:            true,
				Computed:            true,
				Default:             booldefault.StaticBool(true),
			},
			"native_object_id": optionalUserString(descNativeObject, scimlimits.NativeObjectID),
			"auth_name":        optionalUserString(descAuthName, scimlimits.AuthName),
			"on_destroy": schema.StringAttribute{
				MarkdownDescription: "What destroying the resource does to the user: `" + onDestroyDelete + "` deletes it; `" + onDestroyDeactivate +
					"` only sets `active` to false and leaves it in the directory, as Okta's \"Deactivate Users\" push setting does; " +
					"a plan that destroys such a user warns that it is deactivated, not deleted. " +
					"One of " + codeList(onDestroyValues) + ". Defaults to `" + onDestroyDelete + "`. Changing it sends nothing to the service.",
				Optional:   true,
				Computed:   true,
				Default:    stringdefault.StaticString(onDestroyDelete),
				Validators: []validator.String{stringvalidator.OneOf(onDestroyValues...)},
			},
			"adopt_existing": schema.BoolAttribute{
				MarkdownDescription: "When creating the user finds a user with the same `user_name` already in the directory " +
					"(for example one that an earlier `on_destroy = \"" + onDestroyDeactivate + "\"` left behind), take it over and replace its " +
					"attributes with the configured ones instead of failing; the apply then warns that another resource or the identity provider may also manage that user. " +
					"Defaults to `false`: creation fails and says how to import the user. " +
					"Changing it sends nothing to the service.",
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(false),
			},
		},
	}
}

// optionalUserString is an optional, non-empty string attribute of the
// user of at most maxLen characters.
func optionalUserString(description string, maxLen int) schema.StringAttribute {
	return schema.StringAttribute{
		MarkdownDescription: description + " " + atMost(maxLen) + " When set, it must not be empty. " + descLeftToService,
		Optional:            true,
		Computed:            true,
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1), stringvalidator.UTF8LengthAtMost(maxLen)},
	}
}

// atMost states a length limit of internal/scimlimits in a description.
// The limits count characters (Unicode code points), as the
// UTF8LengthAtMost validators and the service do.
func atMost(maxLen int) string {
	return fmt.Sprintf("At most %d characters.", maxLen)
}

// givenNameAttribute is name.given_name. Its validator also rejects a name
// with no attribute set, which the service would store as no name at all.
// The paths are absolute: the validator's error prints them as given, and
// relative ones read "name.given_name.<.family_name".
func givenNameAttribute() schema.StringAttribute {
	a := optionalUserString(descGivenName, scimlimits.GivenName)
	a.Validators = append(a.Validators, stringvalidator.AtLeastOneOf(
		path.MatchRoot("name").AtName("family_name"),
		path.MatchRoot("name").AtName("formatted"),
	))
	return a
}

func (r *scimUserResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig rejects more than one primary email.
func (r *scimUserResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var emails types.List
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("emails"), &emails)...)
	if n := countPrimaryEmails(emails); n > 1 {
		resp.Diagnostics.AddAttributeError(path.Root("emails"), "Too Many Primary Emails",
			fmt.Sprintf("At most one email may have primary = true, but %d do. Mark only the user's main address as primary.", n))
	}
}

// countPrimaryEmails counts the emails whose primary is known to be true.
func countPrimaryEmails(emails types.List) int {
	n := 0
	for _, e := range emails.Elements() {
		obj, ok := e.(types.Object)
		if !ok {
			continue
		}
		if p, ok := obj.Attributes()["primary"].(types.Bool); ok && p.ValueBool() {
			n++
		}
	}
	return n
}

// ModifyPlan fails a plan that creates or changes the user through a
// provider with no SCIM token; plans an update by what the configuration
// owns (ownership.go); and warns when the plan destroys a user whose
// on_destroy is "deactivate": Terraform shows "will be destroyed", but the
// user is only deactivated and stays in Secure Access.
func (r *scimUserResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	r.data.scimPlanCheck(req, &resp.Diagnostics)
	if !req.Plan.Raw.IsNull() && !req.State.Raw.IsNull() {
		resp.Diagnostics.Append(planUserUpdate(ctx, req, resp)...)
		return
	}
	if !req.Plan.Raw.IsNull() || req.State.Raw.IsNull() {
		return
	}
	var state scimUserResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() || state.OnDestroy.ValueString() != onDestroyDeactivate {
		return
	}
	resp.Diagnostics.AddWarning("SCIM User Will Be Deactivated, Not Deleted",
		fmt.Sprintf("on_destroy = %q: destroying this resource only sets active = false on the SCIM user %q (ID %s). "+
			"The user is not deleted: it stays in the Secure Access directory integration, and Terraform no longer manages it. "+
			"To delete it instead, set on_destroy = %q and apply before destroying.",
			onDestroyDeactivate, state.UserName.ValueString(), state.ID.ValueString(), onDestroyDelete))
}

// planUserUpdate plans what the configuration leaves unset (planUser).
func planUserUpdate(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) diag.Diagnostics {
	cfg, diags := getUserValues(ctx, req.Plan, req.Config.Raw)
	state, d := getUserValues(ctx, req.Plan, req.State.Raw)
	diags.Append(d...)
	plan, d := getUserValues(ctx, req.Plan, req.Plan.Raw)
	if diags.Append(d...); diags.HasError() {
		return diags
	}
	edits := planUser(cfg, state, plan, ownedBefore(ctx, req.Private, userOwned(state)))
	return edits.apply(ctx, &resp.Plan)
}

func (r *scimUserResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	ctx, cancel := withoutStop(ctx)
	defer cancel()
	plan, diags := getUserValues(ctx, req.Plan, req.Plan.Raw)
	cfg, d := getUserValues(ctx, req.Plan, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(d...)
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	want := plan.toAPI()
	u, err := client.Users.Create(ctx, want)
	adopted := false
	if isConflict(err) && plan.AdoptExisting.ValueBool() {
		u, err = adoptUser(ctx, client, want)
		adopted = err == nil
	}
	if u == nil {
		fix := importFix(err, "A user with this user_name (compared without regard to letter case)",
			"secureaccess_scim_user", userImportKey+"="+want.UserName,
			"set adopt_existing = true to take it over when the resource is created, if nothing else manages it")
		addAPIError(&resp.Diagnostics, "Error Creating SCIM User", objectName(kindSCIMUser, want.UserName, ""), err, fix)
		return
	}
	if adopted {
		resp.Diagnostics.AddWarning("Existing SCIM User Adopted",
			fmt.Sprintf("secureaccess_scim_user took over the SCIM user %q (ID %s), which already existed, because adopt_existing = true, "+
				"and replaced its attributes with the configured ones. "+
				"Another resource, in this or another Terraform configuration, or the identity provider may also manage this user: "+
				"then each of them overwrites the other's changes. Make sure that only this resource manages it.", u.UserName, u.ID))
	}
	tflog.Debug(ctx, "created SCIM user", map[string]any{"id": u.ID, "user_name": u.UserName})
	r.record(ctx, plan, cfg, u, err == nil, &resp.State, resp.Private, &resp.Diagnostics)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, types.StringValue(u.ID))...)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Creating SCIM User", objectName(kindSCIMUser, want.UserName, u.ID), err,
			storedAnywayFix("user"))
	}
}

// record ends a create or update (recordWrite): the state is plan settled
// against kept, the user as the service answered it (settleUser); an
// answer that failed its check (not complete) warns of nothing.
func (r *scimUserResource) record(ctx context.Context, plan, cfg userValues, kept *scim.User, complete bool,
	state *tfsdk.State, private privateState, diags *diag.Diagnostics,
) {
	owned := userOwned(cfg)
	user, kd := settleUser(plan, kept, owned)
	m := scimUserResourceModel{scimUserModel: user, OnDestroy: plan.OnDestroy, AdoptExisting: plan.AdoptExisting}
	recordWrite(ctx, m, owned, objectName(kindSCIMUser, kept.UserName, kept.ID), kd, complete, state, private, diags)
}

// adoptUser takes over the existing user with want's userName: one lookup
// by userName, then one PUT of the configured attributes.
func adoptUser(ctx context.Context, client *scim.Client, want *scim.User) (*scim.User, error) {
	existing, err := client.Users.GetByUserName(ctx, want.UserName)
	if err != nil {
		return nil, fmt.Errorf("adopting the existing user: %w", err)
	}
	tflog.Info(ctx, "adopting existing SCIM user", map[string]any{"id": existing.ID, "user_name": existing.UserName})
	u, err := client.Users.Replace(ctx, existing.ID, want)
	if err != nil {
		return nil, fmt.Errorf("adopting the existing user: %w", err)
	}
	return u, nil
}

func (r *scimUserResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state scimUserResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, state.ID)...)
	u := refreshSCIM(ctx, r.data, scimRefresh{id: state.ID.ValueString(), what: "SCIM User", key: userKey,
		object: objectName(kindSCIMUser, state.UserName.ValueString(), state.ID.ValueString())}, (*scim.RefreshService).User, req, resp)
	if u == nil {
		return
	}
	prior := state.scimUserModel
	state.fromAPI(u)
	state.keepEquivalent(prior)
	state.setDefaultSettings()
	resp.Diagnostics.Append(resp.State.Set(ctx, state)...)
	resp.Diagnostics.Append(endImport(ctx, resp.Private)...)
}

// Update replaces the user with one PUT of every attribute it knows (the
// configured ones, and those left to the service as last read), or sends
// nothing when only the resource's own settings changed.
func (r *scimUserResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	plan, diags := getUserValues(ctx, req.Plan, req.Plan.Raw)
	cfg, d := getUserValues(ctx, req.Plan, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	resp.Diagnostics.Append(d...)
	var state scimUserResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(setSCIMIdentity(ctx, resp.Identity, state.ID)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want := plan.toAPI()
	if held := state.toAPI(); reflect.DeepEqual(want, held) {
		held.ID = state.ID.ValueString()
		r.record(ctx, plan, cfg, held, true, &resp.State, resp.Private, &resp.Diagnostics)
		return
	}
	client, ok := r.data.scimClient(&resp.Diagnostics)
	if !ok {
		return
	}
	u, err := client.Users.Replace(ctx, state.ID.ValueString(), want)
	if err != nil {
		addAPIError(&resp.Diagnostics, "Error Updating SCIM User", objectName(kindSCIMUser, want.UserName, state.ID.ValueString()), err, userUpdateFix(err))
		return
	}
	r.record(ctx, plan, cfg, u, true, &resp.State, resp.Private, &resp.Diagnostics)
}

// userUpdateFix is the fix text of a failed update, when one is known.
func userUpdateFix(err error) string {
	switch {
	case isNotFound(err):
		return "The user was deleted outside Terraform. Run terraform apply again to create it anew."
	case isConflict(err):
		return "Another user of the directory already has this user_name (compared without regard to letter case). Choose another user_name."
	default:
		return ""
	}
}

// Delete deletes the user, or deactivates it when on_destroy is
// "deactivate". A user that is already gone counts as deleted.
func (r *scimUserResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state scimUserResourceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	client, ok := r.data.scimForDelete(objectName(kindSCIMUser, state.UserName.ValueString(), state.ID.ValueString()), &resp.Diagnostics)
	if !ok {
		return // the object leaves the state only, or an error
	}
	id := state.ID.ValueString()
	summary, err := destroyUser(ctx, client, id, state.OnDestroy.ValueString())
	if err != nil && !isNotFound(err) {
		addAPIError(&resp.Diagnostics, summary, objectName(kindSCIMUser, state.UserName.ValueString(), id), err, "")
		return
	}
	tflog.Debug(ctx, "destroyed SCIM user", map[string]any{"id": id, "on_destroy": state.OnDestroy.ValueString()})
}

// destroyUser deletes or deactivates the user with one request, and
// returns the diagnostic summary to use if that fails.
func destroyUser(ctx context.Context, client *scim.Client, id, onDestroy string) (summary string, err error) {
	if onDestroy == onDestroyDeactivate {
		_, err = client.Users.Patch(ctx, id, []scim.PatchOperation{{Op: scim.OpReplace, Path: "active", Value: false}})
		return "Error Deactivating SCIM User", err
	}
	return "Error Deleting SCIM User", client.Users.Delete(ctx, id)
}

// ImportState accepts the user's SCIM ID or "user_name=<userName>"; Read
// then fills in the rest.
func (r *scimUserResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	naturalKeyImport{
		resourceType: "secureaccess_scim_user",
		key:          userImportKey,
		idForm:       "the user's SCIM ID, such as 2819c223-7f76-453a-919d-413861904646",
		keyForm:      userKey.keyForm(),
		ownership:    true,
		data:         r.data,
		api:          apiSCIM,
		lookup: func(ctx context.Context, userName string, diags *diag.Diagnostics) string {
			return userKey.lookupID(ctx, r.data, userName, "Error Importing SCIM User", diags)
		},
	}.importState(ctx, req, resp)
}
