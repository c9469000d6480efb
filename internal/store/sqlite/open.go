// Package sqlite is Chancery's embedded storage engine: one SQLite file in
// WAL mode, through the pure-Go driver modernc.org/sqlite, so the binary
// needs no C library and no other service.
package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"runtime"
	"time"

	"modernc.org/sqlite" // also registers the "sqlite" driver
	sqlite3 "modernc.org/sqlite/lib"

	"chancery/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// applicationID marks a database file as Chancery's ("CHNC"), so that a
// file made by another program is recognised and left alone.
const applicationID = 0x43484e43

// Store is the SQLite engine. Writes go through a pool of one connection,
// so they queue in Go instead of failing with SQLITE_BUSY; reads use a
// pool of their own and proceed concurrently, as WAL allows.
type Store struct {
	queries
	read, write *sql.DB
	// reads runs the queries made outside transactions, on read's pool,
	// with their statements prepared once; writes keeps those of the
	// transactions, on write's one connection.
	reads, writes *store.StmtDB
	path          string
}

var (
	_ store.Store        = (*Store)(nil)
	_ store.PoolReporter = (*Store)(nil)
	_ store.Raw          = (*Store)(nil)
)

func migrations() ([]store.Migration, error) {
	return store.LoadMigrations(migrationFiles)
}

// SchemaVersion is the newest schema this binary knows.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil {
		panic(err) // the embedded files are part of the binary: a bad name is a build mistake
	}
	return len(ms)
}

