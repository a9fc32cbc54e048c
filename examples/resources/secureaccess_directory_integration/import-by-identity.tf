# Terraform 1.12 and later: import by identity, the directory integration's
# ID. `terraform query -generate-config-out` writes blocks like this one.
import {
  to = secureaccess_directory_integration.okta
  identity = {
    id = "7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f"
  }
}
