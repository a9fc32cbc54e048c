package mockserver

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// IdentityProviders are the allowed identityProvider values of a directory
// integration.
var IdentityProviders = []string{"okta", "entra_id", "ping", "google", "other"}

// maxNameLength is the longest directory integration name, in characters.
const maxNameLength = 255

// maxPageLimit is the largest limit of the admin list calls.
const maxPageLimit = 100

// directoryJSON is a directory integration on the wire.
type directoryJSON struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	IdentityProvider   string `json:"identityProvider"`
	ProvisioningMethod string `json:"provisioningMethod"`
	ProvisioningURL    string `json:"provisioningUrl"`
	UserCount          int    `json:"userCount"`
	GroupCount         int    `json:"groupCount"`
	CreatedAt          string `json:"createdAt"`
	ModifiedAt         string `json:"modifiedAt"`
}

// directoryPage is the answer of the list call.
type directoryPage struct {
	Data   []directoryJSON `json:"data"`
	Offset int             `json:"offset"`
	Limit  int             `json:"limit"`
	Total  int             `json:"total"`
}

// createDirectoryRequest is the body of POST /admin/v2/directoryIntegrations.
type createDirectoryRequest struct {
	Name             string `json:"name"`
	IdentityProvider string `json:"identityProvider"`
}

// patchDirectoryRequest is the body of PATCH …/{id}. Only the name can
// change; identityProvider is accepted when it equals the current one.
type patchDirectoryRequest struct {
	Name             *string `json:"name"`
	IdentityProvider *string `json:"identityProvider"`
}

// formatTime renders a timestamp as the API does: RFC 3339, UTC, seconds.
func formatTime(t time.Time) string {
	return t.UTC().Format(time.RFC3339)
}

// formatOptionalTime renders an optional timestamp, nil as JSON null.
func formatOptionalTime(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

// provisioningURL is the SCIM base URL the IdP must call.
func (s *Server) provisioningURL(r *http.Request) string {
	if s.opts.BaseURL != "" {
		return s.opts.BaseURL + SCIMPath
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + SCIMPath
}

// toJSON renders a directory snapshot.
func (s *Server) toJSON(r *http.Request, d Directory) directoryJSON {
	users, groups := d.SCIM.Counts()
	return directoryJSON{
		ID: d.ID, Name: d.Name, IdentityProvider: d.IdentityProvider, ProvisioningMethod: "idp",
		ProvisioningURL: s.provisioningURL(r), UserCount: users, GroupCount: groups,
		CreatedAt: formatTime(d.CreatedAt), ModifiedAt: formatTime(d.ModifiedAt),
	}
}

// validateName checks a directory integration name.
func validateName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return errors.New("name is required and must not be blank")
	case utf8.RuneCountInString(name) > maxNameLength:
		return fmt.Errorf("name must be at most %d characters", maxNameLength)
	}
	return nil
}

// validateIdentityProvider checks an identityProvider value.
func validateIdentityProvider(idp string) error {
	if !slices.Contains(IdentityProviders, idp) {
		return fmt.Errorf("identityProvider %q is not one of %s", idp, strings.Join(IdentityProviders, ", "))
	}
	return nil
}

// createDirectory validates and stores a new directory integration.
func (s *Server) createDirectory(name, idp string) (Directory, error) {
	if err := validateName(name); err != nil {
		return Directory{}, err
	}
	if err := validateIdentityProvider(idp); err != nil {
		return Directory{}, err
	}
	now := s.opts.Now()
	id := newID()
	d := &Directory{
		ID: id, Name: name, IdentityProvider: idp, CreatedAt: now, ModifiedAt: now,
		SCIM: s.newSCIMStore(id),
	}
	if err := s.store.create(d, s.opts.MaxDirectories); err != nil {
		return Directory{}, err
	}
	return d.snapshot(), nil
}

// handleCreateDirectory is POST /admin/v2/directoryIntegrations.
func (s *Server) handleCreateDirectory(w http.ResponseWriter, r *http.Request) {
	var req createDirectoryRequest
	if status, err := decodeJSON(r, &req, false); err != nil {
		writeMessage(w, status, err.Error())
		return
	}
	d, err := s.createDirectory(req.Name, req.IdentityProvider)
	if err != nil {
		s.writeStoreError(w, err, req.Name)
		return
	}
	writeJSON(w, http.StatusCreated, s.toJSON(r, d))
}

