package e2e

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mocktest"
)

// secretsClientID is the admin API key's client ID in the secrets tests; the
// secret is random per test.
const secretsClientID = "e2e-secrets-client"

// quickstartConfig is the quick start's configuration.
const quickstartConfig = "../../examples/quickstart/main.tf"

// randomSecret returns a random secret (26 base32 digits) with a prefix that
// names it in failure messages.
func randomSecret(prefix string) string {
	return prefix + rand.Text()
}

// secretRecorder wraps the mock and remembers every credential that crosses
// the wire: Authorization header values and the credentials inside them,
// issued access tokens and generated provisioning tokens.
type secretRecorder struct {
	next http.Handler

	mu      sync.Mutex
	secrets map[string]string // value → what it is
}

// add remembers a secret value; a value keeps the name it was first
// recorded with ("access token", not the "Authorization credential" it
// becomes later).
func (rec *secretRecorder) add(what, value string) {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if _, seen := rec.secrets[value]; !seen && value != "" {
		rec.secrets[value] = what
	}
}

// kinds returns how many secrets of each kind were recorded.
func (rec *secretRecorder) kinds() map[string]int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	out := map[string]int{}
	for _, what := range rec.secrets {
		out[what]++
	}
	return out
}

// all returns a copy of the recorded secrets.
func (rec *secretRecorder) all() map[string]string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return maps.Clone(rec.secrets)
}

// ServeHTTP implements http.Handler.
func (rec *secretRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h := r.Header.Get("Authorization"); h != "" {
		rec.add("Authorization header", h)
		if _, cred, ok := strings.Cut(h, " "); ok {
			rec.add("Authorization credential", cred)
		}
	}
	issuing := r.URL.Path == "/auth/v2/token" || strings.HasSuffix(r.URL.Path, "/provisioningToken")
	if r.Method != http.MethodPost || !issuing {
		rec.next.ServeHTTP(w, r)
		return
	}
	tee := &teeWriter{ResponseWriter: w}
	rec.next.ServeHTTP(tee, r)
	var issued struct {
		AccessToken string `json:"access_token"`
		Token       struct {
			Token string `json:"token"`
		} `json:"token"`
	}
	if json.Unmarshal(tee.body.Bytes(), &issued) == nil {
		rec.add("access token", issued.AccessToken)
		rec.add("SCIM token", issued.Token.Token)
	}
}

// teeWriter copies a response body.
type teeWriter struct {
	http.ResponseWriter
	body bytes.Buffer
}

// Write implements io.Writer.
func (w *teeWriter) Write(p []byte) (int, error) {
	w.body.Write(p)
	return w.ResponseWriter.Write(p)
}

// secretsMock starts a mock with a random client secret behind a
// secretRecorder that already knows the client secret and its Basic form.
func secretsMock(t *testing.T) (url, secret string, rec *secretRecorder) {
	t.Helper()
	secret = randomSecret("client-secret-")
	rec = &secretRecorder{
		next:    mockserver.New(mockserver.Options{ClientID: secretsClientID, ClientSecret: secret, StrictFilters: mocktest.AcceptanceStrict(t)}),
		secrets: map[string]string{},
	}
	rec.add("client secret", secret)
	rec.add("Basic credentials", base64.StdEncoding.EncodeToString([]byte(secretsClientID+":"+secret)))
	ts := httptest.NewServer(rec)
	t.Cleanup(ts.Close)
	return ts.URL, secret, rec
}

// traceTerraform returns a Terraform logging at TRACE to a file of its own,
// with the admin credentials in the environment, and the log's path.
func traceTerraform(t *testing.T, url, secret string) (*Terraform, string) {
	t.Helper()
	logPath := filepath.Join(t.TempDir(), "terraform.log")
	tf := NewTerraform(t, "SECUREACCESS_BASE_URL="+url, "SECUREACCESS_CLIENT_ID="+secretsClientID, "SECUREACCESS_CLIENT_SECRET="+secret)
	if err := tf.Exec.SetLog("TRACE"); err != nil {
		t.Fatal(err)
	}
	if err := tf.Exec.SetLogPath(logPath); err != nil {
		t.Fatal(err)
	}
	return tf, logPath
}

