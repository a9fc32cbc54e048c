package admin

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// maxRefreshMargin is how long before expiry a token is replaced; shorter
// for short-lived tokens (a tenth of their lifetime).
const maxRefreshMargin = time.Minute

// tokenCache is the transport.Authorizer of the admin API: one cached OAuth2
// access token, fetched on first use and again shortly before it expires or
// after the API rejected it.
//
// A token request runs on context.WithoutCancel of the call that needs it,
// with the request timeout of its own: it keeps the caller's values (the
// provider's logger) but is never cancelled with the caller. The token
// source itself is bound to no context at all, unlike Cisco's SDK, which
// binds it to Terraform's Configure context so that every refresh after
// Configure fails with "context canceled".
type tokenCache struct {
	cfg     clientcredentials.Config
	client  *http.Client
	timeout time.Duration

	mu        sync.Mutex
	token     *oauth2.Token
	refreshAt time.Time
}

// newTokenCache returns the Authorizer for cfg's credentials.
func newTokenCache(cfg Config, tokenURL string) *tokenCache {
	client := transport.NewTokenHTTPClient(cfg.Config)
	return &tokenCache{
		cfg: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     tokenURL,
			// Basic auth only: auto-detection would send a second request
			// with the credentials in the body after a 401.
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		client:  client,
		timeout: client.Timeout,
	}
}

// Authorization implements transport.Authorizer.
func (c *tokenCache) Authorization(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token == nil || !time.Now().Before(c.refreshAt) {
		if err := c.fetch(ctx); err != nil {
			return "", err
		}
	}
	return "Bearer " + c.token.AccessToken, nil
}

// Invalidate implements transport.Authorizer: it drops the cached token if it
// is still the one the API rejected, so that concurrent 401s cause one fetch.
func (c *tokenCache) Invalidate(rejected string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.token != nil && "Bearer "+c.token.AccessToken == rejected {
		c.token = nil
	}
	return true
}

// fetch gets a new token; c.mu is held.
func (c *tokenCache) fetch(ctx context.Context) error {
	ctx = context.WithValue(context.WithoutCancel(ctx), oauth2.HTTPClient, c.client)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	tok, err := c.cfg.Token(ctx)
	if err != nil {
		return tokenError(err)
	}
	c.token = tok
	c.refreshAt = refreshTime(time.Now(), tok.Expiry)
	return nil
}

// refreshTime is when a token obtained at now and expiring at expiry should
// be replaced. A token without expiry is kept until the API rejects it.
func refreshTime(now, expiry time.Time) time.Time {
	if expiry.IsZero() {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	margin := min(maxRefreshMargin, expiry.Sub(now)/10)
	return expiry.Add(-margin)
}

// tokenError maps a token endpoint failure to an *APIError (HTTP refusals)
// or a wrapped transport error. The client secret appears in neither.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return fmt.Errorf("requesting an access token from %s: %w", tokenPath, err)
	}
	apiErr := &transport.APIError{StatusCode: re.Response.StatusCode, Method: http.MethodPost, Path: tokenPath}
	switch re.Response.StatusCode {
	case http.StatusUnauthorized, http.StatusForbidden:
		apiErr.Message = "the API key was rejected: check the client ID and client secret"
	default:
		apiErr.Message = "requesting an access token failed"
	}
	return apiErr
}
