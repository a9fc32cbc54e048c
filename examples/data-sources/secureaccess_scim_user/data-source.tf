# By user_name (compared without regard to letter case)...
data "secureaccess_scim_user" "jane" {
  user_name = "jane.doe@example.com"
}

# ...or by SCIM ID.
data "secureaccess_scim_user" "by_id" {
  id = "2819c223-7f76-453a-919d-413861904646"
}

output "jane_is_active" {
  value = data.secureaccess_scim_user.jane.active
}
