package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// planChangesExit is the exit code of "terraform plan -detailed-exitcode"
// when the plan is not empty.
const planChangesExit = 2

// logTailLines is how much of a failed command's log an error shows.
const logTailLines = 20

// outcome is what one Terraform command did.
type outcome struct {
	elapsed  time.Duration
	exitCode int
	log      string // combined stdout and stderr
}

// cliFromEnv is the CLI to run by default: TF_ACC_TERRAFORM_PATH, the
// variable terraform-plugin-testing reads (Terraform or OpenTofu), else
// terraform on PATH.
func cliFromEnv() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

// terraform runs the terraform CLI offline. It runs the binary itself
// rather than through hashicorp/terraform-exec, which the end-to-end tests
// use: a benchmark's operations are argument lists (cmdApply, cmdPlan,
// cmdDestroy), the timed span is that one command and nothing else
// (tfexec may run "terraform version -json" first to check an option's
// minimum version), every command's whole output goes to a log file, and
// the harness's own tests run a fake binary (terraform_test.go) that
// answers only the commands a benchmark sends.
type terraform struct {
	bin       string
	pluginDir string
	env       []string // the whole environment of every command
}

// offlineEnv returns base plus the settings that keep Terraform from
// reaching the network or prompting; cliConfig is an empty CLI config file.
func offlineEnv(base []string, cliConfig string) []string {
	return append(slices.Clone(base),
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_CLI_CONFIG_FILE="+cliConfig,
	)
}

// init runs "terraform init" in dir from the plugin mirror.
func (t terraform) init(ctx context.Context, dir string) error {
	_, err := t.run(ctx, dir, "init", "init", "-input=false", "-no-color", "-plugin-dir="+t.pluginDir)
	return err
}

// run runs terraform with args in dir, timing it and saving its output to
// dir/<logName>.log. Exit code 0, and 2 for a -detailed-exitcode plan,
// are outcomes; any other exit is an error that shows the log's tail.
func (t terraform) run(ctx context.Context, dir, logName string, args ...string) (outcome, error) {
	var buf bytes.Buffer
	cmd := exec.CommandContext(ctx, t.bin, args...) //nolint:gosec // G204: the terraform binary and arguments of this harness.
	cmd.Dir = dir
	cmd.Env = t.env
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	start := time.Now()
	err := cmd.Run()
	out := outcome{elapsed: time.Since(start), log: buf.String()}
	logPath := filepath.Join(dir, logName+".log")
	if werr := os.WriteFile(logPath, buf.Bytes(), 0o600); werr != nil { //nolint:gosec // G703: under the -work scratch dir.
		return out, fmt.Errorf("save terraform log: %w", werr)
	}
	if exitErr, ok := errors.AsType[*exec.ExitError](err); ok {
		out.exitCode = exitErr.ExitCode()
		if out.exitCode == planChangesExit && slices.Contains(args, "-detailed-exitcode") {
			return out, nil
		}
	}
	if err != nil {
		return out, fmt.Errorf("terraform %s in %s: %w; log %s ends:\n%s", args[0], dir, err, logPath, tail(out.log, logTailLines))
	}
	return out, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// expectEmptyPlan checks that a plan found nothing to change.
func expectEmptyPlan(_ side, o outcome) error {
	if o.exitCode != 0 {
		return errors.New("the plan is not empty: the configuration does not converge")
	}
	return nil
}

// expectApplied checks that an apply added n resources and changed none.
func expectApplied(n int) check {
	return expectLogLine(fmt.Sprintf("Apply complete! Resources: %d added, 0 changed, 0 destroyed.", n))
}

// expectChanged checks that an apply updated n resources in place.
func expectChanged(n int) check {
	return expectLogLine(fmt.Sprintf("Apply complete! Resources: 0 added, %d changed, 0 destroyed.", n))
}

// expectDestroyed checks that a destroy removed n resources.
func expectDestroyed(n int) check {
	return expectLogLine(fmt.Sprintf("Destroy complete! Resources: %d destroyed.", n))
}

// expectLogLine checks that the command printed line.
func expectLogLine(line string) check {
	return func(_ side, o outcome) error {
		if !strings.Contains(o.log, line) {
			return fmt.Errorf("expected %q in the output", line)
		}
		return nil
	}
}

// expectOutput checks that an apply printed the root output name with the
// value want holds for the side.
func expectOutput(name string, want map[side]string) check {
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` = (\S+)$`)
	return func(sd side, o outcome) error {
		m := re.FindStringSubmatch(o.log)
		if m == nil {
			return fmt.Errorf("output %s missing", name)
		}
		if m[1] != want[sd] {
			return fmt.Errorf("output %s = %s, want %s", name, m[1], want[sd])
		}
		return nil
	}
}

// with returns a copy of t whose commands also get the variables kv
// ("NAME=value").
func (t terraform) with(kv ...string) terraform {
	t.env = append(slices.Clone(t.env), kv...)
	return t
}

// version returns the first line of "terraform version".
func (t terraform) version(ctx context.Context) (string, error) {
	cmd := exec.CommandContext(ctx, t.bin, "version") //nolint:gosec // G204: the terraform binary of this harness.
	cmd.Env = t.env
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("terraform version: %w", err)
	}
	first, _, _ := strings.Cut(string(b), "\n")
	return first, nil
}
