package scimserver

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// patchOp is one operation of a PatchOp request (RFC 7644 §3.5.2).
type patchOp struct {
	op    string // "add", "replace" or "remove"
	path  string // "" when absent
	value any
}

// parsePatch validates a PatchOp request body. Member names and op values
// are case-insensitive (Entra ID sends "Operations" with "Add").
func parsePatch(body map[string]any) ([]patchOp, *scimError) {
	f := &fields{m: lowerKeys(body)}
	if !slices.ContainsFunc(stringList(f.m["schemas"]), func(s string) bool { return strings.EqualFold(s, urnPatchOp) }) {
		return nil, badRequest(scimTypeInvalidSyntax, fmt.Sprintf("a PATCH body needs \"schemas\": [%q]", urnPatchOp))
	}
	list, ok := f.m["operations"].([]any)
	if !ok || len(list) == 0 {
		return nil, badRequest(scimTypeInvalidSyntax, "a PATCH body needs a non-empty \"Operations\" list")
	}
	ops := make([]patchOp, 0, len(list))
	for i, raw := range list {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, badRequest(scimTypeInvalidSyntax, fmt.Sprintf("operation %d is not an object", i+1))
		}
		m = lowerKeys(m)
		opName, _ := m["op"].(string)
		path, pathOK := m["path"].(string)
		op := patchOp{op: strings.ToLower(opName), path: strings.TrimSpace(path), value: m["value"]}
		switch {
		case op.op != "add" && op.op != "replace" && op.op != "remove":
			return nil, badRequest(scimTypeInvalidSyntax, fmt.Sprintf("operation %d: op %q is not add, replace or remove", i+1, opName))
		case !pathOK && m["path"] != nil:
			return nil, badRequest(scimTypeInvalidPath, fmt.Sprintf("operation %d: path must be a string", i+1))
		case op.op != "remove" && op.value == nil:
			return nil, badRequest(scimTypeInvalidValue, fmt.Sprintf("operation %d: %s needs a value", i+1, op.op))
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// lowerKeys returns m with lower-case keys (for PatchOp message members,
// not resource attributes).
func lowerKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[strings.ToLower(k)] = v
	}
	return out
}

