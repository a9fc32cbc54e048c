# Import by user_name, "user_name=<userName>" (letter case does not matter).
import {
  to = secureaccess_scim_user.jane
  id = "user_name=jane.doe@example.com"
}

# Or import by the user's SCIM ID:
# import {
#   to = secureaccess_scim_user.jane
#   id = "2819c223-7f76-453a-919d-413861904646"
# }
