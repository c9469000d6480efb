package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"chancery/internal/content"
	"chancery/internal/store"
)

// The search index is an FTS5 table without content of its own: its rows
// are the search package's tokens of each published article, so SQLite
// and PostgreSQL index exactly the same tokens. It is written in the same
// transaction as the article.
//
// Its rows are keyed by publication time (see searchKey), which keeps the
// cost of any query bounded: FTS5 walks the matches newest first, the
// join keeps those of the site and language asked for, and it stops after
// store.RankWindow of them; only those are ranked. A query that matches more
// says so, and a date filter (a rowid range) moves the window. Kind and
// section filters are tags in the match, since they would otherwise make
// the walk read every match.

// hitColumns are articleColumns of the joined articles table, with an
// empty Body: hits need the rendered body for snippets, not the source.
const hitColumns = `a.id, a.site_id, a.section_id, a.language, a.kind, a.status, a.title, a.summary, a.slug,
	coalesce(a.path, ''), a.published_at, a.translation_group, a.created_at, a.updated_at, '', a.body_html`

// keyHolder tells store.FreeSearchKey which article holds a key.
func keyHolder(ctx context.Context, db dbtx) func(int64) (int64, error) {
	return func(key int64) (int64, error) {
		var id int64
		err := db.QueryRowContext(ctx, `SELECT id FROM articles WHERE search_key = ?`, key).Scan(&id)
		if err == sql.ErrNoRows {
			return 0, nil
		}
		return id, err
	}
}

// indexArticle puts a published article in the index under its search
// key and takes any other out of it.
func (q queries) indexArticle(ctx context.Context, a content.Article) error {
	var old sql.NullInt64
	if err := q.w.QueryRowContext(ctx, `SELECT search_key FROM articles WHERE id = ?`, a.ID).Scan(&old); err != nil {
		return fmt.Errorf("sqlite: index article %d: %w", a.ID, err)
	}
	if old.Valid {
		if _, err := q.w.ExecContext(ctx, `DELETE FROM search_fts WHERE rowid = ?`, old.Int64); err != nil {
			return fmt.Errorf("sqlite: unindex article %d: %w", a.ID, err)
		}
	}
	var key sql.NullInt64
	if a.Status == content.StatusPublished && !a.PublishedAt.IsZero() {
		k, err := store.FreeSearchKey(a.PublishedAt, a.ID, old.Int64, old.Valid, keyHolder(ctx, q.w))
		if err != nil {
			return fmt.Errorf("sqlite: %w", err)
		}
		key = sql.NullInt64{Int64: k, Valid: true}
		d := store.NewIndexDoc(a)
		if _, err := q.w.ExecContext(ctx, `INSERT INTO search_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)`, key.Int64, d.Title, d.Body, d.Tags); err != nil {
			return fmt.Errorf("sqlite: index article %d: %w", a.ID, err)
		}
	}
	if key != old {
		if _, err := q.w.ExecContext(ctx, `UPDATE articles SET search_key = ? WHERE id = ?`, key, a.ID); err != nil {
			return fmt.Errorf("sqlite: index article %d: %w", a.ID, err)
		}
	}
	return nil
}

// matchExpr is the reader's query limited to titles and bodies, and the
// kind and section filters as tags.
func matchExpr(sq store.SearchQuery) string {
	var b strings.Builder
	b.WriteString("{title body} : (" + sq.Query.FTS5() + ")")
	if sq.Kind != "" {
		b.WriteString(" AND tags : " + store.KindTag(sq.Kind))
	}
	if len(sq.SectionIDs) > 0 {
		secs := make([]string, len(sq.SectionIDs))
		for i, id := range sq.SectionIDs {
			secs[i] = store.SectionTag(id)
		}
		b.WriteString(" AND tags : (" + strings.Join(secs, " OR ") + ")")
	}
	return b.String()
}

