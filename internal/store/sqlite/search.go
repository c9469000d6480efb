package sqlite

import (
	"context"
	"fmt"
	"strings"

	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/search"
	"chancery/internal/store"
)

// The search index is an FTS5 table without content of its own: its rows
// are the search package's tokens of each published article, keyed by the
// article's ID, so SQLite and PostgreSQL index exactly the same tokens.
// It is written in the same transaction as the article.

// hitColumns are articleColumns of the joined articles table, with an
// empty Body: hits need the rendered body for snippets, not the source.
const hitColumns = `a.id, a.site_id, a.section_id, a.language, a.kind, a.status, a.title, a.summary, a.slug,
	coalesce(a.path, ''), a.published_at, a.translation_group, a.created_at, a.updated_at, '', a.body_html`

// titleWeight makes a match in the title count ten times one in the body.
const titleWeight = 10.0

// indexDocument returns what the index holds for an article, and the
// size of the plain text it came from.
func indexDocument(a content.Article) (title, body string, textBytes int) {
	text := a.Summary + "\n" + markup.Text(a.BodyHTML)
	return search.IndexText(a.Title), search.IndexText(text), len(a.Title) + len(text)
}

// indexArticle puts a published article in the index and takes any other
// out of it. A new article has nothing to take out.
func (q queries) indexArticle(ctx context.Context, a content.Article, isNew bool) error {
	if !isNew {
		if _, err := q.w.ExecContext(ctx, `DELETE FROM search_fts WHERE rowid = ?`, a.ID); err != nil {
			return fmt.Errorf("sqlite: unindex article %d: %w", a.ID, err)
		}
	}
	if a.Status != content.StatusPublished {
		return nil
	}
	title, body, _ := indexDocument(a)
	if _, err := q.w.ExecContext(ctx, `INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)`, a.ID, title, body); err != nil {
		return fmt.Errorf("sqlite: index article %d: %w", a.ID, err)
	}
	return nil
}

func (q queries) Search(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	match := sq.Query.FTS5()
	if match == "" {
		return store.SearchResult{}, nil
	}
	conds := []string{"search_fts MATCH ?", "a.status = 'published'", "a.published_at <= ?"}
	args := []any{match, sq.Now.UnixMicro()}
	add := func(cond string, vals ...any) {
		conds = append(conds, cond)
		args = append(args, vals...)
	}
	if sq.SiteID != 0 {
		add("a.site_id = ?", sq.SiteID)
	}
	if sq.Language != "" {
		add("a.language = ?", sq.Language)
	}
	if sq.Kind != "" {
		add("a.kind = ?", sq.Kind)
	}
	if len(sq.SectionIDs) > 0 {
		vals := make([]any, len(sq.SectionIDs))
		for i, id := range sq.SectionIDs {
			vals[i] = id
		}
		add("a.section_id IN ("+placeholders(len(vals))+")", vals...)
	}
	if !sq.From.IsZero() {
		add("a.published_at >= ?", sq.From.UnixMicro())
	}
	if !sq.To.IsZero() {
		add("a.published_at < ?", sq.To.UnixMicro())
	}
	// CROSS JOIN keeps the full-text match the outer loop: SQLite could
	// otherwise walk the articles and run the match once per article.
	from := ` FROM search_fts CROSS JOIN articles a ON a.id = search_fts.rowid WHERE ` + strings.Join(conds, " AND ")
	var res store.SearchResult
	if err := q.r.QueryRowContext(ctx, `SELECT count(*)`+from, args...).Scan(&res.Total); err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: count search %q: %w", match, err)
	}
	if res.Total == 0 {
		return res, nil
	}
	order := ` ORDER BY bm25(search_fts, ` + fmt.Sprint(titleWeight) + `, 1.0), a.published_at DESC`
	if sq.ByDate {
		order = ` ORDER BY a.published_at DESC, a.id DESC`
	}
	limit := sq.Limit
	if limit <= 0 {
		limit = 20
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+hitColumns+from+order+` LIMIT ? OFFSET ?`,
		append(args, limit, max(sq.Offset, 0))...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("sqlite: search %q: %w", match, err)
	}
	defer rows.Close()
	for rows.Next() {
		a, err := scanArticle(rows, true)
		if err != nil {
			return store.SearchResult{}, fmt.Errorf("sqlite: search %q: %w", match, err)
		}
		res.Hits = append(res.Hits, a)
	}
	return res, rows.Err()
}

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
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE status = 'published'`).Scan(&total); err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM search_fts`); err != nil {
		return stats, fmt.Errorf("sqlite: reindex: %w", err)
	}
	const batch = 500
	for after := int64(0); ; {
		docs, err := publishedBatch(ctx, tx, after, batch)
		if err != nil {
			return stats, err
		}
		if len(docs) == 0 {
			break
		}
		for _, a := range docs {
			title, body, n := indexDocument(a)
			if _, err := tx.ExecContext(ctx, `INSERT INTO search_fts (rowid, title, body) VALUES (?, ?, ?)`, a.ID, title, body); err != nil {
				return stats, fmt.Errorf("sqlite: reindex article %d: %w", a.ID, err)
			}
			stats.TextBytes += int64(n)
			after = a.ID
		}
		stats.Articles += len(docs)
		if progress != nil {
			progress(stats.Articles, total)
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

// publishedBatch reads the next published articles after an ID, with
// what the index needs.
func publishedBatch(ctx context.Context, db dbtx, after int64, n int) ([]content.Article, error) {
	rows, err := db.QueryContext(ctx, `SELECT id, title, summary, body_html FROM articles WHERE status = 'published' AND id > ? ORDER BY id LIMIT ?`, after, n)
	if err != nil {
		return nil, fmt.Errorf("sqlite: reindex: %w", err)
	}
	defer rows.Close()
	var docs []content.Article
	for rows.Next() {
		var a content.Article
		if err := rows.Scan(&a.ID, &a.Title, &a.Summary, &a.BodyHTML); err != nil {
			return nil, fmt.Errorf("sqlite: reindex: %w", err)
		}
		docs = append(docs, a)
	}
	return docs, rows.Err()
}
