# One-apply bootstrap: a directory integration for Okta, its SCIM
# provisioning token, and the first users and groups provisioned with that
# token, all in a single `terraform apply`.
#
# The second provider block is configured with the token resource's secret.
# While Terraform plans a new token (the first apply, a rotation, an expired
# token, or one regenerated in the dashboard), that secret is not known yet:
# the SCIM resources then keep their last known state for that plan, with a
# warning, and the apply uses the new token. Every rotation revokes the token
# Okta holds: hand the new one on (the scim_token output) in the same run.
#
# terraform apply \
#   -var base_url=https://api.sse.cisco.com \
#   -var client_id=... -var client_secret=...

variable "base_url" {
  description = "Base URL of the Secure Access API (https://api.sse.cisco.com, or the mock's URL)."
  type        = string
  default     = "https://api.sse.cisco.com"
}

variable "client_id" {
  description = "Client ID of the Secure Access admin API key."
  type        = string
}

variable "client_secret" {
  description = "Client secret of the Secure Access admin API key."
  type        = string
  sensitive   = true
}

# Admin API: directory integrations and provisioning tokens.
provider "secureaccess" {
  base_url      = var.base_url
  client_id     = var.client_id
  client_secret = var.client_secret
}

# SCIM: users and groups of the directory integration created below.
provider "secureaccess" {
  alias      = "scim"
  base_url   = var.base_url
  scim_token = secureaccess_provisioning_token.okta.token
}

resource "secureaccess_directory_integration" "okta" {
  name              = "OKTA Integration"
  identity_provider = "okta"
}

resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
  expires_in_days          = 180
  rotate_before_days       = 30
}

resource "secureaccess_scim_user" "jane" {
  provider = secureaccess.scim

  user_name    = "jane.doe@example.com"
  display_name = "Jane Doe"
}

resource "secureaccess_scim_group" "users" {
  provider = secureaccess.scim

  display_name = "OKTA - Secure Access Users"
}

resource "secureaccess_scim_group_members" "users" {
  provider = secureaccess.scim

  group_id   = secureaccess_scim_group.users.id
  member_ids = [secureaccess_scim_user.jane.id]
}

# Paste these into Okta's "Cisco User Management Connector" provisioning
# settings (SCIM connector base URL and API token), so that Okta keeps
# provisioning the same directory.
output "provisioning_url" {
  value = secureaccess_directory_integration.okta.provisioning_url
}

output "scim_token" {
  value     = secureaccess_provisioning_token.okta.token
  sensitive = true
}
