# What works against a Cisco Secure Access tenant today: SCIM users, groups
# and memberships, with the provisioning token of a directory integration
# made in the dashboard, and the numeric identity IDs that access policies
# use. No directory integration or token resource: Cisco publishes no API
# for those yet (examples/bootstrap is the path for the day it does).
#
# 1. Dashboard: Connect > Users, Groups and Endpoint Devices > Configuration
#    Management > Integrate directory, provisioning method Identity
#    Provider, then Generate Token. A new token for an integration that an
#    identity provider already pushes to revokes the token that IdP holds.
# 2. export SECUREACCESS_SCIM_TOKEN=...        # that token
#    export SECUREACCESS_CLIENT_ID=...         # an admin API key (Admin >
#    export SECUREACCESS_CLIENT_SECRET=...     # API Keys), for the identity IDs
# 3. terraform apply, then terraform plan: "No changes." (Run terraform init
#    first, unless the provider comes from dev_overrides: see README.md.)
#
# Against the bundled mock, make mock prints the SCIM token; also set
# SECUREACCESS_BASE_URL=http://127.0.0.1:8080 and the mock's API key
# (README.md, "Using the provider").

# Everything from the environment: SECUREACCESS_SCIM_TOKEN for the
# secureaccess_scim_* resources, SECUREACCESS_CLIENT_ID and
# SECUREACCESS_CLIENT_SECRET for secureaccess_identities;
# SECUREACCESS_BASE_URL defaults to https://api.sse.cisco.com.
provider "secureaccess" {}

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
      object_guid = null
    }
  }
}

resource "secureaccess_scim_user" "people" {
  for_each = local.people

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
  display_name = "Secure Access Users"
}

# The group's whole member list: members added elsewhere are removed.
resource "secureaccess_scim_group_members" "users" {
  group_id   = secureaccess_scim_group.users.id
  member_ids = [for u in secureaccess_scim_user.people : u.id]
}

# The numeric identity IDs of the Reports API, which access policies refer
# to. Read after the objects exist (they depend on them), so the first
# apply already has them and the next plan is empty. A user's label is
# "Display Name (userName)", a group's its display name.
data "secureaccess_identities" "group" {
  search = secureaccess_scim_group.users.display_name
  types  = ["directory_group"]
}

data "secureaccess_identities" "people" {
  for_each = secureaccess_scim_user.people

  search = each.value.user_name
  types  = ["directory_user"]
}

output "users" {
  description = "SCIM user IDs by userName."
  value       = { for u in secureaccess_scim_user.people : u.user_name => u.id }
}

output "group_id" {
  description = "SCIM ID of the group."
  value       = secureaccess_scim_group.users.id
}

# Lists, since another directory integration of the organization may hold
# a group or user with the same label; empty while the Reports API does not
# list the identity.
output "policy_identity_ids" {
  description = "Identity IDs for access policies: the group's, and each user's by userName."
  value = {
    group = [for i in data.secureaccess_identities.group.identities : i.id if i.label == secureaccess_scim_group.users.display_name]
    users = {
      for k, u in secureaccess_scim_user.people : u.user_name => [
        for i in data.secureaccess_identities.people[k].identities : i.id if i.label == "${u.display_name} (${u.user_name})"
      ]
    }
  }
}
