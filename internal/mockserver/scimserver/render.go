package scimserver

import (
	"maps"

	filter "github.com/scim2/filter-parser/v2"
)

// render returns the response form of a stored document: meta.location
// and, for groups, each member's display and $ref. The stored document is
// not modified; unchanged parts are shared, so callers must not mutate the
// result in place (projection clones what it changes). Callers hold s.mu.
func (s *Store) render(k *resourceKind, doc map[string]any, base string) map[string]any {
	out := maps.Clone(doc)
	id, _ := doc["id"].(string)
	meta, _ := doc["meta"].(map[string]any)
	meta = maps.Clone(meta)
	meta["location"] = base + k.endpoint + "/" + id
	out["meta"] = meta
	if members, ok := doc["members"].([]any); ok {
		out["members"] = s.renderMembers(members, base)
	}
	return out
}

// renderOwn is render for a document nobody else holds (a new one from
// userRec.doc or groupRec.doc): it adds display and $ref to the member
// objects in place instead of copying each of them. The result is the same.
func (s *Store) renderOwn(k *resourceKind, doc map[string]any, base string) map[string]any {
	id, _ := doc["id"].(string)
	meta, _ := doc["meta"].(map[string]any)
	meta["location"] = base + k.endpoint + "/" + id
	if members, ok := doc["members"].([]any); ok {
		doc["members"] = s.renderMembersInPlace(members, base)
	}
	return doc
}

// renderMembers adds display and $ref to each member.
func (s *Store) renderMembers(members []any, base string) []any {
	els := elements(members)
	out := make([]any, len(els))
	for i, el := range els {
		mm := maps.Clone(el)
		s.renderMember(mm, base)
		out[i] = mm
	}
	return out
}

// renderMembersInPlace is renderMembers modifying the member objects.
func (s *Store) renderMembersInPlace(members []any, base string) []any {
	els := elements(members)
	out := make([]any, len(els))
	for i, el := range els {
		s.renderMember(el, base)
		out[i] = el
	}
	return out
}

// renderMember adds display and $ref to one member object.
func (s *Store) renderMember(mm map[string]any, base string) {
	id, _ := mm["value"].(string)
	mm["$ref"] = base + userKind.endpoint + "/" + id
	if r, ok := s.users[id]; ok {
		mm["display"] = cmpOr(r.u.DisplayName, r.u.UserName)
	}
}

// cmpOr returns a unless it is empty, else b.
func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// selection is one entry of attributes/excludedAttributes, resolved:
// a whole extension (name ""), an attribute, or a sub-attribute.
type selection struct {
	container string // "" or an extension URN
	name      string
	sub       string
}

// projection applies attributes and excludedAttributes (RFC 7644 §3.9).
// id and schemas are always returned.
type projection struct {
	include []selection
	exclude []selection
}

// newProjection resolves the attribute lists; names the schema does not
// know are ignored.
func newProjection(k *resourceKind, attrs, excluded []string) projection {
	return projection{include: selections(k, attrs), exclude: selections(k, excluded)}
}

// selections resolves attribute names to selections.
func selections(k *resourceKind, names []string) []selection {
	var out []selection
	for _, n := range names {
		if e := k.extension(n); e != nil {
			out = append(out, selection{container: e.ID})
			continue
		}
		p, err := filter.ParseAttrPath([]byte(n))
		if err != nil {
			continue
		}
		defs, container, ok := k.attrs(p.URI())
		def := findAttr(defs, p.AttributeName)
		if !ok || def == nil {
			continue
		}
		sel := selection{container: container, name: def.Name}
		if p.SubAttribute != nil {
			sd := def.sub(*p.SubAttribute)
			if sd == nil {
				continue
			}
			sel.sub = sd.Name
		}
		out = append(out, sel)
	}
	return out
}

// apply returns the projected document.
func (p projection) apply(doc map[string]any) map[string]any {
	out := doc
	if len(p.include) > 0 {
		out = map[string]any{"schemas": doc["schemas"], "id": doc["id"]}
		for _, sel := range p.include {
			sel.copy(out, doc)
		}
	}
	if len(p.exclude) > 0 {
		out = maps.Clone(out)
		for _, sel := range p.exclude {
			sel.remove(out)
		}
	}
	return out
}

// names reports whether the attributes list includes the core attribute
// name (as a whole or one of its sub-attributes).
func (p projection) names(name string) bool {
	for _, sel := range p.include {
		if sel.container == "" && sel.name == name {
			return true
		}
	}
	return false
}

// returns reports whether the projection returns the core attribute name:
// attributes is empty or names it (or a sub-attribute of it), and
// excludedAttributes does not name it as a whole.
func (p projection) returns(name string) bool {
	if len(p.include) > 0 && !p.names(name) {
		return false
	}
	for _, sel := range p.exclude {
		if sel.container == "" && sel.name == name && sel.sub == "" {
			return false
		}
	}
	return true
}

// alwaysReturned reports whether the selection is id or schemas, which
// RFC 7643 returns always.
func (sel selection) alwaysReturned() bool {
	return sel.container == "" && (sel.name == "id" || sel.name == "schemas")
}

// copy copies the selected part of src into dst.
func (sel selection) copy(dst, src map[string]any) {
	if sel.name == "" {
		if v, ok := src[sel.container]; ok {
			dst[sel.container] = v
		}
		return
	}
	if sel.container != "" {
		from, ok := src[sel.container].(map[string]any)
		if !ok {
			return
		}
		to, _ := dst[sel.container].(map[string]any)
		to = maps.Clone(to)
		if to == nil {
			to = map[string]any{}
		}
		dst[sel.container] = to
		dst, src = to, from
	}
	v, ok := src[sel.name]
	if !ok {
		return
	}
	if sel.sub == "" {
		dst[sel.name] = v
		return
	}
	dst[sel.name] = mergeSub(dst[sel.name], v, sel.sub)
}

// mergeSub adds sub-attribute sub of the complex value from to the
// (possibly partial) projected value have, returning a new value.
func mergeSub(have, from any, sub string) any {
	switch f := from.(type) {
	case map[string]any:
		h, _ := have.(map[string]any)
		h = maps.Clone(h)
		if h == nil {
			h = map[string]any{}
		}
		if v, ok := f[sub]; ok {
			h[sub] = v
		}
		return h
	case []any:
		hl, _ := have.([]any)
		out := make([]any, len(f))
		for i, el := range f {
			var prev any
			if i < len(hl) {
				prev = hl[i]
			}
			out[i] = mergeSub(prev, el, sub)
		}
		return out
	}
	return have
}

// remove deletes the selected part from doc, cloning what it changes.
func (sel selection) remove(doc map[string]any) {
	if sel.alwaysReturned() {
		return
	}
	if sel.name == "" {
		delete(doc, sel.container)
		return
	}
	if sel.container != "" {
		ext, ok := doc[sel.container].(map[string]any)
		if !ok {
			return
		}
		ext = maps.Clone(ext)
		doc[sel.container] = ext
		doc = ext
	}
	if sel.sub == "" {
		delete(doc, sel.name)
		return
	}
	if v, ok := doc[sel.name]; ok {
		doc[sel.name] = withoutSub(v, sel.sub)
	}
}

// withoutSub returns a copy of a complex value without sub-attribute sub.
func withoutSub(v any, sub string) any {
	switch t := v.(type) {
	case map[string]any:
		m := maps.Clone(t)
		delete(m, sub)
		return m
	case []any:
		out := make([]any, len(t))
		for i, el := range t {
			out[i] = withoutSub(el, sub)
		}
		return out
	}
	return v
}
