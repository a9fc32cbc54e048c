terraform {
  # `terraform query` and list resources need Terraform 1.14. No
  # required_version here: the provider's other examples state the tested
  # minimum, 1.11, and `terraform query` does not exist before 1.14 anyway.
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
  }
}
