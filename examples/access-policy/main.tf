# A group provisioned here, granted access to a private application by an
# access rule of Cisco's own provider, in one configuration: SCIM users and a
# group with them as members (this provider), the group's numeric identity ID
# from the Reports API (data.secureaccess_identities), and a private resource
# with a private access rule whose source is that ID
# (ciscosecureaccess_private_resource and ciscosecureaccess_access_policy,
# CiscoDevNet/ciscosecureaccess 1.1).
#
# 1. Dashboard: a directory integration with provisioning method Identity
#    Provider and its token, as in examples/real-tenant.
# 2. export SECUREACCESS_SCIM_TOKEN=...        # that token
#    export SECUREACCESS_CLIENT_ID=...         # an admin API key (Admin >
#    export SECUREACCESS_CLIENT_SECRET=...     # API Keys), for the identity ID
#    export CISCOSECUREACCESS_KEY_ID=...       # an API key for Cisco's
#    export CISCOSECUREACCESS_KEY_SECRET=...   # provider (policies, private
#                                              # resources); may be the same key
# 3. terraform init, then terraform apply. This configuration needs init (two
#    providers), so take this provider from a filesystem mirror, not
#    dev_overrides: CONTRIBUTING.md, "Installing from a filesystem mirror".
#
# Ordering. Secure Access lists a provisioned group in the Reports API only
# once it has processed it; on a real tenant that can take a while after the
# SCIM request. The data source is read in the same apply, after the group
# exists (it refers to it), and its postcondition stops the apply before the
# access rule when the group is not listed yet: "the group ... is not listed
# yet ... run terraform apply again in a minute". The users, the group, its
# members and the private resource are saved in state by then, so the next
# apply creates only the rule. No rule is ever created with a missing or
# wrong source. (Once the ID is listed, Cisco's provider itself retries a
# rule the Policies API refuses for an unknown ID, six attempts from 10 s
# apart.) The bundled mock lists an identity at once.
#
# Cisco's provider cannot use the bundled mock; `make validate-cisco` checks
# this configuration against both providers' schemas offline.

# SECUREACCESS_SCIM_TOKEN for the secureaccess_scim_* resources,
# SECUREACCESS_CLIENT_ID and SECUREACCESS_CLIENT_SECRET for
# secureaccess_identities; SECUREACCESS_BASE_URL defaults to
# https://api.sse.cisco.com.
provider "secureaccess" {}

# key_id and key_secret from CISCOSECUREACCESS_KEY_ID and
# CISCOSECUREACCESS_KEY_SECRET.
provider "ciscosecureaccess" {}

locals {
  people = {
    jane = { user_name = "jane.doe@example.com", given_name = "Jane", family_name = "Doe" }
    john = { user_name = "john.smith@example.com", given_name = "John", family_name = "Smith" }
  }
}

resource "secureaccess_scim_user" "people" {
  for_each = local.people

  user_name    = each.value.user_name
  display_name = "${each.value.given_name} ${each.value.family_name}"
  name = {
    given_name  = each.value.given_name
    family_name = each.value.family_name
  }
  emails = [{
    value   = each.value.user_name
    type    = "work"
    primary = true
  }]
}

resource "secureaccess_scim_group" "wiki" {
  display_name = "Wiki Users"
}

# The group's whole member list: members added elsewhere are removed.
resource "secureaccess_scim_group_members" "wiki" {
  group_id   = secureaccess_scim_group.wiki.id
  member_ids = [for u in secureaccess_scim_user.people : u.id]
}

# The group's identity ID. A group's label is its display name; the search
# matches any label that contains it, so the rule below takes the exact one.
data "secureaccess_identities" "wiki" {
  search = secureaccess_scim_group.wiki.display_name
  types  = ["directory_group"]

  lifecycle {
    postcondition {
      condition     = length([for i in self.identities : i.id if i.label == secureaccess_scim_group.wiki.display_name]) > 0
      error_message = "The group \"${secureaccess_scim_group.wiki.display_name}\" is provisioned but the Reports API does not list its identity yet, so the access rule cannot name it. Secure Access lists new groups after a delay: run terraform apply again in a minute."
    }
    postcondition {
      condition     = length([for i in self.identities : i.id if i.label == secureaccess_scim_group.wiki.display_name]) < 2
      error_message = "More than one directory group is labelled \"${secureaccess_scim_group.wiki.display_name}\" (another directory integration has a group of that name), so the access rule cannot tell which one to name. Give this group a display name of its own."
    }
  }
}

# The application: the internal wiki at one address, over HTTPS, for
# network (VPN) access. The address must be one the tenant reaches, through
# a network tunnel group or resource connectors.
resource "ciscosecureaccess_private_resource" "wiki" {
  name         = "Internal wiki"
  description  = "Managed by Terraform (examples/access-policy)."
  access_types = ["network"]
  addresses = [{
    addresses = ["10.10.20.15/32"]
    traffic_selector = [
      { ports = "443", protocol = "http/https" },
    ]
  }]
}

# The rule: members of the group may reach the wiki. source_ids holds the
# numeric identity ID read above (the postconditions made sure there is
# exactly one); private_resource_ids the resource's ID, a number in a string.
resource "ciscosecureaccess_access_policy" "wiki" {
  name                 = "Wiki Users to Internal wiki"
  description          = "Managed by Terraform (examples/access-policy)."
  action               = "allow"
  enabled              = true
  traffic_type         = "PRIVATE_NETWORK"
  log_level            = "LOG_ALL"
  source_ids           = [for i in data.secureaccess_identities.wiki.identities : i.id if i.label == secureaccess_scim_group.wiki.display_name]
  private_resource_ids = [tonumber(ciscosecureaccess_private_resource.wiki.id)]
}

output "group_identity_id" {
  description = "The group's identity ID, the access rule's source."
  value       = one([for i in data.secureaccess_identities.wiki.identities : i.id if i.label == secureaccess_scim_group.wiki.display_name])
}

output "access_policy_id" {
  description = "ID of the access rule."
  value       = ciscosecureaccess_access_policy.wiki.id
}
