package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
	"chancery/internal/store/postgres"
)

func exec(t *testing.T, dbURL string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
}

// tables lists the database's tables, to tell that a refused database
// was left alone.
func tables(t *testing.T, dbURL string) string {
	t.Helper()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var list string
	if err := db.QueryRow(`SELECT coalesce(string_agg(table_name, ',' ORDER BY table_name), '') FROM information_schema.tables WHERE table_schema = 'public'`).Scan(&list); err != nil {
		t.Fatal(err)
	}
	return list
}

// TestOpenRefusesForeignDatabases checks that a database Chancery did not
// make and one from a newer Chancery are refused with the matching error,
// and left as they were.
func TestOpenRefusesForeignDatabases(t *testing.T) {
	ctx := context.Background()
	cases := map[string]struct {
		make  func(t *testing.T, dbURL string)
		check func(t *testing.T, dbURL string)
		want  error
	}{
		"another program's database": {
			make: func(t *testing.T, dbURL string) {
				exec(t, dbURL, `CREATE TABLE recipes (name TEXT)`, `INSERT INTO recipes VALUES ('soup')`)
			},
			want: store.ErrNotChancery,
		},
		"newer schema": {
			make: func(t *testing.T, dbURL string) {
				s, err := postgres.Open(ctx, dbURL)
				if err != nil {
					t.Fatal(err)
				}
				s.Close()
				exec(t, dbURL, `UPDATE chancery_schema SET version = 999`)
			},
			check: func(t *testing.T, dbURL string) {
				db, _ := sql.Open("pgx", dbURL)
				defer db.Close()
				var v int
				if err := db.QueryRow(`SELECT version FROM chancery_schema`).Scan(&v); err != nil || v != 999 {
					t.Fatalf("schema version after the refusal = %d, %v; want 999", v, err)
				}
			},
			want: store.ErrTooNew,
		},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dbURL := newDatabase(t)
			c.make(t, dbURL)
			before := tables(t, dbURL)
			s, err := postgres.Open(ctx, dbURL)
			if err == nil {
				s.Close()
				t.Fatal("Open accepted the database")
			}
			if !errors.Is(err, c.want) {
				t.Fatalf("Open error = %v; want %v", err, c.want)
			}
			if errors.Is(c.want, store.ErrTooNew) {
				var se *store.SchemaError
				if !errors.As(err, &se) || se.Have != 999 || se.Know != postgres.SchemaVersion() {
					t.Fatalf("Open error = %#v; want a SchemaError of 999 and %d", err, postgres.SchemaVersion())
				}
			}
			if after := tables(t, dbURL); after != before {
				t.Fatalf("Open changed the tables it refused: %s, then %s", before, after)
			}
			if c.check != nil {
				c.check(t, dbURL)
			}
		})
	}
}

func TestOpenMigratesOnceAndReopens(t *testing.T) {
	ctx := context.Background()
	s, dbURL := openNew(t)
	s.Close()
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var version, rows int
	if err := db.QueryRow(`SELECT max(version), count(*) FROM chancery_schema`).Scan(&version, &rows); err != nil || version != postgres.SchemaVersion() || rows != 1 {
		t.Fatalf("chancery_schema = %d (%d rows), %v; want %d", version, rows, err, postgres.SchemaVersion())
	}
	s, err = postgres.Open(ctx, dbURL)
	if err != nil {
		t.Fatalf("reopening a Chancery database: %v", err)
	}
	s.Close()
}

func newTestSite(t *testing.T, s store.Store) (content.Site, content.Section) {
	t.Helper()
	ctx := context.Background()
	site, err := s.CreateSite(ctx, content.Site{Key: "un", Hosts: []string{"un.example.org"}, Languages: []string{"en"},
		DefaultLanguage: "en", TimeZone: "UTC", Names: map[string]string{"en": "Mission"}})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "News"}, Slugs: map[string]string{"en": "news"}})
	if err != nil {
		t.Fatal(err)
	}
	return site, sec
}

