package provider

import (
	"os"
	"testing"
)

func TestQuietSDKLogsUnlessLogging(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantOff bool
	}{
		{name: "terraform not logging", env: map[string]string{}, wantOff: true},
		{name: "TF_LOG set", env: map[string]string{"TF_LOG": "TRACE"}},
		{name: "TF_LOG_PROVIDER set", env: map[string]string{"TF_LOG_PROVIDER": "DEBUG"}},
		{name: "TF_LOG_PATH set", env: map[string]string{"TF_LOG_PATH": "/tmp/tf.log"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// t.Setenv restores every variable when the subtest ends.
			for _, k := range append([]string{"TF_LOG", "TF_LOG_PATH", "TF_LOG_CORE"}, sdkLogVariables...) {
				t.Setenv(k, "")
				_ = os.Unsetenv(k)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			QuietSDKLogsUnlessLogging()
			for _, k := range sdkLogVariables {
				got, set := os.LookupEnv(k)
				if tt.wantOff && got != "off" {
					t.Errorf("%s = %q, want off", k, got)
				}
				if !tt.wantOff && set && got != tt.env[k] {
					t.Errorf("%s = %q, want it left as %q", k, got, tt.env[k])
				}
			}
		})
	}
}
