package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// providerData is what Configure hands to every resource and data source.
// The API clients are built on first use, so that a configuration which only
// manages SCIM objects needs no admin API key and the reverse, and so that a
// scim_token which is unknown while Terraform plans fails nothing.
type providerData struct {
	version string

	baseURL, scimURL       string
	clientID, clientSecret string
	scimToken              string
	maxRetries             int
	requestTimeout         time.Duration
	rateLimit              float64
	unbatchedRefresh       bool
	baseURLUnknown         bool
	scimURLUnknown         bool
	adminUnknown           bool
	scimTokenUnknown       bool

	adminOnce sync.Once
	adminAPI  *admin.Client
	adminErr  error

	scimOnce sync.Once
	scimAPI  *scim.Client
	scimErr  error

	// notRefreshedWarned holds the "not refreshed" warnings given, so that
	// each is given once per provider.
	notRefreshedMu     sync.Mutex
	notRefreshedWarned map[string]bool
}

// transportConfig is the shared HTTP configuration of both clients.
func (d *providerData) transportConfig() transport.Config {
	return transport.Config{
		MaxRetries:     d.maxRetries,
		RequestTimeout: d.requestTimeout,
		UserAgent:      "terraform-provider-secureaccess/" + d.version,
		Logger:         tflogLogger{},
		// A provider process lives for one Terraform command: rejected
		// credentials and an unreachable service are one error per
		// provider configuration, and the retries happen once.
		FailFast: true,
		// Terraform starts a provider process for the plan and another for
		// the apply, and one per provider configuration: they share the
		// admin API's rate limit windows through this directory.
		WindowStateDir: windowStateDir(),
	}
}

// windowStateDir is where the provider processes of the user share their
// rate limit windows: the user's cache directory, else the temporary one.
func windowStateDir() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	return filepath.Join(dir, "terraform-provider-secureaccess")
}

// tokenFix is the way out when a data source, an import or a create needs
// the SCIM API while the provider's token is only known after apply. The
// indented lines are commands: Terraform prints them as they are.
const tokenFix = "A data source is read during apply, after the new token exists, when it depends on the token resource that scim_token comes from:\n\n" +
	"  depends_on = [secureaccess_provisioning_token.<name>]\n\n" +
	"Otherwise create the token first, then everything else:\n\n" +
	"  terraform apply -target=secureaccess_provisioning_token.<name>\n" +
	"  terraform apply"

// settingsState is the state of the provider settings an API client needs.
type settingsState int

const (
	settingsSet           settingsState = iota // known and present
	settingsUnknown                            // only known after apply
	settingsMissing                            // known, and the credential is not set
	settingsNotConfigured                      // no provider data: Configure has not run
)

// settingsOf is the state of an API's settings: unknown wins over missing,
// since an unknown value may turn out to be set.
func settingsOf(unknown, missing bool) settingsState {
	switch {
	case unknown:
		return settingsUnknown
	case missing:
		return settingsMissing
	}
	return settingsSet
}

// adminSettings is the one check of the admin API's settings: unknown
// when client_id, client_secret or base_url is only known after apply,
// missing without an API key.
func (d *providerData) adminSettings() settingsState {
	if d == nil {
		return settingsNotConfigured
	}
	return settingsOf(d.adminUnknown || d.baseURLUnknown, d.clientID == "" || d.clientSecret == "")
}

// scimSettings is the one check of the SCIM settings, scim_token's
// included; the layers below (scim, transport) take the token as it is.
// Unknown when scim_token or scim_url is only known after apply: during
// plan, a resource of the same configuration, typically the
// secureaccess_provisioning_token the scim_token comes from, is created or
// replaced in this run; during apply, only in a destroy, after that
// resource left the state. An unknown base_url counts only when the SCIM
// URL is derived from it: a known scim_url does not need it.
func (d *providerData) scimSettings() settingsState {
	if d == nil {
		return settingsNotConfigured
	}
	return settingsOf(d.scimTokenUnknown || d.scimURLUnknown || d.baseURLUnknown && d.scimURL == "", d.scimToken == "")
}

