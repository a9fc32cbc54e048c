resource "secureaccess_scim_group" "okta_users" {
  display_name = "OKTA - Secure Access Users"
}

resource "secureaccess_scim_user" "jane" {
  user_name    = "jane.doe@example.com"
  display_name = "Jane Doe"
}

resource "secureaccess_scim_user" "john" {
  user_name    = "john.smith@example.com"
  display_name = "John Smith"
}

# The group's members are exactly these users: members added by other means
# are removed on the next apply. Do not also use secureaccess_scim_group_member
# for this group.
resource "secureaccess_scim_group_members" "okta_users" {
  group_id = secureaccess_scim_group.okta_users.id
  member_ids = [
    secureaccess_scim_user.jane.id,
    secureaccess_scim_user.john.id,
  ]
}