// stringList returns the strings of a JSON list.
func stringList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, e := range list {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// applyPatch applies ops in order to doc, a private copy of a canonical
// document of kind k. On error doc is garbage and must be discarded.
// Consecutive removes by a simple value filter (members[value eq "id"], as
// Okta, Entra ID and our provider send them) are applied together in one
// pass, so a PATCH of many removes costs one scan, not one per operation.
func applyPatch(k *resourceKind, doc map[string]any, ops []patchOp) *scimError {
	for len(ops) > 0 {
		n, err := applyRemoveRun(k, doc, ops)
		if err != nil {
			return err
		}
		if n > 0 {
			ops = ops[n:]
			continue
		}
		if err := applyOne(k, doc, ops[0]); err != nil {
			return err
		}
		ops = ops[1:]
	}
	return nil
}

// applyRemoveRun applies the longest run at the start of ops of removes by
// `attr[sub eq "value"]` (no sub-attribute after the filter) on the same
// attribute and sub-attribute, in one pass over the attribute's elements,
// and returns how many operations it applied (0 when ops does not start
// with such a remove). Applying them together is the same as applying them
// in turn: whether an element matches depends on the element alone, and
// removing no element is not an error. An operation that fails to resolve
// fails the PATCH with the error applyPath would have returned.
func applyRemoveRun(k *resourceKind, doc map[string]any, ops []patchOp) (int, *scimError) {
	var first *target
	var set map[string]struct{}
	n := 0
	for _, op := range ops {
		t, err := eqRemoveTarget(k, doc, op)
		if err != nil {
			return 0, err
		}
		if t == nil || (first != nil && (t.def.Name != first.def.Name || t.containerURN != first.containerURN || t.eqKey != first.eqKey)) {
			break
		}
		if first == nil {
			first, set = t, map[string]struct{}{}
		}
		set[first.eqNorm(t.eqValue)] = struct{}{}
		n++
	}
	if n == 0 {
		return 0, nil
	}
	first.removeEqual(set)
	return n, nil
}

// eqRemoveTarget resolves op when it is a remove by a simple value filter
// that applyRemoveRun can batch, and returns nil otherwise (or when its path
// resolves to nothing to do). Errors are those applyPath returns for op.
func eqRemoveTarget(k *resourceKind, doc map[string]any, op patchOp) (*target, *scimError) {
	if op.op != "remove" || op.path == "" || k.extension(op.path) != nil {
		return nil, nil
	}
	if k == groupKind {
		if id, ok := memberValuePath(op.path); ok {
			return &target{container: doc, def: membersDef, eqKey: membersValueDef.Name, eqValue: id, eqDef: membersValueDef}, nil
		}
	}
	t, err := pathTarget(k, doc, op, false)
	if err != nil || t == nil {
		return nil, err
	}
	if t.match == nil || t.sub != nil || t.eqDef == nil || (t.eqDef.Type != typeString && t.eqDef.Type != typeReference) {
		return nil, nil
	}
	return t, nil
}

// membersDef and membersValueDef are the Group schema's members and
// members.value.
var (
	membersDef      = findAttr(groupSchema.Attributes, "members")
	membersValueDef = membersDef.sub("value")
)

// memberValuePath recognises, without the general parser, the exact path
// `members[value eq "ID"]` with an ID of letters, digits and "-._@+:" (the
// common form; ids are UUIDs), and returns the ID. Any other spelling
// goes through filter.ParsePath as before; this one parses to the same
// path.
func memberValuePath(path string) (string, bool) {
	const prefix, suffix = `members[value eq "`, `"]`
	if len(path) < len(prefix)+len(suffix) || path[:len(prefix)] != prefix || path[len(path)-len(suffix):] != suffix {
		return "", false
	}
	id := path[len(prefix) : len(path)-len(suffix)]
	for i := 0; i < len(id); i++ {
		if !plainIDByte(id[i]) {
			return "", false
		}
	}
	return id, true
}

// plainIDByte reports whether c may appear in an ID that memberValuePath
// takes without the filter parser: one that needs no escaping in a filter.
func plainIDByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._@+:", c) >= 0
}

// eqNorm is the form in which the filter value v compares with eqKey's
// values: itself for a caseExact sub-attribute, else lower case (see
// stringComparison).
func (t *target) eqNorm(v string) string {
	if t.eqDef.CaseExact {
		return v
	}
	return strings.ToLower(v)
}

// removeEqual removes the elements of which one eqKey value, normalized by
// eqNorm, is in set: what removes by the value filters `eqKey eq "v"` for
// every v of set do, one after the other (see compileAttrExp: a value
// matches when one of its non-empty values is a string equal to v).
func (t *target) removeEqual(set map[string]struct{}) {
	name := t.def.Name
	hit := func(el map[string]any) bool {
		v := el[t.eqKey]
		if s, ok := v.(string); ok {
			_, in := set[t.eqNorm(s)]
			return s != "" && in
		}
		for _, v := range nonEmpty(v) {
			if s, ok := v.(string); ok {
				if _, in := set[t.eqNorm(s)]; in {
					return true
				}
			}
		}
		return false
	}
	list, _ := t.container[name].([]any)
	kept := list[:0:0]
	for _, v := range list {
		if el, ok := v.(map[string]any); ok && hit(el) {
			continue
		}
		kept = append(kept, v)
	}
	t.container[name] = kept // removing no element is not an error
}

// applyOne applies one operation.
func applyOne(k *resourceKind, doc map[string]any, op patchOp) *scimError {
	if op.path == "" {
		return applyWithoutPath(k, doc, op)
	}
	return applyPath(k, doc, op, false)
}

