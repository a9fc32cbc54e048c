package scimserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Quirks is a set of departures from the mock's normal SCIM behaviour, each
// modelled on what an independent SCIM server does differently, so that a
// client's tolerance of it can be tested without that server. The zero value
// is the normal behaviour. Every quirk applies only to the SCIM endpoint;
// set a request's quirks with WithQuirks. Combine quirks with |.
//
// Quirks reshape user and group responses (resources and their
// ListResponses, /.search included), or change what a user write stores;
// the discovery documents (/ServiceProviderConfig, /Schemas,
// /ResourceTypes) and error bodies keep their shape.
type Quirks uint32

// The quirks. Their names (QuirkNames, ParseQuirks, String) are in
// parentheses.
const (
	// QuirkJSONContentType (json-content-type): every SCIM response, errors
	// included, carries Content-Type application/json instead of
	// application/scim+json, as servers built on a generic JSON framework do.
	// The parent applies it with WrapResponseWriter.
	QuirkJSONContentType Quirks = 1 << iota
	// QuirkNoMeta (no-meta): users and groups are rendered without meta,
	// as minimal servers that keep no versions or timestamps do.
	QuirkNoMeta
	// QuirkNoItemsPerPage (no-items-per-page): ListResponses leave out
	// itemsPerPage.
	QuirkNoItemsPerPage
	// QuirkItemsPerPageRequested (items-per-page-requested): itemsPerPage is
	// the count the client asked for (at most MaxResults; MaxResults when it
	// asked for none), not the number of Resources on the page, as an
	// independent server does.
	QuirkItemsPerPageRequested
	// QuirkNoStartIndex (no-start-index): ListResponses leave out startIndex.
	QuirkNoStartIndex
	// QuirkCreate200 (create-200): POST /Users and /Groups answer 200
	// instead of 201.
	QuirkCreate200
	// QuirkPatch204 (patch-204): PATCH answers 204 without a body (and
	// without an ETag), as servers written for Microsoft Entra ID's
	// provisioning do, which accepts either.
	QuirkPatch204
	// QuirkPatchEmpty200 (patch-empty-200): PATCH answers 200 with an empty
	// body (Content-Length 0, no ETag).
	QuirkPatchEmpty200
	// QuirkIntegerIDs (integer-ids): new users and groups get decimal ids
	// ("1", "2", …, from Config.NextSerialID), rendered as JSON numbers
	// ("id": 42, and members[].value too), as servers keyed by an SQL
	// auto-increment column do. Requests name them as strings, as ever:
	// in the path, in filters and in member values.
	QuirkIntegerIDs
	// QuirkBase64IDs (base64-ids): new users and groups get base64url ids
	// with = padding (they end in = or == and never contain /), as servers
	// that encode their database keys do.
	QuirkBase64IDs
	// QuirkAttributeCase (attribute-case): attribute names of users, groups
	// and ListResponses are rendered in lower case (username, displayname,
	// externalid, totalresults, resources, the extension's URN key, …) and
	// the URNs in schemas in upper case: RFC 7643 §2.1 makes attribute
	// names case-insensitive, and servers that spell them their own way
	// exist. Values are unchanged.
	QuirkAttributeCase
	// QuirkActiveString (active-string): active and emails[].primary are
	// rendered as the strings "True" and "False", as servers that echo what
	// Microsoft Entra ID sends do.
	QuirkActiveString
	// QuirkRemoveUnsetNoTarget (remove-unset-notarget): a PATCH remove whose
	// path names an attribute (or sub-attribute) the resource has no value
	// for is 400 noTarget, and nothing of the request is applied, as servers
	// that read RFC 7644 §3.5.2.2 strictly answer. A value filter on an
	// attribute that has values but none matching stays a no-op.
	QuirkRemoveUnsetNoTarget
	// QuirkPatchSelectsFirst (patch-selects-first): a PATCH with an
	// attributes or excludedAttributes query parameter applies that
	// projection to the stored resource before the operations and stores
	// the result as the whole resource, so whatever the projection dropped
	// is lost, as SCIMMY 1.3.5 does.
	QuirkPatchSelectsFirst
	// QuirkMembersStripped (members-stripped): in a response projected by an
	// attributes parameter that names members (or a sub-attribute of it),
	// every member is rendered as {}, as an independent server does.
	QuirkMembersStripped
	// QuirkIgnoreUnknownMembers (ignore-unknown-members): a member value
	// that is not a user of the directory (an unknown id, a group) is
	// dropped without an error on POST, PUT and PATCH of groups, instead of
	// the normal 400 invalidValue, as servers without referential integrity
	// checks do.
	QuirkIgnoreUnknownMembers
	// QuirkSelectionRefused (selection-refused): a request with an
	// attributes or excludedAttributes query parameter, or a SearchRequest
	// with either, is 400 invalidValue ("attribute selection is not
	// supported"), as servers that do not implement RFC 7644 §3.9 answer.
	QuirkSelectionRefused
	// QuirkSelectionIgnored (selection-ignored): attributes and
	// excludedAttributes (query parameters and SearchRequest members) are
	// ignored: full resources are returned, as servers that do not
	// implement RFC 7644 §3.9 silently do.
	QuirkSelectionIgnored
	// QuirkFilterCaseSensitive (filter-case-sensitive): eq and ne in list
	// and search filters compare string values case-sensitively, even on
	// attributes RFC 7643 makes case-insensitive such as userName, as
	// servers that compare bytes do. PATCH path filters are unchanged.
	QuirkFilterCaseSensitive
	// QuirkFillNameFormatted (fill-name-formatted): on every user write
	// (POST, PUT, PATCH) whose result has no name.formatted, the service
	// stores one (RFC 7643 §4.1.1: the full name, formatted for display):
	// givenName and familyName, those set, joined by a space; without
	// either, the displayName; with none of these, nothing. A user without
	// a name gets one holding only formatted, as servers that compose the
	// formatted name themselves do.
	QuirkFillNameFormatted
	// QuirkFillDisplayName (fill-display-name): on every user write whose
	// result has no displayName, the service stores one: name.formatted if
	// set, else givenName and familyName joined by a space, else the
	// userName, as servers whose directory requires a display name do.
	// With fill-name-formatted too, displayName is derived first, from
	// what was sent, and name.formatted then (so it may be that
	// displayName).
	QuirkFillDisplayName
	// QuirkFillEmailPrimary (fill-email-primary): on every user write whose
	// result has emails none of which is primary, the first of them (in
	// the order sent, before reorder-emails) is stored with primary true,
	// as servers that always keep one primary address do.
	QuirkFillEmailPrimary
	// QuirkLowercaseValues (lowercase-values): userName and every
	// emails[].value are stored in lower case, as servers that normalise
	// login names and addresses do (userName stays unique
	// case-insensitively, as ever). The fill quirks read the values as
	// sent.
	QuirkLowercaseValues
	// QuirkReorderEmails (reorder-emails): emails are stored sorted by
	// value in descending byte order (after lowercase-values), whatever the
	// order sent, as servers that keep addresses in an index of their own
	// return them. The order is deterministic: a write that leaves the
	// emails alone does not change it.
	QuirkReorderEmails
	// QuirkDropExtension (drop-extension): the Cisco user extension
	// (nativeObjectId, authName) is silently not stored on any user write:
	// the request succeeds, and its answer and later reads lack it (a user
	// that had it loses it on its next write), as servers that do not know
	// the extension's schema do. Filters on it then match nothing.
	QuirkDropExtension
	// QuirkMembersHidden (members-hidden): every group in a response (GET,
	// lists and searches, the answers of POST, PUT and PATCH) carries
	// "members": [] whatever members it has, unless the request's
	// attribute selection leaves members out; memberships are stored and
	// used as normal (member filters, user deletes, the Store's accessors),
	// as servers that keep memberships but never show them do.
	QuirkMembersHidden

	quirkEnd // one past the last quirk
)

