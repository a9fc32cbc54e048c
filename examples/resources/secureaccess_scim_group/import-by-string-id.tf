# Import by display_name, "display_name=<displayName>" (letter case does not
# matter). The secureaccess_scim_groups data source lists the groups an
# identity provider has already pushed.
import {
  to = secureaccess_scim_group.okta_users
  id = "display_name=OKTA - Secure Access Users"
}

# Or import by the group's SCIM ID:
# import {
#   to = secureaccess_scim_group.okta_users
#   id = "5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d"
# }
