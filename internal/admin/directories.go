package admin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// Identity provider kinds of a directory integration.
const (
	IdentityProviderOkta    = "okta"
	IdentityProviderEntraID = "entra_id"
	IdentityProviderPing    = "ping"
	IdentityProviderGoogle  = "google"
	IdentityProviderOther   = "other"
)

// IdentityProviders returns every identity provider kind, for validators and
// documentation.
func IdentityProviders() []string {
	return []string{IdentityProviderOkta, IdentityProviderEntraID, IdentityProviderPing, IdentityProviderGoogle, IdentityProviderOther}
}

// DirectoryIntegration is a directory provisioned by an identity provider
// through SCIM.
type DirectoryIntegration struct {
	ID                 string    `json:"id"`
	Name               string    `json:"name"`
	IdentityProvider   string    `json:"identityProvider"`
	ProvisioningMethod string    `json:"provisioningMethod"`
	ProvisioningURL    string    `json:"provisioningUrl"`
	UserCount          int       `json:"userCount"`
	GroupCount         int       `json:"groupCount"`
	CreatedAt          time.Time `json:"createdAt"`
	ModifiedAt         time.Time `json:"modifiedAt"`
}

// CreateDirectoryIntegrationRequest is the body of a create.
type CreateDirectoryIntegrationRequest struct {
	Name             string `json:"name"`
	IdentityProvider string `json:"identityProvider"`
}

// DirectoryIntegrationsService manages directory integrations.
type DirectoryIntegrationsService struct {
	tc *transport.Client
	// cached is invalidated by every write of a directory integration or a
	// provisioning token, so that Read forgets what it listed.
	cached *readcache.Generation
	// reads batches Read; nil with Config.UnbatchedRefresh.
	reads *directoryReads
}

// Read returns one directory integration, as Get does, for a refresh that
// reads many: the first read is a GET by id, later ones are served from
// one listing of all of them, which concurrent reads share (see
// directoryReads); transport.ErrNotFound if none. With
// Config.UnbatchedRefresh it is Get.
func (s *DirectoryIntegrationsService) Read(ctx context.Context, id string) (*DirectoryIntegration, error) {
	if s.reads != nil {
		if dir, ok := s.reads.listed(ctx, id); ok {
			return dir, nil
		}
	}
	return s.Get(ctx, id)
}

// List returns every directory integration, all pages.
func (s *DirectoryIntegrationsService) List(ctx context.Context) ([]DirectoryIntegration, error) {
	return listAll[DirectoryIntegration](ctx, s.tc, directoriesPath, nil)
}

// Get returns one directory integration; transport.ErrNotFound if none.
func (s *DirectoryIntegrationsService) Get(ctx context.Context, id string) (*DirectoryIntegration, error) {
	var dir DirectoryIntegration
	if _, err := s.tc.Do(ctx, transport.Request{Method: http.MethodGet, Path: directoryPath(id)}, &dir); err != nil {
		return nil, err
	}
	return &dir, nil
}

// GetByName returns the directory integration named name (compared
// case-insensitively); transport.ErrNotFound if none.
func (s *DirectoryIntegrationsService) GetByName(ctx context.Context, name string) (*DirectoryIntegration, error) {
	dirs, err := s.List(ctx)
	if err != nil {
		return nil, err
	}
	for i := range dirs {
		if strings.EqualFold(dirs[i].Name, name) {
			return &dirs[i], nil
		}
	}
	return nil, fmt.Errorf("no directory integration has this name: %w", transport.ErrNotFound)
}

// Create creates a directory integration. The name is unique: a duplicate
// gets transport.ErrConflict, except when an earlier attempt of this very
// call was applied and its response lost, in which case the integration that
// attempt created is returned.
func (s *DirectoryIntegrationsService) Create(ctx context.Context, req CreateDirectoryIntegrationRequest) (*DirectoryIntegration, error) {
	var dir DirectoryIntegration
	defer s.cached.Invalidate()
	_, err := s.tc.Do(ctx, transport.Request{Method: http.MethodPost, Path: directoriesPath, Body: req, Retry: transport.RetryCreate}, &dir)
	if transport.IsLostCreate(err) {
		return s.GetByName(ctx, req.Name)
	}
	if err != nil {
		return nil, err
	}
	return &dir, nil
}

// Update renames a directory integration (the identity provider kind cannot
// change).
func (s *DirectoryIntegrationsService) Update(ctx context.Context, id, name string) (*DirectoryIntegration, error) {
	var dir DirectoryIntegration
	body := map[string]string{"name": name}
	defer s.cached.Invalidate()
	if _, err := s.tc.Do(ctx, transport.Request{Method: http.MethodPatch, Path: directoryPath(id), Body: body}, &dir); err != nil {
		return nil, err
	}
	return &dir, nil
}

// Delete deletes a directory integration with its users, groups and token.
func (s *DirectoryIntegrationsService) Delete(ctx context.Context, id string) error {
	defer s.cached.Invalidate()
	_, err := s.tc.Do(ctx, transport.Request{Method: http.MethodDelete, Path: directoryPath(id)}, nil)
	return err
}
