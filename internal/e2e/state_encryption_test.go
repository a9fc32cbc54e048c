package e2e

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-exec/tfexec"
)

// tokenAtRestGuide is the guide whose section "The token at rest" holds the
// OpenTofu encryption configuration TestStateEncryption_tokenAtRest applies,
// so that the documented block is the tested one.
const tokenAtRestGuide = "../../templates/guides/rotating-provisioning-token.md.tmpl"

// bootstrapToken is the bootstrap example's provisioning token.
const bootstrapToken = "secureaccess_provisioning_token.okta"

// RequireOpenTofu skips the test unless the CLI under test is OpenTofu;
// what names the OpenTofu feature the test needs.
func RequireOpenTofu(t *testing.T, what string) {
	t.Helper()
	RequireAcc(t)
	if name := CLIName(t); !strings.HasPrefix(name, "OpenTofu") {
		t.Skipf("needs OpenTofu's %s; %s is %s. Run it with TF_ACC_TERRAFORM_PATH set to tofu "+
			"(make test-tofu, or scripts/build-tofu.sh for the binary).", what, CLI(), name)
	}
}

// guideEncryptionBlock returns the guide's encryption configuration: the
// terraform code block of its section "The token at rest" that has an
// encryption block.
func guideEncryptionBlock(t *testing.T) string {
	t.Helper()
	guide, err := os.ReadFile(tokenAtRestGuide)
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(guide), "\n## The token at rest\n")
	if !ok {
		t.Fatalf("%s has no section \"The token at rest\"", tokenAtRestGuide)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	blocks := strings.Split(section, "```terraform\n")
	for _, block := range blocks[1:] {
		block, _, _ = strings.Cut(block, "```")
		if strings.Contains(block, "encryption {") {
			return block
		}
	}
	t.Fatalf("the section \"The token at rest\" of %s has no terraform block with an encryption block", tokenAtRestGuide)
	return ""
}

// TestStateEncryption_tokenAtRest applies the one-apply bootstrap
// (examples/bootstrap) on OpenTofu with the state and plan encryption of the
// guide (pbkdf2 passphrase from a variable, aes_gcm, enforced), then rotates
// the token from a saved plan (-replace). After each apply the plan is
// empty. No file of the working directory (state, its backup, the saved
// plan) holds either token, and the state, backup and plan are OpenTofu's
// encrypted form. The same run without the encryption block must find the
// current token in terraform.tfstate, the first one in the backup, and a
// plain (zip) plan file, so that the greps are seen to work.
func TestStateEncryption_tokenAtRest(t *testing.T) {
	t.Parallel()
	RequireOpenTofu(t, "state encryption (1.7 and later)")
	for _, encrypted := range []bool{true, false} {
		name := "encrypted"
		if !encrypted {
			name = "unencrypted"
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testTokenAtRest(t, encrypted)
		})
	}
}

