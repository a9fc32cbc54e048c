package mockserver

import (
	"cmp"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimserver"
)

// The data file (secureaccess-mock -data FILE) is a bbolt database. Every
// acknowledged write is one bbolt transaction, committed under the lock of
// the state it changes before the write is answered; bbolt fsyncs each
// commit (Options.NoSync stays false) and survives a torn one. Open loads
// the whole store into memory; the file is read only then.
//
//	identity               "next" → the last identity ID handed out (int64, big endian)
//	directories/<dir id>/  one bucket per directory integration; its sequence is
//	                       the directory's position in listings
//	    "directory"        → dirRecord (JSON)
//	    "scim"             → the SCIM store's counters, a scimserver.Change without resources (JSON)
//	    users/<user id>    → scimserver.UserRecord (JSON)
//	    groups/<group id>  → scimserver.GroupRecord (JSON), members included
//
// Access tokens are not persisted.

var (
	bucketIdentity    = []byte("identity")
	bucketDirectories = []byte("directories")
	bucketUsers       = []byte("users")
	bucketGroups      = []byte("groups")
	keyNextID         = []byte("next")
	keyDirectory      = []byte("directory")
	keySCIM           = []byte("scim")
)

// errPersist marks a write that changed the store in memory but could not
// be made durable; the admin handlers answer it with 500.
var errPersist = errors.New("persist the change")

// dataFile is the store's bbolt database. After a failed transaction it
// refuses every further one: the file no longer matches memory.
type dataFile struct {
	db  *bolt.DB
	mu  sync.Mutex
	err error // sticky
}

// update runs fn in one read-write transaction and returns once it is
// committed and fsynced.
func (f *dataFile) update(fn func(tx *bolt.Tx) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil {
		return f.err
	}
	if err := f.db.Update(fn); err != nil {
		f.err = fmt.Errorf("%w: %s: %w", errPersist, f.db.Path(), err)
		return f.err
	}
	return nil
}

// record is an admin-side change of the store. Exactly one field is set.
type record struct {
	Directory *dirRecord // created or updated
	DeleteDir string
	Reset     bool
}

// dirRecord is the admin side of a directory integration: its attributes
// and the active provisioning token's hash and metadata (never the secret).
type dirRecord struct {
	ID               string             `json:"id"`
	Name             string             `json:"name"`
	IdentityProvider string             `json:"identityProvider"`
	CreatedAt        time.Time          `json:"createdAt"`
	ModifiedAt       time.Time          `json:"modifiedAt"`
	Token            *ProvisioningToken `json:"token,omitempty"`
}

// Open returns a Server whose store persists in the data file path, a
// bbolt database created if missing: its state is loaded, and every write
// is committed to it before it is answered, so each acknowledged write
// survives a crash (kill -9) and a restart. Access tokens are not
// persisted: clients authenticate again after a restart. Call Close when
// done.
func Open(path string, opts Options) (*Server, error) {
	if err := opts.Quirks.Validate(); err != nil {
		return nil, fmt.Errorf("Options.Quirks: %w", err)
	}
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := New(opts)
	s.store.data = &dataFile{db: db}
	if err := s.store.load(s.newSCIMStore); err != nil {
		return nil, errors.Join(fmt.Errorf("load %s: %w", path, err), db.Close())
	}
	return s, nil
}

// Close closes the data file of a Server from Open; later writes fail. It
// does nothing for a Server from New.
func (s *Server) Close() error {
	if s.store.data == nil {
		return nil
	}
	if err := s.store.data.db.Close(); err != nil {
		return fmt.Errorf("close %s: %w", s.store.data.db.Path(), err)
	}
	return nil
}

// newSCIMStore returns the empty SCIM store of directory dirID, committing
// its writes to the data file when the server has one.
func (s *Server) newSCIMStore(dirID string) *scimserver.Store {
	cfg := scimserver.Config{
		MaxGroups:      s.opts.MaxGroupsPerDirectory,
		Now:            s.opts.Now,
		NextIdentityID: s.store.NextIdentityID,
		NextSerialID:   s.store.nextSerialID,
	}
	if f := s.store.data; f != nil {
		cfg.Journal = func(c scimserver.Change) error {
			return f.update(func(tx *bolt.Tx) error { return s.store.putSCIM(tx, dirID, c) })
		}
	}
	return scimserver.NewStore(cfg)
}

// putSCIM writes a SCIM change of directory dirID, unless the directory
// is gone (a write may finish after its directory was deleted), with the
// identity ID counter.
func (st *Store) putSCIM(tx *bolt.Tx, dirID string, c scimserver.Change) error {
	d := tx.Bucket(bucketDirectories).Bucket([]byte(dirID))
	if d == nil {
		return nil
	}
	users, groups := d.Bucket(bucketUsers), d.Bucket(bucketGroups)
	for _, u := range c.Users {
		if err := putJSON(users, []byte(u.User.ID), u); err != nil {
			return err
		}
	}
	for _, g := range c.Groups {
		if err := putJSON(groups, []byte(g.Group.ID), g); err != nil {
			return err
		}
	}
	for _, id := range c.DeletedUsers {
		if err := users.Delete([]byte(id)); err != nil {
			return err
		}
	}
	for _, id := range c.DeletedGroups {
		if err := groups.Delete([]byte(id)); err != nil {
			return err
		}
	}
	if err := putJSON(d, keySCIM, scimserver.Change{Seq: c.Seq, Version: c.Version}); err != nil {
		return err
	}
	// The counter only grows and transactions run one at a time, so the
	// file never goes back to an ID a committed user or group has.
	return tx.Bucket(bucketIdentity).Put(keyNextID, binary.BigEndian.AppendUint64(nil, uint64(st.nextID.Load()))) //nolint:gosec // G115: IDs are positive.
}

