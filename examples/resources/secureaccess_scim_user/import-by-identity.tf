# Terraform 1.12 and later: import by identity, the user's SCIM ID.
# `terraform query -generate-config-out` writes blocks like this one.
import {
  to = secureaccess_scim_user.jane
  identity = {
    id = "2819c223-7f76-453a-919d-413861904646"
  }
}
