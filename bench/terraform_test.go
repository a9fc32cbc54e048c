package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// fakeTerraform writes a script that prints its arguments to stdout, a line
// to stderr, and exits with $FAKE_EXIT.
func fakeTerraform(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "terraform")
	script := "#!/bin/sh\necho \"args: $*\"\necho \"line two\" >&2\nexit ${FAKE_EXIT:-0}\n"
	if err := os.WriteFile(bin, []byte(script), 0o700); err != nil {
		t.Fatal(err)
	}
	return bin
}

func TestTerraformRun(t *testing.T) {
	t.Parallel()
	bin := fakeTerraform(t)
	tests := []struct {
		name     string
		exit     string
		args     []string
		wantExit int
		wantErr  bool
	}{
		{name: "success", exit: "0", args: []string{"apply", "-auto-approve"}, wantExit: 0},
		{name: "plan with changes", exit: "2", args: []string{"plan", "-detailed-exitcode"}, wantExit: 2},
		{name: "exit 2 without detailed exit code", exit: "2", args: []string{"apply"}, wantExit: 2, wantErr: true},
		{name: "failure", exit: "1", args: []string{"plan", "-detailed-exitcode"}, wantExit: 1, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			tf := terraform{bin: bin}.with("FAKE_EXIT=" + tt.exit)
			out, err := tf.run(context.Background(), dir, "op", tt.args...)
			if (err != nil) != tt.wantErr {
				t.Fatalf("run error = %v, wantErr %v", err, tt.wantErr)
			}
			if err != nil && !strings.Contains(err.Error(), "line two") {
				t.Errorf("error %q does not show the log's tail", err)
			}
			wantLog := "args: " + strings.Join(tt.args, " ") + "\nline two\n"
			if diff := cmp.Diff(wantLog, out.log); diff != "" {
				t.Errorf("log mismatch (-want +got):\n%s", diff)
			}
			saved, rerr := os.ReadFile(filepath.Join(dir, "op.log"))
			if rerr != nil {
				t.Fatalf("read saved log: %v", rerr)
			}
			if diff := cmp.Diff(wantLog, string(saved)); diff != "" {
				t.Errorf("saved log mismatch (-want +got):\n%s", diff)
			}
			if out.exitCode != tt.wantExit {
				t.Errorf("exit code = %d, want %d", out.exitCode, tt.wantExit)
			}
			if out.elapsed <= 0 {
				t.Errorf("elapsed = %v, want > 0", out.elapsed)
			}
		})
	}
}

func TestTerraformVersion(t *testing.T) {
	t.Parallel()
	got, err := terraform{bin: fakeTerraform(t)}.version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got != "args: version" {
		t.Errorf("version = %q, want the first line of the output", got)
	}
}

func TestOfflineEnv(t *testing.T) {
	t.Parallel()
	base := []string{"PATH=/bin"}
	got := offlineEnv(base, "/w/terraformrc")
	want := []string{"PATH=/bin", "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_INPUT=0", "TF_CLI_CONFIG_FILE=/w/terraformrc"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("offlineEnv mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"PATH=/bin"}, base); diff != "" {
		t.Errorf("offlineEnv changed its input (-want +got):\n%s", diff)
	}
}

func TestChecks(t *testing.T) {
	t.Parallel()
	applied := "Apply complete! Resources: 3 added, 0 changed, 0 destroyed.\n\nOutputs:\n\nuser_count = 10000\n"
	tests := []struct {
		name    string
		check   check
		side    side
		out     outcome
		wantErr bool
	}{
		{name: "empty plan", check: expectEmptyPlan, out: outcome{exitCode: 0}},
		{name: "plan with changes", check: expectEmptyPlan, out: outcome{exitCode: planChangesExit}, wantErr: true},
		{name: "applied", check: expectApplied(3), out: outcome{log: applied}},
		{name: "applied other count", check: expectApplied(2), out: outcome{log: applied}, wantErr: true},
		{name: "changed", check: expectChanged(1), out: outcome{log: "Apply complete! Resources: 0 added, 1 changed, 0 destroyed."}},
		{name: "changed is not applied", check: expectApplied(0), out: outcome{log: "Apply complete! Resources: 0 added, 1 changed, 0 destroyed."}, wantErr: true},
		{name: "destroyed", check: expectDestroyed(2050), out: outcome{log: "Destroy complete! Resources: 2050 destroyed."}},
		{name: "destroyed other count", check: expectDestroyed(2049), out: outcome{log: "Destroy complete! Resources: 2050 destroyed."}, wantErr: true},
		{name: "output ours", check: userCount(), side: sideOurs, out: outcome{log: applied}},
		{name: "output floor", check: userCount(), side: sideFloor, out: outcome{log: "user_count = 1\n"}},
		{name: "output wrong", check: userCount(), side: sideFloor, out: outcome{log: applied}, wantErr: true},
		{name: "output missing", check: userCount(), side: sideOurs, out: outcome{log: "Apply complete!"}, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if err := tt.check(tt.side, tt.out); (err != nil) != tt.wantErr {
				t.Errorf("check error = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
}

func userCount() check {
	return expectOutput("user_count", map[side]string{sideOurs: "10000", sideFloor: "1"})
}

func TestTail(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s    string
		n    int
		want string
	}{
		{s: "a\nb\nc\n", n: 2, want: "b\nc"},
		{s: "a\nb", n: 5, want: "a\nb"},
		{s: "", n: 3, want: ""},
	}
	for _, tt := range tests {
		if got := tail(tt.s, tt.n); got != tt.want {
			t.Errorf("tail(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}

// TestRenderConfig renders every scenario's configurations and has
// terraform check that they are valid, canonically formatted HCL.
func TestRenderConfig(t *testing.T) {
	t.Parallel()
	tfBin, err := exec.LookPath(cliFromEnv())
	if err != nil {
		t.Fatalf("terraform is needed on PATH (or TF_ACC_TERRAFORM_PATH): %v", err)
	}
	dir := t.TempDir()
	var want []string
	for _, id := range allScenarioIDs() {
		sc, err := buildScenario(id, 0.01)
		if err != nil {
			t.Fatal(err)
		}
		for _, sd := range sides {
			name := "s" + id + "_" + string(sd) + ".tf"
			if err := renderConfig(filepath.Join(dir, name), sc, sd); err != nil {
				t.Fatalf("renderConfig(%s, %s): %v", id, sd, err)
			}
			want = append(want, name)
		}
	}
	got, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("rendered %d files, want %d", len(got), len(want))
	}
	cmd := exec.CommandContext(context.Background(), tfBin, "fmt", "-check", "-diff", "-no-color", dir)
	cmd.Env = offlineEnv(os.Environ(), filepath.Join(dir, "terraformrc"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("terraform fmt -check: %v\n%s", err, out)
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"apply":              "apply",
		"plan (refresh)":     "plan-refresh",
		"no-op apply":        "no-op-apply",
		"change 500 members": "change-500-members",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}
