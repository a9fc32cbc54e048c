# Import by the ID of the directory integration the token belongs to.
# Secure Access shows the secret only when it is generated, so `token` is null
# after the import: replace the resource to get a token Terraform knows, e.g.
#   terraform apply -replace=secureaccess_provisioning_token.okta
terraform import secureaccess_provisioning_token.okta 7f0c8d2e-4b1a-4c3e-9d5f-6a7b8c9d0e1f
