package provider

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// urlValidator checks at plan time that a string is an absolute http or
// https URL. Whether plain http is allowed depends on the host and on
// insecure_http, which Configure checks once all values are known.
type urlValidator struct {
	// base: the URL is base_url, which must not be the SCIM provisioning URL
	// (provisioningURLAsBase).
	base bool
}

var _ validator.String = urlValidator{}

func (urlValidator) Description(context.Context) string {
	return "value must be an absolute http or https URL, such as https://api.sse.cisco.com"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v urlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%q is not an absolute http or https URL with a host, such as https://api.sse.cisco.com.", raw))
		return
	}
	if v.base {
		if err := provisioningURLAsBase(u); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path, "Invalid Secure Access URL", fmt.Sprintf("base_url is %q: %s.", raw, err))
		}
	}
}

// provisioningURLAsBase is the error of a base_url that is the SCIM
// provisioning URL the dashboard shows beside a token, nil for any other.
// Taken as base_url, every SCIM request would go to
// /identity/v2/scim/identity/v2/scim/... and get 404.
func provisioningURLAsBase(u *url.URL) error {
	if !strings.HasSuffix(strings.TrimRight(u.Path, "/"), scimPath) {
		return nil
	}
	return fmt.Errorf("that is the SCIM provisioning URL the dashboard shows beside the token. "+
		"base_url is the service's address without a path, here %s://%s: the provider adds %s to it for SCIM, and uses it for the admin API too. "+
		"Set base_url to %s://%s, or leave base_url unset for Cisco's https://api.sse.cisco.com; "+
		"only a SCIM endpoint somewhere else goes in scim_url", u.Scheme, u.Host, scimPath, u.Scheme, u.Host)
}

// uniqueStringsValidator rejects a list of strings that holds a value more
// than once. It runs in linear time: listvalidator.UniqueValues compares
// every pair of elements, which takes seconds for the 10,000-member lists
// secureaccess_scim_group_members is built for.
type uniqueStringsValidator struct{}

var _ validator.List = uniqueStringsValidator{}

func (uniqueStringsValidator) Description(context.Context) string {
	return "each value may appear only once"
}

func (v uniqueStringsValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

// maxReportedDuplicates caps how many duplicate values one error lists.
const maxReportedDuplicates = 5

func (uniqueStringsValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	elems := req.ConfigValue.Elements()
	seen := make(map[string]int, len(elems))
	var dups []string
	count := 0
	for i, e := range elems {
		s, ok := e.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		first, dup := seen[s.ValueString()]
		if !dup {
			seen[s.ValueString()] = i
			continue
		}
		count++
		if len(dups) < maxReportedDuplicates {
			dups = append(dups, fmt.Sprintf("%q (elements %d and %d)", s.ValueString(), first, i))
		}
	}
	if count == 0 {
		return
	}
	more := ""
	if count > len(dups) {
		more = fmt.Sprintf(", and %d more", count-len(dups))
	}
	resp.Diagnostics.AddAttributeError(req.Path, "Duplicate List Value",
		fmt.Sprintf("Each value may appear only once, but this list repeats %s%s. "+
			"Remove the duplicates, for example with distinct().", strings.Join(dups, ", "), more))
}
