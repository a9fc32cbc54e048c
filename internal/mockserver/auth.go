package mockserver

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// tokenResponse is the 200 answer of POST /auth/v2/token.
type tokenResponse struct {
	TokenType   string `json:"token_type"`
	AccessToken string `json:"access_token"`
	ExpiresIn   int    `json:"expires_in"`
}

// handleToken is POST /auth/v2/token: OAuth 2.0 client credentials with the
// client authenticated by HTTP Basic or by form fields.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		if _, ok := errors.AsType[*http.MaxBytesError](err); ok {
			writeMessage(w, http.StatusRequestEntityTooLarge, s.tooLargeMessage())
			return
		}
		writeMessage(w, http.StatusBadRequest, "invalid form body: "+err.Error())
		return
	}
	id, secret, ok := clientCredentials(r)
	if !ok {
		writeMessage(w, http.StatusUnauthorized,
			"missing client credentials: use HTTP Basic authentication or the client_id and client_secret form fields")
		return
	}
	if !s.validClient(id, secret) {
		writeMessage(w, http.StatusUnauthorized, "invalid client credentials")
		return
	}
	switch grant := r.PostForm.Get("grant_type"); grant {
	case "client_credentials":
	case "":
		writeMessage(w, http.StatusBadRequest, "missing grant_type: send grant_type=client_credentials")
		return
	default:
		writeMessage(w, http.StatusBadRequest,
			fmt.Sprintf("unsupported grant_type %q: only client_credentials is supported", grant))
		return
	}
	if wait, ok := s.limiters.allowWindows(scopeToken, id, s.opts.RateLimits.Token, s.opts.Now()); !ok {
		writeTooManyRequests(w, wait)
		return
	}
	token := s.tokens.issue(s.opts.ClientID, s.opts.Now(), s.opts.AccessTokenTTL)
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, tokenResponse{
		TokenType:   "bearer",
		AccessToken: token,
		ExpiresIn:   int(math.Ceil(s.opts.AccessTokenTTL.Seconds())),
	})
}

// clientCredentials returns the client ID and secret from the Basic
// Authorization header or, failing that, the form body.
func clientCredentials(r *http.Request) (id, secret string, ok bool) {
	if id, secret, ok := r.BasicAuth(); ok {
		return id, secret, true
	}
	id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	return id, secret, id != "" || secret != ""
}

// validClient compares the credentials in constant time. Basic credentials
// may arrive URL-encoded (RFC 6749 §2.3.1, as golang.org/x/oauth2 sends
// them), so the decoded form is accepted too.
func (s *Server) validClient(id, secret string) bool {
	if s.credentialsMatch(id, secret) {
		return true
	}
	uid, errID := url.QueryUnescape(id)
	usecret, errSecret := url.QueryUnescape(secret)
	return errID == nil && errSecret == nil && s.credentialsMatch(uid, usecret)
}

// credentialsMatch compares hashes so neither content nor length leaks
// through timing.
func (s *Server) credentialsMatch(id, secret string) bool {
	gotID, wantID := sha256.Sum256([]byte(id)), sha256.Sum256([]byte(s.opts.ClientID))
	gotSecret, wantSecret := sha256.Sum256([]byte(secret)), sha256.Sum256([]byte(s.opts.ClientSecret))
	return subtle.ConstantTimeCompare(gotID[:], wantID[:])&subtle.ConstantTimeCompare(gotSecret[:], wantSecret[:]) == 1
}

// accessToken is what the server remembers of an issued access token.
type accessToken struct {
	clientID  string
	expiresAt time.Time
}

// accessTokens holds issued access tokens by SHA-256 hash.
type accessTokens struct {
	mu     sync.Mutex
	byHash map[[32]byte]accessToken
}

// expiredTokenMemory is how long an expired access token is remembered, so
// a 401 can say "expired" rather than "unknown".
const expiredTokenMemory = time.Hour

