package scimserver

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	filter "github.com/scim2/filter-parser/v2"
)

// matcher is a compiled filter: it reports whether a canonical document
// matches.
type matcher func(doc map[string]any) bool

// scope is where attribute paths of a filter resolve: a resource type (top
// level, with schema URNs) or the sub-attributes of a multi-valued complex
// attribute inside a value filter such as emails[type eq "work"].
type scope struct {
	kind *resourceKind // nil inside a value filter
	defs []attrDef     // inside a value filter
	// caseSensitiveEq makes eq and ne compare strings case-sensitively
	// whatever the attribute's caseExact (QuirkFilterCaseSensitive).
	caseSensitiveEq bool
}

// parseFilter parses and compiles a filter for resources of kind k. Any
// problem is a 400 invalidFilter.
func parseFilter(k *resourceKind, raw string) (filter.Expression, matcher, *scimError) {
	return parseFilterCase(k, raw, false)
}

// parseFilterCase is parseFilter, with eq and ne comparing strings
// case-sensitively when caseSensitiveEq.
func parseFilterCase(k *resourceKind, raw string, caseSensitiveEq bool) (filter.Expression, matcher, *scimError) {
	expr, err := filter.ParseFilter([]byte(raw))
	if err != nil {
		return nil, nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("filter %q does not parse: %v", raw, err))
	}
	m, serr := compile(scope{kind: k, caseSensitiveEq: caseSensitiveEq}, expr)
	if serr != nil {
		return nil, nil, serr
	}
	return expr, m, nil
}

// filterCacheSize bounds a store's cache of compiled filters.
const filterCacheSize = 256

// filterCache remembers recently compiled filters of one store. IdPs repeat
// filters (connection tests, group lookups by displayName), and parsing is
// most of the cost of an indexed lookup. Compiled filters are immutable, so
// concurrent requests share them. The zero value is ready to use; a nil
// cache compiles every time.
type filterCache struct {
	mu sync.Mutex
	m  map[string]compiledFilter
}

// compiledFilter is a parsed filter and its matcher.
type compiledFilter struct {
	expr  filter.Expression
	match matcher
}

// parse returns the compiled filter for raw, from the cache when it can.
// Invalid filters are not cached.
func (c *filterCache) parse(k *resourceKind, raw string, caseSensitiveEq bool) (filter.Expression, matcher, *scimError) {
	if c == nil {
		return parseFilterCase(k, raw, caseSensitiveEq)
	}
	key := k.name + " " + raw
	if caseSensitiveEq {
		key = "case-sensitive " + key
	}
	c.mu.Lock()
	f, ok := c.m[key]
	c.mu.Unlock()
	if ok {
		return f.expr, f.match, nil
	}
	expr, match, err := parseFilterCase(k, raw, caseSensitiveEq)
	if err != nil {
		return nil, nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= filterCacheSize {
		c.m = make(map[string]compiledFilter, filterCacheSize) // forget everything: simple and bounded
	}
	c.m[key] = compiledFilter{expr, match}
	return expr, match, nil
}

// compile turns an expression into a matcher, checking that every
// comparison makes sense for its attribute's type.
func compile(sc scope, expr filter.Expression) (matcher, *scimError) {
	switch e := expr.(type) {
	case *filter.LogicalExpression:
		return compileLogical(sc, e)
	case *filter.NotExpression:
		inner, err := compile(sc, e.Expression)
		if err != nil {
			return nil, err
		}
		return func(doc map[string]any) bool { return !inner(doc) }, nil
	case *filter.ValuePath:
		return compileValuePath(sc, e)
	case *filter.AttributeExpression:
		return compileAttrExp(sc, e)
	default:
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("unsupported filter expression %v", expr))
	}
}

// compileLogical compiles "and" and "or".
func compileLogical(sc scope, e *filter.LogicalExpression) (matcher, *scimError) {
	left, err := compile(sc, e.Left)
	if err != nil {
		return nil, err
	}
	right, err := compile(sc, e.Right)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(string(e.Operator)) {
	case string(filter.AND):
		return func(doc map[string]any) bool { return left(doc) && right(doc) }, nil
	case string(filter.OR):
		return func(doc map[string]any) bool { return left(doc) || right(doc) }, nil
	default:
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("unknown logical operator %q", e.Operator))
	}
}

// compileValuePath compiles attr[valueFilter]: true when any element of the
// multi-valued complex attribute matches the value filter.
func compileValuePath(sc scope, e *filter.ValuePath) (matcher, *scimError) {
	ref := sc.resolve(e.AttributePath)
	if ref == nil {
		return constant(false), nil
	}
	if ref.attr.Type != typeComplex || e.AttributePath.SubAttribute != nil {
		return nil, badRequest(scimTypeInvalidFilter,
			fmt.Sprintf("value filter on %q: only complex attributes have value filters", e.AttributePath))
	}
	inner, err := compile(scope{defs: ref.attr.SubAttributes, caseSensitiveEq: sc.caseSensitiveEq}, e.ValueFilter)
	if err != nil {
		return nil, err
	}
	return func(doc map[string]any) bool {
		for _, el := range elements(ref.raw(doc)) {
			if inner(el) {
				return true
			}
		}
		return false
	}, nil
}

