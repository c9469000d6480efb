package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"chancery/internal/store"
	"chancery/internal/store/sqlite"
)

// DefaultDataDir is where the network lives when --data is not given.
const DefaultDataDir = "./chancery-data"

// dbFile is the database's name inside the data directory.
const dbFile = "chancery.db"

// dataFlag adds the --data flag every command that works on a network
// takes.
func dataFlag(fs *flag.FlagSet) *string {
	return fs.String("data", DefaultDataDir, "data `directory` of the network (created when missing by serve and init)")
}

// openData opens the network in dir. With create, a missing directory and
// database are made; without, they must exist.
func openData(ctx context.Context, dir string, create bool) (*sqlite.Store, error) {
	path := filepath.Join(dir, dbFile)
	if create {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("cannot create the data directory %s: %w", dir, err)
		}
	} else if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("there is no Chancery network in %s (no %s). Run \"chancery init --data %s\" first, or point --data at an existing data directory", dir, dbFile, dir)
	}
	s, err := sqlite.Open(ctx, path)
	var schema *store.SchemaError
	switch {
	case err == nil:
		return s, nil
	case errors.As(err, &schema):
		return nil, fmt.Errorf("%s was written by a newer Chancery (schema version %d; this binary knows up to %d). The file was not changed. Run a chancery binary at least as new as the one that wrote it", path, schema.Have, schema.Know)
	case errors.Is(err, store.ErrNotChancery):
		return nil, fmt.Errorf("%s is a SQLite database, but not a Chancery one. The file was not changed. Point --data at another directory, or move the file away", path)
	case errors.Is(err, store.ErrCorrupt):
		return nil, fmt.Errorf("%s is damaged or is not a database file. The file was not changed. Restore it from a backup, or point --data at another directory", path)
	default:
		return nil, fmt.Errorf("cannot open %s: %w", path, err)
	}
}
