package admin

import (
	"context"
	"net/url"
	"strings"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// Identity types of provisioned users and groups.
const (
	IdentityTypeDirectoryUser  = "directory_user"
	IdentityTypeDirectoryGroup = "directory_group"
)

// Identity is a user, group or other identity as access policies refer to it.
type Identity struct {
	ID      int64        `json:"id"`
	Label   string       `json:"label"`
	Type    IdentityType `json:"type"`
	Deleted bool         `json:"deleted"`
}

// IdentityType is an identity's kind.
type IdentityType struct {
	ID    int64  `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

// IdentityQuery selects identities.
type IdentityQuery struct {
	// Search matches the label; empty matches all.
	Search string
	// Types restricts the identity types, e.g. IdentityTypeDirectoryUser;
	// empty means all.
	Types []string
}

// IdentitiesService searches the Reports identities.
type IdentitiesService struct {
	tc *transport.Client
}

// List returns every identity matching q, all pages.
func (s *IdentitiesService) List(ctx context.Context, q IdentityQuery) ([]Identity, error) {
	query := url.Values{}
	if q.Search != "" {
		query.Set("search", q.Search)
	}
	if len(q.Types) > 0 {
		query.Set("identitytypes", strings.Join(q.Types, ","))
	}
	return listAll[Identity](ctx, s.tc, identitiesPath, query)
}
