terraform {
  # for_each in import blocks needs Terraform 1.7; 1.11 is what is tested.
  required_version = ">= 1.11.0"
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
  }
}
