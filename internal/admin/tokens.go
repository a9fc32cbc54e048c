package admin

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// ProvisioningToken is a newly generated SCIM bearer token. Token is the
// secret, shown only once; String and GoString leave it out.
type ProvisioningToken struct {
	ID          string     `json:"id"`
	Token       string     `json:"token"`
	GeneratedAt time.Time  `json:"generatedAt"`
	ExpiresAt   *time.Time `json:"expiresAt"`
}

// String describes the token without its secret.
func (t ProvisioningToken) String() string {
	return fmt.Sprintf("ProvisioningToken{ID:%s GeneratedAt:%s ExpiresAt:%v Token:<redacted>}", t.ID, t.GeneratedAt.Format(time.RFC3339), t.ExpiresAt)
}

// GoString is String, so that %#v does not print the secret either.
func (t ProvisioningToken) GoString() string { return t.String() }

// ProvisioningTokenMetadata describes the active token, without the secret.
type ProvisioningTokenMetadata struct {
	ID          string     `json:"id"`
	GeneratedAt time.Time  `json:"generatedAt"`
	ExpiresAt   *time.Time `json:"expiresAt"`
	LastUsedAt  *time.Time `json:"lastUsedAt"`
}

// ProvisioningTokensService manages the SCIM token of a directory integration.
type ProvisioningTokensService struct {
	tc *transport.Client
	// cached is invalidated by every write, so that
	// DirectoryIntegrationsService.Read forgets what it listed.
	cached *readcache.Generation
}

// Generate creates a new token for the directory integration, revoking the
// previous one at once. expiresInDays nil means no expiry.
//
// The request is retried like an idempotent one: repeating it after a lost
// response leaves exactly one active token, the one returned, and revokes the
// one whose response was lost.
func (s *ProvisioningTokensService) Generate(ctx context.Context, dirID string, expiresInDays *int) (*ProvisioningToken, error) {
	req := transport.Request{Method: http.MethodPost, Path: tokenPathOf(dirID), Retry: transport.RetryIdempotent}
	if expiresInDays != nil {
		req.Body = map[string]int{"expiresInDays": *expiresInDays}
	}
	var out struct {
		Token ProvisioningToken `json:"token"`
	}
	defer s.cached.Invalidate()
	if _, err := s.tc.Do(ctx, req, &out); err != nil {
		return nil, err
	}
	return &out.Token, nil
}

// Get returns the active token's metadata; transport.ErrNotFound if none.
func (s *ProvisioningTokensService) Get(ctx context.Context, dirID string) (*ProvisioningTokenMetadata, error) {
	var meta ProvisioningTokenMetadata
	if _, err := s.tc.Do(ctx, transport.Request{Method: http.MethodGet, Path: tokenPathOf(dirID)}, &meta); err != nil {
		return nil, err
	}
	return &meta, nil
}

// Revoke revokes the active token; SCIM calls with it get 401 at once.
func (s *ProvisioningTokensService) Revoke(ctx context.Context, dirID string) error {
	defer s.cached.Invalidate()
	_, err := s.tc.Do(ctx, transport.Request{Method: http.MethodDelete, Path: tokenPathOf(dirID)}, nil)
	return err
}