// quirkNames are the names of the quirks, in the order of their bits.
var quirkNames = []string{
	"json-content-type",
	"no-meta",
	"no-items-per-page",
	"items-per-page-requested",
	"no-start-index",
	"create-200",
	"patch-204",
	"patch-empty-200",
	"integer-ids",
	"base64-ids",
	"attribute-case",
	"active-string",
	"remove-unset-notarget",
	"patch-selects-first",
	"members-stripped",
	"ignore-unknown-members",
	"selection-refused",
	"selection-ignored",
	"filter-case-sensitive",
	"fill-name-formatted",
	"fill-display-name",
	"fill-email-primary",
	"lowercase-values",
	"reorder-emails",
	"drop-extension",
	"members-hidden",
}

// quirkConflicts are the pairs of quirks that cannot be combined: each
// makes the other's answer impossible.
var quirkConflicts = [][2]Quirks{
	{QuirkIntegerIDs, QuirkBase64IDs},
	{QuirkPatch204, QuirkPatchEmpty200},
	{QuirkSelectionRefused, QuirkSelectionIgnored},
}

// QuirkNames returns the names of every quirk, in a fixed order.
func QuirkNames() []string {
	return append([]string(nil), quirkNames...)
}

// ParseQuirks parses a comma-separated list of quirk names, such as
// "patch-204,no-meta" (spaces around names and empty entries are ignored;
// names are case-sensitive). It refuses an unknown name, listing the valid
// ones, and a pair of conflicting quirks.
func ParseQuirks(s string) (Quirks, error) {
	var names []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			names = append(names, part)
		}
	}
	return quirksOfNames(names)
}

