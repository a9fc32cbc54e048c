package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestMatchesTerraform compares the output with what `terraform providers
// schema -json` reports for the same provider (TF_ACC=1; the CLI is
// TF_ACC_TERRAFORM_PATH, else terraform on PATH). Terraform before 1.14
// reports no list resources and before 1.12 no resource identities: those
// parts are compared only when the CLI reports them, and the rest always.
func TestMatchesTerraform(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("runs terraform: set TF_ACC=1")
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		cli = "terraform"
	}
	plugins := t.TempDir()
	build := exec.CommandContext(t.Context(), "go", "build", "-o", filepath.Join(plugins, "terraform-provider-secureaccess"), "../../..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	rc := filepath.Join(t.TempDir(), "terraformrc")
	overrides := `provider_installation {
  dev_overrides {
    "secureaccess-iac/secureaccess" = "` + plugins + `"
  }
  direct {}
}
`
	if err := os.WriteFile(rc, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	versions := `terraform {
  required_providers {
    secureaccess = {
      source = "secureaccess-iac/secureaccess"
    }
  }
}
`
	if err := os.WriteFile(filepath.Join(dir, "versions.tf"), []byte(versions), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), cli, "providers", "schema", "-json") //nolint:gosec // G204: the CLI under test.
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE="+rc, "CHECKPOINT_DISABLE=1")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s providers schema -json: %v", cli, err)
	}
	var tf map[string]any
	if err := json.Unmarshal(out, &tf); err != nil {
		t.Fatalf("decoding %s providers schema -json: %v", cli, err)
	}
	tfSchema := onlyProvider(t, tf)

	ours, err := providerSchemasJSON(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(ours, &got); err != nil {
		t.Fatal(err)
	}
	gotSchema := onlyProvider(t, got)
	for _, key := range []string{"list_resource_schemas", "resource_identity_schemas"} {
		if _, ok := tfSchema[key]; !ok {
			t.Logf("%s reports no %s: not compared", cli, key)
			delete(gotSchema, key)
		}
	}
	if diff := cmp.Diff(tfSchema, gotSchema); diff != "" {
		t.Errorf("schema mismatch (-%s +providerschema):\n%s", cli, diff)
	}
}

// onlyProvider returns the schema of the one provider of a `terraform
// providers schema -json` document, whatever its address.
func onlyProvider(t *testing.T, doc map[string]any) map[string]any {
	t.Helper()
	providers, _ := doc["provider_schemas"].(map[string]any)
	if len(providers) != 1 {
		t.Fatalf("want one provider schema, got %d", len(providers))
	}
	for _, p := range providers {
		m, ok := p.(map[string]any)
		if !ok {
			t.Fatalf("provider schema is %T", p)
		}
		return m
	}
	return nil
}