// Open opens the database file at path, creating it when missing, and
// applies any pending migrations. Before it changes anything it checks an
// existing file: one that is not a database returns store.ErrCorrupt, one
// made by another program store.ErrNotChancery, one with a newer schema a
// *store.SchemaError; in each case the file is left as it was.
func Open(ctx context.Context, path string) (*Store, error) {
	if err := inspect(ctx, path); err != nil {
		return nil, err
	}
	pragmas := "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	write, err := sql.Open("sqlite", "file:"+escapePath(path)+"?_txlock=immediate&"+pragmas)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	s := &Store{write: write, writes: store.NewStmtDB(write), path: path}
	if err := s.migrate(ctx); err != nil {
		write.Close()
		if IsAccess(err) {
			return nil, fmt.Errorf("%w (%v)", fs.ErrPermission, err)
		}
		return nil, err
	}
	read, err := sql.Open("sqlite", "file:"+escapePath(path)+"?"+pragmas+"&_pragma=query_only(1)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	read.SetMaxOpenConns(max(4, runtime.NumCPU()))
	read.SetMaxIdleConns(max(4, runtime.NumCPU()))
	s.read, s.reads = read, store.NewStmtDB(read)
	s.queries = queries{r: s.reads, w: write}
	// The search index is filled from Go, after the migration that made it
	// committed. A published article without a search key means that fill
	// never finished (a first start of a new binary cut short): finish it
	// now, as "chancery reindex" would.
	var unindexed int
	if err := read.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE status = 'published' AND published_at IS NOT NULL AND search_key IS NULL`).Scan(&unindexed); err != nil {
		s.Close()
		return nil, fmt.Errorf("%s: check the search index: %w", path, err)
	}
	if unindexed > 0 {
		if _, err := s.Reindex(ctx, nil); err != nil {
			s.Close()
			return nil, fmt.Errorf("%s: build the search index: %w", path, err)
		}
	}
	return s, nil
}

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

// IsAccess reports whether SQLite refused err's file for want of
// permission: the file, or the directory where it keeps its -wal and
// -shm files, is not this user's to read or write.
func IsAccess(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return true
	}
	return false
}

var sqliteMagic = []byte("SQLite format 3\x00")

// inspect reads an existing file without writing to it.
func inspect(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err // a *fs.PathError, which names the file
	}
	header := make([]byte, len(sqliteMagic))
	n, err := io.ReadFull(f, header)
	f.Close()
	if n == 0 && (err == io.EOF) {
		return nil // an empty file is a database not yet written
	}
	if err != nil || !bytes.Equal(header, sqliteMagic) {
		return fmt.Errorf("%s: %w", path, store.ErrCorrupt)
	}
	db, err := sql.Open("sqlite", "file:"+escapePath(path)+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer db.Close()
	var appID, version, tables int
	err = db.QueryRowContext(ctx, "PRAGMA application_id").Scan(&appID)
	if err == nil {
		err = db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version)
	}
	if err == nil {
		err = db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_master").Scan(&tables)
	}
	if err != nil {
		if IsAccess(err) {
			return fmt.Errorf("%s: %w (%v)", path, fs.ErrPermission, err)
		}
		return fmt.Errorf("%s: %w (%v)", path, store.ErrCorrupt, err)
	}
	switch {
	case appID != applicationID && tables > 0:
		return fmt.Errorf("%s: %w", path, store.ErrNotChancery)
	case version > SchemaVersion():
		return fmt.Errorf("%s: %w", path, &store.SchemaError{Have: version, Know: SchemaVersion()})
	}
	return nil
}

// migrate applies each pending migration in a transaction of its own,
// recording the version in the file header (user_version) in the same
// transaction.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	var version int
	if err := s.write.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("%s: read schema version: %w", s.path, err)
	}
	for _, m := range ms[version:] {
		tx, err := s.write.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("%s: migration %s: %w", s.path, m.Name, err)
		}
		_, err = tx.ExecContext(ctx, m.SQL)
		if err == nil {
			_, err = tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d; PRAGMA application_id = %d", m.Version, applicationID))
		}
		if err == nil {
			err = tx.Commit()
		} else {
			tx.Rollback()
		}
		if err != nil {
			return fmt.Errorf("%s: migration %s: %w", s.path, m.Name, err)
		}
	}
	return nil
}

// Path returns the database file's path.
func (s *Store) Path() string { return s.path }

// InTx runs fn in one write transaction. Like the transaction itself, the
// Queries fn gets are for one goroutine.
func (s *Store) InTx(ctx context.Context, fn func(store.Queries) error) error {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: begin: %w", err)
	}
	st := store.NewStmtTx(tx, s.writes)
	defer func() {
		// Statements first prepared in this transaction are kept for the
		// next ones, now that the writer's connection is free; if another
		// transaction took it meanwhile, not this time: the caller waits
		// a few milliseconds at most, and nothing runs after Close.
		if missed := st.Missed(); len(missed) > 0 {
			learn, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Millisecond)
			s.writes.Learn(learn, missed)
			cancel()
		}
	}()
	if err := fn(queries{r: st, w: st, cache: store.NewTxCache()}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: commit: %w", err)
	}
	return nil
}

// Empty reports whether no site exists yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM sites").Scan(&n); err != nil {
		return false, fmt.Errorf("sqlite: count sites: %w", err)
	}
	return n == 0, nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.read.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Pools reports the read and the write pool.
func (s *Store) Pools() map[string]sql.DBStats {
	return map[string]sql.DBStats{"read": s.read.Stats(), "write": s.write.Stats()}
}

// CheckSchema compares the file's schema version with this binary's.
func (s *Store) CheckSchema(ctx context.Context) error {
	var version int
	if err := s.read.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return err
	}
	return store.CompareSchema("sqlite", version, SchemaVersion())
}

// Close closes both pools; the WAL is checkpointed by the last close.
func (s *Store) Close() error {
	errs := []error{s.writes.Close()}
	if s.reads != nil {
		errs = append(errs, s.reads.Close())
	}
	return errors.Join(append(errs, s.read.Close(), s.write.Close())...)
}

// Raw gives the database handle that writes, for copying a network.
func (s *Store) Raw() (*sql.DB, string) { return s.write, "sqlite" }
