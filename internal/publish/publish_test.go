package publish_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"database/sql"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/testdb"
	"chancery/internal/theme"
)

const host = "un.example.test"

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// world is a small site served through the page store, with a counter of
// the pages the dynamic handler had to render.
type world struct {
	st        store.Store
	th        *theme.Theme
	server    *publish.Server
	pub       *publish.Publisher
	rendered  atomic.Int64
	site      content.Site
	news      content.Section
	statement content.Article
	draft     content.Article
	// clock is the time every part of the world reads (now, unless a
	// test moves it).
	clock time.Time
}

func newWorld(t testing.TB, st store.Store) *world {
	t.Helper()
	ctx := context.Background()
	w := &world{st: st, clock: now}
	tick := func() time.Time { return w.clock }
	var err error
	if w.site, err = st.CreateSite(ctx, content.Site{Key: "un", Hosts: []string{host}, Languages: []string{"en", "zh"}, DefaultLanguage: "en",
		TimeZone: "America/New_York", Names: map[string]string{"en": "Mission of Example", "zh": "示例代表团"}}); err != nil {
		t.Fatal(err)
	}
	if w.news, err = st.CreateSection(ctx, content.Section{SiteID: w.site.ID, InNav: true, Names: map[string]string{"en": "News", "zh": "新闻"},
		Slugs: map[string]string{"en": "news", "zh": "xw"}}); err != nil {
		t.Fatal(err)
	}
	art := func(title string, status content.Status, at time.Time) content.Article {
		html, _ := markup.Render("The text of " + title + ".")
		a, err := st.CreateArticle(ctx, content.Article{SiteID: w.site.ID, SectionID: w.news.ID, Language: "en", Kind: content.KindNews,
			Status: status, Title: title, Summary: "About " + title, Body: "The text of " + title + ".", BodyHTML: html, PublishedAt: at})
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	w.statement = art("Statement on Water", content.StatusPublished, now.AddDate(0, -1, 0))
	w.draft = art("Statement on Glaciers", content.StatusDraft, time.Time{})
	if w.th, err = theme.Load("", nil); err != nil {
		t.Fatal(err)
	}
	next := site.New(site.Options{Store: st, Theme: w.th, NetworkHost: "localhost", Now: tick})
	counted := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.rendered.Add(1)
		next.ServeHTTP(rw, r)
	})
	w.server = publish.NewServer(publish.ServerOptions{Store: st, Next: counted, NetworkHost: "localhost", Now: tick})
	w.pub = &publish.Publisher{Store: st, Theme: w.th, NetworkHost: "localhost", Server: w.server, Now: tick}
	return w
}

func (w *world) get(t *testing.T, path string, headers ...string) (*http.Response, string) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://"+host+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	rec := httptest.NewRecorder()
	w.server.ServeHTTP(rec, r)
	resp := rec.Result()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestServeFromTheStore(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		w := newWorld(t, st)
		resp, first := w.get(t, "/en/")
		if resp.StatusCode != http.StatusOK || !strings.Contains(first, "Statement on Water") || w.rendered.Load() != 1 {
			t.Fatalf("first GET /en/ = %d, rendered %d times", resp.StatusCode, w.rendered.Load())
		}
		if _, again := w.get(t, "/en/"); again != first || w.rendered.Load() != 1 {
			t.Fatalf("second GET /en/ rendered again (%d) or differs", w.rendered.Load())
		}
		if n, _ := st.Pages().PageCount(context.Background(), w.site.ID); n != 1 {
			t.Fatalf("%d pages stored; want 1", n)
		}
		// A new server on the same database (a restart) serves it at once.
		restarted := publish.NewServer(publish.ServerOptions{Store: st, NetworkHost: "localhost",
			Next: http.HandlerFunc(func(http.ResponseWriter, *http.Request) { t.Fatal("a restarted server rendered a stored page") })})
		rec := httptest.NewRecorder()
		restarted.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+host+"/en/", nil))
		if rec.Body.String() != first {
			t.Fatal("after a restart the stored page differs")
		}
		// Dynamic pages and answers other than 200 are not kept.
		for _, p := range []string{"/en/search/?q=water", "/en/no-such-page", "/en", "/"} {
			w.get(t, p)
		}
		if n, _ := st.Pages().PageCount(context.Background(), w.site.ID); n != 1 {
			t.Fatalf("%d pages stored after dynamic requests; want still 1", n)
		}
	})
}

