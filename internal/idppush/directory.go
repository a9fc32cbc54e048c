package idppush

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Directory is what the identity provider pushes: its users and groups, as
// a directory file holds them (JSON, the field names of Okta's user profile
// as SCIM names them):
//
//	{
//	  "users": [
//	    {"userName": "jane@example.com", "givenName": "Jane", "familyName": "Doe",
//	     "displayName": "Jane Doe", "email": "jane@example.com",
//	     "externalId": "00u1jane", "active": true}
//	  ],
//	  "groups": [
//	    {"displayName": "OKTA - Engineering", "externalId": "00g1eng",
//	     "members": ["jane@example.com"]}
//	  ]
//	}
type Directory struct {
	Users  []User  `json:"users"`
	Groups []Group `json:"groups"`
}

// User is one user of the directory file.
type User struct {
	// UserName is the SCIM userName (Okta's login), unique without regard
	// to letter case. Required.
	UserName string `json:"userName"`
	// GivenName and FamilyName are name.givenName and name.familyName.
	GivenName  string `json:"givenName,omitempty"`
	FamilyName string `json:"familyName,omitempty"`
	// DisplayName is the SCIM displayName.
	DisplayName string `json:"displayName,omitempty"`
	// Email is the primary work email address.
	Email string `json:"email,omitempty"`
	// ExternalID is the user's ID in the identity provider (Okta's 00u…).
	// Required: it is how a push recognises the users it pushed before,
	// also after a change of userName.
	ExternalID string `json:"externalId"`
	// Active is false for a user the identity provider deactivated;
	// absent means true.
	Active *bool `json:"active,omitempty"`
}

// IsActive reports whether the user is active (Active absent or true).
func (u User) IsActive() bool { return u.Active == nil || *u.Active }

// Group is one group of the directory file.
type Group struct {
	// DisplayName is the SCIM displayName, unique without regard to letter
	// case. Required.
	DisplayName string `json:"displayName"`
	// ExternalID is the group's ID in the identity provider (Okta's 00g…),
	// optional: with it, a push recognises the group after a rename.
	ExternalID string `json:"externalId,omitempty"`
	// Members are the userNames of its members, users of the same file.
	Members []string `json:"members"`
}

// ReadDirectory reads and checks a directory file.
func ReadDirectory(path string) (*Directory, error) {
	b, err := os.ReadFile(path) //nolint:gosec // G304: the directory file the user names.
	if err != nil {
		return nil, fmt.Errorf("directory file: %w", err)
	}
	d, err := ParseDirectory(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("directory file %s: %w", path, err)
	}
	return d, nil
}

// ParseDirectory decodes a directory file from r and checks it (Validate).
// Unknown fields are an error, so that a misspelt one is not silently
// dropped.
func ParseDirectory(r io.Reader) (*Directory, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var d Directory
	if err := dec.Decode(&d); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("more than one JSON value")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	return &d, nil
}

// Validate checks what a push relies on: every user has a userName and an
// externalId, no two users share either (userNames compared without regard
// to letter case), every group has a display name no other group has, and
// every member is a user of the file, listed once.
func (d *Directory) Validate() error {
	var errs []error
	userNames, externalIDs := map[string]int{}, map[string]int{}
	for i, u := range d.Users {
		switch {
		case strings.TrimSpace(u.UserName) == "":
			errs = append(errs, fmt.Errorf("users[%d]: userName is required", i))
		case seen(userNames, strings.ToLower(u.UserName), i):
			errs = append(errs, fmt.Errorf("users[%d]: userName %q is also users[%d]'s", i, u.UserName, userNames[strings.ToLower(u.UserName)]))
		}
		switch {
		case strings.TrimSpace(u.ExternalID) == "":
			errs = append(errs, fmt.Errorf("users[%d] (%s): externalId is required", i, u.UserName))
		case seen(externalIDs, u.ExternalID, i):
			errs = append(errs, fmt.Errorf("users[%d] (%s): externalId %q is also users[%d]'s", i, u.UserName, u.ExternalID, externalIDs[u.ExternalID]))
		}
	}
	groupNames, groupIDs := map[string]int{}, map[string]int{}
	for i, g := range d.Groups {
		switch {
		case strings.TrimSpace(g.DisplayName) == "":
			errs = append(errs, fmt.Errorf("groups[%d]: displayName is required", i))
		case seen(groupNames, strings.ToLower(g.DisplayName), i):
			errs = append(errs, fmt.Errorf("groups[%d]: displayName %q is also groups[%d]'s", i, g.DisplayName, groupNames[strings.ToLower(g.DisplayName)]))
		}
		if g.ExternalID != "" && seen(groupIDs, g.ExternalID, i) {
			errs = append(errs, fmt.Errorf("groups[%d] (%s): externalId %q is also groups[%d]'s", i, g.DisplayName, g.ExternalID, groupIDs[g.ExternalID]))
		}
		members := map[string]int{}
		for j, m := range g.Members {
			key := strings.ToLower(m)
			if _, ok := userNames[key]; !ok {
				errs = append(errs, fmt.Errorf("groups[%d] (%s): member %q is not a userName of users", i, g.DisplayName, m))
			} else if seen(members, key, j) {
				errs = append(errs, fmt.Errorf("groups[%d] (%s): member %q is listed twice", i, g.DisplayName, m))
			}
		}
	}
	return errors.Join(errs...)
}

// seen records key at index i unless it is already in m, and reports
// whether it was.
func seen(m map[string]int, key string, i int) bool {
	if _, ok := m[key]; ok {
		return true
	}
	m[key] = i
	return false
}
