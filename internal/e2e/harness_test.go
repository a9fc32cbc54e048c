// Package e2e runs the real terraform CLI, through terraform-exec (tfexec),
// against a provider binary built from this module and an in-process mock
// Secure Access service, to test what unit and acceptance tests cannot:
// faults on the wire, interruption, concurrency between Terraform and another
// SCIM client. The state and saved plans are read as terraform-json (tfjson)
// values.
//
// The tests run only when TF_ACC is set, like acceptance tests; SOAK=1
// selects the full sizes (make soak).
package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
	tfjson "github.com/hashicorp/terraform-json"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
)

// Credentials of the mock's admin API key.
const (
	TestClientID     = "e2e-client-id"
	TestClientSecret = "e2e-client-secret" //nolint:gosec // G101: the mock's test credential.
)

// providerSource is the provider's registry address in configurations, and
// the dev_overrides key. Short on purpose: Terraform reads it as
// registry.terraform.io/..., OpenTofu as registry.opentofu.org/..., so the
// same configuration and override serve both.
const providerSource = "secureaccess-iac/secureaccess"

// providerPackage is the import path of the provider package, whose
// testWindowScale the build sets.
const providerPackage = "github.com/secureaccess-iac/terraform-provider-secureaccess/internal/provider"

// ProviderVersion is the version the provider binary is built with
// (-ldflags -X main.version=...).
const ProviderVersion = "1.2.3-e2e"

// pluginDir holds the provider binary TestMain built; empty when the tests
// are skipped.
var pluginDir string

// TestMain builds the provider binary once for every test of the package,
// when TF_ACC is set, with its rate limit windows scaled like the mocks'
// (SECUREACCESS_MOCK_RATE_SCALE, default a hundredth).
func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

// runMain builds the provider into a temporary directory, runs the tests and
// removes the directory.
func runMain(m *testing.M) int {
	if os.Getenv("TF_ACC") == "" {
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "e2e-provider-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Built as releases are (.goreleaser.yml's flags), with main.version
	// set as goreleaser sets it: TestUserAgentCarriesVersion checks that it
	// reaches the service. The provider keeps Cisco's rate limit windows at
	// the scale of the mocks' (mocktest.RateScale), through its test hook.
	scale := strconv.FormatFloat(mocktest.RateScale(nil), 'g', -1, 64)
	build := exec.CommandContext(context.Background(), "go", "build", "-trimpath", "-buildvcs=false",
		"-ldflags", "-s -w -X main.version="+ProviderVersion+" -X "+providerPackage+".testWindowScale="+scale,
		"-o", filepath.Join(dir, "terraform-provider-secureaccess"), "../..")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: building the provider: %v\n%s", err, out)
		return 1
	}
	pluginDir = dir
	return m.Run()
}

// RequireAcc skips the test unless TF_ACC is set.
func RequireAcc(t *testing.T) {
	t.Helper()
	if pluginDir == "" {
		t.Skip("end-to-end test: set TF_ACC=1 to run it")
	}
}

// Soak reports whether the full-size variants run (SOAK=1, make soak).
func Soak() bool {
	return os.Getenv("SOAK") != ""
}

// Sized returns soak under SOAK=1 and short otherwise: a test's size.
func Sized(short, soak int) int {
	if Soak() {
		return soak
	}
	return short
}

// Mock is an in-process mock service (mocktest) with one bootstrapped
// directory integration ("E2E") and its SCIM token.
type Mock struct {
	*mocktest.Mock
}

// NewMock starts a mock with opts, the admin credentials TestClientID and
// TestClientSecret (whatever opts says), in strict mode unless
// SECUREACCESS_MOCK_STRICT=0 (mocktest.StartAcceptance), and stops it when
// the test ends.
func NewMock(t *testing.T, opts mockserver.Options) *Mock {
	t.Helper()
	opts.ClientID, opts.ClientSecret = TestClientID, TestClientSecret
	return &Mock{mocktest.StartAcceptance(t, "E2E", opts)}
}

// ProviderBlock is the default provider block with every credential of the
// mock; extra lines (such as "max_retries = 10") go inside the block.
func (m *Mock) ProviderBlock(extra ...string) string {
	return fmt.Sprintf("provider %q {\n  base_url      = %q\n  client_id     = %q\n  client_secret = %q\n  scim_token    = %q\n  %s\n}\n",
		"secureaccess", m.URL, TestClientID, TestClientSecret, m.SCIMToken, strings.Join(extra, "\n  "))
}

