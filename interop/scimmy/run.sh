#!/usr/bin/env bash
# Install (when needed) and start the SCIMMY interop server.
#
#   interop/scimmy/run.sh            install if the lock file changed, then exec the server
#   interop/scimmy/run.sh install    install if the lock file changed, then exit
#
# The packages go to ${INTEROP_CACHE:-<repo>/.cache/interop}/scimmy, never
# into the work tree. npm ci runs only when package-lock.json differs (by
# sha256) from the one of the last successful install; server.js and
# package.json are copied on every run. The server reads INTEROP_SCIM_TOKEN
# (required), INTEROP_LISTEN and INTEROP_IDS (see server.js, README.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${INTEROP_CACHE:-$root/.cache/interop}/scimmy"

mode="${1:-run}"
case "$mode" in
  run|install) ;;
  *) echo "usage: $0 [install]" >&2; exit 2 ;;
esac

command -v node >/dev/null || { echo "run.sh: node is not on PATH" >&2; exit 1; }
command -v npm >/dev/null || { echo "run.sh: npm is not on PATH" >&2; exit 1; }

mkdir -p "$cache"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
have="$(cat "$cache/.lock.sha256" 2>/dev/null || true)"

cp "$here/package.json" "$here/server.js" "$cache/"
if [[ "$want" != "$have" || ! -d "$cache/node_modules" ]]; then
  cp "$here/package-lock.json" "$cache/"
  rm -f "$cache/.lock.sha256"
  # npm's own output goes to stderr: stdout's first line is the server's.
  (cd "$cache" && npm ci --no-audit --no-fund >&2)
  echo "$want" > "$cache/.lock.sha256"
fi

if [[ "$mode" == install ]]; then
  exit 0
fi
exec node "$cache/server.js"
