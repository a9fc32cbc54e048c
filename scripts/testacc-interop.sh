#!/usr/bin/env bash
# make testacc-interop: the SCIM half of the provider's live acceptance
# suite, then its sweepers, against SCIM 2.0 servers this project did not
# write (interop/*: SCIMMY from npm, elimity-com/scim from the Go module
# proxy), each in memory on a free loopback port. The protocol is each
# library's; the project writes only their storage and wiring.
#
# For each server it exports what a live run against a tenant sets
# (SECUREACCESS_BASE_URL, SECUREACCESS_SCIM_URL, SECUREACCESS_SCIM_TOKEN;
# no admin API key, so the admin tests skip), plus the server's known
# quirks in SECUREACCESS_ACC_SERVER_QUIRKS (the few tests that rely on
# Secure Access behaviour there adapt or skip, saying why) and the style
# of ids it assigns. It prints passed/failed/skipped per server and fails
# when any test or sweeper failed.
#
#   INTEROP_SERVERS="scimmy elimity"   which servers (default: both)
#   TESTARGS="-test.run=TestAccSCIMGroup"   more flags for the test binary
#   OUT=FILE                           also write the summary table there
#   LOGDIR=DIR                         keep each server's test, sweeper and
#                                      server logs there
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/secureaccess-interop.XXXXXX")"
go="${GO:-go}"
servers="${INTEROP_SERVERS:-scimmy elimity}"
server_pid=""

cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# What each server does differently from Secure Access that a test relies
# on (acctest_test.go), and the ids it assigns: one server integers, the
# other base64 with "=" padding, so both shapes reach the provider.
quirks_of() {
  case "$1" in
    scimmy) echo "filter-case-sensitive,filter-escapes-undecoded" ;;
    elimity) echo "filter-escapes-undecoded" ;;
    *) echo "testacc-interop: unknown server $1 (interop/$1 does not exist)" >&2; return 1 ;;
  esac
}
ids_of() {
  case "$1" in
    scimmy) echo int ;;
    elimity) echo base64 ;;
  esac
}

for s in $servers; do
  quirks_of "$s" >/dev/null
  echo "testacc-interop: installing $s"
  "$root/interop/$s/run.sh" install
done

# Our side of elimity's server (its store and PATCH application) has tests
# of its own, in its own module.
case " $servers " in *" elimity "*)
  echo "testacc-interop: testing interop/elimity's store and PATCH application"
  (cd "$root/interop/elimity" && "$go" vet ./... && "$go" test -count=1 ./...)
esac

echo "testacc-interop: building the provider's test binary"
(cd "$root" && "$go" test -c -o "$work/provider.test" ./internal/provider/)

# start_server NAME TOKEN: starts interop/NAME on a free port, sets
# server_pid and server_url.
start_server() {
  local name="$1" token="$2" line=""
  mkfifo "$work/$name.out"
  INTEROP_SCIM_TOKEN="$token" INTEROP_IDS="$(ids_of "$name")" INTEROP_LISTEN=127.0.0.1:0 \
    "$root/interop/$name/run.sh" >"$work/$name.out" 2>"$work/$name.log" &
  server_pid=$!
  exec 3<"$work/$name.out"
  server_url=""
  if IFS= read -r -t 30 line <&3; then
    case "$line" in "listening on "*) server_url="${line#listening on }" ;; esac
  fi
  if [ -z "$server_url" ]; then
    echo "testacc-interop: $name did not start; its log:" >&2
    cat "$work/$name.log" >&2
    return 1
  fi
  cat <&3 >/dev/null &
  exec 3<&-
}

stop_server() {
  kill -TERM "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}

summary="| server | passed | failed | skipped | sweepers | time |
|---|---|---|---|---|---|"
failed=0
for s in $servers; do
  token="interop-$s-$RANDOM$RANDOM$RANDOM"
  start_server "$s" "$token"
  echo "testacc-interop: $s (pid $server_pid) on $server_url, ids $(ids_of "$s"), quirks $(quirks_of "$s")"
  log="$work/$s-tests.log"
  start=$SECONDS
  rc=0
  (
    cd "$root/internal/provider"
    unset SECUREACCESS_CLIENT_ID SECUREACCESS_CLIENT_SECRET SECUREACCESS_MOCK_STRICT SECUREACCESS_MOCK_QUIRKS
    export SECUREACCESS_BASE_URL="$server_url" SECUREACCESS_SCIM_URL="$server_url/scim/v2" SECUREACCESS_SCIM_TOKEN="$token"
    export SECUREACCESS_ACC_SERVER_QUIRKS="$(quirks_of "$s")" TF_ACC=1
    # shellcheck disable=SC2086 # TESTARGS holds several flags
    "$work/provider.test" -test.count=1 -test.timeout "${TEST_TIMEOUT:-15m}" -test.v ${TESTARGS:-}
  ) >"$log" 2>&1 || rc=$?
  elapsed=$((SECONDS - start))
  sweep="passed"
  (
    cd "$root/internal/provider"
    export SECUREACCESS_BASE_URL="$server_url" SECUREACCESS_SCIM_URL="$server_url/scim/v2" SECUREACCESS_SCIM_TOKEN="$token"
    unset SECUREACCESS_CLIENT_ID SECUREACCESS_CLIENT_SECRET
    "$work/provider.test" -sweep=all -test.v
  ) >"$work/$s-sweep.log" 2>&1 || { sweep="FAILED"; failed=1; cat "$work/$s-sweep.log" >&2; }
  stop_server
  if [ -n "${LOGDIR:-}" ]; then
    mkdir -p "$LOGDIR"
    cp "$log" "$work/$s-sweep.log" "$work/$s.log" "$LOGDIR/"
  fi
  pass=$(grep -c '^--- PASS' "$log" || true)
  fail=$(grep -c '^--- FAIL' "$log" || true)
  skip=$(grep -c '^--- SKIP' "$log" || true)
  summary="$summary
| $s | $pass | $fail | $skip | $sweep | ${elapsed} s |"
  if [ "$rc" -ne 0 ]; then
    failed=1
    echo "testacc-interop: $s: the suite failed (exit $rc); the failures:" >&2
    grep -E -A20 '^(--- FAIL|panic:|FAIL)' "$log" >&2 || tail -50 "$log" >&2
    echo "testacc-interop: $s's own log, last lines:" >&2
    tail -20 "$work/$s.log" >&2
  fi
done

echo
echo "$summary"
if [ -n "${OUT:-}" ]; then
  echo "$summary" >"$OUT"
fi
exit "$failed"
