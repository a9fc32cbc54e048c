package main

// Ours: the in-memory store behind the library's ResourceHandler
// interface. The library hands us attributes it has already validated
// against the schemas (canonical attribute names, unknown and read-only
// attributes dropped), parsed filters and parsed PATCH operations; it
// renders id, externalId, schemas and meta itself from the Resource we
// return. What is left to us: ids, storage, uniqueness, membership
// integrity, paging, and applying PATCH operations (patch.go).

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
)

// idStyle is the form of the ids the store assigns (INTEROP_IDS).
type idStyle string

const (
	idsUUID   idStyle = "uuid"   // random version 4 UUIDs
	idsInt    idStyle = "int"    // "1", "2", ...
	idsBase64 idStyle = "base64" // base64url with '=' padding: every id ends in '=' or '=='
)

func parseIDStyle(s string) (idStyle, error) {
	switch st := idStyle(strings.ToLower(s)); st {
	case "":
		return idsUUID, nil
	case idsUUID, idsInt, idsBase64:
		return st, nil
	}
	return "", fmt.Errorf("INTEROP_IDS=%q: want uuid, int or base64", s)
}

type kind int

const (
	kindUser kind = iota
	kindGroup
)

// record is one stored resource. attrs is never modified once stored
// (a write stores a new map), so a Resource handed to the library stays
// consistent while the library renders it outside our lock.
type record struct {
	id                string
	attrs             map[string]interface{} // validated attributes, externalId included
	created, modified time.Time
	version           int
}

// table is the records of one resource type.
type table struct {
	byID  map[string]*record
	byKey map[string]*record // by lower-cased userName / displayName
	order []*record          // creation order: the listing order
}

// store holds users and groups under one lock (deleting a user changes groups).
type store struct {
	mu     sync.Mutex
	ids    idStyle
	seq    int
	tables [2]*table
}

func newStore(ids idStyle) *store {
	s := &store{ids: ids}
	for i := range s.tables {
		s.tables[i] = &table{byID: map[string]*record{}, byKey: map[string]*record{}}
	}
	return s
}

