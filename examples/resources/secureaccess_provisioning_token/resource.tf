resource "secureaccess_directory_integration" "okta" {
  name              = "OKTA Integration"
  identity_provider = "okta"
}

# The SCIM token Okta's "Cisco User Management Connector" authenticates
# with. It expires after 180 days; any `terraform apply` in the last 30 days
# replaces it with a new one.
resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
  expires_in_days          = 180
  rotate_before_days       = 30

  # Changing any of these values generates a new token.
  rotation_triggers = {
    okta_app = "0oa1b2c3d4e5f6g7h8i9"
  }
}

# The token, for Okta's provisioning settings, or for the scim_token of an
# aliased secureaccess provider in the same configuration.
output "okta_scim_token" {
  value     = secureaccess_provisioning_token.okta.token
  sensitive = true
}
