// Package idppush plays the identity provider: it pushes a directory file
// (users and groups, see Directory) to a SCIM 2.0 endpoint in the dialect
// and request order of Okta's Cisco User Management Connector (Okta's SCIM
// 2.0 guide, as docs/scim-clients.md of the project's shared documents
// sums it up; the steps are listed at Push and in cmd/secureaccess-mock's
// README), so that the IdP's half of a takeover can be rehearsed against
// the mock service (cmd/secureaccess-mock push, and the end-to-end tests).
//
// It is a SCIM client, not part of the provider: it imports no
// terraform-plugin-* package and the provider binary does not link it. It
// decodes answers with package scim's types, which accept what services
// send (ids as numbers, booleans as strings, attribute names in any
// letter case), and writes its own request bodies, shaped as Okta's.
//
// A push is stateless and idempotent: where Okta remembers the SCIM ids of
// what it pushed, a push reads the directory instead, so pushing the same
// file twice changes nothing the second time, and a push after a failed
// one finishes its work.
package idppush

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/scim"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// pageSize is the count of the listings, Okta's.
const pageSize = 100

// userAgent names the push in the service's logs.
const userAgent = "secureaccess-mock-push (imitating Okta SCIM Client)"

// Options configure a Client.
type Options struct {
	// HTTPClient sends the requests; default one with a 30 s timeout.
	HTTPClient *http.Client
}

// Client pushes directories to one SCIM endpoint with one provisioning
// token.
type Client struct {
	base  string
	token string
	http  *http.Client
}

// New returns a Client for the SCIM base URL scimURL (such as
// http://127.0.0.1:8080/identity/v2/scim) and a provisioning token. Plain
// http is accepted only to a loopback host: the token must not cross a
// network in the clear.
func New(scimURL, token string, opts Options) (*Client, error) {
	if token == "" {
		return nil, errors.New("idppush: a provisioning token is required")
	}
	u, err := url.Parse(scimURL)
	if err != nil {
		return nil, fmt.Errorf("idppush: SCIM URL: %w", err)
	}
	switch {
	case u.Host == "" || u.Scheme != "https" && u.Scheme != "http":
		return nil, fmt.Errorf("idppush: SCIM URL %q: want http(s)://host/path", scimURL)
	case u.Scheme == "http" && !transport.IsLoopback(u.Hostname()):
		return nil, fmt.Errorf("idppush: SCIM URL %q: plain http only to a loopback host; use https", scimURL)
	case u.RawQuery != "" || u.Fragment != "":
		return nil, fmt.Errorf("idppush: SCIM URL %q: no query or fragment", scimURL)
	}
	hc := opts.HTTPClient
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	return &Client{base: strings.TrimRight(scimURL, "/"), token: token, http: hc}, nil
}

// Change is one change a push made, printed as one line.
type Change struct {
	// Kind is "user" or "group".
	Kind string
	// Name is the user's userName or the group's display name.
	Name string
	// What happened: "created", "updated displayName", "deactivated",
	// "added member jane@example.com", ...
	What string
}

// String is the change's line: `user jane@example.com: created`,
// `group "OKTA - Sales": removed member jane@example.com`.
func (c Change) String() string {
	name := c.Name
	if c.Kind == "group" {
		name = strconv.Quote(name)
	}
	return c.Kind + " " + name + ": " + c.What
}

// push is the state of one Push.
type push struct {
	c       *Client
	changes []Change
	// ids are the SCIM ids of the file's users, by lower-cased userName.
	ids map[string]string
	// ours are the SCIM ids of the users the file names.
	ours map[string]bool
	// names are the userNames of every user listed, by SCIM id.
	names map[string]string
}

// Push checks dir (Validate) and pushes it as Okta does:
//
//  1. Test connection: GET /Users?startIndex=1&count=2, GET
//     /Groups?startIndex=1&count=100.
//  2. Read what was pushed before (Okta keeps this in its own memory): every
//     user and group, paged by startIndex and count=100.
//  3. Each user of the file, in order: GET /Users?filter=userName eq "…"
//     &startIndex=1&count=100; not found (and not found by externalId in
//     step 2, a user whose userName changed): POST /Users with password
//     and groups: []; found: PATCH {"active":true} when it was inactive,
//     PUT of the whole user (id and meta included) when its profile
//     differs. A user the file marks inactive is deactivated with PATCH
//     {"op":"replace","value":{"active":false}}, never deleted.
//  4. Every active user of step 2 with an externalId that the file does
//     not name is deactivated the same way: it left the directory.
//  5. Each group of the file: GET /Groups?filter=displayName eq "…"; not
//     found (and not found by externalId in step 2, a renamed group, which
//     gets PATCH replace {id, displayName}): POST /Groups with members: [];
//     then one PATCH with the member delta against what the group holds:
//     remove members[value eq "…"], then add members [{value, display}].
//
// It returns the changes it made, also those before an error.
func (c *Client) Push(ctx context.Context, dir *Directory) ([]Change, error) {
	if err := dir.Validate(); err != nil {
		return nil, fmt.Errorf("directory: %w", err)
	}
	p := &push{c: c, ids: map[string]string{}, ours: map[string]bool{}, names: map[string]string{}}
	err := p.run(ctx, dir)
	return p.changes, err
}

