// Package admin is a client for the Cisco Secure Access management API
// parts the provider needs: directory integrations, their SCIM provisioning
// tokens, and the Reports identities that policies refer to. It
// authenticates with OAuth2 client credentials against /auth/v2/token.
package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// DefaultBaseURL is the Secure Access API; Secure Access for Government is
// https://api.secureaccessfed.cisco.com.
const DefaultBaseURL = "https://api.sse.cisco.com"

// Default client-side rate limit: Cisco's documented 5 requests per second
// per API key.
const (
	DefaultRateLimit = 5
	DefaultBurst     = 5
)

// tokenPath is the OAuth2 token endpoint, relative to the base URL.
const tokenPath = "/auth/v2/token"

// pageSize is the largest page the list endpoints serve.
const pageSize = 100

// Config configures a Client.
type Config struct {
	// BaseURL defaults to DefaultBaseURL.
	BaseURL string
	// ClientID and ClientSecret are the API key's credentials.
	ClientID, ClientSecret string
	// Config holds the transport settings. A zero RateLimit means
	// DefaultRateLimit (Burst DefaultBurst); math.Inf(1) means no limit.
	transport.Config
}

// Client is the management API client. It is safe for concurrent use.
type Client struct {
	// DirectoryIntegrations manages directory integrations.
	DirectoryIntegrations *DirectoryIntegrationsService
	// ProvisioningTokens manages the SCIM token of a directory integration.
	ProvisioningTokens *ProvisioningTokensService
	// Identities searches the Reports identities.
	Identities *IdentitiesService
}

// NewClient returns a Client. No request is sent until the first call; an
// access token is fetched then and cached until shortly before it expires.
func NewClient(cfg Config) (*Client, error) {
	if cfg.ClientID == "" || cfg.ClientSecret == "" {
		return nil, errors.New("admin: client ID and client secret are required")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if cfg.RateLimit == 0 {
		cfg.RateLimit, cfg.Burst = DefaultRateLimit, DefaultBurst
	}
	tokenURL, err := url.JoinPath(cfg.BaseURL, tokenPath)
	if err != nil {
		return nil, fmt.Errorf("admin: base URL: %w", err)
	}
	auth := newTokenCache(cfg, tokenURL)
	tc, err := transport.New(cfg.Config, transport.Endpoint{BaseURL: cfg.BaseURL, MediaType: "application/json", Auth: auth})
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	return &Client{
		DirectoryIntegrations: &DirectoryIntegrationsService{tc: tc},
		ProvisioningTokens:    &ProvisioningTokensService{tc: tc},
		Identities:            &IdentitiesService{tc: tc},
	}, nil
}

// page is the admin API's list envelope.
type page[T any] struct {
	Data  []T `json:"data"`
	Total int `json:"total"`
}

// listAll fetches every page of an offset/limit list: it stops at total when
// the service reports one, else at the first short page.
func listAll[T any](ctx context.Context, tc *transport.Client, path string, query url.Values) ([]T, error) {
	if query == nil {
		query = url.Values{}
	}
	query.Set("limit", strconv.Itoa(pageSize))
	var all []T
	for offset := 0; ; {
		query.Set("offset", strconv.Itoa(offset))
		var p page[T]
		if _, err := tc.Do(ctx, transport.Request{Method: http.MethodGet, Path: path, Query: query}, &p); err != nil {
			return nil, err
		}
		all = append(all, p.Data...)
		offset += len(p.Data)
		if len(p.Data) < pageSize || (p.Total > 0 && offset >= p.Total) {
			return all, nil
		}
	}
}
