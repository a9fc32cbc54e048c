package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// What the list resources of SCIM users and groups (`terraform query`,
// Terraform 1.14 and later) share: the configuration, the page size and
// the stream of results.

// scimListConfigModel is the configuration of a SCIM list resource.
type scimListConfigModel struct {
	Filter types.String `tfsdk:"filter"`
}

// listPageSize is the page size to ask for when Terraform wants at most
// limit results (0: no limit): never more than scim.DefaultPageSize, so
// that one page at a time is in memory, and no more than the limit.
func listPageSize(limit int64) int {
	if limit > 0 && limit < scim.DefaultPageSize {
		return int(limit)
	}
	return scim.DefaultPageSize
}

// streamSCIM sets stream to the results of objects, one page of the
// service in memory at a time: each object becomes a result through
// convert, until limit results (0: no limit), the end of the listing, or
// Terraform stops reading. A failed request ends the stream with one
// error result, built by fail.
func streamSCIM[T any](objects func(yield func(*T, error) bool), limit int64, convert func(*T) list.ListResult, fail func(error) diag.Diagnostics) func(func(list.ListResult) bool) {
	return func(push func(list.ListResult) bool) {
		var n int64
		for obj, err := range objects {
			if err != nil {
				push(list.ListResult{Diagnostics: fail(err)})
				return
			}
			if !push(convert(obj)) {
				return
			}
			n++
			if limit > 0 && n >= limit {
				return
			}
		}
	}
}

// setListIdentity sets the identity of a result to the SCIM ID id.
func setListIdentity(ctx context.Context, result *list.ListResult, id string) {
	result.Diagnostics.Append(result.Identity.Set(ctx, scimIdentityModel{ID: types.StringValue(id)})...)
}
