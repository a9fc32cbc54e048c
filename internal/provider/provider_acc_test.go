package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccProvider_tokenDrift regenerates the provisioning token behind
// Terraform's back: the next plan creates a new token, and after the apply
// the service rejects both the old token and the one generated elsewhere.
func TestAccProvider_tokenDrift(t *testing.T) {
	m := newAdminTestTarget(t)
	var dirID, oldToken, elsewhere string
	cfg := provisioningTokenConfig(m, "expires_in_days = 90")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProtoV6ProviderFactories,
		CheckDestroy:             checkTokensRevoked(m),
		Steps: []resource.TestStep{
			{
				Config: cfg,
				Check: resource.ComposeTestCheckFunc(checkTokenActive(t, m), captureAttr(provisioningTokenAddr, "token", &oldToken),
					captureAttr(provisioningTokenAddr, "directory_integration_id", &dirID)),
			},
			{
				PreConfig: func() {
					tok, err := testAdminClient(t, m).ProvisioningTokens.Generate(t.Context(), dirID, nil)
					if err != nil {
						t.Fatalf("regenerating the token: %v", err)
					}
					elsewhere = tok.Token
				},
				Config: cfg,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(provisioningTokenAddr, plancheck.ResourceActionCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(s *terraform.State) error {
					if err := checkTokenActive(t, m)(s); err != nil {
						return err
					}
					for name, tok := range map[string]string{"old": oldToken, "regenerated elsewhere": elsewhere} {
						if err := checkSCIMToken(t.Context(), m, tok, false); err != nil {
							return fmt.Errorf("%s token: %w", name, err)
						}
					}
					return nil
				},
			},
		},
	})
}
