# Import the member list of a group by the group's display_name,
# "display_name=<displayName>" (letter case does not matter), as for
# secureaccess_scim_group.
import {
  to = secureaccess_scim_group_members.okta_users
  id = "display_name=OKTA - Secure Access Users"
}

# Or by the group's SCIM ID:
# import {
#   to = secureaccess_scim_group_members.okta_users
#   id = "5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d"
# }