// Terraform is the terraform CLI, driven through terraform-exec (tfexec), in
// a working directory of its own, with the provider binary TestMain built
// installed through dev_overrides.
type Terraform struct {
	// Dir is the working directory: configuration and state.
	Dir string
	// Exec runs the CLI. Calls whose output a test reads go through Run,
	// which captures it; a direct call's stdout is discarded, its stderr is
	// in its error.
	Exec *tfexec.Terraform
}

// CLI is the CLI the tests run: TF_ACC_TERRAFORM_PATH, the variable
// terraform-plugin-testing reads (Terraform or OpenTofu), else terraform on
// PATH.
func CLI() string {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		return p
	}
	return "terraform"
}

// CLIName is the first line of the CLI's plain `version` output, which names
// the product: "Terraform v1.11.4", "OpenTofu v1.10.10". tfexec cannot tell
// them apart: its Version runs version -json (tfexec/version.go:63), whose
// tfjson.VersionOutput (version.go:84) has no product name, and reads the
// plain output only when the JSON does not parse (version.go:75).
func CLIName(t *testing.T) string {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), CLI(), "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", CLI(), err)
	}
	name, _, _ := strings.Cut(string(out), "\n")
	return name
}

// NewTerraform prepares an empty working directory with a versions.tf
// requiring the provider. env ("NAME=value") is added to terraform's
// environment. The variables tfexec sets itself (TF_LOG*, TF_IN_AUTOMATION,
// TF_INPUT, TF_CLI_ARGS*, TF_VAR_*: tfexec.ProhibitedEnv) are refused in env
// and dropped from the test's own environment; logging is Exec.SetLog and
// SetLogPath.
func NewTerraform(t *testing.T, env ...string) *Terraform {
	t.Helper()
	RequireAcc(t)
	path, err := exec.LookPath(CLI())
	if err != nil {
		t.Fatalf("terraform CLI (TF_ACC_TERRAFORM_PATH or terraform on PATH): %v", err)
	}
	tf := &Terraform{Dir: t.TempDir()}
	if tf.Exec, err = tfexec.NewTerraform(tf.Dir, path); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerSource, pluginDir)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	vars = tfexec.CleanEnv(vars)
	vars["TF_CLI_CONFIG_FILE"], vars["CHECKPOINT_DISABLE"] = cliConfig, "1"
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		vars[k] = v
	}
	if err := tf.Exec.SetEnv(vars); err != nil {
		t.Fatal(err)
	}
	// tfexec runs version -json before its first version-dependent call:
	// now, so that its output is in no command's Result.
	if _, _, err := tf.Exec.Version(t.Context(), false); err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	tf.WriteFile(t, "versions.tf", fmt.Sprintf("terraform {\n  required_providers {\n    secureaccess = {\n      source = %q\n    }\n  }\n}\n", providerSource))
	return tf
}

