package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
)

// TestOpenRefusesForeignFiles checks that a file Chancery did not make, a
// damaged one and one from a newer Chancery are refused with the matching
// error, and left byte for byte as they were.
func TestOpenRefusesForeignFiles(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		make func(t *testing.T, path string)
		want error
	}{
		"text file": {
			make: func(t *testing.T, path string) { write(t, path, []byte("these are my notes, not a database\n")) },
			want: store.ErrCorrupt,
		},
		"truncated database": {
			make: func(t *testing.T, path string) {
				src := filepath.Join(t.TempDir(), "full.db")
				s, err := sqlite.Open(ctx, src)
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				b, _ := os.ReadFile(src)
				bad := append([]byte{}, b[:100]...)
				bad = append(bad, bytes.Repeat([]byte{0xAB}, 4000)...)
				write(t, path, bad)
			},
			want: store.ErrCorrupt,
		},
		"another program's database": {
			make: func(t *testing.T, path string) {
				db, err := sql.Open("sqlite", path)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Exec(`CREATE TABLE recipes (name TEXT); INSERT INTO recipes VALUES ('soup')`); err != nil {
					t.Fatal(err)
				}
			},
			want: store.ErrNotChancery,
		},
		"newer schema": {
			make: func(t *testing.T, path string) {
				s, err := sqlite.Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				db, err := sql.Open("sqlite", path)
				if err != nil {
					t.Fatal(err)
				}
				defer db.Close()
				if _, err := db.Exec(`PRAGMA user_version = 999; PRAGMA journal_mode = DELETE`); err != nil {
					t.Fatal(err)
				}
			},
			want: store.ErrTooNew,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "chancery.db")
			c.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := sqlite.Open(ctx, path)
			if err == nil {
				s.Close()
				t.Fatal("Open accepted the file")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Open error = %v; want %v", err, c.want)
			}
			after, _ := os.ReadFile(path)
			if !bytes.Equal(before, after) {
				t.Fatal("Open changed the file it refused")
			}
		})
	}
}

func TestOpenMigratesOnceAndReopens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chancery.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	var mode string
	db, _ := sql.Open("sqlite", path)
	defer db.Close()
	if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode = %q, %v; want wal", mode, err)
	}
	var version int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != sqlite.SchemaVersion() {
		t.Fatalf("user_version = %d, %v; want %d", version, err, sqlite.SchemaVersion())
	}
	s.Close()
	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("reopening a Chancery database: %v", err)
	}
	s.Close()
}

func write(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestUpgradeBuildsSearchIndex opens a database of schema 1 (before the
// search index) with articles in it, and checks that the upgrade indexes
// them.
func TestUpgradeBuildsSearchIndex(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chancery.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
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
	if _, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Statement on Glaciers", BodyHTML: "<p>Ice.</p>", PublishedAt: at}); err != nil {
		t.Fatal(err)
	}
	// Published for a time still to come, before schedules existed.
	future, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Statement Due Next Year", BodyHTML: "<p>Later.</p>", PublishedAt: time.Now().AddDate(1, 0, 0)})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DROP TABLE article_media; DROP TABLE media_texts; DROP INDEX articles_updated; DROP TABLE article_states; ALTER TABLE sites DROP COLUMN require_review; ALTER TABLE sites DROP COLUMN require_two_factor; DROP TABLE revisions; DROP TABLE audit_log; DROP TABLE sign_in_failures; DROP TABLE tokens; DROP TABLE sessions; DROP TABLE site_roles; DROP TABLE users; DROP INDEX articles_due; DROP TABLE redirects; DROP TABLE import_items; DROP TABLE media; ALTER TABLE sites DROP COLUMN address_scheme; ALTER TABLE sites DROP COLUMN channels; DROP INDEX articles_section_month; DROP TABLE pages; DROP TABLE page_epochs; DROP TABLE mail_outbox; DROP TABLE used_tokens; DROP TABLE secrets; ALTER TABLE sites DROP COLUMN feed_summary; DROP TABLE search_fts; DROP INDEX articles_search_key; ALTER TABLE articles DROP COLUMN search_key; PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	s, err = sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("upgrading from schema 1: %v", err)
	}
	defer s.Close()
	res, err := s.Search(ctx, store.SearchQuery{Query: search.Parse("glaciers"), Now: time.Now()})
	if err != nil || res.Total != 1 {
		t.Fatalf("after the upgrade, search = %+v, %v; want the old article", res, err)
	}
	if a, err := s.Article(ctx, future.ID); err != nil || a.Status != content.StatusScheduled {
		t.Fatalf("after the upgrade, the article published for next year is %s (%v); want scheduled", a.Status, err)
	}
}

// TestSearchWindow checks what a query matching more articles than the
// engine ranks returns: the newest, flagged as more.
func TestSearchWindow(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "chancery.db"))
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
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 520
	err = s.InTx(ctx, func(q store.Queries) error {
		for i := range n {
			if _, err := q.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
				Status: content.StatusPublished, Title: fmt.Sprintf("Water Note %d", i), BodyHTML: "<p>Water.</p>",
				PublishedAt: base.Add(time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	q := store.SearchQuery{Query: search.Parse("water"), SiteID: site.ID, Language: "en", Now: base.AddDate(1, 0, 0), ByDate: true, Limit: 20}
	res, err := s.Search(ctx, q)
	if err != nil || !res.More || res.Total >= n || len(res.Hits) != 20 || res.Hits[0].Title != fmt.Sprintf("Water Note %d", n-1) {
		t.Fatalf("common query: total %d, more %v, %d hits, first %q, %v", res.Total, res.More, len(res.Hits), firstTitle(res), err)
	}
	q.From = base
	q.To = base.Add(10 * time.Hour)
	res, err = s.Search(ctx, q)
	if err != nil || res.More || res.Total != 10 || res.Hits[0].Title != "Water Note 9" {
		t.Fatalf("a date range reaches the oldest: total %d, more %v, first %q, %v", res.Total, res.More, firstTitle(res), err)
	}
}

func firstTitle(r store.SearchResult) string {
	if len(r.Hits) == 0 {
		return ""
	}
	return r.Hits[0].Title
}

// TestCheckSchema shows what readiness sees when a newer binary migrates
// the file under a running one.
func TestCheckSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "chancery.db")
	s, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema on a fresh file: %v", err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", sqlite.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	var se *store.SchemaError
	if err := s.CheckSchema(ctx); !errors.As(err, &se) || se.Have != sqlite.SchemaVersion()+1 {
		t.Fatalf("CheckSchema after a newer migration = %v; want a SchemaError", err)
	}
}
