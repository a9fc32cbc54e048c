package scimserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// basePath is where the parent mounts the SCIM routes.
const basePath = "/identity/v2/scim"

// handler is a SCIM endpoint that fails with a scimError.
type handler func(w http.ResponseWriter, r *http.Request, s *Store) *scimError

// handle adapts a handler to Route.Handle, writing its error. Under the
// selection quirks it first refuses or drops the attributes and
// excludedAttributes query parameters.
func handle(h handler) func(http.ResponseWriter, *http.Request, *Store) {
	return func(w http.ResponseWriter, r *http.Request, s *Store) {
		if q := quirksOf(r.Context()); q&(QuirkSelectionRefused|QuirkSelectionIgnored) != 0 {
			var err *scimError
			if r, err = selectionQuery(r, q); err != nil {
				writeErr(w, err)
				return
			}
		}
		if err := h(w, r, s); err != nil {
			writeErr(w, err)
		}
	}
}

// Routes returns every SCIM endpoint, with patterns relative to
// /identity/v2/scim.
func Routes() []Route {
	routes := []Route{
		{Method: http.MethodGet, Pattern: "/ServiceProviderConfig", Handle: handle(getServiceProviderConfig)},
		{Method: http.MethodGet, Pattern: "/ResourceTypes", Handle: handle(listResourceTypes)},
		{Method: http.MethodGet, Pattern: "/ResourceTypes/{name}", Handle: handle(getResourceType)},
		{Method: http.MethodGet, Pattern: "/Schemas", Handle: handle(listSchemas)},
		{Method: http.MethodGet, Pattern: "/Schemas/{urn}", Handle: handle(getSchema)},
		{Method: http.MethodPost, Pattern: "/.search", Handle: handle(searchRoot)},
	}
	for _, k := range []*resourceKind{userKind, groupKind} {
		routes = append(routes,
			Route{Method: http.MethodGet, Pattern: k.endpoint, Handle: handle(k.list)},
			Route{Method: http.MethodPost, Pattern: k.endpoint, Handle: handle(k.create)},
			Route{Method: http.MethodPost, Pattern: k.endpoint + "/.search", Handle: handle(k.search)},
			Route{Method: http.MethodGet, Pattern: k.endpoint + "/{id}", Handle: handle(k.get)},
			Route{Method: http.MethodPut, Pattern: k.endpoint + "/{id}", Handle: handle(k.replace)},
			Route{Method: http.MethodPatch, Pattern: k.endpoint + "/{id}", Handle: handle(k.patch)},
			Route{Method: http.MethodDelete, Pattern: k.endpoint + "/{id}", Handle: handle(k.delete)},
		)
	}
	return routes
}

// baseURL is the SCIM base URL as the client addressed it.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if fwd, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ","); fwd != "" {
		if fwd = strings.ToLower(strings.TrimSpace(fwd)); fwd == "http" || fwd == "https" {
			scheme = fwd
		}
	}
	return scheme + "://" + r.Host + basePath
}

func getServiceProviderConfig(w http.ResponseWriter, r *http.Request, _ *Store) *scimError {
	writeJSON(w, http.StatusOK, serviceProviderConfig(baseURL(r)))
	return nil
}

func listResourceTypes(w http.ResponseWriter, r *http.Request, _ *Store) *scimError {
	base := baseURL(r)
	res := []map[string]any{resourceTypeResource(base, userKind), resourceTypeResource(base, groupKind)}
	writeJSON(w, http.StatusOK, listResponse{Schemas: []string{urnListResponse}, TotalResults: len(res), StartIndex: 1, ItemsPerPage: len(res), Resources: res})
	return nil
}

func getResourceType(w http.ResponseWriter, r *http.Request, _ *Store) *scimError {
	for _, k := range []*resourceKind{userKind, groupKind} {
		if strings.EqualFold(k.name, r.PathValue("name")) {
			writeJSON(w, http.StatusOK, resourceTypeResource(baseURL(r), k))
			return nil
		}
	}
	return notFound("ResourceType", r.PathValue("name"))
}

