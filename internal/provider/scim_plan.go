package provider

import (
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// checkSCIMPlan is the plan-time check of every SCIM resource's
// ModifyPlan: a plan that creates or changes the object (not a destroy)
// through a provider with no SCIM token fails, instead of the apply. A
// token only known after apply passes (clientVerdict).
func checkSCIMPlan(d *providerData, req resource.ModifyPlanRequest, diags *diag.Diagnostics) {
	if !req.Plan.Raw.IsNull() {
		_, check := d.scimFor(opPlanning)
		diags.Append(check...)
	}
}
