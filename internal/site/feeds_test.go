package site

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"chancery/internal/content"
)

// readFeed fetches a feed through the handler and parses it with gofeed,
// as an aggregator would.
func readFeed(t *testing.T, f *fixture, host, path string) *gofeed.Feed {
	t.Helper()
	resp := f.get(t, host, path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d; want 200", path, resp.StatusCode)
	}
	body, _ := io.ReadAll(resp.Body)
	fd, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("%s: gofeed cannot read it: %v", path, err)
	}
	return fd
}

func TestFeedsReadBackByAConsumer(t *testing.T) {
	f := newFixture(t)
	const host = "un.example.test"
	for _, tt := range []struct {
		path, feedType, lang, firstTitle string
		items                            int
	}{
		{"/en/feed.xml", "rss", "en", "News Item 24", FeedSize},
		{"/en/atom.xml", "atom", "en", "News Item 24", FeedSize},
		{"/en/feed.json", "json", "en", "News Item 24", FeedSize},
		{"/zh/feed.xml", "rss", "zh", "关于水安全的发言", 1},
		{"/zh/atom.xml", "atom", "zh", "关于水安全的发言", 1},
		{"/en/meetings/feed.xml", "rss", "en", "Statement on Water Security", 2},
		{"/en/meetings/security-council/atom.xml", "atom", "en", "Statement on Water Security", 1},
		{"/zh/hy/alh/feed.json", "json", "zh", "关于水安全的发言", 1},
	} {
		t.Run(tt.path, func(t *testing.T) {
			fd := readFeed(t, f, host, tt.path)
			if fd.FeedType != tt.feedType || fd.Language != tt.lang || len(fd.Items) != tt.items {
				t.Fatalf("%s: type %s, language %q, %d items; want %s, %q, %d", tt.path, fd.FeedType, fd.Language, len(fd.Items), tt.feedType, tt.lang, tt.items)
			}
			first := fd.Items[0]
			if first.Title != tt.firstTitle || first.PublishedParsed == nil || first.GUID == "" || !strings.HasPrefix(first.GUID, "tag:un.example.test,") {
				t.Fatalf("first item = %q published %v id %q; want %q with a date and a tag: id", first.Title, first.PublishedParsed, first.GUID, tt.firstTitle)
			}
			for _, it := range fd.Items {
				u, err := url.Parse(it.Link)
				if err != nil || u.Host != host {
					t.Fatalf("item link %q is not an absolute address on %s", it.Link, host)
				}
				if resp := f.get(t, host, u.Path); resp.StatusCode != http.StatusOK {
					t.Fatalf("item link %s answers %d", it.Link, resp.StatusCode)
				}
				if it.Content == "" {
					t.Fatalf("item %q has no content; the site carries full text", it.Title)
				}
			}
		})
	}
	// The statement was published at 23:45 New York time on 30 June: the
	// feed gives the instant, which a reader's clock shows in its own zone.
	fd := readFeed(t, f, host, "/en/meetings/security-council/atom.xml")
	if got := fd.Items[0].PublishedParsed.UTC(); !got.Equal(f.statement.PublishedAt) {
		t.Fatalf("published = %v; want %v", got, f.statement.PublishedAt)
	}
}

