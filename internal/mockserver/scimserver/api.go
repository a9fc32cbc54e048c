package scimserver

import (
	"net/http"
	"time"
)

// Config configures a directory's SCIM store.
type Config struct {
	// MaxGroups is the most groups one directory may hold (Secure Access: 1000).
	MaxGroups int
	// Now returns the current time; defaults to time.Now.
	Now func() time.Time
	// NextIdentityID hands out the numeric Reports identity IDs, unique across
	// the whole organization. Required.
	NextIdentityID func() int64
	// NextSerialID hands out the numbers of the decimal ids QuirkIntegerIDs
	// gives new users and groups ("1", "2", …), so that one counter serves
	// every directory of a mock. Nil: each store counts for itself.
	NextSerialID func() int64
	// Journal, when set, receives the resulting state of every write, under
	// the store's lock and before the write is acknowledged, so that a
	// persistent store can make it durable first. An error fails the write
	// with a 500. Nil keeps the store in memory only.
	Journal func(Change) error
}

// Identity is a user or group as the Reports API shows it.
type Identity struct {
	ID    int64
	Label string // users: "Display Name (userName)"; groups: displayName
	Type  string // "directory_user" or "directory_group"
}

// Route is one SCIM endpoint. Pattern is relative to the SCIM base
// (/identity/v2/scim), in net/http ServeMux syntax, e.g. "/Users/{id}".
type Route struct {
	Method  string
	Pattern string
	Handle  func(w http.ResponseWriter, r *http.Request, s *Store)
}
