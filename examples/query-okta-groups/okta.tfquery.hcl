# Every group of the directory integration, up to 1000, the most one holds
# according to Cisco's "Provision Users and Groups" pages for Okta and
# Entra ID (older pages say 200); Terraform's default limit is 100. Cisco
# documents SCIM filters on groups with `displayName eq` only, so a prefix
# such as "OKTA - " cannot be selected here: delete the generated blocks of
# the groups you do not want, or list one group with
# filter = "displayName eq \"OKTA - Secure Access Users\"".
list "secureaccess_scim_group" "okta" {
  provider = secureaccess
  limit    = 1000
}
