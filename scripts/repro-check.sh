#!/usr/bin/env bash
# repro-check.sh (make repro-check): build the provider with
# scripts/build-mirror.sh from two copies of the source in folders of
# different path lengths, and fail unless the binaries are byte-identical.
# Two clones of the same commit must give the same binary, or a
# .terraform.lock.hcl written on one machine fails `init` on the next.
#
# The source is the commit checked out plus the changes to tracked files
# (git stash create); untracked files are left out, as a clone would.
#
# Environment:
#   PLATFORMS  the platforms to compare (build-mirror.sh's; default the host)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/secureaccess-repro.XXXXXX")"
trap 'rm -rf "$work"' EXIT

log() { printf 'repro-check: %s\n' "$*" >&2; }

rev="$(git -C "$root" stash create 2>/dev/null || true)"
rev="${rev:-HEAD}"
short="$(git -C "$root" rev-parse --short "$rev")"
a="$work/a"
b="$work/another-folder-with-a-much-longer-name/and/one/more/level/terraform-provider-secureaccess"
start=$SECONDS
for dir in "$a" "$b"; do
  mkdir -p "$dir"
  git -C "$root" archive "$rev" | tar -x -C "$dir"
  log "building $short in $dir"
  "$dir/scripts/build-mirror.sh" "$dir/mirror" 0.0.1
done

cd "$a/mirror"
files="$(find . -type f | LC_ALL=C sort)"
[ -n "$files" ] || { log "FAILED: build-mirror.sh built nothing in $a/mirror"; exit 1; }
failed=0
while IFS= read -r f; do
  if [ ! -f "$b/mirror/$f" ]; then
    log "FAILED: $f was built in one folder only"
    failed=1
  elif ! cmp -s "$a/mirror/$f" "$b/mirror/$f"; then
    log "FAILED: $f differs between the two folders:"
    sha256sum "$a/mirror/$f" "$b/mirror/$f" >&2
    failed=1
  else
    log "identical: $f ($(wc -c <"$f") bytes, sha256 $(sha256sum "$f" | cut -c1-16)…)"
  fi
done <<<"$files"
[ "$failed" -eq 0 ] || exit 1
log "the two builds of $short are byte-identical ($((SECONDS - start)) s)"