func TestNegotiation(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		w := newWorld(t, st)
		_, plain := w.get(t, w.statement.Path)
		decode := map[string]func([]byte) string{
			"br": func(b []byte) string { out, _ := io.ReadAll(brotli.NewReader(bytes.NewReader(b))); return string(out) },
			"gzip": func(b []byte) string {
				zr, _ := gzip.NewReader(bytes.NewReader(b))
				out, _ := io.ReadAll(zr)
				return string(out)
			},
			"": func(b []byte) string { return string(b) },
		}
		for _, tt := range []struct{ accept, want string }{
			{"br, gzip", "br"}, {"gzip, deflate", "gzip"}, {"", ""}, {"identity", ""}, {"br;q=0, gzip", "gzip"},
			{"gzip;q=0.5, br;q=0.4", "gzip"}, {"*", "br"}, {"*;q=0, identity", ""}, {"BR", "br"},
			{"br;q=abc, gzip;q=2, x;q=1", ""}, {strings.Repeat("gzip;q=0.1, ", 5000), "gzip"}, {"br;;;;q=1", ""}, {",,,", ""},
		} {
			resp, body := w.get(t, w.statement.Path, "Accept-Encoding", tt.accept)
			got := resp.Header.Get("Content-Encoding")
			if resp.StatusCode != http.StatusOK || got != tt.want || decode[got]([]byte(body)) != plain {
				t.Errorf("Accept-Encoding %.40q: %d %q; want 200 %q with the same page", tt.accept, resp.StatusCode, got, tt.want)
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") {
				t.Error("no Vary: Accept-Encoding")
			}
			// Each variant revalidates with its own tag.
			again, _ := w.get(t, w.statement.Path, "Accept-Encoding", tt.accept, "If-None-Match", resp.Header.Get("ETag"))
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("If-None-Match of the %q variant = %d; want 304", got, again.StatusCode)
			}
		}
		for _, inm := range []string{`"nope"`, `W/"x", "y"`, strings.Repeat(`"a",`, 10000), "garbage\x01", `*`} {
			resp, _ := w.get(t, w.statement.Path, "If-None-Match", inm)
			want := http.StatusOK
			if inm == "*" {
				want = http.StatusNotModified
			}
			if resp.StatusCode != want {
				t.Errorf("If-None-Match %.30q = %d; want %d", inm, resp.StatusCode, want)
			}
		}
		for _, rng := range []string{"bytes=0-10", "bytes=999999-", "bytes=abc", "pages=1"} {
			resp, body := w.get(t, w.statement.Path, "Range", rng)
			if resp.StatusCode != http.StatusOK || body != plain {
				t.Errorf("Range %q = %d; want the whole page", rng, resp.StatusCode)
			}
		}
		r := httptest.NewRequest(http.MethodHead, "http://"+host+w.statement.Path, nil)
		rec := httptest.NewRecorder()
		w.server.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
			t.Errorf("HEAD = %d with %d bytes", rec.Code, rec.Body.Len())
		}
	})
}