// WriteFile writes a file of the working directory.
func (tf *Terraform) WriteFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(tf.Dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// WriteConfig writes the configuration, main.tf.
func (tf *Terraform) WriteConfig(t *testing.T, hcl string) {
	t.Helper()
	tf.WriteFile(t, "main.tf", hcl)
}

// Result is what one terraform command printed, and how it ended.
type Result struct {
	Stdout, Stderr string
	// Err is tfexec's error: nil when terraform succeeded (a plan: with or
	// without changes).
	Err error
	// Changes is a plan's: it has changes (exit 2 of -detailed-exitcode,
	// which tfexec always passes).
	Changes bool
}

// Output is stdout and stderr together, for failure messages and greps.
func (r Result) Output() string {
	return r.Stdout + r.Stderr
}

// Code is terraform's exit code: 0, 2 for a plan with changes, the exit
// status behind Err, or -1 when terraform did not exit by itself (not
// started, or killed).
func (r Result) Code() int {
	exitErr, ok := errors.AsType[*exec.ExitError](r.Err)
	switch {
	case r.Err == nil && r.Changes:
		return 2
	case r.Err == nil:
		return 0
	case ok:
		return exitErr.ExitCode()
	}
	return -1
}

// Run runs cmd, tfexec calls on tf.Exec, with the test's context and returns
// what they printed and cmd's error.
func (tf *Terraform) Run(t *testing.T, cmd func(context.Context) error) Result {
	var stdout, stderr bytes.Buffer
	tf.Exec.SetStdout(&stdout)
	tf.Exec.SetStderr(&stderr)
	// No writer outlives the call: QueryJSON leaves a closed pipe as stdout,
	// which would stop the next command's output from being read.
	defer tf.Exec.SetStdout(nil)
	defer tf.Exec.SetStderr(nil)
	err := cmd(t.Context())
	return Result{Stdout: stdout.String(), Stderr: stderr.String(), Err: err}
}

// run runs cmd like Run, and fails the test unless terraform what exits
// with want.
func (tf *Terraform) run(t *testing.T, what string, want int, cmd func(context.Context) (changes bool, err error)) Result {
	t.Helper()
	var changes bool
	res := tf.Run(t, func(ctx context.Context) (err error) {
		changes, err = cmd(ctx)
		return err
	})
	res.Changes = changes
	if code := res.Code(); code != want {
		t.Fatalf("terraform %s exited with %d, want %d: %v\n%s", what, code, want, res.Err, res.Stdout)
	}
	return res
}

// Apply runs terraform apply (-auto-approve) and requires success.
func (tf *Terraform) Apply(t *testing.T, opts ...tfexec.ApplyOption) Result {
	t.Helper()
	return tf.run(t, "apply", 0, func(ctx context.Context) (bool, error) { return false, tf.Exec.Apply(ctx, opts...) })
}

// ApplyError runs terraform apply and requires it to fail (exit 1).
func (tf *Terraform) ApplyError(t *testing.T, opts ...tfexec.ApplyOption) Result {
	t.Helper()
	return tf.run(t, "apply", 1, func(ctx context.Context) (bool, error) { return false, tf.Exec.Apply(ctx, opts...) })
}

// Destroy runs terraform destroy (-auto-approve) and requires success.
func (tf *Terraform) Destroy(t *testing.T, opts ...tfexec.DestroyOption) Result {
	t.Helper()
	return tf.run(t, "destroy", 0, func(ctx context.Context) (bool, error) { return false, tf.Exec.Destroy(ctx, opts...) })
}

// RequireEmptyPlan runs terraform plan and requires an empty plan.
func (tf *Terraform) RequireEmptyPlan(t *testing.T, opts ...tfexec.PlanOption) Result {
	t.Helper()
	return tf.run(t, "plan", 0, func(ctx context.Context) (bool, error) { return tf.Exec.Plan(ctx, opts...) })
}

// RequireChanges runs terraform plan and requires a plan with changes.
func (tf *Terraform) RequireChanges(t *testing.T, opts ...tfexec.PlanOption) Result {
	t.Helper()
	return tf.run(t, "plan", 2, func(ctx context.Context) (bool, error) { return tf.Exec.Plan(ctx, opts...) })
}

// PlanError runs terraform plan and requires it to fail (exit 1).
func (tf *Terraform) PlanError(t *testing.T, opts ...tfexec.PlanOption) Result {
	t.Helper()
	return tf.run(t, "plan", 1, func(ctx context.Context) (bool, error) { return tf.Exec.Plan(ctx, opts...) })
}

// Show returns the state (terraform show -json).
func (tf *Terraform) Show(t *testing.T) *tfjson.State {
	t.Helper()
	state, err := tf.Exec.Show(t.Context())
	if err != nil {
		t.Fatalf("terraform show: %v", err)
	}
	return state
}

// State returns the managed resources of the state's root module (the tests
// use no modules), none for an empty or missing state.
func (tf *Terraform) State(t *testing.T) []*tfjson.StateResource {
	t.Helper()
	state := tf.Show(t)
	if state.Values == nil || state.Values.RootModule == nil {
		return nil
	}
	return slices.DeleteFunc(state.Values.RootModule.Resources, func(r *tfjson.StateResource) bool {
		return r.Mode != tfjson.ManagedResourceMode
	})
}

// StateByType returns the managed resources of the state per resource type.
func (tf *Terraform) StateByType(t *testing.T) map[string][]*tfjson.StateResource {
	t.Helper()
	out := map[string][]*tfjson.StateResource{}
	for _, r := range tf.State(t) {
		out[r.Type] = append(out[r.Type], r)
	}
	return out
}

// ID returns a resource's "id" attribute ("" if none).
func ID(r *tfjson.StateResource) string {
	id, _ := r.AttributeValues["id"].(string)
	return id
}

// ShowPlan returns a saved plan (terraform show -json planFile).
func (tf *Terraform) ShowPlan(t *testing.T, planFile string) *tfjson.Plan {
	t.Helper()
	plan, err := tf.Exec.ShowPlanFile(t.Context(), planFile)
	if err != nil {
		t.Fatalf("terraform show %s: %v", planFile, err)
	}
	return plan
}

// Actions is a planned change's actions as Terraform names them, joined by
// commas ("no-op", "create", "delete,create").
func Actions(a tfjson.Actions) string {
	names := make([]string, len(a))
	for i, action := range a {
		names[i] = string(action)
	}
	return strings.Join(names, ",")
}
