package mockserver

// SetCompactAt sets the journal growth past the snapshot that triggers a
// compaction of s's data file, so tests can compact small files.
func SetCompactAt(s *Server, n int64) {
	j := s.store.journal
	j.mu.Lock()
	defer j.mu.Unlock()
	j.compactAt = n
}

// Crash stops s the way kill -9 would as far as its data file is
// concerned: no final snapshot, no further record. A test then opens the
// file again as after a restart.
func Crash(s *Server) {
	j := s.store.journal
	close(j.stop)
	<-j.done
	_ = j.close() // a crash does not report errors either.
}
