package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

// prepareArticle normalizes and validates an article against its stored
// site and section, and fills what the store derives: slug, month, and
// the permanent path once the article is public.
func (q queries) prepareArticle(ctx context.Context, a *content.Article) error {
	a.Normalize()
	site, err := q.cachedSite(ctx, a.SiteID)
	if err != nil {
		return err
	}
	tree, err := q.tree(ctx, a.SiteID)
	if err != nil {
		return err
	}
	section, _ := tree.Section(a.SectionID)
	if err := a.Validate(site, section); err != nil {
		return err
	}
	if a.Slug == "" {
		a.Slug = content.Slugify(a.Title)
	}
	return store.AssignPath(site, tree, a, func(base string) (string, error) { return q.freePath(ctx, a.SiteID, a.ID, base) })
}

// freePath returns base, or base with the first free "-2", "-3"… suffix
// when another article of the site already has that address.
func (q queries) freePath(ctx context.Context, siteID, self int64, base string) (string, error) {
	path := base
	for n := 2; ; n++ {
		var other int64
		err := q.w.QueryRowContext(ctx, `SELECT id FROM articles WHERE site_id = $1 AND path = $2`, siteID, path).Scan(&other)
		if err == sql.ErrNoRows || (err == nil && other == self) {
			return path, nil
		}
		if err != nil {
			return "", fmt.Errorf("postgres: article address %s: %w", path, err)
		}
		path = base + "-" + strconv.Itoa(n)
	}
}

func (q queries) monthOf(ctx context.Context, a content.Article) (sql.NullInt64, error) {
	if a.PublishedAt.IsZero() {
		return sql.NullInt64{}, nil
	}
	site, err := q.cachedSite(ctx, a.SiteID)
	if err != nil {
		return sql.NullInt64{}, err
	}
	return sql.NullInt64{Int64: int64(monthKey(a.PublishedAt, site.Location())), Valid: true}, nil
}

// checkGroup makes sure a translation joins a group of its own site.
func (q queries) checkGroup(ctx context.Context, a content.Article) error {
	if a.TranslationGroup == 0 || a.TranslationGroup == a.ID {
		return nil
	}
	var site int64
	err := q.w.QueryRowContext(ctx, `SELECT site_id FROM articles WHERE id = $1`, a.TranslationGroup).Scan(&site)
	if err == sql.ErrNoRows || (err == nil && site != a.SiteID) {
		return &content.ValidationError{What: "article", Fields: map[string]string{
			"translation_group": fmt.Sprintf("article %d is not an article of the same site to translate", a.TranslationGroup)}}
	}
	return err
}

// groupTaken reports whether another article of a translation group has
// the language already. Checked before writing, since in PostgreSQL a
// failed statement ends the transaction.
func (q queries) groupTaken(ctx context.Context, a content.Article) (bool, error) {
	if a.TranslationGroup == 0 {
		return false, nil
	}
	var n int
	err := q.w.QueryRowContext(ctx, `SELECT count(*) FROM articles WHERE translation_group = $1 AND language = $2 AND id <> $3`,
		a.TranslationGroup, a.Language, a.ID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("postgres: translation group %d: %w", a.TranslationGroup, err)
	}
	return n > 0, nil
}

func groupConflict(a content.Article) error {
	return fmt.Errorf("translation group %d already has a %s version: %w", a.TranslationGroup, a.Language, content.ErrConflict)
}

