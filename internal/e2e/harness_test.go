// Package e2e runs the real terraform CLI against a provider binary built
// from this module and an in-process mock Secure Access service, to test
// what unit and acceptance tests cannot: faults on the wire, interruption,
// concurrency between Terraform and another SCIM client.
//
// The tests run only when TF_ACC is set, like acceptance tests; SOAK=1
// selects the full sizes (make soak).
package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

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

// pluginDir holds the provider binary TestMain built; empty when the tests
// are skipped.
var pluginDir string

// TestMain builds the provider binary once for every test of the package,
// when TF_ACC is set.
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
	build := exec.CommandContext(context.Background(), "go", "build", "-o", filepath.Join(dir, "terraform-provider-secureaccess"), "../..")
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
// TestClientSecret (whatever opts says), in strict filter mode when
// SECUREACCESS_MOCK_STRICT is set, and stops it when the test ends.
func NewMock(t *testing.T, opts mockserver.Options) *Mock {
	t.Helper()
	opts.ClientID, opts.ClientSecret = TestClientID, TestClientSecret
	return &Mock{mocktest.Start(t, "E2E", opts)}
}

// ProviderBlock is the default provider block with every credential of the
// mock; extra lines (such as "max_retries = 10") go inside the block.
func (m *Mock) ProviderBlock(extra ...string) string {
	return fmt.Sprintf("provider %q {\n  base_url      = %q\n  client_id     = %q\n  client_secret = %q\n  scim_token    = %q\n  %s\n}\n",
		"secureaccess", m.URL, TestClientID, TestClientSecret, m.SCIMToken, strings.Join(extra, "\n  "))
}

// Terraform runs the terraform CLI in a working directory of its own, with
// the provider binary TestMain built installed through dev_overrides.
type Terraform struct {
	// Dir is the working directory: configuration and state.
	Dir  string
	path string
	env  []string
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

// NewTerraform prepares an empty working directory with a versions.tf
// requiring the provider. extraEnv ("NAME=value") is added to terraform's
// environment, e.g. "TF_LOG=TRACE".
func NewTerraform(t *testing.T, extraEnv ...string) *Terraform {
	t.Helper()
	RequireAcc(t)
	path, err := exec.LookPath(CLI())
	if err != nil {
		t.Fatalf("terraform CLI (TF_ACC_TERRAFORM_PATH or terraform on PATH): %v", err)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", providerSource, pluginDir)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	tf := &Terraform{Dir: t.TempDir(), path: path, env: append(env, extraEnv...)}
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

// Result is the outcome of one terraform run.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Output is stdout and stderr together, for failure messages and greps.
func (r Result) Output() string {
	return r.Stdout + r.Stderr
}

// interactive are the subcommands that take -input=false.
var interactive = map[string]bool{"apply": true, "destroy": true, "import": true, "plan": true, "refresh": true}

// Command returns terraform with args (plus -no-color, and -input=false
// where the subcommand takes it) ready to start, its output going to the
// returned buffers.
func (tf *Terraform) Command(ctx context.Context, args ...string) (cmd *exec.Cmd, stdout, stderr *bytes.Buffer) {
	flags := []string{"-no-color"}
	if interactive[args[0]] {
		flags = append(flags, "-input=false")
	}
	args = slices.Concat(args, flags)                // a copy: never the caller's array
	cmd = exec.CommandContext(ctx, tf.path, args...) //nolint:gosec // G204: the terraform binary from PATH with test-chosen arguments.
	cmd.Dir, cmd.Env = tf.Dir, tf.env
	stdout, stderr = &bytes.Buffer{}, &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	return cmd, stdout, stderr
}

// Run runs terraform with args and returns its result whatever the exit code.
func (tf *Terraform) Run(t *testing.T, args ...string) Result {
	t.Helper()
	cmd, stdout, stderr := tf.Command(t.Context(), args...)
	err := cmd.Run()
	return Result{Code: exitCode(t, args[0], err), Stdout: stdout.String(), Stderr: stderr.String()}
}

// exitCode is the exit code behind err of a finished command.
func exitCode(t *testing.T, name string, err error) int {
	t.Helper()
	if exitErr, ok := errors.AsType[*exec.ExitError](err); ok {
		return exitErr.ExitCode()
	}
	if err != nil {
		t.Fatalf("terraform %s: %v", name, err)
	}
	return 0
}

// MustRun runs terraform with args and fails the test unless it exits with
// wantCode.
func (tf *Terraform) MustRun(t *testing.T, wantCode int, args ...string) Result {
	t.Helper()
	res := tf.Run(t, args...)
	if res.Code != wantCode {
		t.Fatalf("terraform %s exited with %d, want %d:\n%s", strings.Join(args, " "), res.Code, wantCode, res.Output())
	}
	return res
}

// Apply runs terraform apply -auto-approve with args and requires success.
func (tf *Terraform) Apply(t *testing.T, args ...string) Result {
	t.Helper()
	return tf.MustRun(t, 0, append([]string{"apply", "-auto-approve"}, args...)...)
}

// Destroy runs terraform destroy -auto-approve with args and requires
// success.
func (tf *Terraform) Destroy(t *testing.T, args ...string) Result {
	t.Helper()
	return tf.MustRun(t, 0, append([]string{"destroy", "-auto-approve"}, args...)...)
}

// RequireEmptyPlan runs terraform plan -detailed-exitcode with args and
// fails the test unless the plan is empty (exit 0; 2 is a non-empty plan).
func (tf *Terraform) RequireEmptyPlan(t *testing.T, args ...string) Result {
	t.Helper()
	return tf.MustRun(t, 0, append([]string{"plan", "-detailed-exitcode"}, args...)...)
}

// StateResource is one managed resource instance of `terraform show -json`.
type StateResource struct {
	Address string         `json:"address"`
	Type    string         `json:"type"`
	Name    string         `json:"name"`
	Values  map[string]any `json:"values"`
}

// ID returns the resource's "id" attribute ("" if none).
func (r StateResource) ID() string {
	id, _ := r.Values["id"].(string)
	return id
}

// showJSON is the part of `terraform show -json` the tests read. Resources
// of the root module only: the tests use no modules.
type showJSON struct {
	Values *struct {
		RootModule struct {
			Resources []StateResource `json:"resources"`
		} `json:"root_module"`
	} `json:"values"`
}

// State returns the managed resources of the state (none for an empty or
// missing state).
func (tf *Terraform) State(t *testing.T) []StateResource {
	t.Helper()
	res := tf.MustRun(t, 0, "show", "-json")
	var doc showJSON
	if err := json.Unmarshal([]byte(res.Stdout), &doc); err != nil {
		t.Fatalf("decoding terraform show -json: %v\n%s", err, res.Stdout)
	}
	if doc.Values == nil {
		return nil
	}
	var out []StateResource
	for _, r := range doc.Values.RootModule.Resources {
		if !strings.HasPrefix(r.Address, "data.") {
			out = append(out, r)
		}
	}
	return out
}

// StateByType returns the managed resources of the state per resource type.
func (tf *Terraform) StateByType(t *testing.T) map[string][]StateResource {
	t.Helper()
	out := map[string][]StateResource{}
	for _, r := range tf.State(t) {
		out[r.Type] = append(out[r.Type], r)
	}
	return out
}