func (q queries) Search(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	if sq.Query.Empty() {
		return store.SearchResult{}, nil
	}
	match := matchExpr(sq)
	lo, hi := store.KeyRange(sq)
	// The key range keeps whole seconds; the exact time decides within
	// the last one, as it does for an article's page.
	conds, args := " AND a.published_at <= ?", []any{match, lo, hi, sq.Now.UnixMicro()}
	if sq.SiteID != 0 {
		conds += " AND a.site_id = ?"
		args = append(args, sq.SiteID)
	}
	if sq.Language != "" {
		conds += " AND a.language = ?"
		args = append(args, sq.Language)
	}
	// The window: the newest matches of the site and language, with their
	// scores, walked newest first. CROSS JOIN keeps FTS5 the outer loop.
	rows, err := q.r.QueryContext(ctx, `
		SELECT search_fts.rowid, bm25(search_fts, `+fmt.Sprint(titleWeight)+`, 1.0, 0.0)
		FROM search_fts CROSS JOIN articles a ON a.search_key = search_fts.rowid
		WHERE search_fts MATCH ? AND search_fts.rowid >= ? AND search_fts.rowid < ?`+conds+`
		ORDER BY search_fts.rowid DESC LIMIT `+strconv.Itoa(store.RankWindow+1), args...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search %q: %w", match, err)
	}
	type scored struct {
		key   int64
		score float64
	}
	var window []scored
	for rows.Next() {
		var s scored
		if err := rows.Scan(&s.key, &s.score); err != nil {
			rows.Close()
			return store.SearchResult{}, fmt.Errorf("sqlite: search %q: %w", match, err)
		}
		window = append(window, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search %q: %w", match, err)
	}
	res := store.SearchResult{Total: len(window)}
	if len(window) > store.RankWindow {
		window, res.Total, res.More = window[:store.RankWindow], store.RankWindow, true
	}
	if !sq.ByDate { // bm25 scores are negative: lower is better
		slices.SortStableFunc(window, func(x, y scored) int { return cmp.Compare(x.score, y.score) })
	}
	limit := sq.Limit
	if limit <= 0 {
		limit = 20
	}
	from := min(max(sq.Offset, 0), len(window))
	page := window[from:min(from+limit, len(window))]
	if len(page) == 0 {
		return res, nil
	}
	keys := make([]any, len(page))
	for i, s := range page {
		keys[i] = s.key
	}
	rows, err = q.r.QueryContext(ctx, `SELECT a.search_key, `+hitColumns+` FROM articles a WHERE a.search_key IN (`+placeholders(len(keys))+`)`, keys...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search hits: %w", err)
	}
	defer rows.Close()
	byKey := make(map[int64]content.Article, len(page))
	for rows.Next() {
		var key int64
		a, err := scanArticle(keyScanner{rows, &key}, true)
		if err != nil {
			return store.SearchResult{}, fmt.Errorf("sqlite: search hits: %w", err)
		}
		byKey[key] = a
	}
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search hits: %w", err)
	}
	for _, s := range page {
		if a, ok := byKey[s.key]; ok {
			res.Hits = append(res.Hits, a)
		}
	}
	return res, nil
}

// keyScanner scans a leading search key, then what scanArticle reads.
type keyScanner struct {
	rows *sql.Rows
	key  *int64
}

func (k keyScanner) Scan(dest ...any) error {
	return k.rows.Scan(append([]any{k.key}, dest...)...)
}

// titleWeight makes a match in the title count ten times one in the body.
const titleWeight = 10.0

