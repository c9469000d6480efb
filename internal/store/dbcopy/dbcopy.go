// Package dbcopy moves a whole network from one database to another, from
// the embedded SQLite to PostgreSQL or back, without losing anything: every
// site, section, article, old address, import record, stored file, queued
// message and secret, every user with their roles, sessions and tokens, the
// audit log and the articles' revisions, with the same numbers, so that
// addresses, feeds' ids, translation links and sign-ins stay as they were.
//
// Both databases are opened through their engines first, so both carry this
// binary's schema. The tables are copied in one read of the source and one
// transaction on the destination; what is derived (the search index, the
// page store) is not copied but rebuilt or left to fill again.
package dbcopy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"chancery/internal/store"
)

// tables are copied in this order, parents before children.
var tables = []string{
	"sites", "site_languages", "site_hosts", "sections", "section_names", "articles",
	"redirects", "import_items", "media", "media_texts", "article_media", "mail_outbox", "used_tokens", "secrets",
	"users", "site_roles", "sessions", "tokens", "sign_in_failures", "audit_log", "revisions", "article_states",
}

// notCopied are the tables that hold what the destination makes again:
// the page store (filled as readers ask), SQLite's search index (rebuilt)
// and PostgreSQL's record of its schema (the engine's own).
var notCopied = []string{"pages", "page_epochs", "search_fts", "search_fts_config", "search_fts_data", "search_fts_docsize",
	"search_fts_idx", "chancery_schema"}

// derived columns are rebuilt on the destination instead of copied.
var derived = map[string]bool{"search_key": true, "search_title": true, "search_body": true, "search_tags": true}

// identities are the tables whose id the destination numbers; PostgreSQL's
// sequences are moved past the copied ids.
var identities = []string{"sites", "sections", "articles", "media", "mail_outbox", "users", "audit_log", "revisions"}

// ErrNotEmpty means the destination already holds a network.
var ErrNotEmpty = errors.New("the destination already holds a network")

// Result counts the rows copied per table.
type Result struct {
	Rows    map[string]int
	Indexed store.IndexStats
}

// Copy copies the network in from into to, which must be empty, and
// rebuilds the destination's search index. Nothing is written to to
// unless the whole copy succeeds.
func Copy(ctx context.Context, from, to store.Store) (Result, error) {
	src, srcEngine, err := raw(from)
	if err != nil {
		return Result{}, err
	}
	dst, dstEngine, err := raw(to)
	if err != nil {
		return Result{}, err
	}
	if empty, err := to.Empty(ctx); err != nil {
		return Result{}, err
	} else if !empty {
		return Result{}, ErrNotEmpty
	}
	// One consistent view of the source, however long the copy takes.
	rtx, err := src.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: isolation(srcEngine)})
	if err != nil {
		return Result{}, fmt.Errorf("read the source: %w", err)
	}
	defer rtx.Rollback()
	if err := knowsEveryTable(ctx, rtx, srcEngine); err != nil {
		return Result{}, err
	}
	wtx, err := dst.BeginTx(ctx, nil)
	if err != nil {
		return Result{}, fmt.Errorf("write the destination: %w", err)
	}
	defer wtx.Rollback()
	res := Result{Rows: map[string]int{}}
	for _, t := range tables {
		n, err := copyTable(ctx, t, rtx, srcEngine, wtx, dstEngine)
		if err != nil {
			return Result{}, fmt.Errorf("copy %s: %w", t, err)
		}
		res.Rows[t] = n
	}
	if dstEngine == "postgres" {
		for _, t := range identities {
			if _, err := wtx.ExecContext(ctx, fmt.Sprintf(
				`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM %[1]s`, t)); err != nil {
				return Result{}, fmt.Errorf("number %s after the copy: %w", t, err)
			}
		}
	}
	if err := wtx.Commit(); err != nil {
		return Result{}, fmt.Errorf("write the destination: %w", err)
	}
	if res.Indexed, err = to.Reindex(ctx, nil); err != nil {
		return res, &IndexError{Err: err}
	}
	return res, nil
}

// IndexError means the network was copied whole, but the destination's
// search index could not be built: chancery reindex builds it.
type IndexError struct{ Err error }

func (e *IndexError) Error() string {
	return fmt.Sprintf("the network was copied, but its search index could not be built (%v); run chancery reindex on the destination", e.Err)
}

func (e *IndexError) Unwrap() error { return e.Err }

