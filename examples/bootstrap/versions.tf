terraform {
  required_version = ">= 1.5.0"
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
  }
}