func TestFeedEntryKeepsItsIDWhenEdited(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	before := readFeed(t, f, "un.example.test", "/en/meetings/security-council/atom.xml").Items[0]
	a, err := f.st.Article(ctx, f.statement.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Title = "Statement on Water Security (corrected)"
	if err := f.st.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	after := readFeed(t, f, "un.example.test", "/en/meetings/security-council/atom.xml").Items[0]
	if after.GUID != before.GUID || after.Link != before.Link || after.Title == before.Title {
		t.Fatalf("after an edit: id %q → %q, link %q → %q, title %q → %q; want the same id and link, the new title",
			before.GUID, after.GUID, before.Link, after.Link, before.Title, after.Title)
	}
	if after.UpdatedParsed == nil || after.UpdatedParsed.Before(*before.UpdatedParsed) {
		t.Fatalf("updated %v → %v; want it to move forward", before.UpdatedParsed, after.UpdatedParsed)
	}
}

func TestFeedSummarySetting(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.site.FeedSummary = true
	if err := f.st.UpdateSite(ctx, f.site); err != nil {
		t.Fatal(err)
	}
	fd := readFeed(t, f, "un.example.test", "/en/meetings/feed.json")
	for _, it := range fd.Items {
		if strings.Contains(it.Content, "<p>") || it.Description == "" {
			t.Fatalf("item %q: content %q, description %q; want the summary only", it.Title, it.Content, it.Description)
		}
	}
	// An article without a summary stands for itself with its first words.
	if fd.Items[1].Title != "Remarks Without Translation" || fd.Items[1].Description != "Only in English." {
		t.Fatalf("item without summary: %q / %q", fd.Items[1].Title, fd.Items[1].Description)
	}
}

func TestFeedsUnknownAnswer404(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/fr/feed.xml", "/en/nowhere/feed.xml", "/en/meetings/nowhere/atom.xml", "/en/feed.rss",
		"/en/sitemap-1800.xml", "/en/feed.xml/", "/en/sitemap.xml/", "/en/sitemap-2026.xml/", "/en/meetings/atom.xml/", "/en/sitemap-2019.xml", "/fr/sitemap.xml", "/en/sitemap-abcd.xml", "/en/meetings/sitemap.xml"} {
		if resp := f.get(t, "un.example.test", p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", p, resp.StatusCode)
		}
	}
}

func TestFeedAutodiscovery(t *testing.T) {
	f := newFixture(t)
	for path, want := range map[string][]string{
		"/en/":                           {"/en/feed.xml", "/en/atom.xml", "/en/feed.json"},
		"/en/meetings/security-council/": {"/en/meetings/security-council/feed.xml", "/en/feed.xml"},
		f.zh.Path:                        {"/zh/feed.xml"},
	} {
		n := doc(t, f.get(t, "un.example.test", path))
		var got []string
		for _, l := range find(n, func(n *html.Node) bool {
			return tag("link")(n) && attr(n, "rel") == "alternate" && attr(n, "type") != ""
		}) {
			got = append(got, attr(l, "href"))
			if attr(l, "title") == "" {
				t.Errorf("%s: feed link %s has no title", path, attr(l, "href"))
			}
		}
		for _, w := range want {
			if !strings.Contains(strings.Join(got, " "), w) {
				t.Errorf("%s announces feeds %v; want %s among them", path, got, w)
			}
		}
	}
}

