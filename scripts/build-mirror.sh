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
#
# The build is reproducible, with the flags .goreleaser.yml uses
# (CGO_ENABLED=0, -trimpath, no VCS stamp with -buildvcs=false, -ldflags
# '-s -w -X main.version=VERSION'): the same commit built with the same Go
# version gives the same bytes in any folder on any machine, so the
# checksums `init` records in .terraform.lock.hcl hold on the next machine
# (make repro-check tests it), and the same bytes as the release's binary
# of that version (make release-check compares them).
#
# Environment:
#   PLATFORMS  the platforms to build, as os_arch separated by spaces or
#              commas, e.g. "linux_amd64 linux_arm64 darwin_arm64
#              windows_amd64"; default the host's (go env GOOS/GOARCH).
#              Record the checksums of all of them in a lock file with
#              `terraform providers lock -fs-mirror=MIRROR -platform=...`.
set -euo pipefail
mirror="${1:?usage: build-mirror.sh MIRROR [VERSION]}"
version="${2:-0.0.1}"
root="$(cd "$(dirname "$0")/.." && pwd)"
mkdir -p "$mirror"
mirror="$(cd "$mirror" && pwd)" # the build below runs in $root
platforms="${PLATFORMS:-$(go env GOOS)_$(go env GOARCH)}"
platforms="${platforms//,/ }"
cd "$root"
for platform in $platforms; do
  goos="${platform%%_*}" goarch="${platform#*_}"
  if [ -z "$goos" ] || [ -z "$goarch" ] || [ "$goos" = "$platform" ]; then
    echo "build-mirror: '$platform' in PLATFORMS is not os_arch (such as linux_amd64)" >&2
    exit 1
  fi
  name="terraform-provider-secureaccess_v$version"
  [ "$goos" = windows ] && name="$name.exe"
  tf_dir="$mirror/registry.terraform.io/secureaccess-iac/secureaccess/$version/$platform"
  tofu_dir="$mirror/registry.opentofu.org/secureaccess-iac/secureaccess/$version/$platform"
  mkdir -p "$tf_dir" "$tofu_dir"
  # GOARM=6: goreleaser's default for arm (Go's own would be 7).
  CGO_ENABLED=0 GOOS="$goos" GOARCH="$goarch" GOARM=6 \
    go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=$version" -o "$tf_dir/$name" .
  rm -f "$tofu_dir/$name"
  ln "$tf_dir/$name" "$tofu_dir/$name" 2>/dev/null || cp "$tf_dir/$name" "$tofu_dir/$name"
done
