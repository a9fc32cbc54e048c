#!/usr/bin/env bash
# build-provider.sh GIT_DIR VERSION BINARY: build another Terraform provider
# (Cisco's ciscosecureaccess, hashicorp/azuread, ...) from a git clone or
# snapshot of its repository, at the commit of the tag vVERSION, into
# BINARY. scripts/validate-example.sh calls it when BINARY is missing and a
# git directory was given (CISCOSECUREACCESS_GIT, AZUREAD_GIT).
#
# As scripts/build-terraform.sh does for Terraform: `git archive` of the tag
# into a temporary directory, then `go build` there. The provider's own
# module comes from git, its dependencies from the Go module proxy (checked
# against its go.sum). Built as the providers' goreleaser builds are
# (CGO_ENABLED=0, -trimpath, -s -w, main.version set to VERSION).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=go-module.sh
source "$(dirname "$0")/go-module.sh"

usage="usage: build-provider.sh GIT_DIR VERSION BINARY"
git_dir="${1:?$usage}"
version="${2:?$usage}"
bin="${3:?$usage}"
name="$(basename "$bin")"

log() { printf 'build-provider: %s\n' "$*" >&2; }

for tool in go git tar; do
  command -v "$tool" >/dev/null 2>&1 || { log "'$tool' is required on PATH"; exit 1; }
done
if ! commit="$(git -C "$git_dir" rev-parse --verify --quiet "refs/tags/v$version^{commit}" 2>/dev/null)"; then
  log "$git_dir is not a git repository with the tag v$version."
  log "Tags there: $(git -C "$git_dir" tag --sort=-v:refname 2>/dev/null | head -n 5 | tr '\n' ' ')"
  exit 1
fi

dir="$(dirname "$bin")"
mkdir -p "$dir"
src="$(mktemp -d "$dir/src.XXXXXX")"
trap 'chmod -R u+w "$src" 2>/dev/null || true; rm -rf "$src"' EXIT

log "extracting v$version ($commit) from $git_dir"
git -C "$git_dir" archive "$commit" | tar -x -C "$src"
chmod -R u+w "$src"
cd "$src"
if [ ! -f go.mod ] || [ ! -f main.go ]; then
  log "v$version of $git_dir has no go.mod and main.go at its root: not a provider"
  exit 1
fi
fit_go_module "$name"

log "building $name with $(go env GOVERSION)"
start=$SECONDS
CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w -X main.version=$version" -o "$src/$name" .
mv -f "$src/$name" "$bin"
log "built $bin in $((SECONDS - start)) s"
