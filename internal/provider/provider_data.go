package provider

import (
	"context"
	"fmt"
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
	}
}

// tokenFix is the way out when a data source, an import or a create needs
// the SCIM API while the provider's token is only known after apply. The
// indented lines are commands: Terraform prints them as they are.
const tokenFix = "A data source is read during apply, after the new token exists, when it depends on the token resource that scim_token comes from:\n\n" +
	"  depends_on = [secureaccess_provisioning_token.<name>]\n\n" +
	"Otherwise create the token first, then everything else:\n\n" +
	"  terraform apply -target=secureaccess_provisioning_token.<name>\n" +
	"  terraform apply"

// adminConfigUnknown reports whether a setting the admin API client needs
// is only known after apply.
func (d *providerData) adminConfigUnknown() bool { return d.adminUnknown || d.baseURLUnknown }

// scimConfigUnknown reports whether a setting the SCIM client needs is only
// known after apply. During plan that means a resource of the same
// configuration, typically the secureaccess_provisioning_token the
// scim_token comes from, is created or replaced in this run; during apply
// it only happens in a destroy, after that resource left the state. An
// unknown base_url counts only when the SCIM URL is derived from it: a
// known scim_url does not need it.
func (d *providerData) scimConfigUnknown() bool {
	return d.scimTokenUnknown || d.scimURLUnknown || d.baseURLUnknown && d.scimURL == ""
}

// admin returns the admin API client, or a diagnostic that names the missing
// provider attributes and environment variables.
func (d *providerData) admin() (*admin.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case d.adminConfigUnknown():
		diags.AddError("Secure Access Admin API Credentials Not Known Yet",
			"The provider's client_id, client_secret or base_url depends on a value that is only known after apply, "+
				"but this operation must call the Secure Access admin API now. Create the resources they come from first with "+
				"terraform apply -target=<resource>, then run terraform apply again.")
		return nil, diags
	case d.clientID == "" || d.clientSecret == "":
		diags.AddError("Missing Secure Access Admin API Credentials",
			"Directory integrations, provisioning tokens and identities use the Secure Access admin API, which needs an API key. "+
				"Set client_id and client_secret in the provider block, or the "+envClientID+" and "+envClientSecret+" environment variables.")
		return nil, diags
	}
	d.adminOnce.Do(func() {
		tc := d.transportConfig()
		if d.rateLimit > 0 {
			tc.RateLimit = d.rateLimit
		}
		d.adminClient, d.adminErr = admin.NewClient(admin.Config{
			BaseURL:      d.baseURL,
			ClientID:     d.clientID,
			ClientSecret: d.clientSecret,
			Config:       tc,
		})
	})
	if d.adminErr != nil {
		diags.AddError("Unable to Create Secure Access Admin API Client", d.adminErr.Error())
	}
	return d.adminClient, diags
}

// scim returns the SCIM client, or a diagnostic that names the missing
// provider attribute and environment variable.
func (d *providerData) scim() (*scim.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case d.scimConfigUnknown():
		diags.AddError("SCIM Provisioning Token Not Known Yet",
			"The provider's scim_token, scim_url or base_url depends on a value that is only known after apply, "+
				"typically a secureaccess_provisioning_token that this run generates or rotates, so nothing can be read through SCIM until it exists.\n\n"+tokenFix)
		return nil, diags
	case d.scimToken == "":
		diags.AddError("Missing SCIM Provisioning Token",
			"SCIM users, groups and memberships are managed with the provisioning token of a directory integration, and this provider has none. "+
				"Set scim_token in the provider block (for example from a secureaccess_provisioning_token resource), or the "+envSCIMToken+" environment variable. "+
				"If another provider block of this configuration has the token, such as the aliased secureaccess.scim of the one-apply bootstrap, "+
				"set provider = secureaccess.<alias> on this resource or data source.")
		return nil, diags
	}
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

// scimKnown is the error of an import while the SCIM settings are only
// known after apply: an import must read the object, so it cannot wait.
func (d *providerData) scimKnown() diag.Diagnostics {
	if d == nil || !d.scimConfigUnknown() {
		return nil
	}
	_, diags := d.scim()
	return diags
}

