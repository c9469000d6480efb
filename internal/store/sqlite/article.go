package sqlite

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

// monthKey files a time under its month in loc, as year*100+month.
func monthKey(t time.Time, loc *time.Location) int {
	t = t.In(loc)
	return t.Year()*100 + int(t.Month())
}

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
		err := q.w.QueryRowContext(ctx, `SELECT id FROM articles WHERE site_id = ? AND path = ?`, siteID, path).Scan(&other)
		if err == sql.ErrNoRows || (err == nil && other == self) {
			return path, nil
		}
		if err != nil {
			return "", fmt.Errorf("sqlite: article address %s: %w", path, err)
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
	err := q.w.QueryRowContext(ctx, `SELECT site_id FROM articles WHERE id = ?`, a.TranslationGroup).Scan(&site)
	if err == sql.ErrNoRows || (err == nil && site != a.SiteID) {
		return &content.ValidationError{What: "article", Fields: map[string]string{
			"translation_group": fmt.Sprintf("article %d is not an article of the same site to translate", a.TranslationGroup)}}
	}
	return err
}

func (q queries) CreateArticle(ctx context.Context, a content.Article) (content.Article, error) {
	a.ID = 0
	if err := q.prepareArticle(ctx, &a); err != nil {
		return content.Article{}, err
	}
	if err := q.checkGroup(ctx, a); err != nil {
		return content.Article{}, err
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
	res, err := q.w.ExecContext(ctx, `
		INSERT INTO articles (site_id, section_id, language, kind, status, title, summary, body, body_html,
			slug, path, published_at, pub_month, translation_group, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		a.SiteID, a.SectionID, a.Language, a.Kind, a.Status, a.Title, a.Summary, a.Body, a.BodyHTML,
		a.Slug, nullString(a.Path), micros(a.PublishedAt), month, a.TranslationGroup, micros(a.CreatedAt), micros(a.UpdatedAt))
	if isConstraint(err) {
		return content.Article{}, fmt.Errorf("translation group %d already has a %s version: %w", a.TranslationGroup, a.Language, content.ErrConflict)
	}
	if err != nil {
		return content.Article{}, fmt.Errorf("sqlite: create article: %w", err)
	}
	if a.ID, err = res.LastInsertId(); err != nil {
		return content.Article{}, err
	}
	if a.TranslationGroup == 0 || a.Slug == "" || (a.Path == "" && a.Public()) {
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
		if _, err := q.w.ExecContext(ctx, `UPDATE articles SET translation_group = ?, slug = ?, path = ? WHERE id = ?`,
			a.TranslationGroup, a.Slug, nullString(a.Path), a.ID); err != nil {
			return content.Article{}, fmt.Errorf("sqlite: create article %d: %w", a.ID, err)
		}
	}
	return a, q.indexArticle(ctx, a)
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
	month, err := q.monthOf(ctx, a)
	if err != nil {
		return err
	}
	if a.UpdatedAt.IsZero() || !a.UpdatedAt.After(old.UpdatedAt) {
		a.UpdatedAt = time.Now().UTC()
	}
	_, err = q.w.ExecContext(ctx, `
		UPDATE articles SET section_id = ?, language = ?, kind = ?, status = ?, title = ?, summary = ?, body = ?,
			body_html = ?, slug = ?, path = ?, published_at = ?, pub_month = ?, translation_group = ?, updated_at = ?
		WHERE id = ?`,
		a.SectionID, a.Language, a.Kind, a.Status, a.Title, a.Summary, a.Body,
		a.BodyHTML, a.Slug, nullString(a.Path), micros(a.PublishedAt), month, a.TranslationGroup, micros(a.UpdatedAt), a.ID)
	if isConstraint(err) {
		return fmt.Errorf("translation group %d already has a %s version: %w", a.TranslationGroup, a.Language, content.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("sqlite: update article %d: %w", a.ID, err)
	}
	return q.indexArticle(ctx, a)
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
	a, err := scanArticle(q.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE id = ?`, id), true)
	if err != nil {
		return content.Article{}, notFound("article", id, err)
	}
	return a, nil
}

func (q queries) ArticleByPath(ctx context.Context, siteID int64, path string) (content.Article, error) {
	a, err := scanArticle(q.r.QueryRowContext(ctx, `SELECT `+articleColumns+` FROM articles WHERE site_id = ? AND path = ?`, siteID, path), true)
	if err != nil {
		return content.Article{}, notFound("article at", path, err)
	}
	return a, nil
}

