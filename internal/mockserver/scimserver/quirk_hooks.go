package scimserver

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	filter "github.com/scim2/filter-parser/v2"
)

// This file holds the quirks that change what the store does rather than
// how a response looks (those are in shape.go). Each is called only when
// its quirk is on.

// errSelectionRefused is the answer of QuirkSelectionRefused.
func errSelectionRefused() *scimError {
	return badRequest(scimTypeInvalidValue, "attribute selection is not supported: send neither attributes nor excludedAttributes")
}

// selectionQuery applies the selection quirks to the attributes and
// excludedAttributes query parameters of r: refused, or removed from the
// request the handler sees.
func selectionQuery(r *http.Request, q Quirks) (*http.Request, *scimError) {
	v := r.URL.Query()
	if v.Get("attributes") == "" && v.Get("excludedAttributes") == "" {
		return r, nil
	}
	if q.Has(QuirkSelectionRefused) {
		return nil, errSelectionRefused()
	}
	v.Del("attributes")
	v.Del("excludedAttributes")
	u := *r.URL
	u.RawQuery = v.Encode()
	r = r.WithContext(r.Context()) // a shallow copy, path values included
	r.URL = &u
	return r, nil
}

// withQuirks applies the quirks to a SearchRequest: the filter's case, and
// attribute selection refused or dropped.
func (req *searchRequest) withQuirks(q Quirks) *scimError {
	req.caseSensitiveEq = q.Has(QuirkFilterCaseSensitive)
	if len(req.Attributes)+len(req.ExcludedAttributes) == 0 {
		return nil
	}
	switch {
	case q.Has(QuirkSelectionRefused):
		return errSelectionRefused()
	case q.Has(QuirkSelectionIgnored):
		req.Attributes, req.ExcludedAttributes = nil, nil
	}
	return nil
}

// patchSelection returns the projection QuirkPatchSelectsFirst applies to
// the stored resource before a PATCH: the request's attributes and
// excludedAttributes. Without the quirk it is empty (projects nothing).
func patchSelection(r *http.Request, k *resourceKind, q Quirks) projection {
	if !q.Has(QuirkPatchSelectsFirst) {
		return projection{}
	}
	v := r.URL.Query()
	return newProjection(k, splitList(v.Get("attributes")), splitList(v.Get("excludedAttributes")))
}

// onlyUsers returns the member ids that are users of this store, dropping
// the others (QuirkIgnoreUnknownMembers). Callers hold s.mu.
func (s *Store) onlyUsers(members []string) []string {
	out := members[:0:0]
	for _, id := range members {
		if _, ok := s.users[id]; ok {
			out = append(out, id)
		}
	}
	return out
}

// userStoreQuirks are the quirks that change what a user write stores.
const userStoreQuirks = QuirkFillNameFormatted | QuirkFillDisplayName | QuirkFillEmailPrimary |
	QuirkLowercaseValues | QuirkReorderEmails | QuirkDropExtension

// storedUser returns the user a write of u stores under the quirks q: the
// extension dropped, displayName, name.formatted and a primary email
// filled in from what was sent (in that order), then userName and email
// values lower-cased and the emails reordered. Without any of these quirks
// it returns u. What it stores stays within the limits decodeUser checked:
// each value it derives is copied from one with the same or a smaller
// limit (givenName and familyName: 64 + 1 + 64), and lower case maps one
// character to one.
func storedUser(u User, q Quirks) User {
	if q&userStoreQuirks == 0 {
		return u
	}
	if q.Has(QuirkDropExtension) {
		u.NativeObjectID, u.AuthName = "", ""
	}
	if q.Has(QuirkFillDisplayName) && u.DisplayName == "" {
		u.DisplayName = cmpOr(u.Name.Formatted, cmpOr(givenFamily(u.Name), u.UserName))
	}
	if q.Has(QuirkFillNameFormatted) && u.Name.Formatted == "" {
		u.Name.Formatted = cmpOr(givenFamily(u.Name), u.DisplayName)
	}
	u.Emails = slices.Clone(u.Emails) // the caller's stays as it was
	if q.Has(QuirkFillEmailPrimary) && len(u.Emails) > 0 &&
		!slices.ContainsFunc(u.Emails, func(e Email) bool { return e.Primary }) {
		u.Emails[0].Primary = true
	}
	if q.Has(QuirkLowercaseValues) {
		u.UserName = strings.ToLower(u.UserName)
		for i := range u.Emails {
			u.Emails[i].Value = strings.ToLower(u.Emails[i].Value)
		}
	}
	if q.Has(QuirkReorderEmails) {
		slices.SortStableFunc(u.Emails, func(a, b Email) int { return strings.Compare(b.Value, a.Value) })
	}
	return u
}

