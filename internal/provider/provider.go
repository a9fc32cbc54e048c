// Package provider implements the secureaccess Terraform provider: directory
// integrations and provisioning tokens through the Secure Access admin API,
// and SCIM 2.0 users, groups and memberships through the provisioning
// endpoint.
package provider

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/float64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/admin"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// Environment variables read when the provider block leaves an attribute out.
const (
	envBaseURL      = "SECUREACCESS_BASE_URL"
	envClientID     = "SECUREACCESS_CLIENT_ID"
	envClientSecret = "SECUREACCESS_CLIENT_SECRET"
	envSCIMURL      = "SECUREACCESS_SCIM_URL"
	envSCIMToken    = "SECUREACCESS_SCIM_TOKEN"
	envInsecureHTTP = "SECUREACCESS_INSECURE_HTTP"
)

// scimPath is the SCIM provisioning endpoint's path under base_url.
const scimPath = scim.BasePath

var _ provider.Provider = &secureAccessProvider{}

// secureAccessProvider is the provider implementation.
type secureAccessProvider struct {
	version string
}

// secureAccessProviderModel maps the provider block.
type secureAccessProviderModel struct {
	BaseURL        types.String  `tfsdk:"base_url"`
	ClientID       types.String  `tfsdk:"client_id"`
	ClientSecret   types.String  `tfsdk:"client_secret"`
	SCIMURL        types.String  `tfsdk:"scim_url"`
	SCIMToken      types.String  `tfsdk:"scim_token"`
	MaxRetries     types.Int64   `tfsdk:"max_retries"`
	RequestTimeout types.Int64   `tfsdk:"request_timeout"`
	RateLimit      types.Float64 `tfsdk:"rate_limit"`
	InsecureHTTP   types.Bool    `tfsdk:"insecure_http"`
	BatchRefresh   types.Bool    `tfsdk:"batch_refresh"`
}

// New returns a constructor of the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &secureAccessProvider{version: version}
	}
}

func (p *secureAccessProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "secureaccess"
	resp.Version = p.version
}

func (p *secureAccessProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Manages Cisco Secure Access directory integrations, SCIM provisioning tokens, and the SCIM 2.0 users, groups and group memberships of a directory integration.\n\n" +
			"Two credentials exist, and each object needs only one of them: the admin API key (`client_id`, `client_secret`) for directory integrations, provisioning tokens and identities; the SCIM provisioning token (`scim_token`) for SCIM users, groups and memberships.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Base URL of the Secure Access API, with scheme, for example `https://api.sse.cisco.com` (the default) or `https://api.secureaccessfed.cisco.com` for Secure Access for Government. " +
					"It must use `https`, except for a loopback host (`localhost`, `127.0.0.0/8`, `::1`, such as the bundled mock) or when `insecure_http` is `true`. " +
					"It is not the provisioning URL the dashboard shows (`…" + scimPath + "`): the provider adds that path itself. " +
					"Can also be set with the `" + envBaseURL + "` environment variable.",
				Optional:   true,
				Validators: []validator.String{urlValidator{base: true}},
			},
			"client_id": schema.StringAttribute{
				MarkdownDescription: "Client ID of the Secure Access admin API key. Needed only by directory integrations, provisioning tokens and identities. Can also be set with the `" + envClientID + "` environment variable.",
				Optional:            true,
			},
			"client_secret": schema.StringAttribute{
				MarkdownDescription: "Client secret of the Secure Access admin API key. Needed only by directory integrations, provisioning tokens and identities. Can also be set with the `" + envClientSecret + "` environment variable.",
				Optional:            true,
				Sensitive:           true,
			},
			"scim_url": schema.StringAttribute{
				MarkdownDescription: "The SCIM 2.0 provisioning URL. Defaults to `base_url` followed by `" + scimPath + "`, which is the provisioning URL the dashboard shows. Can also be set with the `" + envSCIMURL + "` environment variable.",
				Optional:            true,
				Validators:          []validator.String{urlValidator{}},
			},
			"scim_token": schema.StringAttribute{
				MarkdownDescription: "The SCIM provisioning token of one directory integration; it selects the directory that SCIM users, groups and memberships belong to. Needed only by the `secureaccess_scim_*` resources and data sources. " +
					"It may come from a `secureaccess_provisioning_token` resource in the same configuration (see the guide \"One-apply bootstrap\"). Can also be set with the `" + envSCIMToken + "` environment variable.",
				Optional:  true,
				Sensitive: true,
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate limit (429), a temporary server error (502, 503, 504) or a network error, with exponential backoff and jitter, honouring `Retry-After`. Defaults to `%d`; `0` disables retries: every request is sent once.", transport.DefaultMaxRetries),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(0, 20)},
			},
			"request_timeout": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("Timeout of one HTTP request attempt, in seconds. Defaults to `%d`.", int(transport.DefaultRequestTimeout.Seconds())),
				Optional:            true,
				Validators:          []validator.Int64{int64validator.Between(1, 600)},
			},
			"rate_limit": schema.Float64Attribute{
				MarkdownDescription: fmt.Sprintf("Most admin API requests per second this provider sends. Defaults to `%d`, Cisco's documented limit per API key, "+
					"kept with Cisco's other limits on Cisco's hosts, and elsewhere (such as the bundled mock) once the service answers 429; "+
					"when set, kept on any host. See the guide \"Large configurations and rate limits\".", admin.DefaultRateLimit),
				Optional:   true,
				Validators: []validator.Float64{float64validator.Between(0.1, 1000)},
			},
			"batch_refresh": schema.BoolAttribute{
				MarkdownDescription: fmt.Sprintf("Refresh many resources in few requests. Defaults to `true`. "+
					"Directory integrations after the first come from one listing (10 cost 2 admin API requests); "+
					"SCIM users, groups and member lists past the first %d of a kind from a paged listing, once that costs no more than reading them one by one. "+
					"A listing lives for one Terraform command; a write invalidates it. "+
					"`false` reads each resource with its own request. See the guide \"Large configurations and rate limits\".", scim.RefreshThreshold),
				Optional: true,
			},
			"insecure_http": schema.BoolAttribute{
				MarkdownDescription: "Allow a plain `http` `base_url` or `scim_url` on a host that is not a loopback address. Credentials then travel unencrypted: use it only on a trusted test network. Defaults to `false`. " +
					"Can also be set with the `" + envInsecureHTTP + "` environment variable (`true` or `false`).",
				Optional: true,
			},
		},
	}
}