func (q queries) CreateArticle(ctx context.Context, a content.Article) (content.Article, error) {
	a.ID = 0
	if err := q.prepareArticle(ctx, &a); err != nil {
		return content.Article{}, err
	}
	if err := q.checkGroup(ctx, a); err != nil {
		return content.Article{}, err
	}
	if taken, err := q.groupTaken(ctx, a); err != nil {
		return content.Article{}, err
	} else if taken {
		return content.Article{}, groupConflict(a)
	}
	month, err := q.monthOf(ctx, a)
	if err != nil {
		return content.Article{}, err
	}
	now := time.Now().UTC().Truncate(time.Microsecond)
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	if a.UpdatedAt.IsZero() {
		a.UpdatedAt = a.CreatedAt
	}
	// A new group is the article's own ID, known only once it is
	// inserted: the row takes its ID from the sequence first.
	err = q.w.QueryRowContext(ctx, `SELECT nextval(pg_get_serial_sequence('articles', 'id'))`).Scan(&a.ID)
	if err != nil {
		return content.Article{}, fmt.Errorf("postgres: create article: %w", err)
	}
	if a.TranslationGroup == 0 {
		a.TranslationGroup = a.ID
	}
	if a.Slug == "" || (a.Path == "" && a.Public()) {
		if a.Slug == "" {
			a.Slug = content.IDSlug(a.ID)
		}
		if err := q.prepareArticle(ctx, &a); err != nil {
			return content.Article{}, err
		}
	}
	// The index is written with the row, in the same statement.
	idx, err := q.indexColumns(ctx, a, sql.NullInt64{})
	if err != nil {
		return content.Article{}, err
	}
	_, err = q.w.ExecContext(ctx, `
		INSERT INTO articles (id, site_id, section_id, language, kind, status, title, summary, body, body_html,
			slug, path, published_at, pub_month, translation_group, created_at, updated_at,
			search_key, search_title, search_body, search_tags)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
			$18, $19::tsvector, $20::tsvector, $21::tsvector)`,
		a.ID, a.SiteID, a.SectionID, a.Language, string(a.Kind), string(a.Status), a.Title, a.Summary, a.Body, a.BodyHTML,
		a.Slug, nullString(a.Path), micros(a.PublishedAt), month, a.TranslationGroup, micros(a.CreatedAt), micros(a.UpdatedAt),
		idx.key, idx.title, idx.body, idx.tags)
	if isConstraint(err) {
		return content.Article{}, groupConflict(a)
	}
	if err != nil {
		return content.Article{}, fmt.Errorf("postgres: create article: %w", err)
	}
	return a, nil
}

func (q queries) UpdateArticle(ctx context.Context, a content.Article) error {
	old, err := q.Article(ctx, a.ID)
	if err != nil {
		return err
	}
	if a.Path == "" {
		a.Path = old.Path
	}
	if old.Path != "" && a.Path != old.Path {
		return fmt.Errorf("article %d is published at %s, and a published address never changes: %w", a.ID, old.Path, content.ErrConflict)
	}
	if a.SiteID != old.SiteID {
		return fmt.Errorf("article %d belongs to site %d and cannot move to another site: %w", a.ID, old.SiteID, content.ErrConflict)
	}
	if a.Slug == "" {
		a.Slug = old.Slug
	}
	if err := q.prepareArticle(ctx, &a); err != nil {
		return err
	}
	if err := q.checkGroup(ctx, a); err != nil {
		return err
	}
	if taken, err := q.groupTaken(ctx, a); err != nil {
		return err
	} else if taken {
		return groupConflict(a)
	}
	month, err := q.monthOf(ctx, a)
	if err != nil {
		return err
	}
	if a.UpdatedAt.IsZero() || !a.UpdatedAt.After(old.UpdatedAt) {
		a.UpdatedAt = time.Now().UTC()
	}
	// The index follows the article in the same statement.
	var oldKey sql.NullInt64
	if err := q.w.QueryRowContext(ctx, `SELECT search_key FROM articles WHERE id = $1`, a.ID).Scan(&oldKey); err != nil {
		return fmt.Errorf("postgres: update article %d: %w", a.ID, err)
	}
	idx, err := q.indexColumns(ctx, a, oldKey)
	if err != nil {
		return err
	}
	_, err = q.w.ExecContext(ctx, `
		UPDATE articles SET section_id = $1, language = $2, kind = $3, status = $4, title = $5, summary = $6, body = $7,
			body_html = $8, slug = $9, path = $10, published_at = $11, pub_month = $12, translation_group = $13, updated_at = $14,
			search_key = $16, search_title = $17::tsvector, search_body = $18::tsvector, search_tags = $19::tsvector
		WHERE id = $15`,
		a.SectionID, a.Language, string(a.Kind), string(a.Status), a.Title, a.Summary, a.Body,
		a.BodyHTML, a.Slug, nullString(a.Path), micros(a.PublishedAt), month, a.TranslationGroup, micros(a.UpdatedAt), a.ID,
		idx.key, idx.title, idx.body, idx.tags)
	if isConstraint(err) {
		return groupConflict(a)
	}
	if err != nil {
		return fmt.Errorf("postgres: update article %d: %w", a.ID, err)
	}
	return nil
}

const (
	listColumns    = `id, site_id, section_id, language, kind, status, title, summary, slug, coalesce(path, ''), published_at, translation_group, created_at, updated_at`
	articleColumns = listColumns + `, body, body_html`
)

func scanArticle(sc interface{ Scan(...any) error }, withBody bool) (content.Article, error) {
	var (
		a                           content.Article
		published, created, updated sql.NullInt64
	)
	dest := []any{&a.ID, &a.SiteID, &a.SectionID, &a.Language, &a.Kind, &a.Status, &a.Title, &a.Summary, &a.Slug, &a.Path,
		&published, &a.TranslationGroup, &created, &updated}
	if withBody {
		dest = append(dest, &a.Body, &a.BodyHTML)
	}
	if err := sc.Scan(dest...); err != nil {
		return content.Article{}, err
	}
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromMicros(published), fromMicros(created), fromMicros(updated)
	return a, nil
}

