package e2e

import (
	"testing"
	"time"

	"github.com/hashicorp/terraform-exec/tfexec"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
)

// TestRotation_planSaysWhy: a plan that replaces a provisioning token
// because rotate_before_days is reached, or because the token expired,
// says which with a warning, where Terraform only shows
// "expires_at ... # forces replacement"; after the apply the next plan is
// empty.
func TestRotation_planSaysWhy(t *testing.T) {
	t.Parallel()
	m := NewMock(t, mockserver.Options{})
	tf := NewTerraform(t)
	tf.WriteConfig(t, m.ProviderBlock()+`
resource "secureaccess_directory_integration" "due" {
  name              = "Due"
  identity_provider = "okta"
}

resource "secureaccess_provisioning_token" "due" {
  directory_integration_id = secureaccess_directory_integration.due.id
  expires_in_days          = 180
  rotate_before_days       = 30
}

resource "secureaccess_directory_integration" "expired" {
  name              = "Expired"
  identity_provider = "okta"
}

resource "secureaccess_provisioning_token" "expired" {
  directory_integration_id = secureaccess_directory_integration.expired.id
  expires_in_days          = 180
}
`)
	day := 24 * time.Hour
	m.SetClockOffset(-151 * day) // issued 151 days ago: 29 days left, rotate_before_days is 30
	tf.Apply(t)
	m.SetClockOffset(-181 * day) // issued 181 days ago: expired yesterday
	tf.Apply(t, tfexec.Replace("secureaccess_provisioning_token.expired"), tfexec.Target("secureaccess_provisioning_token.expired"))
	m.SetClockOffset(0)

	// Without refresh, both tokens are planned from the state.
	out := oneLine(tf.RequireChanges(t, tfexec.Refresh(false)).Output())
	requireCount(t, "plan -refresh=false", out, "Warning: Provisioning Token Due for Rotation", 1)
	requireCount(t, "plan -refresh=false", out, "Warning: Provisioning Token Expired", 1)
	requireCount(t, "plan -refresh=false", out, "with secureaccess_provisioning_token.due", 1)
	requireCount(t, "plan -refresh=false", out, "with secureaccess_provisioning_token.expired", 1)
	requireCount(t, "plan -refresh=false", out, "and rotate_before_days = 30: it is due for rotation since", 1)
	requireCount(t, "plan -refresh=false", out, "This plan replaces it: the apply generates a new token", 2)

	// A refresh finds the expired token gone (the plan creates a new one,
	// which needs no reason); the one due for rotation is replaced.
	out = oneLine(tf.RequireChanges(t).Output())
	requireCount(t, "plan", out, "Warning: Provisioning Token Due for Rotation", 1)
	requireCount(t, "plan", out, "Warning: Provisioning Token Expired", 0)
	requireCount(t, "plan", out, "secureaccess_provisioning_token.due must be replaced", 1)

	tf.Apply(t)
	tf.RequireEmptyPlan(t)
}
