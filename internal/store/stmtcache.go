package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Parsing a statement is a good part of what a short SQLite query costs
// (rendering a page runs a dozen); modernc's driver keeps nothing between
// calls. StmtDB and StmtTx keep statements prepared. (pgx keeps its own
// cache on PostgreSQL.)

// maxStmts bounds the statements kept: queries built with a varying
// number of placeholders are run unprepared once it is reached.
const maxStmts = 256

// StmtDB runs statements on a database handle through prepared statements
// it keeps until Close; database/sql prepares each on a connection the
// first time it runs there. It is safe for concurrent use. Preparing takes
// a connection of the handle's pool: a handle whose only connection a
// transaction holds (SQLite's writer) must not be given one inside it.
type StmtDB struct {
	db    *sql.DB
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

// NewStmtDB wraps db.
func NewStmtDB(db *sql.DB) *StmtDB { return &StmtDB{db: db, stmts: map[string]*sql.Stmt{}} }

// stmt returns query prepared, or nil when it is not kept (the cache is
// full, or it does not prepare: it is then run unprepared, which reports
// the error).
func (d *StmtDB) stmt(ctx context.Context, query string) *sql.Stmt {
	d.mu.RLock()
	s, ok := d.stmts[query]
	d.mu.RUnlock()
	if ok {
		return s
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.stmts[query]; ok {
		return s
	}
	if len(d.stmts) >= maxStmts {
		return nil
	}
	s, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	d.stmts[query] = s
	return s
}

func (d *StmtDB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := d.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return d.db.ExecContext(ctx, query, args...)
}

func (d *StmtDB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := d.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return d.db.QueryContext(ctx, query, args...)
}

func (d *StmtDB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := d.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return d.db.QueryRowContext(ctx, query, args...)
}

// Close closes the statements kept (not the handle).
func (d *StmtDB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	var errs []error
	for q, s := range d.stmts {
		errs = append(errs, s.Close())
		delete(d.stmts, q)
	}
	return errors.Join(errs...)
}

// StmtTx runs a transaction's statements through prepared statements it
// keeps until the transaction ends, so that a statement run for every
// article of a long transaction (an import writes a hundred articles in
// one) is parsed once instead of each time.
type StmtTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// NewStmtTx wraps tx. Its statements are closed with the transaction.
func NewStmtTx(tx *sql.Tx) *StmtTx { return &StmtTx{tx: tx, stmts: map[string]*sql.Stmt{}} }

func (t *StmtTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := t.stmts[query]; ok {
		return s
	}
	if len(t.stmts) >= maxStmts {
		return nil
	}
	s, err := t.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil // run unprepared, which reports the error
	}
	t.stmts[query] = s
	return s
}

func (t *StmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, query, args...)
}

func (t *StmtTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, query, args...)
}

func (t *StmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := t.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, query, args...)
}
