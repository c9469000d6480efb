// Package postgres is Chancery's PostgreSQL storage engine, through
// database/sql and pgx's stdlib driver. It keeps the same tables, rules
// and search tokens as the SQLite engine and passes the same suite
// (store/storetest).
package postgres

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"runtime"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib" // also registers the "pgx" driver

	"chancery/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Advisory lock keys ("CHNC" and one below it). Migrations hold
// migrateLock so that two processes starting together migrate once;
// every write transaction holds writeLock, so that writes queue as they
// do in SQLite and the checks made before a write (a free address, a
// free search key) still hold when it is written.
const (
	migrateLock = 0x43484e43
	writeLock   = 0x43484e42
)

// Store is the PostgreSQL engine: one pool of connections.
type Store struct {
	queries
	db *sql.DB
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

// Open connects to the database at url (a PostgreSQL connection URL or
// key=value string) and applies any pending migrations. Before it changes
// anything it checks the database: one that has tables but no
// chancery_schema table returns store.ErrNotChancery, one with a newer
// schema a *store.SchemaError; in each case nothing is changed.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: open: %w", err)
	}
	// pgx prepares and caches statements, and after five runs the server
	// may switch a prepared statement to a generic plan, blind to its
	// values. A search's best plan depends on its words (the text index
	// for a rare word, the newest keys first for a common one), so every
	// statement is planned for its values, unless the URL says otherwise.
	if _, ok := cfg.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	db := stdlib.OpenDB(*cfg)
	// A bounded pool: under a burst, requests queue in Go instead of
	// exhausting the server's max_connections.
	db.SetMaxOpenConns(max(8, 4*runtime.NumCPU()))
	db.SetMaxIdleConns(max(4, runtime.NumCPU()))
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	s := &Store{db: db, queries: queries{r: db, w: db}}
	if err := s.inspect(ctx); err != nil {
		db.Close()
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	// The search index is filled from Go, after the migration that made it
	// committed. A published article without a search key means that fill
	// never finished: finish it now, as "chancery reindex" would.
	var unindexed int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE status = 'published' AND published_at IS NOT NULL AND search_key IS NULL`).Scan(&unindexed); err != nil {
		db.Close()
		return nil, fmt.Errorf("postgres: check the search index: %w", err)
	}
	if unindexed > 0 {
		if _, err := s.Reindex(ctx, nil); err != nil {
			db.Close()
			return nil, fmt.Errorf("postgres: build the search index: %w", err)
		}
	}
	return s, nil
}

// schemaVersion reads the recorded version: ok is false when the database
// has no chancery_schema table.
func schemaVersion(ctx context.Context, db dbtx) (version int, ok bool, err error) {
	var exists bool
	if err := db.QueryRowContext(ctx, `SELECT to_regclass('chancery_schema') IS NOT NULL`).Scan(&exists); err != nil {
		return 0, false, err
	}
	if !exists {
		return 0, false, nil
	}
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM chancery_schema`).Scan(&version); err != nil {
		return 0, true, err
	}
	return version, true, nil
}

// inspect checks the database without writing to it.
func (s *Store) inspect(ctx context.Context) error {
	version, ok, err := schemaVersion(ctx, s.db)
	if err != nil {
		return fmt.Errorf("postgres: read schema version: %w", err)
	}
	if !ok {
		var tables int
		err := s.db.QueryRowContext(ctx, `
			SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
			WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
				AND n.nspname NOT IN ('pg_catalog', 'information_schema')
				AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'`).Scan(&tables)
		if err != nil {
			return fmt.Errorf("postgres: list tables: %w", err)
		}
		if tables > 0 {
			return fmt.Errorf("postgres: %w", store.ErrNotChancery)
		}
		return nil
	}
	if version > SchemaVersion() {
		return fmt.Errorf("postgres: %w", &store.SchemaError{Have: version, Know: SchemaVersion()})
	}
	return nil
}

// migrate applies each pending migration in a transaction of its own,
// recording the version in chancery_schema in the same transaction. The
// first migration creates chancery_schema along with the tables, so a
// database never has the one without the other.
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	for _, m := range ms {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("postgres: migration %s: %w", m.Name, err)
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m store.Migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(migrateLock)); err != nil {
		return err
	}
	version, ok, err := schemaVersion(ctx, tx)
	if err != nil {
		return err
	}
	if version > SchemaVersion() {
		return &store.SchemaError{Have: version, Know: SchemaVersion()}
	}
	if version >= m.Version {
		return nil // applied, perhaps by another process meanwhile
	}
	if !ok {
		if _, err := tx.ExecContext(ctx, `CREATE TABLE chancery_schema (version integer NOT NULL)`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM chancery_schema`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO chancery_schema (version) VALUES ($1)`, m.Version); err != nil {
		return err
	}
	return tx.Commit()
}

// begin starts a write transaction: it waits for the write lock, so
// writes queue one after the other as in SQLite.
func (s *Store) begin(ctx context.Context) (*sql.Tx, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, int64(writeLock)); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("postgres: begin: %w", err)
	}
	return tx, nil
}

// InTx runs fn in one write transaction. Like the transaction itself, the
// Queries fn gets are for one goroutine.
func (s *Store) InTx(ctx context.Context, fn func(store.Queries) error) error {
	tx, err := s.begin(ctx)
	if err != nil {
		return err
	}
	if err := fn(queries{r: tx, w: tx, cache: store.NewTxCache()}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("postgres: commit: %w", err)
	}
	return nil
}

// Empty reports whether no site exists yet.
func (s *Store) Empty(ctx context.Context) (bool, error) {
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM sites").Scan(&n); err != nil {
		return false, fmt.Errorf("postgres: count sites: %w", err)
	}
	return n == 0, nil
}

// Ping checks that the database answers a query.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRowContext(ctx, "SELECT 1").Scan(&one)
}

// Pools reports the one pool.
func (s *Store) Pools() map[string]sql.DBStats {
	return map[string]sql.DBStats{"postgres": s.db.Stats()}
}

// CheckSchema compares the database's schema version with this binary's.
func (s *Store) CheckSchema(ctx context.Context) error {
	version, _, err := schemaVersion(ctx, s.db)
	if err != nil {
		return err
	}
	return store.CompareSchema("postgres", version, SchemaVersion())
}

// Close closes the pool.
func (s *Store) Close() error {
	return s.db.Close()
}

// Raw gives the database handle that writes, for copying a network.
func (s *Store) Raw() (*sql.DB, string) { return s.db, "postgres" }
