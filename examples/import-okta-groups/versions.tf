terraform {
  # for_each in import blocks: Terraform 1.7 and later.
  required_version = ">= 1.7.0"
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
  }
}
