package scimserver

import (
	"strings"
)

// Schema URNs of the resources (RFC 7643 §8.7 and Cisco's extension).
const (
	urnUser        = "urn:ietf:params:scim:schemas:core:2.0:User"
	urnGroup       = "urn:ietf:params:scim:schemas:core:2.0:Group"
	urnUmbrella    = "urn:ietf:params:scim:schemas:extension:ciscoumbrella:2.0:User"
	urnSchema      = "urn:ietf:params:scim:schemas:core:2.0:Schema"
	urnSPConfig    = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	urnResourceTyp = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
)

// Attribute types (RFC 7643 §2.3) used by the schemas below.
const (
	typeString    = "string"
	typeBoolean   = "boolean"
	typeComplex   = "complex"
	typeDateTime  = "dateTime"
	typeReference = "reference"
)

// attrDef is an attribute definition as /Schemas publishes it (RFC 7643 §7).
// The same definitions drive body decoding, filters, PATCH paths and
// attribute projection, so what the mock advertises is what it does.
type attrDef struct {
	Name            string    `json:"name"`
	Type            string    `json:"type"`
	SubAttributes   []attrDef `json:"subAttributes,omitempty"`
	MultiValued     bool      `json:"multiValued"`
	Description     string    `json:"description"`
	Required        bool      `json:"required"`
	CanonicalValues []string  `json:"canonicalValues,omitempty"`
	CaseExact       bool      `json:"caseExact"`
	Mutability      string    `json:"mutability"`
	Returned        string    `json:"returned"`
	Uniqueness      string    `json:"uniqueness"`
	ReferenceTypes  []string  `json:"referenceTypes,omitempty"`
}

// readOnly reports whether clients may not write the attribute.
func (a *attrDef) readOnly() bool { return a.Mutability == "readOnly" }

// immutable reports whether the attribute may be set with its resource (or
// its element of a multi-valued attribute) but never changed (RFC 7643 §7).
func (a *attrDef) immutable() bool { return a.Mutability == "immutable" }

// sub returns the sub-attribute named name (case-insensitively), or nil.
func (a *attrDef) sub(name string) *attrDef { return findAttr(a.SubAttributes, name) }

// findAttr returns the attribute named name (case-insensitively), or nil.
func findAttr(attrs []attrDef, name string) *attrDef {
	for i := range attrs {
		if strings.EqualFold(attrs[i].Name, name) {
			return &attrs[i]
		}
	}
	return nil
}

// schemaDef is a schema resource (RFC 7643 §7).
type schemaDef struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Description string    `json:"description"`
	Attributes  []attrDef `json:"attributes"`
}

// str builds a single-valued, case-insensitive, read-write string attribute.
func str(name, description string) attrDef {
	return attrDef{Name: name, Type: typeString, Description: description,
		Mutability: "readWrite", Returned: "default", Uniqueness: "none"}
}

// withCaseExact returns a copy of a with caseExact set.
func (a attrDef) withCaseExact() attrDef { a.CaseExact = true; return a }

// asReadOnly returns a copy of a with mutability readOnly.
func (a attrDef) asReadOnly() attrDef { a.Mutability = "readOnly"; return a }

// asImmutable returns a copy of a with mutability immutable.
func (a attrDef) asImmutable() attrDef { a.Mutability = "immutable"; return a }

// boolean builds a single-valued read-write boolean attribute.
func boolean(name, description string) attrDef {
	a := str(name, description)
	a.Type = typeBoolean
	return a
}

// complexAttr builds a complex attribute with the given sub-attributes.
func complexAttr(name, description string, multi bool, subs ...attrDef) attrDef {
	a := str(name, description)
	a.Type = typeComplex
	a.MultiValued = multi
	a.SubAttributes = subs
	return a
}

