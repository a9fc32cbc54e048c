# In a .tfquery.hcl file, for `terraform query` (Terraform 1.14 and later).
# The provider's scim_token selects the directory integration.

# Every user of the directory integration, up to 10,000 (Terraform's
# default limit is 100).
list "secureaccess_scim_user" "all" {
  provider = secureaccess
  limit    = 10000
}

# One user by user_name (compared without regard to letter case).
list "secureaccess_scim_user" "jane" {
  provider = secureaccess

  config {
    filter = "userName eq \"jane.doe@example.com\""
  }
}
