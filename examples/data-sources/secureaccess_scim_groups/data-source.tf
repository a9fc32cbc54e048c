# Every group of the directory integration.
data "secureaccess_scim_groups" "all" {}

# The groups a SCIM filter selects (RFC 7644 §3.4.2.2). Cisco documents
# only `displayName eq` (and IdPs send `externalId eq`); richer filters,
# such as `sw`, may be refused by the real service.
data "secureaccess_scim_groups" "engineering" {
  filter = "displayName eq \"Engineering\""
}

# Every group with its members' SCIM IDs, in the same paged listing.
data "secureaccess_scim_groups" "with_members" {
  include_members = true
}

# Import IDs of the groups Okta has already pushed with the "OKTA - "
# prefix, selected here rather than by a `sw` filter.
output "okta_group_ids" {
  value = {
    for g in data.secureaccess_scim_groups.all.groups : g.display_name => g.id
    if startswith(g.display_name, "OKTA - ")
  }
}