// commonAttrs are the attributes every resource has (RFC 7643 §3.1). They
// are not part of the published User/Group schemas but resolve in filters,
// paths and projections.
var commonAttrs = []attrDef{
	{Name: "id", Type: typeString, Description: "Unique identifier assigned by the service provider.",
		CaseExact: true, Mutability: "readOnly", Returned: "always", Uniqueness: "server"},
	str("externalId", "Identifier assigned by the provisioning client.").withCaseExact(),
	{Name: "schemas", Type: typeReference, MultiValued: true, CaseExact: true, Description: "Schema URIs of the resource.",
		Mutability: "readOnly", Returned: "always", Uniqueness: "none"},
	complexAttr("meta", "Resource metadata.", false,
		str("resourceType", "Resource type name.").withCaseExact().asReadOnly(),
		attrDef{Name: "created", Type: typeDateTime, Description: "When the resource was created.",
			Mutability: "readOnly", Returned: "default", Uniqueness: "none"},
		attrDef{Name: "lastModified", Type: typeDateTime, Description: "When the resource was last modified.",
			Mutability: "readOnly", Returned: "default", Uniqueness: "none"},
		str("location", "URI of the resource.").withCaseExact().asReadOnly(),
		str("version", "Weak entity tag of the resource.").withCaseExact().asReadOnly(),
	).asReadOnly(),
}

// userSchema is the core User schema, restricted to what Secure Access keeps.
var userSchema = schemaDef{
	ID: urnUser, Name: "User", Description: "User Account",
	Attributes: []attrDef{
		{Name: "userName", Type: typeString, Required: true, Description: "Unique identifier for the user, unique per directory (case-insensitive).",
			Mutability: "readWrite", Returned: "default", Uniqueness: "server"},
		complexAttr("name", "The components of the user's name.", false,
			str("formatted", "The full name."),
			str("familyName", "The family name."),
			str("givenName", "The given name."),
		),
		str("displayName", "The name of the user, suitable for display."),
		boolean("active", "The user's administrative status: only true lets the user authenticate. "+
			"True when a create leaves it out; a PUT without it keeps the current value; a PATCH remove leaves it unassigned, which is not active."),
		{Name: "password", Type: typeString, Description: "Accepted on write, never stored or returned.",
			Mutability: "writeOnly", Returned: "never", Uniqueness: "none"},
		complexAttr("emails", "Email addresses; at most one is primary.", true,
			str("value", "The email address."),
			attrDef{Name: "type", Type: typeString, Description: "The kind of address.", CanonicalValues: []string{"work", "home", "other"},
				Mutability: "readWrite", Returned: "default", Uniqueness: "none"},
			boolean("primary", "Whether this is the primary address."),
		),
	},
}

// umbrellaSchema is Cisco's User extension.
var umbrellaSchema = schemaDef{
	ID: urnUmbrella, Name: "CiscoUmbrellaUser", Description: "Cisco Secure Access user extension",
	Attributes: []attrDef{
		str("nativeObjectId", "The directory's native object ID (the AD objectGUID).").withCaseExact(),
		str("authName", "The user's authentication name."),
	},
}

// groupSchema is the core Group schema.
var groupSchema = schemaDef{
	ID: urnGroup, Name: "Group", Description: "Group",
	Attributes: []attrDef{
		{Name: "displayName", Type: typeString, Required: true, Description: "Name of the group, unique per directory (case-insensitive).",
			Mutability: "readWrite", Returned: "default", Uniqueness: "server"},
		// RFC 7643 §8.7.1 (and §4.2: "sub-attributes of members are
		// immutable"): a member is added or removed, never changed in
		// place. Restricted to users (no nested groups); value and $ref are
		// caseExact as ids are here.
		complexAttr("members", "Members of the group: users of the same directory only.", true,
			attrDef{Name: "value", Type: typeString, CaseExact: true, Description: "The id of the member user.",
				Mutability: "immutable", Returned: "default", Uniqueness: "none"},
			str("display", "The member's display name (set by the service).").asImmutable(),
			attrDef{Name: "type", Type: typeString, Description: "Always User.", CanonicalValues: []string{"User"},
				Mutability: "immutable", Returned: "default", Uniqueness: "none"},
			attrDef{Name: "$ref", Type: typeReference, CaseExact: true, Description: "URI of the member (set by the service).", ReferenceTypes: []string{"User"},
				Mutability: "immutable", Returned: "default", Uniqueness: "none"},
		),
	},
}

// resourceKind describes one resource type: its schema, its extensions and
// where its attribute definitions are found.
type resourceKind struct {
	name       string // "User" or "Group"
	endpoint   string // "/Users" or "/Groups"
	schema     *schemaDef
	extensions []*schemaDef
}

