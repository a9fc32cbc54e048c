#!/usr/bin/env bash
# Live acceptance mode without a tenant (make testacc-live): build
# cmd/secureaccess-mock, run it as a separate program on a free loopback
# port with a bootstrapped directory integration ("Acceptance"), export the
# SECUREACCESS_* variables from what it prints, run the provider acceptance
# tests against it as they would run against a real tenant, and stop it.
# The tests see a URL and credentials only: no in-process hook.
#
# Extra arguments go to go test after the package, e.g.
#   ./scripts/testacc-live.sh -run 'TestAccSCIMUser' -v
#   ./scripts/testacc-live.sh -v -sweep=all     # the sweepers
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/secureaccess-testacc-live.XXXXXX")"
# shellcheck source=scripts/mock.sh
. "$root/scripts/mock.sh"

# After the suite: what the mock served (requests per API, 429s, each rate
# limit window's peak for the one key), from its log's last record.
cleanup() {
  mock_stop
  if served="$(grep 'msg=served' "$work/mock.log" 2>/dev/null)"; then
    echo "testacc-live: the mock ${served#*msg=}"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

go="${GO:-go}"

# The API key is random per run and reaches the mock through its
# environment, not its command line.
client_id="tfacc-client-id"
client_secret="tfacc-client-secret-$RANDOM$RANDOM$RANDOM"
export SECUREACCESS_MOCK_CLIENT_ID="$client_id" SECUREACCESS_MOCK_CLIENT_SECRET="$client_secret"
# The mock enforces Cisco's rate limit windows, at a hundredth of their
# length (a minute of 600 ms) unless SECUREACCESS_MOCK_RATE_SCALE says
# otherwise; the provider under test keeps the same windows at the same
# scale (TestMain), so the suite meets the limits as against a tenant, at
# test speed. SECUREACCESS_MOCK_RATE_SCALE=1 runs them at full length.
export SECUREACCESS_MOCK_RATE_SCALE="${SECUREACCESS_MOCK_RATE_SCALE:-0.01}"
mock_start testacc-live -bootstrap "Acceptance" -rate-limits cisco -rate-window-scale "$SECUREACCESS_MOCK_RATE_SCALE"
unset SECUREACCESS_MOCK_CLIENT_ID SECUREACCESS_MOCK_CLIENT_SECRET
url="$mock_url" token="$mock_scim_token"
echo "testacc-live: mock (pid $mock_pid) listening on $url, directory integration \"Acceptance\" bootstrapped"

export SECUREACCESS_BASE_URL="$url"
export SECUREACCESS_SCIM_TOKEN="$token"
export SECUREACCESS_CLIENT_ID="$client_id"
export SECUREACCESS_CLIENT_SECRET="$client_secret"
unset SECUREACCESS_SCIM_URL

cd "$root"
TF_ACC=1 "$go" test -count=1 -timeout "${TEST_TIMEOUT:-15m}" ./internal/provider/ "$@"
