package postgres

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
)

// The search index is three tsvector columns of the articles table: the
// search package's tokens of the title, of the summary and body, and the
// filter tags, each built in Go from search.IndexText (one lexeme per
// token, at its position), so that PostgreSQL holds exactly the tokens
// SQLite's FTS5 table holds. They are written in the same transaction as
// the article; an article that is not published has none.
//
// As in SQLite, a search walks the matches newest first by search_key
// (publication second × 10⁶ + ID mod 10⁶) within the site, language and
// date asked for, stops after store.RankWindow of them and ranks only those.

// PostgreSQL's limits on a tsvector: positions run to 16383 (later ones
// are stored as 16383) and a lexeme keeps at most 256 of them.
const (
	maxPosition     = 16383
	maxLexemeWrites = 256
)

// tsvector turns IndexText (tokens separated by single spaces) into a
// tsvector literal with each token a lexeme at its position, so that no
// parser of the server's (which depends on its locale) cuts a token
// differently.
func tsvector(text string) string {
	if text == "" {
		return ""
	}
	positions := map[string][]int{}
	var order []string
	for i, tok := range strings.Fields(text) {
		p := min(i+1, maxPosition)
		ps, seen := positions[tok]
		if !seen {
			order = append(order, tok)
		}
		if len(ps) >= maxLexemeWrites || (len(ps) > 0 && ps[len(ps)-1] == p) {
			continue
		}
		positions[tok] = append(ps, p)
	}
	var b strings.Builder
	b.Grow(len(text) * 2)
	for i, tok := range order {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(quoteLexeme(tok))
		b.WriteByte(':')
		for j, p := range positions[tok] {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
		}
	}
	return b.String()
}