// logLocked makes an admin-side change durable; callers hold st.mu for
// writing, so changes are committed in the order they were made.
func (st *Store) logLocked(rec record) error {
	if st.data == nil {
		return nil
	}
	return st.data.update(func(tx *bolt.Tx) error {
		dirs := tx.Bucket(bucketDirectories)
		switch {
		case rec.Directory != nil:
			return putDir(dirs, rec.Directory)
		case rec.DeleteDir != "":
			return dirs.DeleteBucket([]byte(rec.DeleteDir))
		case rec.Reset:
			if err := tx.DeleteBucket(bucketDirectories); err != nil {
				return err
			}
			_, err := tx.CreateBucket(bucketDirectories)
			return err
		}
		return nil
	})
}

// putDir stores the admin side of a directory, creating its bucket (last
// in listing order) when it is new.
func putDir(dirs *bolt.Bucket, r *dirRecord) error {
	d := dirs.Bucket([]byte(r.ID))
	if d == nil {
		var err error
		if d, err = dirs.CreateBucket([]byte(r.ID)); err != nil {
			return err
		}
		pos, err := dirs.NextSequence()
		if err != nil {
			return err
		}
		if err := d.SetSequence(pos); err != nil {
			return err
		}
		if _, err := d.CreateBucket(bucketUsers); err != nil {
			return err
		}
		if _, err := d.CreateBucket(bucketGroups); err != nil {
			return err
		}
	}
	return putJSON(d, keyDirectory, r)
}

// putJSON stores v as JSON under key.
func putJSON(b *bolt.Bucket, key []byte, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return b.Put(key, data)
}

// load creates the buckets a new data file lacks and fills the store from
// the data file. It runs before the server serves, so it takes no lock.
func (st *Store) load(newSCIM func(dirID string) *scimserver.Store) error {
	err := st.data.db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketIdentity, bucketDirectories} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return st.data.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketIdentity).Get(keyNextID); len(v) == 8 {
			st.nextID.Store(int64(binary.BigEndian.Uint64(v))) //nolint:gosec // G115: written from an int64.
		}
		dirs := tx.Bucket(bucketDirectories)
		pos := map[string]uint64{}
		err := dirs.ForEachBucket(func(id []byte) error {
			b := dirs.Bucket(id)
			d, err := loadDir(b, newSCIM)
			if err != nil {
				return fmt.Errorf("directory %s: %w", id, err)
			}
			st.dirs[d.ID] = d
			st.order = append(st.order, d.ID)
			pos[d.ID] = b.Sequence()
			return nil
		})
		if err != nil {
			return err
		}
		slices.SortFunc(st.order, func(a, b string) int { return cmp.Compare(pos[a], pos[b]) })
		return nil
	})
}

// loadDir reads one directory integration with its SCIM users and groups.
func loadDir(b *bolt.Bucket, newSCIM func(dirID string) *scimserver.Store) (*Directory, error) {
	var r dirRecord
	if err := json.Unmarshal(b.Get(keyDirectory), &r); err != nil {
		return nil, err
	}
	var c scimserver.Change
	if v := b.Get(keySCIM); v != nil {
		if err := json.Unmarshal(v, &c); err != nil {
			return nil, err
		}
	}
	var err error
	if c.Users, err = loadAll[scimserver.UserRecord](b.Bucket(bucketUsers)); err != nil {
		return nil, err
	}
	if c.Groups, err = loadAll[scimserver.GroupRecord](b.Bucket(bucketGroups)); err != nil {
		return nil, err
	}
	d := &Directory{
		ID: r.ID, Name: r.Name, IdentityProvider: r.IdentityProvider,
		CreatedAt: r.CreatedAt, ModifiedAt: r.ModifiedAt, Token: r.Token,
		SCIM: newSCIM(r.ID),
	}
	d.SCIM.Load(c)
	return d, nil
}

// loadAll decodes every value of bucket b.
func loadAll[T any](b *bolt.Bucket) ([]T, error) {
	var out []T
	err := b.ForEach(func(_, v []byte) error {
		var x T
		err := json.Unmarshal(v, &x)
		out = append(out, x)
		return err
	})
	return out, err
}

// record returns the persisted form of the directory's admin side.
func (d *Directory) record() *dirRecord {
	r := &dirRecord{
		ID: d.ID, Name: d.Name, IdentityProvider: d.IdentityProvider,
		CreatedAt: d.CreatedAt, ModifiedAt: d.ModifiedAt,
	}
	if d.Token != nil {
		t := *d.Token
		r.Token = &t
	}
	return r
}
