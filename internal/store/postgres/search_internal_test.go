package postgres

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
	"chancery/internal/store"
)

func TestTSQuery(t *testing.T) {
	for q, want := range map[string]string{
		"water":                      `('water')`,
		`water "security council"`:   `('water' & ('secur':A <-> 'council':A | 'secur':B <-> 'council':B))`,
		"国":                          `('国':*)`,
		"中国 -drought":                `('中国') & !('drought')`,
		`maritime -"fisheries deal"`: `('maritim') & !(('fisheri':A <-> 'deal':A | 'fisheri':B <-> 'deal':B))`,
		"外交部":                        `(('外交':A <-> '交部':A | '外交':B <-> '交部':B))`,
		"中国人":                        `(('中国':A <-> '国人':A | '中国':B <-> '国人':B))`,
		"美国 a国":                      `('美国' & ('a':A <-> '国':*A | 'a':B <-> '国':*B))`,
	} {
		if got := tsquery(search.Parse(q)); got != want {
			t.Errorf("tsquery(%q) = %s; want %s", q, got, want)
		}
	}
}

func TestTSVector(t *testing.T) {
	for text, want := range map[string]string{
		"":                  "",
		"water secur water": "'water':1,3 'secur':2",
		`it's a\b`:          `'it''s':1 'a\\b':2`,
	} {
		if got := tsvector(text); got != want {
			t.Errorf("tsvector(%q) = %s; want %s", text, got, want)
		}
	}
}

// testStore opens a store on a new database, dropped when the test ends.
func testStore(t *testing.T) (*Store, string) {
	t.Helper()
	admin := os.Getenv("CHANCERY_TEST_POSTGRES")
	if admin == "" {
		t.Skip("PostgreSQL tests are off: set CHANCERY_TEST_POSTGRES=postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable; .ci/run does")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "chancery_test_" + hex.EncodeToString(b)
	db, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("CREATE DATABASE " + name); err != nil {
		db.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer db.Close()
		if _, err := db.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	s, err := Open(context.Background(), u.String())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, u.String()
}

func testSite(t *testing.T, s *Store) (content.Site, content.Section) {
	t.Helper()
	ctx := context.Background()
	site, err := s.CreateSite(ctx, content.Site{Key: "un", Hosts: []string{"un.example.org"}, Languages: []string{"en", "zh"},
		DefaultLanguage: "en", TimeZone: "UTC", Names: map[string]string{"en": "Mission", "zh": "代表团"}})
	if err != nil {
		t.Fatal(err)
	}
	sec, err := s.CreateSection(ctx, content.Section{SiteID: site.ID, Names: map[string]string{"en": "News", "zh": "新闻"},
		Slugs: map[string]string{"en": "news", "zh": "xw"}})
	if err != nil {
		t.Fatal(err)
	}
	return site, sec
}

// TestSearchMatchesLikeFTS5 checks the cases where a tsquery could match
// differently from FTS5: a phrase split between the title and the body,
// and the prefix of a lone Han character.
func TestSearchMatchesLikeFTS5(t *testing.T) {
	ctx := context.Background()
	s, _ := testStore(t)
	site, sec := testSite(t, s)
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(lang, title, body string) content.Article {
		a, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: lang, Kind: content.KindNews,
			Status: content.StatusPublished, Title: title, BodyHTML: "<p>" + body + "</p>", PublishedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	split := mk("en", "Remarks on Security", "Council members met.")
	zh := mk("zh", "中国外交部声明", "国家")
	for q, want := range map[string][]int64{
		`"security council"`: nil,
		"security council":   {split.ID},
		"国":                  {zh.ID},
		"外交部":                {zh.ID},
		"中国外":                {zh.ID},
		"部声":                 {zh.ID},
		"外部":                 nil,
	} {
		res, err := s.Search(ctx, store.SearchQuery{Query: search.Parse(q), SiteID: site.ID, Now: at.Add(time.Hour)})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var got []int64
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		if len(got) != len(want) || (len(want) > 0 && got[0] != want[0]) {
			t.Errorf("search %s = %v; want %v", q, got, want)
		}
	}
}

// TestSearchKeysNeverCollide gives two articles of the same second the
// same natural key (IDs a million apart would) and checks that both are
// indexed and found, before and after a reindex.
func TestSearchKeysNeverCollide(t *testing.T) {
	ctx := context.Background()
	s, _ := testStore(t)
	site, sec := testSite(t, s)
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	a, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Glaciers One", BodyHTML: "<p>Ice.</p>", PublishedAt: at})
	if err != nil {
		t.Fatal(err)
	}
	// Take the key the next article would get, as an article a million
	// IDs on would.
	if _, err := s.db.Exec(`UPDATE articles SET search_key = $1 WHERE id = $2`, store.SearchKey(at, a.ID+1), a.ID); err != nil {
		t.Fatal(err)
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
	stats, err := s.Reindex(ctx, nil)
	if err != nil {
		t.Fatalf("reindex with a displaced key: %v", err)
	}
	if stats.Articles != 2 || stats.IndexBytes == 0 {
		t.Fatalf("reindex stats %+v", stats)
	}
	if n := find(); n != 2 {
		t.Fatalf("after reindex, found %d; want both articles", n)
	}
	var keys int
	if err := s.db.QueryRow(`SELECT count(DISTINCT search_key) FROM articles`).Scan(&keys); err != nil || keys != 2 {
		t.Fatalf("%d distinct keys, %v", keys, err)
	}
}

// TestOpenFinishesAnInterruptedIndexBuild leaves published articles
// without a search key, as a first start cut short would, and checks that
// the next open indexes them.
func TestOpenFinishesAnInterruptedIndexBuild(t *testing.T) {
	ctx := context.Background()
	s, dbURL := testStore(t)
	site, sec := testSite(t, s)
	at := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if _, err := s.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusPublished, Title: "Glaciers", BodyHTML: "<p>Ice.</p>", PublishedAt: at}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE articles SET search_key = NULL, search_title = NULL, search_body = NULL, search_tags = NULL`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Search(ctx, store.SearchQuery{Query: search.Parse("glaciers"), Now: at.Add(time.Hour)})
	if err != nil || res.Total != 1 {
		t.Fatalf("after reopening, search = %+v, %v; want the article", res, err)
	}
}

// TestTSVectorIsToTSVector checks that the vectors built in Go are what
// to_tsvector('simple', …) makes of the same IndexText on a server whose
// parser keeps every token whole (a UTF-8 locale): the same lexemes at
// the same positions.
func TestTSVectorIsToTSVector(t *testing.T) {
	s, _ := testStore(t)
	for _, text := range []string{
		"Statement by Ambassador Ló on Water Security: the Council's 2024 session, COVID-19 and ﬁsheries.",
		"中华人民共和国常驻联合国代表团。大使在安理会公开辩论会上的发言",
		"Water, water and more water: 水 water 中文",
	} {
		idx := search.IndexText(text)
		var same bool
		var pg, ours string
		if err := s.db.QueryRow(`SELECT $1::tsvector = to_tsvector('simple', $2), to_tsvector('simple', $2)::text, $1::tsvector::text`,
			tsvector(idx), idx).Scan(&same, &pg, &ours); err != nil {
			t.Fatal(err)
		}
		if !same {
			t.Errorf("IndexText %q:\nto_tsvector %s\nours        %s", idx, pg, ours)
		}
	}
}
