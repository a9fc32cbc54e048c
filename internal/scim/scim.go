// Package scim is a SCIM 2.0 client (RFC 7643/7644) for the Secure Access
// provisioning endpoint: users, groups and their memberships, a filter
// builder that escapes values, and an iterator over all pages.
//
// An error names the request (method and URL path), the status and the
// service's message, and matches the sentinel errors of package transport;
// it does not repeat the caller's arguments, which the caller names in its
// own message once.
//
// It imports no terraform-plugin-* package, so any Go program can use it.
package scim

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/readcache"
	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/transport"
)

// BasePath is the path of the SCIM provisioning endpoint under the Secure
// Access API's base URL.
const BasePath = "/identity/v2/scim"

// DefaultURL is the Secure Access SCIM base URL.
const DefaultURL = "https://api.sse.cisco.com" + BasePath

// MediaType is the SCIM media type, sent as Content-Type and Accept.
const MediaType = "application/scim+json"

// DefaultPageSize is the count All asks for when ListOptions.Count is 0; the
// service answers with at most its own maximum, and All follows totalResults.
const DefaultPageSize = 1000

// Config configures a Client.
type Config struct {
	// URL is the SCIM base URL; defaults to DefaultURL.
	URL string
	// Token is the directory integration's provisioning token.
	Token string
	// UnbatchedRefresh makes every read of Client.Refresh a GET of its
	// own, as the services' Get does.
	UnbatchedRefresh bool
	// Config holds the transport settings. The SCIM endpoint has no
	// documented rate limit, so a zero RateLimit means no client-side limit.
	transport.Config
}

// Client is the SCIM client of one directory integration. It is safe for
// concurrent use.
type Client struct {
	// Users manages users.
	Users *UsersService
	// Groups manages groups and their members.
	Groups *GroupsService
	// Refresh serves the many concurrent reads of a refresh in few
	// requests; writes through Users and Groups invalidate what it read.
	Refresh *RefreshService
}

