package scimserver

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// strictKey is the context key of strict filter mode.
type strictKey struct{}

// WithStrictFilters returns ctx marking its request for strict filter mode:
// a list or search then answers only the filters Secure Access documents
// (one userName eq for Users, one displayName eq for Groups, one externalId
// eq for both) and refuses any other with 400 invalidFilter. The parent
// sets it per request, so the mode can change while the service runs.
func WithStrictFilters(ctx context.Context) context.Context {
	return context.WithValue(ctx, strictKey{}, true)
}

// strictFilters reports whether ctx is in strict filter mode.
func strictFilters(ctx context.Context) bool {
	on, _ := ctx.Value(strictKey{}).(bool)
	return on
}

// strictFilterDetail names what Secure Access documents, in the detail of
// every filter strict mode refuses.
const strictFilterDetail = `Secure Access documents filtering on userName eq "…" (Users), displayName eq "…" (Groups) ` +
	`and externalId eq "…" (both), one comparison per filter`

// strictAttrs are the attributes each resource type can be filtered on in
// strict mode, by canonical name.
var strictAttrs = map[*resourceKind][]string{
	userKind:  {"userName", "externalId"},
	groupKind: {"displayName", "externalId"},
}

// checkStrict refuses, when the request is in strict filter mode, a filter
// that is not one documented comparison for any of kinds (POST /.search
// passes every kind: a filter one of them answers is accepted). An empty
// filter passes; one that does not parse is refused as in either mode.
func checkStrict(r *http.Request, raw string, kinds ...*resourceKind) *scimError {
	if !strictFilters(r.Context()) || strings.TrimSpace(raw) == "" {
		return nil
	}
	expr, err := filter.ParseFilter([]byte(raw))
	if err != nil {
		return badRequest(scimTypeInvalidFilter, fmt.Sprintf("filter %q does not parse: %v", raw, err))
	}
	for _, k := range kinds {
		if strictAllowed(k, expr) {
			return nil
		}
	}
	return badRequest(scimTypeInvalidFilter, fmt.Sprintf("filter %q is not supported: %s.", raw, strictFilterDetail))
}

// strictAllowed reports whether expr is exactly one comparison
// `attr eq "value"` on an attribute strictAttrs allows for k.
func strictAllowed(k *resourceKind, expr filter.Expression) bool {
	e, ok := expr.(*filter.AttributeExpression)
	if !ok || !strings.EqualFold(string(e.Operator), string(filter.EQ)) || e.AttributePath.SubAttribute != nil {
		return false
	}
	if _, isString := e.CompareValue.(string); !isString {
		return false
	}
	defs, container, ok := k.attrs(e.AttributePath.URI())
	if !ok || container != "" {
		return false
	}
	def := findAttr(defs, e.AttributePath.AttributeName)
	return def != nil && slices.Contains(strictAttrs[k], def.Name)
}
