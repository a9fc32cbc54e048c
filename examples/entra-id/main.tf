# Entra ID provisioning with no human in the loop: a Secure Access directory
# integration for Entra ID, its SCIM provisioning token, and Entra's gallery
# app "Cisco User Management for Secure Access" with its provisioning job and
# credentials (Tenant URL and Secret Token), all in one `terraform apply`.
#
# Every rotation of the token (rotate_before_days, rotation_triggers,
# -replace, an expired or regenerated token) revokes the token Entra holds.
# Because azuread_synchronization_secret takes the token from the token
# resource, the same apply writes the new token into Entra: a nightly
# `terraform apply` rotates and hands over without anyone pasting anything.
#
# azuread keeps the secret it wrote: Microsoft Graph answers "*" for a secret
# value, so the azuread provider cannot see a Secret Token changed in the
# Entra admin center or written by another configuration, and plans no
# update. Rotate only through this configuration;
# `terraform apply -replace=azuread_synchronization_secret.cisco` writes the
# token again.
#
# Credentials: SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET (an admin
# API key) for the secureaccess provider; for azuread, any authentication it
# supports (az login, a service principal with ARM_CLIENT_ID and friends),
# with the role Application Administrator or Cloud Application Administrator,
# or the application permission Application.ReadWrite.All.
#
# terraform apply -var synchronization_template_id=...

variable "synchronization_template_id" {
  description = <<-EOT
    ID of the provisioning (synchronization) template of the gallery app
    "Cisco User Management for Secure Access", which the provisioning job is
    created from. The azuread provider has no data source for synchronization
    templates: read it once from Microsoft Graph, on any instance of the
    gallery app (the ID is the gallery app's, the same in every tenant):
    az rest --method get --url https://graph.microsoft.com/v1.0/servicePrincipals/SERVICE_PRINCIPAL_OBJECT_ID/synchronization/templates --query "value[].id"
  EOT
  type        = string

  validation {
    condition     = length(trimspace(var.synchronization_template_id)) > 0
    error_message = "synchronization_template_id must not be empty: see the variable's description for how to read it."
  }
}

# Admin API: base_url, client_id and client_secret come from the
# SECUREACCESS_BASE_URL, SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET
# environment variables.
provider "secureaccess" {}

# Tenant and credentials from the environment (ARM_TENANT_ID, az login, ...).
provider "azuread" {}

resource "secureaccess_directory_integration" "entra" {
  name              = "Entra ID Integration"
  identity_provider = "entra_id"
}

# Replaced 30 days before it expires: the apply that replaces it also writes
# the new token into Entra (azuread_synchronization_secret below).
resource "secureaccess_provisioning_token" "entra" {
  directory_integration_id = secureaccess_directory_integration.entra.id
  expires_in_days          = 180
  rotate_before_days       = 30
}

data "azuread_application_template" "cisco" {
  display_name = "Cisco User Management for Secure Access"
}

# The application registration and its service principal (the enterprise
# app), instantiated from the gallery app.
resource "azuread_application_from_template" "cisco" {
  display_name = "Cisco User Management for Secure Access"
  template_id  = data.azuread_application_template.cisco.template_id
}

# Entra's Provisioning > Admin Credentials: Tenant URL (BaseAddress) and
# Secret Token (SecretToken). A new token changes SecretToken in place.
resource "azuread_synchronization_secret" "cisco" {
  service_principal_id = azuread_application_from_template.cisco.service_principal_id

  credential {
    key   = "BaseAddress"
    value = secureaccess_directory_integration.entra.provisioning_url
  }
  credential {
    key   = "SecretToken"
    value = secureaccess_provisioning_token.entra.token
  }
}

# The provisioning job, started once its credentials are saved. Which users
# and groups it provisions is the app's assignment (azuread_app_role_assignment)
# or its scoping filters.
resource "azuread_synchronization_job" "cisco" {
  service_principal_id = azuread_application_from_template.cisco.service_principal_id
  template_id          = var.synchronization_template_id
  enabled              = true

  depends_on = [azuread_synchronization_secret.cisco]
}

output "service_principal_object_id" {
  description = "Object ID of the enterprise application (for the Graph call in synchronization_template_id's description)."
  value       = azuread_application_from_template.cisco.service_principal_object_id
}

output "provisioning_token_expires_at" {
  description = "When the current provisioning token expires; a replacement is planned 30 days before."
  value       = secureaccess_provisioning_token.entra.expires_at
}