// compileAttrExp compiles one comparison.
func compileAttrExp(sc scope, e *filter.AttributeExpression) (matcher, *scimError) {
	op := filter.CompareOperator(strings.ToLower(string(e.Operator)))
	if !knownOperator(op) {
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("unknown operator %q", e.Operator))
	}
	ref := sc.resolve(e.AttributePath)
	if ref == nil { // unknown attribute: it has no value anywhere
		return constant(op == filter.NE), nil
	}
	if op == filter.PR || (e.CompareValue == nil && (op == filter.EQ || op == filter.NE)) {
		present := op != filter.EQ // "pr" and "ne null"
		return func(doc map[string]any) bool { return (len(ref.values(doc)) > 0) == present }, nil
	}
	test, err := comparison(ref.def, op, e, sc.caseSensitiveEq)
	if err != nil {
		return nil, err
	}
	if op == filter.NE {
		return func(doc map[string]any) bool { return !anyValue(ref.values(doc), test) }, nil
	}
	return func(doc map[string]any) bool { return anyValue(ref.values(doc), test) }, nil
}

// knownOperator reports whether op is one of RFC 7644's comparison operators.
func knownOperator(op filter.CompareOperator) bool {
	switch op {
	case filter.PR, filter.EQ, filter.NE, filter.CO, filter.SW, filter.EW, filter.GT, filter.GE, filter.LT, filter.LE:
		return true
	}
	return false
}

// anyValue reports whether test holds for one of vals.
func anyValue(vals []any, test func(any) bool) bool {
	for _, v := range vals {
		if test(v) {
			return true
		}
	}
	return false
}

// constant is a matcher with a fixed answer.
func constant(b bool) matcher { return func(map[string]any) bool { return b } }

// comparison builds the test of one value against the compare value of e.
// For "ne" it returns the equality test (the caller negates it, so that a
// multi-valued attribute is "ne" only when no value equals).
// caseSensitiveEq compares strings with eq and ne case-sensitively.
func comparison(def *attrDef, op filter.CompareOperator, e *filter.AttributeExpression, caseSensitiveEq bool) (func(any) bool, *scimError) {
	if op == filter.NE {
		op = filter.EQ
	}
	if e.CompareValue == nil {
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("%q: null can only be compared with eq or ne", e))
	}
	switch def.Type {
	case typeBoolean:
		return boolComparison(op, e)
	case typeDateTime:
		if !isOrdering(op) {
			break // co, sw, ew compare the text
		}
		t, ok := timeValue(e.CompareValue)
		if !ok {
			return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("%q: %q is a dateTime; compare it with an RFC 3339 string", e, def.Name))
		}
		return timeComparison(op, t), nil
	case typeComplex:
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("%q: compare a sub-attribute of %q", e, def.Name))
	}
	s, ok := e.CompareValue.(string)
	if !ok {
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("%q: %q is a %s; compare it with a quoted string", e, def.Name, def.Type))
	}
	return stringComparison(op, unescape(s), def.CaseExact || (caseSensitiveEq && op == filter.EQ)), nil
}

// isOrdering reports whether op compares by order or equality (as opposed
// to the substring operators).
func isOrdering(op filter.CompareOperator) bool {
	switch op {
	case filter.EQ, filter.GT, filter.GE, filter.LT, filter.LE:
		return true
	}
	return false
}

// boolComparison compares a boolean attribute; only eq (and ne) make sense.
func boolComparison(op filter.CompareOperator, e *filter.AttributeExpression) (func(any) bool, *scimError) {
	want, ok := e.CompareValue.(bool)
	if !ok || op != filter.EQ {
		return nil, badRequest(scimTypeInvalidFilter, fmt.Sprintf("%q: a boolean is compared with eq or ne and true or false", e))
	}
	return func(v any) bool { b, ok := v.(bool); return ok && b == want }, nil
}

// timeComparison compares a dateTime attribute by instant.
func timeComparison(op filter.CompareOperator, want time.Time) func(any) bool {
	return func(v any) bool {
		t, ok := timeValue(v)
		if !ok {
			return false
		}
		return ordered(op, t.Compare(want))
	}
}

// timeValue parses an RFC 3339 string.
func timeValue(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}

// stringComparison compares a string attribute, case-insensitively unless
// the attribute is caseExact.
func stringComparison(op filter.CompareOperator, want string, caseExact bool) func(any) bool {
	norm := strings.ToLower
	if caseExact {
		norm = func(s string) string { return s }
	}
	want = norm(want)
	return func(v any) bool {
		s, ok := v.(string)
		if !ok {
			return false
		}
		s = norm(s)
		switch op {
		case filter.CO:
			return strings.Contains(s, want)
		case filter.SW:
			return strings.HasPrefix(s, want)
		case filter.EW:
			return strings.HasSuffix(s, want)
		default:
			return ordered(op, strings.Compare(s, want))
		}
	}
}

