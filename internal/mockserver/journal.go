package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/secureaccess-iac/terraform-provider-secureaccess/internal/mockserver/scimsp"
)

// The data file (secureaccess-mock -data FILE) is a journal of JSON lines:
// a snapshot of the whole store first, then one record per acknowledged
// write, each the resulting state of what the write touched. A record is
// written and fsynced under the lock of the state it changes, before the
// write is answered, so the file's order is the order of the in-memory
// changes. Replaying the file rebuilds the store; a torn last line (the
// process died while writing it, so its write was never acknowledged) is
// ignored. When the records outgrow the snapshot, a background compaction
// rewrites the file as a new snapshot (taken while writes go on) followed by
// the records appended meanwhile, and renames it into place. Access tokens
// are not persisted.

// errPersist marks a write that changed the store in memory but could not
// be made durable; the admin handlers answer it with 500.
var errPersist = errors.New("persist the change")

// minCompactBytes is the least journal growth past the snapshot that
// triggers a compaction; past it, a compaction runs when the records
// outweigh the snapshot, so the file stays under about twice the state.
const minCompactBytes = 8 << 20

// record is one line of the data file. Exactly one field is set.
type record struct {
	Snapshot  *snapshot   `json:"snapshot,omitempty"`
	Directory *dirRecord  `json:"directory,omitempty"`
	DeleteDir string      `json:"deleteDirectory,omitempty"`
	Reset     bool        `json:"reset,omitempty"`
	SCIM      *scimRecord `json:"scim,omitempty"`
}

// snapshot is the whole store. Access tokens are not in it: clients
// authenticate again after a restart.
type snapshot struct {
	NextIdentityID int64         `json:"nextIdentityId"`
	Directories    []dirSnapshot `json:"directories"`
}

// dirSnapshot is one directory integration with its SCIM users and groups.
type dirSnapshot struct {
	Directory dirRecord     `json:"directory"`
	SCIM      scimsp.Change `json:"scim"`
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

// scimRecord is a change of one directory's SCIM store.
type scimRecord struct {
	Directory string        `json:"directory"`
	Change    scimsp.Change `json:"change"`
}

// journal appends records to the data file. After a failed write or fsync
// it refuses every further record: the file no longer matches memory.
type journal struct {
	mu        sync.Mutex
	path      string
	f         *os.File
	err       error // sticky
	size      int64 // bytes in the file
	snapSize  int64 // bytes of its leading snapshot
	compactAt int64 // least growth past the snapshot that triggers a compaction

	kick chan struct{} // wakes the compactor; buffered, capacity 1
	stop chan struct{} // closed by close to stop the compactor
	done chan struct{} // closed when the compactor has stopped
}

// newJournal returns the journal of the data file path; the file is
// created by the first rewrite.
func newJournal(path string) *journal {
	return &journal{
		path: path, compactAt: minCompactBytes,
		kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{}),
	}
}

