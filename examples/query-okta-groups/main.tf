# Take over every group Okta already pushed to Secure Access with
# `terraform query` (Terraform 1.14 and later): it lists the groups
# (okta.tfquery.hcl) and writes a resource block and an import block for
# each, which the next apply imports without changing anything.
#
#   export SECUREACCESS_SCIM_TOKEN=...     # the token of the integration Okta pushes to
#   terraform init     # not when the provider comes from dev_overrides (README.md)
#   terraform query                                   # lists the groups
#   terraform query -generate-config-out=groups.tf    # writes their configuration
#   terraform plan                                    # "N to import, 0 to add, 0 to change, 0 to destroy."
#   terraform apply
#
# Against the bundled mock, also set SECUREACCESS_BASE_URL to its URL.
# For Terraform 1.11 to 1.13, see ../import-okta-groups.

# The SCIM token (SECUREACCESS_SCIM_TOKEN) selects the directory
# integration; SECUREACCESS_BASE_URL defaults to https://api.sse.cisco.com.
provider "secureaccess" {}
