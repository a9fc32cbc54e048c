package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
)

// varsFile is the variables file written before each operation.
const varsFile = "bench.auto.tfvars.json"

// harness runs scenarios and collects their rows.
type harness struct {
	s        settings
	tf       terraform
	progress io.Writer
}

// sample is one timed run of one operation on one side.
type sample struct {
	elapsed  time.Duration
	requests int
	mockCPU  time.Duration // CPU the mock used during the operation
	routes   map[string]int
}

// newHarness prepares the scratch directory and the offline Terraform
// environment.
func newHarness(ctx context.Context, s settings, progress io.Writer) (*harness, error) {
	if err := os.MkdirAll(s.workDir, 0o700); err != nil {
		return nil, fmt.Errorf("create work dir: %w", err)
	}
	cliConfig := filepath.Join(s.workDir, "terraformrc")
	if err := os.WriteFile(cliConfig, nil, 0o600); err != nil {
		return nil, fmt.Errorf("write terraform CLI config: %w", err)
	}
	h := &harness{
		s:        s,
		tf:       terraform{bin: s.terraformBin, pluginDir: s.pluginDir, env: offlineEnv(os.Environ(), cliConfig)},
		progress: progress,
	}
	if _, err := h.tf.version(ctx); err != nil {
		return nil, err
	}
	return h, nil
}

// runAll runs every selected scenario; a failed scenario is recorded and
// the next one still runs.
func (h *harness) runAll(ctx context.Context) *report {
	rep := newReport(h.s)
	rep.terraform, _ = h.tf.version(ctx)
	for _, id := range h.s.scenarios {
		if ctx.Err() != nil {
			rep.failures = append(rep.failures, fmt.Sprintf("scenario %s: not run: %v", id, context.Cause(ctx)))
			continue
		}
		rows, err := h.runScenario(ctx, id)
		rep.rows = append(rep.rows, rows...)
		if err != nil {
			rep.failures = append(rep.failures, fmt.Sprintf("scenario %s: %v", id, err))
			h.logf("scenario %s FAILED: %v", id, err)
		}
	}
	rep.loadAfter = loadAverage()
	return rep
}

// opAt is one operation at one mock latency.
type opAt struct {
	op      int
	latency time.Duration
}

// latenciesOf returns the latencies operation op runs at: every one for a
// read-only operation, interleaved within each repetition so that the
// machine's load weighs on each alike; the first for the others.
func (h *harness) latenciesOf(op operation) []time.Duration {
	if op.readOnly {
		return h.s.latencies
	}
	return h.s.latencies[:1]
}

// sweep is the latencies op runs at within one repetition, in order: a
// read-only operation runs at every latency, s.sweeps times, interleaved.
func (h *harness) sweep(op operation) []time.Duration {
	if !op.readOnly {
		return h.latenciesOf(op)
	}
	var out []time.Duration
	for range h.s.sweeps {
		out = append(out, h.s.latencies...)
	}
	return out
}

// runScenario starts a fresh mock, seeds it, and times every operation of
// scenario id on both sides, repeat times; read-only operations run once
// at each latency in turn.
func (h *harness) runScenario(ctx context.Context, id string) ([]row, error) {
	sc, err := buildScenario(id, h.s.scale.of(id))
	if err != nil {
		return nil, err
	}
	h.logf("scenario %s: %s", sc.id, sc.title)
	dir := filepath.Join(h.s.workDir, "scenario-"+sc.id)
	if err := os.MkdirAll(dir, 0o700); err != nil { //nolint:gosec // G703: the scratch dir comes from run.sh's -work flag.
		return nil, fmt.Errorf("create scenario dir: %w", err)
	}
	mock, err := startMock(ctx, h.s.mockBin, filepath.Join(dir, "mock.log"))
	if err != nil {
		return nil, err
	}
	defer mock.stop()
	varSets, err := h.seed(ctx, sc, mock)
	if err != nil {
		return nil, err
	}
	tf := h.tf.with("SECUREACCESS_BASE_URL="+mock.url, "SECUREACCESS_SCIM_TOKEN="+mock.scimToken)
	sds := sidesOf(sc, h.s.frameworkFloor)
	dirs, err := prepareDirs(ctx, tf, dir, sc, sds, h.s.unbatched)
	if err != nil {
		return nil, err
	}
	samples := map[opAt]map[side][]sample{}
	for rep := 1; rep <= h.s.repeat; rep++ {
		for _, sd := range sds {
			for i, op := range sc.ops {
				for _, latency := range h.sweep(op) {
					if err := mock.setLatency(ctx, latency); err != nil {
						return nil, err
					}
					smp, err := h.runOp(ctx, tf, mock, dirs[sd], sd, op, varSets[op.vars], fmt.Sprintf("%d-%dms-%d", rep, latency.Milliseconds(), len(samples[opAt{i, latency}][sd])))
					if err != nil {
						return nil, fmt.Errorf("%s %q at %v latency, repetition %d: %w", sd, op.name, latency, rep, err)
					}
					at := opAt{i, latency}
					if samples[at] == nil {
						samples[at] = map[side][]sample{}
					}
					samples[at][sd] = append(samples[at][sd], smp)
					h.logf("  %d/%d %-5s %-20s %6v %7.2f s %6d requests", rep, h.s.repeat, sd, op.name, latency, smp.elapsed.Seconds(), smp.requests)
				}
			}
		}
	}
	var rows []row
	for i, op := range sc.ops {
		for _, latency := range h.latenciesOf(op) {
			r := newRow(sc, op, samples[opAt{i, latency}])
			r.latency = latency
			rows = append(rows, r)
		}
	}
	return rows, nil
}

