# go-module.sh: sourced by build-tofu.sh and build-terraform.sh. It defines
# fit_go_module, which makes the Go module in the current directory build
# with this Go: it picks the toolchain the module's go line needs and drops
# the godebug settings this Go does not know. It uses the caller's log.

# fit_go_module NAME: NAME names the module in messages ("OpenTofu").
fit_go_module() {
  local name="$1" need have err key
  # The module's go line is the Go it needs. With GOTOOLCHAIN=local a newer
  # go line fails the build: fetch that toolchain from the module proxy.
  need="$(go mod edit -json | sed -n 's/^[[:space:]]*"Go": "\(.*\)",\{0,1\}$/\1/p')"
  have="$(go env GOVERSION)"
  have="${have#go}"
  if [ -n "$need" ] && [ "$(printf '%s\n%s\n' "$need" "$have" | sort -V | tail -n 1)" != "$have" ]; then
    log "go.mod needs go $need, this is go $have: using GOTOOLCHAIN=go$need from the module proxy"
    export GOTOOLCHAIN="go$need"
  fi
  # A godebug setting this Go does not know makes every go command fail
  # ("unknown godebug"): drop such lines, keep the rest.
  while ! err="$(go list -m 2>&1 >/dev/null)"; do
    key="$(printf '%s\n' "$err" | sed -n 's/.*unknown godebug "\([^"]*\)".*/\1/p' | head -n 1)"
    if [ -z "$key" ]; then
      log "go list -m failed in the $name module:"
      printf '%s\n' "$err" >&2
      exit 1
    fi
    log "dropping 'godebug $key' from go.mod: unknown to $(go env GOVERSION)"
    go mod edit -dropgodebug="$key"
  done
}
