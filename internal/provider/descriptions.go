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
