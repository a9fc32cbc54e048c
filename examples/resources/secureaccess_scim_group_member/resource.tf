# A group pushed by Okta, whose other members Okta keeps managing.
data "secureaccess_scim_group" "okta_users" {
  display_name = "OKTA - Secure Access Users"
}

resource "secureaccess_scim_user" "jane" {
  user_name    = "jane.doe@example.com"
  display_name = "Jane Doe"
}

# Adds Jane to the group and leaves its other members alone. Do not also use
# secureaccess_scim_group_members for this group.
resource "secureaccess_scim_group_member" "jane" {
  group_id = data.secureaccess_scim_group.okta_users.id
  user_id  = secureaccess_scim_user.jane.id
}
