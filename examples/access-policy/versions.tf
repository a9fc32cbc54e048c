# Terraform reads this file; OpenTofu reads versions.tofu instead. The
# minimums are the versions the tests run (README.md, Requirements).
terraform {
  required_version = ">= 1.11.0"
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
    ciscosecureaccess = {
      source  = "CiscoDevNet/ciscosecureaccess"
      version = "~> 1.1"
    }
  }
}