// knowsEveryTable refuses a source with a table this copy does not know
// to copy or to leave: a table added to the schema must be added here, or
// a copy would lose it without a word.
func knowsEveryTable(ctx context.Context, tx *sql.Tx, engine string) error {
	q := `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
	if engine == "postgres" {
		q = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("read the source's tables: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return err
		}
		if !slices.Contains(tables, name) && !slices.Contains(notCopied, name) {
			return fmt.Errorf("the source has a table %q that this chancery does not know how to copy; nothing was copied", name)
		}
	}
	return rows.Err()
}

func raw(s store.Store) (*sql.DB, string, error) {
	r, ok := s.(store.Raw)
	if !ok {
		return nil, "", errors.New("dbcopy: the store does not give its database")
	}
	db, engine := r.Raw()
	return db, engine, nil
}

func isolation(engine string) sql.IsolationLevel {
	if engine == "postgres" {
		return sql.LevelRepeatableRead
	}
	return sql.LevelDefault // a SQLite read transaction is a snapshot
}

// column is one column of a table as an engine has it.
type column struct {
	name    string
	boolean bool
	// binary columns are BLOB or BYTEA.
	binary bool
	// nullable columns may be NULL (SQLite says so of a primary key
	// that is not an INTEGER one too, though none holds a NULL).
	nullable bool
}

// columns lists a table's columns on an engine.
func columns(ctx context.Context, tx *sql.Tx, engine, table string) ([]column, error) {
	q := `SELECT name, type, NOT "notnull" FROM pragma_table_info(?) ORDER BY cid`
	if engine == "postgres" {
		q = `SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns
			WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`
	}
	rows, err := tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var typ string
		if err := rows.Scan(&c.name, &typ, &c.nullable); err != nil {
			return nil, err
		}
		c.boolean = strings.EqualFold(typ, "boolean")
		c.binary = strings.EqualFold(typ, "bytea") || strings.EqualFold(typ, "blob")
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// copyTable copies the columns both engines have (but the derived ones),
// in primary-key order. A column only one engine has is either derived or
// site_hosts.position, the order of a site's hosts, which SQLite keeps as
// the order of insertion: it is read from and written as that order.
func copyTable(ctx context.Context, table string, rtx *sql.Tx, srcEngine string, wtx *sql.Tx, dstEngine string) (int, error) {
	srcCols, err := columns(ctx, rtx, srcEngine, table)
	if err != nil {
		return 0, err
	}
	dstCols, err := columns(ctx, wtx, dstEngine, table)
	if err != nil {
		return 0, err
	}
	var names []string
	var types []column
	for _, c := range srcCols {
		i := slices.IndexFunc(dstCols, func(d column) bool { return d.name == c.name })
		if i < 0 || derived[c.name] {
			continue
		}
		names = append(names, c.name)
		types = append(types, column{boolean: dstCols[i].boolean, binary: dstCols[i].binary || c.binary, nullable: dstCols[i].nullable})
	}
	order := "1"
	switch {
	case table == "site_hosts" && srcEngine == "sqlite":
		order = "site_id, rowid"
	case table == "site_hosts":
		order = "site_id, position"
	case slices.ContainsFunc(srcCols, func(c column) bool { return c.name == "id" }):
		order = "id"
	}
	hostPosition := table == "site_hosts" && dstEngine == "postgres" && !slices.Contains(names, "position")
	insertNames := names
	if hostPosition {
		insertNames = append(slices.Clone(names), "position")
	}
	rows, err := rtx.QueryContext(ctx, fmt.Sprintf(`SELECT %s FROM %s ORDER BY %s`, strings.Join(names, ", "), table, order))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	marks := make([]string, len(insertNames))
	for i := range marks {
		marks[i] = "?"
		if dstEngine == "postgres" {
			marks[i] = fmt.Sprintf("$%d", i+1)
		}
	}
	ins, err := wtx.PrepareContext(ctx, fmt.Sprintf(`INSERT INTO %s (%s) VALUES (%s)`, table, strings.Join(insertNames, ", "), strings.Join(marks, ", ")))
	if err != nil {
		return 0, err
	}
	defer ins.Close()
	n := 0
	positions := map[any]int{}
	var parents [][2]any
	for rows.Next() {
		vals, err := scanValues(rows, len(names))
		if err != nil {
			return n, err
		}
		for i, v := range vals {
			vals[i] = convert(v, types[i], dstEngine)
		}
		// A section may sit under one numbered after it (it was moved):
		// parents are set once every section is in.
		if table == "sections" {
			p := slices.Index(names, "parent_id")
			if vals[p] != nil {
				parents = append(parents, [2]any{vals[p], vals[slices.Index(names, "id")]})
				vals[p] = nil
			}
		}
		if hostPosition {
			site := vals[slices.Index(names, "site_id")]
			vals = append(vals, positions[site])
			positions[site]++
		}
		if _, err := ins.ExecContext(ctx, vals...); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	set := `UPDATE sections SET parent_id = ? WHERE id = ?`
	if dstEngine == "postgres" {
		set = `UPDATE sections SET parent_id = $1 WHERE id = $2`
	}
	for _, pc := range parents {
		if _, err := wtx.ExecContext(ctx, set, pc[0], pc[1]); err != nil {
			return n, err
		}
	}
	return n, nil
}

// scanValues reads a row of n columns as the driver gives them.
func scanValues(rows *sql.Rows, n int) ([]any, error) {
	vals := make([]any, n)
	ptrs := make([]any, n)
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	return vals, rows.Scan(ptrs...)
}

// convert gives a value the form the destination column takes: SQLite
// keeps booleans as integers, PostgreSQL as booleans; an empty BLOB reads
// as nil, which would be NULL where NULL is not allowed (where it is, as
// in users.totp_secret, the store writes no empty value).
func convert(v any, c column, dstEngine string) any {
	switch x := v.(type) {
	case nil:
		if c.binary && !c.nullable {
			return []byte{}
		}
	case []byte:
		if x == nil {
			return []byte{}
		}
	case int64:
		if c.boolean && dstEngine == "postgres" {
			return x != 0
		}
	case bool:
		if dstEngine == "sqlite" {
			if x {
				return int64(1)
			}
			return int64(0)
		}
	}
	return v
}