func listSchemas(w http.ResponseWriter, r *http.Request, _ *Store) *scimError {
	res := make([]map[string]any, len(allSchemas))
	for i, sc := range allSchemas {
		res[i] = schemaResource(baseURL(r), sc)
	}
	writeJSON(w, http.StatusOK, listResponse{Schemas: []string{urnListResponse}, TotalResults: len(res), StartIndex: 1, ItemsPerPage: len(res), Resources: res})
	return nil
}

func getSchema(w http.ResponseWriter, r *http.Request, _ *Store) *scimError {
	for _, sc := range allSchemas {
		if strings.EqualFold(sc.ID, r.PathValue("urn")) {
			writeJSON(w, http.StatusOK, schemaResource(baseURL(r), sc))
			return nil
		}
	}
	return notFound("Schema", r.PathValue("urn"))
}

// list serves GET /Users and GET /Groups.
func (k *resourceKind) list(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	v := r.URL.Query()
	if err := checkStrict(r, v.Get("filter"), k); err != nil {
		return err
	}
	q, err := queryFromURL(k, v, &s.filters, quirksOf(r.Context()))
	if err != nil {
		return err
	}
	writeList(w, r, s.list(k, q, baseURL(r)), q)
	return nil
}

// search serves POST /Users/.search and /Groups/.search (RFC 7644 §3.4.3).
func (k *resourceKind) search(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	req, err := readSearch(r)
	if err != nil {
		return err
	}
	if err := checkStrict(r, req.Filter, k); err != nil {
		return err
	}
	q, err := req.query(k, &s.filters)
	if err != nil {
		return err
	}
	writeList(w, r, s.list(k, q, baseURL(r)), q)
	return nil
}

// searchRoot serves POST /.search, a search across users and groups (RFC
// 7644 §3.4.3) with the semantics of the per-type searches.
func searchRoot(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	req, err := readSearch(r)
	if err != nil {
		return err
	}
	if err := checkStrict(r, req.Filter, allKinds...); err != nil {
		return err
	}
	qs := make([]listQuery, 0, len(allKinds))
	named := false // whether attributes names an attribute of some type
	for _, k := range allKinds {
		q, err := req.query(k, &s.filters)
		if err != nil {
			return err
		}
		qs = append(qs, q)
		named = named || len(q.proj.include) > 0
	}
	for i := range qs {
		if named && len(qs[i].proj.include) == 0 {
			// The attributes asked for belong to other types: return
			// what is always returned (id and schemas).
			qs[i].proj.include = []selection{{name: "id"}}
		}
	}
	writeList(w, r, s.searchAll(qs, baseURL(r)), qs...)
	return nil
}

// readSearch reads a SearchRequest body, as the request's quirks have it.
func readSearch(r *http.Request) (searchRequest, *scimError) {
	body, err := readBody(r)
	if err != nil {
		return searchRequest{}, err
	}
	var req searchRequest
	if jerr := json.Unmarshal(body, &req); jerr != nil {
		return searchRequest{}, badRequest(scimTypeInvalidSyntax, fmt.Sprintf("search request: %v", jerr))
	}
	if q := quirksOf(r.Context()); q != 0 {
		if err := req.withQuirks(q); err != nil {
			return searchRequest{}, err
		}
	}
	return req, nil
}

