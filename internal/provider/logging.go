package provider

import (
	"os"
	"strings"
)

// sdkLogVariables are the terraform-plugin-log levels of the plugin SDK's
// subsystems and of the provider's own log.
var sdkLogVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// QuietSDKLogsUnlessLogging turns the plugin's logging off when Terraform is
// not logging. Terraform discards a plugin's log lines unless a TF_LOG*
// variable is set, but the SDK formats every line at TRACE anyway; that was a
// third to a half of the provider's cost in the benchmarks (BENCHMARKS.md).
// With any TF_LOG* variable set, nothing changes. Call it before
// providerserver.Serve.
func QuietSDKLogsUnlessLogging() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, k := range sdkLogVariables {
		_ = os.Setenv(k, "off")
	}
}
