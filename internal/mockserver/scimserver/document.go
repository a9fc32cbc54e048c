package scimserver

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// A resource document is the JSON form of a user or group as
// map[string]any / []any / string / bool / float64, with canonical
// attribute names. The store keeps one per resource (built from the typed
// value, so it only holds known attributes); filters and PATCH work on
// documents, and decodeUser/decodeGroup turn a document back into a typed,
// validated value.

// timeFormat is the format of meta.created and meta.lastModified.
const timeFormat = time.RFC3339Nano

// userDoc renders u as a canonical document without meta.location.
func userDoc(u User) map[string]any {
	d := map[string]any{"id": u.ID, "userName": u.UserName}
	if u.Active != nil {
		d["active"] = *u.Active
	}
	schemas := []any{urnUser}
	setStr(d, "externalId", u.ExternalID)
	setStr(d, "displayName", u.DisplayName)
	name := map[string]any{}
	setStr(name, "formatted", u.Name.Formatted)
	setStr(name, "familyName", u.Name.FamilyName)
	setStr(name, "givenName", u.Name.GivenName)
	if len(name) > 0 {
		d["name"] = name
	}
	if len(u.Emails) > 0 {
		emails := make([]any, len(u.Emails))
		for i, e := range u.Emails {
			m := map[string]any{"value": e.Value, "primary": e.Primary}
			setStr(m, "type", e.Type)
			emails[i] = m
		}
		d["emails"] = emails
	}
	ext := map[string]any{}
	setStr(ext, "nativeObjectId", u.NativeObjectID)
	setStr(ext, "authName", u.AuthName)
	if len(ext) > 0 {
		d[urnUmbrella] = ext
		schemas = append(schemas, urnUmbrella)
	}
	d["schemas"] = schemas
	d["meta"] = metaDoc("User", u.Created, u.LastModified, u.Version)
	return d
}

// groupDoc renders g with the given member ids as a canonical document
// without meta.location and without the members' display and $ref (see
// renderDoc).
func groupDoc(g Group, members []string) map[string]any {
	d := map[string]any{"schemas": []any{urnGroup}, "id": g.ID, "displayName": g.DisplayName}
	setStr(d, "externalId", g.ExternalID)
	if len(members) > 0 {
		ms := make([]any, len(members))
		for i, m := range members {
			el := make(map[string]any, 4) // room for display and $ref (render)
			el["value"], el["type"] = m, "User"
			ms[i] = el
		}
		d["members"] = ms
	}
	d["meta"] = metaDoc("Group", g.Created, g.LastModified, g.Version)
	return d
}

// metaDoc renders the meta attribute without location.
func metaDoc(kind string, created, modified time.Time, version int64) map[string]any {
	return map[string]any{
		"resourceType": kind,
		"created":      created.Format(timeFormat),
		"lastModified": modified.Format(timeFormat),
		"version":      etag(version),
	}
}

// setStr sets d[key] = v unless v is empty (unassigned).
func setStr(d map[string]any, key, v string) {
	if v != "" {
		d[key] = v
	}
}

// canonicalize returns a copy of the request document m with known
// attribute names (and extension URNs) in their canonical letter case,
// recursively for complex values. Unknown keys are kept as they are and are
// later ignored. Keys are visited in sorted order, so when a body carries
// the same attribute twice in different cases the result is deterministic.
func canonicalize(k *resourceKind, m map[string]any) map[string]any {
	out := canonicalAttrs(k.topAttrs(), m)
	for key, v := range out {
		if e := k.extension(key); e != nil {
			delete(out, key)
			if sub, ok := v.(map[string]any); ok {
				out[e.ID] = canonicalAttrs(e.Attributes, sub)
			} else {
				out[e.ID] = v
			}
		}
	}
	return out
}

// canonicalAttrs renames the keys of m that name attributes in defs.
func canonicalAttrs(defs []attrDef, m map[string]any) map[string]any {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	out := make(map[string]any, len(m))
	for _, key := range keys {
		def := findAttr(defs, key)
		if def == nil {
			out[key] = m[key]
			continue
		}
		out[def.Name] = canonicalValue(def, m[key])
	}
	return out
}

// canonicalValue canonicalizes the sub-attribute names inside a complex
// value (one object or a list of them); other values are returned as is.
func canonicalValue(def *attrDef, v any) any {
	if def.Type != typeComplex {
		return v
	}
	switch t := v.(type) {
	case map[string]any:
		return canonicalAttrs(def.SubAttributes, t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = canonicalValue(def, e)
		}
		return out
	default:
		return v
	}
}

// fields reads typed values out of a canonical document, remembering the
// first type error.
type fields struct {
	m      map[string]any
	prefix string // attribute path of m, for error details
	err    *scimError
}

// fail records a type error for key.
func (f *fields) fail(key, want string) {
	if f.err == nil {
		f.err = badRequest(scimTypeInvalidValue, fmt.Sprintf("attribute %q must be %s", f.prefix+key, want))
	}
}

