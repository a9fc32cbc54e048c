//go:build !unix

package transport

import (
	"errors"
	"os"
)

// errNoLock: this platform cannot lock the state file; the release log
// stays the process's own.
var errNoLock = errors.New("file locking is not supported on this platform")

// lockFile fails: no state file sharing on this platform.
func lockFile(*os.File) error { return errNoLock }

// unlockFile does nothing.
func unlockFile(*os.File) error { return nil }