func TestPublishRendersWhatItShowsOn(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		// Readers have seen the home, the section and the old statement.
		for _, p := range []string{"/en/", "/en/news/", w.statement.Path, "/en/feed.xml"} {
			w.get(t, p)
		}
		_, oldStatement := w.get(t, w.statement.Path)
		before := w.rendered.Load()

		a, res, err := w.pub.Publish(ctx, w.draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{a.Path, "/en/"} {
			if !contains(res.Rendered, want) {
				t.Errorf("the publish did not render %s (rendered %v)", want, res.Rendered)
			}
		}
		for _, want := range []string{"/en/news/", "/en/news/2026/03/", "/en/news/2026/", "/sitemap.xml", "/en/sitemap-2026.xml",
			"/en/feed.xml", "/en/atom.xml", "/en/feed.json", "/en/news/feed.xml"} {
			if !contains(res.Removed, want) {
				t.Errorf("the publish did not drop %s (dropped %v)", want, res.Removed)
			}
		}
		if contains(res.Rendered, w.statement.Path) {
			t.Error("the publish rendered an article it does not touch")
		}
		for _, p := range []string{"/en/", "/en/news/", a.Path, "/en/feed.xml"} {
			if _, body := w.get(t, p); !strings.Contains(body, "Statement on Glaciers") {
				t.Errorf("%s does not show the published article", p)
			}
		}
		// The home and the article were rendered by the publish; the
		// section's listing and the feed, dropped, are rendered for their
		// next reader.
		if w.rendered.Load() != before+2 {
			t.Fatalf("readers caused %d renders after the publish; want 2 (the section listing and the feed)", w.rendered.Load()-before)
		}
		if _, body := w.get(t, w.statement.Path); body != oldStatement {
			t.Error("an article the publish does not touch changed")
		}

		// Withdraw: the notice on the page, gone from the listings.
		if _, _, err := w.pub.Withdraw(ctx, a.ID, "Issued in error.", nil); err != nil {
			t.Fatal(err)
		}
		if _, body := w.get(t, "/en/"); strings.Contains(body, "Statement on Glaciers") {
			t.Error("the home still lists the withdrawn article")
		}
		if resp, body := w.get(t, a.Path); resp.StatusCode != http.StatusOK || !strings.Contains(body, "withdrawn") {
			t.Errorf("the withdrawn article's page = %d without the notice", resp.StatusCode)
		}
		if _, _, err := w.pub.Withdraw(ctx, a.ID, "Issued in error.", nil); err == nil {
			t.Error("withdrawing twice succeeded")
		}
	})
}

// TestStoredPagesStayTrue: after a publish and a withdrawal, every page
// the store still holds is byte for byte what rendering it then gives. The
// pages a change shows on are rendered or dropped, and nothing else shows
// it: a month archive of another month (kept, as old month archives are)
// lists only its own month's articles.
func TestStoredPagesStayTrue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		fresh := site.New(site.Options{Store: st, Theme: w.th, NetworkHost: "localhost", Now: func() time.Time { return w.clock }})
		seen := []string{"/en/", "/en/news/", "/en/news/2026/", "/en/news/2026/02/", w.statement.Path,
			"/en/feed.xml", "/en/news/atom.xml", "/sitemap.xml", "/en/sitemap.xml", "/en/sitemap-2026.xml", "/zh/"}
		check := func(when string) {
			t.Helper()
			for _, p := range seen {
				w.get(t, p)
			}
			kept := 0
			err := st.Pages().EachPage(ctx, w.site.ID, func(sp store.StoredPage) error {
				rec := httptest.NewRecorder()
				fresh.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+host+sp.Path, nil))
				if rec.Code == http.StatusOK && !bytes.Equal(rec.Body.Bytes(), sp.Body) {
					t.Errorf("%s: the stored %s is not what it renders now", when, sp.Path)
				}
				kept++
				return nil
			})
			if err != nil || kept < len(seen)-2 {
				t.Fatalf("%s: %d stored pages, %v", when, kept, err)
			}
		}
		check("before")
		// Sitemaps date pages to the second by their articles' update
		// times, which the store takes from the wall clock: a publish in
		// the same second as the pages' rendering could hide a stale one.
		time.Sleep(1100 * time.Millisecond)
		a, _, err := w.pub.Publish(ctx, w.draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		fresh.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+host+"/en/news/2026/02/", nil))
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), "/en/news/2026/03/") {
			t.Errorf("February's archive (%d) links to March: a publish in March changes it", rec.Code)
		}
		seen = append(seen, a.Path)
		check("after a publish")
		if _, _, err := w.pub.Withdraw(ctx, a.ID, "Issued in error.", nil); err != nil {
			t.Fatal(err)
		}
		check("after a withdrawal")
	})
}

