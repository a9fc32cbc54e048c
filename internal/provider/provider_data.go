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

	adminOnce   sync.Once
	adminClient *admin.Client
	adminErr    error

	scimOnce   sync.Once
	scimClient *scim.Client
	scimErr    error

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

// adminSettings is the one check of the admin API's settings: unknown
// when client_id, client_secret or base_url is only known after apply,
// missing without an API key.
func (d *providerData) adminSettings() settingsState {
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
	return settingsOf(d.scimTokenUnknown || d.scimURLUnknown || d.baseURLUnknown && d.scimURL == "", d.scimToken == "")
}

// admin builds the admin API client, once, from settings that
// adminSettings found set. Resources and data sources get the client with
// adminFor.
func (d *providerData) admin() (*admin.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
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
		d.adminClient, d.adminErr = admin.NewClient(cfg)
	})
	if d.adminErr != nil {
		diags.AddError("Unable to Create Secure Access Admin API Client", d.adminErr.Error())
	}
	return d.adminClient, diags
}

// scim builds the SCIM client, once, from settings that scimSettings
// found set. Resources and data sources get the client with scimFor.
func (d *providerData) scim() (*scim.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	d.scimOnce.Do(func() {
		d.scimClient, d.scimErr = scim.NewClient(scim.Config{
			URL:              d.scimURL,
			Token:            d.scimToken,
			UnbatchedRefresh: d.unbatchedRefresh,
			Config:           d.transportConfig(),
		})
	})
	if d.scimErr != nil {
		diags.AddError("Unable to Create SCIM Client", d.scimErr.Error())
	}
	return d.scimClient, diags
}

// opKind is what a resource, data source or list resource does when it
// asks for an API client.
type opKind int

const (
	opCreate opKind = iota // a resource's Create
	opRead                 // a resource's Read (refresh)
	opUpdate               // a resource's Update
	opDelete               // a resource's Delete
	opImport               // a resource's ImportState, before it reads anything
	opList                 // a list resource's List
	opLookup               // a data source's Read, or an import's lookup by name
	opPlan                 // a resource's ModifyPlan (SCIM: of a create or update)
)

// operation is an opKind with what its diagnostics name: the object a
// delete lets go from the state, the resource type and ID of an import.
type operation struct {
	kind                   opKind
	object                 string
	resourceType, importID string
}

var (
	opCreating  = operation{kind: opCreate}
	opReading   = operation{kind: opRead}
	opUpdating  = operation{kind: opUpdate}
	opListing   = operation{kind: opList}
	opLookingUp = operation{kind: opLookup}
	opPlanning  = operation{kind: opPlan}
)

// deleting is the delete of object, such as `SCIM user "jane" (id)`.
func deleting(object string) operation { return operation{kind: opDelete, object: object} }

// importing is the import of importID into resourceType.
func importing(resourceType, importID string) operation {
	return operation{kind: opImport, resourceType: resourceType, importID: importID}
}

// settingsState is the state of the provider settings an API client needs.
type settingsState int

const (
	settingsSet     settingsState = iota // known and present
	settingsUnknown                      // only known after apply
	settingsMissing                      // known, and the credential is not set
)

// apiKind is which of the two APIs a client is for.
type apiKind int

const (
	apiAdmin apiKind = iota
	apiSCIM
)

// verdict is what a client accessor answers.
type verdict int

const (
	// giveClient builds the client, once per provider, and returns it.
	giveClient verdict = iota
	// passCheck returns no client and no diagnostic: the operation needs
	// no client (yet), and nothing is wrong.
	passCheck
	// keepState returns no client and the "not refreshed" warning, once
	// per provider and API: the caller keeps the prior state. Terraform
	// configures the provider again for the apply, after the token exists.
	keepState
	// stateOnly returns no client and a warning naming the object: the
	// caller lets it go from the state.
	stateOnly
	// failUnknown is the error of settings only known after apply.
	failUnknown
	// failMissing is the error of a missing credential.
	failMissing
	// failImportMissing is failMissing for an import, naming its ID and
	// where the provider argument goes.
	failImportMissing
)

// clientVerdict holds every rule of the accessors: what an operation gets
// of an API in a state of its settings.
//
//   - Settings set: a client, except where the operation needs none yet
//     (an import's check, a SCIM plan check).
//   - Settings only known after apply (during plan: a resource of the same
//     configuration, typically the secureaccess_provisioning_token that
//     scim_token comes from, is created or replaced in this run; during
//     apply: only in a destroy, after that resource left the state):
//     a refresh keeps the prior state; a SCIM delete lets the object go
//     from the state, since no credential Terraform knows can reach it;
//     a plan check passes (the apply has the token); the rest cannot wait.
//   - A credential not set: an error, except for the admin import check,
//     whose read then says what is missing.
func clientVerdict(api apiKind, op opKind, s settingsState) verdict {
	switch s {
	case settingsUnknown:
		switch {
		case op == opRead:
			return keepState
		case op == opDelete && api == apiSCIM:
			return stateOnly
		case op == opPlan:
			return passCheck
		}
		return failUnknown
	case settingsMissing:
		switch {
		case op == opImport && api == apiSCIM:
			return failImportMissing
		case op == opImport:
			return passCheck
		}
		return failMissing
	}
	if op == opImport || op == opPlan && api == apiSCIM {
		return passCheck
	}
	return giveClient
}

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

