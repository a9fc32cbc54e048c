package mockserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
)

// Open returns a Server whose store persists in the data file path (see
// journal.go): the file's state is loaded, and every write is made durable
// before it is answered, so each acknowledged write survives a crash
// (kill -9) and a restart. A missing file starts an empty store. Access
// tokens are not persisted: clients authenticate again after a restart.
// Call Close when done.
func Open(path string, opts Options) (*Server, error) {
	recs, err := readRecords(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	s := New(opts)
	j := newJournal(path)
	s.store.journal = j
	s.store.replay(recs, s.newSCIMStore)
	if err := s.store.compact(); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	go s.compactLoop(j)
	return s, nil
}

// Close writes a last snapshot and closes the data file of a Server from
// Open; later writes fail. It does nothing for a Server from New.
func (s *Server) Close() error {
	j := s.store.journal
	if j == nil {
		return nil
	}
	select {
	case <-j.stop:
		return nil
	default:
	}
	close(j.stop)
	<-j.done
	return errors.Join(s.store.compact(), j.close())
}

// compactLoop compacts the data file whenever the journal asks, until Close.
func (s *Server) compactLoop(j *journal) {
	defer close(j.done)
	for {
		select {
		case <-j.stop:
			return
		case <-j.kick:
			if err := s.store.compact(); err != nil {
				s.opts.Logger.LogAttrs(context.Background(), slog.LevelError, "compact the data file", slog.Any("error", err))
			}
		}
	}
}

// newSCIMStore returns the empty SCIM store of directory dirID, reporting
// its writes to the journal when the server has a data file.
func (s *Server) newSCIMStore(dirID string) *scimsp.Store {
	cfg := scimsp.Config{
		MaxGroups:      s.opts.MaxGroupsPerDirectory,
		Now:            s.opts.Now,
		NextIdentityID: s.store.NextIdentityID,
	}
	if j := s.store.journal; j != nil {
		cfg.Journal = func(c scimsp.Change) error {
			return j.append(record{SCIM: &scimRecord{Directory: dirID, Change: c}})
		}
	}
	return scimsp.NewStore(cfg)
}

// logLocked makes an admin-side change durable; callers hold st.mu for
// writing, so records follow the order of the changes.
func (st *Store) logLocked(rec record) error {
	if st.journal == nil {
		return nil
	}
	return st.journal.append(rec)
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

// compact rewrites the data file as a snapshot of the store followed by
// the records appended while the snapshot was taken. Writers go on
// meanwhile; only the final rename holds the journal's lock.
func (st *Store) compact() error {
	mark := st.journal.mark()
	snap := &snapshot{}
	for _, d := range st.Directories() {
		snap.Directories = append(snap.Directories, dirSnapshot{Directory: *d.record(), SCIM: d.SCIM.Snapshot()})
	}
	snap.NextIdentityID = st.nextID.Load()
	return st.journal.rewrite(snap, mark)
}

// replay rebuilds the store from the data file's records. It runs before
// the server serves, so it takes no lock.
func (st *Store) replay(recs []record, newSCIM func(dirID string) *scimsp.Store) {
	var lastID int64
	for _, rec := range recs {
		lastID = max(lastID, st.applyRecord(rec, newSCIM))
	}
	st.nextID.Store(max(st.nextID.Load(), lastID))
}

// applyRecord applies one record to the store and returns the highest
// identity ID it names.
func (st *Store) applyRecord(rec record, newSCIM func(dirID string) *scimsp.Store) int64 {
	switch {
	case rec.Snapshot != nil:
		st.resetLocked()
		lastID := rec.Snapshot.NextIdentityID
		for _, ds := range rec.Snapshot.Directories {
			st.putDirLocked(ds.Directory, newSCIM)
			lastID = max(lastID, st.applySCIM(ds.Directory.ID, ds.SCIM))
		}
		return lastID
	case rec.Directory != nil:
		st.putDirLocked(*rec.Directory, newSCIM)
	case rec.DeleteDir != "":
		st.dropLocked(rec.DeleteDir)
	case rec.Reset:
		st.resetLocked()
	case rec.SCIM != nil:
		return st.applySCIM(rec.SCIM.Directory, rec.SCIM.Change)
	}
	return 0
}

// applySCIM applies a SCIM change to directory dirID, if it still exists
// (a write may finish after its directory was deleted), and returns the
// highest identity ID the change names.
func (st *Store) applySCIM(dirID string, c scimsp.Change) int64 {
	var lastID int64
	for _, u := range c.Users {
		lastID = max(lastID, u.User.IdentityID)
	}
	for _, g := range c.Groups {
		lastID = max(lastID, g.Group.IdentityID)
	}
	if d, ok := st.dirs[dirID]; ok {
		d.SCIM.Apply(c)
	}
	return lastID
}

// putDirLocked creates directory r.ID, or updates its admin side keeping
// its SCIM data and listing position. Callers hold st.mu.
func (st *Store) putDirLocked(r dirRecord, newSCIM func(dirID string) *scimsp.Store) {
	d, ok := st.dirs[r.ID]
	if !ok {
		d = &Directory{SCIM: newSCIM(r.ID)}
		st.dirs[r.ID] = d
		st.order = append(st.order, r.ID)
	}
	d.ID, d.Name, d.IdentityProvider = r.ID, r.Name, r.IdentityProvider
	d.CreatedAt, d.ModifiedAt, d.Token = r.CreatedAt, r.ModifiedAt, r.Token
}