// TestBrokenThemeKeepsThePublishedPages: a page that cannot be rendered
// stops the publish, which says which page and why; nothing changes.
func TestBrokenThemeKeepsThePublishedPages(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		_, home := w.get(t, "/en/")
		dir := t.TempDir()
		os.MkdirAll(filepath.Join(dir, "templates"), 0o755)
		os.WriteFile(filepath.Join(dir, "templates", "article.html"), []byte(`{{define "main"}}{{.Body.NoSuchField}}{{end}}`), 0o644)
		broken, err := theme.Load(dir, nil)
		if err != nil {
			t.Fatal(err)
		}
		pub := &publish.Publisher{Store: st, Theme: broken, NetworkHost: "localhost", Server: w.server, Now: func() time.Time { return now }}
		_, _, err = pub.Publish(ctx, w.draft.ID)
		var re *publish.RenderError
		if !errors.As(err, &re) || !strings.Contains(re.Path, "statement-on-glaciers") || !strings.Contains(err.Error(), "NoSuchField") {
			t.Fatalf("publish with a broken theme = %v; want a RenderError naming the article page and the reason", err)
		}
		if a, _ := st.Article(ctx, w.draft.ID); a.Status != content.StatusDraft {
			t.Fatalf("the article is %s after a failed publish; want still a draft", a.Status)
		}
		if _, now := w.get(t, "/en/"); now != home {
			t.Fatal("a failed publish changed the served home page")
		}
	})
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func TestPrepareDropsPagesOfAnotherRendering(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		count := func() int { n, _ := st.Pages().PageCount(ctx, w.site.ID); return n }
		if before := count(); before != 0 {
			t.Fatalf("a new site has %d stored pages", before)
		}
		if n, err := publish.Prepare(ctx, st, "build-1", now); err != nil || n != 0 || count() != 1 {
			t.Fatalf("first Prepare = %d, %v, %d pages; want nothing dropped (a new store), its marker kept", n, err, count())
		}
		w.get(t, "/en/")
		w.get(t, "/en/news/")
		before := count()
		if n, err := publish.Prepare(ctx, st, "build-1", now); err != nil || n != 0 || count() != before {
			t.Fatalf("Prepare with the same fingerprint = %d, %v, %d pages; want nothing dropped", n, err, count())
		}
		epoch, _ := st.Pages().PageEpoch(ctx, w.site.ID)
		if n, err := publish.Prepare(ctx, st, "build-2", now); err != nil || n != 1 || count() != 1 {
			t.Fatalf("Prepare with a new fingerprint = %d, %v, %d pages; want only its marker left", n, err, count())
		}
		if e, _ := st.Pages().PageEpoch(ctx, w.site.ID); e <= epoch {
			t.Fatal("dropping the pages did not raise the epoch")
		}
		// Pages kept without a mark (how they were rendered is unknown)
		// are dropped and counted.
		if err := st.Pages().DeletePages(ctx, w.site.ID, []string{"#rendered-with"}); err != nil {
			t.Fatal(err)
		}
		epoch, _ = st.Pages().PageEpoch(ctx, w.site.ID)
		if ok, err := st.Pages().PutPageAt(ctx, publish.NewPage(w.site.ID, "/en/", "text/html; charset=utf-8", []byte("<p>kept"), now), epoch); !ok || err != nil {
			t.Fatalf("keep an unmarked page: %v, %v", ok, err)
		}
		if n, err := publish.Prepare(ctx, st, "build-2", now); err != nil || n != 1 || count() != 1 {
			t.Fatalf("Prepare over unmarked pages = %d, %v, %d pages; want them dropped, the marker kept", n, err, count())
		}
	})
}