// A resource, data source or list resource asks the provider data for what
// its operation needs, and gets it, or diagnostics and ok false: then it
// stops. A client is never nil when ok is true, and never returned when ok
// is false.
//
//   - adminClient and scimClient return the client, built once per
//     provider; their error names the setting that is missing or only
//     known after apply.
//   - Three operations have their own answer while settings are only known
//     after apply (during plan: a resource of the same configuration,
//     typically the secureaccess_provisioning_token that scim_token comes
//     from, is created or replaced in this run; during apply: only in a
//     destroy, after that resource left the state): a Read keeps the prior
//     state, with a warning (adminForRefresh, scimForRefresh); a SCIM Delete
//     lets the object go from the state, with a warning, since no credential
//     Terraform knows can reach it (scimForDelete); the checks of an import
//     and of a plan, which need no client, say whether the operation can go
//     on (importCheck, scimPlanCheck).
//
// ok is false too when diags held an error before: the operation stops at
// its first error, whatever came first.

// adminClient returns the admin API client, or adds the error of settings
// that are missing or only known after apply.
func (d *providerData) adminClient(diags *diag.Diagnostics) (*admin.Client, bool) {
	switch d.adminSettings() {
	case settingsNotConfigured:
		diags.Append(notConfigured)
	case settingsUnknown:
		diags.AddError("Secure Access Admin API Credentials Not Known Yet",
			"The provider's client_id, client_secret or base_url depends on a value that is only known after apply, "+
				"but this operation must call the Secure Access admin API now. Create the resources they come from first with "+
				"terraform apply -target=<resource>, then run terraform apply again.")
	case settingsMissing:
		diags.AddError("Missing Secure Access Admin API Credentials",
			"Directory integrations, provisioning tokens and identities use the Secure Access admin API, which needs an API key. "+
				"Set client_id and client_secret in the provider block, or the "+envClientID+" and "+envClientSecret+" environment variables.")
	default:
		d.adminOnce.Do(func() {
			cfg := admin.Config{
				BaseURL:          d.baseURL,
				ClientID:         d.clientID,
				ClientSecret:     d.clientSecret,
				UnbatchedRefresh: d.unbatchedRefresh,
				Config:           d.transportConfig(),
			}
			if d.rateLimit > 0 {
				cfg.RateLimit = d.rateLimit
			}
			withTestWindows(&cfg)
			d.adminAPI, d.adminErr = admin.NewClient(cfg)
		})
		if d.adminErr != nil {
			diags.AddError("Unable to Create Secure Access Admin API Client", d.adminErr.Error())
		}
		if !diags.HasError() {
			return d.adminAPI, true
		}
	}
	return nil, false
}

// scimClient returns the SCIM client, or adds the error of settings that
// are missing or only known after apply.
func (d *providerData) scimClient(diags *diag.Diagnostics) (*scim.Client, bool) {
	switch d.scimSettings() {
	case settingsNotConfigured:
		diags.Append(notConfigured)
	case settingsUnknown:
		diags.AddError("SCIM Provisioning Token Not Known Yet",
			"The provider's scim_token, scim_url or base_url depends on a value that is only known after apply, "+
				"typically a secureaccess_provisioning_token that this run generates or rotates, so nothing can be read through SCIM until it exists.\n\n"+tokenFix)
	case settingsMissing:
		diags.AddError("Missing SCIM Provisioning Token",
			"SCIM users, groups and memberships are managed with the provisioning token of a directory integration, and this provider has none. "+
				"Set scim_token in the provider block (for example from a secureaccess_provisioning_token resource), or the "+envSCIMToken+" environment variable. "+
				"If another provider block of this configuration has the token, such as the aliased secureaccess.scim of the one-apply bootstrap, "+
				"set provider = secureaccess.<alias> on this resource or data source.")
	default:
		d.scimOnce.Do(func() {
			d.scimAPI, d.scimErr = scim.NewClient(scim.Config{
				URL:              d.scimURL,
				Token:            d.scimToken,
				UnbatchedRefresh: d.unbatchedRefresh,
				Config:           d.transportConfig(),
			})
		})
		if d.scimErr != nil {
			diags.AddError("Unable to Create SCIM Client", d.scimErr.Error())
		}
		if !diags.HasError() {
			return d.scimAPI, true
		}
	}
	return nil, false
}

// apiKind is which of the two APIs an operation uses.
type apiKind int

