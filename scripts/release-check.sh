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
#   5. go run ./internal/tools/releasecheck -dist dist.
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
"$goreleaser" release --snapshot --clean --skip=sign,publish
log "goreleaser built dist/ in $((SECONDS - release_start)) s"

status_after="$(git status --porcelain --untracked-files=no)"
if [ "$status_before" != "$status_after" ]; then
  git status --short --untracked-files=no >&2
  fail "the release changed tracked files (before: '${status_before}')"
fi

log "checking dist/"
"$go" run ./internal/tools/releasecheck -dist dist -manifest terraform-registry-manifest.json
ls -l dist/*.zip dist/*_SHA256SUMS >&2
log "passed in $((SECONDS - start)) s"