// adminFor returns the admin API client for op, or nil with the
// diagnostics clientVerdict calls for. A nil client without error means
// the caller goes on without one (a check passed, a state kept).
func (d *providerData) adminFor(op operation) (*admin.Client, diag.Diagnostics) {
	return clientFor(d, apiAdmin, op, d.admin)
}

// scimFor returns the SCIM client for op, or nil with the diagnostics
// clientVerdict calls for. A nil client without error means the caller
// goes on without one (a check passed, a state kept, an object let go).
func (d *providerData) scimFor(op operation) (*scim.Client, diag.Diagnostics) {
	return clientFor(d, apiSCIM, op, d.scim)
}

// clientFor is adminFor and scimFor; build is the API's client builder.
func clientFor[C any](d *providerData, api apiKind, op operation, build func() (*C, diag.Diagnostics)) (*C, diag.Diagnostics) {
	if d == nil {
		return nil, notConfigured(op)
	}
	s := d.scimSettings()
	if api == apiAdmin {
		s = d.adminSettings()
	}
	switch v := clientVerdict(api, op.kind, s); v {
	case giveClient:
		return build()
	case passCheck:
		return nil, nil
	default:
		return nil, d.withoutClient(api, v, op)
	}
}

// withoutClient is the diagnostic of a verdict that gives no client and
// is not a passed check: it names the unknown or missing settings and
// where they are set.
func (d *providerData) withoutClient(api apiKind, v verdict, op operation) diag.Diagnostics {
	var diags diag.Diagnostics
	switch {
	case v == failUnknown && api == apiAdmin:
		diags.AddError("Secure Access Admin API Credentials Not Known Yet",
			"The provider's client_id, client_secret or base_url depends on a value that is only known after apply, "+
				"but this operation must call the Secure Access admin API now. Create the resources they come from first with "+
				"terraform apply -target=<resource>, then run terraform apply again.")
	case v == failUnknown:
		diags.AddError("SCIM Provisioning Token Not Known Yet",
			"The provider's scim_token, scim_url or base_url depends on a value that is only known after apply, "+
				"typically a secureaccess_provisioning_token that this run generates or rotates, so nothing can be read through SCIM until it exists.\n\n"+tokenFix)
	case v == failMissing && api == apiAdmin:
		diags.AddError("Missing Secure Access Admin API Credentials",
			"Directory integrations, provisioning tokens and identities use the Secure Access admin API, which needs an API key. "+
				"Set client_id and client_secret in the provider block, or the "+envClientID+" and "+envClientSecret+" environment variables.")
	case v == failMissing:
		diags.AddError("Missing SCIM Provisioning Token",
			"SCIM users, groups and memberships are managed with the provisioning token of a directory integration, and this provider has none. "+
				"Set scim_token in the provider block (for example from a secureaccess_provisioning_token resource), or the "+envSCIMToken+" environment variable. "+
				"If another provider block of this configuration has the token, such as the aliased secureaccess.scim of the one-apply bootstrap, "+
				"set provider = secureaccess.<alias> on this resource or data source.")
	case v == keepState && api == apiAdmin:
		return d.notRefreshed("Secure Access Objects Not Refreshed",
			"This provider's client_id, client_secret or base_url is only known after apply. Until then nothing can be read through the admin API, "+
				"so this plan keeps the last known state of directory integrations and provisioning tokens and does not show changes made outside Terraform. "+
				"The next plan checks them again.")
	case v == keepState:
		return d.notRefreshed("SCIM Objects Not Refreshed",
			"This provider's scim_token, scim_url or base_url is only known after apply: typically the secureaccess_provisioning_token it comes from "+
				"is generated or rotated in this run. Until that token exists nothing can be read through SCIM, so this plan keeps the last known state "+
				"of the SCIM users, groups and memberships and does not show changes made outside Terraform. "+
				"The apply uses the new token, and the next plan checks them again.")
	case v == stateOnly:
		diags.AddWarning("SCIM Object Removed From State Only",
			op.object+" could not be deleted through SCIM: the provisioning token this provider's scim_token comes from was regenerated or revoked "+
				"outside Terraform, so no token that Terraform knows can reach it. It is removed from the Terraform state only. "+
				"Destroying its directory integration in the same run deletes it with every other user and group of the directory. "+
				"If the directory integration stays, the object stays in Secure Access: run terraform apply to generate a new token, "+
				"then import the object or delete it with the new token.")
	case v == failImportMissing:
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
				"Otherwise set scim_token in the provider block, or the %[3]s environment variable.", op.importID, op.resourceType, envSCIMToken))
	}
	return diags
}

// notConfigured is what an accessor answers before the provider is
// configured (Terraform calls ModifyPlan and ImportState of a resource
// whose provider it has not configured in some validations): checks pass,
// everything else is a provider bug.
func notConfigured(op operation) diag.Diagnostics {
	var diags diag.Diagnostics
	if op.kind != opImport && op.kind != opPlan {
		diags.AddError("Provider Not Configured",
			"The secureaccess provider was not configured before this operation. This is a bug in the provider; please report it.")
	}
	return diags
}

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
