package provider

// Tests of the diagnostics a new user meets first (issue 12, section 6):
// an unusable base_url, rejected credentials, a malformed import ID, a
// conflict on create, adoption, and a destroy that only deactivates.

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// diagSummary is what the tests compare of a diagnostic.
type diagSummary struct {
	Severity        diag.Severity
	Path            string
	Summary, Detail string
}

// summarize turns diagnostics into comparable values.
func summarize(diags diag.Diagnostics) []diagSummary {
	var out []diagSummary
	for _, d := range diags {
		s := diagSummary{Severity: d.Severity(), Summary: d.Summary(), Detail: d.Detail()}
		if wp, ok := d.(diag.DiagnosticWithPath); ok {
			s.Path = wp.Path().String()
		}
		out = append(out, s)
	}
	return out
}

// configureProvider runs the provider's Configure with the given attributes
// set (strings and bools) and every other attribute null.
func configureProvider(t *testing.T, attrs map[string]any) diag.Diagnostics {
	t.Helper()
	ctx := context.Background()
	p := New("test")()
	var sresp provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sresp)
	values := map[string]tftypes.Value{}
	for name, a := range sresp.Schema.Attributes {
		typ := a.GetType().TerraformType(ctx)
		values[name] = tftypes.NewValue(typ, attrs[name])
	}
	raw := tftypes.NewValue(sresp.Schema.Type().TerraformType(ctx), values)
	var resp provider.ConfigureResponse
	p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sresp.Schema, Raw: raw}}, &resp)
	return resp.Diagnostics
}

// TestConfigure_plainHTTP: a plain http base_url on a remote host is one
// error, on the attribute the user set, with the fix; scim_url, derived from
// it, is not reported as well.
func TestConfigure_plainHTTP(t *testing.T) {
	for _, env := range []string{envBaseURL, envSCIMURL, envClientID, envClientSecret, envSCIMToken} {
		t.Setenv(env, "")
	}
	tests := map[string]struct {
		attrs map[string]any
		env   map[string]string
		want  []diagSummary
	}{
		"base_url in the provider block": {
			attrs: map[string]any{"base_url": "http://10.1.2.3:8080"},
			want: []diagSummary{{
				Severity: diag.SeverityError, Path: "base_url", Summary: "Invalid Secure Access URL",
				Detail: `base_url is "http://10.1.2.3:8080": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
					"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
			}},
		},
		"base_url from the environment": {
			env: map[string]string{envBaseURL: "http://10.1.2.3:8080"},
			want: []diagSummary{{
				Severity: diag.SeverityError, Path: "base_url", Summary: "Invalid Secure Access URL",
				Detail: `The SECUREACCESS_BASE_URL environment variable (used because base_url is not set) is "http://10.1.2.3:8080": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
					"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
			}},
		},
		"scim_url set explicitly": {
			attrs: map[string]any{"scim_url": "http://10.1.2.3:8080/identity/v2/scim"},
			want: []diagSummary{{
				Severity: diag.SeverityError, Path: "scim_url", Summary: "Invalid Secure Access URL",
				Detail: `scim_url is "http://10.1.2.3:8080/identity/v2/scim": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
					"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
			}},
		},
		"insecure_http": {attrs: map[string]any{"base_url": "http://10.1.2.3:8080", "insecure_http": true}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			got := summarize(configureProvider(t, tt.attrs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Configure diagnostics mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
