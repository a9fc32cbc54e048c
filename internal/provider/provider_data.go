package provider

import (
	"context"
	"fmt"
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
}

// transportConfig is the shared HTTP configuration of both clients.
func (d *providerData) transportConfig() transport.Config {
	return transport.Config{
		MaxRetries:     d.maxRetries,
		RequestTimeout: d.requestTimeout,
		UserAgent:      "terraform-provider-secureaccess/" + d.version,
		Logger:         tflogLogger{},
	}
}

// admin returns the admin API client, or a diagnostic that names the missing
// provider attributes and environment variables.
func (d *providerData) admin() (*admin.Client, diag.Diagnostics) {
	var diags diag.Diagnostics
	switch {
	case d.adminUnknown || d.baseURLUnknown:
		diags.AddError("Secure Access Admin API Credentials Not Known Yet",
			"The provider's client_id, client_secret or base_url depends on a value that is only known after apply, "+
				"but this operation must call the Secure Access admin API now. Apply the resources they come from first.")
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
	case d.scimTokenUnknown || d.scimURLUnknown || d.baseURLUnknown:
		diags.AddError("SCIM Provisioning Token Not Known Yet",
			"The provider's scim_token, scim_url or base_url depends on a value that is only known after apply, "+
				"but this operation must call the SCIM API now. Apply the resources they come from first.")
		return nil, diags
	case d.scimToken == "":
		diags.AddError("Missing SCIM Provisioning Token",
			"SCIM users, groups and memberships are managed with the provisioning token of a directory integration. "+
				"Set scim_token in the provider block (for example from a secureaccess_provisioning_token resource), or the "+envSCIMToken+" environment variable.")
		return nil, diags
	}
	d.scimOnce.Do(func() {
		d.scimClient, d.scimErr = scim.NewClient(scim.Config{
			URL:    d.scimURL,
			Token:  d.scimToken,
			Config: d.transportConfig(),
		})
	})
	if d.scimErr != nil {
		diags.AddError("Unable to Create SCIM Client", d.scimErr.Error())
	}
	return d.scimClient, diags
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
