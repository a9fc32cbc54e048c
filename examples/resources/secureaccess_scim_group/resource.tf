# The group Okta's "OKTA Integration" app pushes to Secure Access, as in
# Cisco's guide: the Okta group name as display_name, the Okta group ID as
# external_id. Its members are managed separately, with
# secureaccess_scim_group_members or secureaccess_scim_group_member.
resource "secureaccess_scim_group" "okta_users" {
  display_name = "OKTA - Secure Access Users"
  external_id  = "00g1a2b3c4d5e6f7g8h9"
}
