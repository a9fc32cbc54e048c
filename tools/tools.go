//go:build tools

// Package tools pins the versions of the development tools this repository
// runs (make docs), so that they come from the Go module proxy at a known
// version and never from a download site.
package tools

import (
	// Documentation generation.
	_ "github.com/hashicorp/terraform-plugin-docs/cmd/tfplugindocs"
)