func (p *secureAccessProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg secureAccessProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	data := &providerData{version: p.version}
	data.baseURL = stringOrEnv(cfg.BaseURL, envBaseURL, admin.DefaultBaseURL)
	data.scimURL = stringOrEnv(cfg.SCIMURL, envSCIMURL, "")
	data.clientID = stringOrEnv(cfg.ClientID, envClientID, "")
	data.clientSecret = stringOrEnv(cfg.ClientSecret, envClientSecret, "")
	data.scimToken = stringOrEnv(cfg.SCIMToken, envSCIMToken, "")
	data.maxRetries = transportMaxRetries(cfg.MaxRetries)
	if !cfg.RequestTimeout.IsNull() && !cfg.RequestTimeout.IsUnknown() {
		data.requestTimeout = time.Duration(cfg.RequestTimeout.ValueInt64()) * time.Second
	}
	if !cfg.RateLimit.IsNull() && !cfg.RateLimit.IsUnknown() {
		data.rateLimit = cfg.RateLimit.ValueFloat64()
	}
	insecure, err := boolOrEnv(cfg.InsecureHTTP, envInsecureHTTP, false)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("insecure_http"), "Invalid Provider Setting",
			fmt.Sprintf("The %s environment variable (used because insecure_http is not set) is %q, which is not a boolean. Set it to true or false, or unset it.", envInsecureHTTP, os.Getenv(envInsecureHTTP)))
		return
	}
	data.unbatchedRefresh = !cfg.BatchRefresh.IsNull() && !cfg.BatchRefresh.IsUnknown() && !cfg.BatchRefresh.ValueBool()

	// Values that come from resources of the same configuration are unknown
	// while Terraform plans; nothing talks to the API then, so only remember
	// that they are not known yet (the one-apply bootstrap depends on it).
	data.baseURLUnknown = cfg.BaseURL.IsUnknown()
	data.scimURLUnknown = cfg.SCIMURL.IsUnknown()
	data.adminUnknown = cfg.ClientID.IsUnknown() || cfg.ClientSecret.IsUnknown()
	data.scimTokenUnknown = cfg.SCIMToken.IsUnknown()

	// A scim_url derived from base_url has its scheme and host: only the URLs
	// the user gave are checked, so that one mistake is one error about what
	// the user wrote.
	scimURLDerived := data.scimURL == ""
	if scimURLDerived && !data.baseURLUnknown {
		data.scimURL = strings.TrimRight(data.baseURL, "/") + scimPath
	}
	for _, u := range []struct {
		attr, env, value      string
		set, derived, unknown bool
	}{
		{"base_url", envBaseURL, data.baseURL, !cfg.BaseURL.IsNull(), false, data.baseURLUnknown},
		{"scim_url", envSCIMURL, data.scimURL, !cfg.SCIMURL.IsNull(), scimURLDerived, data.scimURLUnknown || data.baseURLUnknown},
	} {
		if u.unknown || u.derived || u.value == "" {
			continue
		}
		err := checkEndpoint(u.value, insecure)
		if parsed, perr := url.Parse(u.value); err == nil && perr == nil && u.attr == "base_url" {
			err = provisioningURLAsBase(parsed) // where the environment set it: the validator saw no value
		}
		if err != nil {
			source := u.attr
			if !u.set {
				source = fmt.Sprintf("The %s environment variable (used because %s is not set)", u.env, u.attr)
			}
			resp.Diagnostics.AddAttributeError(path.Root(u.attr), "Invalid Secure Access URL", fmt.Sprintf("%s is %q: %s.", source, u.value, err))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// Where Terraform can defer actions, an unknown credential defers every
	// resource and data source of this provider to a later plan instead of
	// planning with the last known state (see refreshDeferred).
	if req.ClientCapabilities.DeferralAllowed && (data.scimSettings() == settingsUnknown || data.adminSettings() == settingsUnknown) {
		resp.Deferred = &provider.Deferred{Reason: provider.DeferredReasonProviderConfigUnknown}
	} else {
		// A wrong credential or an unreachable service is one error here,
		// not one per resource (see checkAPIs). Deferred, nothing is called.
		scimURLSource := settingSource("scim_url", envSCIMURL, !cfg.SCIMURL.IsNull())
		if scimURLDerived {
			scimURLSource = settingSource("base_url", envBaseURL, !cfg.BaseURL.IsNull()) + " followed by " + scimPath
		}
		if resp.Diagnostics.Append(data.checkAPIs(ctx, scimURLSource)...); resp.Diagnostics.HasError() {
			return
		}
	}
	resp.ResourceData = data
	resp.DataSourceData = data
	resp.ListResourceData = data
}

// settingSource names where a setting's value came from: the attribute
// attr, else the environment variable env, else the default.
func settingSource(attr, env string, set bool) string {
	switch {
	case set:
		return attr
	case os.Getenv(env) != "":
		return "the " + env + " environment variable"
	default:
		return "the default of " + attr
	}
}

// transportMaxRetries maps max_retries to transport.Config.MaxRetries,
// where 0 means the default and a negative number no retries.
func transportMaxRetries(v types.Int64) int {
	switch {
	case v.IsNull() || v.IsUnknown():
		return 0 // transport.DefaultMaxRetries
	case v.ValueInt64() == 0:
		return -1
	default:
		return int(v.ValueInt64())
	}
}

func (p *secureAccessProvider) Resources(_ context.Context) []func() resource.Resource {
	return resourceConstructors
}

func (p *secureAccessProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return dataSourceConstructors
}

// stringOrEnv returns the attribute's value when set, else the environment
// variable's, else def.
func stringOrEnv(v types.String, env, def string) string {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueString()
	}
	if e := os.Getenv(env); e != "" {
		return e
	}
	return def
}

// boolOrEnv returns the attribute's value when set, else the environment
// variable's parsed by strconv.ParseBool (true, false, 1, 0, …), else def.
// An unknown attribute counts as not set, as in stringOrEnv. The error is
// that the variable's value is not a boolean.
func boolOrEnv(v types.Bool, env string, def bool) (bool, error) {
	if !v.IsNull() && !v.IsUnknown() {
		return v.ValueBool(), nil
	}
	e := os.Getenv(env)
	if e == "" {
		return def, nil
	}
	return strconv.ParseBool(e)
}

// checkEndpoint accepts an absolute http(s) URL; plain http only for a
// loopback host or when insecure is set. The error says what is wrong with
// the URL and how to fix it; the caller names the URL.
func checkEndpoint(raw string, insecure bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return errors.New("not an absolute URL with a scheme and a host. Use one such as https://api.sse.cisco.com")
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		if insecure || transport.IsLoopback(u.Hostname()) {
			return nil
		}
		return errors.New("plain http on a host that is not a loopback address, so credentials would travel unencrypted. " +
			"Use an https URL, or set insecure_http = true in the provider block if this host is on a trusted test network")
	default:
		return errors.New("not an https URL: the https scheme is required, as in https://api.sse.cisco.com")
	}
}
