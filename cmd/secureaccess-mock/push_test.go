package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
)

// exampleDirectory is the directory file of the README.
const exampleDirectory = "testdata/okta-directory.json"

// TestPush pushes the README's directory file with `push`, the token in
// the environment: one line per change on stdout, the summary on stderr,
// the token nowhere; pushing it again changes nothing; a changed file
// sends the change.
func TestPush(t *testing.T) {
	t.Parallel()
	m := mocktest.Start(t, "Okta", mockserver.Options{})
	m.SetStrictFilters(true)
	env := map[string]string{"OKTA_SCIM_TOKEN": m.SCIMToken}
	push := func(file string) (stdout, stderr string) {
		t.Helper()
		var out, errOut bytes.Buffer
		args := []string{"push", "-scim-url", m.SCIMURL(), "-token-env", "OKTA_SCIM_TOKEN", "-directory", file}
		if err := run(t.Context(), args, func(k string) string { return env[k] }, &out, &errOut); err != nil {
			t.Fatalf("push %s: %v\n%s", file, err, errOut.String())
		}
		if strings.Contains(out.String()+errOut.String(), m.SCIMToken) {
			t.Error("push prints the token")
		}
		return out.String(), errOut.String()
	}

	stdout, stderr := push(exampleDirectory)
	want := `user jane.doe@example.com: created
user john.smith@example.com: created
group "OKTA - Secure Access Users": created
group "OKTA - Secure Access Users": added member jane.doe@example.com
group "OKTA - Secure Access Users": added member john.smith@example.com
group "OKTA - Engineering": created
group "OKTA - Engineering": added member jane.doe@example.com
`
	if diff := cmp.Diff(want, stdout); diff != "" {
		t.Errorf("stdout (-want +got):\n%s", diff)
	}
	if want := "pushed 3 users and 2 groups to " + m.SCIMURL() + ": 7 changes\n"; stderr != want {
		t.Errorf("stderr %q, want %q", stderr, want)
	}
	if stdout, stderr := push(exampleDirectory); stdout != "" || !strings.HasSuffix(stderr, ": no changes\n") {
		t.Errorf("the same file again: stdout %q, stderr %q", stdout, stderr)
	}

	b, err := os.ReadFile(exampleDirectory)
	if err != nil {
		t.Fatal(err)
	}
	changed := filepath.Join(t.TempDir(), "directory.json")
	if err := os.WriteFile(changed, bytes.Replace(b, []byte(`"displayName": "John Smith"`), []byte(`"displayName": "Johnny Smith"`), 1), 0o600); err != nil {
		t.Fatal(err)
	}
	if stdout, _ := push(changed); stdout != "user john.smith@example.com: updated displayName\n" {
		t.Errorf("after a change of displayName: %q", stdout)
	}
}

func TestPushErrors(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"users":[{"userName":"a@x"}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{defaultPushTokenEnv: "tok"}
	for _, tc := range []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"no directory", []string{"push"}, env, "-directory is required"},
		{"no token", []string{"push", "-directory", exampleDirectory}, nil, "$SECUREACCESS_SCIM_TOKEN is empty"},
		{"other token variable", []string{"push", "-directory", exampleDirectory, "-token-env", "OKTA_TOKEN"}, env, "$OKTA_TOKEN is empty"},
		{"missing file", []string{"push", "-directory", "nope.json"}, env, "nope.json: no such file"},
		{"invalid file", []string{"push", "-directory", bad}, env, "externalId is required"},
		{"remote http", []string{"push", "-directory", exampleDirectory, "-scim-url", "http://api.example.com/identity/v2/scim"}, env, "plain http only to a loopback host"},
		{"token as a flag", []string{"push", "-directory", exampleDirectory, "-token", "tok"}, env, "flag provided but not defined: -token"},
		{"extra argument", []string{"push", "-directory", exampleDirectory, "now"}, env, "unexpected arguments: now"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := run(t.Context(), tc.args, func(k string) string { return tc.env[k] }, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("run(%q) = %v, want an error mentioning %q", tc.args, err, tc.wantErr)
			}
		})
	}
}

func TestPushHelp(t *testing.T) {
	t.Parallel()
	var stderr bytes.Buffer
	if err := run(t.Context(), []string{"push", "-help"}, func(string) string { return "" }, io.Discard, &stderr); err != nil {
		t.Fatalf("push -help: %v", err)
	}
	for _, want := range []string{"-directory", "-scim-url", defaultPushURL, "-token-env", defaultPushTokenEnv, "Okta"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("push -help does not mention %q", want)
		}
	}
}