// get serves GET /Users/{id} and /Groups/{id}, with If-None-Match.
func (k *resourceKind) get(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	res, err := s.get(k, r.PathValue("id"), baseURL(r))
	if err != nil {
		return err
	}
	if inm := r.Header.Get("If-None-Match"); inm != "" && etagMatches(inm, res.version) {
		w.Header().Set("ETag", etag(res.version))
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	writeResource(w, r, k, http.StatusOK, res)
	return nil
}

// create serves POST /Users and /Groups.
func (k *resourceKind) create(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	m, err := readResource(k, r)
	if err != nil {
		return err
	}
	q := quirksOf(r.Context())
	res, err := s.create(k, m, baseURL(r), q)
	if err != nil {
		return err
	}
	w.Header().Set("Location", baseURL(r)+k.endpoint+"/"+res.id)
	status := http.StatusCreated
	if q.Has(QuirkCreate200) {
		status = http.StatusOK
	}
	writeResource(w, r, k, status, res)
	return nil
}

// replace serves PUT /Users/{id} and /Groups/{id}.
func (k *resourceKind) replace(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	m, err := readResource(k, r)
	if err != nil {
		return err
	}
	res, err := s.replace(k, r.PathValue("id"), r.Header.Get("If-Match"), m, baseURL(r), quirksOf(r.Context()))
	if err != nil {
		return err
	}
	writeResource(w, r, k, http.StatusOK, res)
	return nil
}

// patch serves PATCH /Users/{id} and /Groups/{id}; it answers 200 with the
// whole resource (patch-204: 204; patch-empty-200: 200 without a body).
func (k *resourceKind) patch(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	m, err := readObject(r)
	if err != nil {
		return err
	}
	ops, err := parsePatch(m)
	if err != nil {
		return err
	}
	q := quirksOf(r.Context())
	res, err := s.patch(k, r.PathValue("id"), r.Header.Get("If-Match"), ops, baseURL(r), q, patchSelection(r, k, q))
	if err != nil {
		return err
	}
	switch {
	case q.Has(QuirkPatch204):
		w.WriteHeader(http.StatusNoContent)
	case q.Has(QuirkPatchEmpty200):
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
	default:
		writeResource(w, r, k, http.StatusOK, res)
	}
	return nil
}

// delete serves DELETE /Users/{id} and /Groups/{id}.
func (k *resourceKind) delete(w http.ResponseWriter, r *http.Request, s *Store) *scimError {
	if err := s.remove(k, r.PathValue("id"), r.Header.Get("If-Match")); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

// writeResource writes one resource with its ETag, projected by the
// request's attributes/excludedAttributes parameters and shaped by its
// quirks.
func writeResource(w http.ResponseWriter, r *http.Request, k *resourceKind, status int, res saved) {
	q := r.URL.Query()
	proj := newProjection(k, splitList(q.Get("attributes")), splitList(q.Get("excludedAttributes")))
	w.Header().Set("ETag", etag(res.version))
	writeShaped(w, quirksOf(r.Context()), status, proj.apply(res.doc), proj.memberView())
}

// writeList writes a ListResponse of users or groups, shaped by the
// request's quirks; qs are the queries that made it (one per type).
func writeList(w http.ResponseWriter, r *http.Request, resp listResponse, qs ...listQuery) {
	quirks := quirksOf(r.Context())
	if quirks.Has(QuirkItemsPerPageRequested) {
		resp.ItemsPerPage = qs[0].count
	}
	writeShaped(w, quirks, http.StatusOK, resp, groupMemberView(qs))
}

// groupMemberView is what the group query among qs (if any) does to
// members.
func groupMemberView(qs []listQuery) memberView {
	for _, q := range qs {
		if q.kind == groupKind {
			return q.proj.memberView()
		}
	}
	return memberView{}
}

// readResource reads a resource body and canonicalizes its attribute names.
func readResource(k *resourceKind, r *http.Request) (map[string]any, *scimError) {
	m, err := readObject(r)
	if err != nil {
		return nil, err
	}
	return canonicalize(k, m), nil
}

// readObject reads a JSON object body.
func readObject(r *http.Request) (map[string]any, *scimError) {
	body, err := readBody(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if jerr := json.Unmarshal(body, &m); jerr != nil || m == nil {
		return nil, badRequest(scimTypeInvalidSyntax, "the request body must be a JSON object")
	}
	return m, nil
}

// readBody checks the content type and reads the body; a body over the
// parent's http.MaxBytesReader limit is a 413.
func readBody(r *http.Request) ([]byte, *scimError) {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != contentType && mt != "application/json") {
			return nil, newError(http.StatusUnsupportedMediaType, "",
				fmt.Sprintf("content type %q is not supported: send %s or application/json", ct, contentType))
		}
	}
	body, err := io.ReadAll(r.Body)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, newError(http.StatusRequestEntityTooLarge, "", fmt.Sprintf("the request body exceeds %d bytes", tooBig.Limit))
	case err != nil:
		return nil, badRequest(scimTypeInvalidSyntax, fmt.Sprintf("reading the request body: %v", err))
	}
	return body, nil
}
