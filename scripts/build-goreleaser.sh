#!/usr/bin/env bash
# build-goreleaser.sh: build the goreleaser that `make release-check` runs,
# once, from the Go module proxy (no release downloads), and print its path
# on stdout. A binary already in the cache is reused. The release workflow
# (.github/workflows/release.yml) runs the same version.
#
# Building it takes several minutes the first time (about 600 packages).
#
# Environment:
#   GORELEASER_VERSION    goreleaser version (default v2.17.0; v2.18 needs a
#                         newer Go than 1.26)
#   GORELEASER_CACHE_DIR  where the binary goes (default
#                         ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/goreleaser-$GORELEASER_VERSION);
#                         the binary is GORELEASER_CACHE_DIR/goreleaser
set -euo pipefail

version="${GORELEASER_VERSION:-v2.17.0}"
cache="${GORELEASER_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/goreleaser-$version}"
bin="$cache/goreleaser"

log() { printf 'build-goreleaser: %s\n' "$*" >&2; }

if [ -x "$bin" ] && "$bin" --version >/dev/null 2>&1; then
  log "reusing $bin"
  printf '%s\n' "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "'go' is required on PATH"; exit 1; }
mkdir -p "$cache"
tmp="$(mktemp -d "$cache/bin.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT
log "building github.com/goreleaser/goreleaser/v2@$version with $(go env GOVERSION) (several minutes the first time)"
start=$SECONDS
# Outside any module, so that this repository's go.mod has no say.
(cd "$tmp" && GOBIN="$tmp" GOFLAGS=-trimpath go install "github.com/goreleaser/goreleaser/v2@$version")
mv -f "$tmp/goreleaser" "$bin"
log "built $bin in $((SECONDS - start)) s"
printf '%s\n' "$bin"
