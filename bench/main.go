// Command bench is the benchmark harness of issue 6: for each scenario it
// times Terraform with this provider against cmd/secureaccess-mock on
// loopback and with the same number of terraform_data resources (Terraform's
// floor, no provider work), repeats every timing, and reports medians,
// ratios and the HTTP requests the mock saw. bench/run.sh builds the
// binaries and runs it; see BENCHMARKS.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"os/signal"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// settings is the parsed command line.
type settings struct {
	scale        scales
	repeat       int
	scenarios    []string
	terraformBin string
	mockBin      string
	pluginDir    string
	workDir      string
	outPath      string
	// frameworkFloor adds the third side, sideNull: the null provider,
	// which run.sh builds into the same mirror when FRAMEWORK_FLOOR=1.
	frameworkFloor bool
	// latencies are the mock latencies every scenario runs at, in order:
	// the mock delays each request by that much (its latency fault).
	latencies []time.Duration
	// unbatched sets batch_refresh = false in ours' provider block (with an
	// override file), for the before side of a batching comparison.
	unbatched bool
	// sweeps is how many times a read-only operation runs at each latency
	// within one repetition, the latencies interleaved.
	sweeps int
}

// run parses args, runs the selected scenarios and writes the report to
// stdout and to the -out file. Progress goes to stderr.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	s, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	h, err := newHarness(ctx, s, stderr)
	if err != nil {
		return err
	}
	rep := h.runAll(ctx)
	if err := rep.write(s.outPath, stdout); err != nil {
		return err
	}
	if len(rep.failures) > 0 {
		return fmt.Errorf("%d scenario(s) failed; see %s", len(rep.failures), s.outPath)
	}
	return nil
}

// parseFlags parses and validates the command line.
func parseFlags(args []string, stderr io.Writer) (settings, error) {
	var s settings
	var scenarios, scale, latency string
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&scale, "scale", "1", "size `factor` of every scenario (e.g. 0.1 for a smoke run), optionally followed by per-scenario factors: \"0.2,3=1,4=1\"")
	fs.IntVar(&s.repeat, "repeat", 3, "how often each timing is repeated; the median is reported")
	fs.StringVar(&scenarios, "scenarios", "", "comma-separated scenario numbers to run (default: all)")
	fs.StringVar(&s.terraformBin, "terraform", cliFromEnv(), "terraform or tofu `binary` (default: $TF_ACC_TERRAFORM_PATH, else terraform on PATH)")
	fs.StringVar(&s.mockBin, "mock", "", "secureaccess-mock `binary` (required)")
	fs.StringVar(&s.pluginDir, "plugin-dir", "", "filesystem mirror holding the provider `dir` (required)")
	fs.StringVar(&s.workDir, "work", "", "scratch `dir` for configurations, state and logs (required)")
	fs.StringVar(&s.outPath, "out", "bench/results/latest.md", "report `file`")
	fs.StringVar(&latency, "latency", "0", "comma-separated mock `latencies` to run every scenario at, e.g. \"0,50ms,150ms\"; the first is the baseline of the latency table")
	fs.IntVar(&s.sweeps, "sweeps", 1, "how many times each read-only operation runs at each -latency within one repetition, interleaved")
	batch := fs.Bool("batch-refresh", true, "the provider's batch_refresh; false reads every resource with its own request")
	fs.BoolVar(&s.frameworkFloor, "framework-floor", false, "also time the null provider (bench/nullprovider) on the same configuration as ours, in the scenarios with resources")
	err := fs.Parse(args)
	if err != nil {
		return settings{}, err
	}
	if fs.NArg() > 0 {
		return settings{}, fmt.Errorf("unexpected arguments: %s", strings.Join(fs.Args(), " "))
	}
	if s.mockBin == "" || s.pluginDir == "" || s.workDir == "" {
		return settings{}, errors.New("-mock, -plugin-dir and -work are required")
	}
	if s.scale, err = parseScales(scale); err != nil {
		return settings{}, err
	}
	if s.repeat < 1 {
		return settings{}, fmt.Errorf("invalid -repeat %d: must be at least 1", s.repeat)
	}
	if s.scenarios, err = parseScenarios(scenarios); err != nil {
		return settings{}, err
	}
	if s.latencies, err = parseLatencies(latency); err != nil {
		return settings{}, err
	}
	s.unbatched = !*batch
	if s.sweeps < 1 {
		return settings{}, fmt.Errorf("invalid -sweeps %d: must be at least 1", s.sweeps)
	}
	return s, nil
}

// parseLatencies reads "0,50ms,150ms": distinct durations, none negative.
func parseLatencies(list string) ([]time.Duration, error) {
	var out []time.Duration
	for _, part := range strings.Split(list, ",") {
		d, err := time.ParseDuration(strings.TrimSpace(part))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("invalid -latency %q: want durations such as 0,50ms,150ms", list)
		}
		if slices.Contains(out, d) {
			return nil, fmt.Errorf("invalid -latency %q: %v is listed twice", list, d)
		}
		out = append(out, d)
	}
	return out, nil
}

// scales is the size factor of each scenario: def unless per overrides it.
type scales struct {
	def float64
	per map[string]float64
}

// of returns the factor of scenario id.
func (s scales) of(id string) float64 {
	if f, ok := s.per[id]; ok {
		return f
	}
	return s.def
}

// String renders the factors as parseScales reads them.
func (s scales) String() string {
	parts := []string{strconv.FormatFloat(s.def, 'g', -1, 64)}
	for _, id := range slices.Sorted(maps.Keys(s.per)) {
		parts = append(parts, id+"="+strconv.FormatFloat(s.per[id], 'g', -1, 64))
	}
	return strings.Join(parts, ",")
}

// parseScales reads "F" or "F,ID=F,...": a default factor, then
// per-scenario factors. Every factor must be positive.
func parseScales(list string) (scales, error) {
	s := scales{def: 1, per: map[string]float64{}}
	for i, field := range strings.Split(list, ",") {
		id, factor, per := strings.Cut(strings.TrimSpace(field), "=")
		if !per {
			factor, id = id, ""
		}
		f, err := strconv.ParseFloat(factor, 64)
		if err != nil || f <= 0 || math.IsInf(f, 0) {
			return scales{}, fmt.Errorf("invalid scale %q: want a positive number, optionally followed by ID=factor pairs", field)
		}
		switch {
		case !per && i == 0:
			s.def = f
		case !per:
			return scales{}, fmt.Errorf("invalid scale %q: only the first factor may omit the scenario", field)
		case !slices.Contains(allScenarioIDs(), id):
			return scales{}, fmt.Errorf("invalid scale %q: unknown scenario %q", field, id)
		default:
			s.per[id] = f
		}
	}
	return s, nil
}

// parseScenarios splits a list such as "1,3" into scenario ids, checking
// each; an empty list selects every scenario.
func parseScenarios(list string) ([]string, error) {
	if strings.TrimSpace(list) == "" {
		return allScenarioIDs(), nil
	}
	var ids []string
	for field := range strings.SplitSeq(list, ",") {
		id := strings.TrimSpace(field)
		if n, err := strconv.Atoi(id); err != nil || n < 1 || n > len(allScenarioIDs()) {
			return nil, fmt.Errorf("invalid scenario %q: want one of %s", id, strings.Join(allScenarioIDs(), ", "))
		}
		ids = append(ids, id)
	}
	return ids, nil
}
