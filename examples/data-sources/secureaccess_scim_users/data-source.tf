# Every user of the directory integration.
data "secureaccess_scim_users" "all" {}

# The users a SCIM filter selects (RFC 7644 §3.4.2.2), here the inactive
# users of the example.com domain.
data "secureaccess_scim_users" "inactive" {
  filter = "userName ew \"@example.com\" and active eq false"
}

# SCIM user IDs by user name, for example to add them to a group.
output "inactive_user_ids" {
  value = { for u in data.secureaccess_scim_users.inactive.users : u.user_name => u.id }
}
