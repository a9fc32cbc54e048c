package provider

// Text shared by the schemas' descriptions.

import "strings"

// codeList renders values as "`a`, `b`, `c`" for descriptions.
func codeList(values []string) string {
	return "`" + strings.Join(values, "`, `") + "`"
}

// modelledNotice opens the page of every resource and data source on the
// admin API endpoints that Cisco does not publish (internal/admin/endpoints.go).
func modelledNotice(what string) string {
	return "~> **Not available on Cisco's public API yet.** Cisco publishes no API for directory integrations and provisioning tokens today: " +
		"the dashboard manages them. " + what + " works against the bundled mock service (and any service that implements the project's modelled contract), " +
		"not against `api.sse.cisco.com`. Against a real tenant, create the directory integration and generate its token in the dashboard, " +
		"pass the token as `SECUREACCESS_SCIM_TOKEN`, and manage users, groups and memberships with the `secureaccess_scim_*` resources.\n\n"
}

// scimFilterDescription describes the filter argument of a list of SCIM
// things ("users"), for which Secure Access documents filtering on key
// ("userName") only; example is a filter on key, externalID an example
// externalId. With forHint, the text says how to select by anything else:
// list every one and select in Terraform with a for expression (data
// sources); without, how to do without (terraform query has no such
// expression). The filter's syntax is checked when Terraform validates
// the configuration (scimFilterValidator).
func scimFilterDescription(things, key, example, externalID string, forHint bool) string {
	fallback := "list every one and delete the generated blocks you do not want"
	if forHint {
		fallback = "list every one and select in Terraform with a `for` expression, for example one that keeps those whose `external_id` is `\"" + externalID + "\"`"
	}
	return "A SCIM filter expression (RFC 7644 section 3.4.2.2), passed to the service as written (less any whitespace around it), that selects the " + things + ", such as " +
		"`" + example + "`. Secure Access documents filtering " + things + " on `" + key + " eq` only, and may refuse any other filter with `invalidFilter`: " +
		"`externalId eq \"" + externalID + "\"` (which identity providers also send), `and`, `or`, `sw`, `co`, …. To select by anything else, " +
		fallback + ". Optional; all " + things + " are listed when it is not set. " +
		"The filter's syntax is checked when Terraform validates the configuration, before any request: a value that is not a SCIM filter (`" + key + " eq 'x'`, `" + key + " = \"x\"`, " +
		"an unclosed string, a dangling `and`) or is empty is an error naming the mistake. Whether the service supports a valid filter shows when it answers."
}
