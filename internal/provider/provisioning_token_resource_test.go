package provider

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	tfresource "github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
)

func TestProvisioningTokenResourceSchemaSensitive(t *testing.T) {
	t.Parallel()
	var resp resource.SchemaResponse
	NewProvisioningTokenResource().Schema(t.Context(), resource.SchemaRequest{}, &resp)
	var sensitive []string
	for name, attr := range resp.Schema.Attributes {
		if attr.IsSensitive() {
			sensitive = append(sensitive, name)
		}
	}
	if diff := cmp.Diff([]string{"token"}, sensitive); diff != "" {
		t.Errorf("sensitive attributes (-want +got):\n%s", diff)
	}
}

func TestProvisioningTokenResourceModelToAPI(t *testing.T) {
	t.Parallel()
	thirty := 30
	tests := []struct {
		name string
		in   types.Int64
		want *int
	}{
		{"no expiry", types.Int64Null(), nil},
		{"unknown", types.Int64Unknown(), nil},
		{"thirty days", types.Int64Value(30), &thirty},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := provisioningTokenResourceModel{ExpiresInDays: tt.in}
			if diff := cmp.Diff(tt.want, m.toAPI()); diff != "" {
				t.Errorf("toAPI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProvisioningTokenResourceModelFromAPI(t *testing.T) {
	t.Parallel()
	generated := time.Date(2026, 3, 18, 12, 20, 0, 0, time.UTC)
	expires := generated.Add(30 * dayDuration)
	tests := []struct {
		name string
		in   admin.ProvisioningTokenMetadata
		want provisioningTokenResourceModel
	}{
		{
			name: "expiring",
			in:   admin.ProvisioningTokenMetadata{ID: "tok-1", GeneratedAt: generated, ExpiresAt: &expires, LastUsedAt: &generated},
			want: provisioningTokenResourceModel{
				ID: types.StringValue("tok-1"), GeneratedAt: types.StringValue("2026-03-18T12:20:00Z"), ExpiresAt: types.StringValue("2026-04-17T12:20:00Z"),
				Token: types.StringValue("kept"), DirectoryIntegrationID: types.StringValue("dir"), RotationTriggers: types.MapNull(types.StringType),
			},
		},
		{
			name: "no expiry",
			in:   admin.ProvisioningTokenMetadata{ID: "tok-2", GeneratedAt: generated},
			want: provisioningTokenResourceModel{
				ID: types.StringValue("tok-2"), GeneratedAt: types.StringValue("2026-03-18T12:20:00Z"), ExpiresAt: types.StringNull(),
				Token: types.StringValue("kept"), DirectoryIntegrationID: types.StringValue("dir"), RotationTriggers: types.MapNull(types.StringType),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := provisioningTokenResourceModel{Token: types.StringValue("kept"), DirectoryIntegrationID: types.StringValue("dir"), RotationTriggers: types.MapNull(types.StringType)}
			got.fromAPI(&tt.in)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("fromAPI (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLifetimeDays(t *testing.T) {
	t.Parallel()
	generated := time.Date(2026, 3, 18, 12, 20, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { e := generated.Add(d); return &e }
	tests := []struct {
		name    string
		expires *time.Time
		want    types.Int64
	}{
		{"no expiry", nil, types.Int64Null()},
		{"one day", at(dayDuration), types.Int64Value(1)},
		{"a year", at(365 * dayDuration), types.Int64Value(365)},
		{"rounded", at(30*dayDuration - time.Minute), types.Int64Value(30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := lifetimeDays(&admin.ProvisioningTokenMetadata{GeneratedAt: generated, ExpiresAt: tt.expires})
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("lifetimeDays (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDueForRotation(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		expiresAt types.String
		before    types.Int64
		want      bool
		wantErr   bool
	}{
		{name: "no rotate_before_days", expiresAt: types.StringValue("2026-03-19T12:00:00Z"), before: types.Int64Null()},
		{name: "no expiry", expiresAt: types.StringNull(), before: types.Int64Value(7)},
		{name: "expiry unknown", expiresAt: types.StringUnknown(), before: types.Int64Value(7)},
		{name: "rotate_before_days unknown", expiresAt: types.StringValue("2026-03-19T12:00:00Z"), before: types.Int64Unknown()},
		{name: "well before", expiresAt: types.StringValue("2026-04-17T12:00:00Z"), before: types.Int64Value(7)},
		{name: "one second before the window", expiresAt: types.StringValue("2026-03-25T12:00:01Z"), before: types.Int64Value(7)},
		{name: "window starts now", expiresAt: types.StringValue("2026-03-25T12:00:00Z"), before: types.Int64Value(7), want: true},
		{name: "inside the window", expiresAt: types.StringValue("2026-03-19T12:00:00Z"), before: types.Int64Value(2), want: true},
		{name: "already expired", expiresAt: types.StringValue("2026-03-01T00:00:00Z"), before: types.Int64Value(1), want: true},
		{name: "expired, no rotate_before_days", expiresAt: types.StringValue("2026-03-18T12:00:00Z"), before: types.Int64Null(), want: true},
		{name: "expired, rotate_before_days unknown", expiresAt: types.StringValue("2026-03-01T00:00:00Z"), before: types.Int64Unknown(), want: true},
		{name: "garbage in state", expiresAt: types.StringValue("tomorrow"), before: types.Int64Value(1), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := dueForRotation(tt.expiresAt, tt.before, now)
			if (err != nil) != tt.wantErr {
				t.Fatalf("dueForRotation error = %v, want error %v", err, tt.wantErr)
			}
			if got != tt.want {
				t.Errorf("dueForRotation = %v, want %v", got, tt.want)
			}
		})
	}
}

// tokenSchemaValue is a raw provisioning token object: every attribute null
// except those in set.
func tokenSchemaValue(t *testing.T, set map[string]tftypes.Value) (schema.Schema, tftypes.Value) {
	t.Helper()
	var resp resource.SchemaResponse
	NewProvisioningTokenResource().Schema(t.Context(), resource.SchemaRequest{}, &resp)
	objType, ok := resp.Schema.Type().TerraformType(t.Context()).(tftypes.Object)
	if !ok {
		t.Fatal("the schema is not an object")
	}
	values := map[string]tftypes.Value{}
	for name, typ := range objType.AttributeTypes {
		values[name] = tftypes.NewValue(typ, nil)
	}
	maps.Copy(values, set)
	return resp.Schema, tftypes.NewValue(objType, values)
}

// diagSummaries lists diagnostics as "Severity: Summary".
func diagSummaries(diags diag.Diagnostics) []string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Severity().String()+": "+d.Summary())
	}
	return out
}

func TestProvisioningTokenResourceValidateConfig(t *testing.T) {
	t.Parallel()
	number := func(n int64) tftypes.Value { return tftypes.NewValue(tftypes.Number, n) }
	unknown := tftypes.NewValue(tftypes.Number, tftypes.UnknownValue)
	null := tftypes.NewValue(tftypes.Number, nil)
	tests := []struct {
		name                  string
		expiresIn, rotateDays tftypes.Value
		want                  []string
	}{
		{name: "neither", expiresIn: null, rotateDays: null},
		{name: "expiry only", expiresIn: number(30), rotateDays: null},
		{name: "rotation window inside the lifetime", expiresIn: number(180), rotateDays: number(30)},
		{name: "expiry not known yet", expiresIn: unknown, rotateDays: number(30)},
		{name: "no expiry", expiresIn: null, rotateDays: number(30), want: []string{"Warning: Token Never Rotates"}},
		{name: "window as long as the lifetime", expiresIn: number(30), rotateDays: number(30), want: []string{"Warning: Token Rotates on Every Apply"}},
		{name: "window longer than the lifetime", expiresIn: number(1), rotateDays: number(2), want: []string{"Warning: Token Rotates on Every Apply"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sch, raw := tokenSchemaValue(t, map[string]tftypes.Value{
				"directory_integration_id": tftypes.NewValue(tftypes.String, "dir"),
				"expires_in_days":          tt.expiresIn,
				"rotate_before_days":       tt.rotateDays,
			})
			var resp resource.ValidateConfigResponse
			NewProvisioningTokenResource().(*provisioningTokenResource).ValidateConfig(t.Context(), resource.ValidateConfigRequest{Config: tfsdk.Config{Schema: sch, Raw: raw}}, &resp)
			if diff := cmp.Diff(tt.want, diagSummaries(resp.Diagnostics)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

func TestProvisioningTokenResourceModifyPlan(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	token := func(expiresAt string, rotateBeforeDays any) map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"id": str("tok-1"), "directory_integration_id": str("dir"), "token": str("secret"),
			"generated_at": str("2026-03-17T12:00:00Z"), "expires_at": str(expiresAt),
			"expires_in_days": tftypes.NewValue(tftypes.Number, 2), "rotate_before_days": tftypes.NewValue(tftypes.Number, rotateBeforeDays),
		}
	}
	const replaced = " This plan replaces it: the apply generates a new token, which revokes this one at once, " +
		"so whatever uses this token (an identity provider, a scim_token) needs the new one."
	due := func(expiresAt, since string, days int) []diagSummary {
		return []diagSummary{{Severity: diag.SeverityWarning, Path: "expires_at", Summary: "Provisioning Token Due for Rotation",
			Detail: fmt.Sprintf(`The provisioning token tok-1 of directory integration "dir" expires at %s, and rotate_before_days = %d: `+
				"it is due for rotation since %s (now 2026-03-18T12:00:00Z).%s", expiresAt, days, since, replaced)}}
	}
	expired := func(expiresAt string) []diagSummary {
		return []diagSummary{{Severity: diag.SeverityWarning, Path: "expires_at", Summary: "Provisioning Token Expired",
			Detail: fmt.Sprintf(`The provisioning token tok-1 of directory integration "dir" expired at %s (now 2026-03-18T12:00:00Z).%s`, expiresAt, replaced)}}
	}
	tests := []struct {
		name           string
		state, plan    map[string]tftypes.Value // nil: create or destroy
		wantReplace    bool
		wantTokenKnown bool
		wantDiags      []diagSummary
	}{
		{name: "due", state: token("2026-03-19T12:00:00Z", 2), plan: token("2026-03-19T12:00:00Z", 2), wantReplace: true,
			wantDiags: due("2026-03-19T12:00:00Z", "2026-03-17T12:00:00Z", 2)},
		{name: "due once rotate_before_days is set", state: token("2026-03-19T12:00:00Z", nil), plan: token("2026-03-19T12:00:00Z", 2), wantReplace: true,
			wantDiags: due("2026-03-19T12:00:00Z", "2026-03-17T12:00:00Z", 2)},
		{name: "window starts now", state: token("2026-03-21T12:00:00Z", 3), plan: token("2026-03-21T12:00:00Z", 3), wantReplace: true,
			wantDiags: due("2026-03-21T12:00:00Z", "2026-03-18T12:00:00Z", 3)},
		{name: "expired", state: token("2026-03-18T11:59:59Z", nil), plan: token("2026-03-18T11:59:59Z", nil), wantReplace: true,
			wantDiags: expired("2026-03-18T11:59:59Z")},
		{name: "expired, with rotate_before_days", state: token("2026-03-01T00:00:00Z", 7), plan: token("2026-03-01T00:00:00Z", 7), wantReplace: true,
			wantDiags: expired("2026-03-01T00:00:00Z")},
		{name: "not due yet", state: token("2026-03-21T12:00:01Z", 3), plan: token("2026-03-21T12:00:01Z", 3), wantTokenKnown: true},
		{name: "no rotate_before_days", state: token("2026-03-19T12:00:00Z", 2), plan: token("2026-03-19T12:00:00Z", nil), wantTokenKnown: true},
		{name: "destroy", state: token("2026-03-19T12:00:00Z", 2)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			sch, stateRaw := tokenSchemaValue(t, tt.state)
			_, planRaw := tokenSchemaValue(t, tt.plan)
			if tt.plan == nil {
				planRaw = tftypes.NewValue(planRaw.Type(), nil)
			}
			r := &provisioningTokenResource{now: func() time.Time { return now }}
			req := resource.ModifyPlanRequest{State: tfsdk.State{Schema: sch, Raw: stateRaw}, Plan: tfsdk.Plan{Schema: sch, Raw: planRaw}}
			resp := resource.ModifyPlanResponse{Plan: req.Plan}
			r.ModifyPlan(t.Context(), req, &resp)
			if diff := cmp.Diff(tt.wantDiags, summarize(resp.Diagnostics)); diff != "" {
				t.Errorf("ModifyPlan diagnostics (-want +got):\n%s", diff)
			}
			var wantReplace path.Paths
			if tt.wantReplace {
				wantReplace = path.Paths{path.Root("expires_at")}
			}
			if diff := cmp.Diff(wantReplace, resp.RequiresReplace); diff != "" {
				t.Errorf("RequiresReplace (-want +got):\n%s", diff)
			}
			if tt.plan == nil {
				return
			}
			var planned provisioningTokenResourceModel
			resp.Diagnostics.Append(resp.Plan.Get(t.Context(), &planned)...)
			if known := !planned.Token.IsUnknown() && !planned.ExpiresAt.IsUnknown() && !planned.ID.IsUnknown(); known != tt.wantTokenKnown {
				t.Errorf("planned token, id and expires_at known = %v, want %v", known, tt.wantTokenKnown)
			}
		})
	}
}

func TestAccProvisioningTokenResource_basic(t *testing.T) {
	m := newAdminTestTarget(t)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkTokensRevoked(m),
		Steps: []tfresource.TestStep{
			{
				Config: provisioningTokenConfig(m, "expires_in_days = 30"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(provisioningTokenAddr, tfjsonpath.New("id"), knownvalue.NotNull()),
					statecheck.ExpectKnownValue(provisioningTokenAddr, tfjsonpath.New("token"), knownvalue.StringRegexp(regexp.MustCompile(`^\S{20,}$`))),
					statecheck.ExpectKnownValue(provisioningTokenAddr, tfjsonpath.New("generated_at"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(provisioningTokenAddr, tfjsonpath.New("expires_at"), knownvalue.StringRegexp(rfc3339Regexp)),
					statecheck.ExpectKnownValue(provisioningTokenAddr, tfjsonpath.New("expires_in_days"), knownvalue.Int64Exact(30)),
					statecheck.ExpectSensitiveValue(provisioningTokenAddr, tfjsonpath.New("token")),
				},
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
				Check: tfresource.ComposeTestCheckFunc(
					checkAdminRequestCount(m, "POST /admin/v2/directoryIntegrations/{id}/provisioningToken", 1),
					checkTokenActive(t, m),
				),
			},
			{
				ResourceName: provisioningTokenAddr,
				ImportState:  true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return stateAttr(s, provisioningTokenAddr, "directory_integration_id")
				},
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"token"},
			},
		},
	})
}

// TestAccProvisioningTokenResource_update covers rotate_before_days (a
// rotation planned when the token expires soon, an in-place change
// otherwise) and rotation_triggers (a new token when they change).
func TestAccProvisioningTokenResource_update(t *testing.T) {
	m := newAdminTestTarget(t)
	var first, second string
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkTokensRevoked(m),
		Steps: []tfresource.TestStep{
			{
				Config: provisioningTokenConfig(m, "expires_in_days = 1\n  rotate_before_days = 2"),
				Check:  tfresource.ComposeTestCheckFunc(checkTokenActive(t, m), captureAttr(provisioningTokenAddr, "token", &first)),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{PostApplyPostRefresh: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(provisioningTokenAddr, plancheck.ResourceActionReplace),
				}},
				ExpectNonEmptyPlan: true,
			},
			{
				Config: provisioningTokenConfig(m, "expires_in_days = 1"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(provisioningTokenAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					tok, err := stateAttr(s, provisioningTokenAddr, "token")
					if err == nil && tok != first {
						err = errors.New("the token changed on an in-place update")
					}
					return err
				},
			},
			{
				Config: provisioningTokenConfig(m, "expires_in_days = 1\n  rotation_triggers = { okta_app = \"0oa1\" }"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(provisioningTokenAddr, plancheck.ResourceActionReplace)},
				},
				Check: tfresource.ComposeTestCheckFunc(checkTokenActive(t, m), captureAttr(provisioningTokenAddr, "token", &second)),
			},
			{
				Config: provisioningTokenConfig(m, "expires_in_days = 1\n  rotation_triggers = { okta_app = \"0oa2\" }"),
				ConfigPlanChecks: tfresource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(provisioningTokenAddr, plancheck.ResourceActionReplace)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					for _, old := range []string{first, second} {
						if err := checkSCIMToken(t.Context(), m, old, false); err != nil {
							return fmt.Errorf("replaced token: %w", err)
						}
					}
					return checkTokenActive(t, m)(s)
				},
			},
		},
	})
}

func TestAccProvisioningTokenResource_disappears(t *testing.T) {
	m := newAdminTestTarget(t)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkTokensRevoked(m),
		Steps: []tfresource.TestStep{
			{
				Config: provisioningTokenConfig(m, ""),
				Check: func(s *terraform.State) error {
					dirID, err := stateAttr(s, provisioningTokenAddr, "directory_integration_id")
					if err != nil {
						return err
					}
					return testAdminClient(t, m).ProvisioningTokens.Revoke(t.Context(), dirID)
				},
				ExpectNonEmptyPlan: true,
			},
		},
	})
}

func TestAccProvisioningTokenResource_validation(t *testing.T) {
	m := newAdminTestTarget(t)
	tfresource.ParallelTest(t, tfresource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		Steps: []tfresource.TestStep{
			{
				Config:      provisioningTokenConfig(m, "expires_in_days = 366"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)expires_in_days.*must be between 1 and 365`),
			},
			{
				Config:      provisioningTokenConfig(m, "rotate_before_days = 0"),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)rotate_before_days.*must be between 1 and 365`),
			},
		},
	})
}
