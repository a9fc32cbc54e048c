// Command terraform-provider-secureaccess is the Terraform provider for Cisco
// Secure Access directory integrations and SCIM 2.0 identity provisioning.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"
)

// Generate docs/ from the schema, templates/ and examples/ with tfplugindocs,
// pinned in the tools/ module (make docs). The schema comes
// from the provider itself (internal/tools/providerschema), not from the
// terraform on PATH: Terraform 1.11 does not report list resources or
// resource identities.
//go:generate go run ./internal/tools/providerschema -o .cache/providers-schema.json
//go:generate go run -C tools github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs generate --provider-dir .. --provider-name secureaccess --providers-schema ../.cache/providers-schema.json

// version is set by goreleaser at release time.
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "set to true to run the provider with support for debuggers like delve")
	flag.Parse()
	provider.QuietSDKLogsUnlessLogging()

	opts := providerserver.ServeOpts{
		Address: "registry.terraform.io/secureaccess-iac/secureaccess",
		Debug:   debug,
	}
	if err := providerserver.Serve(context.Background(), provider.New(version), opts); err != nil {
		log.Fatal(err.Error())
	}
}