// handleListDirectories is GET /admin/v2/directoryIntegrations.
func (s *Server) handleListDirectories(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := pageParams(r)
	if err != nil {
		writeMessage(w, http.StatusBadRequest, err.Error())
		return
	}
	dirs, total := s.store.page(offset, limit)
	page := directoryPage{Data: make([]directoryJSON, 0, len(dirs)), Offset: offset, Limit: limit, Total: total}
	for _, d := range dirs {
		page.Data = append(page.Data, s.toJSON(r, d))
	}
	writeJSON(w, http.StatusOK, page)
}

// handleGetDirectory is GET /admin/v2/directoryIntegrations/{id}.
func (s *Server) handleGetDirectory(w http.ResponseWriter, r *http.Request) {
	d, ok := s.store.Directory(r.PathValue("id"))
	if !ok {
		s.writeStoreError(w, errNotFound, "")
		return
	}
	writeJSON(w, http.StatusOK, s.toJSON(r, d))
}

// handlePatchDirectory is PATCH /admin/v2/directoryIntegrations/{id}.
func (s *Server) handlePatchDirectory(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	current, ok := s.store.Directory(id)
	if !ok {
		s.writeStoreError(w, errNotFound, "")
		return
	}
	var req patchDirectoryRequest
	if status, err := decodeJSON(r, &req, false); err != nil {
		writeMessage(w, status, err.Error())
		return
	}
	if err := checkPatch(req, current); err != nil {
		writeMessage(w, http.StatusBadRequest, err.Error())
		return
	}
	d, err := s.store.rename(id, *req.Name, s.opts.Now())
	if err != nil {
		s.writeStoreError(w, err, *req.Name)
		return
	}
	writeJSON(w, http.StatusOK, s.toJSON(r, d))
}

// checkPatch validates a PATCH body against the directory it changes.
func checkPatch(req patchDirectoryRequest, current Directory) error {
	if req.IdentityProvider != nil && *req.IdentityProvider != current.IdentityProvider {
		return fmt.Errorf("identityProvider cannot change (it is %q): create a new directory integration instead",
			current.IdentityProvider)
	}
	if req.Name == nil {
		return errors.New("name is required: it is the only attribute that can change")
	}
	return validateName(*req.Name)
}

// handleDeleteDirectory is DELETE /admin/v2/directoryIntegrations/{id}.
func (s *Server) handleDeleteDirectory(w http.ResponseWriter, r *http.Request) {
	if err := s.store.remove(r.PathValue("id")); err != nil {
		s.writeStoreError(w, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeStoreError maps a store or validation error to its answer; name is
// the directory name a conflict is about.
func (s *Server) writeStoreError(w http.ResponseWriter, err error, name string) {
	switch {
	case errors.Is(err, errPersist):
		writeMessage(w, http.StatusInternalServerError, err.Error())
	case errors.Is(err, errNotFound):
		writeMessage(w, http.StatusNotFound, "directory integration not found")
	case errors.Is(err, errNoToken):
		writeMessage(w, http.StatusNotFound, "the directory integration has no active provisioning token")
	case errors.Is(err, errDuplicateName):
		writeMessage(w, http.StatusConflict, fmt.Sprintf("a directory integration named %q already exists", name))
	case errors.Is(err, errTooMany):
		writeMessage(w, http.StatusBadRequest,
			fmt.Sprintf("the organization already has the maximum of %d directory integrations", s.opts.MaxDirectories))
	default:
		writeMessage(w, http.StatusBadRequest, err.Error())
	}
}

// pageParams parses offset (≥ 0, default 0) and limit (1–100, default 100).
func pageParams(r *http.Request) (offset, limit int, err error) {
	q := r.URL.Query()
	offset, err = intParam(q.Get("offset"), 0, "offset", 0, 1<<31-1)
	if err != nil {
		return 0, 0, err
	}
	limit, err = intParam(q.Get("limit"), maxPageLimit, "limit", 1, maxPageLimit)
	if err != nil {
		return 0, 0, err
	}
	return offset, limit, nil
}

// intParam parses an optional integer query parameter within [lo, hi].
func intParam(raw string, def int, name string, lo, hi int) (int, error) {
	if raw == "" {
		return def, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n < lo || n > hi {
		return 0, fmt.Errorf("%s must be an integer from %d to %d", name, lo, hi)
	}
	return n, nil
}