// where turns a query into a WHERE clause and its arguments. whole is
// true for a question about every matching article (a count, the months),
// false for a page of them in order.
func where(q store.ArticleQuery, whole bool) (string, []any) {
	var (
		conds []string
		args  []any
	)
	add := func(cond string, vals ...any) {
		conds = append(conds, cond)
		args = append(args, vals...)
	}
	switch {
	case q.SiteID != 0 && len(q.SectionIDs) > 0 && (whole || q.Limit == 0 || q.Month != 0 || q.Year != 0):
		// The sections decide the site. The unary + keeps SQLite from
		// walking the site's listing index newest first, reading every
		// row, to count a section or list all of it or one of its months;
		// the sections' covering indexes (migration 0005) answer those. A
		// page of a section's newest articles is another matter: the
		// listing index finds them in order and stops at the page's end,
		// where the sections' index would gather and sort all of them (32
		// ms instead of 1 on a 100,000-article site).
		add("+site_id = ?", q.SiteID)
	case q.SiteID != 0 && len(q.Groups) > 0:
		// The translation groups decide the rows (a sitemap's thousand at
		// a time): without the +, SQLite walked every article of the site
		// by its update index to find them (140 ms a sitemap file on a
		// 10,000-article site, instead of a few).
		add("+site_id = ?", q.SiteID)
	case q.SiteID != 0:
		add("site_id = ?", q.SiteID)
	}
	if q.Language != "" {
		add("language = ?", q.Language)
	}
	if q.Status != "" {
		add("status = ?", q.Status)
	}
	if q.Kind != "" {
		add("kind = ?", q.Kind)
	}
	if len(q.SectionIDs) > 0 {
		vals := make([]any, len(q.SectionIDs))
		for i, id := range q.SectionIDs {
			vals[i] = id
		}
		add("section_id IN ("+placeholders(len(vals))+")", vals...)
	}
	if !q.PublishedBy.IsZero() {
		if q.Year != 0 {
			// A year of a site (a sitemap file) is found by its months;
			// SQLite otherwise walked the site's listing index from the
			// newest article, reading every later year's rows first.
			add("+published_at <= ?", q.PublishedBy.UnixMicro())
		} else {
			add("published_at <= ?", q.PublishedBy.UnixMicro())
		}
	}
	if q.Month != 0 {
		add("pub_month = ?", q.Month)
	}
	if q.Year != 0 {
		add("pub_month BETWEEN ? AND ?", q.Year*100+1, q.Year*100+12)
	}
	for _, w := range q.TitleWords {
		add(`lower(title) LIKE ? ESCAPE '\'`, store.LikeContains(w))
	}
	if len(q.Groups) > 0 {
		vals := make([]any, len(q.Groups))
		for i, id := range q.Groups {
			vals[i] = id
		}
		add("translation_group IN ("+placeholders(len(vals))+")", vals...)
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

func (q queries) Articles(ctx context.Context, aq store.ArticleQuery) ([]content.Article, error) {
	w, args := where(aq, false)
	cols := listColumns
	if aq.WithBody {
		cols = articleColumns
	}
	order := ` ORDER BY published_at DESC, id DESC`
	if aq.ByUpdate {
		order = ` ORDER BY updated_at DESC, id DESC`
	}
	query := `SELECT ` + cols + ` FROM articles` + w + order
	if aq.Limit > 0 {
		query += ` LIMIT ? OFFSET ?`
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
		return nil, fmt.Errorf("sqlite: articles: %w", err)
	}
	defer rows.Close()
	var list []content.Article
	for rows.Next() {
		a, err := scanArticle(rows, withBody)
		if err != nil {
			return nil, fmt.Errorf("sqlite: articles: %w", err)
		}
		list = append(list, a)
	}
	return list, rows.Err()
}

func (q queries) CountArticles(ctx context.Context, aq store.ArticleQuery) (int, error) {
	w, args := where(aq, true)
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT count(*) FROM articles`+w, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count articles: %w", err)
	}
	return n, nil
}

func (q queries) ArticleMonths(ctx context.Context, aq store.ArticleQuery) ([]store.MonthCount, error) {
	w, args := where(aq, true)
	if w == "" {
		w = " WHERE pub_month IS NOT NULL"
	} else {
		w += " AND pub_month IS NOT NULL"
	}
	rows, err := q.r.QueryContext(ctx, `SELECT pub_month, count(*) FROM articles`+w+` GROUP BY pub_month ORDER BY pub_month DESC`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: article months: %w", err)
	}
	defer rows.Close()
	var months []store.MonthCount
	for rows.Next() {
		var key, n int
		if err := rows.Scan(&key, &n); err != nil {
			return nil, fmt.Errorf("sqlite: article months: %w", err)
		}
		months = append(months, store.MonthCount{Year: key / 100, Month: key % 100, Count: n})
	}
	return months, rows.Err()
}

func (q queries) Translations(ctx context.Context, group int64) ([]content.Article, error) {
	return q.articles(ctx, `SELECT `+listColumns+` FROM articles WHERE translation_group = ? ORDER BY id`, group)
}

func nullString(s string) sql.NullString {
	return sql.NullString{String: s, Valid: s != ""}
}