const (
	apiAdmin apiKind = iota
	apiSCIM
)

// adminForRefresh is adminClient for a resource's Read, which keeps the
// prior state while the admin API settings are only known after apply.
func (d *providerData) adminForRefresh(diags *diag.Diagnostics) (*admin.Client, bool) {
	if d.refreshDeferred(apiAdmin, diags) {
		return nil, false
	}
	return d.adminClient(diags)
}

// scimForRefresh is scimClient for a resource's Read, which keeps the
// prior state while the SCIM settings are only known after apply.
func (d *providerData) scimForRefresh(diags *diag.Diagnostics) (*scim.Client, bool) {
	if d.refreshDeferred(apiSCIM, diags) {
		return nil, false
	}
	return d.scimClient(diags)
}

// refreshDeferred reports whether a resource's Read through api waits for
// settings only known after apply: it then keeps the prior state, and the
// "not refreshed" warning comes once per provider and API. Terraform
// configures the provider again for the apply, after the token exists.
func (d *providerData) refreshDeferred(api apiKind, diags *diag.Diagnostics) bool {
	if api == apiAdmin && d.adminSettings() == settingsUnknown {
		diags.Append(d.notRefreshed("Secure Access Objects Not Refreshed",
			"This provider's client_id, client_secret or base_url is only known after apply. Until then nothing can be read through the admin API, "+
				"so this plan keeps the last known state of directory integrations and provisioning tokens and does not show changes made outside Terraform. "+
				"The next plan checks them again.")...)
		return true
	}
	if api == apiSCIM && d.scimSettings() == settingsUnknown {
		diags.Append(d.notRefreshed("SCIM Objects Not Refreshed",
			"This provider's scim_token, scim_url or base_url is only known after apply: typically the secureaccess_provisioning_token it comes from "+
				"is generated or rotated in this run. Until that token exists nothing can be read through SCIM, so this plan keeps the last known state "+
				"of the SCIM users, groups and memberships and does not show changes made outside Terraform. "+
				"The apply uses the new token, and the next plan checks them again.")...)
		return true
	}
	return false
}

// scimForDelete is scimClient for the Delete of object, such as
// `SCIM user "jane" (id)`. While the SCIM settings are only known after
// apply, no credential Terraform knows can reach the object: it leaves the
// state only, with a warning that says so.
func (d *providerData) scimForDelete(object string, diags *diag.Diagnostics) (*scim.Client, bool) {
	if d.scimSettings() != settingsUnknown {
		return d.scimClient(diags)
	}
	diags.AddWarning("SCIM Object Removed From State Only",
		object+" could not be deleted through SCIM: the provisioning token this provider's scim_token comes from was regenerated or revoked "+
			"outside Terraform, so no token that Terraform knows can reach it. It is removed from the Terraform state only. "+
			"Destroying its directory integration in the same run deletes it with every other user and group of the directory. "+
			"If the directory integration stays, the object stays in Secure Access: run terraform apply to generate a new token, "+
			"then import the object or delete it with the new token.")
	return nil, false
}

// importCheck is the check of an import of importID into resourceType
// before it reads anything: settings only known after apply are an error;
// a missing SCIM token is an error that says where provider goes, a
// missing API key is not (the admin import's read says what is missing).
// Before Configure (Terraform imports into an unconfigured provider in
// some validations) it passes.
func (d *providerData) importCheck(api apiKind, resourceType, importID string) diag.Diagnostics {
	var diags diag.Diagnostics
	if api == apiAdmin {
		if d.adminSettings() == settingsUnknown {
			d.adminClient(&diags)
		}
		return diags
	}
	switch d.scimSettings() {
	case settingsUnknown:
		d.scimClient(&diags)
	case settingsMissing:
		// Terraform prints neither a file nor a resource address with an
		// import's errors: name the import ID and where provider goes.
		diags.AddError("Missing SCIM Provisioning Token",
			fmt.Sprintf("The import of %[1]q into %[2]s needs a SCIM provisioning token, and the provider configuration it ran with has none. "+
				"An import runs with the provider configuration of the resource it imports into. If another provider block has the token, "+
				"such as the aliased secureaccess.scim of the one-apply bootstrap, set provider in the resource block:\n\n"+
				"  resource %[2]q \"<name>\" {\n    provider = secureaccess.scim\n    ...\n  }\n\n"+
				"When terraform plan -generate-config-out writes the resource block, set provider in the import block instead "+
				"(Terraform accepts it there only then):\n\n"+
				"  import {\n    provider = secureaccess.scim\n    to       = %[2]s.<name>\n    id       = %[1]q\n  }\n\n"+
				"Otherwise set scim_token in the provider block, or the %[3]s environment variable.", importID, resourceType, envSCIMToken))
	}
	return diags
}

