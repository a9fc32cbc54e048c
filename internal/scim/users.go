package scim

import "context"

// UsersService manages users. Create, Get, Replace, Patch, Delete, List and
// All (with T = User) are the shared resource operations documented in
// scim.go; a lost-response create is resolved by userName.
type UsersService struct {
	resources[User]
}

// GetByUserName returns the user with userName (compared case-insensitively
// by the service); transport.ErrNotFound if none.
func (s *UsersService) GetByUserName(ctx context.Context, userName string) (*User, error) {
	return s.getByKey(ctx, userName, nil)
}