// seed loads the scenario's users and group into the mock and returns the
// scenario's variable sets.
func (h *harness) seed(ctx context.Context, sc scenario, mock *mockProcess) (map[string]map[string]any, error) {
	if sc.seed != (seedPlan{}) {
		client, err := scim.NewClient(scim.Config{URL: mock.scimURL(), Token: mock.scimToken})
		if err != nil {
			return nil, fmt.Errorf("seed client: %w", err)
		}
		start := time.Now()
		s, err := seed(ctx, client, sc.seed)
		if err != nil {
			return nil, err
		}
		h.logf("  seeded %d users in %.1f s", sc.seed.users, time.Since(start).Seconds())
		if sc.vars != nil {
			return sc.vars(s), nil
		}
	}
	return nil, nil
}

// prepareDirs writes each side's configuration into its own directory
// under dir and initializes it.
func prepareDirs(ctx context.Context, tf terraform, dir string, sc scenario, sds []side, unbatched bool) (map[side]string, error) {
	dirs := map[side]string{}
	for _, sd := range sds {
		d := filepath.Join(dir, string(sd))
		if err := os.MkdirAll(d, 0o700); err != nil { //nolint:gosec // G703: under the -work scratch dir.
			return nil, fmt.Errorf("create %s dir: %w", sd, err)
		}
		if err := renderConfig(filepath.Join(d, "main.tf"), sc, sd); err != nil {
			return nil, err
		}
		if unbatched && sd == sideOurs {
			override := "provider \"secureaccess\" {\n  batch_refresh = false\n}\n"
			if err := os.WriteFile(filepath.Join(d, "batch_override.tf"), []byte(override), 0o600); err != nil { //nolint:gosec // G703: under the -work scratch dir.
				return nil, fmt.Errorf("write override: %w", err)
			}
		}
		if err := tf.init(ctx, d); err != nil {
			return nil, err
		}
		dirs[sd] = d
	}
	return dirs, nil
}

// renderConfig writes the scenario's configuration of side sd to path.
// The null side gets ours' configuration with the provider's source
// pointing at the null provider (same local name, same resource types).
func renderConfig(path string, sc scenario, sd side) error {
	tmpl := sd
	if sd == sideNull {
		tmpl = sideOurs
	}
	name := sc.template + "_" + string(tmpl) + ".tf.tmpl"
	var b strings.Builder
	if err := templates.ExecuteTemplate(&b, name, sc.params); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	config := b.String()
	if sd == sideNull {
		const realSource = `source = "secureaccess-iac/secureaccess"`
		if strings.Count(config, realSource) != 1 {
			return fmt.Errorf("render %s for the null provider: want one %s", name, realSource)
		}
		config = strings.Replace(config, realSource, `source = "`+nullProviderSource+`"`, 1)
	}
	if err := os.WriteFile(path, []byte(config), 0o600); err != nil { //nolint:gosec // G703: under the -work scratch dir.
		return fmt.Errorf("write configuration: %w", err)
	}
	return nil
}

// runOp runs one operation on one side, counting the mock's requests
// around it, and checks the outcome.
func (h *harness) runOp(ctx context.Context, tf terraform, mock *mockProcess, dir string, sd side, op operation, vars map[string]any, run string) (sample, error) {
	if vars != nil {
		if err := writeVars(filepath.Join(dir, varsFile), vars); err != nil {
			return sample{}, err
		}
	}
	before, err := mock.stats(ctx)
	if err != nil {
		return sample{}, err
	}
	cpuBefore := mock.cpu()
	out, err := tf.run(ctx, dir, run+"-"+slug(op.name), op.args...)
	if err != nil {
		return sample{}, err
	}
	cpuAfter := mock.cpu()
	after, err := mock.stats(ctx)
	if err != nil {
		return sample{}, err
	}
	if op.check != nil {
		if err := op.check(sd, out); err != nil {
			return sample{}, fmt.Errorf("check of %s: %w", dir, err)
		}
	}
	d := after.since(before)
	return sample{elapsed: out.elapsed, requests: d.Total, routes: d.Requests, mockCPU: cpuAfter - cpuBefore}, nil
}

// writeVars writes a variables file.
func writeVars(path string, vars map[string]any) error {
	b, err := json.Marshal(vars)
	if err != nil {
		return fmt.Errorf("encode variables: %w", err)
	}
	if err := os.WriteFile(path, b, 0o600); err != nil { //nolint:gosec // G703: under the -work scratch dir.
		return fmt.Errorf("write variables: %w", err)
	}
	return nil
}

// slug turns an operation name into a file name part: its lower-case
// letters and digits, words joined by "-".
func slug(name string) string {
	words := strings.FieldsFunc(strings.ToLower(name), func(r rune) bool {
		return (r < 'a' || r > 'z') && (r < '0' || r > '9')
	})
	return strings.Join(words, "-")
}

// logf prints a progress line.
func (h *harness) logf(format string, args ...any) {
	fmt.Fprintf(h.progress, format+"\n", args...)
}
