terraform {
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
  }
}

# Admin API key (directory integrations, provisioning tokens, identities)
# from SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET, and the SCIM
# provisioning token of one directory integration (SCIM users, groups and
# memberships) from SECUREACCESS_SCIM_TOKEN.
provider "secureaccess" {}

# Or explicitly, with the tuning defaults spelled out:
# provider "secureaccess" {
#   base_url        = "https://api.sse.cisco.com" # Government: https://api.secureaccessfed.cisco.com
#   client_id       = var.client_id
#   client_secret   = var.client_secret
#   scim_token      = var.scim_token
#   max_retries     = 4
#   request_timeout = 30
#   rate_limit      = 5
# }

# A second, aliased provider can manage SCIM objects with a token created in
# the same configuration (see examples/bootstrap):
# provider "secureaccess" {
#   alias      = "scim"
#   scim_token = secureaccess_provisioning_token.okta.token
# }
