package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// One mistake, one heading: a wrong credential or a service that cannot be
// reached fails every resource and data source of a provider
// configuration. Found while Terraform configures the provider, it is one
// error, and Terraform reads and changes nothing with that configuration;
// found by the resources, it is one error per resource (the first in full,
// the others one line each, see addAPIError). So Configure checks each API
// whose settings are known and set, where the check costs little:
//
//   - admin API: the access token, fetched through the admin client's own
//     token cache, is the token the first admin call of the process uses.
//     A command that calls the admin API spends no extra token request
//     (Cisco allows 20 a minute per API key); one that does not spends one.
//   - SCIM: one list request for one user. Every SCIM service answers it
//     (startIndex and count, no filter). The SCIM endpoint has no documented
//     rate limit, so one request per provider process is the accepted cost.
//
// Settings only known after apply (a scim_token from a
// secureaccess_provisioning_token of the same configuration, while
// Terraform plans) skip the check of their API, and so does an API whose
// credentials are not set. Rejected credentials, a service that cannot be
// reached and, for SCIM, a URL where no SCIM endpoint answers (404: a
// wrong scim_url or base_url) end Configure with one error; failures that
// a later request may not meet (5xx after the retries, 429, …) are a
// warning, and left to the resources.
// A failure that starts after Configure, such as a token revoked during
// the apply, is still one full error and one line per resource
// (transport.Config.FailFast).

// checkAPIs checks the credentials of each API that is set, known and
// reachable at Configure, and returns at most one error per mistake: a
// service that the admin check could not reach is not asked again by the
// SCIM check when both live at the same scheme and host. scimURLSource
// names the setting the SCIM URL came from, for a 404.
func (d *providerData) checkAPIs(ctx context.Context, scimURLSource string) diag.Diagnostics {
	var diags diag.Diagnostics
	unreachable := ""
	if d.adminSettings() == settingsSet {
		if err := d.checkAdmin(ctx, &diags); isUnreachableFailure(err) {
			unreachable, _ = requestTarget(err)
		}
	}
	if d.scimSettings() == settingsSet && d.scimURL != "" && (unreachable == "" || unreachable != origin(d.scimURL)) {
		d.checkSCIM(ctx, scimURLSource, &diags)
	}
	return diags
}

// checkAdmin obtains the admin client's access token, adds an error for a
// rejected API key or an unreachable service, and returns the token
// request's error.
func (d *providerData) checkAdmin(ctx context.Context, diags *diag.Diagnostics) error {
	// Each check goes on whatever the other found.
	var clientDiags diag.Diagnostics
	client, ok := d.adminClient(&clientDiags)
	if diags.Append(clientDiags...); !ok {
		return nil
	}
	ctx, endWaits := watchRateWaits(ctx, "Checking the admin API key")
	defer endWaits(diags)
	err := client.Authorize(ctx)
	configureCheck{what: "Obtaining an access token for the admin API", rejected: "Secure Access Admin API Key Rejected"}.add(diags, err)
	return err
}

// checkSCIM sends the one SCIM request of the check and adds an error for
// a rejected token, an unreachable service or a URL with no SCIM endpoint.
func (d *providerData) checkSCIM(ctx context.Context, urlSource string, diags *diag.Diagnostics) {
	var clientDiags diag.Diagnostics
	client, ok := d.scimClient(&clientDiags)
	if diags.Append(clientDiags...); !ok {
		return
	}
	_, err := client.Users.List(ctx, &scim.ListOptions{StartIndex: 1, Count: 1})
	configureCheck{
		what:     "Checking the SCIM provisioning token (one request for one user)",
		rejected: "SCIM Provisioning Token Rejected",
		notFound: fmt.Sprintf("No SCIM endpoint answers at %s, the SCIM URL taken from %s. Secure Access serves it at base_url followed by %s (%s): "+
			"set base_url to the API's address without a path, and leave scim_url unset unless the SCIM endpoint is elsewhere.",
			withoutUserInfo(d.scimURL), urlSource, scimPath, scim.DefaultURL),
	}.add(diags, err)
}

// configureCheck is what the diagnostics of one check of Configure say.
type configureCheck struct {
	what     string // the request, in a sentence's words
	rejected string // the summary of rejected credentials
	notFound string // the fix of a 404; empty: a 404 is only a warning
}

// add adds the error of the check's failure err: rejected credentials and
// an unreachable service with the fix that errors.go gives any request
// that meets them, and a 404 when c has its fix. Any other failure is
// a warning only: the resources meet it, if it lasts.
func (c configureCheck) add(diags *diag.Diagnostics, err error) {
	var summary, fix string
	switch {
	case err == nil:
		return
	case errors.Is(err, transport.ErrUnauthorized):
		summary, fix = c.rejected, credentialsFix(err)
	case isUnreachableFailure(err):
		summary, fix = "Secure Access Not Reachable", unreachableFix(err)
	case isNotFound(err) && c.notFound != "":
		summary, fix = "SCIM Endpoint Not Found", c.notFound
	default:
		// Not silent: the check's retries took time the user should see
		// accounted for, and the resources may meet the same failure.
		diags.AddWarning("Secure Access Check Not Completed", fmt.Sprintf("%s failed when Terraform configured the provider, after its retries: %s\n\n"+
			"The provider goes on: each resource and data source sends its own requests, and meets this failure again if it lasts.", c.what, err))
		return
	}
	diags.AddError(summary, fmt.Sprintf("%s when Terraform configured the provider: %s\n\n%s\n\n"+
		"Terraform read and changed nothing with this provider configuration.", c.what, err, fix))
}

// isUnreachableFailure reports whether err is the fail-fast failure of a
// service that could not be reached.
func isUnreachableFailure(err error) bool {
	var failed *transport.FailedError
	return errors.As(err, &failed) && failed.Unreachable
}

// origin is the scheme and host of raw, as requestTarget gives them.
func origin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// withoutUserInfo is raw without any user information, query or fragment:
// a URL fit for a message.
func withoutUserInfo(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the configured URL"
	}
	u.User, u.RawQuery, u.Fragment = nil, "", ""
	return u.String()
}