// TestUpgradeBuildsSearchIndex opens a database of schema 1 (before the
// search index) with articles in it, and checks that the upgrade indexes
// them.
func TestUpgradeBuildsSearchIndex(t *testing.T) {
	ctx := context.Background()
	s, dbURL := openNew(t)
	site, sec := newTestSite(t, s)
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
	exec(t, dbURL, `DROP TABLE article_media, media_texts`, `DROP INDEX articles_updated`, `DROP TABLE article_states`, `ALTER TABLE sites DROP COLUMN require_review, DROP COLUMN require_two_factor`,
		`DROP TABLE revisions, audit_log, sign_in_failures, tokens, sessions, site_roles, users`, `DROP INDEX articles_due`, `DROP TABLE redirects, import_items, media`, `ALTER TABLE sites DROP COLUMN address_scheme, DROP COLUMN channels`, `DROP INDEX articles_section_month`, `DROP TABLE pages, page_epochs, mail_outbox, used_tokens, secrets`, `ALTER TABLE sites DROP COLUMN feed_summary`,
		`ALTER TABLE articles DROP COLUMN search_key, DROP COLUMN search_title, DROP COLUMN search_body, DROP COLUMN search_tags`,
		`UPDATE chancery_schema SET version = 1`)

	s, err = postgres.Open(ctx, dbURL)
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
	s, _ := openNew(t)
	defer s.Close()
	site, sec := newTestSite(t, s)
	base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 520
	err := s.InTx(ctx, func(q store.Queries) error {
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

// TestConflictKeepsTransaction checks that a write refused as a conflict
// inside InTx leaves the transaction usable, as in SQLite: the conflicts
// are found before anything is written, so no statement fails.
func TestConflictKeepsTransaction(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t)
	defer s.Close()
	site, sec := newTestSite(t, s)
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	en, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Statement", BodyHTML: "<p>Ice.</p>", PublishedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(q store.Queries) error {
		dup := site
		dup.ID, dup.Key = 0, "other"
		if _, err := q.CreateSite(ctx, dup); !errors.Is(err, content.ErrConflict) {
			t.Errorf("a taken host: %v; want ErrConflict", err)
		}
		dupKey := site
		dupKey.ID, dupKey.Hosts = 0, []string{"other.example.org"}
		if _, err := q.CreateSite(ctx, dupKey); !errors.Is(err, content.ErrConflict) {
			t.Errorf("a taken key: %v; want ErrConflict", err)
		}
		if _, err := q.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "More news"},
			Slugs: map[string]string{"en": "news"}}); !errors.Is(err, content.ErrConflict) {
			t.Errorf("a taken sibling slug: %v; want ErrConflict", err)
		}
		again := en
		again.ID, again.Title = 0, "Second English version"
		if _, err := q.CreateArticle(ctx, again); !errors.Is(err, content.ErrConflict) {
			t.Errorf("a second version in one language: %v; want ErrConflict", err)
		}
		_, err := q.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "Events"},
			Slugs: map[string]string{"en": "events"}})
		return err
	})
	if err != nil {
		t.Fatalf("the transaction after refused writes: %v", err)
	}
	if sections, err := s.Sections(ctx, site.ID); err != nil || len(sections) != 2 {
		t.Fatalf("sections after the transaction: %d, %v; want 2", len(sections), err)
	}
}

// TestCheckSchema shows what readiness sees when a newer binary migrates
// the database under a running one.
func TestCheckSchema(t *testing.T) {
	ctx := context.Background()
	s, dbURL := openNew(t)
	defer s.Close()
	if err := s.CheckSchema(ctx); err != nil {
		t.Fatalf("CheckSchema on a fresh database: %v", err)
	}
	exec(t, dbURL, fmt.Sprintf(`INSERT INTO chancery_schema VALUES (%d)`, postgres.SchemaVersion()+1))
	var se *store.SchemaError
	if err := s.CheckSchema(ctx); !errors.As(err, &se) || se.Have != postgres.SchemaVersion()+1 {
		t.Fatalf("CheckSchema after a newer migration = %v; want a SchemaError", err)
	}
}

// TestNewSiteHasItsPageEpoch: a site's page epoch row exists from its
// creation, so PutPageAt's lock on it makes a page rendered before a
// publish wait for the publish (and then be refused) from the first
// publish on; a missing row locked nothing.
func TestNewSiteHasItsPageEpoch(t *testing.T) {
	ctx := context.Background()
	s, _ := openNew(t)
	defer s.Close()
	site, _ := newTestSite(t, s)
	epochs, err := s.Pages().PageEpochs(ctx)
	if e, ok := epochs[site.ID]; err != nil || !ok || e != 0 {
		t.Fatalf("page epochs after creating site %d: %v, %v; want its row, at 0", site.ID, epochs, err)
	}
}