// ordered applies an equality or ordering operator to a comparison result.
func ordered(op filter.CompareOperator, c int) bool {
	switch op {
	case filter.EQ:
		return c == 0
	case filter.GT:
		return c > 0
	case filter.GE:
		return c >= 0
	case filter.LT:
		return c < 0
	case filter.LE:
		return c <= 0
	}
	return false
}

// unescape resolves the JSON escapes of a filter string literal (the
// parser strips the quotes but keeps the escapes), so that userName eq
// "a\"b" matches the userName a"b.
func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var out string
	if err := json.Unmarshal([]byte(`"`+s+`"`), &out); err != nil {
		return s
	}
	return out
}

// attrRef is a resolved attribute path: its definition and how to read its
// values out of a document.
type attrRef struct {
	attr      *attrDef // the attribute
	def       *attrDef // the compared attribute (the sub-attribute, if any)
	container string   // "" or an extension URN (top-level scope only)
	name      string   // canonical attribute name
	sub       string   // canonical sub-attribute name, or ""
}

// resolve resolves a filter attribute path in the scope; nil for an
// attribute the schema does not know.
func (sc scope) resolve(p filter.AttributePath) *attrRef {
	defs, container := sc.defs, ""
	if sc.kind != nil {
		var ok bool
		if defs, container, ok = sc.kind.attrs(p.URI()); !ok {
			return nil
		}
	} else if p.URIPrefix != nil {
		return nil
	}
	def := findAttr(defs, p.AttributeName)
	if def == nil {
		return nil
	}
	ref := &attrRef{attr: def, def: def, container: container, name: def.Name}
	if p.SubAttribute != nil {
		sd := def.sub(*p.SubAttribute)
		if sd == nil {
			return nil
		}
		ref.def, ref.sub = sd, sd.Name
	} else if def.Type == typeComplex && def.MultiValued {
		// RFC 7644 §3.4.2.2: a multi-valued complex attribute without a
		// sub-attribute is compared through its "value".
		if vd := def.sub("value"); vd != nil {
			ref.def, ref.sub = vd, vd.Name
		}
	}
	return ref
}

// raw returns the attribute's value in doc (nil when absent).
func (r *attrRef) raw(doc map[string]any) any {
	if r.container != "" {
		ext, _ := doc[r.container].(map[string]any)
		return ext[r.name]
	}
	return doc[r.name]
}

// values returns every non-empty value of the (sub-)attribute in doc.
func (r *attrRef) values(doc map[string]any) []any {
	v := r.raw(doc)
	if r.sub == "" {
		return nonEmpty(v)
	}
	var out []any
	for _, el := range elements(v) {
		out = append(out, nonEmpty(el[r.sub])...)
	}
	return out
}

// nonEmpty returns v's values: the elements of a list, or v itself, without
// nulls and empty strings.
func nonEmpty(v any) []any {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	out := list[:0:0]
	for _, e := range list {
		if e != nil && e != "" {
			out = append(out, e)
		}
	}
	return out
}

// elements returns the objects of a complex value (one object or a list).
func elements(v any) []map[string]any {
	switch t := v.(type) {
	case map[string]any:
		return []map[string]any{t}
	case []any:
		out := make([]map[string]any, 0, len(t))
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	}
	return nil
}

// indexKey is a top-level "attr eq value" on an indexed attribute.
type indexKey struct {
	attr  string // canonical name: id, externalId, userName or displayName
	value string
}

// indexable returns the index lookups that together yield a superset of the
// resources expr can match: one lookup for "attr eq value", the lookups of
// either side of an "and", both sides of an "or". ok is false when expr
// needs a scan.
func indexable(k *resourceKind, expr filter.Expression) (keys []indexKey, ok bool) {
	switch e := expr.(type) {
	case *filter.AttributeExpression:
		return indexedEq(k, e)
	case *filter.LogicalExpression:
		left, lok := indexable(k, e.Left)
		right, rok := indexable(k, e.Right)
		if strings.EqualFold(string(e.Operator), string(filter.AND)) {
			switch {
			case lok:
				return left, true
			case rok:
				return right, true
			}
			return nil, false
		}
		return append(left, right...), lok && rok
	}
	return nil, false
}

// indexedEq recognises "id|externalId|userName|displayName eq "value"".
func indexedEq(k *resourceKind, e *filter.AttributeExpression) ([]indexKey, bool) {
	s, isString := e.CompareValue.(string)
	if !isString || !strings.EqualFold(string(e.Operator), string(filter.EQ)) || e.AttributePath.SubAttribute != nil {
		return nil, false
	}
	defs, container, ok := k.attrs(e.AttributePath.URI())
	if !ok || container != "" {
		return nil, false
	}
	def := findAttr(defs, e.AttributePath.AttributeName)
	if def == nil || (def.Name != "id" && def.Name != "externalId" && def.Uniqueness != "server") {
		return nil, false
	}
	return []indexKey{{attr: def.Name, value: unescape(s)}}, true
}
