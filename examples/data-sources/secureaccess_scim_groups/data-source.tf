# Every group of the directory integration.
data "secureaccess_scim_groups" "all" {}

# One group by display name, with a SCIM filter (RFC 7644 §3.4.2.2). Cisco
# documents filtering groups on displayName eq only: the real service may
# refuse any other filter, externalId eq (which identity providers also
# send) and richer ones such as `displayName sw "OKTA - "` alike.
data "secureaccess_scim_groups" "users" {
  filter = "displayName eq \"OKTA - Secure Access Users\""
}

# Every group with its members' SCIM IDs, in the same paged listing.
data "secureaccess_scim_groups" "with_members" {
  include_members = true
}

# Select by anything else in Terraform, from the full list: here the groups
# Okta pushed with the "OKTA - " prefix.
locals {
  okta_groups = [
    for g in data.secureaccess_scim_groups.all.groups : g
    if startswith(g.display_name, "OKTA - ")
  ]
}

# Import IDs of the groups Okta has already pushed, for import blocks.
output "okta_group_ids" {
  value = { for g in local.okta_groups : g.display_name => g.id }
}
