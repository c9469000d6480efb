package site

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/content"
	"chancery/internal/htmltest"
	"chancery/internal/markup"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
	"chancery/internal/theme"
)

// fixture is a small network: the "un" site in New York time with a
// three-level section tree, a translated statement published late at
// night, an untranslated one, 25 news items for paging, a draft and a
// withdrawn article; and an Arabic-language site.
type fixture struct {
	st        store.Store
	h         http.Handler
	site      content.Site
	statement content.Article // en, translated
	zh        content.Article // zh version of statement
	lonely    content.Article // en only
	draft     content.Article
	withdrawn content.Article
	now       time.Time
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	f.site = must(st.CreateSite(ctx, content.Site{Key: "un", Hosts: []string{"un.example.test", "www.un.example.test"},
		Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "America/New_York",
		Names: map[string]string{"en": "Mission of Example to the UN", "zh": "示例常驻联合国代表团"}}))
	sec := func(parent int64, pos int, inNav bool, en, zh, enSlug, zhSlug string) content.Section {
		return must(st.CreateSection(ctx, content.Section{SiteID: f.site.ID, ParentID: parent, Position: pos, InNav: inNav,
			Names: map[string]string{"en": en, "zh": zh}, Slugs: map[string]string{"en": enSlug, "zh": zhSlug}}))
	}
	meetings := sec(0, 1, true, "Meetings & Statements", "会议与发言", "meetings", "hy")
	council := sec(meetings.ID, 1, false, "Security Council", "安理会", "security-council", "alh")
	sec(council.ID, 1, false, "Open Debates", "公开辩论", "open-debates", "gkbl")
	sec(0, 2, true, "About", "关于我们", "about", "gywm")
	news := sec(0, 3, false, "News", "新闻", "news", "xw")

	art := func(a content.Article) content.Article {
		a.SiteID, a.Kind = f.site.ID, content.KindStatement
		if a.Status == "" {
			a.Status = content.StatusPublished
		}
		var err error
		if a.BodyHTML, err = markup.Render(a.Body); err != nil {
			t.Fatal(err)
		}
		return must(st.CreateArticle(ctx, a))
	}
	// 03:45 UTC on 1 July 2024 is 23:45 on 30 June in New York.
	late := time.Date(2024, 7, 1, 3, 45, 0, 0, time.UTC)
	f.statement = art(content.Article{SectionID: council.ID, Language: "en", Title: "Statement on Water Security",
		Summary: "The Ambassador spoke on water.", Body: "First paragraph.\n\nSecond paragraph.", PublishedAt: late})
	f.zh = art(content.Article{SectionID: council.ID, Language: "zh", Title: "关于水安全的发言", Body: "第一段。\n\n第二段。",
		PublishedAt: late, TranslationGroup: f.statement.ID})
	f.lonely = art(content.Article{SectionID: meetings.ID, Language: "en", Title: "Remarks Without Translation",
		Body: "Only in English.", PublishedAt: time.Date(2023, 2, 3, 15, 0, 0, 0, time.UTC)})
	for i := range 25 {
		art(content.Article{SectionID: news.ID, Language: "en", Title: fmt.Sprintf("News Item %02d", i),
			Body: "News.", PublishedAt: time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC).AddDate(0, 0, i*3)})
	}
	f.draft = art(content.Article{SectionID: news.ID, Language: "en", Title: "Unfinished Draft", Body: "Draft.", Status: content.StatusDraft})
	f.withdrawn = art(content.Article{SectionID: news.ID, Language: "en", Title: "Withdrawn Notice", Body: "Old.",
		Status: content.StatusWithdrawn, PublishedAt: time.Date(2022, 5, 5, 12, 0, 0, 0, time.UTC)})

	ar := must(st.CreateSite(ctx, content.Site{Key: "ar", Hosts: []string{"ar.example.test"}, Languages: []string{"ar", "en"},
		DefaultLanguage: "ar", TimeZone: "Asia/Riyadh", Names: map[string]string{"ar": "سفارة مثال", "en": "Embassy of Example"}}))
	must(st.CreateSection(ctx, content.Section{SiteID: ar.ID, InNav: true, Names: map[string]string{"ar": "الأخبار", "en": "News"},
		Slugs: map[string]string{"ar": "akhbar", "en": "news"}}))

	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	f.h = New(Options{Store: st, Theme: th, NetworkHost: "localhost", Now: func() time.Time { return f.now }})
	return f
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// get requests path on host through the real handler.
func (f *fixture) get(t testing.TB, host, path string, headers ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "http://"+host+path, nil)
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w.Result()
}

// doc parses a response body as HTML.
func doc(t testing.TB, resp *http.Response) *html.Node {
	t.Helper()
	n, err := html.Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// Short names for the HTML helpers these tests use everywhere.
var (
	find  = htmltest.Find
	attr  = htmltest.Attr
	text  = htmltest.Text
	tag   = htmltest.Tag
	class = htmltest.Class
)

func ariaLabel(label string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "aria-label") == label }
}
