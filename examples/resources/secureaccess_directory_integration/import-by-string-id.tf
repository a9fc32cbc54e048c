# Import by ID.
import {
  to = secureaccess_directory_integration.okta
  id = "7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f"
}

# Or import by name, "name=<name>":
# import {
#   to = secureaccess_directory_integration.okta
#   id = "name=OKTA Integration"
# }
