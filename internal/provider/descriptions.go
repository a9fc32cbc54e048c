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
// Terraform with a for expression (data sources; terraform query has no
// such expression).
func scimFilterDescription(things, key, example, externalID string, forHint bool) string {
	refuse := "and may refuse any other filter (`and`, `or`, `sw`, `co`, …) with `invalidFilter`"
	if forHint {
		refuse += ": to select by anything else, list every one and select in Terraform with a `for` expression"
	}
	return "A SCIM filter expression (RFC 7644 section 3.4.2.2), passed to the service as it is, that selects the " + things + ", such as " +
		"`" + example + "` or `externalId eq \"" + externalID + "\"`. " +
		"Secure Access documents filtering " + things + " on `" + key + " eq` only (`externalId eq` is what identity providers also send) " +
		refuse + ". Optional; all " + things + " are listed when it is not set."
}
