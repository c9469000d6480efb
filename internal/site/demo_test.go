package site

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/content"
	"chancery/internal/demo"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
	"chancery/internal/theme"
)

// demoHandler serves the demo network from a fresh database.
func demoHandler(tb testing.TB) (http.Handler, store.Store) {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "chancery.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := demo.Load(ctx, st, demo.Build()); err != nil {
		tb.Fatal(err)
	}
	th, err := theme.Load("", nil)
	if err != nil {
		tb.Fatal(err)
	}
	return New(Options{Store: st, Theme: th, Now: func() time.Time { return demoNow }}), st
}

// demoNow is after the last demo article.
var demoNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// maxPageBytes is the budget for one page's HTML; maxStyleBytes for the
// screen and print style sheets together.
const (
	maxPageBytes  = 30 << 10
	maxStyleBytes = 15 << 10
)

// TestCrawlDemo follows every link of the demo sites from their homes and
// checks that each answers 200, is within the size budget and has one h1
// and a main landmark: no page links to a missing address.
func TestCrawlDemo(t *testing.T) {
	h, st := demoHandler(t)
	sites, err := st.Sites(context.Background())
	if err != nil || len(sites) != 2 {
		t.Fatalf("demo sites: %v, %v", sites, err)
	}
	for _, site := range sites {
		host := site.Hosts[0]
		want, err := st.CountArticles(context.Background(), store.ArticleQuery{SiteID: site.ID, Status: content.StatusPublished, PublishedBy: demoNow})
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{"/en/": true, "/zh/": true}
		queue := []string{"/en/", "/zh/"}
		articles := 0
		styleBytes := 0
		for len(queue) > 0 {
			path := queue[0]
			queue = queue[1:]
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://"+host+path, nil))
			if w.Code != http.StatusOK {
				t.Fatalf("%s%s = %d", host, path, w.Code)
			}
			body, _ := io.ReadAll(w.Body)
			if strings.HasPrefix(path, "/static/") {
				styleBytes += len(body)
				continue
			}
			if len(body) > maxPageBytes {
				t.Errorf("%s%s is %d bytes; the budget is %d", host, path, len(body), maxPageBytes)
			}
			d, err := html.Parse(strings.NewReader(string(body)))
			if err != nil {
				t.Fatal(err)
			}
			if n := len(find(d, tag("h1"))); n != 1 {
				t.Errorf("%s%s has %d h1 elements", host, path, n)
			}
			if len(find(d, tag("main"))) != 1 {
				t.Errorf("%s%s has no main landmark", host, path)
			}
			if len(find(d, class("share"))) == 1 {
				articles++
			}
			for _, el := range find(d, func(n *html.Node) bool { return n.Data == "a" || n.Data == "link" }) {
				href := attr(el, "href")
				if el.Data == "link" && attr(el, "rel") != "stylesheet" {
					continue
				}
				if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") && !seen[href] {
					seen[href] = true
					queue = append(queue, href)
				}
			}
		}
		if articles != want {
			t.Errorf("%s: following links reached %d article pages; the site has %d", host, articles, want)
		}
		if styleBytes > maxStyleBytes {
			t.Errorf("style sheets are %d bytes together; the budget is %d", styleBytes, maxStyleBytes)
		}
		t.Logf("%s: %d pages, %d articles", host, len(seen), articles)
	}
}