// issue returns a new random access token valid for ttl from now, and
// forgets tokens that expired over expiredTokenMemory ago.
func (a *accessTokens) issue(clientID string, now time.Time, ttl time.Duration) string {
	token := newSecret()
	a.mu.Lock()
	defer a.mu.Unlock()
	for h, t := range a.byHash {
		if now.Sub(t.expiresAt) > expiredTokenMemory {
			delete(a.byHash, h)
		}
	}
	a.byHash[hashToken(token)] = accessToken{clientID: clientID, expiresAt: now.Add(ttl)}
	return token
}

// lookup finds the access token with the given hash.
func (a *accessTokens) lookup(hash [32]byte, now time.Time) (accessToken, tokenStatus) {
	a.mu.Lock()
	defer a.mu.Unlock()
	t, ok := a.byHash[hash]
	switch {
	case !ok:
		return accessToken{}, tokenUnknown
	case !now.Before(t.expiresAt):
		return accessToken{}, tokenExpired
	}
	return t, tokenValid
}

// bearerToken returns the token of an "Authorization: Bearer …" header.
func bearerToken(r *http.Request) (string, bool) {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "", false
	}
	return token, true
}

// requireAdmin admits requests carrying a valid management API access token
// and within the key's rate limits: the windows of Options.RateLimits, then
// the token bucket of Options.AdminRateLimit.
func (s *Server) requireAdmin(next http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			unauthorized(w, r, "missing bearer access token: get one from POST /auth/v2/token")
			return
		}
		now := s.opts.Now()
		hash := hashToken(token)
		at, status := s.tokens.lookup(hash, now)
		switch {
		case status == tokenExpired:
			unauthorized(w, r, "access token expired: get a new one from POST /auth/v2/token")
			return
		case status == tokenUnknown && s.store.isProvisioningToken(hash):
			unauthorized(w, r, "a SCIM provisioning token cannot call the management API: use an access token from POST /auth/v2/token")
			return
		case status == tokenUnknown:
			unauthorized(w, r, "unknown access token: get one from POST /auth/v2/token")
			return
		}
		if wait, ok := s.limiters.allowWindows(scopeAdmin, at.clientID, s.opts.RateLimits.Admin, now); !ok {
			writeTooManyRequests(w, wait)
			return
		}
		if !s.limiters.allow(at.clientID, s.opts.AdminRateLimit, now) {
			writeTooManyRequests(w, 0)
			return
		}
		next(w, r)
	})
}

// requireSCIM admits requests carrying the active, unexpired provisioning
// token of a directory integration and hands them to handle with that
// directory's SCIM store.
func (s *Server) requireSCIM(handle func(http.ResponseWriter, *http.Request, *scimserver.Store)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := bearerToken(r)
		if !ok {
			unauthorized(w, r, "missing bearer provisioning token: generate one for the directory integration")
			return
		}
		hash := hashToken(token)
		now := s.opts.Now()
		dir, status := s.store.authenticate(hash, now)
		switch {
		case status == tokenExpired:
			unauthorized(w, r, "provisioning token expired: generate a new one for the directory integration")
			return
		case status == tokenUnknown && s.isAccessToken(hash, now):
			unauthorized(w, r, "a management API access token cannot call SCIM: use the directory integration's provisioning token")
			return
		case status == tokenUnknown:
			unauthorized(w, r, "unknown or revoked provisioning token")
			return
		}
		if s.StrictFilters() {
			r = r.WithContext(scimserver.WithStrictFilters(r.Context()))
		}
		handle(w, r, dir)
	})
}

// isAccessToken reports whether hash is a management API access token
// (used to explain a 401 on SCIM).
func (s *Server) isAccessToken(hash [32]byte, now time.Time) bool {
	_, status := s.tokens.lookup(hash, now)
	return status != tokenUnknown
}

// unauthorized answers 401 with a bearer challenge in the error format of the
// request's API family.
func unauthorized(w http.ResponseWriter, r *http.Request, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="secureaccess-mock"`)
	writeError(w, r, http.StatusUnauthorized, msg)
}
