package main

import (
	"io"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseScenarios(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		list    string
		want    []string
		wantErr bool
	}{
		{name: "empty selects all", list: "", want: []string{"1", "2", "3", "4"}},
		{name: "blank selects all", list: "  ", want: []string{"1", "2", "3", "4"}},
		{name: "one", list: "3", want: []string{"3"}},
		{name: "several with spaces", list: "4, 1", want: []string{"4", "1"}},
		{name: "out of range", list: "5", wantErr: true},
		{name: "zero", list: "0", wantErr: true},
		{name: "not a number", list: "one", wantErr: true},
		{name: "empty field", list: "1,,2", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseScenarios(tt.list)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseScenarios(%q) error = %v, wantErr %v", tt.list, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("parseScenarios(%q) mismatch (-want +got):\n%s", tt.list, diff)
			}
		})
	}
}

func TestParseFlags(t *testing.T) {
	t.Parallel()
	required := []string{"-mock", "/m", "-plugin-dir", "/p", "-work", "/w"}
	tests := []struct {
		name    string
		args    []string
		want    settings
		wantErr bool
	}{
		{
			name: "defaults",
			args: required,
			want: settings{scale: scales{def: 1, per: map[string]float64{}}, repeat: 3, scenarios: []string{"1", "2", "3", "4"}, terraformBin: cliFromEnv(),
				mockBin: "/m", pluginDir: "/p", workDir: "/w", outPath: "bench/results/latest.md", latencies: []time.Duration{0}, sweeps: 1},
		},
		{
			name: "all set",
			args: append([]string{"-scale", "0.1,3=1", "-repeat", "1", "-scenarios", "2,3", "-terraform", "/t", "-out", "/o.md", "-latency", "0,50ms,150ms", "-batch-refresh=false", "-sweeps", "3"}, required...),
			want: settings{scale: scales{def: 0.1, per: map[string]float64{"3": 1}}, repeat: 1, scenarios: []string{"2", "3"}, terraformBin: "/t",
				mockBin: "/m", pluginDir: "/p", workDir: "/w", outPath: "/o.md", latencies: []time.Duration{0, 50 * time.Millisecond, 150 * time.Millisecond}, unbatched: true, sweeps: 3},
		},
		{name: "missing mock", args: []string{"-plugin-dir", "/p", "-work", "/w"}, wantErr: true},
		{name: "zero scale", args: append([]string{"-scale", "0"}, required...), wantErr: true},
		{name: "negative latency", args: append([]string{"-latency", "0,-50ms"}, required...), wantErr: true},
		{name: "zero sweeps", args: append([]string{"-sweeps", "0"}, required...), wantErr: true},
		{name: "latency twice", args: append([]string{"-latency", "50ms,50ms"}, required...), wantErr: true},
		{name: "latency not a duration", args: append([]string{"-latency", "50"}, required...), wantErr: true},
		{name: "zero repeat", args: append([]string{"-repeat", "0"}, required...), wantErr: true},
		{name: "bad scenario", args: append([]string{"-scenarios", "9"}, required...), wantErr: true},
		{name: "extra argument", args: append(required, "extra"), wantErr: true},
		{name: "unknown flag", args: append(required, "-nope"), wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseFlags(tt.args, io.Discard)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseFlags(%q) error = %v, wantErr %v", tt.args, err, tt.wantErr)
			}
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(settings{}, scales{})); diff != "" {
				t.Errorf("parseFlags(%q) mismatch (-want +got):\n%s", tt.args, diff)
			}
		})
	}
}

func TestParseScales(t *testing.T) {
	t.Parallel()
	tests := []struct {
		list    string
		want    map[string]float64 // factor per scenario id
		str     string
		wantErr bool
	}{
		{list: "1", want: map[string]float64{"1": 1, "2": 1, "3": 1, "4": 1}, str: "1"},
		{list: "0.01", want: map[string]float64{"1": 0.01, "2": 0.01, "3": 0.01, "4": 0.01}, str: "0.01"},
		{list: "0.2, 3=1,4=0.5", want: map[string]float64{"1": 0.2, "2": 0.2, "3": 1, "4": 0.5}, str: "0.2,3=1,4=0.5"},
		{list: "2=0.5", want: map[string]float64{"1": 1, "2": 0.5, "3": 1, "4": 1}, str: "1,2=0.5"},
		{list: "0", wantErr: true},
		{list: "-1", wantErr: true},
		{list: "x", wantErr: true},
		{list: "+Inf", wantErr: true},
		{list: "", wantErr: true},
		{list: "1,0.5", wantErr: true},
		{list: "1,9=1", wantErr: true},
		{list: "1,3=0", wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.list, func(t *testing.T) {
			t.Parallel()
			got, err := parseScales(tt.list)
			if (err != nil) != tt.wantErr {
				t.Fatalf("parseScales(%q) error = %v, wantErr %v", tt.list, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			per := map[string]float64{}
			for _, id := range allScenarioIDs() {
				per[id] = got.of(id)
			}
			if diff := cmp.Diff(tt.want, per); diff != "" {
				t.Errorf("parseScales(%q) mismatch (-want +got):\n%s", tt.list, diff)
			}
			if s := got.String(); s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
		})
	}
}
