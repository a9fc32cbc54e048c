#!/usr/bin/env bash
# build-mirror.sh MIRROR [VERSION]: build this provider into a filesystem
# mirror that both Terraform and OpenTofu install from offline, with
# `init -plugin-dir=MIRROR` or a provider_installation filesystem_mirror
# block. VERSION must be a release version (a pre-release is not picked
# without an explicit constraint); default 0.0.1.
#
# The short source "secureaccess-iac/secureaccess" means
# registry.terraform.io/secureaccess-iac/secureaccess to Terraform and
# registry.opentofu.org/secureaccess-iac/secureaccess to OpenTofu, so the
# mirror has both trees. The OpenTofu one holds a hard link to the same
# binary (a copy where links fail): OpenTofu does not follow a symlinked
# directory there.
set -euo pipefail
mirror="${1:?usage: build-mirror.sh MIRROR [VERSION]}"
version="${2:-0.0.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd)" # the build below runs in $root
platform="$(go env GOOS)_$(go env GOARCH)"
name="terraform-provider-secureaccess_v$version"
tf_dir="$mirror/registry.terraform.io/secureaccess-iac/secureaccess/$version/$platform"
tofu_dir="$mirror/registry.opentofu.org/secureaccess-iac/secureaccess/$version/$platform"
mkdir -p "$tf_dir" "$tofu_dir"
cd "$root"
go build -o "$tf_dir/$name" -ldflags "-X main.version=$version" .
rm -f "$tofu_dir/$name"
ln "$tf_dir/$name" "$tofu_dir/$name" 2>/dev/null || cp "$tf_dir/$name" "$tofu_dir/$name"
