# Import by ID:
terraform import secureaccess_directory_integration.okta 7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f

# Import by name (compared without regard to letter case):
terraform import secureaccess_directory_integration.okta "name=OKTA Integration"
