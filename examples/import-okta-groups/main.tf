# Take over every group Okta already pushed to Secure Access, with its
# member list, in one plan: no group is created, changed or deleted, each
# is only recorded in the state.
#
#   export SECUREACCESS_SCIM_TOKEN=...     # the token of the integration Okta pushes to
#   terraform plan -out=takeover.tfplan    # "N to import, 0 to add, 0 to change, 0 to destroy."
#   terraform apply takeover.tfplan
#   terraform plan                         # "No changes."
#
# Against the bundled mock, also set SECUREACCESS_BASE_URL to its URL.
#
# `terraform plan -generate-config-out` cannot write configuration for
# import blocks with for_each: the resource blocks below are that
# configuration, written once for every group.

variable "group_prefix" {
  description = "Display name prefix of the groups to take over (compared with letter case)."
  type        = string
  default     = "OKTA - "
}

# The SCIM token (SECUREACCESS_SCIM_TOKEN) selects the directory
# integration; SECUREACCESS_BASE_URL defaults to https://api.sse.cisco.com.
provider "secureaccess" {}

# Every group of the directory, with its members' SCIM IDs, in one paged
# listing. There is no filter: Secure Access documents SCIM filtering only
# with `eq`, and may refuse `displayName sw "OKTA - "` with 400
# invalidFilter, so the groups are selected below, in the configuration.
data "secureaccess_scim_groups" "all" {
  include_members = true
}

locals {
  # The groups to take over, keyed by SCIM ID: the ID never changes, so a
  # group Okta renames (within the prefix) keeps its address. Keys from
  # display names would make a rename plan a destroy of the old address,
  # and keys from list positions would move every group after one that
  # appears or disappears.
  okta_groups = {
    for g in data.secureaccess_scim_groups.all.groups : g.id => g
    if startswith(g.display_name, var.group_prefix)
  }
}

import {
  for_each = local.okta_groups
  to       = secureaccess_scim_group.okta[each.key]
  id       = each.value.id
}

resource "secureaccess_scim_group" "okta" {
  for_each = local.okta_groups

  display_name = each.value.display_name
  external_id  = each.value.external_id
}

import {
  for_each = local.okta_groups
  to       = secureaccess_scim_group_members.okta[each.key]
  id       = each.value.id
}

# The whole member list of each group. From now on Terraform owns it:
# stop Okta's push of these groups, or manage single memberships with
# secureaccess_scim_group_member instead.
resource "secureaccess_scim_group_members" "okta" {
  for_each = local.okta_groups

  group_id   = secureaccess_scim_group.okta[each.key].id
  member_ids = each.value.member_ids
}

output "okta_groups" {
  description = "The groups taken over: display name => SCIM ID."
  value       = { for id, g in local.okta_groups : g.display_name => id }
}
