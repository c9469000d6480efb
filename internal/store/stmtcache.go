package store

import (
	"context"
	"database/sql"
)

// StmtTx runs a transaction's statements through prepared statements it
// keeps until the transaction ends, so that a statement run for every
// article of a long transaction (an import writes a hundred articles in
// one) is parsed once instead of each time.
type StmtTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

// maxStmts bounds the statements kept: queries built with a varying
// number of placeholders are run unprepared once it is reached.
const maxStmts = 64

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
