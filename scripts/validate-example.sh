#!/usr/bin/env bash
# validate-example.sh EXAMPLE SOURCE VERSION BINARY [GIT_DIR]: `terraform
# validate` of the example directory EXAMPLE with this provider and one
# other provider, offline, from a local filesystem mirror. It checks the
# example against the other provider's real schema: resource and data
# source names, arguments, blocks, attribute references and the provider's
# own validators. It contacts no service and no registry.
#
#   make validate-entra   examples/entra-id       hashicorp/azuread
#   make validate-cisco   examples/access-policy  CiscoDevNet/ciscosecureaccess
#
# SOURCE is the other provider's source address as the example's
# required_providers has it, VERSION its version (which that constraint must
# accept), BINARY a terraform-provider-TYPE binary of that version for this
# platform. The targets take BINARY from TYPE_PROVIDER (AZUREAD_PROVIDER,
# CISCOSECUREACCESS_PROVIDER), by default from the project's cache,
# ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-secureaccess/TYPE-VERSION/.
# When BINARY is missing and GIT_DIR is given (TYPE_GIT: a git clone of the
# provider's repository with the tag vVERSION), scripts/build-provider.sh
# builds it there first; otherwise the script fails and says how to get one.
#
# Environment:
#   TF_ACC_TERRAFORM_PATH  the Terraform CLI (default terraform on PATH)
set -euo pipefail

usage="usage: validate-example.sh EXAMPLE SOURCE VERSION BINARY [GIT_DIR]"
root="$(cd "$(dirname "$0")/.." && pwd)"
example="${1:?$usage}"
address="${2:?$usage}"
version="${3:?$usage}"
binary="${4:?$usage}"
git_dir="${5:-}"
tf="${TF_ACC_TERRAFORM_PATH:-terraform}"

namespace="${address%%/*}"
type="${address#*/}"
if [ -z "$namespace" ] || [ -z "$type" ] || [ "$namespace" = "$address" ] || [ "$type" != "${type%/*}" ]; then
  echo "validate-example: SOURCE must be NAMESPACE/TYPE, such as hashicorp/azuread: got '$address'" >&2
  exit 2
fi
name="terraform-provider-$type"
var="$(printf '%s' "$type" | tr '[:lower:]-' '[:upper:]_')"
case "$example" in /*) ;; *) example="$root/$example" ;; esac
label="${example#"$root"/}"

log() { printf 'validate-example (%s): %s\n' "$label" "$*" >&2; }
fail() { log "FAILED: $*"; exit 1; }

for tool in go "$tf"; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is required on PATH"
done
[ -d "$example" ] || fail "no directory $example"
platform="$(go env GOOS)_$(go env GOARCH)"

if [ ! -x "$binary" ] && [ -n "$git_dir" ]; then
  log "no $name $version at $binary: building it from $git_dir"
  "$root/scripts/build-provider.sh" "$git_dir" "$version" "$binary" || fail "building $name $version from $git_dir"
fi
if [ ! -x "$binary" ]; then
  log "no $name $version binary at $binary."
  log "Set ${var}_GIT to a git clone (or bare repository) of https://github.com/$namespace/$name"
  log "that has the tag v$version and run again: it builds the binary there (a few minutes, once)."
  log "Or put a $name binary of version $version for $platform at that path,"
  log "or set ${var}_PROVIDER to one (and ${var}_VERSION to its version)."
  fail "the $address provider is missing"
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/validate-example.XXXXXX")"
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
dir="$mirror/registry.terraform.io/$namespace/$type/$version/$platform"
mkdir -p "$dir"
cp "$binary" "$dir/${name}_v$version"

# A copy, so that init leaves no .terraform or lock file in the repository.
cfg="$work/example"
mkdir -p "$cfg"
cp "$example"/*.tf "$cfg/"

log "$("$tf" version | head -n 1)"
log "terraform fmt -check"
"$tf" -chdir="$cfg" fmt -check -diff >&2 || fail "$label is not formatted: run terraform fmt $label"
log "terraform init -plugin-dir (offline)"
"$tf" -chdir="$cfg" init -backend=false -input=false -plugin-dir="$mirror" >"$work/init.log" 2>&1 || {
  cat "$work/init.log" >&2
  fail "terraform init"
}
grep -E '^- Installed|^- Installing' "$work/init.log" >&2 || true
log "terraform validate"
"$tf" -chdir="$cfg" validate -no-color >&2 || fail "terraform validate of $label"
log "$label is valid with $address $version ($((SECONDS - start)) s)"