// str returns the string at key ("" when absent or null).
func (f *fields) str(key string) string {
	v, ok := f.m[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		f.fail(key, "a string")
	}
	return s
}

// boolean returns the boolean at key, def when absent or null. The strings
// "true" and "false" in any letter case are accepted (Entra ID sends them).
func (f *fields) boolean(key string, def bool) bool {
	if b := f.optBoolean(key); b != nil {
		return *b
	}
	return def
}

// optBoolean returns the boolean at key, nil when absent or null
// (unassigned) or not a boolean (recording the error). It accepts what
// boolean accepts.
func (f *fields) optBoolean(key string) *bool {
	switch v := f.m[key].(type) {
	case nil:
		return nil
	case bool:
		return &v
	case string:
		switch strings.ToLower(v) {
		case "true":
			return new(true)
		case "false":
			return new(false)
		}
	}
	f.fail(key, "a boolean")
	return nil
}

// object returns the complex value at key (empty when absent or null).
func (f *fields) object(key string) *fields {
	sub := &fields{m: map[string]any{}, prefix: f.prefix + key + "."}
	switch v := f.m[key].(type) {
	case nil:
	case map[string]any:
		sub.m = v
	default:
		f.fail(key, "an object")
	}
	return sub
}

// objects returns the elements of the multi-valued complex attribute at
// key; a single object is accepted as a list of one.
func (f *fields) objects(key string) []*fields {
	var list []any
	switch v := f.m[key].(type) {
	case nil:
		return nil
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	default:
		f.fail(key, "a list of objects")
		return nil
	}
	out := make([]*fields, 0, len(list))
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			f.fail(key, "a list of objects")
			return nil
		}
		out = append(out, &fields{m: m, prefix: f.prefix + key + "."})
	}
	return out
}

// firstErr returns the first error among fs.
func firstErr(fs ...*fields) *scimError {
	for _, f := range fs {
		if f.err != nil {
			return f.err
		}
	}
	return nil
}

// decodeUser turns a canonical user document into a User. Read-only
// attributes (id, meta, schemas), password, groups and unknown attributes
// are ignored. An absent or null active is unassigned (nil): the defaults
// of POST and PUT are the store's (see Store.create and Store.replace).
func decodeUser(m map[string]any) (User, *scimError) {
	f := &fields{m: m}
	u := User{
		UserName:    f.str("userName"),
		ExternalID:  f.str("externalId"),
		DisplayName: f.str("displayName"),
		Active:      f.optBoolean("active"),
	}
	name := f.object("name")
	u.Name = Name{Formatted: name.str("formatted"), FamilyName: name.str("familyName"), GivenName: name.str("givenName")}
	ext := f.object(urnUmbrella)
	u.NativeObjectID, u.AuthName = ext.str("nativeObjectId"), ext.str("authName")
	emails := f.objects("emails")
	all := []*fields{f, name, ext}
	primaries := 0
	for _, e := range emails {
		email := Email{Value: e.str("value"), Type: e.str("type"), Primary: e.boolean("primary", false)}
		if email.Primary {
			primaries++
		}
		u.Emails = append(u.Emails, email)
		all = append(all, e)
	}
	if err := firstErr(all...); err != nil {
		return User{}, err
	}
	if u.UserName == "" {
		return User{}, badRequest(scimTypeInvalidValue, "userName is required")
	}
	if primaries > 1 {
		return User{}, badRequest(scimTypeInvalidValue, "at most one email may be primary")
	}
	if err := checkUserLimits(u); err != nil {
		return User{}, err
	}
	return u, nil
}

// decodeGroup turns a canonical group document into a Group and its member
// ids. Members must be users ("type" absent or "User"); display, $ref and
// read-only attributes are ignored.
func decodeGroup(m map[string]any) (Group, []string, *scimError) {
	f := &fields{m: m}
	g := Group{DisplayName: f.str("displayName"), ExternalID: f.str("externalId")}
	var members []string
	all := []*fields{f}
	for _, e := range f.objects("members") {
		id, typ := e.str("value"), e.str("type")
		all = append(all, e)
		if e.err != nil {
			break
		}
		if id == "" {
			return Group{}, nil, badRequest(scimTypeInvalidValue, "every member needs a value (the user's id)")
		}
		if typ != "" && !strings.EqualFold(typ, "User") {
			return Group{}, nil, badRequest(scimTypeInvalidValue,
				fmt.Sprintf("member %q has type %q: only users can be members (no nested groups)", id, typ))
		}
		members = append(members, id)
	}
	if err := firstErr(all...); err != nil {
		return Group{}, nil, err
	}
	if g.DisplayName == "" {
		return Group{}, nil, badRequest(scimTypeInvalidValue, "displayName is required")
	}
	if err := checkGroupLimits(g); err != nil {
		return Group{}, nil, err
	}
	return g, members, nil
}
