# Import by the ID of the directory integration the token belongs to. The
# secret cannot be read back: `token` is null after the import.
import {
  to = secureaccess_provisioning_token.okta
  id = "7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f"
}
