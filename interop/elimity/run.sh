#!/usr/bin/env bash
# Build (when missing or older than its sources) and start the SCIM server
# built on github.com/elimity-com/scim. See README.md.
#
#   INTEROP_SCIM_TOKEN=secret ./interop/elimity/run.sh     # build if needed, then exec the server
#   ./interop/elimity/run.sh install                        # build only
#
# The binary goes to ${INTEROP_CACHE:-<repo>/.cache/interop}/elimity/elimity-scim.
# Build output goes to stderr; the server's first stdout line is
# "listening on http://127.0.0.1:PORT".
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${INTEROP_CACHE:-$root/.cache/interop}/elimity"
bin="$cache/elimity-scim"
go="${GO:-go}"

stale=0
if [ ! -x "$bin" ]; then
  stale=1
else
  for src in "$here"/*.go "$here/go.mod" "$here/go.sum"; do
    if [ "$src" -nt "$bin" ]; then
      stale=1
      break
    fi
  done
fi

if [ "$stale" = 1 ]; then
  mkdir -p "$cache"
  echo "elimity: building $bin" >&2
  (cd "$here" && "$go" build -trimpath -o "$bin.tmp" .) >&2
  mv -f "$bin.tmp" "$bin"
fi

case "${1:-}" in
  install) exit 0 ;;
  "") exec "$bin" ;;
  *) echo "usage: $0 [install]" >&2; exit 2 ;;
esac
