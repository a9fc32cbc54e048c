#!/usr/bin/env bash
# validate-entra-example.sh (make validate-entra): `terraform validate` of
# examples/entra-id with this provider and the hashicorp/azuread provider,
# offline, from a local filesystem mirror. It checks the example against
# azuread's real schema: resource and data source names, arguments, blocks
# and attribute references. It contacts neither Azure nor Secure Access.
#
# The azuread provider cannot come from the Go module proxy (the proxy
# refuses it) and the registry may be out of reach, so the script takes a
# terraform-provider-azuread binary that is already on this machine; it
# does not build one. It looks for it in the cache (below), or where
# AZUREAD_PROVIDER says, and fails with a clear message when there is none.
#
# Environment:
#   AZUREAD_VERSION    the azuread version the binary is (default 3.9.0);
#                      examples/entra-id/versions.tf must accept it
#   AZUREAD_PROVIDER   path of a terraform-provider-azuread binary of that
#                      version; default
#                      AZUREAD_CACHE_DIR/terraform-provider-azuread_v$AZUREAD_VERSION
#   AZUREAD_CACHE_DIR  default ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/azuread-$AZUREAD_VERSION
#   TF_ACC_TERRAFORM_PATH  the Terraform CLI (default terraform on PATH)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
version="${AZUREAD_VERSION:-3.9.0}"
cache="${AZUREAD_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/azuread-$version}"
azuread="${AZUREAD_PROVIDER:-$cache/terraform-provider-azuread_v$version}"
tf="${TF_ACC_TERRAFORM_PATH:-terraform}"
example="$root/examples/entra-id"

log() { printf 'validate-entra: %s\n' "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

for tool in go "$tf"; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is required on PATH"
done
if [ ! -x "$azuread" ]; then
  log "no terraform-provider-azuread $version binary at $azuread."
  log "Put a terraform-provider-azuread binary of version $version for $(go env GOOS)_$(go env GOARCH) there"
  log "(from the release tag v$version of hashicorp/terraform-provider-azuread),"
  log "or set AZUREAD_PROVIDER to one (and AZUREAD_VERSION to its version)."
  fail "the azuread provider is missing"
fi
[ -d "$example" ] || fail "no $example"

work="$(mktemp -d "${TMPDIR:-/tmp}/validate-entra.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# Terraform must not reach out: no checkpoint, no registry (the mirror
# serves both providers), and a CLI config that exists so it does not warn.
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0
: >"$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"

start=$SECONDS
mirror="$work/mirror"
log "building this provider into $mirror"
"$root/scripts/build-mirror.sh" "$mirror" >&2 || fail "building this provider (scripts/build-mirror.sh)"
platform="$(go env GOOS)_$(go env GOARCH)"
dir="$mirror/registry.terraform.io/hashicorp/azuread/$version/$platform"
mkdir -p "$dir"
cp "$azuread" "$dir/terraform-provider-azuread_v$version"

# A copy, so that init leaves no .terraform or lock file in the repository.
cfg="$work/entra-id"
mkdir -p "$cfg"
cp "$example"/*.tf "$cfg/"

log "$("$tf" version | head -n 1)"
log "terraform fmt -check"
"$tf" -chdir="$cfg" fmt -check -diff >&2 || fail "examples/entra-id is not formatted: run terraform fmt examples/entra-id"
log "terraform init -plugin-dir (offline)"
"$tf" -chdir="$cfg" init -backend=false -input=false -plugin-dir="$mirror" >"$work/init.log" 2>&1 || {
  cat "$work/init.log" >&2
  fail "terraform init"
}
grep -E '^- Installed|^- Installing' "$work/init.log" >&2 || true
log "terraform validate"
"$tf" -chdir="$cfg" validate -no-color >&2 || fail "terraform validate of examples/entra-id"
log "examples/entra-id is valid with hashicorp/azuread $version ($((SECONDS - start)) s)"
