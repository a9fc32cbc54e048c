#!/usr/bin/env bash
# build-tofu.sh: build the OpenTofu CLI that `make test-tofu` runs, from the
# Go module proxy (no GitHub, no release downloads), once, and print its path
# on stdout. A binary already in the cache is reused.
#
# `go install github.com/opentofu/opentofu/cmd/tofu@vX` refuses the module's
# replace directive, so the module is downloaded, copied somewhere writable
# and built there as the main module (about 11 CPU-minutes; 20 minutes of
# wall time on a busy 2-core machine).
#
# Environment:
#   TOFU_VERSION    OpenTofu version (default 1.10.10, the tested one)
#   TOFU_CACHE_DIR  where the binary goes (default
#                   ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/tofu-$TOFU_VERSION);
#                   the binary is TOFU_CACHE_DIR/tofu
set -euo pipefail

# shellcheck source=go-module.sh
source "$(dirname "$0")/go-module.sh"

version="${TOFU_VERSION:-1.10.10}"
cache="${TOFU_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/tofu-$version}"
bin="$cache/tofu"

log() { printf 'build-tofu: %s\n' "$*" >&2; }

if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
  log "reusing $bin"
  printf '%s\n' "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "'go' is required on PATH"; exit 1; }
mkdir -p "$cache"
src="$(mktemp -d "$cache/src.XXXXXX")"
trap 'chmod -R u+w "$src" 2>/dev/null || true; rm -rf "$src"' EXIT

log "downloading github.com/opentofu/opentofu@v$version from the Go module proxy"
dir="$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
if [ -z "$dir" ] || [ ! -f "$dir/go.mod" ]; then
  log "go mod download did not give a module directory for v$version"
  exit 1
fi
cp -R "$dir/." "$src/"
chmod -R u+w "$src"
cd "$src"

fit_go_module OpenTofu

log "building tofu v$version with $(go env GOVERSION) (several minutes the first time)"
start=$SECONDS
go build -trimpath -ldflags "-s -w -X github.com/opentofu/opentofu/version.dev=no" -o "$src/tofu" ./cmd/tofu
mv -f "$src/tofu" "$bin"
log "built $bin in $((SECONDS - start)) s: $("$bin" version 2>/dev/null | head -n 1)"
printf '%s\n' "$bin"
