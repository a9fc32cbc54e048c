// Package admin is a client for the Cisco Secure Access management API
// parts the provider needs: directory integrations, their SCIM provisioning
// tokens, and the Reports identities that policies refer to. It
// authenticates with OAuth2 client credentials against /auth/v2/token.
//
// An error names the request (method and URL path), the status and the
// service's message, and matches the sentinel errors of package transport;
// it does not repeat the caller's arguments, which the caller names in its
// own message once.
//
// It imports no terraform-plugin-* package, so any Go program can use it.
package admin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// DefaultBaseURL is the Secure Access API; Secure Access for Government is
// https://api.secureaccessfed.cisco.com.
const DefaultBaseURL = "https://api.sse.cisco.com"

// DefaultRateLimit is Cisco's documented limit of admin API requests per
// second per API key.
const DefaultRateLimit = 5

// DefaultWindows returns Cisco's documented limits of the admin scope per API
// key: 5 requests per second, 14 per minute and 350 per 30 minutes. A
// client keeps every attempt inside all three, as sliding windows.
func DefaultWindows() []transport.Window {
	return []transport.Window{{Limit: DefaultRateLimit, Period: time.Second}, {Limit: 14, Period: time.Minute}, {Limit: 350, Period: 30 * time.Minute}}
}

// DefaultTokenWindows returns Cisco's documented limit of the token
// endpoint per API key: 20 requests per minute.
func DefaultTokenWindows() []transport.Window {
	return []transport.Window{{Limit: 20, Period: time.Minute}}
}

// RateWindow is the per-second window of a rate of perSecond requests per
// second: floor(perSecond) requests (at least one) per the time they take
// at that rate, e.g. 5 per second, 2 per 800ms for 2.5, 1 per 10s for 0.1.
func RateWindow(perSecond float64) transport.Window {
	n := max(1, int(math.Floor(perSecond)))
	return transport.Window{Limit: n, Period: time.Duration(float64(n) / perSecond * float64(time.Second))}
}

// CiscoHost reports whether host is Cisco's (cisco.com or a name under
// it, such as api.sse.cisco.com and api.secureaccessfed.cisco.com), where
// the documented rate limits apply.
func CiscoHost(host string) bool {
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	return host == "cisco.com" || strings.HasSuffix(host, ".cisco.com")
}

// pageSize is the largest page the list endpoints serve.
const pageSize = 100

// Config configures a Client.
type Config struct {
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// ClientID and ClientSecret are the API key's credentials.
	ClientID, ClientSecret string
	// Config holds the transport settings. Nil Windows mean
	// DefaultWindows, with the per-second one replaced by RateWindow(RateLimit)
	// when RateLimit is set; RateLimit math.Inf(1) means no client-side
	// limit at all (neither windows nor token windows). WindowKey is always
	// the token URL and the client ID: every Client of the process with the
	// same API key counts against the same windows, as the service does.
	//
	// Cisco's windows are Cisco's: with nil Windows and no RateLimit, they
	// hold from the first request only on Cisco's hosts (CiscoHost); on
	// any other (the bundled mock, a test double) they wait until the
	// service answers 429 (transport.Config.WindowsOnceLimited), so that a
	// service that does not limit never makes a call wait.
	transport.Config
	// TokenWindows limit the token requests; nil means DefaultTokenWindows.
	TokenWindows []transport.Window
	// UnbatchedRefresh makes DirectoryIntegrationsService.Read a GET by id
	// every time, as Get.
	UnbatchedRefresh bool
}

// Client is the management API client. It is safe for concurrent use.
type Client struct {
	// DirectoryIntegrations manages directory integrations.
	DirectoryIntegrations *DirectoryIntegrationsService
	// ProvisioningTokens manages the SCIM token of a directory integration.
	ProvisioningTokens *ProvisioningTokensService
	// Identities searches the Reports identities.
	Identities *IdentitiesService

	tc *transport.Client
}

