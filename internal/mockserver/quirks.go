package mockserver

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// SetQuirks replaces the SCIM quirks (Options.Quirks) for every later
// request; 0 turns them all off. It refuses conflicting quirks and then
// changes nothing. Quirks are not persisted and POST /_mock/reset leaves
// them alone.
func (s *Server) SetQuirks(q scimserver.Quirks) error {
	if err := q.Validate(); err != nil {
		return err
	}
	s.quirks.Store(uint32(q))
	return nil
}

// Quirks returns the SCIM quirks in effect.
func (s *Server) Quirks() scimserver.Quirks {
	return scimserver.Quirks(s.quirks.Load())
}

// quirksBody is the answer of GET and POST /_mock/quirks and the body of
// POST /_mock/quirks: {"quirks": ["patch-204", …]}.
type quirksBody struct {
	Quirks *scimserver.Quirks `json:"quirks"`
}

// quirksUsage says what POST /_mock/quirks takes.
var quirksUsage = `send {"quirks": [names]} with names among ` + strings.Join(scimserver.QuirkNames(), ", ")

// handleGetQuirks is GET /_mock/quirks.
func (s *Server) handleGetQuirks(w http.ResponseWriter, _ *http.Request) {
	q := s.Quirks()
	writeJSON(w, http.StatusOK, quirksBody{Quirks: &q})
}

// handleSetQuirks is POST /_mock/quirks: {"quirks": ["name", …]} replaces
// the quirks ([] turns them off).
func (s *Server) handleSetQuirks(w http.ResponseWriter, r *http.Request) {
	var req quirksBody
	if status, err := decodeJSON(r, &req, false); err != nil {
		writeMessage(w, status, fmt.Sprintf("%v; %s", err, quirksUsage))
		return
	}
	if req.Quirks == nil {
		writeMessage(w, http.StatusBadRequest, quirksUsage)
		return
	}
	if err := s.SetQuirks(*req.Quirks); err != nil { // UnmarshalJSON validated it already
		writeMessage(w, http.StatusBadRequest, err.Error())
		return
	}
	s.handleGetQuirks(w, r)
}
