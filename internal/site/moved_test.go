package site

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/testdb"
	"chancery/internal/theme"
)

// TestOldAddresses: an imported site's old addresses answer with a
// permanent redirect to the article or section, whatever their case, a
// trailing index file or a query; a site keeping its old scheme serves
// articles at their old addresses; stored files are served by content.
func TestOldAddresses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		site := must(st.CreateSite(ctx, content.Site{Key: "embassy", Hosts: []string{"embassy.example.test"},
			Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "Asia/Shanghai",
			Names: map[string]string{"en": "Embassy of Example", "zh": "示例大使馆"}}))
		old := must(st.CreateSite(ctx, content.Site{Key: "old", Hosts: []string{"old.example.test"},
			Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "Asia/Shanghai",
			Names:         map[string]string{"en": "Old Embassy", "zh": "旧大使馆"},
			AddressScheme: "/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm", Channels: map[string]string{"en": "eng", "zh": "chn"}}))
		sec := func(s content.Site) content.Section {
			return must(st.CreateSection(ctx, content.Section{SiteID: s.ID, InNav: true, Names: map[string]string{"en": "News", "zh": "新闻"},
				Slugs: map[string]string{"en": "news", "zh": "xw"}}))
		}
		news, oldNews := sec(site), sec(old)
		at := time.Date(2022, 7, 30, 1, 15, 0, 0, time.UTC)
		a := must(st.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: news.ID, Language: "en", Kind: content.KindNews,
			Status: content.StatusPublished, Title: "Ambassador Meets Students", BodyHTML: "<p>Met.</p>", PublishedAt: at}))
		kept := must(st.CreateArticle(ctx, content.Article{SiteID: old.ID, SectionID: oldNews.ID, Language: "en", Kind: content.KindNews,
			Status: content.StatusPublished, Title: "Kept At Its Address", BodyHTML: "<p>Kept.</p>", PublishedAt: at,
			Path: "/eng/zgyw/202207/t20220730_10730785.htm"}))
		draft := must(st.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: news.ID, Language: "en", Kind: content.KindNews,
			Status: content.StatusDraft, Title: "Not Yet", BodyHTML: "<p>Draft.</p>"}))
		im := st.Imports()
		doc := must(im.PutMedia(ctx, store.Media{SiteID: site.ID, ContentType: "application/pdf", Name: "P0101.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")}))
		for _, r := range []store.Redirect{
			{SiteID: site.ID, OldPath: "/eng/zgyw/202207/t20220730_101.htm", ArticleID: a.ID},
			{SiteID: site.ID, OldPath: "/eng/zgyw/index.htm", SectionID: news.ID, Language: "zh"},
			{SiteID: site.ID, OldPath: "/eng/zgyw/202207/P0101.pdf", Target: doc.Path()},
			{SiteID: site.ID, OldPath: "/eng/draft.htm", ArticleID: draft.ID},
			{SiteID: site.ID, OldPath: "/eng/50%25-off/%E4%B8%AD.htm", ArticleID: a.ID},
			{SiteID: old.ID, OldPath: kept.Path, ArticleID: kept.ID},
		} {
			if err := im.PutRedirect(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		th, err := theme.Load("", nil)
		if err != nil {
			t.Fatal(err)
		}
		h := New(Options{Store: st, Theme: th, NetworkHost: "localhost", Now: func() time.Time { return at.Add(time.Hour) }})
		get := func(host, path string) *http.Response {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://"+host+path, nil))
			return w.Result()
		}
		for path, want := range map[string]string{
			"/eng/zgyw/202207/t20220730_101.htm":          a.Path,
			"/ENG/ZGYW/202207/T20220730_101.HTM":          a.Path,
			"/eng/zgyw/202207/t20220730_101.htm?from=rss": a.Path,
			"/eng/zgyw/":                                   "/zh/xw/",
			"/eng/zgyw":                                    "/zh/xw/",
			"/eng/zgyw/index.htm":                          "/zh/xw/",
			"/eng/zgyw/Index.html?page=2":                  "/zh/xw/",
			"/eng/zgyw/202207/P0101.pdf":                   doc.Path(),
			"/media/" + doc.Key + "/other-name.pdf":        doc.Path(),
			"/en/old-section-that-never-existed/index.htm": "",
			"/eng/draft.htm":                               "",
			"/eng/zgyw/202207/t20220730_999.htm":           "",
			"/ENG/zgyw/202207/t20220730_10730785.htm?x=1":  "",
		} {
			resp := get("embassy.example.test", path)
			if want == "" {
				if resp.StatusCode != http.StatusNotFound {
					t.Errorf("%s: %d to %q; want 404", path, resp.StatusCode, resp.Header.Get("Location"))
				}
				continue
			}
			if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
				t.Errorf("%s: %d to %q; want 301 to %s", path, resp.StatusCode, resp.Header.Get("Location"), want)
			}
		}

		// An address with other characters, kept decoded, is served when
		// asked for escaped (as browsers send it), never redirected to
		// itself.
		chinese := must(st.CreateArticle(ctx, content.Article{SiteID: old.ID, SectionID: oldNews.ID, Language: "zh", Kind: content.KindNews,
			Status: content.StatusPublished, Title: "国庆招待会", BodyHTML: "<p>招待会。</p>", PublishedAt: at, Path: "/chn/国庆.htm"}))
		if err := im.PutRedirect(ctx, store.Redirect{SiteID: old.ID, OldPath: "/chn/%E5%9B%BD%E5%BA%86.htm", ArticleID: chinese.ID}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"/chn/%E5%9B%BD%E5%BA%86.htm", "/chn/国庆.htm"} {
			if resp := get("old.example.test", p); resp.StatusCode != http.StatusOK {
				t.Errorf("%s: %d to %q; want the article", p, resp.StatusCode, resp.Header.Get("Location"))
			}
		}

		resp := get("old.example.test", kept.Path)
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Kept At Its Address") || !strings.Contains(string(body), `lang="en"`) {
			t.Errorf("article at its old address: %d\n%.300s", resp.StatusCode, body)
		}
		if resp := get("old.example.test", "/ENG/ZGYW/202207/T20220730_10730785.HTM"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != kept.Path {
			t.Errorf("old address in other case: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
		}

		resp = get("embassy.example.test", doc.Path())
		body, _ = io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/pdf" || string(body) != "%PDF-1.4\n%%EOF\n" ||
			!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("stored file: %d %v %q", resp.StatusCode, resp.Header, body)
		}
		if resp := get("old.example.test", doc.Path()); resp.StatusCode != http.StatusNotFound {
			t.Errorf("another site's file: %d; want 404", resp.StatusCode)
		}
		if resp := get("embassy.example.test", "/media/nothing/x.pdf"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown file: %d; want 404", resp.StatusCode)
		}
	})
}
