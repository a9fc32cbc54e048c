# Sourced by the scripts that run cmd/secureaccess-mock as a separate
# program (demo.sh, testacc-live.sh). Needs $root (the repository) and
# $work (a scratch directory); sets mock_pid, mock_url and, when -bootstrap
# is among the flags, mock_scim_token.

mock_pid="" mock_url="" mock_scim_token=""

# mock_stop stops the mock if it runs; the scripts call it from their EXIT
# trap.
mock_stop() {
  if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
    kill -TERM "$mock_pid" 2>/dev/null || true
    wait "$mock_pid" 2>/dev/null || true
  fi
}

# mock_start NAME [FLAG...] builds the mock, starts it on a free loopback
# port with FLAGs, and waits for its address (and its SCIM token with
# -bootstrap). NAME starts the error message, which carries the mock's log.
# Its stdout is drained afterwards, so it never blocks on a full pipe.
mock_start() {
  local name="$1" want_token="" line
  shift
  case " $* " in *" -bootstrap "*) want_token=1 ;; esac
  (cd "$root" && "${GO:-go}" build -o "$work/secureaccess-mock" ./cmd/secureaccess-mock)
  mkfifo "$work/mock.out"
  "$work/secureaccess-mock" -listen 127.0.0.1:0 "$@" >"$work/mock.out" 2>"$work/mock.log" &
  mock_pid=$!
  exec 3<"$work/mock.out"
  while IFS= read -r -t 30 line <&3; do
    case "$line" in
      "listening on "*) mock_url="${line#listening on }"; [ -n "$want_token" ] || break ;;
      "SCIM token: "*) mock_scim_token="${line#SCIM token: }"; break ;;
    esac
  done
  if [ -z "$mock_url" ] || { [ -n "$want_token" ] && [ -z "$mock_scim_token" ]; }; then
    echo "$name: the mock did not start; its log:" >&2
    cat "$work/mock.log" >&2
    return 1
  fi
  cat <&3 >/dev/null &
}