// givenFamily returns the given and family names that are set, joined by
// a space ("" for neither).
func givenFamily(n Name) string {
	parts := make([]string, 0, 2)
	for _, p := range []string{n.GivenName, n.FamilyName} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, " ")
}

// assignID returns the id of a new user or group under QuirkIntegerIDs or
// QuirkBase64IDs, one no user or group of the store has; "" otherwise, for
// createUser and createGroup to pick a UUID. Callers hold s.mu.
func (s *Store) assignID(q Quirks) string {
	for {
		var id string
		switch {
		case q.Has(QuirkIntegerIDs):
			id = strconv.FormatInt(s.nextSerial(), 10)
		case q.Has(QuirkBase64IDs):
			id = base64ID()
		default:
			return ""
		}
		_, user := s.users[id]
		_, group := s.groups[id]
		if !user && !group { // a restarted mock's counter may meet old ids
			return id
		}
	}
}

// nextSerial returns the next number of Config.NextSerialID, or of the
// store's own counter. Callers hold s.mu.
func (s *Store) nextSerial() int64 {
	if s.cfg.NextSerialID != nil {
		return s.cfg.NextSerialID()
	}
	s.serial++
	return s.serial
}

// base64ID returns 16 or 17 random bytes in base64url with padding: it
// ends in "==" or "=" and has no "/".
func base64ID() string {
	var b [17]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails (Go 1.24+).
	n := 16 + int(b[16]&1)
	return base64.URLEncoding.EncodeToString(b[:n])
}

// applyPatchNoTarget is applyPatch under QuirkRemoveUnsetNoTarget: one
// operation at a time, and a remove of an attribute without a value is
// 400 noTarget.
func applyPatchNoTarget(k *resourceKind, doc map[string]any, ops []patchOp) *scimError {
	for _, op := range ops {
		if err := checkRemoveTarget(k, doc, op); err != nil {
			return err
		}
		if err := applyOne(k, doc, op); err != nil {
			return err
		}
	}
	return nil
}

// checkRemoveTarget refuses a remove whose path names an attribute the
// resource has no value for (a whole extension, an attribute, or a
// sub-attribute of every element). A value filter on an attribute that
// has values is not checked: matching none is a no-op as always. Paths
// that do not parse or name nothing the schema knows are left to applyOne.
func checkRemoveTarget(k *resourceKind, doc map[string]any, op patchOp) *scimError {
	if op.op != "remove" || op.path == "" {
		return nil
	}
	missing := false
	if e := k.extension(op.path); e != nil {
		_, has := doc[e.ID]
		missing = !has
	} else if p, err := filter.ParsePath([]byte(op.path)); err == nil {
		missing = noValueAt(k, doc, p)
	}
	if missing {
		return badRequest(scimTypeNoTarget, fmt.Sprintf("path %q: the resource has no value to remove", op.path))
	}
	return nil
}

// noValueAt reports whether doc has no value where the attribute path of p
// points (its value filter aside); false for attributes the schema does
// not know.
func noValueAt(k *resourceKind, doc map[string]any, p filter.Path) bool {
	defs, container, ok := k.attrs(p.AttributePath.URI())
	def := findAttr(defs, p.AttributePath.AttributeName)
	if !ok || def == nil {
		return false
	}
	holder := doc
	if container != "" {
		holder, _ = doc[container].(map[string]any)
	}
	v := holder[def.Name]
	if len(nonEmpty(v)) == 0 {
		return true
	}
	subName := p.AttributePath.SubAttributeName()
	if p.SubAttribute != nil {
		subName = *p.SubAttribute
	}
	sd := def.sub(subName)
	if subName == "" || p.ValueExpression != nil || sd == nil {
		return false
	}
	for _, el := range elements(v) {
		if len(nonEmpty(el[sd.Name])) > 0 {
			return false
		}
	}
	return true
}
