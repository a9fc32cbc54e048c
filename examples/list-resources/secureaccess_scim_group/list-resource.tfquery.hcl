# In a .tfquery.hcl file, for `terraform query` (Terraform 1.14 and later).
# The provider's scim_token selects the directory integration.

# Every group of the directory integration, up to 1000, the most a
# directory integration holds according to Cisco's "Provision Users and
# Groups" pages for Okta and Entra ID (older pages say 200); Terraform's
# default limit is 100.
list "secureaccess_scim_group" "all" {
  provider = secureaccess
  limit    = 1000
}

# One group by display name (compared without regard to letter case).
list "secureaccess_scim_group" "okta_users" {
  provider = secureaccess

  config {
    filter = "displayName eq \"OKTA - Secure Access Users\""
  }
}
