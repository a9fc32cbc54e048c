package mockserver

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// Store errors, mapped to HTTP statuses by the admin handlers.
var (
	errNotFound      = errors.New("not found")
	errDuplicateName = errors.New("duplicate name")
	errTooMany       = errors.New("too many directory integrations")
	errNoToken       = errors.New("no provisioning token")
)

// Directory returns a snapshot of the directory integration with the given
// id. The snapshot's SCIM field is the live SCIM store.
func (st *Store) Directory(id string) (Directory, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d, ok := st.dirs[id]
	if !ok {
		return Directory{}, false
	}
	return d.snapshot(), true
}

// DirectoryByName returns a snapshot of the directory integration whose name
// equals name, compared case-insensitively.
func (st *Store) DirectoryByName(name string) (Directory, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d := st.byNameLocked(name)
	if d == nil {
		return Directory{}, false
	}
	return d.snapshot(), true
}

// DirectorySCIM returns the live SCIM store (users and groups) of the
// directory integration with the given id.
func (st *Store) DirectorySCIM(id string) (*scimserver.Store, bool) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d, ok := st.dirs[id]
	if !ok {
		return nil, false
	}
	return d.SCIM, true
}

// Directories returns snapshots of every directory integration in creation
// order.
func (st *Store) Directories() []Directory {
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := make([]Directory, 0, len(st.order))
	for _, id := range st.order {
		out = append(out, st.dirs[id].snapshot())
	}
	return out
}

// snapshot copies the directory and its token so callers can read it without
// holding Store.mu. Callers hold Store.mu.
func (d *Directory) snapshot() Directory {
	c := *d
	if d.Token != nil {
		t := *d.Token
		c.Token = &t
	}
	return c
}

// byNameLocked finds a directory by case-insensitive name. Callers hold
// Store.mu.
func (st *Store) byNameLocked(name string) *Directory {
	for _, id := range st.order {
		if d := st.dirs[id]; strings.EqualFold(d.Name, name) {
			return d
		}
	}
	return nil
}

// create adds d unless its name is taken or the store already holds max
// directories.
func (st *Store) create(d *Directory, maxDirs int) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.byNameLocked(d.Name) != nil {
		return errDuplicateName
	}
	if len(st.order) >= maxDirs {
		return errTooMany
	}
	st.dirs[d.ID] = d
	st.order = append(st.order, d.ID)
	return st.logLocked(record{Directory: d.record()})
}

// page returns snapshots of the directories in [offset, offset+limit) and the
// total count.
func (st *Store) page(offset, limit int) ([]Directory, int) {
	all := st.Directories()
	start := min(offset, len(all))
	end := min(start+limit, len(all))
	return all[start:end], len(all)
}

// rename sets the name of directory id, refusing a name another directory
// already has.
func (st *Store) rename(id, name string, now time.Time) (Directory, error) {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.dirs[id]
	if !ok {
		return Directory{}, errNotFound
	}
	if other := st.byNameLocked(name); other != nil && other != d {
		return Directory{}, errDuplicateName
	}
	if d.Name != name {
		d.Name = name
		d.ModifiedAt = now
		if err := st.logLocked(record{Directory: d.record()}); err != nil {
			return Directory{}, err
		}
	}
	return d.snapshot(), nil
}

// remove deletes directory id with its SCIM data and token.
func (st *Store) remove(id string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.dirs[id]; !ok {
		return errNotFound
	}
	st.dropLocked(id)
	return st.logLocked(record{DeleteDir: id})
}

// dropLocked deletes directory id, if it exists. Callers hold st.mu.
func (st *Store) dropLocked(id string) {
	delete(st.dirs, id)
	for i, v := range st.order {
		if v == id {
			st.order = append(st.order[:i], st.order[i+1:]...)
			break
		}
	}
}

// reset empties the store. Identity IDs keep counting so none is reused.
func (st *Store) reset() error {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.resetLocked()
	return st.logLocked(record{Reset: true})
}

// resetLocked empties the store. Callers hold st.mu.
func (st *Store) resetLocked() {
	st.dirs = map[string]*Directory{}
	st.order = nil
}

// setToken makes tok the active provisioning token of directory id; the
// previous one stops working at once.
func (st *Store) setToken(id string, tok *ProvisioningToken) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.dirs[id]
	if !ok {
		return errNotFound
	}
	d.Token = tok
	return st.logLocked(record{Directory: d.record()})
}

// token returns a copy of the active token metadata of directory id.
func (st *Store) token(id string) (ProvisioningToken, error) {
	st.mu.RLock()
	defer st.mu.RUnlock()
	d, ok := st.dirs[id]
	if !ok {
		return ProvisioningToken{}, errNotFound
	}
	if d.Token == nil {
		return ProvisioningToken{}, errNoToken
	}
	return *d.Token, nil
}

// revokeToken removes the active token of directory id.
func (st *Store) revokeToken(id string) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	d, ok := st.dirs[id]
	if !ok {
		return errNotFound
	}
	if d.Token == nil {
		return errNoToken
	}
	d.Token = nil
	return st.logLocked(record{Directory: d.record()})
}

// tokenStatus is the outcome of looking a provisioning token up.
type tokenStatus int

const (
	tokenUnknown tokenStatus = iota
	tokenExpired
	tokenValid
)

// authenticate finds the directory whose active provisioning token hashes to
// hash, comparing every candidate in constant time. A valid token's
// LastUsedAt is set to now.
func (st *Store) authenticate(hash [32]byte, now time.Time) (*scimserver.Store, tokenStatus) {
	st.mu.Lock()
	defer st.mu.Unlock()
	var found *Directory
	for _, id := range st.order {
		d := st.dirs[id]
		if d.Token != nil && subtle.ConstantTimeCompare(d.Token.Hash[:], hash[:]) == 1 {
			found = d
		}
	}
	switch {
	case found == nil:
		return nil, tokenUnknown
	case found.Token.ExpiresAt != nil && !now.Before(*found.Token.ExpiresAt):
		return nil, tokenExpired
	}
	prev := found.Token.LastUsedAt
	used := now
	found.Token.LastUsedAt = &used
	if prev == nil || !prev.Truncate(time.Second).Equal(used.Truncate(time.Second)) {
		// lastUsedAt has a resolution of seconds in the API, so it is
		// persisted at most once a second. An error is not this request's
		// (it changes nothing else): the data file stays failed and the next
		// write reports it.
		_ = st.logLocked(record{Directory: found.record()})
	}
	return found.SCIM, tokenValid
}

// isProvisioningToken reports whether hash belongs to any directory's
// active provisioning token (used to explain a 401 on the admin API).
func (st *Store) isProvisioningToken(hash [32]byte) bool {
	st.mu.RLock()
	defer st.mu.RUnlock()
	for _, d := range st.dirs {
		if d.Token != nil && subtle.ConstantTimeCompare(d.Token.Hash[:], hash[:]) == 1 {
			return true
		}
	}
	return false
}

// newSecret returns 32 random bytes, URL-safe base64 without padding.
func newSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go ≥ 1.24).
	return base64.RawURLEncoding.EncodeToString(b)
}

// newID returns a random RFC 4122 version 4 UUID.
func newID() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never returns an error (Go ≥ 1.24).
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// hashToken is the SHA-256 of a bearer token, the only form tokens are kept in.
func hashToken(token string) [32]byte {
	return sha256.Sum256([]byte(token))
}
