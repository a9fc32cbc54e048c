# By display_name (compared without regard to letter case), with the
# members' user IDs...
data "secureaccess_scim_group" "okta_users" {
  display_name    = "OKTA - Secure Access Users"
  include_members = true
}

# ...or by SCIM ID, without the members.
data "secureaccess_scim_group" "by_id" {
  id = "5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d"
}

output "okta_users_member_count" {
  value = length(data.secureaccess_scim_group.okta_users.member_ids)
}
