package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// Parsing a statement is a good part of what a short SQLite query costs
// (rendering a page runs a dozen, a publish forty); modernc's driver keeps
// nothing between calls. StmtDB and StmtTx keep statements prepared. (pgx
// keeps its own cache on PostgreSQL.)

// maxStmts bounds the statements kept: queries built with a varying
// number of placeholders are run unprepared once it is reached.
const maxStmts = 256

// StmtDB runs statements on a database handle through prepared statements
// it keeps until Close; database/sql prepares each on a connection the
// first time it runs there. It is safe for concurrent use. Preparing takes
// a connection of the handle's pool: on a handle whose only connection a
// transaction holds (SQLite's writer), the transaction's StmtTx uses what
// is kept and Learn prepares the rest after it.
type StmtDB struct {
	prepared
	db     *sql.DB
	mu     sync.RWMutex
	stmts  map[string]*sql.Stmt
	closed bool
}

// NewStmtDB wraps db.
func NewStmtDB(db *sql.DB) *StmtDB {
	d := &StmtDB{db: db, stmts: map[string]*sql.Stmt{}}
	d.prepared = prepared{stmt: d.stmt, raw: db}
	return d
}

// kept returns query's statement, or nil when it is not kept.
func (d *StmtDB) kept(query string) *sql.Stmt {
	d.mu.RLock()
	defer d.mu.RUnlock()
	return d.stmts[query]
}

// stmt returns query prepared, or nil when it is not kept (the cache is
// full, or it does not prepare: it is then run unprepared, which reports
// the error).
func (d *StmtDB) stmt(ctx context.Context, query string) *sql.Stmt {
	if s := d.kept(query); s != nil {
		return s
	}
	return d.keep(ctx, query)
}

// keep prepares query and keeps it, unless full or closed. The lock is
// not held while preparing, which waits for a connection: goroutines
// holding the pool's connections may be asking for kept statements.
func (d *StmtDB) keep(ctx context.Context, query string) *sql.Stmt {
	d.mu.RLock()
	full := d.closed || len(d.stmts) >= maxStmts
	d.mu.RUnlock()
	if full {
		return nil
	}
	s, err := d.db.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if old, ok := d.stmts[query]; ok || d.closed || len(d.stmts) >= maxStmts {
		s.Close() // prepared meanwhile by another, or no room
		return old
	}
	d.stmts[query] = s
	return s
}

// Learn prepares queries that are not kept yet, for the transactions to
// come (StmtTx.Missed), until ctx ends. It must run outside any
// transaction of the handle.
func (d *StmtDB) Learn(ctx context.Context, queries []string) {
	for _, q := range queries {
		if ctx.Err() != nil {
			return
		}
		if d.kept(q) == nil {
			d.keep(ctx, q)
		}
	}
}

// Close closes the statements kept (not the handle); none is kept after.
func (d *StmtDB) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.closed = true
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
// one) is parsed once instead of each time. Given the StmtDB of the
// transaction's handle, it takes the statements kept there (prepared on
// the transaction's connection once for all transactions; a publish runs
// forty) and lists those it had to prepare itself (Missed), for
// StmtDB.Learn after the transaction.
type StmtTx struct {
	prepared
	tx     *sql.Tx
	shared *StmtDB
	stmts  map[string]*sql.Stmt
	missed []string
}

// NewStmtTx wraps tx, a transaction of shared's handle (shared may be
// nil). Its statements are closed with the transaction.
func NewStmtTx(tx *sql.Tx, shared *StmtDB) *StmtTx {
	t := &StmtTx{tx: tx, shared: shared, stmts: map[string]*sql.Stmt{}}
	t.prepared = prepared{stmt: t.stmt, raw: tx}
	return t
}

// Missed lists the statements the transaction prepared that its StmtDB
// does not keep.
func (t *StmtTx) Missed() []string { return t.missed }

func (t *StmtTx) stmt(ctx context.Context, query string) *sql.Stmt {
	if s, ok := t.stmts[query]; ok {
		return s
	}
	if len(t.stmts) >= maxStmts {
		return nil
	}
	var s *sql.Stmt
	if ps := t.sharedStmt(query); ps != nil {
		s = t.tx.StmtContext(ctx, ps)
	} else {
		var err error
		if s, err = t.tx.PrepareContext(ctx, query); err != nil {
			return nil // run unprepared, which reports the error
		}
		if t.shared != nil {
			t.missed = append(t.missed, query)
		}
	}
	t.stmts[query] = s
	return s
}

func (t *StmtTx) sharedStmt(query string) *sql.Stmt {
	if t.shared == nil {
		return nil
	}
	return t.shared.kept(query)
}

// prepared runs statements through those stmt keeps, and the others
// unprepared on raw: what StmtDB and StmtTx share.
type prepared struct {
	stmt func(ctx context.Context, query string) *sql.Stmt
	raw  DB
}

func (p prepared) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.ExecContext(ctx, args...)
	}
	return p.raw.ExecContext(ctx, query, args...)
}

func (p prepared) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryContext(ctx, args...)
	}
	return p.raw.QueryContext(ctx, query, args...)
}

func (p prepared) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if s := p.stmt(ctx, query); s != nil {
		return s.QueryRowContext(ctx, args...)
	}
	return p.raw.QueryRowContext(ctx, query, args...)
}
