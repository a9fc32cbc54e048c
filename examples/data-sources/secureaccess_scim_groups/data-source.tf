# Every group of the directory integration.
data "secureaccess_scim_groups" "all" {}

# The groups a SCIM filter selects (RFC 7644 §3.4.2.2), here those Okta
# pushed with the "OKTA - " prefix.
data "secureaccess_scim_groups" "okta" {
  filter = "displayName sw \"OKTA - \""
}

# Import IDs of the groups Okta has already pushed, for import blocks.
output "okta_group_ids" {
  value = { for g in data.secureaccess_scim_groups.okta.groups : g.display_name => g.id }
}
