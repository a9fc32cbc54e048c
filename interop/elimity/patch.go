package main

// Ours: applying PATCH operations (RFC 7644 §3.5.2) to stored attributes.
// The library has already parsed and validated each operation: the op is
// lower-cased, the path is a parsed filter.Path checked against the
// schemas, and the value is validated and sanitised for the attribute it
// targets (canonical sub-attribute names, a list for a multi-valued
// attribute, a single element under a value filter, booleans from strings).
// Matching elements of a multi-valued attribute against a value filter is
// the library's filter validator too. What is here is the application: where
// in the resource a path lands and what add, replace and remove do there.

import (
	"reflect"

	"github.com/elimity-com/scim"
	scimerrors "github.com/elimity-com/scim/errors"
	libfilter "github.com/elimity-com/scim/filter"
	"github.com/elimity-com/scim/schema"
	"github.com/scim2/filter-parser/v2"
)

// patcher applies operations to the attributes of one resource type.
type patcher struct {
	core schema.Schema            // the core schema plus externalId
	exts map[string]schema.Schema // the extensions, by URN
}

func newPatcher(core schema.Schema, exts ...schema.Schema) patcher {
	attrs := append(schema.Attributes{}, core.Attributes...)
	core.Attributes = append(attrs, schema.CommonAttributes()...)
	p := patcher{core: core, exts: map[string]schema.Schema{}}
	for _, e := range exts {
		p.exts[e.ID] = e
	}
	return p
}