var (
	userKind  = &resourceKind{name: "User", endpoint: "/Users", schema: &userSchema, extensions: []*schemaDef{&umbrellaSchema}}
	groupKind = &resourceKind{name: "Group", endpoint: "/Groups", schema: &groupSchema}
	// allKinds are the resource types, in the order a root search lists them.
	allKinds = []*resourceKind{userKind, groupKind}
)

// extension returns the extension schema with the given URN
// (case-insensitively), or nil.
func (k *resourceKind) extension(urn string) *schemaDef {
	for _, e := range k.extensions {
		if strings.EqualFold(e.ID, urn) {
			return e
		}
	}
	return nil
}

// attrs returns the attribute definitions reachable under the schema URN uri
// ("" or the core URN: core and common attributes) and the document key of
// their container ("" for the top level, the URN for an extension). ok is
// false for an unknown URN.
func (k *resourceKind) attrs(uri string) (defs []attrDef, container string, ok bool) {
	if uri == "" || strings.EqualFold(uri, k.schema.ID) {
		return k.topAttrs(), "", true
	}
	if e := k.extension(uri); e != nil {
		return e.Attributes, e.ID, true
	}
	return nil, "", false
}

// topAttrs returns the common and core attribute definitions.
func (k *resourceKind) topAttrs() []attrDef {
	if k == userKind {
		return userTopAttrs
	}
	return groupTopAttrs
}

var (
	userTopAttrs  = append(append([]attrDef{}, commonAttrs...), userSchema.Attributes...)
	groupTopAttrs = append(append([]attrDef{}, commonAttrs...), groupSchema.Attributes...)
)

// schemaResource renders a schema as /Schemas returns it.
func schemaResource(base string, s *schemaDef) map[string]any {
	return map[string]any{
		"schemas":     []string{urnSchema},
		"id":          s.ID,
		"name":        s.Name,
		"description": s.Description,
		"attributes":  s.Attributes,
		"meta":        map[string]any{"resourceType": "Schema", "location": base + "/Schemas/" + s.ID},
	}
}

// allSchemas lists the published schemas in a stable order.
var allSchemas = []*schemaDef{&userSchema, &groupSchema, &umbrellaSchema}

// resourceTypeResource renders a resource type as /ResourceTypes returns it.
func resourceTypeResource(base string, k *resourceKind) map[string]any {
	exts := make([]map[string]any, 0, len(k.extensions))
	for _, e := range k.extensions {
		exts = append(exts, map[string]any{"schema": e.ID, "required": false})
	}
	return map[string]any{
		"schemas":          []string{urnResourceTyp},
		"id":               k.name,
		"name":             k.name,
		"endpoint":         k.endpoint,
		"description":      k.schema.Description,
		"schema":           k.schema.ID,
		"schemaExtensions": exts,
		"meta":             map[string]any{"resourceType": "ResourceType", "location": base + "/ResourceTypes/" + k.name},
	}
}

// MaxResults is the most resources one list or search response returns
// (the ServiceProviderConfig's filter.maxResults); larger counts are capped.
const MaxResults = 1000

// serviceProviderConfig renders /ServiceProviderConfig (RFC 7643 §5). Every
// "supported" flag is true exactly when the feature is implemented.
func serviceProviderConfig(base string) map[string]any {
	supported := func(b bool) map[string]any { return map[string]any{"supported": b} }
	return map[string]any{
		"schemas":          []string{urnSPConfig},
		"documentationUri": "https://github.com/secureaccess-iac/terraform-provider-secureaccess",
		"patch":            supported(true),
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": MaxResults},
		"changePassword":   supported(false),
		"sort":             supported(true),
		"etag":             supported(true),
		"authenticationSchemes": []map[string]any{{
			"type":        "oauthbearertoken",
			"name":        "OAuth Bearer Token",
			"description": "The directory integration's provisioning token as an HTTP bearer token.",
			"primary":     true,
		}},
		"meta": map[string]any{"resourceType": "ServiceProviderConfig", "location": base + "/ServiceProviderConfig"},
	}
}
