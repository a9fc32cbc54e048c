package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
)

// Bootstrap makes sure a directory integration named name exists, creating
// it with identityProvider as the admin API would when it does not (an
// existing one, such as one loaded from -data, is kept as it is), and
// generates a new provisioning token for it (no expiry), which revokes
// the previous one as "Generate Token" does. It returns a snapshot of the
// directory and the SCIM bearer token.
func (s *Server) Bootstrap(name, identityProvider string) (*Directory, string, error) {
	d, ok := s.store.DirectoryByName(name)
	if !ok {
		var err error
		if d, err = s.createDirectory(name, identityProvider); err != nil {
			return nil, "", fmt.Errorf("bootstrap directory integration %q: %w", name, err)
		}
	}
	_, secret, err := s.generateToken(d.ID, 0)
	if err != nil {
		return nil, "", fmt.Errorf("bootstrap provisioning token of %q: %w", name, err)
	}
	snap, ok := s.store.Directory(d.ID)
	if !ok {
		return nil, "", fmt.Errorf("bootstrap directory integration %q: %w", name, errNotFound)
	}
	return &snap, secret, nil
}

// handleStats is GET /_mock/stats.
func (s *Server) handleStats(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.Stats())
}

// faultsBody is the answer of GET and POST /_mock/faults.
type faultsBody struct {
	Rules []FaultRule `json:"rules"`
}

// handleGetFaults is GET /_mock/faults.
func (s *Server) handleGetFaults(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, faultsBody{Rules: s.Faults()})
}

// handleSetFaults is POST /_mock/faults: the body is one rule or an array of
// rules, replacing the active ones.
func (s *Server) handleSetFaults(w http.ResponseWriter, r *http.Request) {
	rules, status, err := s.decodeFaults(r)
	if err != nil {
		writeMessage(w, status, err.Error())
		return
	}
	s.faults.set(rules)
	writeJSON(w, http.StatusOK, faultsBody{Rules: rules})
}

// decodeFaults reads and validates the rules of a POST /_mock/faults body.
func (s *Server) decodeFaults(r *http.Request) ([]FaultRule, int, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			return nil, http.StatusRequestEntityTooLarge, err
		}
		return nil, http.StatusBadRequest, fmt.Errorf("read body: %w", err)
	}
	body = bytes.TrimSpace(body)
	var rules []FaultRule
	if len(body) > 0 && body[0] == '[' {
		err = json.Unmarshal(body, &rules)
	} else {
		rules = make([]FaultRule, 1)
		err = json.Unmarshal(body, &rules[0])
	}
	if err != nil {
		return nil, http.StatusBadRequest, fmt.Errorf("invalid fault rules: %w", err)
	}
	for i, rule := range rules {
		if err := s.ValidateFault(rule); err != nil {
			return nil, http.StatusBadRequest, fmt.Errorf("fault rule %d: %w", i, err)
		}
	}
	return rules, 0, nil
}

// handleClearFaults is DELETE /_mock/faults.
func (s *Server) handleClearFaults(w http.ResponseWriter, _ *http.Request) {
	s.ClearFaults()
	w.WriteHeader(http.StatusNoContent)
}

// handleReset is POST /_mock/reset.
func (s *Server) handleReset(w http.ResponseWriter, _ *http.Request) {
	if err := s.reset(); err != nil {
		writeMessage(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