// scimPlanCheck is the check of every SCIM resource's ModifyPlan: a plan
// that creates or changes the object through a provider with no SCIM token
// fails now rather than in the apply (scimClient adds the error). A
// destroy passes, and so does a token only known after apply (the apply
// has it), and a plan before Configure.
func (d *providerData) scimPlanCheck(req resource.ModifyPlanRequest, diags *diag.Diagnostics) {
	if !req.Plan.Raw.IsNull() && d.scimSettings() == settingsMissing {
		d.scimClient(diags)
	}
}

// notConfigured is the error of an operation that needs a client before
// the provider is configured: a bug in the provider.
var notConfigured = diag.NewErrorDiagnostic("Provider Not Configured",
	"The secureaccess provider was not configured before this operation. This is a bug in the provider; please report it.")

// notRefreshed is the warning of a refresh that kept the prior state, the
// first time only: one per provider (and per API, when both are unknown).
func (d *providerData) notRefreshed(summary, detail string) diag.Diagnostics {
	var diags diag.Diagnostics
	d.notRefreshedMu.Lock()
	defer d.notRefreshedMu.Unlock()
	if !d.notRefreshedWarned[summary] {
		if d.notRefreshedWarned == nil {
			d.notRefreshedWarned = map[string]bool{}
		}
		d.notRefreshedWarned[summary] = true
		diags.AddWarning(summary, detail)
	}
	return diags
}

// configuredData extracts the provider data in a resource's or data source's
// Configure. It returns nil before the provider is configured (Terraform
// calls Configure early for validation), which callers must tolerate.
func configuredData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil
	}
	d, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", raw))
		return nil
	}
	return d
}

// tflogLogger routes the clients' request log lines, and their warnings
// about long waits for the rate limit windows, to Terraform's log. The
// clients never pass headers, bodies or tokens to it.
type tflogLogger struct{}

var _ transport.WarnLogger = tflogLogger{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}

func (tflogLogger) Warn(ctx context.Context, msg string, fields map[string]any) {
	tflog.Warn(ctx, msg, fields)
}

// testWindowScale is the tests' hook on the admin API's rate limit windows:
// when it is a number, Cisco's windows (admin.DefaultWindows,
// admin.DefaultTokenWindows) are kept from the first request, as on
// Cisco's hosts, with their periods multiplied by it, so that a provider
// talking to a mock whose windows are scaled alike (mocktest, in strict
// mode; 1 for make testacc-ratelimits) stays inside them at test speed
// and is never answered 429. The
// end-to-end tests set it when they build the provider (go build -ldflags
// "-X ...provider.testWindowScale=0.01"), the acceptance tests in TestMain.
// It is empty in every other build: no setting or environment variable
// reaches it.
var testWindowScale string

// withTestWindows gives cfg Cisco's windows at testWindowScale, when that
// is set, the per-second one at cfg.RateLimit when that is set: the
// provider's admin client and the acceptance tests' own keep the same
// windows, so that together they stay inside a scaled mock's.
func withTestWindows(cfg *admin.Config) {
	if testWindowScale == "" {
		return
	}
	scale := windowScale()
	cfg.Windows = transport.ScaleWindows(admin.DefaultWindows(), scale)
	if cfg.RateLimit > 0 {
		cfg.Windows[0] = admin.RateWindow(cfg.RateLimit)
	}
	cfg.TokenWindows = transport.ScaleWindows(admin.DefaultTokenWindows(), scale)
}

// windowScale is testWindowScale as a number, 1 when it is not one.
func windowScale() float64 {
	f, err := strconv.ParseFloat(testWindowScale, 64)
	if err != nil || f <= 0 {
		return 1
	}
	return f
}