// run is Push.
func (p *push) run(ctx context.Context, dir *Directory) error {
	for _, path := range []string{"/Users?startIndex=1&count=2", "/Groups?startIndex=1&count=100"} {
		if err := p.c.do(ctx, http.MethodGet, path, nil, nil); err != nil {
			return fmt.Errorf("test connection: %w", err)
		}
	}
	users, err := list[scim.User](ctx, p.c, "/Users")
	if err != nil {
		return err
	}
	groups, err := list[scim.Group](ctx, p.c, "/Groups")
	if err != nil {
		return err
	}
	usersByExternalID := map[string]*scim.User{}
	for i := range users {
		p.names[users[i].ID] = users[i].UserName
		if ext := deref(users[i].ExternalID); ext != "" {
			usersByExternalID[ext] = &users[i]
		}
	}
	for _, u := range dir.Users {
		if err := p.user(ctx, u, usersByExternalID[u.ExternalID]); err != nil {
			return err
		}
	}
	for _, u := range users {
		if deref(u.ExternalID) == "" || !isActive(u.Active) || p.ours[u.ID] {
			continue
		}
		if err := p.setActive(ctx, u.ID, false); err != nil {
			return fmt.Errorf("deactivating user %s: %w", u.UserName, err)
		}
		p.record("user", u.UserName, "deactivated (not in the directory file)")
	}
	groupsByExternalID := map[string]*scim.Group{}
	for i := range groups {
		if ext := deref(groups[i].ExternalID); ext != "" {
			groupsByExternalID[ext] = &groups[i]
		}
	}
	for _, g := range dir.Groups {
		var renamed *scim.Group
		if g.ExternalID != "" {
			renamed = groupsByExternalID[g.ExternalID]
		}
		if err := p.group(ctx, g, renamed); err != nil {
			return err
		}
	}
	return nil
}

// record notes a change.
func (p *push) record(kind, name, what string) {
	p.changes = append(p.changes, Change{Kind: kind, Name: name, What: what})
}

// user pushes one user of the file; byExternalID is the user of the same
// externalId that the directory held before the push, if any.
func (p *push) user(ctx context.Context, u User, byExternalID *scim.User) error {
	found, err := lookup[scim.User](ctx, p.c, "/Users", scim.Eq("userName", u.UserName))
	if err != nil {
		return fmt.Errorf("looking up user %s: %w", u.UserName, err)
	}
	if found == nil {
		found = byExternalID
	}
	if found != nil {
		p.ids[strings.ToLower(u.UserName)], p.ours[found.ID] = found.ID, true
		p.names[found.ID] = u.UserName
	}
	switch {
	case !u.IsActive():
		if found == nil || !isActive(found.Active) {
			return nil // Okta provisions no inactive user, and deactivates once.
		}
		if err := p.setActive(ctx, found.ID, false); err != nil {
			return fmt.Errorf("deactivating user %s: %w", u.UserName, err)
		}
		p.record("user", u.UserName, "deactivated")
		return nil
	case found == nil:
		created := new(scim.User)
		if err := p.c.do(ctx, http.MethodPost, "/Users", oktaUserBody(u, nil), created); err != nil {
			return fmt.Errorf("creating user %s: %w", u.UserName, err)
		}
		if created.ID == "" {
			return fmt.Errorf("creating user %s: the answer has no id", u.UserName)
		}
		p.ids[strings.ToLower(u.UserName)], p.ours[created.ID] = created.ID, true
		p.names[created.ID] = u.UserName
		p.record("user", u.UserName, "created")
		return nil
	}
	if !isActive(found.Active) {
		if err := p.setActive(ctx, found.ID, true); err != nil {
			return fmt.Errorf("reactivating user %s: %w", u.UserName, err)
		}
		p.record("user", u.UserName, "reactivated")
	}
	if changed := profileChanges(u, found); len(changed) > 0 {
		if err := p.c.do(ctx, http.MethodPut, "/Users/"+url.PathEscape(found.ID), oktaUserBody(u, found), nil); err != nil {
			return fmt.Errorf("updating user %s: %w", u.UserName, err)
		}
		p.record("user", u.UserName, "updated "+strings.Join(changed, ", "))
	}
	return nil
}