// testTokenAtRest is TestStateEncryption_tokenAtRest with or without the
// encryption block.
func testTokenAtRest(t *testing.T, encrypted bool) {
	b := newBootstrapLayout(t, nil)
	if encrypted {
		// .tofu: the file OpenTofu reads and Terraform does not, as the
		// guide advises for a configuration both run.
		b.tf.WriteFile(t, "encryption.tofu", guideEncryptionBlock(t))
		tfvars, err := os.ReadFile(filepath.Join(b.tf.Dir, "terraform.tfvars"))
		if err != nil {
			t.Fatal(err)
		}
		b.tf.WriteFile(t, "terraform.tfvars", string(tfvars)+"state_passphrase = \""+randomSecret("state-passphrase-")+"\"\n")
	}

	b.tf.Apply(t)
	day1 := b.snapshot(t)
	first := b.requireOutputToken(t, day1)
	b.tf.RequireEmptyPlan(t)

	// The rotation, from a saved plan: the plan file holds the state too.
	plan := filepath.Join(b.tf.Dir, "rotate.tfplan")
	b.tf.RequireChanges(t, tfexec.Replace(bootstrapToken), tfexec.Out(plan))
	b.tf.Apply(t, tfexec.DirOrPlan(plan))
	b.requireConverged(t, day1) // a new token, the old one revoked, the same SCIM objects, empty plan
	current := b.requireOutputToken(t, b.snapshot(t))

	files := readTree(t, b.tf.Dir)
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup", "rotate.tfplan"} {
		if _, ok := files[name]; !ok {
			t.Fatalf("the working directory has no %s; it has %v", name, slices.Sorted(maps.Keys(files)))
		}
	}
	tokens := map[string]string{"first token": first, "current token": current}

	if !encrypted {
		// The control: the same greps find the tokens in clear.
		if !bytes.Contains(files["terraform.tfstate"], []byte(current)) {
			t.Error("unencrypted terraform.tfstate does not hold the current token: the grep finds nothing")
		}
		if !bytes.Contains(files["terraform.tfstate.backup"], []byte(first)) {
			t.Error("unencrypted terraform.tfstate.backup does not hold the first token: the grep finds nothing")
		}
		for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup"} {
			if keys := jsonKeys(files[name]); !slices.Contains(keys, "resources") || slices.Contains(keys, "encryption_version") {
				t.Errorf("unencrypted %s has the keys %v, want a plain state (resources, no encryption_version)", name, keys)
			}
		}
		if !bytes.HasPrefix(files["rotate.tfplan"], []byte("PK")) {
			t.Error("unencrypted rotate.tfplan is not a plan file (zip)")
		}
		return
	}

	for _, name := range slices.Sorted(maps.Keys(files)) {
		for what, token := range tokens {
			if bytes.Contains(files[name], []byte(token)) {
				t.Errorf("%s holds the %s in clear", name, what)
			}
		}
	}
	for _, name := range []string{"terraform.tfstate", "terraform.tfstate.backup", "rotate.tfplan"} {
		requireEncrypted(t, name, files[name])
	}
}

// requireOutputToken returns the scim_token output (tofu output -json),
// which must be sensitive, equal the state's token and be the token the
// service accepts: the value the test looks for in the files.
func (b *bootstrapLayout) requireOutputToken(t *testing.T, s bootstrapState) string {
	t.Helper()
	outputs, err := b.tf.Exec.Output(t.Context())
	if err != nil {
		t.Fatalf("output: %v", err)
	}
	out, ok := outputs["scim_token"]
	if !ok || !out.Sensitive {
		t.Fatalf("output scim_token is missing or not sensitive: %v", ok)
	}
	var token string
	if err := json.Unmarshal(out.Value, &token); err != nil || token == "" {
		t.Fatalf("output scim_token is not a token: %v", err)
	}
	if token != s.token {
		t.Fatal("output scim_token differs from the state's token")
	}
	if !b.scimAccepts(t, token) {
		t.Fatal("the service rejects the scim_token output")
	}
	return token
}

// readTree reads every regular file below dir, by path relative to dir.
func readTree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		files[rel] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// jsonKeys returns the top-level keys of a JSON object, sorted; none when
// data is not one. Only the keys: a failure message must not print a state.
func jsonKeys(data []byte) []string {
	var object map[string]json.RawMessage
	if json.Unmarshal(data, &object) != nil {
		return nil
	}
	return slices.Sorted(maps.Keys(object))
}

// requireEncrypted asserts that a state or plan file is OpenTofu's
// encrypted form (internal/encryption/base.go): a JSON object with
// encryption_version "v0", the ciphertext in encrypted_data, the key
// provider's metadata in meta, and no state (resources, outputs).
func requireEncrypted(t *testing.T, name string, data []byte) {
	t.Helper()
	var payload struct {
		Version string          `json:"encryption_version"`
		Data    []byte          `json:"encrypted_data"` // base64 in the file
		Meta    json.RawMessage `json:"meta"`
	}
	keys := jsonKeys(data)
	if err := json.Unmarshal(data, &payload); err != nil {
		t.Errorf("%s is not OpenTofu's encrypted form (a JSON object): %v", name, err)
		return
	}
	if payload.Version != "v0" || len(payload.Data) == 0 || len(payload.Meta) == 0 ||
		slices.Contains(keys, "resources") || slices.Contains(keys, "outputs") {
		t.Errorf("%s is not OpenTofu's encrypted form (encryption_version v0, encrypted_data, meta, no resources or outputs): keys %v, encryption_version %q, %d bytes of ciphertext",
			name, keys, payload.Version, len(payload.Data))
	}
}