// NewClient returns a Client. No request is sent until the first call; an
// access token is fetched then (POST /auth/v2/token, client credentials in
// Basic auth) and cached until shortly before it expires: a tenth of its
// lifetime early, at most a minute. Concurrent calls share one token
// request, which is not cancelled with the call that started it. A 401 from
// an API call fetches a new token once and repeats the call once. Rejected
// credentials cost one token request and give an error that matches
// transport.ErrUnauthorized and says "the API key was rejected: check the
// client ID and client secret", never the secret.
func NewClient(cfg Config) (*Client, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("admin: client ID and client secret are required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	tokenURL, err := url.JoinPath(cfg.BaseURL, tokenPath)
	if err != nil {
		return nil, fmt.Errorf("admin: base URL: %w", err)
	}
	cfg = cfg.withWindows(tokenURL)
	auth := sharedTokenCache(cfg, tokenURL)
	tc, err := transport.New(cfg.Config, transport.Endpoint{BaseURL: cfg.BaseURL, MediaType: "application/json", Auth: auth})
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	cached := new(readcache.Generation)
	var reads *directoryReads
	if !cfg.UnbatchedRefresh {
		reads = newDirectoryReads(tc, cached)
	}
	return &Client{
		DirectoryIntegrations: &DirectoryIntegrationsService{tc: tc, cached: cached, reads: reads},
		ProvisioningTokens:    &ProvisioningTokensService{tc: tc, cached: cached},
		Identities:            &IdentitiesService{tc: tc},
		tc:                    tc,
	}, nil
}

// Authorize obtains the access token the next call uses, sending no API
// request: the token request that call would have sent, made now, so that
// a program that calls the API anyway checks the API key up front at no
// extra cost (one token request when no call follows). Rejected credentials
// give the error a call would (transport.ErrUnauthorized, "the API key was
// rejected"), and so does a service that cannot be reached, after the
// retries of a call; with transport.Config.FailFast every later call then
// fails at once with the same *transport.Failure.
func (c *Client) Authorize(ctx context.Context) error {
	return c.tc.Authorize(ctx)
}

// withWindows resolves the client-side limits: the windows, the token
// windows and the key they are shared under. The token bucket of
// transport.Config.RateLimit is not used: the per-second window replaces it.
func (cfg Config) withWindows(tokenURL string) Config {
	rateLimit := cfg.RateLimit
	cfg.RateLimit, cfg.Burst = 0, 0
	if math.IsInf(rateLimit, 1) {
		cfg.Windows, cfg.TokenWindows = nil, nil
		return cfg
	}
	if cfg.Windows == nil {
		cfg.Windows = DefaultWindows()
		if rateLimit > 0 {
			cfg.Windows[0] = RateWindow(rateLimit)
		}
		if u, err := url.Parse(tokenURL); err == nil && rateLimit == 0 && !CiscoHost(u.Hostname()) {
			cfg.WindowsOnceLimited = true
		}
	}
	if cfg.TokenWindows == nil {
		cfg.TokenWindows = DefaultTokenWindows()
	}
	cfg.WindowKey = tokenURL + "\n" + cfg.ClientID
	return cfg
}

// maxPages bounds the requests of one list: a million items at pageSize.
// It ends a list that a service would page forever, such as full pages of
// new items without a total, or with a total they never reach.
const maxPages = 10_000

// ErrInconsistentPages: a list endpoint answered pages that cannot end the
// list: the same full page for two offsets (the service ignores offset), or
// full pages beyond maxPages. The list is not returned, since it would be
// incomplete or hold duplicates.
var ErrInconsistentPages = errors.New("inconsistent list pages")

// page is the admin API's list envelope.
type page[T any] struct {
	Data  []T
	Total int
	// raw is the data array as the service sent it, to tell a repeated
	// page from the next one.
	raw json.RawMessage
}

// UnmarshalJSON implements json.Unmarshaler, keeping the raw data array.
func (p *page[T]) UnmarshalJSON(b []byte) error {
	var env struct {
		Data  json.RawMessage `json:"data"`
		Total int             `json:"total"`
	}
	if err := json.Unmarshal(b, &env); err != nil {
		return err
	}
	p.Data, p.Total, p.raw = nil, env.Total, env.Data
	if len(env.Data) == 0 {
		return nil
	}
	return json.Unmarshal(env.Data, &p.Data)
}

// listAll fetches every page of an offset/limit list: it stops at an empty
// or short page, or at total when the service reports one (the identities
// search does not). A service that answers full pages forever gets
// ErrInconsistentPages instead of being paged until the context ends.
func listAll[T any](ctx context.Context, tc *transport.Client, path string, query url.Values) ([]T, error) {
	return listPages[T](ctx, tc, path, query, maxPages)
}

// listPages is listAll with at most maxRequests requests.
func listPages[T any](ctx context.Context, tc *transport.Client, path string, query url.Values, maxRequests int) ([]T, error) {
	if query == nil {
		query = url.Values{}
	}
	query.Set("limit", strconv.Itoa(pageSize))
	var all []T
	var prev json.RawMessage
	for requests, offset := 1, 0; ; requests++ {
		query.Set("offset", strconv.Itoa(offset))
		var p page[T]
		if _, err := tc.Do(ctx, transport.Request{Method: http.MethodGet, Path: path, Query: query}, &p); err != nil {
			return nil, err
		}
		if len(p.Data) < pageSize { // an empty or short page is the last
			return append(all, p.Data...), nil
		}
		if bytes.Equal(p.raw, prev) {
			return nil, fmt.Errorf("GET %s: %w: offset %d answered the same %d items as the page before it",
				path, ErrInconsistentPages, offset, len(p.Data))
		}
		all = append(all, p.Data...)
		offset += len(p.Data)
		if p.Total > 0 && offset >= p.Total {
			return all, nil
		}
		if requests >= maxRequests {
			return nil, fmt.Errorf("GET %s: %w: still full pages after %d requests (%d items, total %d)",
				path, ErrInconsistentPages, requests, len(all), p.Total)
		}
		prev = p.raw
	}
}