// quirksOfNames returns the set of the named quirks, checked as
// ParseQuirks checks them.
func quirksOfNames(names []string) (Quirks, error) {
	var q Quirks
	for _, name := range names {
		bit, ok := quirkBit(name)
		if !ok {
			return 0, fmt.Errorf("unknown quirk %q: valid quirks are %s", name, strings.Join(quirkNames, ", "))
		}
		q |= bit
	}
	return q, q.Validate()
}

// quirkBit returns the quirk named name.
func quirkBit(name string) (Quirks, bool) {
	for i, n := range quirkNames {
		if n == name {
			return 1 << i, true
		}
	}
	return 0, false
}

// Validate reports an error when q holds an unknown bit or a pair of
// quirks that conflict (integer-ids and base64-ids, patch-204 and
// patch-empty-200, selection-refused and selection-ignored).
func (q Quirks) Validate() error {
	if unknown := q &^ (quirkEnd - 1); unknown != 0 {
		return fmt.Errorf("unknown quirk bits %#x", uint32(unknown))
	}
	var errs []error
	for _, pair := range quirkConflicts {
		if q.Has(pair[0]) && q.Has(pair[1]) {
			errs = append(errs, fmt.Errorf("quirks %s and %s conflict: choose one", pair[0], pair[1]))
		}
	}
	return errors.Join(errs...)
}

// Has reports whether q holds every quirk of x.
func (q Quirks) Has(x Quirks) bool {
	return q&x == x
}

// Names returns the names of the quirks in q, in the order of QuirkNames
// (never nil).
func (q Quirks) Names() []string {
	out := []string{}
	for i, name := range quirkNames {
		if q&(1<<i) != 0 {
			out = append(out, name)
		}
	}
	return out
}

// String returns the names of the quirks in q separated by commas, the form
// ParseQuirks reads; "" for none.
func (q Quirks) String() string {
	return strings.Join(q.Names(), ",")
}

// MarshalJSON renders q as a list of names, ["patch-204","no-meta"].
func (q Quirks) MarshalJSON() ([]byte, error) {
	return json.Marshal(q.Names())
}

// UnmarshalJSON reads a list of names, refusing what ParseQuirks refuses.
func (q *Quirks) UnmarshalJSON(b []byte) error {
	var names []string
	if err := json.Unmarshal(b, &names); err != nil {
		return fmt.Errorf("quirks must be a list of names: %w", err)
	}
	v, err := quirksOfNames(names)
	if err != nil {
		return err
	}
	*q = v
	return nil
}

// quirksKey is the context key of a request's quirks.
type quirksKey struct{}

// WithQuirks returns ctx marking its request for the quirks q. The parent
// sets them per request, so they can change while the service runs; without
// it a request gets the normal behaviour.
func WithQuirks(ctx context.Context, q Quirks) context.Context {
	return context.WithValue(ctx, quirksKey{}, q)
}

// quirksOf returns the quirks of the request of ctx.
func quirksOf(ctx context.Context) Quirks {
	q, _ := ctx.Value(quirksKey{}).(Quirks)
	return q
}

// WrapResponseWriter returns w as the quirks q have it answer: with
// json-content-type, a writer that turns Content-Type application/scim+json
// into application/json; otherwise w itself. The parent wraps the writer of
// every request under the SCIM base, so that errors it writes itself (401,
// injected faults, 404) get it too.
func (q Quirks) WrapResponseWriter(w http.ResponseWriter) http.ResponseWriter {
	if !q.Has(QuirkJSONContentType) {
		return w
	}
	return &jsonContentTypeWriter{ResponseWriter: w}
}

// jsonContentTypeWriter answers application/json where the handler set
// application/scim+json.
type jsonContentTypeWriter struct {
	http.ResponseWriter
	wrote bool
}

// WriteHeader rewrites the content type, then writes the header.
func (w *jsonContentTypeWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		h := w.Header()
		if ct := h.Get("Content-Type"); strings.HasPrefix(ct, contentType) {
			h.Set("Content-Type", "application/json"+strings.TrimPrefix(ct, contentType))
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

// Write writes an implicit 200 header first, as net/http does.
func (w *jsonContentTypeWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer.
func (w *jsonContentTypeWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}
