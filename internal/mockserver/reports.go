package mockserver

import (
	"cmp"
	"net/http"
	"slices"
	"strings"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// identityType is the type object of a Reports identity.
type identityType struct {
	ID    int    `json:"id"`
	Label string `json:"label"`
	Type  string `json:"type"`
}

// identityTypes are the Reports identity types the mock knows, by type.
var identityTypes = map[string]identityType{
	"directory_user":  {ID: 7, Label: "Directory Users", Type: "directory_user"},
	"directory_group": {ID: 6, Label: "Directory Groups", Type: "directory_group"},
}

// identityJSON is one entry of GET /reports/v2/identities.
type identityJSON struct {
	ID      int64        `json:"id"`
	Label   string       `json:"label"`
	Type    identityType `json:"type"`
	Deleted bool         `json:"deleted"`
}

// identitiesResponse is the answer of GET /reports/v2/identities.
type identitiesResponse struct {
	Data []identityJSON `json:"data"`
	Meta struct{}       `json:"meta"`
}

// handleIdentities is GET /reports/v2/identities: every SCIM user and group
// of the organization, ordered by ID, filtered by search (case-insensitive
// substring of the label) and identitytypes (comma-separated), paged by
// offset and limit.
func (s *Server) handleIdentities(w http.ResponseWriter, r *http.Request) {
	offset, limit, err := pageParams(r)
	if err != nil {
		writeMessage(w, http.StatusBadRequest, err.Error())
		return
	}
	q := r.URL.Query()
	matches := identityFilter(q.Get("search"), q.Get("identitytypes"))
	var found []scimserver.Identity
	for _, d := range s.store.Directories() {
		for _, id := range d.SCIM.Identities() {
			if matches(id) {
				found = append(found, id)
			}
		}
	}
	slices.SortFunc(found, func(a, b scimserver.Identity) int { return cmp.Compare(a.ID, b.ID) })
	found = found[min(offset, len(found)):min(offset+limit, len(found))]

	resp := identitiesResponse{Data: make([]identityJSON, 0, len(found))}
	for _, id := range found {
		resp.Data = append(resp.Data, identityJSON{ID: id.ID, Label: id.Label, Type: identityTypes[id.Type]})
	}
	writeJSON(w, http.StatusOK, resp)
}

// identityFilter returns the predicate of the search and identitytypes
// parameters; empty parameters match everything.
func identityFilter(search, types string) func(scimserver.Identity) bool {
	search = strings.ToLower(search)
	var wanted []string
	for t := range strings.SplitSeq(types, ",") {
		if t = strings.TrimSpace(t); t != "" {
			wanted = append(wanted, t)
		}
	}
	return func(id scimserver.Identity) bool {
		return strings.Contains(strings.ToLower(id.Label), search) &&
			(len(wanted) == 0 || slices.Contains(wanted, id.Type))
	}
}
