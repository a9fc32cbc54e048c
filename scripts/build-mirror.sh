#!/usr/bin/env bash
# build-mirror.sh MIRROR [VERSION]: build this provider into a Terraform
# filesystem mirror, so that `terraform init -plugin-dir=MIRROR` installs it
# offline. VERSION must be a release version (a pre-release is not picked
# without an explicit constraint); default 0.0.1.
set -euo pipefail
mirror="${1:?usage: build-mirror.sh MIRROR [VERSION]}"
version="${2:-0.0.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
plugin_dir="$mirror/registry.terraform.io/secureaccess-iac/secureaccess/$version/$(go env GOOS)_$(go env GOARCH)"
mkdir -p "$plugin_dir"
cd "$root"
go build -o "$plugin_dir/terraform-provider-secureaccess_v$version" -ldflags "-X main.version=$version" .
