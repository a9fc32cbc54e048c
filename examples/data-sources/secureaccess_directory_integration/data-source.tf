# By name (compared without regard to letter case)...
data "secureaccess_directory_integration" "okta" {
  name = "OKTA Integration"
}

# ...or by ID.
data "secureaccess_directory_integration" "by_id" {
  id = "7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f"
}

output "okta_user_count" {
  value = data.secureaccess_directory_integration.okta.user_count
}