// applyWithoutPath applies add/replace of an object of attributes: each
// member is applied as if its name were the path (Entra ID sends names such
// as "name.givenName"). Read-only attributes (Okta sends "id") and names
// that are not attribute paths are skipped.
func applyWithoutPath(k *resourceKind, doc map[string]any, op patchOp) *scimError {
	if op.op == "remove" {
		return badRequest(scimTypeNoTarget, "remove needs a path")
	}
	obj, ok := op.value.(map[string]any)
	if !ok {
		return badRequest(scimTypeInvalidValue, "without a path, value must be an object of attributes")
	}
	keys := make([]string, 0, len(obj))
	for key := range obj {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	for _, key := range keys {
		sub := patchOp{op: op.op, path: key, value: obj[key]}
		if sub.value == nil {
			sub.op = "remove"
		}
		if err := applyPath(k, doc, sub, true); err != nil {
			return err
		}
	}
	return nil
}

// target is a resolved PATCH path.
type target struct {
	container    map[string]any // the map holding the attribute
	containerURN string         // "" or the extension URN of container
	def          *attrDef       // the attribute
	sub          *attrDef       // its sub-attribute, or nil
	match        matcher        // value filter, or nil
	eqKey        string         // for a value filter "sub eq value": sub
	eqValue      string         // and value, to create a missing element
	eqDef        *attrDef       // and sub's definition
}

// applyPath applies one operation with a path. lenient (for attribute
// names inside a value) skips read-only targets and unparsable names instead
// of failing with mutability or invalidPath.
func applyPath(k *resourceKind, doc map[string]any, op patchOp, lenient bool) *scimError {
	if e := k.extension(op.path); e != nil {
		return applyExtension(k, doc, e, op)
	}
	t, err := pathTarget(k, doc, op, lenient)
	if err != nil || t == nil {
		return err
	}
	switch {
	case t.match != nil:
		return t.applyFiltered(op)
	case t.sub != nil:
		t.applySub(op)
		return nil
	default:
		return t.applyAttr(op)
	}
}

// pathTarget parses and resolves the path of op (not an extension URN).
// A nil target means there is nothing to do: an attribute this service does
// not keep, or (when lenient) a path that does not parse or is read-only.
func pathTarget(k *resourceKind, doc map[string]any, op patchOp, lenient bool) (*target, *scimError) {
	p, err := filter.ParsePath([]byte(op.path))
	if err != nil {
		if lenient {
			return nil, nil
		}
		return nil, badRequest(scimTypeInvalidPath, fmt.Sprintf("path %q does not parse: %v", op.path, err))
	}
	t, serr := resolveTarget(k, doc, p)
	if serr != nil || t == nil {
		return nil, serr // nil target: an attribute this service does not keep
	}
	if t.def.readOnly() || (t.sub != nil && t.sub.readOnly()) {
		if lenient {
			return nil, nil
		}
		return nil, badRequest(scimTypeMutability, fmt.Sprintf("path %q is read-only", op.path))
	}
	if t.sub != nil && t.sub.immutable() {
		// A path to a sub-attribute changes existing elements; immutable
		// ones (members') are only set by adding an element.
		if lenient {
			return nil, nil
		}
		return nil, badRequest(scimTypeMutability,
			fmt.Sprintf("path %q is immutable: add or remove the whole %s value instead", op.path, t.def.Name))
	}
	return t, nil
}

// applyExtension applies an operation whose path is a whole extension URN.
func applyExtension(k *resourceKind, doc map[string]any, e *schemaDef, op patchOp) *scimError {
	if op.op == "remove" {
		delete(doc, e.ID)
		return nil
	}
	obj, ok := op.value.(map[string]any)
	if !ok {
		return badRequest(scimTypeInvalidValue, fmt.Sprintf("value for %q must be an object", e.ID))
	}
	prefixed := make(map[string]any, len(obj))
	for key, v := range obj {
		prefixed[e.ID+":"+key] = v
	}
	return applyWithoutPath(k, doc, patchOp{op: op.op, value: prefixed})
}

// resolveTarget resolves a parsed PATCH path against doc; nil for
// attributes the schema does not know.
func resolveTarget(k *resourceKind, doc map[string]any, p filter.Path) (*target, *scimError) {
	defs, container, ok := k.attrs(p.AttributePath.URI())
	if !ok {
		return nil, nil
	}
	def := findAttr(defs, p.AttributePath.AttributeName)
	if def == nil {
		return nil, nil
	}
	t := &target{container: doc, containerURN: container, def: def}
	if container != "" {
		ext, ok := doc[container].(map[string]any)
		if !ok {
			ext = map[string]any{}
			doc[container] = ext
		}
		t.container = ext
	}
	subName := p.AttributePath.SubAttributeName()
	if p.SubAttribute != nil {
		subName = *p.SubAttribute
	}
	if subName != "" {
		if def.Type != typeComplex {
			return nil, badRequest(scimTypeInvalidPath, fmt.Sprintf("path %q: %q has no sub-attributes", p, def.Name))
		}
		if t.sub = def.sub(subName); t.sub == nil {
			return nil, nil
		}
	}
	if p.ValueExpression != nil {
		if def.Type != typeComplex || !def.MultiValued {
			return nil, badRequest(scimTypeInvalidPath, fmt.Sprintf("path %q: only multi-valued complex attributes take a filter", p))
		}
		m, err := compile(scope{defs: def.SubAttributes}, p.ValueExpression)
		if err != nil {
			return nil, badRequest(scimTypeInvalidPath, fmt.Sprintf("path %q: %s", p, err.detail))
		}
		t.match = m
		t.eqKey, t.eqValue = simpleEq(def, p.ValueExpression)
		if t.eqKey != "" {
			t.eqDef = def.sub(t.eqKey)
		}
	}
	return t, nil
}

// simpleEq recognises a value filter `sub eq "value"`, whose element can be
// created when missing (Entra ID adds emails[type eq "work"].value so).
func simpleEq(def *attrDef, expr filter.Expression) (key, value string) {
	e, ok := expr.(*filter.AttributeExpression)
	if !ok || !strings.EqualFold(string(e.Operator), string(filter.EQ)) || e.AttributePath.SubAttribute != nil || e.AttributePath.URIPrefix != nil {
		return "", ""
	}
	s, ok := e.CompareValue.(string)
	sd := def.sub(e.AttributePath.AttributeName)
	if !ok || sd == nil {
		return "", ""
	}
	return sd.Name, unescape(s)
}

// applyAttr applies an operation to a whole attribute.
func (t *target) applyAttr(op patchOp) *scimError {
	name := t.def.Name
	value := canonicalValue(t.def, op.value)
	switch {
	case op.op == "remove" && value != nil && t.def.MultiValued:
		t.container[name] = removeValues(t.container[name], value) // Entra ID: remove members by value
	case op.op == "remove":
		delete(t.container, name)
	case t.def.MultiValued:
		added := asList(value)
		if op.op == "add" {
			if anyPrimary(added) {
				clearPrimary(t.container[name])
			}
			existing, _ := t.container[name].([]any)
			added = append(slices.Clone(existing), added...)
		}
		t.container[name] = added
	case t.def.Type == typeComplex:
		obj, ok := value.(map[string]any)
		if !ok {
			return badRequest(scimTypeInvalidValue, fmt.Sprintf("value for %q must be an object", name))
		}
		t.container[name] = merge(t.container[name], obj)
	default:
		t.container[name] = value
	}
	return nil
}

// applySub applies an operation to a sub-attribute of a complex attribute
// (of every element, for a multi-valued one).
func (t *target) applySub(op patchOp) {
	name, sub := t.def.Name, t.sub.Name
	if t.def.MultiValued {
		for _, el := range elements(t.container[name]) {
			setOrDelete(el, sub, op)
		}
		return
	}
	obj, _ := t.container[name].(map[string]any)
	if obj == nil {
		if op.op == "remove" {
			return
		}
		obj = map[string]any{}
		t.container[name] = obj
	}
	setOrDelete(obj, sub, op)
}

// applyFiltered applies an operation to the elements a value filter selects.
func (t *target) applyFiltered(op patchOp) *scimError {
	name := t.def.Name
	list, _ := t.container[name].([]any)
	var hits []map[string]any
	kept := list[:0:0]
	for _, v := range list {
		el, ok := v.(map[string]any)
		if ok && t.match(el) {
			hits = append(hits, el)
			if op.op == "remove" && t.sub == nil {
				continue
			}
		}
		kept = append(kept, v)
	}
	if op.op == "remove" {
		if t.sub == nil {
			t.container[name] = kept // removing no element is not an error
			return nil
		}
		for _, el := range hits {
			delete(el, t.sub.Name)
		}
		return nil
	}
	if len(hits) == 0 {
		if t.eqKey == "" {
			return badRequest(scimTypeNoTarget, fmt.Sprintf("no %s value matches the path filter", name))
		}
		el := map[string]any{t.eqKey: t.eqValue}
		list = append(list, el)
		t.container[name] = list
		hits = []map[string]any{el}
	}
	for _, el := range hits {
		if t.sub != nil {
			setOrDelete(el, t.sub.Name, op)
			continue
		}
		obj, ok := canonicalValue(t.def, op.value).(map[string]any)
		if !ok {
			return badRequest(scimTypeInvalidValue, fmt.Sprintf("value for a filtered %q path must be an object", name))
		}
		maps.Copy(el, obj)
	}
	return nil
}

// setOrDelete sets m[key] to the operation's value, or deletes it for remove.
func setOrDelete(m map[string]any, key string, op patchOp) {
	if op.op == "remove" {
		delete(m, key)
		return
	}
	m[key] = op.value
}

// merge returns a copy of the complex value have with obj's sub-attributes
// set (RFC 7644 §3.5.2.1/3: unspecified sub-attributes are left unchanged).
func merge(have any, obj map[string]any) map[string]any {
	m, _ := have.(map[string]any)
	out := maps.Clone(m)
	if out == nil {
		out = map[string]any{}
	}
	maps.Copy(out, obj)
	return out
}

// asList returns a list value as is and wraps a single value.
func asList(v any) []any {
	if list, ok := v.([]any); ok {
		return list
	}
	return []any{v}
}

// removeValues removes from a multi-valued complex attribute the elements
// whose "value" equals the "value" of one of the given objects.
func removeValues(have, remove any) []any {
	drop := map[any]bool{}
	for _, el := range elements(remove) {
		if v, ok := el["value"]; ok && isComparable(v) {
			drop[v] = true
		}
	}
	list, _ := have.([]any)
	return slices.DeleteFunc(slices.Clone(list), func(v any) bool {
		el, ok := v.(map[string]any)
		return ok && isComparable(el["value"]) && drop[el["value"]]
	})
}

// isComparable reports whether v can be a map key (JSON scalars can).
func isComparable(v any) bool {
	switch v.(type) {
	case map[string]any, []any:
		return false
	}
	return true
}

// anyPrimary reports whether one of the values is marked primary.
func anyPrimary(values []any) bool {
	for _, el := range elements(values) {
		if p, ok := el["primary"]; ok && (p == true || strings.EqualFold(fmt.Sprint(p), "true")) {
			return true
		}
	}
	return false
}

// clearPrimary unmarks every primary element (RFC 7643 §2.4: adding a new
// primary value demotes the old one).
func clearPrimary(v any) {
	for _, el := range elements(v) {
		if _, ok := el["primary"]; ok {
			el["primary"] = false
		}
	}
}
