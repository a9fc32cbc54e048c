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
mock_pid=""

cleanup() {
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
    kill -TERM "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

go="${GO:-go}"
(cd "$root" && "$go" build -o "$work/secureaccess-mock" ./cmd/secureaccess-mock)

# The API key is random per run and reaches the mock through its
# environment, not its command line.
client_id="tfacc-client-id"
client_secret="tfacc-client-secret-$RANDOM$RANDOM$RANDOM"
mkfifo "$work/mock.out"
SECUREACCESS_MOCK_CLIENT_ID="$client_id" SECUREACCESS_MOCK_CLIENT_SECRET="$client_secret" \
  "$work/secureaccess-mock" -listen 127.0.0.1:0 -bootstrap "Acceptance" \
  >"$work/mock.out" 2>"$work/mock.log" &
mock_pid=$!
exec 3<"$work/mock.out"

url="" token=""
while IFS= read -r -t 30 line <&3; do
  case "$line" in
    "listening on "*) url="${line#listening on }" ;;
    "SCIM token: "*) token="${line#SCIM token: }"; break ;;
  esac
done
if [ -z "$url" ] || [ -z "$token" ]; then
  echo "testacc-live: the mock did not start and bootstrap; its log:" >&2
  cat "$work/mock.log" >&2
  exit 1
fi
# Keep draining the mock's stdout so it never blocks on a full pipe.
cat <&3 >/dev/null &
echo "testacc-live: mock (pid $mock_pid) listening on $url, directory integration \"Acceptance\" bootstrapped"

export SECUREACCESS_BASE_URL="$url"
export SECUREACCESS_SCIM_TOKEN="$token"
export SECUREACCESS_CLIENT_ID="$client_id"
export SECUREACCESS_CLIENT_SECRET="$client_secret"
unset SECUREACCESS_SCIM_URL

cd "$root"
TF_ACC=1 "$go" test -count=1 -timeout "${TEST_TIMEOUT:-15m}" ./internal/provider/ "$@"
