# A user pushed the way Okta's "OKTA Integration" app pushes it: the Okta
# username as user_name, the Okta user ID as external_id.
resource "secureaccess_scim_user" "jane" {
  user_name    = "jane.doe@example.com"
  display_name = "Jane Doe"
  external_id  = "00u1a2b3c4d5e6f7g8h9"

  name = {
    given_name  = "Jane"
    family_name = "Doe"
  }

  emails = [
    { value = "jane.doe@example.com", type = "work", primary = true },
  ]

  # Synchronized from Active Directory: the user's objectGUID.
  native_object_id = "b8a4f4b2-6d0e-4a4c-9d6e-2f3a1c0d9e11"

  # As Okta's "Deactivate Users" push setting: on destroy, keep the user in
  # Secure Access but make it inactive.
  on_destroy = "deactivate"

  # A user an earlier deactivation left behind is taken over instead of
  # failing with a conflict.
  adopt_existing = true
}

# Disabling a user without removing it.
resource "secureaccess_scim_user" "contractor" {
  user_name = "john.smith@example.com"
  active    = false
}