// setActive sends Okta's (de)activation PATCH.
func (p *push) setActive(ctx context.Context, id string, active bool) error {
	ops := []scim.PatchOperation{{Op: scim.OpReplace, Value: map[string]bool{"active": active}}}
	return p.c.do(ctx, http.MethodPatch, "/Users/"+url.PathEscape(id), patchBody(ops), nil)
}

// group pushes one group of the file; renamed is the group of the same
// externalId that the directory held before the push, if any.
func (p *push) group(ctx context.Context, g Group, renamed *scim.Group) error {
	found, err := lookup[scim.Group](ctx, p.c, "/Groups", scim.Eq("displayName", g.DisplayName))
	if err != nil {
		return fmt.Errorf("looking up group %q: %w", g.DisplayName, err)
	}
	switch {
	case found == nil && renamed != nil:
		ops := []scim.PatchOperation{{Op: scim.OpReplace, Value: map[string]string{"id": renamed.ID, "displayName": g.DisplayName}}}
		if err := p.c.do(ctx, http.MethodPatch, "/Groups/"+url.PathEscape(renamed.ID), patchBody(ops), nil); err != nil {
			return fmt.Errorf("renaming group %q to %q: %w", renamed.DisplayName, g.DisplayName, err)
		}
		p.record("group", g.DisplayName, "renamed from "+strconv.Quote(renamed.DisplayName))
		found = renamed
	case found == nil:
		body := map[string]any{"schemas": []string{scim.SchemaGroup}, "displayName": g.DisplayName, "members": []any{}}
		if g.ExternalID != "" {
			body["externalId"] = g.ExternalID
		}
		found = new(scim.Group)
		if err := p.c.do(ctx, http.MethodPost, "/Groups", body, found); err != nil {
			return fmt.Errorf("creating group %q: %w", g.DisplayName, err)
		}
		if found.ID == "" {
			return fmt.Errorf("creating group %q: the answer has no id", g.DisplayName)
		}
		found.Members = nil // created with members: []
		p.record("group", g.DisplayName, "created")
	}
	return p.members(ctx, g, found)
}

// members sends the member delta of group g, found in the service as
// found, in one PATCH: removals first, then one add of every new member.
func (p *push) members(ctx context.Context, g Group, found *scim.Group) error {
	want := map[string]bool{}
	var add []map[string]string
	var added []string
	has := map[string]bool{}
	for _, m := range found.Members {
		has[m.Value] = true
	}
	for _, name := range g.Members {
		id, ok := p.ids[strings.ToLower(name)]
		if !ok {
			continue // an inactive user the service never had
		}
		want[id] = true
		if !has[id] {
			add = append(add, map[string]string{"value": id, "display": name})
			added = append(added, name)
		}
	}
	var ops []scim.PatchOperation
	var removed []string
	for _, m := range found.Members {
		if want[m.Value] {
			continue
		}
		ops = append(ops, scim.PatchOperation{Op: scim.OpRemove, Path: scim.ValuePath("members", scim.Eq("value", m.Value)).String()})
		removed = append(removed, cmp.Or(p.names[m.Value], m.Display, m.Value))
	}
	if len(add) > 0 {
		ops = append(ops, scim.PatchOperation{Op: scim.OpAdd, Path: "members", Value: add})
	}
	if len(ops) == 0 {
		return nil
	}
	if err := p.c.do(ctx, http.MethodPatch, "/Groups/"+url.PathEscape(found.ID), patchBody(ops), nil); err != nil {
		return fmt.Errorf("updating the members of group %q: %w", g.DisplayName, err)
	}
	for _, name := range removed {
		p.record("group", g.DisplayName, "removed member "+name)
	}
	for _, name := range added {
		p.record("group", g.DisplayName, "added member "+name)
	}
	return nil
}

// oktaUserBody is the body of Okta's POST /Users (found nil: with a random
// password, which the service ignores, and groups: []) or PUT /Users/{id}
// (the whole user, found's id and meta included).
func oktaUserBody(u User, found *scim.User) map[string]any {
	body := map[string]any{
		"schemas":    []string{scim.SchemaUser},
		"userName":   u.UserName,
		"externalId": u.ExternalID,
		"active":     true,
	}
	name := map[string]string{}
	if u.GivenName != "" {
		name["givenName"] = u.GivenName
	}
	if u.FamilyName != "" {
		name["familyName"] = u.FamilyName
	}
	if len(name) > 0 {
		body["name"] = name
	}
	if u.Email != "" {
		body["emails"] = []map[string]any{{"primary": true, "value": u.Email, "type": "work"}}
	}
	if u.DisplayName != "" {
		body["displayName"] = u.DisplayName
	}
	if found == nil {
		body["password"] = randomPassword()
		body["groups"] = []any{}
		return body
	}
	body["id"] = found.ID
	if found.Meta != nil {
		body["meta"] = found.Meta
	}
	return body
}

