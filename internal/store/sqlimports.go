package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"chancery/internal/content"
)

// SQLImports implements ImportQueries in SQL both engines accept, over the
// same handles as SQLMail.
type SQLImports struct{ SQLMail }

var _ ImportQueries = SQLImports{}

func (q SQLImports) PutRedirect(ctx context.Context, r Redirect) error {
	if r.CreatedAt.IsZero() {
		r.CreatedAt = time.Now()
	}
	key := RedirectKey(r.OldPath)
	err := q.upsert(ctx,
		`INSERT INTO redirects (site_id, old_key, old_path, article_id, section_id, language, target, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		[]any{r.SiteID, key, r.OldPath, nullID(r.ArticleID), nullID(r.SectionID), r.Language, r.Target, r.CreatedAt.UnixMicro()},
		`UPDATE redirects SET old_path = ?, article_id = ?, section_id = ?, language = ?, target = ? WHERE site_id = ? AND old_key = ?`,
		[]any{r.OldPath, nullID(r.ArticleID), nullID(r.SectionID), r.Language, r.Target, r.SiteID, key})
	if err != nil {
		return fmt.Errorf("redirect %s: %w", r.OldPath, err)
	}
	return nil
}

// upsert inserts a row, or updates the one already there. (One
// statement with DO UPDATE would do on both engines, but on SQLite it
// opens a statement savepoint, which makes the search index write out
// what the transaction has indexed so far: an import paid that per
// article. Inserting with DO NOTHING does not.)
func (q SQLImports) upsert(ctx context.Context, insert string, insertArgs []any, update string, updateArgs []any) error {
	res, err := q.W.ExecContext(ctx, q.bind(insert+` ON CONFLICT DO NOTHING`), insertArgs...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n > 0 {
		return err
	}
	_, err = q.W.ExecContext(ctx, q.bind(update), updateArgs...)
	return err
}

func nullID(id int64) sql.NullInt64 { return sql.NullInt64{Int64: id, Valid: id != 0} }

const redirectColumns = `site_id, old_path, coalesce(article_id, 0), coalesce(section_id, 0), language, target, created_at`

func scanRedirect(sc interface{ Scan(...any) error }) (Redirect, error) {
	var r Redirect
	var at int64
	err := sc.Scan(&r.SiteID, &r.OldPath, &r.ArticleID, &r.SectionID, &r.Language, &r.Target, &at)
	r.CreatedAt = time.UnixMicro(at).UTC()
	return r, err
}

func (q SQLImports) Redirect(ctx context.Context, siteID int64, path string) (Redirect, error) {
	r, err := scanRedirect(q.R.QueryRowContext(ctx, q.bind(`SELECT `+redirectColumns+` FROM redirects WHERE site_id = ? AND old_key = ?`),
		siteID, RedirectKey(path)))
	if errors.Is(err, sql.ErrNoRows) {
		return Redirect{}, fmt.Errorf("redirect %s: %w", path, content.ErrNotFound)
	}
	if err != nil {
		return Redirect{}, fmt.Errorf("redirect %s: %w", path, err)
	}
	return r, nil
}

func (q SQLImports) Redirects(ctx context.Context, siteID int64) ([]Redirect, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+redirectColumns+` FROM redirects WHERE site_id = ? ORDER BY old_key`), siteID)
	if err != nil {
		return nil, fmt.Errorf("redirects: %w", err)
	}
	defer rows.Close()
	var out []Redirect
	for rows.Next() {
		r, err := scanRedirect(rows)
		if err != nil {
			return nil, fmt.Errorf("redirects: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func (q SQLImports) ImportRecord(ctx context.Context, siteID int64, key string) (ImportRecord, error) {
	r := ImportRecord{SiteID: siteID, SourceKey: key}
	var updated, imported int64
	err := q.R.QueryRowContext(ctx, q.bind(`SELECT article_id, digest, article_updated_at, imported_at FROM import_items WHERE site_id = ? AND source_key = ?`),
		siteID, key).Scan(&r.ArticleID, &r.Digest, &updated, &imported)
	if errors.Is(err, sql.ErrNoRows) {
		return ImportRecord{}, fmt.Errorf("import record %s: %w", key, content.ErrNotFound)
	}
	if err != nil {
		return ImportRecord{}, fmt.Errorf("import record %s: %w", key, err)
	}
	r.ArticleUpdatedAt, r.ImportedAt = time.UnixMicro(updated).UTC(), time.UnixMicro(imported).UTC()
	return r, nil
}

func (q SQLImports) LockArticle(ctx context.Context, id int64) (time.Time, error) {
	lock := ""
	if q.Dollar {
		lock = " FOR UPDATE"
	}
	var at int64
	err := q.W.QueryRowContext(ctx, q.bind(`SELECT updated_at FROM articles WHERE id = ?`+lock), id).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, fmt.Errorf("article %d: %w", id, content.ErrNotFound)
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("article %d: %w", id, err)
	}
	return time.UnixMicro(at).UTC(), nil
}

func (q SQLImports) ImportKeys(ctx context.Context, siteID int64) ([]string, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT source_key FROM import_items WHERE site_id = ?`), siteID)
	if err != nil {
		return nil, fmt.Errorf("import records: %w", err)
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("import records: %w", err)
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

func (q SQLImports) PutImportRecord(ctx context.Context, r ImportRecord) error {
	if r.ImportedAt.IsZero() {
		r.ImportedAt = time.Now()
	}
	err := q.upsert(ctx,
		`INSERT INTO import_items (site_id, source_key, article_id, digest, article_updated_at, imported_at) VALUES (?, ?, ?, ?, ?, ?)`,
		[]any{r.SiteID, r.SourceKey, r.ArticleID, r.Digest, r.ArticleUpdatedAt.UnixMicro(), r.ImportedAt.UnixMicro()},
		`UPDATE import_items SET article_id = ?, digest = ?, article_updated_at = ?, imported_at = ? WHERE site_id = ? AND source_key = ?`,
		[]any{r.ArticleID, r.Digest, r.ArticleUpdatedAt.UnixMicro(), r.ImportedAt.UnixMicro(), r.SiteID, r.SourceKey})
	if err != nil {
		return fmt.Errorf("import record %s: %w", r.SourceKey, err)
	}
	return nil
}

func (q SQLImports) PutMedia(ctx context.Context, m Media) (Media, error) {
	sum := sha256.Sum256(m.Data)
	m.SHA256 = hex.EncodeToString(sum[:])
	m.Key = m.SHA256[:16]
	m.Size = int64(len(m.Data))
	if m.CreatedAt.IsZero() {
		m.CreatedAt = time.Now().UTC().Truncate(time.Microsecond)
	}
	if old, err := q.media(ctx, false, m.SiteID, m.Key); err == nil {
		return old, nil
	} else if !errors.Is(err, content.ErrNotFound) {
		return Media{}, err
	}
	_, err := q.W.ExecContext(ctx, q.bind(`INSERT INTO media (site_id, key, sha256, content_type, size, name, data, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`),
		m.SiteID, m.Key, m.SHA256, m.ContentType, m.Size, m.Name, nonNil(m.Data), m.CreatedAt.UnixMicro())
	if err != nil {
		return Media{}, fmt.Errorf("store file %s: %w", m.Name, err)
	}
	stored, err := q.media(ctx, false, m.SiteID, m.Key)
	if err != nil {
		return Media{}, err
	}
	return stored, nil
}

func (q SQLImports) Media(ctx context.Context, siteID int64, key string) (Media, error) {
	return q.media(ctx, true, siteID, key)
}

const mediaColumns = `id, site_id, key, sha256, content_type, size, name, created_at`

func scanMedia(sc interface{ Scan(...any) error }, data *[]byte) (Media, error) {
	var m Media
	var at int64
	dest := []any{&m.ID, &m.SiteID, &m.Key, &m.SHA256, &m.ContentType, &m.Size, &m.Name, &at}
	if data != nil {
		dest = append(dest, data)
	}
	err := sc.Scan(dest...)
	m.CreatedAt = time.UnixMicro(at).UTC()
	return m, err
}

// media reads a file from the write handle when it is looked up to be
// written (inside a transaction the read handle may not see the insert).
func (q SQLImports) media(ctx context.Context, withData bool, siteID int64, key string) (Media, error) {
	db, cols, data := q.W, mediaColumns, (*[]byte)(nil)
	if withData {
		db, cols, data = q.R, mediaColumns+", data", new([]byte)
	}
	m, err := scanMedia(db.QueryRowContext(ctx, q.bind(`SELECT `+cols+` FROM media WHERE site_id = ? AND key = ?`), siteID, key), data)
	if errors.Is(err, sql.ErrNoRows) {
		return Media{}, fmt.Errorf("file %s: %w", key, content.ErrNotFound)
	}
	if err != nil {
		return Media{}, fmt.Errorf("file %s: %w", key, err)
	}
	if data != nil {
		m.Data = *data
	}
	return m, nil
}

func (q SQLImports) MediaList(ctx context.Context, siteID int64) ([]Media, error) {
	rows, err := q.R.QueryContext(ctx, q.bind(`SELECT `+mediaColumns+` FROM media WHERE site_id = ? ORDER BY id`), siteID)
	if err != nil {
		return nil, fmt.Errorf("files: %w", err)
	}
	defer rows.Close()
	var out []Media
	for rows.Next() {
		m, err := scanMedia(rows, nil)
		if err != nil {
			return nil, fmt.Errorf("files: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueArticlesQuery is the scheduler's query, the same on both engines
// (placeholders as SQLite writes them): the literal status lets it use the
// partial index articles_due, and the + keeps SQLite from walking every
// article by id instead (to skip sorting the few scheduled ones), reading
// each row, every second in every server: a third of a CPU on a
// 100,000-article site.
const DueArticlesQuery = `SELECT id FROM articles WHERE status = 'scheduled' AND published_at <= ? AND +id > ? ORDER BY +id LIMIT ?`

// DueArticles runs DueArticlesQuery.
func DueArticles(ctx context.Context, db DB, dollar bool, now time.Time, after int64, limit int) ([]int64, error) {
	q := SQLMail{R: db, W: db, Dollar: dollar}
	rows, err := db.QueryContext(ctx, q.bind(DueArticlesQuery),
		now.UnixMicro(), after, limit)
	if err != nil {
		return nil, fmt.Errorf("due articles: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("due articles: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}
