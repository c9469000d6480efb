package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
)

// TestSearchKeysNeverCollide gives two articles of the same second the
// same natural key (IDs a million apart would) and checks that both are
// indexed and found, before and after a reindex.
func TestSearchKeysNeverCollide(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	site, err := s.CreateSite(ctx, content.Site{Key: "un", Hosts: []string{"un.example.org"}, Languages: []string{"en"},
		DefaultLanguage: "en", TimeZone: "UTC", Names: map[string]string{"en": "Mission"}})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "News"}, Slugs: map[string]string{"en": "news"}})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	a, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Glaciers One", BodyHTML: "<p>Ice.</p>", PublishedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	// Take the key the next article would get, as an article a million
	// IDs on would.
	next := a.ID + 1
	var old int64
	if err := s.write.QueryRow(`SELECT search_key FROM articles WHERE id = ?`, a.ID).Scan(&old); err != nil {
		t.Fatal(err)
	}
	for _, stmt := range []struct {
		q    string
		args []any
	}{
		{`DELETE FROM search_fts WHERE rowid = ?`, []any{old}},
		{`UPDATE articles SET search_key = ? WHERE id = ?`, []any{store.SearchKey(at, next), a.ID}},
		{`INSERT INTO search_fts (rowid, title, body, tags) VALUES (?, ?, '', '')`, []any{store.SearchKey(at, next), search.IndexText(a.Title)}},
	} {
		if _, err := s.write.Exec(stmt.q, stmt.args...); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Glaciers Two", BodyHTML: "<p>Ice.</p>", PublishedAt: at}); err != nil {
		t.Fatalf("an article whose natural key is taken: %v", err)
	}
	find := func() int {
		res, err := s.Search(ctx, store.SearchQuery{Query: search.Parse("glaciers"), Now: at.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	if n := find(); n != 2 {
		t.Fatalf("found %d; want both articles", n)
	}
	if _, err := s.Reindex(ctx, nil); err != nil {
		t.Fatalf("reindex with a displaced key: %v", err)
	}
	if n := find(); n != 2 {
		t.Fatalf("after reindex, found %d; want both articles", n)
	}
	var keys int
	if err := s.read.QueryRow(`SELECT count(DISTINCT search_key) FROM articles`).Scan(&keys); err != nil || keys != 2 {
		t.Fatalf("%d distinct keys, %v", keys, err)
	}
}

// TestOpenFinishesAnInterruptedIndexBuild leaves published articles
// without a search key, as a first start cut short would, and checks that
// the next open indexes them.
func TestOpenFinishesAnInterruptedIndexBuild(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chancery.db")
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	site, _ := s.CreateSite(ctx, content.Site{Key: "un", Hosts: []string{"un.example.org"}, Languages: []string{"en"},
		DefaultLanguage: "en", TimeZone: "UTC", Names: map[string]string{"en": "Mission"}})
	sec, _ := s.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "News"}, Slugs: map[string]string{"en": "news"}})
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Glaciers", BodyHTML: "<p>Ice.</p>", PublishedAt: at}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM search_fts; UPDATE articles SET search_key = NULL`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	s, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Search(ctx, store.SearchQuery{Query: search.Parse("glaciers"), Now: at.Add(time.Hour)})
	if err != nil || res.Total != 1 {
		t.Fatalf("after reopening, search = %+v, %v; want the article", res, err)
	}
}
