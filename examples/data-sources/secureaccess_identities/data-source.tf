# The numeric identity ID of the group Okta pushes, for an access policy.
data "secureaccess_identities" "okta_users_group" {
  search = "OKTA - Secure Access Users"
  types  = ["directory_group"]
}

# Every provisioned user whose label mentions example.com.
data "secureaccess_identities" "example_users" {
  search = "example.com"
  types  = ["directory_user"]
}

output "okta_users_group_identity_id" {
  value = one([for i in data.secureaccess_identities.okta_users_group.identities : i.id if i.label == "OKTA - Secure Access Users"])
}

output "example_user_identity_ids" {
  value = { for i in data.secureaccess_identities.example_users.identities : i.label => i.id }
}
