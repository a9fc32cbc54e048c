package mockserver

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// Store is the mock's in-memory state for one organization: its directory
// integrations, each with a provisioning token and its own SCIM users and
// groups. Tests reach it through Server.Store to assert on what the service
// holds.
//
// Locking: Store.mu guards the directory map and every admin-side field of a
// Directory (name, token, timestamps). Each Directory's SCIM data has its own
// lock inside scimserver.Store, so SCIM traffic of one directory never waits on
// another's.
type Store struct {
	mu     sync.RWMutex
	dirs   map[string]*Directory
	order  []string // directory ids in creation order (stable listing)
	nextID atomic.Int64
	serial atomic.Int64 // the integer-ids quirk's counter

	// data makes every write durable when the server has a data file
	// (Open); nil keeps the store in memory only.
	data *dataFile
}

// Directory is one directory integration ("Integrate directory → Identity
// Provider" in the dashboard).
type Directory struct {
	ID               string
	Name             string
	IdentityProvider string
	CreatedAt        time.Time
	ModifiedAt       time.Time

	// Token is the active provisioning token, nil when none was generated or
	// it was revoked. Guarded by Store.mu.
	Token *ProvisioningToken

	// SCIM holds the directory's users and groups; it has its own lock.
	SCIM *scimserver.Store
}

// ProvisioningToken is the metadata of a SCIM bearer token. The secret itself
// is never stored: only its SHA-256 hash.
type ProvisioningToken struct {
	ID          string
	Hash        [32]byte
	GeneratedAt time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
}

// newStore returns an empty store.
func newStore() *Store {
	return &Store{dirs: map[string]*Directory{}}
}

// NextIdentityID hands out the numeric Reports identity IDs
// (/reports/v2/identities) shared by users and groups of every directory. An
// ID is assigned once, when the object is created, and never reused.
func (st *Store) NextIdentityID() int64 {
	return st.nextID.Add(1)
}

// nextSerialID hands out the numbers of the decimal ids the integer-ids
// quirk gives new SCIM users and groups, one counter for every directory.
// It is not persisted: after a restart the SCIM store skips the ids it
// already holds.
func (st *Store) nextSerialID() int64 {
	return st.serial.Add(1)
}