// transcript collects everything terraform printed or logged, by source.
type transcript map[string]string

// addRun records a run's output.
func (tr transcript) addRun(name string, res Result) {
	tr[name+" stdout"] = res.Stdout
	tr[name+" stderr"] = res.Stderr
}

// addLog records the TRACE log and checks that it holds the provider's
// request log lines, so that a leak there would be seen.
func (tr transcript) addLog(t *testing.T, path string) {
	t.Helper()
	log, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading the TRACE log: %v", err)
	}
	for _, want := range []string{"secureaccess API request", "/auth/v2/token"} {
		if !bytes.Contains(log, []byte(want)) {
			t.Errorf("TRACE log %s has no %q: the provider's logs are not in it", path, want)
		}
	}
	tr["TRACE log"] = string(log)
}

// requireNoSecrets fails the test for each secret found in the transcript.
func requireNoSecrets(t *testing.T, tr transcript, secrets map[string]string) {
	t.Helper()
	for _, source := range slices.Sorted(maps.Keys(tr)) {
		for value, what := range secrets {
			if i := strings.Index(tr[source], value); i >= 0 {
				t.Errorf("%s holds the %s: …%s…", source, what, excerpt(tr[source], i, len(value)))
			}
		}
	}
}

// excerpt is the text around a leaked secret, for the failure message.
func excerpt(s string, i, n int) string {
	const around = 80
	return s[max(0, i-around):min(len(s), i+n+around)]
}

// requireKinds asserts that the recorder saw the credentials the test must
// look for, so that it cannot pass by looking for nothing.
func requireKinds(t *testing.T, rec *secretRecorder, want ...string) {
	t.Helper()
	got := rec.kinds()
	for _, what := range want {
		if got[what] == 0 {
			t.Errorf("no %s crossed the wire; recorded %v", what, got)
		}
	}
}

// TestSecrets_quickstart runs the quick start's apply (whose output is the
// full plan), plan and destroy at TF_LOG=TRACE against a mock with a random client secret, and
// greps the log and every output for the client secret (raw and as Basic
// credentials), every access token, every provisioning token and every
// Authorization header the mock received. It also checks the state: the
// provisioning token's token is the only sensitive value and no secret
// sits anywhere else.
func TestSecrets_quickstart(t *testing.T) {
	t.Parallel()
	url, secret, rec := secretsMock(t)
	tf, logPath := traceTerraform(t, url, secret)
	config, err := os.ReadFile(quickstartConfig)
	if err != nil {
		t.Fatal(err)
	}
	// The harness's versions.tf declares the provider, as the quick start's
	// versions.tf and versions.tofu do (those add only required_version).
	tf.WriteConfig(t, string(config))

	tr := transcript{}
	tr.addRun("apply", tf.Apply(t)) // its stdout is the full plan, then the outputs
	tr.addRun("plan", tf.RequireEmptyPlan(t))
	requireSensitiveOnlyToken(t, tf, rec.all())
	tr.addRun("destroy", tf.Destroy(t))
	tr.addLog(t, logPath)

	requireKinds(t, rec, "client secret", "Basic credentials", "access token", "SCIM token", "Authorization header")
	requireNoSecrets(t, tr, rec.all())
}

