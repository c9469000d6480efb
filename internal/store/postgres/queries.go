package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgconn"

	"chancery/internal/content"
	"chancery/internal/store"
)

// dbtx is what both *sql.DB and *sql.Tx offer.
type dbtx = store.DB

// queries implements store.Queries over a read and a write handle, which
// are the same transaction inside InTx.
type queries struct {
	r, w dbtx
	// cache remembers sites and section trees inside a transaction;
	// nil outside.
	cache *store.TxCache
}

// Mail gives the outbox, over the same handles.
func (q queries) Mail() store.MailQueries { return store.SQLMail{R: q.r, W: q.w, Dollar: true} }

func (q queries) Imports() store.ImportQueries {
	return store.SQLImports{SQLMail: store.SQLMail{R: q.r, W: q.w, Dollar: true}}
}

// Accounts gives users, sessions, the audit log and revisions, over the
// same handles.
func (q queries) Accounts() store.AccountQueries {
	return store.SQLAccounts{SQLMail: store.SQLMail{R: q.r, W: q.w, Dollar: true}}
}

// Pages gives the page store, over the same handles.
func (q queries) Pages() store.PageQueries {
	return store.SQLPages{SQLMail: store.SQLMail{R: q.r, W: q.w, Dollar: true}, Notify: store.EpochChannel}
}

// forget clears the cache after a write to sites or sections.
func (q queries) forget() { q.cache.Forget() }

// cachedSite is Site, remembered for the transaction.
func (q queries) cachedSite(ctx context.Context, id int64) (content.Site, error) {
	return q.cache.Site(id, func() (content.Site, error) { return q.Site(ctx, id) })
}

var _ store.Queries = queries{}

func micros(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

func fromMicros(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.UnixMicro(n.Int64).UTC()
}

// isConstraint reports whether err is a unique (or primary key)
// violation.
func isConstraint(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func notFound(what string, key any, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s %v: %w", what, key, content.ErrNotFound)
	}
	return fmt.Errorf("postgres: %s %v: %w", what, key, err)
}

func (q queries) DueArticles(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error) {
	return store.DueArticles(ctx, q.r, true, now, after, limit)
}
