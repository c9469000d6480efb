package publish_test

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/demo"
	"chancery/internal/export"
	"chancery/internal/markup"
	"chancery/internal/pages"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/testdb"
	"chancery/internal/theme"
)

// TestEveryStoredPageStaysTrue fills the page store with every page of a
// demo site, as an export does, then makes each kind of change an editor
// or an administrator makes, as the back office makes it. After each,
// every page the store still holds must be, byte for byte, what rendering
// it then gives: a page the change shows on and the affected-pages
// computation missed would be served stale.
func TestEveryStoredPageStaysTrue(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		if err := demo.Load(ctx, st, demo.Build()); err != nil {
			t.Fatal(err)
		}
		th, err := theme.Load("", nil)
		if err != nil {
			t.Fatal(err)
		}
		s, err := st.SiteByHost(ctx, "un.localhost")
		if err != nil {
			t.Fatal(err)
		}
		// Sitemaps date pages to the second: each step is a second on.
		clock := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		tick := func() time.Time { return clock }
		public := export.PublicOrigin("https")
		fresh := site.New(site.Options{Store: st, Theme: th, NetworkHost: "localhost", Now: tick, Public: public})
		server := publish.NewServer(publish.ServerOptions{Store: st, Next: fresh, NetworkHost: "localhost", Now: tick})
		pub := &publish.Publisher{Store: st, Theme: th, NetworkHost: "localhost", Public: public, Server: server, Now: tick}

		const build = "stay-true"
		if _, err := publish.Prepare(ctx, st, build, clock); err != nil {
			t.Fatal(err)
		}
		res, err := export.Run(ctx, export.Options{Store: st, Theme: th, Site: s, Out: filepath.Join(t.TempDir(), "un"),
			NetworkHost: "localhost", Now: tick, BrotliQuality: 1, Fingerprint: build})
		if err != nil || res.Kept < 300 {
			t.Fatalf("filling the page store: %d pages kept, %v", res.Kept, err)
		}

		// A sample of the stored pages, of every kind, for refill, and
		// how many pages a check must find in the store.
		var sample []string
		atLeast := 300
		check := func(step string) {
			t.Helper()
			stored := 0
			err := st.Pages().EachPage(ctx, s.ID, func(sp store.StoredPage) error {
				if strings.HasPrefix(sp.Path, "#") {
					return nil // the store's marker, not a page
				}
				stored++
				if stored%10 == 0 && len(sample) < 100 {
					sample = append(sample, sp.Path)
				}
				r := httptest.NewRequest(http.MethodGet, "https://un.localhost"+sp.Path, nil)
				rec := httptest.NewRecorder()
				fresh.ServeHTTP(rec, r)
				switch {
				case rec.Code != http.StatusOK:
					t.Errorf("after %s: %s is stored, but answers %d now", step, sp.Path, rec.Code)
				case !bytes.Equal(rec.Body.Bytes(), sp.Body):
					t.Errorf("after %s: the stored %s is not what it renders now", step, sp.Path)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if stored < atLeast {
				t.Fatalf("after %s: only %d pages left in the store; the check says little", step, stored)
			}
			clock = clock.Add(time.Second)
		}
		// refill has the server render and keep the sample's pages again,
		// as readers would, before a change that drops every page.
		refill := func() {
			t.Helper()
			for _, p := range append([]string{"/en/", "/zh/"}, sample...) {
				rec := httptest.NewRecorder()
				server.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "https://un.localhost"+p, nil))
			}
			atLeast = len(sample) / 2
			check("refilling the store")
			atLeast = 0 // the change drops every page: none may be left stale
		}
		check("filling the store")
		atLeast = 100

		secs, err := st.Sections(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		tree := content.NewTree(secs)
		// A leaf section with articles, and another one to move one to.
		var from, to content.Section
		for _, sec := range secs {
			if len(tree.Children(sec.ID)) > 0 {
				continue
			}
			n, _ := st.CountArticles(ctx, store.ArticleQuery{SiteID: s.ID, SectionIDs: []int64{sec.ID}, Language: "en", Status: content.StatusPublished})
			switch {
			case n >= 2 && from.ID == 0:
				from = sec
			case to.ID == 0 && n >= 1:
				to = sec
			}
		}
		if from.ID == 0 || to.ID == 0 {
			t.Fatal("the demo site has no two leaf sections with articles")
		}
		listed, err := st.Articles(ctx, store.ArticleQuery{SiteID: s.ID, SectionIDs: []int64{from.ID}, Language: "en", Status: content.StatusPublished})
		if err != nil || len(listed) < 2 {
			t.Fatalf("articles of %s: %v, %v", from.Slugs["en"], listed, err)
		}
		edit := func(step string, id int64, change func(*content.Article)) {
			t.Helper()
			if _, _, err := pub.Apply(ctx, publish.Edit{Article: content.Article{ID: id}, Change: func(_ store.Queries, a content.Article) (content.Article, error) {
				change(&a)
				return a, nil
			}}); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			check(step)
		}

		// A new article, published.
		body := "The delegation welcomes the report."
		html, _ := markup.Render(body)
		draft, err := st.CreateArticle(ctx, content.Article{SiteID: s.ID, SectionID: from.ID, Language: "en", Kind: content.KindStatement,
			Status: content.StatusDraft, Title: "Statement on the annual report", Body: body, BodyHTML: html})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := pub.Publish(ctx, draft.ID); err != nil {
			t.Fatal(err)
		}
		check("publishing an article")

		// Its translation, published: both language switches change.
		zhBody := "代表团欢迎该报告。"
		zhHTML, _ := markup.Render(zhBody)
		zh, err := st.CreateArticle(ctx, content.Article{SiteID: s.ID, SectionID: from.ID, Language: "zh", Kind: content.KindStatement,
			Status: content.StatusDraft, Title: "关于年度报告的发言", Body: zhBody, BodyHTML: zhHTML, TranslationGroup: draft.ID})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := pub.Publish(ctx, zh.ID); err != nil {
			t.Fatal(err)
		}
		check("publishing a translation")

		edit("editing a published title and summary", listed[1].ID, func(a *content.Article) {
			a.Title += " (corrected)"
			a.Summary = "A corrected summary."
		})
		edit("moving an article to another section", listed[1].ID, func(a *content.Article) { a.SectionID = to.ID })
		edit("dating an article to another year", listed[0].ID, func(a *content.Article) { a.PublishedAt = a.PublishedAt.AddDate(-1, 0, 0) })
		if _, _, err := pub.Withdraw(ctx, listed[0].ID, "Issued in error.", nil); err != nil {
			t.Fatal(err)
		}
		check("withdrawing an article")

		changeSection := func(step string, id int64, change func(*content.Section)) {
			t.Helper()
			if _, err := pub.ChangeSite(ctx, s.ID, func(q store.Queries) (pages.Set, error) {
				secs, err := q.Sections(ctx, s.ID)
				if err != nil {
					return nil, err
				}
				oldTree := content.NewTree(secs)
				old, _ := oldTree.Section(id)
				sec := old
				sec.Names, sec.Slugs = maps.Clone(old.Names), maps.Clone(old.Slugs)
				change(&sec)
				if err := q.UpdateSection(ctx, sec); err != nil {
					return nil, err
				}
				if secs, err = q.Sections(ctx, s.ID); err != nil {
					return nil, err
				}
				return pages.ForSection(s, oldTree, content.NewTree(secs), old, sec), nil
			}); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			check(step)
		}
		changeSection("renaming a section", from.ID, func(sec *content.Section) {
			sec.Names["en"] += " and Remarks"
			sec.Names["zh"] += "与评论"
		})
		top := tree.Children(0)[0]
		refill()
		changeSection("taking a section out of the navigation", top.ID, func(sec *content.Section) { sec.InNav = !sec.InNav })

		refill()
		if _, err := pub.ChangeSite(ctx, s.ID, func(q store.Queries) (pages.Set, error) {
			old, err := q.Site(ctx, s.ID)
			if err != nil {
				return nil, err
			}
			changed := old
			changed.Names = maps.Clone(old.Names)
			changed.Names["en"] = "Permanent Mission of the Republic of Example"
			if err := q.UpdateSite(ctx, changed); err != nil {
				return nil, err
			}
			return pages.ForSite(old, changed), nil
		}); err != nil {
			t.Fatal(err)
		}
		check("renaming the site")
	})
}
