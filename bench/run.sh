#!/usr/bin/env bash
# Benchmark harness (make bench, issue 6): build the provider into a local
# filesystem mirror, the mock and the driver (bench/*.go), then run the
# driver, which times each scenario against cmd/secureaccess-mock and
# against Terraform's floor (terraform_data) and prints the results table.
# The report is also written to bench/results/latest.md.
#
# Environment:
#   SCALE      multiply every scenario size (default 1; 0.1 for a quick run);
#              per-scenario factors may follow: SCALE=0.2,3=1,4=1
#   REPEAT     repetitions of each timing, median reported (default 3)
#   SCENARIOS  comma-separated scenario numbers (default: all, 1,2,3,4)
#   TF_ACC_TERRAFORM_PATH  the CLI, Terraform or OpenTofu (default:
#              terraform on PATH); the variable every test harness here reads
#   LATENCY    comma-separated mock latencies (default 0), e.g.
#              LATENCY=0,50ms,150ms: the read-only operations (plans, no-op
#              applies, data source reads) run at each in turn within every
#              repetition, the others at the first; the report adds a table
#              of each latency's times over the first's
#   SWEEPS     how many times each read-only operation runs at each
#              latency within one repetition (default 1), interleaved; the
#              median is reported
#   BATCH_REFRESH  set to false to run ours with batch_refresh = false (an
#              override file), the before side of a batching comparison
#   OUT        report file (default bench/results/latest.md)
#   KEEP_WORK  set to 1 to keep the scratch directory (configs, logs, state)
#   FRAMEWORK_FLOOR  set to 1 to also time bench/nullprovider (this
#              provider's schemas, no HTTP, no CRUD work) on ours'
#              configuration: the cost of any framework provider with them
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/secureaccess-bench.XXXXXX")"

cleanup() {
  if [ "${KEEP_WORK:-0}" = 1 ]; then
    echo "bench: scratch directory kept: $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

terraform_bin="${TF_ACC_TERRAFORM_PATH:-terraform}"
for tool in go "$terraform_bin"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench: '$tool' is required on PATH" >&2; exit 1; }
done

echo "bench: building the provider, the mock and the driver" >&2
mirror="$work/mirror"
"$root/scripts/build-mirror.sh" "$mirror"
(
  cd "$root"
  go build -o "$work/secureaccess-mock" ./cmd/secureaccess-mock
  go build -o "$work/bench" ./bench
)
extra=()
if [ "${FRAMEWORK_FLOOR:-0}" = 1 ]; then
  # Both registry trees, like scripts/build-mirror.sh: OpenTofu reads the
  # short source as registry.opentofu.org/...
  null_name="terraform-provider-secureaccessnull_v0.0.1"
  null_path="secureaccess-iac/secureaccessnull/0.0.1/$(go env GOOS)_$(go env GOARCH)"
  mkdir -p "$mirror/registry.terraform.io/$null_path" "$mirror/registry.opentofu.org/$null_path"
  (cd "$root" && go build -o "$mirror/registry.terraform.io/$null_path/$null_name" ./bench/nullprovider)
  ln "$mirror/registry.terraform.io/$null_path/$null_name" "$mirror/registry.opentofu.org/$null_path/$null_name" 2>/dev/null ||
    cp "$mirror/registry.terraform.io/$null_path/$null_name" "$mirror/registry.opentofu.org/$null_path/$null_name"
  extra=(-framework-floor)
fi

"$work/bench" \
  -scale "${SCALE:-1}" \
  -repeat "${REPEAT:-3}" \
  -scenarios "${SCENARIOS:-}" \
  -latency "${LATENCY:-0}" \
  -batch-refresh="${BATCH_REFRESH:-true}" \
  -sweeps "${SWEEPS:-1}" \
  -terraform "$(command -v "$terraform_bin")" \
  -mock "$work/secureaccess-mock" \
  -plugin-dir "$mirror" \
  -work "$work/run" \
  -out "${OUT:-$root/bench/results/latest.md}" \
  ${extra[@]+"${extra[@]}"}
