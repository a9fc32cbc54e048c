// Command terraform-provider-secureaccess is the Terraform provider for Cisco
// Secure Access directory integrations and SCIM 2.0 identity provisioning.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

// version is set by goreleaser at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()
	quietSDKLogsUnlessLogging()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/secureaccess-iac/secureaccess",
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}

// sdkLogVariables are the terraform-plugin-log levels of the plugin SDK's
// subsystems and of the provider's own log.
var sdkLogVariables = []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"}

// quietSDKLogsUnlessLogging turns the plugin's logging off when Terraform is
// not logging. Terraform discards a plugin's log lines unless a TF_LOG*
// variable is set, but the SDK formats every line at TRACE anyway; that was a
// third to a half of the provider's cost in the benchmarks (BENCHMARKS.md).
// With any TF_LOG* variable set, nothing changes.
func quietSDKLogsUnlessLogging() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, k := range sdkLogVariables {
		_ = os.Setenv(k, "off")
	}
}
