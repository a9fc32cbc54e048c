data "secureaccess_directory_integrations" "all" {}

# Directory integration IDs by name.
output "directory_integration_ids" {
  value = { for d in data.secureaccess_directory_integrations.all.directory_integrations : d.name => d.id }
}
