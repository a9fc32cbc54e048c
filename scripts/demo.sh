#!/usr/bin/env bash
# Quick start against the bundled mock (make demo): build the provider into a
# local filesystem mirror, start cmd/secureaccess-mock on a free loopback
# port, init (offline, from the mirror), apply examples/quickstart, show the
# outputs, prove that ten plans after it are empty and wait for nothing (and
# print how long each took), destroy, stop the mock, and remove everything
# it made.
#
# The CLI is TF_ACC_TERRAFORM_PATH (the variable terraform-plugin-testing
# reads), else terraform on PATH; OpenTofu works too:
#   TF_ACC_TERRAFORM_PATH=$(./scripts/build-tofu.sh) make demo
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/secureaccess-demo.XXXXXX")"
# shellcheck source=scripts/mock.sh
. "$root/scripts/mock.sh"

cleanup() {
  mock_stop
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n==> %s\n' "$*"; }

tf_cli="${TF_ACC_TERRAFORM_PATH:-terraform}"
cli="$(basename "$tf_cli")"
for tool in go "$tf_cli"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "demo: '$tool' is required on PATH" >&2; exit 1; }
done

# Terraform must not reach out: no checkpoint, no registry (the mirror serves
# the provider), and a CLI config that exists so it does not warn.
export CHECKPOINT_DISABLE=1
export TF_IN_AUTOMATION=1
export TF_INPUT=0
: > "$work/terraformrc"
export TF_CLI_CONFIG_FILE="$work/terraformrc"

step "Building the provider into a local mirror"
mirror="$work/mirror"
"$root/scripts/build-mirror.sh" "$mirror"

step "Starting the mock Secure Access service"
client_id="demo-client-id"
client_secret="demo-client-secret-$RANDOM$RANDOM"
mock_start demo -client-id "$client_id" -client-secret "$client_secret"
url="$mock_url"
echo "mock listening on $url"

export SECUREACCESS_BASE_URL="$url"
export SECUREACCESS_CLIENT_ID="$client_id"
export SECUREACCESS_CLIENT_SECRET="$client_secret"

tf="$work/quickstart"
mkdir -p "$tf"
# *.tofu: OpenTofu reads versions.tofu instead of versions.tf.
cp "$root"/examples/quickstart/*.tf "$root"/examples/quickstart/*.tofu "$tf/"

step "$cli init (offline, from the local mirror)"
"$tf_cli" -chdir="$tf" init -plugin-dir="$mirror" -no-color >/dev/null
echo "initialized"

step "$cli apply"
"$tf_cli" -chdir="$tf" apply -auto-approve -no-color

step "Outputs (the token is sensitive: $cli output -raw provisioning_token shows it)"
"$tf_cli" -chdir="$tf" output -no-color

step "$cli plan, ten times back to back: nothing must change, and nothing waits"
# The mock enforces no rate limits, so the provider keeps none either
# (Cisco's apply on Cisco's hosts): no plan waits for a window, and the
# slowest takes about as long as the first.
times=()
for i in $(seq 1 10); do
  start_ns=$(date +%s%N)
  set +e
  "$tf_cli" -chdir="$tf" plan -detailed-exitcode -no-color >"$work/plan.txt" 2>&1
  plan_rc=$?
  set -e
  times+=($(( ($(date +%s%N) - start_ns) / 1000000 )))
  if [ "$plan_rc" -ne 0 ] || grep -q "Waited for Secure Access API Rate Limits" "$work/plan.txt"; then
    cat "$work/plan.txt"
    echo "demo: plan $i after apply was not empty (exit $plan_rc), or waited for rate limits" >&2
    exit 1
  fi
done
slowest=$(printf '%s\n' "${times[@]}" | sort -n | tail -1)
echo "No changes. The directory, token, users, group and memberships match the configuration."
echo "10 plans: ${times[*]} ms; the first ${times[0]} ms, the slowest ${slowest} ms ($(awk -v a="$slowest" -v b="${times[0]}" 'BEGIN { printf "%.2f", a / b }') of the first)"

step "$cli destroy"
"$tf_cli" -chdir="$tf" destroy -auto-approve -no-color

echo
echo "demo: done; the mock is stopped and $work is removed."
