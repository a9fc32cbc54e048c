package mockserver

import (
	"fmt"
	"net/http"
)

// SetStrictFilters turns strict filter mode on or off (Options.StrictFilters).
// It is not persisted and POST /_mock/reset leaves it alone.
func (s *Server) SetStrictFilters(on bool) {
	s.strict.Store(on)
}

// StrictFilters reports whether strict filter mode is on.
func (s *Server) StrictFilters() bool {
	return s.strict.Load()
}

// strictBody is the answer of GET and POST /_mock/strict and the body of
// POST /_mock/strict.
type strictBody struct {
	StrictFilters *bool `json:"strictFilters"`
}

// handleGetStrict is GET /_mock/strict.
func (s *Server) handleGetStrict(w http.ResponseWriter, _ *http.Request) {
	on := s.StrictFilters()
	writeJSON(w, http.StatusOK, strictBody{StrictFilters: &on})
}

// handleSetStrict is POST /_mock/strict: {"strictFilters": true|false}.
func (s *Server) handleSetStrict(w http.ResponseWriter, r *http.Request) {
	var req strictBody
	if status, err := decodeJSON(r, &req, false); err != nil {
		writeMessage(w, status, fmt.Sprintf(`send {"strictFilters": true} or {"strictFilters": false}: %v`, err))
		return
	}
	if req.StrictFilters == nil {
		writeMessage(w, http.StatusBadRequest, `send {"strictFilters": true} or {"strictFilters": false}`)
		return
	}
	s.SetStrictFilters(*req.StrictFilters)
	s.handleGetStrict(w, r)
}
