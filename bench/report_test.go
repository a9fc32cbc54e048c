package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestMedian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		xs   []int
		want int
	}{
		{name: "one", xs: []int{7}, want: 7},
		{name: "odd unsorted", xs: []int{9, 1, 5}, want: 5},
		{name: "even", xs: []int{4, 1, 3, 2}, want: 2},
		{name: "outlier", xs: []int{10, 11, 500}, want: 11},
		{name: "a side that did not run", xs: nil, want: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := append([]int(nil), tt.xs...)
			if got := median(tt.xs); got != tt.want {
				t.Errorf("median(%v) = %d, want %d", tt.xs, got, tt.want)
			}
			if diff := cmp.Diff(in, tt.xs); diff != "" {
				t.Errorf("median changed its input (-want +got):\n%s", diff)
			}
		})
	}
	if got := median([]time.Duration{3 * time.Second, time.Second, 2 * time.Second}); got != 2*time.Second {
		t.Errorf("median of durations = %v, want 2s", got)
	}
}

func TestNewRow(t *testing.T) {
	t.Parallel()
	sc := scenario{id: "1", title: "t", resources: 10}
	op := operation{name: "apply", targets: []target{ratioTarget(), requestsPerResourceTarget()}}
	samples := map[side][]sample{
		sideOurs: {
			{elapsed: 12 * time.Second, requests: 10, routes: map[string]int{"GET /x": 9}},
			{elapsed: 30 * time.Second, requests: 12, routes: map[string]int{"GET /x": 12}},
			{elapsed: 11 * time.Second, requests: 10, routes: map[string]int{"GET /x": 10}},
		},
		sideFloor: {{elapsed: 10 * time.Second}, {elapsed: 9 * time.Second}, {elapsed: 10 * time.Second}},
	}
	got := newRow(sc, op, samples)
	want := row{
		scenario: "1", title: "t", op: "apply", resources: 10,
		ours: 12 * time.Second, floor: 10 * time.Second, requests: 10,
		routes:  map[string]int{"GET /x": 10},
		targets: []targetResult{{desc: "ratio ≤ 1.15", met: false}, {desc: "1 request/resource", met: true}},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(row{}, targetResult{})); diff != "" {
		t.Errorf("newRow mismatch (-want +got):\n%s", diff)
	}
}

func TestReportWrite(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "results", "latest.md")
	r := &report{
		s:          settings{scale: scales{def: 0.5, per: map[string]float64{"3": 1}}, repeat: 3, scenarios: []string{"1", "3"}},
		terraform:  "Terraform v1.11.4",
		loadBefore: "1.00 2.00 3.00",
		loadAfter:  "4.00 5.00 6.00",
		rows: []row{{
			scenario: "3", title: "group_members", op: "change", resources: 1,
			ours: 3 * time.Second, floor: 2 * time.Second, requests: 6, mockCPU: 250 * time.Millisecond,
			routes:  map[string]int{patchGroupRoute: 5, "GET /identity/v2/scim/Groups/{id}": 1},
			targets: []targetResult{{desc: "≤ 5 PATCHes", met: true}, {desc: "x", met: false}},
		}},
		failures: []string{"scenario 1: boom\nsecond line"},
	}
	var stdout strings.Builder
	if err := r.write(path, &stdout); err != nil {
		t.Fatalf("write: %v", err)
	}
	wantTable := "| # | scenario | operation | resources | ours (s) | floor (s) | ratio | cost (s) | mock CPU (s) | requests | req/resource | targets |\n" +
		"|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|\n" +
		"| 3 | group_members | change | 1 | 3.00 | 2.00 | 1.50 | +1.00 | 0.25 | 6 | 6.00 | ≤ 5 PATCHes ✓; x ✗ |\n" +
		"\n**Failed:**\n\n- scenario 1: boom\n  second line\n"
	if diff := cmp.Diff(wantTable, stdout.String()); diff != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", diff)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	file := string(b)
	for _, want := range []string{
		"- Command: `SCALE=0.5,3=1 REPEAT=3 SCENARIOS=1,3 bench/run.sh`\n",
		"load average (1, 5, 15 min) 1.00 2.00 3.00 before, 4.00 5.00 6.00 after\n",
		"- Terraform v1.11.4, go",
		wantTable,
		"| 3 | change | `PATCH /identity/v2/scim/Groups/{id}` | 5 |\n| 3 | change | `GET /identity/v2/scim/Groups/{id}` | 1 |\n",
	} {
		if !strings.Contains(file, want) {
			t.Errorf("report lacks %q; it is:\n%s", want, file)
		}
	}
}

