package scimserver

import (
	"cmp"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// listQuery is a parsed list or search request (RFC 7644 §3.4.2, §3.4.3)
// for one resource type.
type listQuery struct {
	kind       *resourceKind
	expr       filter.Expression // nil: no filter
	match      matcher
	startIndex int // 1-based
	count      int // at most MaxResults
	sortBy     *attrRef
	descending bool
	proj       projection
}

// searchRequest is the body of POST /.search (RFC 7644 §3.4.3).
type searchRequest struct {
	Attributes         []string `json:"attributes"`
	ExcludedAttributes []string `json:"excludedAttributes"`
	Filter             string   `json:"filter"`
	SortBy             string   `json:"sortBy"`
	SortOrder          string   `json:"sortOrder"`
	StartIndex         *int     `json:"startIndex"`
	Count              *int     `json:"count"`

	// caseSensitiveEq compiles the filter with eq and ne comparing strings
	// case-sensitively (QuirkFilterCaseSensitive).
	caseSensitiveEq bool
}

// queryFromURL parses the list parameters of a GET request with the
// request's quirks.
func queryFromURL(k *resourceKind, v url.Values, filters *filterCache, quirks Quirks) (listQuery, *scimError) {
	req := searchRequest{
		Attributes:         splitList(v.Get("attributes")),
		ExcludedAttributes: splitList(v.Get("excludedAttributes")),
		Filter:             v.Get("filter"),
		SortBy:             v.Get("sortBy"),
		SortOrder:          v.Get("sortOrder"),
		caseSensitiveEq:    quirks.Has(QuirkFilterCaseSensitive),
	}
	var err *scimError
	if req.StartIndex, err = intParam(v, "startIndex"); err != nil {
		return listQuery{}, err
	}
	if req.Count, err = intParam(v, "count"); err != nil {
		return listQuery{}, err
	}
	return req.query(k, filters)
}

// intParam parses an optional integer query parameter.
func intParam(v url.Values, name string) (*int, *scimError) {
	s := v.Get(name)
	if s == "" {
		return nil, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return nil, badRequest(scimTypeInvalidValue, fmt.Sprintf("%s must be an integer, not %q", name, s))
	}
	return &n, nil
}

// splitList splits a comma-separated attribute list.
func splitList(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// query validates the request: startIndex below 1 counts as 1, a negative
// count as 0, a missing or larger count as MaxResults.
func (req searchRequest) query(k *resourceKind, filters *filterCache) (listQuery, *scimError) {
	q := listQuery{kind: k, startIndex: 1, count: MaxResults}
	if req.StartIndex != nil && *req.StartIndex > 1 {
		q.startIndex = *req.StartIndex
	}
	if req.Count != nil {
		q.count = min(max(*req.Count, 0), MaxResults)
	}
	if strings.TrimSpace(req.Filter) != "" {
		var err *scimError
		if q.expr, q.match, err = filters.parse(k, req.Filter, req.caseSensitiveEq); err != nil {
			return listQuery{}, err
		}
	}
	if req.SortBy != "" {
		p, err := filter.ParseAttrPath([]byte(req.SortBy))
		if err != nil {
			return listQuery{}, badRequest(scimTypeInvalidValue, fmt.Sprintf("sortBy %q is not an attribute path", req.SortBy))
		}
		q.sortBy = scope{kind: k}.resolve(p) // unknown attributes leave the order as is
	}
	switch strings.ToLower(req.SortOrder) {
	case "", "ascending":
	case "descending":
		q.descending = true
	default:
		return listQuery{}, badRequest(scimTypeInvalidValue, fmt.Sprintf("sortOrder %q must be ascending or descending", req.SortOrder))
	}
	q.proj = newProjection(k, req.Attributes, req.ExcludedAttributes)
	return q, nil
}

// listResponse is an RFC 7644 §3.4.2 ListResponse.
type listResponse struct {
	Schemas      []string         `json:"schemas"`
	TotalResults int              `json:"totalResults"`
	StartIndex   int              `json:"startIndex"`
	ItemsPerPage int              `json:"itemsPerPage"`
	Resources    []map[string]any `json:"Resources"`
}

// entry is a stored resource as listing sees it; its document is built
// once, when first needed.
type entry struct {
	rec record
	d   map[string]any
}

// record is a stored user or group.
type record interface {
	doc() map[string]any
	sequence() int64
}

// doc returns the entry's document.
func (e *entry) doc() map[string]any {
	if e.d == nil {
		e.d = e.rec.doc()
	}
	return e.d
}

// list runs q over the resources of kind k: the index candidates when the
// filter allows, every resource otherwise. Resources keep creation order
// unless sorted.
func (s *Store) list(k *resourceKind, q listQuery, base string) listResponse {
	s.mu.RLock()
	defer s.mu.RUnlock()
	matched := s.matching(k, q)
	if q.sortBy != nil {
		sortEntries(matched, q.sortBy, q.descending)
	}
	resp := listResponse{Schemas: []string{urnListResponse}, TotalResults: len(matched), StartIndex: q.startIndex, Resources: []map[string]any{}}
	first := min(q.startIndex-1, len(matched))
	for _, e := range matched[first:min(first+q.count, len(matched))] {
		resp.Resources = append(resp.Resources, q.proj.apply(s.render(k, e.doc(), base)))
	}
	resp.ItemsPerPage = len(resp.Resources)
	return resp
}

// matching returns the resources of kind k that q's filter selects, in
// creation order, with their documents built when the filter or sorting
// needs them. Callers hold s.mu.
func (s *Store) matching(k *resourceKind, q listQuery) []entry {
	matched := s.candidates(k, q.expr)
	if q.match != nil || q.sortBy != nil {
		for i := range matched {
			matched[i].doc() // build each document once, not per comparison
		}
	}
	if q.match != nil {
		matched = slices.DeleteFunc(matched, func(e entry) bool { return !q.match(e.doc()) })
	}
	return matched
}

// kindEntry is a resource of a search across resource types, with the
// query of its type.
type kindEntry struct {
	entry
	q *listQuery
}

// searchAll runs a search across resource types (POST /.search): qs holds
// one query per type, parsed from the same request, so they share paging
// and sort order. Resources are listed type by type in creation order
// unless sorted; sorting compares each resource's value of sortBy as its
// own type resolves it, and resources without one come last.
func (s *Store) searchAll(qs []listQuery, base string) listResponse {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var matched []kindEntry
	sorted := false
	for i := range qs {
		q := &qs[i]
		for _, e := range s.matching(q.kind, *q) {
			matched = append(matched, kindEntry{e, q})
		}
		sorted = sorted || q.sortBy != nil
	}
	if sorted {
		sortByKey(matched, func(e kindEntry) (string, bool) { return sortKey(e.q.sortBy, e.doc()) }, qs[0].descending)
	}
	start, count := qs[0].startIndex, qs[0].count
	resp := listResponse{Schemas: []string{urnListResponse}, TotalResults: len(matched), StartIndex: start, Resources: []map[string]any{}}
	first := min(start-1, len(matched))
	for _, e := range matched[first:min(first+count, len(matched))] {
		resp.Resources = append(resp.Resources, e.q.proj.apply(s.render(e.q.kind, e.doc(), base)))
	}
	resp.ItemsPerPage = len(resp.Resources)
	return resp
}

// candidates returns, in creation order, the resources that may match expr:
// index lookups when expr allows them, else every resource.
func (s *Store) candidates(k *resourceKind, expr filter.Expression) []entry {
	keys, indexed := indexable(k, expr)
	if !indexed {
		if k == userKind {
			return entries(s.userOrder)
		}
		return entries(s.groupOrder)
	}
	var out []entry
	for _, key := range keys {
		out = append(out, s.lookup(k, key)...)
	}
	slices.SortFunc(out, func(a, b entry) int { return cmp.Compare(a.rec.sequence(), b.rec.sequence()) })
	return slices.CompactFunc(out, func(a, b entry) bool { return a.rec == b.rec })
}

// lookup returns the resources an index key selects.
func (s *Store) lookup(k *resourceKind, key indexKey) []entry {
	if k == userKind {
		switch key.attr {
		case "id":
			return entries(present(s.users, key.value))
		case "userName":
			return entries(present(s.userByName, fold(key.value)))
		}
		return entries(slices.Collect(maps.Values(s.userByExt[key.value])))
	}
	switch key.attr {
	case "id":
		return entries(present(s.groups, key.value))
	case "displayName":
		return entries(present(s.groupByNm, fold(key.value)))
	}
	return entries(slices.Collect(maps.Values(s.groupByExt[key.value])))
}

// present returns m[key] as a list of zero or one records.
func present[R record](m map[string]R, key string) []R {
	if r, ok := m[key]; ok {
		return []R{r}
	}
	return nil
}

// entries wraps records as list entries.
func entries[R record](rs []R) []entry {
	out := make([]entry, len(rs))
	for i, r := range rs {
		out[i] = entry{rec: r}
	}
	return out
}

// sortEntries sorts stably by the first value of an attribute; resources
// without a value come last in either order.
func sortEntries(es []entry, by *attrRef, descending bool) {
	sortByKey(es, func(e entry) (string, bool) { return sortKey(by, e.doc()) }, descending)
}

// sortKey is the sort key of doc by the first value of an attribute (lower
// case unless the attribute is caseExact); false when doc has no value or
// by is nil (an attribute its type does not have).
func sortKey(by *attrRef, doc map[string]any) (string, bool) {
	if by == nil {
		return "", false
	}
	vals := by.values(doc)
	if len(vals) == 0 {
		return "", false
	}
	s := fmt.Sprint(vals[0])
	if !by.def.CaseExact {
		s = strings.ToLower(s)
	}
	return s, true
}

// sortByKey sorts stably by key; elements without a key come last in
// either order.
func sortByKey[E any](es []E, key func(E) (string, bool), descending bool) {
	slices.SortStableFunc(es, func(a, b E) int {
		ka, oka := key(a)
		kb, okb := key(b)
		switch {
		case !oka || !okb:
			return cmp.Compare(boolRank(oka), boolRank(okb))
		case descending:
			return strings.Compare(kb, ka)
		default:
			return strings.Compare(ka, kb)
		}
	})
}

// boolRank orders present values (0) before missing ones (1).
func boolRank(present bool) int {
	if present {
		return 0
	}
	return 1
}
