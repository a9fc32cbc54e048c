# By the user's SCIM ID:
terraform import secureaccess_scim_user.jane 2819c223-7f76-453a-919d-413861904646

# By user_name (compared without regard to letter case):
terraform import secureaccess_scim_user.jane "user_name=jane.doe@example.com"
