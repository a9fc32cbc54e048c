#!/usr/bin/env bash
# release-check.sh (make release-check): what .github/workflows/release.yml
# does on a v* tag, short of signing and publishing, then a check of the
# result against what the Terraform Registry expects:
#
#   1. go.mod and go.sum are tidy (go mod tidy -diff): .goreleaser.yml's
#      `before` hook runs go mod tidy, which must change nothing, or the
#      release would be built from files that are not in the tag;
#   2. goreleaser check (the configuration);
#   3. goreleaser release --snapshot --clean --skip=sign,publish: every
#      platform's zip, the SHA256SUMS file and the manifest in dist/;
#   4. the tree is as before (nothing the build wrote is tracked);
#   5. the host's binary built again from source by scripts/build-mirror.sh;
#   6. go run ./internal/tools/releasecheck -dist dist: the Registry's rules,
#      and the host's binary byte for byte the build from source.
#
# GORELEASER is the goreleaser to run (make release-check installs the
# pinned one from the Go module proxy into the cache). Everything downloads
# from the Go module proxy only.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
go="${GO:-go}"
cd "$root"

log() { printf 'release-check: %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

start=$SECONDS
goreleaser="${GORELEASER:?set GORELEASER to the goreleaser binary, or run make release-check}"
log "$("$goreleaser" --version 2>/dev/null | grep -i '^GitVersion' || echo "$goreleaser")"

log "go mod tidy -diff"
"$go" mod tidy -diff || fail "go.mod or go.sum is not tidy: run go mod tidy and commit the result (goreleaser's before hook runs it)"

status_before="$(git status --porcelain --untracked-files=no)"

log "goreleaser check"
"$goreleaser" check

log "goreleaser release --snapshot --clean --skip=sign,publish"
release_start=$SECONDS
# GOFLAGS as a CI runner has it: Go's default VCS stamping on, whatever
# this machine's go env says; .goreleaser.yml turns it off itself.
GOFLAGS=-buildvcs=auto "$goreleaser" release --snapshot --clean --skip=sign,publish
log "goreleaser built dist/ in $((SECONDS - release_start)) s"

status_after="$(git status --porcelain --untracked-files=no)"
if [ "$status_before" != "$status_after" ]; then
  git status --short --untracked-files=no >&2
  fail "the release changed tracked files (before: '${status_before}')"
fi

# The host's binary again, from source, as scripts/build-mirror.sh builds
# it for a filesystem mirror: it must be the release's, byte for byte.
version="$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json)"
platform="$("$go" env GOOS)_$("$go" env GOARCH)"
log "building $platform $version from source (scripts/build-mirror.sh)"
mirror="$(mktemp -d "${TMPDIR:-/tmp}/secureaccess-release-check.XXXXXX")"
trap 'rm -rf "$mirror"' EXIT
PLATFORMS="$platform" "$root/scripts/build-mirror.sh" "$mirror" "$version"
source_build="$mirror/registry.terraform.io/secureaccess-iac/secureaccess/$version/$platform/terraform-provider-secureaccess_v$version"

log "checking dist/"
"$go" run ./internal/tools/releasecheck -dist dist -manifest terraform-registry-manifest.json \
  -source-build "$source_build" -source-platform "$platform"
ls -l dist/*.zip dist/*_SHA256SUMS >&2
log "passed in $((SECONDS - start)) s"