type sitemapDoc struct {
	Locs []string `xml:"sitemap>loc"`
	URLs []struct {
		Loc     string `xml:"loc"`
		LastMod string `xml:"lastmod"`
		Links   []struct {
			HrefLang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
	} `xml:"url"`
}

func TestSitemapsAndRobots(t *testing.T) {
	f := newFixture(t)
	const host = "un.example.test"
	robots, _ := io.ReadAll(f.get(t, host, "/robots.txt").Body)
	if !strings.Contains(string(robots), "Sitemap: http://un.example.test/sitemap.xml") || !strings.Contains(string(robots), "Disallow: /zh/share/\n") ||
		strings.Contains(string(robots), "/*") {
		t.Fatalf("robots.txt does not name the sitemap:\n%s", robots)
	}
	read := func(path string) sitemapDoc {
		t.Helper()
		resp := f.get(t, host, path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/xml") {
			t.Fatalf("GET %s = %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		var d sitemapDoc
		if err := xml.NewDecoder(resp.Body).Decode(&d); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		return d
	}
	index := read("/sitemap.xml")
	if len(index.Locs) < 4 {
		t.Fatalf("sitemap index lists %v; want each language's file and its years", index.Locs)
	}
	seen := map[string]bool{}
	for _, loc := range index.Locs {
		u, _ := url.Parse(loc)
		for _, e := range read(u.Path).URLs {
			seen[e.Loc] = true
			eu, _ := url.Parse(e.Loc)
			if resp := f.get(t, host, eu.Path); resp.StatusCode != http.StatusOK {
				t.Errorf("%s lists %s, which answers %d", loc, e.Loc, resp.StatusCode)
			}
			if strings.Contains(eu.Path, "/20") && e.LastMod == "" {
				t.Errorf("%s: article %s has no lastmod", loc, e.Loc)
			}
			if e.Loc == "http://"+host+f.statement.Path {
				if len(e.Links) != 2 || e.Links[1].HrefLang != "zh" || e.Links[1].Href != "http://"+host+f.zh.Path {
					t.Errorf("translated statement's alternates = %+v; want en and zh", e.Links)
				}
			}
		}
	}
	for _, want := range []content.Article{f.statement, f.zh, f.lonely} {
		if !seen["http://"+host+want.Path] {
			t.Errorf("no sitemap lists %s", want.Path)
		}
	}
	for _, gone := range []content.Article{f.draft} {
		if seen["http://"+host+gone.Path] {
			t.Errorf("a sitemap lists the draft %s", gone.Path)
		}
	}
}

func TestArticleMetadata(t *testing.T) {
	f := newFixture(t)
	n := doc(t, f.get(t, "un.example.test", f.statement.Path))
	meta := map[string]string{}
	for _, m := range find(n, tag("meta")) {
		if k := attr(m, "property") + attr(m, "name"); k != "" {
			meta[k] = attr(m, "content")
		}
	}
	canonical := "http://un.example.test" + f.statement.Path
	for k, want := range map[string]string{
		"og:type": "article", "og:title": "Statement on Water Security", "og:url": canonical,
		"og:description": "The Ambassador spoke on water.", "og:site_name": "Mission of Example to the UN",
		"article:published_time": "2024-07-01T03:45:00Z", "article:section": "Security Council",
		"twitter:card": "summary", "description": "The Ambassador spoke on water.",
	} {
		if meta[k] != want {
			t.Errorf("meta %s = %q; want %q", k, meta[k], want)
		}
	}
	var types []string
	for _, s := range find(n, func(n *html.Node) bool { return tag("script")(n) && attr(n, "type") == "application/ld+json" }) {
		var ld map[string]any
		if err := json.Unmarshal([]byte(text(s)), &ld); err != nil {
			t.Fatalf("JSON-LD does not parse: %v\n%s", err, text(s))
		}
		types = append(types, ld["@type"].(string))
		switch ld["@type"] {
		case "NewsArticle":
			if ld["headline"] != "Statement on Water Security" || ld["datePublished"] != "2024-07-01T03:45:00Z" || ld["inLanguage"] != "en" ||
				ld["articleSection"] != "Security Council" || ld["dateModified"] == nil || ld["publisher"].(map[string]any)["name"] != "Mission of Example to the UN" {
				t.Errorf("NewsArticle = %v", ld)
			}
		case "BreadcrumbList":
			items := ld["itemListElement"].([]any)
			last := items[len(items)-1].(map[string]any)
			if len(items) != 4 || last["name"] != "Statement on Water Security" || last["item"] != canonical {
				t.Errorf("BreadcrumbList = %v", items)
			}
		}
	}
	if strings.Join(types, ",") != "NewsArticle,BreadcrumbList" {
		t.Fatalf("JSON-LD types = %v", types)
	}
	home := doc(t, f.get(t, "un.example.test", "/zh/"))
	if d := find(home, func(n *html.Node) bool { return tag("meta")(n) && attr(n, "name") == "description" }); len(d) != 1 || !strings.Contains(attr(d[0], "content"), "示例常驻联合国代表团") {
		t.Errorf("the Chinese home page has no description naming the site")
	}
}

// TestSitemapParts splits a year of many articles into files of at most
// sitemapSize addresses, all listed in the index.
func TestSitemapParts(t *testing.T) {
	defer func(n int) { sitemapSize = n }(sitemapSize)
	sitemapSize = 10
	f := newFixture(t)
	resp := f.get(t, "un.example.test", "/sitemap.xml")
	var index sitemapDoc
	if err := xml.NewDecoder(resp.Body).Decode(&index); err != nil {
		t.Fatal(err)
	}
	var parts []string
	for _, loc := range index.Locs {
		if strings.Contains(loc, "/en/sitemap-2025") {
			parts = append(parts, loc)
		}
	}
	want := []string{"http://un.example.test/en/sitemap-2025.xml", "http://un.example.test/en/sitemap-2025-2.xml", "http://un.example.test/en/sitemap-2025-3.xml"}
	if strings.Join(parts, " ") != strings.Join(want, " ") {
		t.Fatalf("2025's parts = %v; want %v (25 articles, 10 a file)", parts, want)
	}
	seen := map[string]bool{}
	for _, loc := range parts {
		u, _ := url.Parse(loc)
		var d sitemapDoc
		if err := xml.NewDecoder(f.get(t, "un.example.test", u.Path).Body).Decode(&d); err != nil {
			t.Fatal(err)
		}
		if len(d.URLs) > 10 || len(d.URLs) == 0 {
			t.Fatalf("%s lists %d addresses", loc, len(d.URLs))
		}
		for _, e := range d.URLs {
			if seen[e.Loc] {
				t.Fatalf("%s is listed twice", e.Loc)
			}
			seen[e.Loc] = true
		}
	}
	if len(seen) != 25 {
		t.Fatalf("the parts list %d addresses; want 25", len(seen))
	}
	for _, p := range []string{"/en/sitemap-2025-4.xml", "/en/sitemap-2025-1.xml", "/en/sitemap-2025-02.xml"} {
		if resp := f.get(t, "un.example.test", p); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", p, resp.StatusCode)
		}
	}
	var lang sitemapDoc
	if err := xml.NewDecoder(f.get(t, "un.example.test", "/en/sitemap.xml").Body).Decode(&lang); err != nil {
		t.Fatal(err)
	}
	for _, e := range lang.URLs {
		if strings.HasSuffix(e.Loc, "/en/news/") && e.LastMod == "" {
			t.Errorf("section %s has no lastmod", e.Loc)
		}
	}
}

// TestEveryDemoFeedReads reads every feed of the demo network — each
// site, language and section, in the three formats — with gofeed.
func TestEveryDemoFeedReads(t *testing.T) {
	h, st := demoHandler(t)
	ctx := context.Background()
	sites, err := st.Sites(ctx)
	if err != nil {
		t.Fatal(err)
	}
	read := 0
	for _, s := range sites {
		sections, err := st.Sections(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		tree := content.NewTree(sections)
		for _, lang := range s.Languages {
			bases := []string{"/" + lang + "/"}
			for _, sec := range sections {
				bases = append(bases, content.SectionPath(lang, tree.Slugs(sec.ID, lang)))
			}
			for _, base := range bases {
				for _, f := range []string{"feed.xml", "atom.xml", "feed.json"} {
					r := httptest.NewRequest(http.MethodGet, "http://"+s.Hosts[0]+base+f, nil)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					if w.Code != http.StatusOK {
						t.Fatalf("%s%s%s = %d", s.Hosts[0], base, f, w.Code)
					}
					fd, err := gofeed.NewParser().ParseString(w.Body.String())
					if err != nil || fd.Language != lang || fd.Title == "" {
						t.Fatalf("%s%s%s: %v (language %q)", s.Hosts[0], base, f, err, fd.Language)
					}
					read++
				}
			}
		}
	}
	t.Logf("%d feeds read", read)
}

// TestFeedBodiesLinkAbsolutely: the site-relative images and links of an
// article's text are absolute in its feed entries, where a reader has no
// page address to resolve them against.
func TestFeedBodiesLinkAbsolutely(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`<p><img src="/media/k1/photo.jpg" alt="x"> and <a href="/en/news/">news</a></p>`,
			`<p><img src="https://un.example.test/media/k1/photo.jpg" alt="x"> and <a href="https://un.example.test/en/news/">news</a></p>`},
		{`<a href="//other.example/x">a</a> <a href="https://other.example/">b</a> <a href="/x">c</a>`,
			`<a href="//other.example/x">a</a> <a href="https://other.example/">b</a> <a href="https://un.example.test/x">c</a>`},
		{`<code>href=&#34;/not-a-link&#34;</code>`, `<code>href=&#34;/not-a-link&#34;</code>`},
	} {
		if got := absoluteLinks(c.in, "https://un.example.test"); got != c.want {
			t.Errorf("absoluteLinks(%q) =\n%q; want\n%q", c.in, got, c.want)
		}
	}
	f := newFixture(t)
	ctx := context.Background()
	a, err := f.st.Article(ctx, f.statement.ID)
	if err != nil {
		t.Fatal(err)
	}
	a.BodyHTML += `<p><img src="/media/k1/photo.jpg" alt="The delegation"></p>`
	if err := f.st.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/en/meetings/security-council/feed.xml", "/en/meetings/security-council/atom.xml", "/en/meetings/security-council/feed.json"} {
		item := readFeed(t, f, "un.example.test", path).Items[0]
		if !strings.Contains(item.Content, `src="http://un.example.test/media/k1/photo.jpg"`) {
			t.Errorf("%s: the image is not absolute in %q", path, item.Content)
		}
	}
}