// scimImportable is the error of an import into resourceType with the
// import ID id while the SCIM settings are only known after apply
// (scimKnown), or while this provider configuration has no SCIM token at
// all: typically an import into a resource block, or one that
// -generate-config-out writes, without provider = secureaccess.<alias>.
// Terraform prints neither a file nor a resource address with an import's
// errors, so the error names the import ID and says where the provider
// argument goes.
func (d *providerData) scimImportable(resourceType, id string) diag.Diagnostics {
	if d == nil || d.scimConfigUnknown() || d.scimToken != "" {
		return d.scimKnown()
	}
	var diags diag.Diagnostics
	diags.AddError("Missing SCIM Provisioning Token",
		fmt.Sprintf("The import of %[1]q into %[2]s needs a SCIM provisioning token, and the provider configuration it ran with has none. "+
			"An import runs with the provider configuration of the resource it imports into. If another provider block has the token, "+
			"such as the aliased secureaccess.scim of the one-apply bootstrap, set provider in the resource block:\n\n"+
			"  resource %[2]q \"<name>\" {\n    provider = secureaccess.scim\n    ...\n  }\n\n"+
			"When terraform plan -generate-config-out writes the resource block, set provider in the import block instead "+
			"(Terraform accepts it there only then):\n\n"+
			"  import {\n    provider = secureaccess.scim\n    to       = %[2]s.<name>\n    id       = %[1]q\n  }\n\n"+
			"Otherwise set scim_token in the provider block, or the %[3]s environment variable.", id, resourceType, envSCIMToken))
	return diags
}

// adminKnown is scimKnown for the admin API.
func (d *providerData) adminKnown() diag.Diagnostics {
	if d == nil || !d.adminConfigUnknown() {
		return nil
	}
	_, diags := d.admin()
	return diags
}

// scimTokenAbsent is the plan-time error of a resource that is created or
// updated through a provider with no SCIM token at all (typically a
// forgotten provider = secureaccess.<alias>): the plan fails instead of the
// apply.
func (d *providerData) scimTokenAbsent(req resource.ModifyPlanRequest) diag.Diagnostics {
	if d == nil || req.Plan.Raw.IsNull() || d.scimConfigUnknown() || d.scimToken != "" {
		return nil
	}
	_, diags := d.scim()
	return diags
}

// scimForRead returns the SCIM client to refresh a resource with. While the
// SCIM settings are only known after apply it returns nil and no error, so
// that the caller keeps the prior state and the plan goes on: Terraform
// configures the provider again for the apply, after the token exists.
func (d *providerData) scimForRead() (*scim.Client, diag.Diagnostics) {
	if !d.scimConfigUnknown() {
		return d.scim()
	}
	return nil, d.notRefreshed("SCIM Objects Not Refreshed",
		"This provider's scim_token, scim_url or base_url is only known after apply: typically the secureaccess_provisioning_token it comes from "+
			"is generated or rotated in this run. Until that token exists nothing can be read through SCIM, so this plan keeps the last known state "+
			"of the SCIM users, groups and memberships and does not show changes made outside Terraform. "+
			"The apply uses the new token, and the next plan checks them again.")
}

// adminForRead is scimForRead for the admin API: nil and no error while
// the admin API settings are only known after apply.
func (d *providerData) adminForRead() (*admin.Client, diag.Diagnostics) {
	if !d.adminConfigUnknown() {
		return d.admin()
	}
	return nil, d.notRefreshed("Secure Access Objects Not Refreshed",
		"This provider's client_id, client_secret or base_url is only known after apply. Until then nothing can be read through the admin API, "+
			"so this plan keeps the last known state of directory integrations and provisioning tokens and does not show changes made outside Terraform. "+
			"The next plan checks them again.")
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

// scimForDelete returns the SCIM client to delete object with. When the
// SCIM settings are unknown while Terraform applies, which only happens in
// a destroy after the secureaccess_provisioning_token the scim_token comes
// from was regenerated or revoked outside Terraform (so it left the state),
// no credential can reach the object: it returns nil with a warning, and
// the caller lets the object go from the state. Deleting its directory
// integration, as destroying the one-apply bootstrap does, deletes it.
func (d *providerData) scimForDelete(object string) (*scim.Client, diag.Diagnostics) {
	if !d.scimConfigUnknown() {
		return d.scim()
	}
	var diags diag.Diagnostics
	diags.AddWarning("SCIM Object Removed From State Only",
		object+" could not be deleted through SCIM: the provisioning token this provider's scim_token comes from was regenerated or revoked "+
			"outside Terraform, so no token that Terraform knows can reach it. It is removed from the Terraform state only. "+
			"Destroying its directory integration in the same run deletes it with every other user and group of the directory. "+
			"If the directory integration stays, the object stays in Secure Access: run terraform apply to generate a new token, "+
			"then import the object or delete it with the new token.")
	return nil, diags
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

// tflogLogger routes the clients' request log lines to Terraform's log.
// The clients never pass headers, bodies or tokens to it.
type tflogLogger struct{}

func (tflogLogger) Debug(ctx context.Context, msg string, fields map[string]any) {
	tflog.Debug(ctx, msg, fields)
}
