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
// ("userName") only; example is a filter on key. With forHint, the text
// says how to select by anything else: list every one and select in
// Terraform with a for expression (data sources); without, how to do
// without (terraform query has no such expression). The filter's syntax is
// checked when Terraform validates the configuration
// (scimFilterValidator).
func scimFilterDescription(things, key, example string, forHint bool) string {
	fallback := "list every one and delete the generated blocks you do not want"
	if forHint {
		fallback = "list every one and select in Terraform with a `for` expression"
	}
	return "A SCIM filter (RFC 7644 section 3.4.2.2) that selects the " + things + ", such as `" + example + "`; all " + things + " when not set. " +
		"Secure Access documents `" + key + " eq` only, and may refuse any other filter with `invalidFilter`; to select by anything else, " + fallback + ". " +
		"Terraform checks the syntax when it validates the configuration, before any request."
}
