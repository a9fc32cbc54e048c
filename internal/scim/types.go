package scim

import (
	"encoding/json"
	"time"
)

// Schema URNs.
const (
	SchemaUser         = "urn:ietf:params:scim:schemas:core:2.0:User"
	SchemaGroup        = "urn:ietf:params:scim:schemas:core:2.0:Group"
	SchemaCiscoUser    = "urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"
	SchemaPatchOp      = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	SchemaListResponse = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
)

// User is a SCIM user with the attributes Secure Access keeps. Optional
// attributes are pointers (or nil slices) so that unset and empty differ.
type User struct {
	ID          string  `json:"id,omitempty"`
	ExternalID  *string `json:"externalId,omitempty"`
	UserName    string  `json:"userName"`
	Active      *bool   `json:"active,omitempty"`
	DisplayName *string `json:"displayName,omitempty"`
	Name        *Name   `json:"name,omitempty"`
	Emails      []Email `json:"emails,omitempty"`
	// Cisco is the ciscoumbrella extension, sent under its URN; when set,
	// the URN is added to schemas.
	Cisco *CiscoUserExtension `json:"urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User,omitempty"`
	// Meta is set by the service and ignored by it on input.
	Meta *Meta `json:"meta,omitempty"`
}

// Name is a user's name.
type Name struct {
	Formatted  *string `json:"formatted,omitempty"`
	FamilyName *string `json:"familyName,omitempty"`
	GivenName  *string `json:"givenName,omitempty"`
}

// Email is one of a user's email addresses.
type Email struct {
	Value   string `json:"value"`
	Type    string `json:"type,omitempty"`
	Primary bool   `json:"primary,omitempty"`
}

// CiscoUserExtension is urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User.
type CiscoUserExtension struct {
	// NativeObjectID is the AD objectGUID.
	NativeObjectID *string `json:"nativeObjectId,omitempty"`
	AuthName       *string `json:"authName,omitempty"`
}

// Group is a SCIM group; members are users only.
type Group struct {
	ID          string   `json:"id,omitempty"`
	ExternalID  *string  `json:"externalId,omitempty"`
	DisplayName string   `json:"displayName"`
	Members     []Member `json:"members,omitempty"`
	Meta        *Meta    `json:"meta,omitempty"`
}

// Member is a group member.
type Member struct {
	// Value is the member user's id.
	Value   string `json:"value"`
	Display string `json:"display,omitempty"`
	Ref     string `json:"$ref,omitempty"`
	Type    string `json:"type,omitempty"`
}

// Meta is the service-maintained metadata of a resource.
type Meta struct {
	ResourceType string    `json:"resourceType,omitempty"`
	Created      time.Time `json:"created,omitzero"`
	LastModified time.Time `json:"lastModified,omitzero"`
	Location     string    `json:"location,omitempty"`
	// Version is the resource version (its ETag) the service assigns.
	Version string `json:"version,omitempty"`
}

// ListResponse is a page of a list or filter query.
type ListResponse[T any] struct {
	TotalResults int `json:"totalResults"`
	StartIndex   int `json:"startIndex"`
	ItemsPerPage int `json:"itemsPerPage"`
	Resources    []T `json:"Resources"`
}

// PatchOperation is one operation of a PATCH request (RFC 7644 §3.5.2).
type PatchOperation struct {
	// Op is "add", "remove" or "replace".
	Op string `json:"op"`
	// Path is the target; empty means the resource itself.
	Path string `json:"path,omitempty"`
	// Value is encoded as JSON; nil sends none.
	Value any `json:"value,omitempty"`
}

// Patch operation names.
const (
	OpAdd     = "add"
	OpRemove  = "remove"
	OpReplace = "replace"
)

// patchRequest is the PATCH body.
type patchRequest struct {
	Schemas    []string         `json:"schemas"`
	Operations []PatchOperation `json:"Operations"`
}

// userAlias has User's fields without its methods.
type userAlias User

// MarshalJSON emits schemas (with the extension URN when Cisco is set).
func (u User) MarshalJSON() ([]byte, error) {
	schemas := []string{SchemaUser}
	if u.Cisco != nil {
		schemas = append(schemas, SchemaCiscoUser)
	}
	return json.Marshal(struct {
		Schemas []string `json:"schemas"`
		userAlias
	}{schemas, userAlias(u)})
}

// groupAlias has Group's fields without its methods.
type groupAlias Group

// MarshalJSON emits schemas.
func (g Group) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Schemas []string `json:"schemas"`
		groupAlias
	}{[]string{SchemaGroup}, groupAlias(g)})
}
