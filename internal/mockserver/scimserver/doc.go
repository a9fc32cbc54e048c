// Package scimserver is the mock's SCIM 2.0 service provider (RFC 7643/7644) for
// one directory integration: the users and groups store with its indexes,
// filter evaluation, PATCH application, discovery documents and the HTTP
// handlers. The parent package mockserver owns authentication, routing,
// faults and the admin API; it hands each request to a Route together with
// the Store of the directory the bearer token belongs to. Quirks, which the
// parent sets per request with WithQuirks, make the endpoint answer as
// independent SCIM servers do where they differ from it.
package scimserver
