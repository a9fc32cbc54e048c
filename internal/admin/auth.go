package admin

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// maxRefreshMargin is how long before expiry a token is replaced; shorter
// for short-lived tokens (a tenth of their lifetime).
const maxRefreshMargin = time.Minute

var _ transport.Reauthorizer = (*tokenCache)(nil)

// tokenCache is the transport.Reauthorizer of the admin API: one cached OAuth2
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

// tokenCaches holds the token cache of every API key the process uses, by
// token URL, client ID and a hash of the client secret: every Client of the
// same key, such as two provider configurations in one process, shares one
// access token instead of asking for its own (the token endpoint allows 20
// requests per minute per key).
var tokenCaches = struct {
	mu    sync.Mutex
	byKey map[[32]byte]*tokenCache
}{byKey: map[[32]byte]*tokenCache{}}

// sharedTokenCache returns the token cache of cfg's API key, creating it
// with cfg's transport settings (its token client's logger, User-Agent and
// timeout are those of the first Client of the key).
func sharedTokenCache(cfg Config, tokenURL string) *tokenCache {
	h := sha256.New()
	for _, part := range []string{tokenURL, cfg.ClientID, cfg.ClientSecret} {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	var key [32]byte
	h.Sum(key[:0])
	tokenCaches.mu.Lock()
	defer tokenCaches.mu.Unlock()
	if c, ok := tokenCaches.byKey[key]; ok {
		return c
	}
	c := newTokenCache(cfg, tokenURL)
	tokenCaches.byKey[key] = c
	return c
}

// newTokenCache returns the Authorizer for cfg's credentials, its token
// requests limited by cfg.TokenWindows under the key's own window key.
func newTokenCache(cfg Config, tokenURL string) *tokenCache {
	tc := cfg.Config
	tc.Windows = cfg.TokenWindows
	if tc.WindowKey != "" {
		tc.WindowKey += "\ntoken"
	}
	client := transport.NewTokenHTTPClient(tc)
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

// Authorization implements transport.Reauthorizer.
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

// Invalidate implements transport.Reauthorizer: it drops the cached token if it
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
		return c.tokenError(err)
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

// tokenError maps a token endpoint failure to an *APIError (HTTP refusals,
// and RFC 6749 §5.2 error answers whatever their status) or a wrapped
// transport error. The client secret appears in neither.
//
// A 2xx answer that carries an "error" field is a refusal sent with the
// wrong status: it gets the status §5.2 gives its error code (401 for
// invalid_client, and for unauthorized_client, which with client credentials
// also means the API key cannot be used; 400 for the rest), so that it is
// final and matches the sentinel callers check; the message says what the
// endpoint actually answered.
func (c *tokenCache) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return fmt.Errorf("requesting an access token from %s: %w", tokenPath, err)
	}
	sent := re.Response.StatusCode
	apiErr := &transport.APIError{StatusCode: sent, Method: http.MethodPost, Path: tokenPath}
	success := sent >= http.StatusOK && sent < http.StatusMultipleChoices
	if re.ErrorCode != "" && success {
		apiErr.StatusCode = oauthErrorStatus(re.ErrorCode)
	}
	switch {
	case apiErr.StatusCode == http.StatusUnauthorized, apiErr.StatusCode == http.StatusForbidden, oauthErrorStatus(re.ErrorCode) == http.StatusUnauthorized:
		apiErr.Message = "the API key was rejected: check the client ID and client secret"
	default:
		apiErr.Message = "requesting an access token failed"
	}
	if re.ErrorCode == "" {
		return apiErr
	}
	detail := fmt.Sprintf("OAuth error %q", c.oauthText(re.ErrorCode))
	if re.ErrorDescription != "" {
		detail += fmt.Sprintf(": %q", c.oauthText(re.ErrorDescription))
	}
	if success {
		detail = fmt.Sprintf("the token endpoint answered %d %s with %s", sent, http.StatusText(sent), detail)
	}
	apiErr.Message += " (" + detail + ")"
	return apiErr
}

// oauthErrorStatus is the status of an RFC 6749 §5.2 error code: 401 for
// the codes that mean the API key cannot be used, 400 for the others; 0 for
// no code.
func oauthErrorStatus(code string) int {
	switch code {
	case "":
		return 0
	case "invalid_client", "unauthorized_client":
		return http.StatusUnauthorized
	default:
		return http.StatusBadRequest
	}
}

// maxOAuthText bounds an OAuth error code or description in a message.
const maxOAuthText = 200

// oauthText makes a token endpoint's error code or description fit for a
// message: the client secret, in any form it was sent, is redacted (a
// service may echo what it was sent), and the text is valid UTF-8 of at most
// maxOAuthText characters.
func (c *tokenCache) oauthText(s string) string {
	for _, secret := range c.secretForms() {
		if secret != "" { // ReplaceAll of "" would insert the mark everywhere
			s = strings.ReplaceAll(s, secret, "[redacted]")
		}
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	if r := []rune(s); len(r) > maxOAuthText {
		s = string(r[:maxOAuthText]) + "…"
	}
	return s
}

// secretForms lists the client secret as it was sent: plain, URL-escaped
// and inside the Basic credentials.
func (c *tokenCache) secretForms() []string {
	id, secret := c.cfg.ClientID, c.cfg.ClientSecret
	escID, escSecret := url.QueryEscape(id), url.QueryEscape(secret)
	return []string{
		base64.StdEncoding.EncodeToString([]byte(escID + ":" + escSecret)),
		base64.StdEncoding.EncodeToString([]byte(id + ":" + secret)),
		escSecret,
		secret,
	}
}
