package provider

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/terraform-plugin-framework/diag"
)

func TestCheckEndpoint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		url      string
		insecure bool
		wantErr  string
	}{
		{name: "https", url: "https://api.sse.cisco.com"},
		{name: "https with path", url: "https://api.sse.cisco.com/identity/v2/scim"},
		{name: "http loopback ipv4", url: "http://127.0.0.1:8080"},
		{name: "http loopback other 127", url: "http://127.1.2.3:8080"},
		{name: "http localhost", url: "http://localhost:8080"},
		{name: "http loopback ipv6", url: "http://[::1]:8080"},
		{name: "http remote", url: "http://api.example.com", wantErr: "insecure_http"},
		{name: "http private address", url: "http://10.0.0.1", wantErr: "insecure_http"},
		{name: "http remote insecure allowed", url: "http://api.example.com", insecure: true},
		{name: "ftp", url: "ftp://api.example.com", wantErr: "https scheme"},
		{name: "no scheme", url: "api.sse.cisco.com", wantErr: "absolute URL"},
		{name: "garbage", url: "://", wantErr: "absolute URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := checkEndpoint(tt.url, tt.insecure)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("checkEndpoint(%q) = %v, want nil", tt.url, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("checkEndpoint(%q) = %v, want an error mentioning %q", tt.url, err, tt.wantErr)
			}
		})
	}
}

// TestConfigure_insecureHTTPEnv: SECUREACCESS_INSECURE_HTTP stands in for
// insecure_http when the provider block leaves it out, the block wins over
// it, and a value that is not a boolean is one error that names the
// variable.
func TestConfigure_insecureHTTPEnv(t *testing.T) {
	for _, env := range []string{envBaseURL, envSCIMURL, envClientID, envClientSecret, envSCIMToken, envInsecureHTTP} {
		t.Setenv(env, "")
	}
	const remote = "http://10.1.2.3:8080"
	plainHTTP := diagSummary{
		Severity: diag.SeverityError, Path: "base_url", Summary: "Invalid Secure Access URL",
		Detail: `base_url is "` + remote + `": plain http on a host that is not a loopback address, so credentials would travel unencrypted. ` +
			"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network.",
	}
	tests := map[string]struct {
		attrs map[string]any
		env   string
		want  []diagSummary
	}{
		"unset":                       {attrs: map[string]any{"base_url": remote}, want: []diagSummary{plainHTTP}},
		"true":                        {attrs: map[string]any{"base_url": remote}, env: "true"},
		"1":                           {attrs: map[string]any{"base_url": remote}, env: "1"},
		"false":                       {attrs: map[string]any{"base_url": remote}, env: "false", want: []diagSummary{plainHTTP}},
		"the provider block wins":     {attrs: map[string]any{"base_url": remote, "insecure_http": false}, env: "true", want: []diagSummary{plainHTTP}},
		"set in the block, env false": {attrs: map[string]any{"base_url": remote, "insecure_http": true}, env: "false"},
		"not a boolean": {attrs: map[string]any{"base_url": "https://api.sse.cisco.com"}, env: "yes", want: []diagSummary{{
			Severity: diag.SeverityError, Path: "insecure_http", Summary: "Invalid Provider Setting",
			Detail: `The SECUREACCESS_INSECURE_HTTP environment variable (used because insecure_http is not set) is "yes", which is not a boolean. ` +
				"Set it to true or false, or unset it.",
		}}},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			t.Setenv(envInsecureHTTP, tt.env)
			got := summarize(configureProvider(t, tt.attrs))
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Configure diagnostics mismatch (-want +got):\n%s", diff)
			}
		})
	}
}
