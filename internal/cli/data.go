package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"

	"chancery/internal/store"
	"chancery/internal/store/postgres"
	"chancery/internal/store/sqlite"
)

// DefaultDataDir is where the network lives when --data is not given.
const DefaultDataDir = "./chancery-data"

// dbFile is the database's name inside the data directory.
const dbFile = "chancery.db"

// databaseEnv names the environment variable that --db defaults to.
const databaseEnv = "CHANCERY_DATABASE_URL"

// location is where a command's network lives: a data directory with an
// embedded SQLite database, or a PostgreSQL database given by URL.
type location struct {
	data, db *string
}

// dataFlag adds the --data and --db flags every command that works on a
// network takes.
func dataFlag(fs *flag.FlagSet) location {
	return location{
		data: fs.String("data", DefaultDataDir, "data `directory` of the network (created when missing by serve and init)"),
		db: fs.String("db", os.Getenv(databaseEnv), "PostgreSQL `URL` of the network, such as postgres://chancery@db.example.org/chancery; "+
			"when given, it is used instead of --data's embedded database (default $"+databaseEnv+")"),
	}
}

// network is an open store and how to name it to a person.
type network struct {
	store.Store
	// Name says where the network is: a file path or a database and host.
	Name string
	// Data is the data directory, "" on PostgreSQL.
	Data string
}

// open opens the network. With create, a missing data directory and
// database file are made (a PostgreSQL database must exist; its tables are
// made); without, they must exist.
func (l location) open(ctx context.Context, create bool) (network, error) {
	if *l.db != "" {
		return openPostgres(ctx, *l.db, "--db")
	}
	s, err := openData(ctx, *l.data, create)
	if err != nil {
		return network{}, err
	}
	return network{Store: s, Name: s.Path(), Data: *l.data}, nil
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
	if err != nil {
		return nil, explainOpen(path, err)
	}
	return s, nil
}

// explainOpen turns the errors every engine returns when it refuses a
// database into advice; the database was not changed.
func explainOpen(name string, err error) error {
	var schema *store.SchemaError
	switch {
	case errors.As(err, &schema):
		return fmt.Errorf("%s was written by a newer Chancery (schema version %d; this binary knows up to %d). The database was not changed. Run a chancery binary at least as new as the one that wrote it", name, schema.Have, schema.Know)
	case errors.Is(err, store.ErrNotChancery):
		return fmt.Errorf("%s is a database, but not a Chancery one. The database was not changed. Point Chancery at another one", name)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("cannot open %s: permission denied. Run chancery as the user that owns the data directory, or give this user read and write access to the directory and its files. Nothing was changed", name)
	case errors.Is(err, store.ErrCorrupt):
		return fmt.Errorf("%s is damaged or is not a database file. The file was not changed. Restore it from a backup, or point --data at another directory", name)
	}
	return fmt.Errorf("cannot open %s: %w", name, err)
}

// openPostgres opens a network on PostgreSQL, explaining what a person
// can fix: the URL, the server, the password, the database, the rights,
// naming the flag that gave the URL.
func openPostgres(ctx context.Context, rawURL, flag string) (network, error) {
	name := describeURL(rawURL)
	s, err := postgres.Open(ctx, rawURL)
	if err == nil {
		return network{Store: s, Name: name}, nil
	}
	var pe *pgconn.PgError
	var ce *pgconn.ConnectError
	errors.As(err, &pe)
	switch {
	case pe != nil && (pe.Code == "28P01" || pe.Code == "28000"):
		return network{}, fmt.Errorf("%s refused the user name or password in %s: %s", name, flag, pe.Message)
	case pe != nil && pe.Code == "3D000":
		return network{}, fmt.Errorf("%s: %s. Create it first (createdb), or name an existing database in %s", name, pe.Message, flag)
	case pe != nil && pe.Code == "42501":
		return network{}, fmt.Errorf("%s: the user in %s may not create or change Chancery's tables (%s). Use the database's owner, or grant it CREATE on the schema", name, flag, pe.Message)
	case errors.As(err, &ce) || strings.Contains(err.Error(), "connect"):
		return network{}, fmt.Errorf("cannot reach %s: %v. Is the server running, and are the host and port in %s right?", name, err, flag)
	case strings.Contains(err.Error(), "cannot parse") || strings.Contains(err.Error(), "postgres: open"):
		return network{}, fmt.Errorf("%s %q is not a PostgreSQL URL (%v): write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE", flag, redact(rawURL), err)
	}
	return network{}, explainOpen(name, err)
}

// describeURL names a PostgreSQL database without its password.
func describeURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "the PostgreSQL database in --db"
	}
	return fmt.Sprintf("PostgreSQL database %q on %s", strings.TrimPrefix(u.Path, "/"), u.Host)
}

// redact removes a password from a URL for messages.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unreadable URL)"
	}
	return u.Redacted()
}

// args repeats the location as command-line flags, for advice.
func (l location) args() string {
	if *l.db != "" {
		return "--db " + redact(*l.db)
	}
	return "--data " + *l.data
}
