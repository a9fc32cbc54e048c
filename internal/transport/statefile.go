package transport

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// stateFileName is the file in Config.WindowStateDir that the processes of
// a machine share their release logs through.
const stateFileName = "rate-limits.json"

// stateData is the content of the state file: per key (a SHA-256 of it, so
// that no URL or client ID is written), the release times still inside a
// window. Nothing else: no credential, no URL, no ID.
type stateData struct {
	Keys map[string]stateEntry `json:"keys"`
}

// stateEntry is one key's release log.
type stateEntry struct {
	// Times are the release times, Unix nanoseconds, oldest first.
	Times []int64 `json:"times"`
	// Entries and Horizon bound what the key's windows need.
	Entries int           `json:"entries"`
	Horizon time.Duration `json:"horizon"`
}

// stateFile is the state file, open and locked.
type stateFile struct {
	f    *os.File
	data stateData
}

// openState opens, locks and reads the state file, creating it (and its
// directory) when missing. An unreadable content counts as empty.
func openState(path string) (*stateFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("rate limit state: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600) //nolint:gosec // G304: the path is the configured state directory's.
	if err != nil {
		return nil, fmt.Errorf("rate limit state: %w", err)
	}
	if err := lockFile(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("rate limit state: locking %s: %w", path, err)
	}
	st := &stateFile{f: f}
	raw, err := io.ReadAll(io.LimitReader(f, 16<<20))
	if err == nil && len(raw) > 0 && json.Unmarshal(raw, &st.data) != nil {
		st.data = stateData{} // a torn write: start over
	}
	if st.data.Keys == nil {
		st.data.Keys = map[string]stateEntry{}
	}
	return st, nil
}

// fileKey is the file's name for key.
func fileKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// times returns the key's release times in the file, oldest first. They
// include the process's own: every reservation is saved.
func (s *stateFile) times(key string) []time.Time {
	var out []time.Time
	for _, ns := range s.data.Keys[fileKey(key)].Times {
		out = append(out, time.Unix(0, ns))
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// save writes the key's log and forgets the keys whose every release left
// their windows by now.
func (s *stateFile) save(key string, times []time.Time, b logBounds, now time.Time) error {
	e := stateEntry{Entries: b.entries, Horizon: b.horizon}
	for _, t := range times {
		e.Times = append(e.Times, t.UnixNano())
	}
	s.data.Keys[fileKey(key)] = e
	for k, e := range s.data.Keys {
		if n := len(e.Times); n == 0 || !time.Unix(0, e.Times[n-1]).Add(e.Horizon).After(now) {
			delete(s.data.Keys, k)
		}
	}
	raw, err := json.Marshal(s.data)
	if err != nil {
		return err
	}
	if err := s.f.Truncate(0); err != nil {
		return fmt.Errorf("rate limit state: %w", err)
	}
	if _, err := s.f.WriteAt(raw, 0); err != nil {
		return fmt.Errorf("rate limit state: %w", err)
	}
	return nil
}

// close unlocks and closes the file.
func (s *stateFile) close() {
	_ = unlockFile(s.f)
	_ = s.f.Close()
}
