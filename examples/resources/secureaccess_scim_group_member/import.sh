# By "<group_id>/<user_id>", the SCIM IDs of the group and the user:
terraform import secureaccess_scim_group_member.jane 5d0a3c8e-2b1f-4e6a-9c7d-8f1e2a3b4c5d/2819c223-7f76-453a-919d-413861904646
