# Quick start: Cisco's "Okta + Secure Access" provisioning guide as one
# configuration, applied in a single `terraform apply`.
#
# 1. Integrate directory: an "OKTA Integration" for Okta   (dashboard step)
# 2. Generate Token: its SCIM provisioning token            (dashboard step)
# 3. Create Users / Update User Attributes / push groups    (what Okta's
#    "Cisco User Management Connector" would send, here straight from HCL)
#
# `make demo` runs it against the bundled mock service. Against the real
# service, set SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET (an admin
# API key) and leave SECUREACCESS_BASE_URL unset.

# Admin API: base_url, client_id and client_secret come from the
# SECUREACCESS_BASE_URL, SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET
# environment variables.
provider "secureaccess" {}

# SCIM: the same service, authenticated with the provisioning token created
# below. Terraform configures this provider once the token exists, so the
# users and groups are created in the same apply.
provider "secureaccess" {
  alias      = "scim"
  scim_token = secureaccess_provisioning_token.okta.token
}

resource "secureaccess_directory_integration" "okta" {
  name                = "OKTA Integration"
  identity_provider   = "okta"
  # The quick start is meant to be destroyed. Leave deletion_protection
  # at its default (true) for an integration an identity provider uses:
  # destroying it deletes every user and group provisioned through it.
  deletion_protection = false
}

resource "secureaccess_provisioning_token" "okta" {
  directory_integration_id = secureaccess_directory_integration.okta.id
  expires_in_days          = 180
  rotate_before_days       = 30
}

# The attributes Okta's connector syncs: userName, givenName, familyName,
# displayName, email and, optionally, the Active Directory objectGUID.
locals {
  people = {
    jane = {
      user_name   = "jane.doe@example.com"
      given_name  = "Jane"
      family_name = "Doe"
      object_guid = "8d3c2f7e-5a41-4b8e-9f0a-1c2d3e4f5a6b"
    }
    john = {
      user_name   = "john.smith@example.com"
      given_name  = "John"
      family_name = "Smith"
      object_guid = "0f9e8d7c-6b5a-4c3d-2e1f-a0b1c2d3e4f5"
    }
  }
}

resource "secureaccess_scim_user" "people" {
  for_each = local.people
  provider = secureaccess.scim

  user_name    = each.value.user_name
  display_name = "${each.value.given_name} ${each.value.family_name}"
  name = {
    given_name  = each.value.given_name
    family_name = each.value.family_name
  }
  emails = [{
    value   = each.value.user_name
    type    = "work"
    primary = true
  }]
  native_object_id = each.value.object_guid
}

resource "secureaccess_scim_group" "users" {
  provider     = secureaccess.scim
  display_name = "OKTA - Secure Access Users"
}

resource "secureaccess_scim_group_members" "users" {
  provider   = secureaccess.scim
  group_id   = secureaccess_scim_group.users.id
  member_ids = [for u in secureaccess_scim_user.people : u.id]
}

# What an administrator pastes into Okta's Cisco User Management Connector.
output "provisioning_url" {
  description = "SCIM 2.0 base URL for the IdP's provisioning settings."
  value       = secureaccess_directory_integration.okta.provisioning_url
}

output "provisioning_token" {
  description = "SCIM bearer token for the IdP (shown with `terraform output -raw provisioning_token`)."
  value       = secureaccess_provisioning_token.okta.token
  sensitive   = true
}

output "token_expires_at" {
  value = secureaccess_provisioning_token.okta.expires_at
}

output "users" {
  description = "SCIM user IDs by userName."
  value       = { for u in secureaccess_scim_user.people : u.user_name => u.id }
}

output "group_id" {
  value = secureaccess_scim_group.users.id
}
