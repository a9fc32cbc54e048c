package mockserver

import (
	"fmt"
	"net/http"
	"time"
)

// maxTokenDays is the longest provisioning token lifetime, in days.
const maxTokenDays = 365

// createTokenRequest is the optional body of POST …/provisioningToken.
type createTokenRequest struct {
	ExpiresInDays *int `json:"expiresInDays"`
}

// createdToken is the token part of the POST answer, the only place the
// secret ever appears.
type createdToken struct {
	ID          string  `json:"id"`
	Token       string  `json:"token"`
	GeneratedAt string  `json:"generatedAt"`
	ExpiresAt   *string `json:"expiresAt"`
}

// createTokenResponse is the 201 answer of POST …/provisioningToken.
type createTokenResponse struct {
	Message string       `json:"message"`
	Token   createdToken `json:"token"`
}

// tokenMetadata is the answer of GET …/provisioningToken: never the secret.
type tokenMetadata struct {
	ID          string  `json:"id"`
	GeneratedAt string  `json:"generatedAt"`
	ExpiresAt   *string `json:"expiresAt"`
	LastUsedAt  *string `json:"lastUsedAt"`
}

// generateToken makes a new provisioning token the active one of directory
// id, revoking the previous one. days ≤ 0 means no expiry. It returns the
// token metadata and the secret.
func (s *Server) generateToken(id string, days int) (ProvisioningToken, string, error) {
	secret := newSecret()
	now := s.opts.Now()
	tok := ProvisioningToken{ID: newID(), Hash: hashToken(secret), GeneratedAt: now}
	if days > 0 {
		exp := now.Add(time.Duration(days) * 24 * time.Hour)
		tok.ExpiresAt = &exp
	}
	stored := tok
	if err := s.store.setToken(id, &stored); err != nil {
		return ProvisioningToken{}, "", err
	}
	return tok, secret, nil
}

// handleCreateToken is POST /admin/v2/directoryIntegrations/{id}/provisioningToken.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	var req createTokenRequest
	if status, err := decodeJSON(r, &req, true); err != nil {
		writeMessage(w, status, err.Error())
		return
	}
	days := 0
	if req.ExpiresInDays != nil {
		days = *req.ExpiresInDays
		if days < 1 || days > maxTokenDays {
			writeMessage(w, http.StatusBadRequest, fmt.Sprintf("expiresInDays must be from 1 to %d", maxTokenDays))
			return
		}
	}
	tok, secret, err := s.generateToken(r.PathValue("id"), days)
	if err != nil {
		s.writeStoreError(w, err, "")
		return
	}
	writeJSON(w, http.StatusCreated, createTokenResponse{
		Message: "success",
		Token: createdToken{
			ID: tok.ID, Token: secret, GeneratedAt: formatTime(tok.GeneratedAt),
			ExpiresAt: formatOptionalTime(tok.ExpiresAt),
		},
	})
}

// handleGetToken is GET /admin/v2/directoryIntegrations/{id}/provisioningToken.
func (s *Server) handleGetToken(w http.ResponseWriter, r *http.Request) {
	tok, err := s.store.token(r.PathValue("id"))
	if err != nil {
		s.writeStoreError(w, err, "")
		return
	}
	writeJSON(w, http.StatusOK, tokenMetadata{
		ID: tok.ID, GeneratedAt: formatTime(tok.GeneratedAt),
		ExpiresAt: formatOptionalTime(tok.ExpiresAt), LastUsedAt: formatOptionalTime(tok.LastUsedAt),
	})
}

// handleDeleteToken is DELETE /admin/v2/directoryIntegrations/{id}/provisioningToken.
func (s *Server) handleDeleteToken(w http.ResponseWriter, r *http.Request) {
	if err := s.store.revokeToken(r.PathValue("id")); err != nil {
		s.writeStoreError(w, err, "")
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
