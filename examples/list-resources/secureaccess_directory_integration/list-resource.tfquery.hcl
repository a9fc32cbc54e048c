# In a .tfquery.hcl file, for `terraform query` (Terraform 1.14 and later).
# The provider's admin API key (client_id, client_secret) is needed.

# Every directory integration of the organization.
list "secureaccess_directory_integration" "all" {
  provider = secureaccess
}

# Those Okta provisions.
list "secureaccess_directory_integration" "okta" {
  provider = secureaccess

  config {
    identity_provider = "okta"
  }
}