// TestSecrets_errors applies with a wrong client secret and a wrong SCIM
// token at TF_LOG=TRACE: both fail, with errors that say why, and neither
// the wrong credentials nor the right client secret appear in the output or
// the log.
func TestSecrets_errors(t *testing.T) {
	t.Parallel()
	url, secret, rec := secretsMock(t)
	tf, logPath := traceTerraform(t, url, secret)
	wrongSecret, wrongToken := randomSecret("wrong-secret-"), randomSecret("wrong-scim-token-")
	rec.add("wrong client secret", wrongSecret)
	rec.add("wrong SCIM token", wrongToken)
	tf.WriteConfig(t, fmt.Sprintf(`
provider "secureaccess" {
  client_secret = %q
}

provider "secureaccess" {
  alias      = "scim"
  scim_token = %q
}

resource "secureaccess_directory_integration" "d" {
  name                = "Secrets"
  identity_provider   = "okta"
  deletion_protection = false
}

resource "secureaccess_scim_user" "u" {
  provider  = secureaccess.scim
  user_name = "jane@example.com"
}
`, wrongSecret, wrongToken))

	res := tf.ApplyError(t)
	for _, want := range []string{"the API key was rejected", "401 Unauthorized", "Check client_id and client_secret", "The SCIM provisioning token was rejected"} {
		if !strings.Contains(oneLine(res.Stderr), want) { // Terraform wraps long lines
			t.Errorf("apply's errors lack %q:\n%s", want, res.Stderr)
		}
	}
	tr := transcript{}
	tr.addRun("failed apply", res)
	tr.addLog(t, logPath)

	requireKinds(t, rec, "Authorization credential", "Authorization header")
	requireNoSecrets(t, tr, rec.all())
}

// requireSensitiveOnlyToken asserts that the provisioning token's token is
// the only sensitive attribute in the state, that the provisioning_token
// output is the only sensitive output, and that no secret is in any other
// attribute or output.
func requireSensitiveOnlyToken(t *testing.T, tf *Terraform, secrets map[string]string) {
	t.Helper()
	state := tf.Show(t)
	if state.Values == nil || state.Values.RootModule == nil {
		t.Fatal("terraform show: the state is empty")
	}
	var sensitive []string
	values := map[string]any{}
	for _, r := range state.Values.RootModule.Resources {
		var marks any // none when absent; when present, valid JSON (tfjson decoded it)
		_ = json.Unmarshal(r.SensitiveValues, &marks)
		sensitive = append(sensitive, sensitivePaths(r.Address, marks)...)
		flatten(r.Address, r.AttributeValues, values)
	}
	for name, o := range state.Values.Outputs {
		if o.Sensitive {
			sensitive = append(sensitive, "output."+name)
		}
		flatten("output."+name, o.Value, values)
	}
	slices.Sort(sensitive)
	want := []string{"output.provisioning_token", "secureaccess_provisioning_token.okta.token"}
	if diff := cmp.Diff(want, sensitive); diff != "" {
		t.Errorf("sensitive values in state (-want +got):\n%s", diff)
	}
	for path, v := range values {
		s, ok := v.(string)
		if !ok || slices.Contains(want, path) {
			continue
		}
		for value, what := range secrets {
			if strings.Contains(s, value) {
				t.Errorf("non-sensitive %s holds the %s", path, what)
			}
		}
	}
}

// sensitivePaths lists the paths below prefix that sensitive_values marks
// true.
func sensitivePaths(prefix string, v any) []string {
	switch v := v.(type) {
	case bool:
		if v {
			return []string{prefix}
		}
	case map[string]any:
		var out []string
		for k, e := range v {
			out = append(out, sensitivePaths(prefix+"."+k, e)...)
		}
		return out
	case []any:
		var out []string
		for i, e := range v {
			out = append(out, sensitivePaths(fmt.Sprintf("%s[%d]", prefix, i), e)...)
		}
		return out
	}
	return nil
}

// flatten stores every leaf value below prefix in out by its path.
func flatten(prefix string, v any, out map[string]any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			flatten(prefix+"."+k, e, out)
		}
	case []any:
		for i, e := range v {
			flatten(fmt.Sprintf("%s[%d]", prefix, i), e, out)
		}
	default:
		out[prefix] = v
	}
}