func (q queries) Article(ctx context.Context, id int64) (content.Article, error) {
	a, err := scanArticle(q.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = $1`, id), true)
	if err != nil {
		return content.Article{}, notFound("article", id, err)
	}
	return a, nil
}

func (q queries) ArticleByPath(ctx context.Context, siteID int64, path string) (content.Article, error) {
	a, err := scanArticle(q.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE site_id = $1 AND path = $2`, siteID, path), true)
	if err != nil {
		return content.Article{}, notFound("article at", path, err)
	}
	return a, nil
}

// where turns a query into a WHERE clause and its arguments.
func where(q store.ArticleQuery) (string, []any) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, val any) {
		args = append(args, val)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if q.SiteID != 0 {
		add("site_id = ?", q.SiteID)
	}
	if q.Language != "" {
		add("language = ?", q.Language)
	}
	if q.Status != "" {
		add("status = ?", string(q.Status))
	}
	if q.Kind != "" {
		add("kind = ?", string(q.Kind))
	}
	if len(q.SectionIDs) > 0 {
		add("section_id = ANY(?)", q.SectionIDs)
	}
	if !q.PublishedBy.IsZero() {
		add("published_at <= ?", q.PublishedBy.UnixMicro())
	}
	if q.Month != 0 {
		add("pub_month = ?", q.Month)
	}
	if q.Year != 0 {
		add("pub_month >= ?", q.Year*100+1)
		add("pub_month <= ?", q.Year*100+12)
	}
	for _, w := range q.TitleWords {
		add(`lower(title) LIKE ? ESCAPE '\'`, store.LikeContains(w))
	}
	if len(q.Groups) > 0 {
		add("translation_group = ANY(?)", q.Groups)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (q queries) Articles(ctx context.Context, aq store.ArticleQuery) ([]content.Article, error) {
	w, args := where(aq)
	cols := listColumns
	if aq.WithBody {
		cols = articleColumns
	}
	order := ` ORDER BY published_at DESC NULLS LAST, id DESC`
	if aq.ByUpdate {
		order = ` ORDER BY updated_at DESC, id DESC`
	}
	query := `SELECT ` + cols + ` FROM articles` + w + order
	if aq.Limit > 0 {
		query += fmt.Sprintf(` LIMIT $%d OFFSET $%d`, len(args)+1, len(args)+2)
		args = append(args, aq.Limit, max(aq.Offset, 0))
	}
	return q.articlesWith(ctx, aq.WithBody, query, args...)
}

func (q queries) articles(ctx context.Context, query string, args ...any) ([]content.Article, error) {
	return q.articlesWith(ctx, false, query, args...)
}

// articlesWith lists the articles a query selects, with their bodies when
// the query selects articleColumns.
func (q queries) articlesWith(ctx context.Context, withBody bool, query string, args ...any) ([]content.Article, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: articles: %w", err)
	}
	defer rows.Close()
	var list []content.Article
	for rows.Next() {
		a, err := scanArticle(rows, withBody)
		if err != nil {
			return nil, fmt.Errorf("postgres: articles: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

func (q queries) CountArticles(ctx context.Context, aq store.ArticleQuery) (int, error) {
	w, args := where(aq)
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT count(*) FROM articles`+w, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count articles: %w", err)
	}
	return n, nil
}

func (q queries) ArticleMonths(ctx context.Context, aq store.ArticleQuery) ([]store.MonthCount, error) {
	w, args := where(aq)
	if w == "" {
		w = " WHERE pub_month IS NOT NULL"
	} else {
		w += " AND pub_month IS NOT NULL"
	}
	rows, err := q.r.QueryContext(ctx, `SELECT pub_month, count(*) FROM articles`+w+` GROUP BY pub_month ORDER BY pub_month DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: article months: %w", err)
	}
	defer rows.Close()
	var months []store.MonthCount
	for rows.Next() {
		var key, n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, fmt.Errorf("postgres: article months: %w", err)
		}
		months = append(months, store.MonthCount{Year: key / 100, Month: key % 100, Count: n})
	}
	return months, rows.Err()
}

func (q queries) Translations(ctx context.Context, group int64) ([]content.Article, error) {
	return q.articles(ctx, `SELECT `+listColumns+` FROM articles WHERE translation_group = $1 ORDER BY id`, group)
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