// append writes rec and fsyncs it. It returns once the record is durable.
func (j *journal) append(rec record) error {
	line, err := marshalLine(rec)
	if err != nil {
		return fmt.Errorf("%w: %w", errPersist, err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	if _, err := j.f.Write(line); err != nil {
		j.err = fmt.Errorf("%w: write %s: %w", errPersist, j.path, err)
		return j.err
	}
	if err := j.f.Sync(); err != nil {
		j.err = fmt.Errorf("%w: fsync %s: %w", errPersist, j.path, err)
		return j.err
	}
	j.size += int64(len(line))
	if j.size-j.snapSize > max(j.compactAt, j.snapSize) {
		select {
		case j.kick <- struct{}{}:
		default:
		}
	}
	return nil
}

// mark returns the current size of the file: where the records not yet
// covered by a snapshot taken from now on begin.
func (j *journal) mark() int64 {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.size
}

// rewrite replaces the data file, atomically (temporary file, fsync,
// rename), by snap followed by the records appended since mark. snap must
// have been taken after mark: records are resulting states, so replaying
// the ones snap already holds again changes nothing.
func (j *journal) rewrite(snap *snapshot, mark int64) error {
	line, err := marshalLine(record{Snapshot: snap})
	if err != nil {
		return fmt.Errorf("%w: %w", errPersist, err)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.err != nil {
		return j.err
	}
	tail, err := j.tail(mark)
	if err != nil {
		return err
	}
	f, err := writeFileSynced(j.path, append(line, tail...))
	if err != nil {
		j.err = fmt.Errorf("%w: %w", errPersist, err)
		return j.err
	}
	if j.f != nil {
		_ = j.f.Close() // replaced by the renamed file, whose data is synced.
	}
	j.f, j.snapSize, j.size = f, int64(len(line)), int64(len(line)+len(tail))
	return nil
}

// tail returns the file's bytes from offset mark on; callers hold j.mu.
func (j *journal) tail(mark int64) ([]byte, error) {
	if j.f == nil || mark == j.size {
		return nil, nil
	}
	buf := make([]byte, j.size-mark)
	f, err := os.Open(j.path)
	if err != nil {
		return nil, fmt.Errorf("%w: open %s: %w", errPersist, j.path, err)
	}
	_, rerr := f.ReadAt(buf, mark)
	if err := errors.Join(rerr, f.Close()); err != nil {
		return nil, fmt.Errorf("%w: read %s: %w", errPersist, j.path, err)
	}
	return buf, nil
}

// close closes the data file; later records are refused.
func (j *journal) close() error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.f == nil {
		return nil
	}
	err := j.f.Close()
	j.f = nil
	if j.err == nil {
		j.err = fmt.Errorf("%w: %s is closed", errPersist, j.path)
	}
	if err != nil {
		return fmt.Errorf("close %s: %w", j.path, err)
	}
	return nil
}

// marshalLine encodes rec as one JSON line.
func marshalLine(rec record) ([]byte, error) {
	b, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("encode journal record: %w", err)
	}
	return append(b, '\n'), nil
}

// writeFileSynced writes data to path through a fsynced temporary file and
// a rename, fsyncs the directory, and returns path opened for appending.
func writeFileSynced(path string, data []byte) (*os.File, error) {
	tmp := path + ".tmp"
	if err := writeSync(tmp, data); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, path); err != nil {
		return nil, fmt.Errorf("rename %s: %w", tmp, err)
	}
	if err := syncDir(filepath.Dir(path)); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0) //nolint:gosec // G304: the operator's -data file.
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return f, nil
}

// writeSync creates path with data and fsyncs it.
func writeSync(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600) //nolint:gosec // G304: next to the operator's -data file.
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	_, werr := f.Write(data)
	serr := f.Sync()
	cerr := f.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// syncDir fsyncs a directory so a rename in it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir) //nolint:gosec // G304: the directory of the operator's -data file.
	if err != nil {
		return fmt.Errorf("open %s: %w", dir, err)
	}
	serr := d.Sync()
	cerr := d.Close()
	if err := errors.Join(serr, cerr); err != nil {
		return fmt.Errorf("fsync %s: %w", dir, err)
	}
	return nil
}

// readRecords decodes the data file's records. A last line that does not
// decode (a write torn by a crash, so never acknowledged) is dropped; a bad
// line before the last one is corruption. A missing file has no records.
func readRecords(path string) ([]record, error) {
	data, err := os.ReadFile(path) //nolint:gosec // G304: the operator's -data file.
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var recs []record
	for n := 1; len(data) > 0; n++ {
		var line []byte
		line, data, _ = bytes.Cut(data, []byte{'\n'})
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		var rec record
		if err := json.Unmarshal(line, &rec); err != nil {
			if len(bytes.TrimSpace(data)) == 0 {
				break
			}
			return nil, fmt.Errorf("%s line %d: %w", path, n, err)
		}
		recs = append(recs, rec)
	}
	return recs, nil
}
