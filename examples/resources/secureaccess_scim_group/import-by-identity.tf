# Terraform 1.12 and later: import by identity, the group's SCIM ID.
# `terraform query -generate-config-out` writes blocks like this one.
import {
  to = secureaccess_scim_group.okta_users
  identity = {
    id = "5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d"
  }
}