// TestServerLearnsOfNewSites: a site added while the server runs is served
// from the page store once its epoch is raised (site add does).
func TestServerLearnsOfNewSites(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w := newWorld(t, st)
		fast := publish.NewServer(publish.ServerOptions{Store: st, NetworkHost: "localhost", Refresh: 10 * time.Millisecond,
			Next: site.New(site.Options{Store: st, Theme: w.th, NetworkHost: "localhost", Now: func() time.Time { return now }})})
		go fast.Run(ctx)
		get := func(h string) {
			rec := httptest.NewRecorder()
			fast.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+h+"/en/", nil))
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s/en/ = %d", h, rec.Code)
			}
		}
		get(host)
		added, err := st.CreateSite(ctx, content.Site{Key: "paris", Hosts: []string{"paris.example.test"}, Languages: []string{"en"},
			DefaultLanguage: "en", TimeZone: "Europe/Paris", Names: map[string]string{"en": "Embassy in Paris"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.Pages().BumpPageEpoch(ctx, added.ID); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			get("paris.example.test")
			if n, _ := st.Pages().PageCount(ctx, added.ID); n == 1 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatal("the new site's pages are never kept")
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}

// TestOtherServerTold: a publish through one server reaches another
// server's memory on the same database. On PostgreSQL the other server
// reads epochs only once an hour, so only the notification can tell it;
// its listening connection is then killed, and the next publish still
// reaches it once it listens again. On SQLite (no notifications) the
// reading of epochs tells it.
func TestOtherServerTold(t *testing.T) {
	for _, e := range testdb.Engines() {
		t.Run(e.Name, func(t *testing.T) { testOtherServerTold(t, e) })
	}
}

func testOtherServerTold(t *testing.T, e testdb.Engine) {
	dbAt := e.New(t)
	st := e.OpenAt(t, dbAt)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	w := newWorld(t, st)
	_, listens := st.(store.EpochListener)
	refresh := 50 * time.Millisecond
	if listens {
		refresh = time.Hour
	}
	other := publish.NewServer(publish.ServerOptions{Store: st, NetworkHost: "localhost", Refresh: refresh,
		Next: site.New(site.Options{Store: st, Theme: w.th, NetworkHost: "localhost", Now: func() time.Time { return now }})})
	go other.Run(ctx)
	home := func() string {
		rec := httptest.NewRecorder()
		other.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+host+"/en/", nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /en/ = %d", rec.Code)
		}
		return rec.Body.String()
	}
	waitFor := func(title string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !strings.Contains(home(), title) {
			if time.Now().After(deadline) {
				t.Fatalf("the other server never shows %q", title)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
	// The home is in the other server's memory; wait until it listens
	// (it reads the epochs as it starts to).
	if strings.Contains(home(), "Statement on Glaciers") {
		t.Fatal("the draft is on the home page before it is published")
	}
	time.Sleep(200 * time.Millisecond)
	if _, _, err := w.pub.Publish(ctx, w.draft.ID); err != nil {
		t.Fatal(err)
	}
	waitFor("Statement on Glaciers")
	if !listens {
		return
	}

	// The database drops the listening connection.
	db, err := sql.Open(e.Driver, dbAt)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	killed := 0
	deadline := time.Now().Add(5 * time.Second)
	for killed == 0 && time.Now().Before(deadline) {
		if err := db.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
			WHERE datname = current_database() AND query LIKE 'LISTEN %'`).Scan(&killed); err != nil {
			t.Fatal(err)
		}
	}
	if killed == 0 {
		t.Fatal("no listening connection to kill")
	}
	a := w.statement
	a.Title = "Statement on Rivers"
	// Listening again takes a second's pause; the publish may come
	// before it, and is read as it starts listening again.
	if _, _, err := w.pub.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	waitFor("Statement on Rivers")
	time.Sleep(1500 * time.Millisecond) // listening again
	a.Title = "Statement on Lakes"
	if _, _, err := w.pub.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	waitFor("Statement on Lakes")
}

// TestOddPathsNotStored: a path holding an escaped "?", "#", "%" or a
// control character is the path it says, not a page with a query: it is
// not found, answered without a 500, and nothing is stored under it (the
// store would otherwise fill with a copy of the home for every such
// address asked for).
func TestOddPathsNotStored(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		count := func() int { n, _ := st.Pages().PageCount(ctx, w.site.ID); return n }
		before := count()
		for _, raw := range []string{"/en/%3Fx1", "/en/feed.xml%3Fa", "/en/%23frag", "/en/%25zz", "/en/%00", "/en/%0d%0aX", "/en/news/%3F"} {
			r := httptest.NewRequest(http.MethodGet, "http://"+host+raw, nil)
			rec := httptest.NewRecorder()
			w.server.ServeHTTP(rec, r)
			if rec.Code != http.StatusNotFound {
				t.Errorf("GET %s: %d; want 404", raw, rec.Code)
			}
		}
		if after := count(); after != before {
			t.Errorf("%d pages stored for odd paths", after-before)
		}
	})
}

// TestOlderProcessKeepsNothingUnderANewMark: a process started later with
// another fingerprint (a new binary in a rolling upgrade, other settings)
// marks the store; a process that renders otherwise then keeps nothing
// under that mark, neither on a reader's request nor when it publishes,
// and still answers (by rendering).
func TestOlderProcessKeepsNothingUnderANewMark(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		w := newWorld(t, st)
		tick := func() time.Time { return w.clock }
		process := func(fingerprint string) (*publish.Server, *publish.Publisher) {
			next := site.New(site.Options{Store: st, Theme: w.th, NetworkHost: "localhost", Now: tick})
			srv := publish.NewServer(publish.ServerOptions{Store: st, Next: next, NetworkHost: "localhost", Now: tick, Fingerprint: fingerprint})
			return srv, &publish.Publisher{Store: st, Theme: w.th, NetworkHost: "localhost", Server: srv, Now: tick, Fingerprint: fingerprint}
		}
		get := func(srv *publish.Server, path string) int {
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+host+path, nil))
			return rec.Code
		}
		count := func() int { n, _ := st.Pages().PageCount(ctx, w.site.ID); return n }
		if _, err := publish.Prepare(ctx, st, "old build", now); err != nil {
			t.Fatal(err)
		}
		oldSrv, oldPub := process("old build")
		if get(oldSrv, "/en/") != http.StatusOK || count() != 2 {
			t.Fatalf("the old process alone: %d pages stored; want its mark and /en/", count())
		}
		// The new process starts: the store is emptied and marked anew.
		if _, err := publish.Prepare(ctx, st, "new build", now); err != nil {
			t.Fatal(err)
		}
		newSrv, _ := process("new build")
		oldSrv.Forget() // as the epoch's notice or the next read would
		if code := get(oldSrv, "/en/"); code != http.StatusOK || count() != 1 {
			t.Fatalf("the old process after the new mark: %d, %d pages stored; want 200 and only the mark", code, count())
		}
		a, res, err := oldPub.Publish(ctx, w.draft.ID)
		if err != nil || len(res.Rendered) != 0 || count() != 1 {
			t.Fatalf("the old process publishing under the new mark: rendered %v, %d pages stored, %v; want nothing stored", res.Rendered, count(), err)
		}
		// The new process keeps what it renders, which shows the publish.
		if get(newSrv, a.Path) != http.StatusOK || get(newSrv, "/en/") != http.StatusOK || count() != 3 {
			t.Fatalf("the new process: %d pages stored; want the mark, the article and /en/", count())
		}
	})
}

// TestClockBehindSeesAPublish: a process whose clock is a little behind
// the publishing one's renders (and keeps) the listings with the article
// just published, not without it until the next change.
func TestClockBehindSeesAPublish(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		w := newWorld(t, st)
		behind := func() time.Time { return w.clock.Add(-500 * time.Millisecond) }
		next := site.New(site.Options{Store: st, Theme: w.th, NetworkHost: "localhost", Now: behind})
		other := publish.NewServer(publish.ServerOptions{Store: st, Next: next, NetworkHost: "localhost", Now: behind})
		a, _, err := w.pub.Publish(context.Background(), w.draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/en/", "/en/news/", "/en/feed.xml", a.Path} {
			rec := httptest.NewRecorder()
			other.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+host+path, nil))
			if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), a.Title) {
				t.Errorf("%s from a process half a second behind: %d, without %q", path, rec.Code, a.Title)
			}
		}
	})
}
