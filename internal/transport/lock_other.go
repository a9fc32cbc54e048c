//go:build !unix

package transport

import "os"

// lockFile fails: no state file sharing on this platform.
func lockFile(*os.File) error { return errNoLock }

// unlockFile does nothing.
func unlockFile(*os.File) error { return nil }
