# The directory integration Okta provisions, as in Cisco's guide
# "Provision Users and Groups from Okta": in the dashboard, Connect > Users,
# Groups and Endpoint Devices > Configuration Management > Integrate
# directory, provisioning method Identity Provider, identity provider Okta.
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
