package scimserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// shapeQuirks are the quirks that change the body of user and group
// responses. A request without any of them is written as it always was;
// only one with them pays for the JSON round trip below.
const shapeQuirks = QuirkNoMeta | QuirkNoItemsPerPage | QuirkNoStartIndex | QuirkIntegerIDs |
	QuirkAttributeCase | QuirkActiveString | QuirkMembersStripped | QuirkMembersHidden

// memberView is what a response's attribute selection does to the members
// of its groups.
type memberView struct {
	// named: the attributes parameter names members or a sub-attribute of
	// it (QuirkMembersStripped).
	named bool
	// returned: the selection returns members at all (QuirkMembersHidden).
	returned bool
}

// memberView returns what p does to group members.
func (p projection) memberView() memberView {
	return memberView{named: p.names("members"), returned: p.returns("members")}
}

// writeShaped writes v, a rendered user or group or a ListResponse of them,
// reshaped by the quirks q; members is what the request's selection does
// to group members.
func writeShaped(w http.ResponseWriter, q Quirks, status int, v any, members memberView) {
	if q&shapeQuirks == 0 {
		writeJSON(w, status, v)
		return
	}
	doc, err := generic(v)
	if err != nil {
		http.Error(w, "encoding response failed", http.StatusInternalServerError)
		return
	}
	sh := shaper{
		q:            q,
		stripMembers: members.named && q.Has(QuirkMembersStripped),
		hideMembers:  members.returned && q.Has(QuirkMembersHidden),
	}
	writeJSON(w, status, sh.shape(doc))
}

// generic returns v as encoding/json decodes its JSON form into an any,
// numbers as json.Number.
func generic(v any) (map[string]any, error) {
	body, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, err
	}
	return doc, nil
}

// shaper applies the response quirks to a decoded body.
type shaper struct {
	q            Quirks
	stripMembers bool // every member rendered as {} (QuirkMembersStripped)
	hideMembers  bool // every group with "members": [] (QuirkMembersHidden)
}

// shape reshapes a resource or a ListResponse (which has Resources).
func (sh shaper) shape(doc map[string]any) map[string]any {
	if list, ok := doc["Resources"].([]any); ok {
		for _, res := range list {
			if m, ok := res.(map[string]any); ok {
				sh.resource(m)
			}
		}
		if sh.q.Has(QuirkNoItemsPerPage) {
			delete(doc, "itemsPerPage")
		}
		if sh.q.Has(QuirkNoStartIndex) {
			delete(doc, "startIndex")
		}
	} else {
		sh.resource(doc)
	}
	if sh.q.Has(QuirkAttributeCase) {
		doc, _ = otherCase(doc).(map[string]any)
	}
	return doc
}

// resource reshapes one user or group in place.
func (sh shaper) resource(m map[string]any) {
	if sh.q.Has(QuirkNoMeta) {
		delete(m, "meta")
	}
	if sh.hideMembers && isGroup(m) {
		m["members"] = []any{}
	}
	members, _ := m["members"].([]any)
	if sh.stripMembers {
		for i := range members {
			members[i] = map[string]any{}
		}
	}
	if sh.q.Has(QuirkIntegerIDs) {
		if v, ok := m["id"]; ok {
			m["id"] = integerID(v)
		}
		for _, el := range elements(members) {
			if v, ok := el["value"]; ok {
				el["value"] = integerID(v)
			}
		}
	}
	if sh.q.Has(QuirkActiveString) {
		if v, ok := m["active"]; ok {
			m["active"] = boolString(v)
		}
		for _, el := range elements(m["emails"]) {
			if v, ok := el["primary"]; ok {
				el["primary"] = boolString(v)
			}
		}
	}
}

// isGroup reports whether a decoded resource is a group: its schemas name
// the core Group schema.
func isGroup(m map[string]any) bool {
	schemas, _ := m["schemas"].([]any)
	return slices.Contains(schemas, any(urnGroup))
}

// integerID returns a decimal id as a JSON number, anything else as it is.
func integerID(v any) any {
	s, ok := v.(string)
	if !ok {
		return v
	}
	if n, err := strconv.ParseInt(s, 10, 64); err != nil || n < 0 || strconv.FormatInt(n, 10) != s {
		return v
	}
	return json.Number(s)
}

// boolString returns a boolean as "True" or "False", anything else as it is.
func boolString(v any) any {
	switch v {
	case true:
		return "True"
	case false:
		return "False"
	}
	return v
}

// otherCase returns v with every object key in lower case and the URNs of
// every schemas list in upper case.
func otherCase(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for key, val := range t {
			if key == "schemas" {
				val = upperStrings(val)
			}
			out[strings.ToLower(key)] = otherCase(val)
		}
		return out
	case []any:
		for i, el := range t {
			t[i] = otherCase(el)
		}
		return t
	}
	return v
}

// upperStrings returns a list with its strings in upper case.
func upperStrings(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	for i, el := range list {
		if s, ok := el.(string); ok {
			list[i] = strings.ToUpper(s)
		}
	}
	return list
}
