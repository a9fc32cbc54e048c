package provider

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// bootstrapExampleDir is the shipped one-apply bootstrap example; the test
// applies those very files.
const bootstrapExampleDir = "../../examples/bootstrap"

// TestAccBootstrap_oneApply applies the bootstrap example: a directory
// integration, its token, and a SCIM user and group created through an
// aliased provider configured with that token, in one apply. The user and
// group must land in the new directory, not in the harness's, and a second
// plan must be empty.
//
// It runs the terraform CLI against a provider binary built from this
// module rather than through resource.Test: with resource.Test, every
// provider block of a configuration is served by the same in-process
// provider server, so the two blocks' credentials would overwrite each other.
func TestAccBootstrap_oneApply(t *testing.T) {
	if os.Getenv(resource.EnvTfAcc) == "" {
		t.Skipf("acceptance test: set %s=1 to run it", resource.EnvTfAcc)
	}
	t.Parallel()
	m := newTestMock(t)
	tf := newTerraformCLI(t)
	vars := []string{
		"-var", "base_url=" + m.URL,
		"-var", "client_id=" + testClientID,
		"-var", "client_secret=" + testClientSecret,
	}

	tf.run(t, 0, append([]string{"apply", "-auto-approve"}, vars...)...)
	dir, ok := m.Server.Store().DirectoryByName("OKTA Integration")
	if !ok {
		t.Fatal("the example's directory integration is not in the mock")
	}
	if dir.Token == nil {
		t.Fatal("the example's directory integration has no provisioning token")
	}
	if _, ok := dir.SCIM.UserByUserName("jane.doe@example.com"); !ok {
		t.Error("jane.doe@example.com is not in the new directory")
	}
	if _, ok := dir.SCIM.GroupByDisplayName("OKTA - Secure Access Users"); !ok {
		t.Error("OKTA - Secure Access Users is not in the new directory")
	}
	if users, groups := m.scim(t).Counts(); users != 0 || groups != 0 {
		t.Errorf("the harness's directory has %d users and %d groups, want none", users, groups)
	}

	// -detailed-exitcode: 0 is an empty plan, 2 a non-empty one.
	tf.run(t, 0, append([]string{"plan", "-detailed-exitcode"}, vars...)...)

	tf.run(t, 0, append([]string{"destroy", "-auto-approve"}, vars...)...)
	if _, ok := m.Server.Store().Directory(dir.ID); ok {
		t.Error("the directory integration survived terraform destroy")
	}
}

// terraformCLI runs the terraform binary in a working directory holding a
// copy of the bootstrap example, with this module's provider installed
// through a dev_overrides CLI configuration.
type terraformCLI struct {
	path, workDir string
	env           []string
}

// newTerraformCLI builds the provider and prepares the working directory.
func newTerraformCLI(t *testing.T) *terraformCLI {
	t.Helper()
	tfPath, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("terraform CLI: %v", err)
	}
	pluginDir, workDir := t.TempDir(), t.TempDir()
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-secureaccess"), "../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	cliConfig := filepath.Join(t.TempDir(), "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    %q = %q\n  }\n  direct {}\n}\n", "secureaccess-iac/secureaccess", pluginDir)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"main.tf", "versions.tf"} {
		src, err := os.ReadFile(filepath.Join(bootstrapExampleDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(workDir, name), src, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "TF_CLI_CONFIG_FILE="+cliConfig, "TF_IN_AUTOMATION=1", "CHECKPOINT_DISABLE=1")
	return &terraformCLI{path: tfPath, workDir: workDir, env: env}
}

// run runs terraform with args and fails the test unless it exits with
// wantCode.
func (c *terraformCLI) run(t *testing.T, wantCode int, args ...string) {
	t.Helper()
	args = append(args, "-input=false", "-no-color")
	cmd := exec.CommandContext(t.Context(), c.path, args...) //nolint:gosec // G204: the terraform binary from PATH with fixed arguments.
	cmd.Dir, cmd.Env = c.workDir, c.env
	out, err := cmd.CombinedOutput()
	code := 0
	if exitErr, ok := errors.AsType[*exec.ExitError](err); ok {
		code = exitErr.ExitCode()
	} else if err != nil {
		t.Fatalf("terraform %s: %v", args[0], err)
	}
	if code != wantCode {
		t.Fatalf("terraform %s exited with %d, want %d:\n%s", args[0], code, wantCode, out)
	}
}