// newID returns a fresh id in the configured style.
func (s *store) newID() string {
	s.seq++
	switch s.ids {
	case idsInt:
		return strconv.Itoa(s.seq)
	case idsBase64:
		payload := []byte("sa-" + strconv.Itoa(s.seq))
		if len(payload)%3 == 0 { // a length not divisible by 3 is what makes padding
			payload = append(payload, '.')
		}
		return base64.URLEncoding.EncodeToString(payload) // alphabet A-Z a-z 0-9 - _, never '/'
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6], b[8] = b[6]&0x0f|0x40, b[8]&0x3f|0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// handler is the ResourceHandler of one resource type.
type handler struct {
	st      *store
	kind    kind
	key     string // the unique attribute: userName or displayName
	name    string // the resource type name, for meta.resourceType in filters
	patcher patcher
}

func (s *store) handler(k kind, core schema.Schema, exts ...schema.Schema) *handler {
	h := &handler{st: s, kind: k, key: "userName", name: "User", patcher: newPatcher(core, exts...)}
	if k == kindGroup {
		h.key, h.name = "displayName", "Group"
	}
	return h
}

func (h *handler) table() *table { return h.st.tables[h.kind] }

// resource is r as the library renders it.
func (h *handler) resource(r *record) scim.Resource {
	attrs := make(scim.ResourceAttributes, len(r.attrs))
	var ext optional.String
	for k, v := range r.attrs {
		if k == "externalId" {
			ext = optional.NewString(v.(string)) // the library renders it from Resource.ExternalID
			continue
		}
		attrs[k] = v
	}
	created, modified := r.created, r.modified
	return scim.Resource{ID: r.id, ExternalID: ext, Attributes: attrs, Meta: scim.Meta{
		Created: &created, LastModified: &modified, Version: fmt.Sprintf(`W/"%d"`, r.version),
	}}
}

// clean drops what the store never keeps: password (writeOnly, returned
// "never": the library leaves withholding it to the handler) and empty
// multi-valued attributes.
func clean(attrs map[string]interface{}) map[string]interface{} {
	delete(attrs, "password")
	for k, v := range attrs {
		if l, ok := v.([]interface{}); ok && len(l) == 0 {
			delete(attrs, k)
		}
	}
	return attrs
}

// check enforces the store's rules on attrs about to be stored for id
// ("" for a new resource): the unique key (case-insensitive) and, for a
// group, members that are users of this store, each once.
func (h *handler) check(id string, attrs map[string]interface{}) error {
	key, _ := attrs[h.key].(string)
	if key == "" {
		return scimerrors.ScimErrorInvalidValue
	}
	if other, ok := h.table().byKey[strings.ToLower(key)]; ok && other.id != id {
		return scimerrors.ScimErrorUniqueness
	}
	if h.kind != kindGroup {
		return nil
	}
	members, _ := attrs["members"].([]interface{})
	seen := map[string]bool{}
	kept := members[:0:0]
	for _, m := range members {
		v, _ := m.(map[string]interface{})["value"].(string)
		if _, ok := h.st.tables[kindUser].byID[v]; !ok {
			return scimerrors.ScimError{Status: http.StatusBadRequest, ScimType: scimerrors.ScimTypeInvalidValue,
				Detail: fmt.Sprintf("member %q is not a user of this service", v)}
		}
		if !seen[v] {
			seen[v] = true
			kept = append(kept, m)
		}
	}
	if len(kept) > 0 {
		attrs["members"] = kept
	}
	return nil
}

// put stores attrs as the new state of r (nil: a new resource) and
// returns the stored record.
func (h *handler) put(r *record, attrs map[string]interface{}) *record {
	t, now := h.table(), time.Now().UTC()
	n := &record{attrs: attrs, created: now, modified: now, version: 1}
	if r == nil {
		n.id = h.st.newID()
		t.order = append(t.order, n)
	} else {
		n.id, n.created, n.version = r.id, r.created, r.version+1
		delete(t.byKey, strings.ToLower(r.attrs[h.key].(string)))
		for i := range t.order {
			if t.order[i] == r {
				t.order[i] = n
			}
		}
	}
	t.byID[n.id] = n
	t.byKey[strings.ToLower(attrs[h.key].(string))] = n
	return n
}

func (h *handler) find(id string) (*record, error) {
	r, ok := h.table().byID[id]
	if !ok {
		return nil, scimerrors.ScimErrorResourceNotFound(id)
	}
	return r, nil
}

// Create implements scim.ResourceHandler.
func (h *handler) Create(_ *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	a := clean(attrs)
	if err := h.check("", a); err != nil {
		return scim.Resource{}, err
	}
	return h.resource(h.put(nil, a)), nil
}

// Get implements scim.ResourceHandler.
func (h *handler) Get(_ *http.Request, id string) (scim.Resource, error) {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	r, err := h.find(id)
	if err != nil {
		return scim.Resource{}, err
	}
	return h.resource(r), nil
}

// GetAll implements scim.ResourceHandler: the resources that pass the
// library's filter validator, in creation order, paged by the startIndex
// and count the library parsed (and capped).
func (h *handler) GetAll(_ *http.Request, p scim.ListRequestParams) (scim.Page, error) {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	page := scim.Page{Resources: []scim.Resource{}}
	for _, r := range h.table().order {
		if p.FilterValidator != nil && p.FilterValidator.PassesFilter(h.filterView(r)) != nil {
			continue
		}
		page.TotalResults++
		if page.TotalResults >= p.StartIndex && len(page.Resources) < p.Count {
			page.Resources = append(page.Resources, h.resource(r))
		}
	}
	return page, nil
}

// filterView is r in the form the library's PassesFilter reads: the
// attributes with id and meta, and each extension attribute also under
// "<schema URN>:<name>" (PassesFilter looks there, not inside the
// extension's object).
func (h *handler) filterView(r *record) map[string]interface{} {
	v := make(map[string]interface{}, len(r.attrs)+4)
	for k, x := range r.attrs {
		v[k] = x
		if ext, ok := x.(map[string]interface{}); ok && h.patcher.exts[k].ID != "" {
			for sub, y := range ext {
				v[k+":"+sub] = y
			}
		}
	}
	v["id"] = r.id
	v["meta"] = map[string]interface{}{
		"resourceType": h.name,
		"created":      r.created.Format(time.RFC3339),
		"lastModified": r.modified.Format(time.RFC3339),
		"version":      fmt.Sprintf(`W/"%d"`, r.version),
	}
	return v
}

// Replace implements scim.ResourceHandler.
func (h *handler) Replace(_ *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	r, err := h.find(id)
	if err != nil {
		return scim.Resource{}, err
	}
	a := clean(attrs)
	if err := h.check(id, a); err != nil {
		return scim.Resource{}, err
	}
	return h.resource(h.put(r, a)), nil
}

// Patch implements scim.ResourceHandler: the operations apply in order to
// a copy, which is stored if all of them succeed and it passes the
// store's rules. It always answers with the resource (200 OK).
func (h *handler) Patch(_ *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	r, err := h.find(id)
	if err != nil {
		return scim.Resource{}, err
	}
	a := deepCopy(r.attrs).(map[string]interface{})
	for _, op := range ops {
		if err := h.patcher.apply(a, op); err != nil {
			return scim.Resource{}, err
		}
	}
	a = clean(a)
	if err := h.check(id, a); err != nil {
		return scim.Resource{}, err
	}
	if !reflect.DeepEqual(a, r.attrs) {
		r = h.put(r, a)
	}
	return h.resource(r), nil
}

// Delete implements scim.ResourceHandler. Deleting a user removes it from
// every group's members.
func (h *handler) Delete(_ *http.Request, id string) error {
	h.st.mu.Lock()
	defer h.st.mu.Unlock()
	r, err := h.find(id)
	if err != nil {
		return err
	}
	t := h.table()
	delete(t.byID, id)
	delete(t.byKey, strings.ToLower(r.attrs[h.key].(string)))
	for i := range t.order {
		if t.order[i] == r {
			t.order = append(t.order[:i], t.order[i+1:]...)
			break
		}
	}
	if h.kind == kindUser {
		groups := &handler{st: h.st, kind: kindGroup, key: "displayName"}
		for _, g := range append([]*record(nil), h.st.tables[kindGroup].order...) {
			members, _ := g.attrs["members"].([]interface{})
			kept := make([]interface{}, 0, len(members))
			for _, m := range members {
				if m.(map[string]interface{})["value"] != id {
					kept = append(kept, m)
				}
			}
			if len(kept) != len(members) {
				a := deepCopy(g.attrs).(map[string]interface{})
				a["members"] = kept
				groups.put(g, clean(a))
			}
		}
	}
	return nil
}

// deepCopy copies the maps and slices of a JSON-like value.
func deepCopy(v interface{}) interface{} {
	switch v := v.(type) {
	case map[string]interface{}:
		c := make(map[string]interface{}, len(v))
		for k, x := range v {
			c[k] = deepCopy(x)
		}
		return c
	case []interface{}:
		c := make([]interface{}, len(v))
		for i, x := range v {
			c[i] = deepCopy(x)
		}
		return c
	}
	return v
}
