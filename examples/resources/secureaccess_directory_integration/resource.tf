# The directory integration Okta provisions, as in Cisco's guide
# "Configure Okta for SCIM provisioning": Integrate directory → Identity
# Provider → Okta.
#
# deletion_protection (default true) makes a plan that would destroy or
# replace it fail: that deletes every user and group the IdP provisioned.
resource "secureaccess_directory_integration" "okta" {
  name              = "OKTA Integration"
  identity_provider = "okta"
}

# The SCIM connector base URL to enter in Okta.
output "okta_scim_base_url" {
  value = secureaccess_directory_integration.okta.provisioning_url
}