// apply applies one operation to attrs in place.
func (p patcher) apply(attrs map[string]interface{}, op scim.PatchOperation) error {
	if op.Path != nil {
		return p.applyPath(attrs, p.core, op.Op, *op.Path, op.Value)
	}
	// No path (add/replace only): the value is an object of attribute
	// paths, or of an extension's URN holding its attributes.
	values, _ := op.Value.(map[string]interface{})
	for key, v := range values {
		s, ok := p.exts[key]
		if !ok {
			if err := p.applyKey(attrs, p.core, op.Op, key, v); err != nil {
				return err
			}
			continue
		}
		ext, _ := v.(map[string]interface{})
		for sub, sv := range ext {
			if err := p.applyKey(attrs, s, op.Op, s.ID+":"+sub, sv); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyKey applies a path-less operation's key, which the library has
// validated as an attribute path and then discarded the parse of.
func (p patcher) applyKey(attrs map[string]interface{}, s schema.Schema, op, key string, v interface{}) error {
	path, err := filter.ParsePath([]byte(key))
	if err != nil {
		return scimerrors.ScimErrorInvalidPath
	}
	return p.applyPath(attrs, s, op, path, v)
}

// applyPath applies op at path; s is the schema of an attribute path
// without a URN.
func (p patcher) applyPath(attrs map[string]interface{}, s schema.Schema, op string, path filter.Path, value interface{}) error {
	container := attrs
	if uri := path.AttributePath.URI(); uri != "" {
		if ext, ok := p.exts[uri]; ok {
			s = ext
			m, _ := attrs[uri].(map[string]interface{})
			if m == nil {
				m = map[string]interface{}{}
			}
			container = m
			defer func() { // keep the extension object only while it has attributes
				if len(m) > 0 {
					attrs[uri] = m
				} else {
					delete(attrs, uri)
				}
			}()
		}
	}
	attr, ok := s.Attributes.ContainsAttribute(path.AttributePath.AttributeName)
	if !ok {
		return scimerrors.ScimErrorInvalidPath
	}
	name := attr.Name()
	sub := subName(attr, path.AttributePath.SubAttributeName()) // name.givenName
	if !attr.MultiValued() {
		if sub != "" {
			m, _ := container[name].(map[string]interface{})
			if m == nil {
				m = map[string]interface{}{}
			}
			setOrRemove(m, sub, op, value)
			setOrRemove(container, name, opFor(len(m) > 0), m)
			return nil
		}
		if m, ok := value.(map[string]interface{}); ok && op != scim.PatchOperationRemove {
			// A complex value is merged: sub-attributes not given stay (§3.5.2.1, §3.5.2.3).
			old, _ := container[name].(map[string]interface{})
			for k, v := range old {
				if _, given := m[k]; !given {
					m[k] = v
				}
			}
		}
		setOrRemove(container, name, op, value)
		return nil
	}

	list, _ := container[name].([]interface{})
	defer func() { setOrRemove(container, name, opFor(len(list) > 0), list) }()
	if path.ValueExpression == nil && sub == "" {
		switch op {
		case scim.PatchOperationAdd:
			for _, v := range value.([]interface{}) {
				if indexOf(list, v) < 0 {
					list = append(list, v)
				}
			}
		case scim.PatchOperationReplace:
			list = value.([]interface{})
		case scim.PatchOperationRemove:
			if value == nil {
				list = nil
				break
			}
			// A value array selects the elements to remove (as Entra ID sends it).
			for _, v := range value.([]interface{}) {
				for i := indexOf(list, v); i >= 0; i = indexOf(list, v) {
					list = append(list[:i], list[i+1:]...)
				}
			}
		}
		return nil
	}

	// A value filter (emails[type eq "work"]) selects elements, a
	// sub-attribute after it (or without a filter) a part of each.
	if sub == "" {
		sub = subName(attr, path.SubAttributeName())
	}
	var matches []int
	for i, el := range list {
		if path.ValueExpression == nil || passes(attr, path.ValueExpression, el) {
			matches = append(matches, i)
		}
	}
	if len(matches) == 0 && op != scim.PatchOperationRemove {
		el := newElement(attr, path.ValueExpression)
		if op != scim.PatchOperationAdd || el == nil {
			return scimerrors.ScimErrorNoTarget // §3.5.2.3: a filter that matches nothing
		}
		// add with an equality filter that matches nothing: add the element it describes.
		list, matches = append(list, el), []int{len(list)}
	}
	for j := len(matches) - 1; j >= 0; j-- {
		i := matches[j]
		el, _ := list[i].(map[string]interface{})
		switch {
		case sub != "":
			setOrRemove(el, sub, op, value)
		case op == scim.PatchOperationRemove:
			list = append(list[:i], list[i+1:]...)
		case op == scim.PatchOperationAdd:
			for k, v := range value.(map[string]interface{}) {
				el[k] = v
			}
		default:
			list[i] = deepCopy(value)
		}
	}
	return nil
}

// passes reports whether a multi-valued attribute's element passes the
// value filter, by the library's filter validator.
func passes(attr schema.CoreAttribute, exp filter.Expression, el interface{}) bool {
	m, ok := el.(map[string]interface{})
	if !ok {
		return false
	}
	v := libfilter.NewFilterValidator(exp, schema.Schema{Attributes: libfilter.MultiValuedFilterAttributes(attr)})
	return v.PassesFilter(m) == nil
}

// newElement is the element an equality filter (type eq "work") describes,
// or nil for any other filter.
func newElement(attr schema.CoreAttribute, exp filter.Expression) map[string]interface{} {
	if e, ok := exp.(*filter.AttributeExpression); ok && e.Operator == filter.EQ && e.AttributePath.SubAttribute == nil {
		return map[string]interface{}{subName(attr, e.AttributePath.AttributeName): e.CompareValue}
	}
	return nil
}

// subName is the canonical name of attr's sub-attribute name ("" for "").
func subName(attr schema.CoreAttribute, name string) string {
	if name == "" {
		return ""
	}
	if sa, ok := attr.SubAttributes().ContainsAttribute(name); ok {
		return sa.Name()
	}
	return name
}

// indexOf is the index of the element of list equal to v, where two
// elements with a "value" sub-attribute are equal when their values are
// (a group member is its value), or -1.
func indexOf(list []interface{}, v interface{}) int {
	vm, _ := v.(map[string]interface{})
	want, byValue := vm["value"]
	for i, el := range list {
		em, _ := el.(map[string]interface{})
		got, ok := em["value"]
		if byValue && ok && got == want || !byValue && reflect.DeepEqual(el, v) {
			return i
		}
	}
	return -1
}

// opFor is replace when keep, else remove.
func opFor(keep bool) string {
	if keep {
		return scim.PatchOperationReplace
	}
	return scim.PatchOperationRemove
}

// setOrRemove sets m[k] to v for add and replace, and deletes it for remove.
func setOrRemove(m map[string]interface{}, k, op string, v interface{}) {
	if op == scim.PatchOperationRemove {
		delete(m, k)
	} else {
		m[k] = v
	}
}
