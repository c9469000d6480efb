package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
)

// network opens a new store at dir/chancery.db with one site and section.
func network(t *testing.T, dir string) (*sqlite.Store, content.Site, content.Section) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(dir, "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	site, err := s.CreateSite(ctx, content.Site{
		Key: "un", Names: map[string]string{"en": "Mission of Example", "zh": "示例代表团"},
		Hosts: []string{"un.example.org"}, Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "America/New_York",
	})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.CreateSection(ctx, content.Section{SiteID: site.ID, Position: 1, InNav: true,
		Names: map[string]string{"en": "News", "zh": "新闻"}, Slugs: map[string]string{"en": "news", "zh": "xw"}})
	if err != nil {
		t.Fatal(err)
	}
	return s, site, sec
}

func article(site content.Site, sec content.Section, i int) content.Article {
	title := fmt.Sprintf("Statement number %d on cooperation", i)
	return content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindStatement,
		Status: content.StatusPublished, Title: title, Summary: "A summary.", Body: "Body of " + title,
		BodyHTML: "<p>Body of " + title + "</p>", PublishedAt: time.Date(2025, 5, 1, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Minute)}
}

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, site, sec := network(t, dir)
	for i := range 50 {
		if _, err := s.CreateArticle(ctx, article(site, sec, i)); err != nil {
			t.Fatal(err)
		}
	}
	var written atomic.Int64
	written.Store(50)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 50; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			// Each article with its translation, in one transaction: a
			// consistent copy holds both or neither.
			err := s.InTx(ctx, func(q store.Queries) error {
				en, err := q.CreateArticle(ctx, article(site, sec, i))
				if err != nil {
					return err
				}
				zh := article(site, sec, i)
				zh.Language, zh.Title, zh.TranslationGroup = "zh", fmt.Sprintf("第%d号声明", i), en.ID
				_, err = q.CreateArticle(ctx, zh)
				return err
			})
			if err != nil {
				writeErr = err
				return
			}
			written.Add(2)
		}
	}()
	out := t.TempDir()
	for round := range 3 {
		before := written.Load()
		dst := filepath.Join(out, fmt.Sprintf("b%d.db", round))
		info, err := Backup(ctx, filepath.Join(dir, "chancery.db"), dst, false)
		if err != nil {
			t.Fatal(err)
		}
		if info.Sites != 1 || int64(info.Articles) < before || info.Path != dst || info.Schema != sqlite.SchemaVersion() {
			t.Fatalf("backup %d: %+v; want 1 site and at least %d articles", round, info, before)
		}
		db, err := sql.Open("sqlite", dsn(dst, "mode=ro"))
		if err != nil {
			t.Fatal(err)
		}
		var articles, pairs, indexed int
		db.QueryRow("SELECT count(*) FROM articles").Scan(&articles)
		db.QueryRow("SELECT count(*) FROM articles WHERE language = 'zh' AND translation_group IN (SELECT id FROM articles WHERE language = 'en')").Scan(&pairs)
		db.QueryRow("SELECT count(*) FROM articles WHERE search_key IS NOT NULL").Scan(&indexed)
		db.Close()
		if articles != info.Articles || (articles-50)%2 != 0 || pairs != (articles-50)/2 || indexed != articles {
			t.Fatalf("backup %d: %d articles, %d translated pairs, %d indexed: not a consistent snapshot", round, articles, pairs, indexed)
		}
		// The copy opens as a Chancery database.
		c, err := sqlite.Open(ctx, dst)
		if err != nil {
			t.Fatalf("open the backup: %v", err)
		}
		sites, err := c.Sites(ctx)
		c.Close()
		if err != nil || len(sites) != 1 {
			t.Fatalf("sites in the backup: %v, %v", sites, err)
		}
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("writer: %v", writeErr)
	}
	t.Logf("%d articles written in all", written.Load())
	entries, _ := os.ReadDir(out)
	if len(entries) != 3 {
		t.Fatalf("%d files in the backup directory; want 3 and no temporary file", len(entries))
	}
}

func TestBackupRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, _, _ := network(t, dir)
	src := s.Path()
	dst := filepath.Join(t.TempDir(), "b.db")
	if err := os.WriteFile(dst, []byte("keep me"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Backup(ctx, src, dst, false); !errors.Is(err, os.ErrExist) {
		t.Fatalf("existing destination: %v", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "keep me" {
		t.Fatal("the existing file was changed")
	}
	if _, err := Backup(ctx, src, dst, true); err != nil {
		t.Fatalf("--force: %v", err)
	}
	if _, err := Check(ctx, dst); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(t.TempDir(), "other.db")
	otherProgram(t, foreign)
	if _, err := Backup(ctx, foreign, filepath.Join(t.TempDir(), "x.db"), false); !errors.Is(err, store.ErrNotChancery) {
		t.Fatalf("foreign source: %v", err)
	}
}

// otherProgram makes an SQLite database that is not Chancery's.
func otherProgram(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT); INSERT INTO notes (text) VALUES ('hello')"); err != nil {
		t.Fatal(err)
	}
}

func TestCheckRefuses(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, site, sec := network(t, dir)
	for i := range 300 {
		if _, err := s.CreateArticle(ctx, article(site, sec, i)); err != nil {
			t.Fatal(err)
		}
	}
	good := filepath.Join(t.TempDir(), "good.db")
	if _, err := Backup(ctx, s.Path(), good, false); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(good)
	tmp := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	newer := write("newer.db", data)
	db, _ := sql.Open("sqlite", dsn(newer, ""))
	if _, err := db.Exec(fmt.Sprintf("PRAGMA user_version = %d", sqlite.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	foreign := filepath.Join(tmp, "foreign.db")
	otherProgram(t, foreign)
	var schema *store.SchemaError
	for _, c := range []struct {
		path string
		want error
	}{
		{write("half.db", data[:len(data)/2]), ErrTruncated},
		{write("header.db", data[:60]), ErrTruncated},
		{write("text.db", []byte("these are my notes, not a database\n")), store.ErrCorrupt},
		{write("empty", nil), store.ErrCorrupt},
		{foreign, store.ErrNotChancery},
		{newer, store.ErrTooNew},
	} {
		_, err := Check(ctx, c.path)
		if !errors.Is(err, c.want) {
			t.Errorf("Check(%s) = %v; want %v", filepath.Base(c.path), err, c.want)
		}
		if c.want == store.ErrTooNew && !errors.As(err, &schema) {
			t.Errorf("no SchemaError in %v", err)
		}
	}
	// A page overwritten in the middle is found by quick_check.
	damaged := append([]byte(nil), data...)
	for i := 4096 * 3; i < 4096*5 && i < len(damaged); i++ {
		damaged[i] = 0xAB
	}
	if _, err := Check(ctx, write("damaged.db", damaged)); err == nil {
		t.Error("a database with overwritten pages passed the check")
	}
	if info, err := Check(ctx, good); err != nil || info.Articles != 300 || info.Sites != 1 {
		t.Fatalf("good backup: %+v, %v", info, err)
	}
}

func TestRestore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, site, sec := network(t, dir)
	path := s.Path()
	if _, err := s.CreateArticle(ctx, article(site, sec, 1)); err != nil {
		t.Fatal(err)
	}
	bak := filepath.Join(t.TempDir(), "b.db")
	if _, err := Backup(ctx, path, bak, false); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateArticle(ctx, article(site, sec, 2)); err != nil {
		t.Fatal(err)
	}
	// An open store (a server) keeps the database in use.
	if _, err := Restore(ctx, bak, path, time.Now()); !errors.Is(err, ErrInUse) {
		t.Fatalf("restore while open: %v; want ErrInUse", err)
	}
	s.Close()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	res, err := Restore(ctx, bak, path, now)
	if err != nil {
		t.Fatal(err)
	}
	if res.Articles != 1 || res.Previous != path+".before-restore-20260102T030405Z" {
		t.Fatalf("restore: %+v", res)
	}
	prev, err := Check(ctx, res.Previous)
	if err != nil || prev.Articles != 2 {
		t.Fatalf("previous database: %+v, %v", prev, err)
	}
	r, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	n, err := r.CountArticles(ctx, store.ArticleQuery{})
	r.Close()
	if err != nil || n != 1 {
		t.Fatalf("restored: %d articles, %v", n, err)
	}
	// A second restore in the same second keeps both previous databases.
	res2, err := Restore(ctx, bak, path, now)
	if err != nil || res2.Previous == res.Previous {
		t.Fatalf("second restore: %+v, %v", res2, err)
	}
}
