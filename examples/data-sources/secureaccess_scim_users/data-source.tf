# Every user of the directory integration.
data "secureaccess_scim_users" "all" {}

# One user by user name, with a SCIM filter (RFC 7644 §3.4.2.2). Cisco
# documents filtering users on userName eq only: the real service may
# refuse any other filter, externalId eq (which identity providers also
# send) and richer ones such as `userName ew "@example.com" and active eq
# false` alike.
data "secureaccess_scim_users" "jane" {
  filter = "userName eq \"jane.doe@example.com\""
}

# Select by anything else in Terraform, from the full list: here the
# inactive users of the example.com domain.
locals {
  inactive_users = [
    for u in data.secureaccess_scim_users.all.users : u
    if endswith(u.user_name, "@example.com") && !u.active
  ]
}

# SCIM user IDs by user name, for example to add them to a group.
output "inactive_user_ids" {
  value = { for u in local.inactive_users : u.user_name => u.id }
}
