#!/usr/bin/env bash
# build-terraform.sh: build the Terraform CLI that `make testacc-tf115` runs
# (Terraform 1.14 and later have `terraform query` and list resources), once,
# from a git clone or snapshot of hashicorp/terraform, and print its path on
# stdout. A binary already in the cache is reused.
#
# Neither `go install` nor the Go module proxy can build these versions (the
# proxy lacks their nested backend modules), and releases.hashicorp.com may
# be out of reach, so the source comes from git: `git archive v$VERSION` of
# a repository that has the tag (about 3 minutes of build on 2 cores).
#
# Environment:
#   TERRAFORM_VERSION    Terraform version (default 1.15.9, the tested one)
#   TERRAFORM_GIT        a git repository (bare or not) of hashicorp/terraform
#                        with the tag v$TERRAFORM_VERSION
#   TERRAFORM_SRC        instead of TERRAFORM_GIT: a directory that already
#                        holds that version's source tree (it is copied)
#   TERRAFORM_CACHE_DIR  where the binary goes (default
#                        ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/terraform-$TERRAFORM_VERSION);
#                        the binary is TERRAFORM_CACHE_DIR/terraform
set -euo pipefail

# shellcheck source=go-module.sh
source "$(dirname "$0")/go-module.sh"

version="${TERRAFORM_VERSION:-1.15.9}"
cache="${TERRAFORM_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/terraform-$version}"
bin="$cache/terraform"

log() { printf 'build-terraform: %s\n' "$*" >&2; }

if [ -x "$bin" ] && "$bin" version >/dev/null 2>&1; then
  log "reusing $bin"
  printf '%s\n' "$bin"
  exit 0
fi

command -v go >/dev/null 2>&1 || { log "'go' is required on PATH"; exit 1; }
git_dir="${TERRAFORM_GIT:-}"
if [ -z "$git_dir" ] && [ -z "${TERRAFORM_SRC:-}" ]; then
  log "no Terraform $version in $cache and no source to build it from."
  log "Set TERRAFORM_GIT to a git clone of https://github.com/hashicorp/terraform (with the tag v$version),"
  log "or TERRAFORM_SRC to a directory holding its source tree, or put a Terraform $version binary at $bin."
  exit 1
fi

mkdir -p "$cache"
src="$(mktemp -d "$cache/src.XXXXXX")"
trap 'chmod -R u+w "$src" 2>/dev/null || true; rm -rf "$src"' EXIT

if [ -n "${TERRAFORM_SRC:-}" ]; then
  [ -f "$TERRAFORM_SRC/go.mod" ] || { log "TERRAFORM_SRC=$TERRAFORM_SRC has no go.mod"; exit 1; }
  log "copying the source tree of $TERRAFORM_SRC"
  cp -R "$TERRAFORM_SRC/." "$src/"
else
  if ! git -C "$git_dir" rev-parse --verify --quiet "refs/tags/v$version" >/dev/null 2>&1; then
    log "$git_dir has no tag v$version (TERRAFORM_GIT must be a git repository of hashicorp/terraform)"
    exit 1
  fi
  log "extracting v$version from $git_dir"
  git -C "$git_dir" archive "v$version" | tar -x -C "$src"
fi
chmod -R u+w "$src"
cd "$src"

# (v1.15.9's go.mod has only godebug winsymlink=0, which go1.26 knows.)
fit_go_module Terraform

# version.dev=no: a release build (no "-dev" suffix, which terraform-plugin-
# testing's version checks would read as a prerelease). experimentsAllowed:
# as in Terraform's own release builds of these versions.
log "building terraform v$version with $(go env GOVERSION) (about 3 minutes the first time)"
start=$SECONDS
go build -trimpath -ldflags "-s -w -X github.com/hashicorp/terraform/version.dev=no -X main.experimentsAllowed=yes" -o "$src/terraform" .
mv -f "$src/terraform" "$bin"
log "built $bin in $((SECONDS - start)) s: $("$bin" version 2>/dev/null | head -n 1)"
printf '%s\n' "$bin"
