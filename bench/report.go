package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// row is the result of one operation of one scenario: medians over the
// repetitions.
type row struct {
	scenario  string
	title     string
	op        string
	latency   time.Duration // the mock's latency
	resources int
	ours      time.Duration
	floor     time.Duration
	null      time.Duration // the framework floor; 0 when not run
	requests  int
	mockCPU   time.Duration  // CPU the mock used during ours' operation (median)
	routes    map[string]int // requests per mock route, ours, last repetition
	targets   []targetResult
}

// targetResult is a target and whether the row meets it.
type targetResult struct {
	desc string
	met  bool
}

// newRow summarises an operation's samples and judges its targets.
func newRow(sc scenario, op operation, samples map[side][]sample) row {
	ours := samples[sideOurs]
	r := row{
		scenario:  sc.id,
		title:     sc.title,
		op:        op.name,
		resources: sc.resources,
		ours:      median(elapsed(ours)),
		floor:     median(elapsed(samples[sideFloor])),
		null:      median(elapsed(samples[sideNull])),
		requests:  median(requestCounts(ours)),
		mockCPU:   median(mockCPUs(ours)),
		routes:    ours[len(ours)-1].routes,
	}
	for _, t := range op.targets {
		r.targets = append(r.targets, targetResult{desc: t.desc, met: t.met(r)})
	}
	return r
}

// ratio is ours over floor.
func (r row) ratio() float64 {
	return r.ours.Seconds() / r.floor.Seconds()
}

// cost is the provider's share of the wall time: ours minus floor.
func (r row) cost() time.Duration {
	return r.ours - r.floor
}

// perResource is the requests per resource.
func (r row) perResource() float64 {
	return float64(r.requests) / float64(r.resources)
}

// elapsed returns the samples' wall times.
func elapsed(samples []sample) []time.Duration {
	out := make([]time.Duration, len(samples))
	for i, s := range samples {
		out[i] = s.elapsed
	}
	return out
}

// requestCounts returns the samples' request counts.
func requestCounts(samples []sample) []int {
	out := make([]int, len(samples))
	for i, s := range samples {
		out[i] = s.requests
	}
	return out
}

// mockCPUs returns the mock CPU time of each sample.
func mockCPUs(samples []sample) []time.Duration {
	out := make([]time.Duration, len(samples))
	for i, s := range samples {
		out[i] = s.mockCPU
	}
	return out
}

// median returns the median of xs (the mean of the middle two for an even
// count); 0 for none.
func median[T ~int | ~int64](xs []T) T {
	s := slices.Sorted(slices.Values(xs))
	if len(s) == 0 {
		return 0 // a side that did not run
	}
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return s[mid]
	}
	return (s[mid-1] + s[mid]) / 2
}

// report is the outcome of a harness run.
type report struct {
	s          settings
	start      time.Time
	terraform  string
	loadBefore string
	loadAfter  string
	rows       []row
	failures   []string
}

// newReport starts a report, noting the time and the machine's load.
func newReport(s settings) *report {
	return &report{s: s, start: time.Now().UTC(), loadBefore: loadAverage()}
}

