#!/usr/bin/env bash
# make vuln: govulncheck, offline. vuln.go.dev is out of reach here, so build
# the vulnerability database from the golang.org/x/vulndb module (served by
# the Go module proxy) and point govulncheck at it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
VULNDB_VERSION="${VULNDB_VERSION:-v0.0.0-20261105234957-e22db6528018}"
GOVULNCHECK_VERSION="${GOVULNCHECK_VERSION:-v1.9.0}"
db="${VULN_DB_DIR:-$root/.cache/vulndb-$VULNDB_VERSION}"

if [ ! -f "$db/index/db.json" ]; then
  src="$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [ -d "$src/data/osv" ] || { echo "vuln: golang.org/x/vulndb@$VULNDB_VERSION has no data/osv" >&2; exit 1; }
  rm -rf "$db.tmp"
  (cd "$root/tools" && go run "golang.org/x/vulndb/cmd/indexdb@$VULNDB_VERSION" -vulns "$src/data/osv" -out "$db.tmp")
  mv "$db.tmp" "$db"
fi
cd "$root"
# Check the standard library of the toolchain releases are built with (the
# go.mod toolchain line; fetched from the Go module proxy), not of whatever Go
# happens to run this script.
toolchain="$(sed -n 's/^toolchain //p' go.mod)"
GOTOOLCHAIN="${toolchain:-local}" go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$db" ./...
