package transport

import "testing"

func TestIsLoopback(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"localhost":         true,
		"LocalHost":         true,
		"127.0.0.1":         true,
		"127.1.2.3":         true,
		"::1":               true,
		"":                  false,
		"0.0.0.0":           false,
		"10.0.0.1":          false,
		"api.sse.cisco.com": false,
		"localhost.example": false,
	}
	for host, want := range tests {
		if got := IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v, want %v", host, got, want)
		}
	}
}