// Reindex rebuilds the search index from the articles in one
// transaction: readers keep the old index until the new one is complete.
// progress, if not nil, is called after every batch of articles.
func (s *Store) Reindex(ctx context.Context, progress func(done, total int)) (store.IndexStats, error) {
	var stats store.IndexStats
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE status = 'published' AND published_at IS NOT NULL`).Scan(&total); err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	// Articles no longer published lose their key, and so do those whose
	// key is not of their publication second; the others keep theirs.
	// FTS5 merges its segments once, at the end, instead of while the rows
	// arrive.
	for _, stmt := range []string{
		`DELETE FROM search_fts`,
		`UPDATE articles SET search_key = NULL WHERE search_key IS NOT NULL AND (status != 'published' OR published_at IS NULL
			OR search_key < published_at / 1000000 * 1000000 OR search_key >= (published_at / 1000000 + 1) * 1000000)`,
		`INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 0)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return stats, fmt.Errorf("sqlite: reindex: %w", err)
		}
	}
	insert, err := tx.PrepareContext(ctx, `INSERT INTO search_fts (rowid, title, body, tags) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	defer insert.Close()
	rekey, err := tx.PrepareContext(ctx, `UPDATE articles SET search_key = ? WHERE id = ? AND search_key IS NOT ?`)
	if err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	defer rekey.Close()
	// Batches are read and written on the transaction's connection while
	// the next batch is tokenized on the other cores.
	var (
		pending      <-chan []store.IndexDoc
		pendingBatch []batchDoc
	)
	for after := int64(0); ; {
		docs, err := publishedBatch(ctx, tx, after, store.ReindexBatch)
		if err != nil {
			return stats, err
		}
		var next <-chan []store.IndexDoc
		if len(docs) > 0 {
			arts := make([]content.Article, len(docs))
			for i, d := range docs {
				arts[i] = d.Article
			}
			next = store.IndexDocs(arts)
			after = docs[len(docs)-1].ID
		}
		if pending != nil {
			for i, d := range <-pending {
				src := pendingBatch[i]
				if d.Key, err = store.FreeSearchKey(src.PublishedAt, src.ID, src.key.Int64, src.key.Valid, keyHolder(ctx, tx)); err != nil {
					return stats, fmt.Errorf("sqlite: %w", err)
				}
				if _, err := insert.ExecContext(ctx, d.Key, d.Title, d.Body, d.Tags); err != nil {
					return stats, fmt.Errorf("sqlite: reindex article %d: %w", d.ArticleID, err)
				}
				if _, err := rekey.ExecContext(ctx, d.Key, d.ArticleID, d.Key); err != nil {
					return stats, fmt.Errorf("sqlite: reindex article %d: %w", d.ArticleID, err)
				}
				stats.TextBytes += int64(d.TextBytes)
				stats.Articles++
			}
			if progress != nil {
				progress(stats.Articles, total)
			}
		}
		if next == nil {
			break
		}
		pending, pendingBatch = next, docs
	}
	for _, stmt := range []string{
		`INSERT INTO search_fts (search_fts) VALUES ('optimize')`,
		`INSERT INTO search_fts (search_fts, rank) VALUES ('automerge', 4)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return stats, fmt.Errorf("sqlite: reindex: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	// FTS5 writes its last segment at commit, so measure after it.
	if err := s.write.QueryRowContext(ctx, `SELECT coalesce(sum(length(block)), 0) FROM search_fts_data`).Scan(&stats.IndexBytes); err != nil {
		return stats, fmt.Errorf("sqlite: index size: %w", err)
	}
	return stats, nil
}

// batchDoc is an article to reindex, with the search key it has.
type batchDoc struct {
	content.Article
	key sql.NullInt64
}

// publishedBatch reads the next published articles after an ID, with
// what the index needs.
func publishedBatch(ctx context.Context, db dbtx, after int64, n int) ([]batchDoc, error) {
	rows, err := db.QueryContext(ctx, `
		SELECT id, site_id, section_id, language, kind, title, summary, body_html, published_at, search_key FROM articles
		WHERE status = 'published' AND published_at IS NOT NULL AND id > ? ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reindex: %w", err)
	}
	defer rows.Close()
	var docs []batchDoc
	for rows.Next() {
		var d batchDoc
		var published sql.NullInt64
		if err := rows.Scan(&d.ID, &d.SiteID, &d.SectionID, &d.Language, &d.Kind, &d.Title, &d.Summary, &d.BodyHTML, &published, &d.key); err != nil {
			return nil, fmt.Errorf("sqlite: reindex: %w", err)
		}
		d.PublishedAt = fromMicros(published)
		docs = append(docs, d)
	}
	return docs, rows.Err()
}

// Search reads in one snapshot, so that a hit cannot vanish between the
// walk of the index and the reading of the articles.
func (s *Store) Search(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	tx, err := s.read.BeginTx(ctx, nil)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search: %w", err)
	}
	defer tx.Rollback()
	return queries{r: tx, w: tx}.Search(ctx, sq)
}