// profileChanges names the SCIM attributes the file sets that the service
// holds otherwise (userName and email without regard to letter case).
func profileChanges(u User, found *scim.User) []string {
	var name scim.Name
	if found.Name != nil {
		name = *found.Name
	}
	var email string
	for _, e := range found.Emails {
		if e.Primary || email == "" {
			email = e.Value
		}
	}
	var out []string
	for _, c := range []struct {
		attr, want, have string
		fold             bool
	}{
		{"userName", u.UserName, found.UserName, true},
		{"externalId", u.ExternalID, deref(found.ExternalID), false},
		{"displayName", u.DisplayName, deref(found.DisplayName), false},
		{"name.givenName", u.GivenName, deref(name.GivenName), false},
		{"name.familyName", u.FamilyName, deref(name.FamilyName), false},
		{"emails", u.Email, email, true},
	} {
		if c.want != "" && c.want != c.have && (!c.fold || !strings.EqualFold(c.want, c.have)) {
			out = append(out, c.attr)
		}
	}
	return out
}

// randomPassword is the password Okta sends on create, which the service
// ignores; nobody sees it.
func randomPassword() string {
	return rand.Text()
}

// patchBody is a PatchOp request.
func patchBody(ops []scim.PatchOperation) map[string]any {
	return map[string]any{"schemas": []string{scim.SchemaPatchOp}, "Operations": ops}
}

// lookup returns the one resource that filter finds, nil when none.
func lookup[T any](ctx context.Context, c *Client, path string, filter scim.Filter) (*T, error) {
	var page scim.ListResponse[T]
	if err := c.do(ctx, http.MethodGet, path+"?filter="+queryEscape(filter.String())+"&startIndex=1&count=100", nil, &page); err != nil {
		return nil, err
	}
	switch {
	case len(page.Resources) == 0:
		return nil, nil //nolint:nilnil // none found is not an error
	case len(page.Resources) > 1 || page.TotalResults > 1:
		return nil, fmt.Errorf("%s finds %d, want at most one", filter, max(len(page.Resources), page.TotalResults))
	}
	return &page.Resources[0], nil
}

// list returns every resource of path, paged by startIndex and count.
func list[T any](ctx context.Context, c *Client, path string) ([]T, error) {
	var out []T
	for start := 1; ; {
		var page scim.ListResponse[T]
		if err := c.do(ctx, http.MethodGet, fmt.Sprintf("%s?startIndex=%d&count=%d", path, start, pageSize), nil, &page); err != nil {
			return nil, fmt.Errorf("listing %s: %w", strings.TrimPrefix(path, "/"), err)
		}
		out = append(out, page.Resources...)
		start += len(page.Resources)
		if len(page.Resources) == 0 || start > page.TotalResults {
			return out, nil
		}
	}
}

// queryEscape escapes a query value with %20 for spaces, as Okta sends
// them.
func queryEscape(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// maxErrorBody bounds how much of an error answer is read and quoted.
const maxErrorBody = 4 << 10

// do sends one request: body, when not nil, as JSON; the answer decoded
// into out when out is not nil and the answer has a body. Any status but
// 2xx is an error that names the request and quotes the service's detail.
func (c *Client) do(ctx context.Context, method, pathAndQuery string, body, out any) error {
	var rd io.Reader
	if body != nil {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false) // "R&D", not "R\u0026D"
		if err := enc.Encode(body); err != nil {
			return err
		}
		rd = bytes.NewReader(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+pathAndQuery, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", scim.MediaType)
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", scim.MediaType+"; charset=utf-8")
	}
	what := method + " " + strings.SplitN(pathAndQuery, "?", 2)[0]
	resp, err := c.http.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err // the URL is in what
		}
		return fmt.Errorf("%s: %w", what, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return fmt.Errorf("%s: %s%s", what, resp.Status, errorDetail(b))
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s: reading the answer: %w", what, err)
	}
	if out == nil || len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, out); err != nil {
		return fmt.Errorf("%s: decoding the answer: %w", what, err)
	}
	return nil
}

// errorDetail is ": " and the detail (and scimType) of a SCIM error body,
// or "" when it has none.
func errorDetail(b []byte) string {
	var e struct {
		Detail   string `json:"detail"`
		ScimType string `json:"scimType"`
		Message  string `json:"message"`
	}
	if json.Unmarshal(b, &e) != nil {
		return ""
	}
	detail := cmp.Or(e.Detail, e.Message)
	if e.ScimType != "" {
		detail = strings.TrimSpace(detail + " (scimType " + e.ScimType + ")")
	}
	if detail == "" {
		return ""
	}
	return ": " + detail
}

// isActive reports whether a SCIM active is true (unassigned is not).
func isActive(active *bool) bool { return active != nil && *active }

// deref is *s, or "" for nil.
func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