func TestReportWrite_frameworkFloor(t *testing.T) {
	t.Parallel()
	r := &report{
		s: settings{scale: scales{def: 1}, repeat: 1, scenarios: []string{"1", "4"}, frameworkFloor: true},
		rows: []row{
			{scenario: "1", title: "users", op: "plan", resources: 10, ours: 3 * time.Second, null: 2 * time.Second, floor: time.Second, requests: 10},
			{scenario: "4", title: "data source", op: "read", resources: 1, ours: 2 * time.Second, floor: time.Second, requests: 1},
		},
	}
	var stdout strings.Builder
	if err := r.write(filepath.Join(t.TempDir(), "r.md"), &stdout); err != nil {
		t.Fatalf("write: %v", err)
	}
	want := "| # | scenario | operation | resources | ours (s) | framework floor (s) | floor (s) | ratio | ours / framework | framework / floor | cost (s) | mock CPU (s) | requests | req/resource | targets |\n" +
		"|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|\n" +
		"| 1 | users | plan | 10 | 3.00 | 2.00 | 1.00 | 3.00 | 1.50 | 2.00 | +2.00 | 0.00 | 10 | 1.00 |  |\n" +
		"| 4 | data source | read | 1 | 2.00 | – | 1.00 | 2.00 | – | – | +1.00 | 0.00 | 1 | 1.00 |  |\n"
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("stdout mismatch (-want +got):\n%s", diff)
	}
	if got := r.command(); got != "FRAMEWORK_FLOOR=1 SCALE=1 REPEAT=1 SCENARIOS=1,4 bench/run.sh" {
		t.Errorf("command() = %q", got)
	}
}

// The latency table divides each latency's time by the first latency's,
// judges the plans against issue 14's 1.3, and the command names LATENCY.
func TestReportLatencyTable(t *testing.T) {
	t.Parallel()
	r := &report{
		s: settings{scale: scales{def: 1, per: map[string]float64{}}, repeat: 1, scenarios: []string{"1"},
			latencies: []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond}},
		rows: []row{
			{scenario: "1", title: "t", op: "apply", ours: 10 * time.Second, requests: 2050},
			{scenario: "1", title: "t", op: "plan (refresh)", ours: 4 * time.Second, requests: 33},
			{scenario: "1", title: "t", op: "apply", latency: 50 * time.Millisecond, ours: 20 * time.Second, requests: 2050},
			{scenario: "1", title: "t", op: "plan (refresh)", latency: 50 * time.Millisecond, ours: 5 * time.Second, requests: 33},
			{scenario: "1", title: "t", op: "plan (refresh)", latency: 150 * time.Millisecond, ours: 6 * time.Second, requests: 33},
		},
	}
	var b strings.Builder
	r.writeLatencyTable(&b)
	want := []string{
		"| 1 | apply | 50ms | 20.00 | 10.00 | 2.00 | 2050 |  |",
		"| 1 | plan (refresh) | 50ms | 5.00 | 4.00 | 1.25 | 33 | ratio ≤ 1.3 ✓ |",
		"| 1 | plan (refresh) | 150ms | 6.00 | 4.00 | 1.50 | 33 | ratio ≤ 1.3 ✗ |",
	}
	for _, line := range want {
		if !strings.Contains(b.String(), line+"\n") {
			t.Errorf("latency table lacks %q:\n%s", line, b.String())
		}
	}
	if got := r.command(); !strings.HasPrefix(got, "LATENCY=0s,50ms,150ms ") {
		t.Errorf("command() = %q, want it to start with LATENCY=0s,50ms,150ms", got)
	}
	r.s.latencies = []time.Duration{0}
	b.Reset()
	r.writeLatencyTable(&b)
	if b.Len() != 0 || strings.Contains(r.command(), "LATENCY") {
		t.Errorf("one latency: want no table and no LATENCY, got %q and %q", b.String(), r.command())
	}
}
