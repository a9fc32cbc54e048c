# By the group's SCIM ID:
terraform import secureaccess_scim_group_members.okta_users 5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d

# By the group's display_name (compared without regard to letter case):
terraform import secureaccess_scim_group_members.okta_users "display_name=OKTA - Secure Access Users"
