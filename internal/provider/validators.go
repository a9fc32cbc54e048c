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
type urlValidator struct{}

var _ validator.String = urlValidator{}

func (urlValidator) Description(context.Context) string {
	return "value must be an absolute http or https URL, such as https://api.sse.cisco.com"
}

func (v urlValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (urlValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	raw := req.ConfigValue.ValueString()
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid URL",
			fmt.Sprintf("%q is not an absolute http or https URL with a host, such as https://api.sse.cisco.com.", raw))
	}
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
