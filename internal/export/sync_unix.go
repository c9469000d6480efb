//go:build unix

package export

import (
	"fmt"
	"os"
	"syscall"
)

// lock takes an exclusive lock on path (created when missing), so that two
// exports to the same directory never interleave; the returned function
// releases it. A crashed run's lock goes with its process.
func lock(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, explainWrite(path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		return nil, fmt.Errorf("another chancery export is writing to the same --out (it holds %s); wait for it to finish", path)
	}
	return func() { f.Close() }, nil
}

// syncTree flushes the files of the filesystem holding dir to disk, so that
// the new export is on disk before the swap points readers at it: one
// sync(2) costs far less than an fsync per file.
func syncTree(dir string) error {
	syscall.Sync()
	return syncDir(dir)
}

// syncDir flushes a directory's entries (a rename, a new link).
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
