package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

// TestQueryPlans: the two questions of a sitemap file, a year of a site
// and the translations of a thousand articles, and the scheduler's
// question asked every second, are answered from the indexes that hold
// just those rows, not by walking every article of the site (which made
// each sitemap file cost 140 ms on a 10,000-article site, and an idle
// server a third of a CPU on 100,000). The plan is SQLite's choice, so
// this reads it.
func TestQueryPlans(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	published := store.Published(1, "en", time.Now())
	year := published
	year.Year, year.Limit = 2024, 1000
	groups := store.ArticleQuery{SiteID: 1, Status: content.StatusPublished, PublishedBy: time.Now(), Groups: []int64{1, 2, 3}}
	for _, c := range []struct {
		name  string
		q     store.ArticleQuery
		index string
	}{{"a year", year, "articles_month"}, {"translations", groups, "articles_translation"}} {
		w, args := where(c.q, false)
		checkPlan(t, s, c.name, c.index, `SELECT `+listColumns+` FROM articles`+w+` ORDER BY published_at DESC, id DESC LIMIT 1000 OFFSET 0`, args...)
	}
	checkPlan(t, s, "due articles", "articles_due", store.DueArticlesQuery, time.Now().UnixMicro(), 0, 100)
}

// checkPlan fails t unless SQLite's plan for query uses index.
func checkPlan(t *testing.T, s *Store, name, index, query string, args ...any) {
	t.Helper()
	rows, err := s.read.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, detail)
	}
	if !strings.Contains(strings.Join(plan, "; "), "INDEX "+index) {
		t.Errorf("%s: plan %q; want it to use %s", name, plan, index)
	}
}
