package provider

import (
	"strings"
	"testing"
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