// quoteLexeme quotes a token for a tsvector or tsquery literal.
func quoteLexeme(tok string) string {
	tok = strings.ReplaceAll(tok, `\`, `\\`)
	return "'" + strings.ReplaceAll(tok, `'`, `''`) + "'"
}

// tsquery renders a query like search.Query.FTS5: positive terms joined
// with &, each excluded term as & !(…). A term of several tokens is a
// phrase (<->) within the title or within the body, as FTS5 matches a
// phrase within one column; a term ending in one Han character is a
// prefix on that token.
func tsquery(q search.Query) string {
	var b strings.Builder
	b.WriteByte('(')
	for i, t := range q.Positive() {
		if i > 0 {
			b.WriteString(" & ")
		}
		writeTerm(&b, t)
	}
	b.WriteByte(')')
	for _, t := range q.Terms {
		if t.Exclude {
			b.WriteString(" & !(")
			writeTerm(&b, t)
			b.WriteByte(')')
		}
	}
	return b.String()
}

func writeTerm(b *strings.Builder, t search.Term) {
	prefix := prefixLast(t.Tokens)
	phrase := func(weight string) {
		for i, tok := range t.Tokens {
			if i > 0 {
				b.WriteString(" <-> ")
			}
			b.WriteString(quoteLexeme(tok))
			last := i == len(t.Tokens)-1
			if (last && prefix) || weight != "" {
				b.WriteByte(':')
				if last && prefix {
					b.WriteByte('*')
				}
				b.WriteString(weight)
			}
		}
	}
	if len(t.Tokens) == 1 {
		phrase("")
		return
	}
	b.WriteByte('(')
	phrase("A")
	b.WriteString(" | ")
	phrase("B")
	b.WriteByte(')')
}

// prefixLast reports whether the last token is a single Han character,
// to be matched as a prefix of the indexed tokens (as search does for
// FTS5).
func prefixLast(toks []string) bool {
	if len(toks) == 0 {
		return false
	}
	last := toks[len(toks)-1]
	r, n := utf8.DecodeRuneInString(last)
	if n != len(last) {
		return false
	}
	if r >= 0x4E00 && r <= 0x9FFF {
		return true
	}
	return r >= 0x2E80 && unicode.Is(unicode.Han, r) && (unicode.IsLetter(r) || unicode.Is(unicode.Nl, r))
}

// tagQuery is the kind and section filters as a tsquery on search_tags,
// or "" when there are none.
func tagQuery(sq store.SearchQuery) string {
	var parts []string
	if sq.Kind != "" {
		parts = append(parts, quoteLexeme(store.KindTag(sq.Kind)))
	}
	if len(sq.SectionIDs) > 0 {
		secs := make([]string, len(sq.SectionIDs))
		for i, id := range sq.SectionIDs {
			secs[i] = quoteLexeme(store.SectionTag(id))
		}
		parts = append(parts, "("+strings.Join(secs, " | ")+")")
	}
	return strings.Join(parts, " & ")
}

// searchDoc is the expression the GIN index articles_search_text holds:
// titles weigh A, bodies B.
const searchDoc = `(setweight(a.search_title, 'A') || setweight(a.search_body, 'B'))`

// rankWeights are ts_rank's weights for D, C, B and A: a match in the
// title counts ten times one in the body, as in SQLite.
const rankWeights = `'{0, 0, 0.1, 1.0}'::float4[]`

// indexRow is what the index holds for an article, written with the
// article's row: nothing (NULLs) unless it is published.
type indexRow struct {
	key               sql.NullInt64
	title, body, tags sql.NullString
}

// keyHolder tells store.FreeSearchKey which article holds a key.
func keyHolder(ctx context.Context, db dbtx) func(int64) (int64, error) {
	return func(key int64) (int64, error) {
		var id int64
		err := db.QueryRowContext(ctx, `SELECT id FROM articles WHERE search_key = $1`, key).Scan(&id)
		if err == sql.ErrNoRows {
			return 0, nil
		}
		return id, err
	}
}

// indexColumns returns the index columns of an article whose search key
// is old: a published article gets a free key of its publication second
// and its vectors; any other has none.
func (q queries) indexColumns(ctx context.Context, a content.Article, old sql.NullInt64) (indexRow, error) {
	if a.Status != content.StatusPublished || a.PublishedAt.IsZero() {
		return indexRow{}, nil
	}
	key, err := store.FreeSearchKey(a.PublishedAt, a.ID, old.Int64, old.Valid, keyHolder(ctx, q.w))
	if err != nil {
		return indexRow{}, fmt.Errorf("postgres: %w", err)
	}
	d := store.NewIndexDoc(a)
	return indexRow{
		key:   sql.NullInt64{Int64: key, Valid: true},
		title: sql.NullString{String: tsvector(d.Title), Valid: true},
		body:  sql.NullString{String: tsvector(d.Body), Valid: true},
		tags:  sql.NullString{String: tsvector(d.Tags), Valid: true},
	}, nil
}

// hitColumns are articleColumns of the articles table, with an empty
// Body: hits need the rendered body for snippets, not the source.
const hitColumns = `a.id, a.site_id, a.section_id, a.language, a.kind, a.status, a.title, a.summary, a.slug,
	coalesce(a.path, ''), a.published_at, a.translation_group, a.created_at, a.updated_at, '', a.body_html`

func (q queries) Search(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	if sq.Query.Empty() {
		return store.SearchResult{}, nil
	}
	match := tsquery(sq.Query)
	lo, hi := store.KeyRange(sq)
	// The key range keeps whole seconds; the exact time decides within
	// the last one, as it does for an article's page.
	args := []any{match, lo, hi, sq.Now.UnixMicro()}
	conds := ""
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if tags := tagQuery(sq); tags != "" {
		conds += " AND a.search_tags @@ " + arg(tags) + "::tsquery"
	}
	if sq.SiteID != 0 {
		conds += " AND a.site_id = " + arg(sq.SiteID)
	}
	if sq.Language != "" {
		conds += " AND a.language = " + arg(sq.Language)
	}
	// The window: the newest matches of the site and language, with their
	// scores, newest first.
	rows, err := q.r.QueryContext(ctx, `
		SELECT a.search_key, ts_rank(`+rankWeights+`, `+searchDoc+`, $1::tsquery)
		FROM articles a
		WHERE `+searchDoc+` @@ $1::tsquery AND a.search_key >= $2 AND a.search_key < $3 AND a.published_at <= $4`+conds+`
		ORDER BY a.search_key DESC LIMIT `+strconv.Itoa(store.RankWindow+1), args...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("postgres: search %q: %w", match, err)
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
			return store.SearchResult{}, fmt.Errorf("postgres: search %q: %w", match, err)
		}
		window = append(window, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("postgres: search %q: %w", match, err)
	}
	res := store.SearchResult{Total: len(window)}
	if len(window) > store.RankWindow {
		window, res.Total, res.More = window[:store.RankWindow], store.RankWindow, true
	}
	if !sq.ByDate { // higher ts_rank is better
		slices.SortStableFunc(window, func(x, y scored) int { return cmp.Compare(y.score, x.score) })
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
	keys := make([]int64, len(page))
	for i, s := range page {
		keys[i] = s.key
	}
	rows, err = q.r.QueryContext(ctx, `SELECT a.search_key, `+hitColumns+` FROM articles a WHERE a.search_key = ANY($1)`, keys)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("postgres: search hits: %w", err)
	}
	defer rows.Close()
	byKey := make(map[int64]content.Article, len(page))
	for rows.Next() {
		var key int64
		a, err := scanArticle(keyScanner{rows, &key}, true)
		if err != nil {
			return store.SearchResult{}, fmt.Errorf("postgres: search hits: %w", err)
		}
		byKey[key] = a
	}
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("postgres: search hits: %w", err)
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

// Search reads in one snapshot, so that a hit cannot vanish between the
// walk of the index and the reading of the articles.
func (s *Store) Search(ctx context.Context, sq store.SearchQuery) (store.SearchResult, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("postgres: search: %w", err)
	}
	defer tx.Rollback()
	return queries{r: tx, w: tx}.Search(ctx, sq)
}

// Reindex rebuilds the search index from the articles in one
// transaction: readers keep the old index until the new one is complete.
// progress, if not nil, is called after every batch of articles.
func (s *Store) Reindex(ctx context.Context, progress func(done, total int)) (store.IndexStats, error) {
	var stats store.IndexStats
	tx, err := s.begin(ctx)
	if err != nil {
		return stats, fmt.Errorf("postgres: reindex: %w", err)
	}
	defer tx.Rollback()
	var total int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE status = 'published' AND published_at IS NOT NULL`).Scan(&total); err != nil {
		return stats, fmt.Errorf("postgres: reindex: %w", err)
	}
	// Articles no longer published lose their key and vectors, and so do
	// the keys not of their publication second; the others keep theirs.
	for _, stmt := range []string{
		`UPDATE articles SET search_key = NULL, search_title = NULL, search_body = NULL, search_tags = NULL
			WHERE (search_key IS NOT NULL OR search_title IS NOT NULL) AND (status <> 'published' OR published_at IS NULL)`,
		`UPDATE articles SET search_key = NULL WHERE search_key IS NOT NULL
			AND (search_key < published_at / 1000000 * 1000000 OR search_key >= (published_at / 1000000 + 1) * 1000000)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return stats, fmt.Errorf("postgres: reindex: %w", err)
		}
	}
	// A row whose index is already right is left alone: no new row
	// version for what did not change.
	update, err := tx.PrepareContext(ctx, `UPDATE articles SET search_key = $1, search_title = $2::tsvector, search_body = $3::tsvector,
		search_tags = $4::tsvector WHERE id = $5 AND (search_key IS DISTINCT FROM $1 OR search_title IS DISTINCT FROM $2::tsvector
		OR search_body IS DISTINCT FROM $3::tsvector OR search_tags IS DISTINCT FROM $4::tsvector)`)
	if err != nil {
		return stats, fmt.Errorf("postgres: reindex: %w", err)
	}
	defer update.Close()
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
					return stats, fmt.Errorf("postgres: %w", err)
				}
				if _, err := update.ExecContext(ctx, d.Key, tsvector(d.Title), tsvector(d.Body), tsvector(d.Tags), d.ArticleID); err != nil {
					return stats, fmt.Errorf("postgres: reindex article %d: %w", d.ArticleID, err)
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
	if err := tx.Commit(); err != nil {
		return stats, fmt.Errorf("postgres: reindex: %w", err)
	}
	// Fresh statistics let the planner choose between walking the keys
	// and reading the text index, as SQLite's optimize merges its index.
	if _, err := s.db.ExecContext(ctx, `ANALYZE articles`); err != nil {
		return stats, fmt.Errorf("postgres: reindex: analyze: %w", err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT pg_relation_size('articles_search_text') + pg_relation_size('articles_search_tags')`).Scan(&stats.IndexBytes); err != nil {
		return stats, fmt.Errorf("postgres: index size: %w", err)
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
		WHERE status = 'published' AND published_at IS NOT NULL AND id > $1 ORDER BY id LIMIT $2`, after, n)
	if err != nil {
		return nil, fmt.Errorf("postgres: reindex: %w", err)
	}
	defer rows.Close()
	var docs []batchDoc
	for rows.Next() {
		var d batchDoc
		var published sql.NullInt64
		if err := rows.Scan(&d.ID, &d.SiteID, &d.SectionID, &d.Language, &d.Kind, &d.Title, &d.Summary, &d.BodyHTML, &published, &d.key); err != nil {
			return nil, fmt.Errorf("postgres: reindex: %w", err)
		}
		d.PublishedAt = fromMicros(published)
		docs = append(docs, d)
	}
	return docs, rows.Err()
}