// NewClient returns a Client.
func NewClient(cfg Config) (*Client, error) {
	if cfg.Token == "" {
		return nil, errors.New("scim: a provisioning token is required")
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	tc, err := transport.New(cfg.Config, transport.Endpoint{BaseURL: cfg.URL, MediaType: MediaType, Auth: bearer("Bearer " + cfg.Token)})
	if err != nil {
		return nil, fmt.Errorf("scim: %w", err)
	}
	c := &Client{
		Users: &UsersService{resources[User]{tc: tc, path: "/Users", kind: "user", key: "userName", label: "userName",
			keyOf: func(u *User) string { return u.UserName }, idOf: func(u *User) string { return u.ID }}},
		Groups: &GroupsService{resources: resources[Group]{tc: tc, path: "/Groups", kind: "group", key: "displayName", label: "display name",
			keyOf: func(g *Group) string { return g.DisplayName }, idOf: func(g *Group) string { return g.ID }}},
	}
	c.Refresh = newRefreshService(c.Users, c.Groups, cfg.UnbatchedRefresh)
	return c, nil
}

// bearer is a static Authorization, not a transport.Reauthorizer: a
// rejected provisioning token stays rejected, so a 401 is final.
type bearer string

// Authorization implements transport.Authorizer.
func (b bearer) Authorization(context.Context) (string, error) { return string(b), nil }

// GetOptions selects the attributes a read returns.
type GetOptions struct {
	Attributes         []string
	ExcludedAttributes []string
}

// query encodes the options.
func (o *GetOptions) query() url.Values {
	q := url.Values{}
	if o == nil {
		return q
	}
	if len(o.Attributes) > 0 {
		q.Set("attributes", strings.Join(o.Attributes, ","))
	}
	if len(o.ExcludedAttributes) > 0 {
		q.Set("excludedAttributes", strings.Join(o.ExcludedAttributes, ","))
	}
	return q
}

// ListOptions selects and pages a list.
type ListOptions struct {
	// Filter, e.g. Eq("userName", name); empty lists all.
	Filter Filter
	// StartIndex is 1-based; 0 means 1.
	StartIndex int
	// Count is the page size; 0 leaves it to the service (List) or asks for
	// DefaultPageSize (All).
	Count              int
	Attributes         []string
	ExcludedAttributes []string
}

// query encodes the options.
func (o *ListOptions) query() url.Values {
	if o == nil {
		return url.Values{}
	}
	q := (&GetOptions{Attributes: o.Attributes, ExcludedAttributes: o.ExcludedAttributes}).query()
	if o.Filter != "" {
		q.Set("filter", string(o.Filter))
	}
	if o.StartIndex > 0 {
		q.Set("startIndex", strconv.Itoa(o.StartIndex))
	}
	if o.Count > 0 {
		q.Set("count", strconv.Itoa(o.Count))
	}
	return q
}

// resources implements the operations users and groups share.
type resources[T any] struct {
	tc    *transport.Client
	path  string          // "/Users"
	kind  string          // "user", for messages
	key   string          // the unique attribute, "userName"
	label string          // the unique attribute in messages, "userName", "display name"
	keyOf func(*T) string // reads the unique attribute
	idOf  func(*T) string // reads the id
	// cached is invalidated by every write: the refresh (RefreshService)
	// forgets what it read of these resources.
	cached readcache.Generation
}

// itemPath is the path of one resource.
func (r *resources[T]) itemPath(id string) string {
	return r.path + "/" + url.PathEscape(id)
}

// Create creates a resource and returns it as stored. A duplicate unique key
// gets transport.ErrConflict, except when an earlier attempt of this very
// call was applied and its response lost: then the resource that attempt
// created is looked up by its key and returned. The service may answer 200
// or 201.
//
// A successful answer the client cannot use means the service stored the
// resource all the same, so the caller must not lose it:
//   - an answer without the resource (no body, or no id), or one that does
//     not decode, is followed by a lookup by the unique key;
//   - an answer with an id that fails the check of its shape (a user
//     without userName, say) is followed by a read by that id.
//
// When that second request does not give a resource that passes the check
// either, Create returns the error together with the resource as far as it
// is known (its id set, when the answer had one): a non-nil resource with
// an error is a resource the service stored, which the caller should
// record before reporting the error. A lookup that finds nothing returns
// nil and an error that says the service may hold the resource.
func (r *resources[T]) Create(ctx context.Context, v *T) (*T, error) {
	defer r.cached.Invalidate()
	var out T
	resp, err := r.tc.Do(ctx, transport.Request{Method: http.MethodPost, Path: r.path, Body: v, Retry: transport.RetryCreate}, &out)
	var undecodable *transport.ResponseError
	switch {
	case transport.IsLostCreate(err):
		return r.getByKey(ctx, r.keyOf(v), nil)
	case errors.As(err, &undecodable), err == nil && (!resp.Decoded || r.idOf(&out) == ""):
		found, lookupErr := r.getByKey(ctx, r.keyOf(v), nil)
		if lookupErr != nil {
			return nil, r.storedUnseen(err, lookupErr)
		}
		return found, nil
	case err != nil:
		return nil, err
	}
	checkErr := r.check(http.MethodPost, r.path, &out, true)
	if checkErr == nil {
		return &out, nil
	}
	if again, getErr := r.Get(ctx, r.idOf(&out), nil); getErr == nil {
		return again, nil
	}
	return &out, checkErr
}

// storedUnseen is the error of a create the service answered with success
// (answer, nil for an answer without the resource) that a lookup by the
// unique key then did not find (lookupErr).
func (r *resources[T]) storedUnseen(answer, lookupErr error) error {
	why := "answered the create without the " + r.kind
	if answer != nil {
		why = fmt.Sprintf("answered the create with success, in a form the client cannot read (%v)", answer)
	}
	return fmt.Errorf("the service %s, and looking the %s up by its %s then failed: %w. "+
		"The service may hold the %s all the same, possibly under a %s in another letter case",
		why, r.kind, r.label, lookupErr, r.kind, r.label)
}

// Get reads a resource; transport.ErrNotFound if none.
func (r *resources[T]) Get(ctx context.Context, id string, opts *GetOptions) (*T, error) {
	var out T
	if _, err := r.tc.Do(ctx, transport.Request{Method: http.MethodGet, Path: r.itemPath(id), Query: opts.query()}, &out); err != nil {
		return nil, err
	}
	if err := r.check(http.MethodGet, r.itemPath(id), &out, opts == nil || len(opts.Attributes) == 0); err != nil {
		return nil, err
	}
	return &out, nil
}

// Replace replaces a resource (PUT). An answer without the resource (204,
// or a body without an id) is followed by a read.
func (r *resources[T]) Replace(ctx context.Context, id string, v *T) (*T, error) {
	defer r.cached.Invalidate()
	var out T
	req := transport.Request{Method: http.MethodPut, Path: r.itemPath(id), Body: v}
	resp, err := r.tc.Do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if !resp.Decoded || r.idOf(&out) == "" {
		return r.Get(ctx, id, nil)
	}
	if err := r.check(http.MethodPut, r.itemPath(id), &out, true); err != nil {
		return nil, err
	}
	return &out, nil
}

// Patch applies operations, with a PATCH that has no query parameters:
// a service may apply an attribute selection before the operations
// (SCIMMY does, and adding a member then replaces the member list), so
// none is ever sent. It returns the resource, or nil and no error when the
// service answers without it (204 No Content, an empty 200, or a body
// without an id).
func (r *resources[T]) Patch(ctx context.Context, id string, ops []PatchOperation) (*T, error) {
	defer r.cached.Invalidate()
	var out T
	body := patchRequest{Schemas: []string{SchemaPatchOp}, Operations: ops}
	req := transport.Request{Method: http.MethodPatch, Path: r.itemPath(id), Body: body}
	resp, err := r.tc.Do(ctx, req, &out)
	if err != nil {
		return nil, err
	}
	if !resp.Decoded || r.idOf(&out) == "" {
		return nil, nil
	}
	if err := r.check(http.MethodPatch, r.itemPath(id), &out, true); err != nil {
		return nil, err
	}
	return &out, nil
}

// Delete deletes a resource.
func (r *resources[T]) Delete(ctx context.Context, id string) error {
	defer r.cached.Invalidate()
	_, err := r.tc.Do(ctx, transport.Request{Method: http.MethodDelete, Path: r.itemPath(id)}, nil)
	return err
}

// List returns one page. The page's size is what it holds: itemsPerPage
// and startIndex, which services fill in differently (or not at all), are
// not relied on.
func (r *resources[T]) List(ctx context.Context, opts *ListOptions) (*ListResponse[T], error) {
	var out ListResponse[T]
	if _, err := r.tc.Do(ctx, transport.Request{Method: http.MethodGet, Path: r.path, Query: opts.query()}, &out); err != nil {
		return nil, err
	}
	for i := range out.Resources {
		if err := r.check(http.MethodGet, r.path, &out.Resources[i], opts == nil || len(opts.Attributes) == 0); err != nil {
			return nil, err
		}
	}
	return &out, nil
}

// check refuses a resource in a service's answer that lacks its id or,
// when withKey (no attribute selection left it out), its unique key: the
// client never records an object it cannot name.
func (r *resources[T]) check(method, path string, v *T, withKey bool) error {
	what := ""
	switch {
	case r.idOf(v) == "":
		what = "id"
	case withKey && r.keyOf(v) == "":
		what = r.key
	default:
		return nil
	}
	return &transport.ResponseError{Method: method, Path: r.tc.URLPath(path), Err: fmt.Errorf("the service's answer has a %s without %q", r.kind, what)}
}

// All iterates over every resource opts selects, page by page, from
// opts.StartIndex on. It asks for opts.Count (default DefaultPageSize) per
// page, takes what the service gives, and stops at totalResults or an empty
// page. Iteration ends after the first error, which it yields.
func (r *resources[T]) All(ctx context.Context, opts *ListOptions) iter.Seq2[*T, error] {
	page := ListOptions{StartIndex: 1, Count: DefaultPageSize}
	if opts != nil {
		page = *opts
		page.StartIndex = max(1, page.StartIndex)
		if page.Count <= 0 {
			page.Count = DefaultPageSize
		}
	}
	return func(yield func(*T, error) bool) {
		for {
			resp, err := r.List(ctx, &page)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range resp.Resources {
				if !yield(&resp.Resources[i], nil) {
					return
				}
			}
			page.StartIndex += len(resp.Resources)
			if len(resp.Resources) == 0 || page.StartIndex > resp.TotalResults {
				return
			}
		}
	}
}

// getByKey finds the resource whose unique key equals value (the service
// compares case-insensitively) with one list request; opts, which may be
// nil, selects the attributes returned. transport.ErrNotFound if none.
func (r *resources[T]) getByKey(ctx context.Context, value string, opts *GetOptions) (*T, error) {
	list := &ListOptions{Filter: Eq(r.key, value)}
	if opts != nil {
		list.Attributes, list.ExcludedAttributes = opts.Attributes, opts.ExcludedAttributes
	}
	resp, err := r.List(ctx, list)
	if err != nil {
		return nil, err
	}
	if len(resp.Resources) == 0 {
		return nil, fmt.Errorf("no %s has this %s: %w", r.kind, r.label, transport.ErrNotFound)
	}
	return &resp.Resources[0], nil
}