// write prints the results table to stdout and the whole report to path.
func (r *report) write(path string, stdout io.Writer) error {
	var table strings.Builder
	r.writeTable(&table)
	r.writeLatencyTable(&table)
	r.writeFailures(&table)
	if _, err := io.WriteString(stdout, table.String()); err != nil {
		return fmt.Errorf("write stdout: %w", err)
	}
	var full strings.Builder
	r.writeHeader(&full)
	full.WriteString(table.String())
	r.writeRoutes(&full)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil { //nolint:gosec // G301: the report is meant to be read.
		return fmt.Errorf("create report dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(full.String()), 0o644); err != nil { //nolint:gosec // G306: the report is meant to be read.
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// command is the shell command that reproduces the run.
func (r *report) command() string {
	floor := ""
	if r.s.frameworkFloor {
		floor = "FRAMEWORK_FLOOR=1 "
	}
	latency := ""
	if len(r.s.latencies) > 1 || len(r.s.latencies) == 1 && r.s.latencies[0] > 0 {
		ls := make([]string, len(r.s.latencies))
		for i, l := range r.s.latencies {
			ls[i] = l.String()
		}
		latency = "LATENCY=" + strings.Join(ls, ",") + " "
	}
	if r.s.unbatched {
		latency += "BATCH_REFRESH=false "
	}
	if r.s.sweeps > 1 {
		latency += fmt.Sprintf("SWEEPS=%d ", r.s.sweeps)
	}
	return fmt.Sprintf("%s%sSCALE=%s REPEAT=%d SCENARIOS=%s bench/run.sh", floor, latency, r.s.scale, r.s.repeat, strings.Join(r.s.scenarios, ","))
}

// writeHeader writes what was run, where and when.
func (r *report) writeHeader(w io.StringWriter) {
	lines := []string{
		"# Benchmark results",
		"",
		"- Command: `" + r.command() + "`",
		"- Started: " + r.start.Format(time.RFC3339),
		fmt.Sprintf("- Machine: %d CPUs, %s/%s; load average (1, 5, 15 min) %s before, %s after", runtime.NumCPU(), runtime.GOOS, runtime.GOARCH, r.loadBefore, r.loadAfter),
		"- " + r.terraform + ", " + runtime.Version(),
		fmt.Sprintf("- Each timing is the median of %d repetitions. ratio = ours / floor; cost = ours − floor; requests = HTTP requests the mock counted during the operation (median); mock CPU = CPU time the mock process used during ours' operation (median), on the same cores as Terraform.", r.s.repeat),
	}
	if r.s.frameworkFloor {
		lines = append(lines, "- framework floor = bench/nullprovider on ours' configuration: this provider's schemas served by terraform-plugin-framework, with no HTTP and no CRUD work.")
	}
	lines = append(lines, "")
	for _, l := range lines {
		_, _ = w.WriteString(l + "\n")
	}
}

// hasNull reports whether any row has a framework floor.
func (r *report) hasNull() bool {
	return slices.ContainsFunc(r.rows, func(row row) bool { return row.null > 0 })
}

// writeTable writes the results table.
func (r *report) writeTable(w io.StringWriter) {
	if r.hasNull() {
		r.writeNullTable(w)
		return
	}
	_, _ = w.WriteString("| # | scenario | operation | resources | ours (s) | floor (s) | ratio | cost (s) | mock CPU (s) | requests | req/resource | targets |\n" +
		"|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, row := range r.rows {
		_, _ = w.WriteString(fmt.Sprintf("| %s | %s | %s | %d | %.2f | %.2f | %.2f | %+.2f | %.2f | %d | %.2f | %s |\n",
			row.scenario, row.titleWithLatency(), row.op, row.resources, row.ours.Seconds(), row.floor.Seconds(),
			row.ratio(), row.cost().Seconds(), row.mockCPU.Seconds(), row.requests, row.perResource(), formatTargets(row.targets)))
	}
}

// writeNullTable writes the results table with the framework floor: the
// null provider's time, ours over it, and the null provider over the
// floor (what the plugin and the framework cost with these schemas).
func (r *report) writeNullTable(w io.StringWriter) {
	_, _ = w.WriteString("| # | scenario | operation | resources | ours (s) | framework floor (s) | floor (s) | ratio | ours / framework | framework / floor | cost (s) | mock CPU (s) | requests | req/resource | targets |\n" +
		"|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n")
	for _, row := range r.rows {
		null, oursOverNull, nullOverFloor := "–", "–", "–"
		if row.null > 0 {
			null = fmt.Sprintf("%.2f", row.null.Seconds())
			oursOverNull = fmt.Sprintf("%.2f", row.ours.Seconds()/row.null.Seconds())
			nullOverFloor = fmt.Sprintf("%.2f", row.null.Seconds()/row.floor.Seconds())
		}
		_, _ = w.WriteString(fmt.Sprintf("| %s | %s | %s | %d | %.2f | %s | %.2f | %.2f | %s | %s | %+.2f | %.2f | %d | %.2f | %s |\n",
			row.scenario, row.titleWithLatency(), row.op, row.resources, row.ours.Seconds(), null, row.floor.Seconds(),
			row.ratio(), oursOverNull, nullOverFloor, row.cost().Seconds(), row.mockCPU.Seconds(), row.requests, row.perResource(), formatTargets(row.targets)))
	}
}

// formatTargets renders target results as "desc ✓; desc ✗".
func formatTargets(ts []targetResult) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		mark := "✓"
		if !t.met {
			mark = "✗"
		}
		parts[i] = t.desc + " " + mark
	}
	return strings.Join(parts, "; ")
}

// writeFailures lists the scenarios that did not finish.
func (r *report) writeFailures(w io.StringWriter) {
	if len(r.failures) == 0 {
		return
	}
	_, _ = w.WriteString("\n**Failed:**\n\n")
	for _, f := range r.failures {
		_, _ = w.WriteString("- " + strings.ReplaceAll(f, "\n", "\n  ") + "\n")
	}
}

// writeRoutes writes, per operation, the requests by mock route.
func (r *report) writeRoutes(w io.StringWriter) {
	_, _ = w.WriteString("\n## Requests by route (ours, last repetition)\n\n| # | operation | route | requests |\n|---|---|---|--:|\n")
	for _, row := range r.rows {
		routes := slices.SortedFunc(maps.Keys(row.routes), func(a, b string) int {
			return cmp.Or(cmp.Compare(row.routes[b], row.routes[a]), cmp.Compare(a, b))
		})
		for _, route := range routes {
			_, _ = w.WriteString(fmt.Sprintf("| %s | %s | `%s` | %d |\n", row.scenarioWithLatency(), row.op, route, row.routes[route]))
		}
	}
}

// loadAverage returns the 1, 5 and 15 minute load averages, or "unknown".
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// titleWithLatency is the scenario's title, with the mock's latency when
// it has one.
func (r row) titleWithLatency() string {
	if r.latency > 0 {
		return fmt.Sprintf("%s, %v latency", r.title, r.latency)
	}
	return r.title
}

// scenarioWithLatency is the scenario's number, with the mock's latency
// when it has one.
func (r row) scenarioWithLatency() string {
	if r.latency > 0 {
		return fmt.Sprintf("%s @%v", r.scenario, r.latency)
	}
	return r.scenario
}

// maxLatencyRatio is issue 14's goal: a plan at 50 or 150 ms of latency
// takes at most this much longer than at none.
const maxLatencyRatio = 1.3

// writeLatencyTable writes, when the scenarios ran at several latencies,
// ours' time at each latency over its time at the first (the baseline),
// with issue 14's goal on the refresh plans.
func (r *report) writeLatencyTable(w io.StringWriter) {
	if len(r.s.latencies) < 2 {
		return
	}
	base := map[[2]string]row{}
	for _, row := range r.rows {
		if row.latency == r.s.latencies[0] {
			base[[2]string{row.scenario, row.op}] = row
		}
	}
	_, _ = w.WriteString(fmt.Sprintf("\n| # | operation | latency | ours (s) | ours at %v (s) | ratio | requests | target |\n|---|---|--:|--:|--:|--:|--:|---|\n", r.s.latencies[0]))
	for _, row := range r.rows {
		b, ok := base[[2]string{row.scenario, row.op}]
		if row.latency == r.s.latencies[0] || !ok || b.ours <= 0 {
			continue
		}
		ratio := row.ours.Seconds() / b.ours.Seconds()
		target := ""
		if strings.HasPrefix(row.op, "plan") {
			target = formatTargets([]targetResult{{desc: fmt.Sprintf("ratio ≤ %.1f", maxLatencyRatio), met: ratio <= maxLatencyRatio}})
		}
		_, _ = w.WriteString(fmt.Sprintf("| %s | %s | %v | %.2f | %.2f | %.2f | %d | %s |\n",
			row.scenario, row.op, row.latency, row.ours.Seconds(), b.ours.Seconds(), ratio, row.requests, target))
	}
}
