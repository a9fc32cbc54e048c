package admin

import (
	"net/url"
	"strings"
)

// The paths this client calls, relative to the base URL: the one place to
// change when Cisco publishes an endpoint that is modelled here.
//
// Real: Cisco documents them (Secure Access API reference).
// Modelled: Cisco publishes no API for them today (the dashboard does it);
// the shape is this project's, modelled on Cisco's Key Admin API, and only
// the bundled mock serves it. See internal/mockserver/README.md.
const (
	// tokenPath is the OAuth 2.0 client-credentials token endpoint. Real.
	tokenPath = "/auth/v2/token"
	// identitiesPath is the Reports identities search. Real.
	identitiesPath = "/reports/v2/identities"
	// directoriesPath is the directory integrations collection. Modelled.
	directoriesPath = "/admin/v2/directoryIntegrations"
	// provisioningTokenSuffix follows a directory integration's path for
	// its SCIM provisioning token. Modelled.
	provisioningTokenSuffix = "/provisioningToken"
)

// directoryPath is the path of one directory integration. Modelled.
func directoryPath(id string) string {
	return directoriesPath + "/" + url.PathEscape(id)
}

// tokenPathOf is the provisioning token of directory dirID. Modelled.
func tokenPathOf(dirID string) string {
	return directoryPath(dirID) + provisioningTokenSuffix
}

// OwnsPath reports whether an API path (as in transport.APIError.Path) is
// one of the endpoints above, rather than the SCIM endpoint's: a 401 there
// means the API key, not a SCIM token, was rejected.
func OwnsPath(path string) bool {
	for _, p := range []string{tokenPath, identitiesPath, directoriesPath} {
		if strings.Contains(path, p) {
			return true
		}
	}
	return false
}
