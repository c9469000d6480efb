package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/store"
)

func TestSections(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("admin@un.example.org", f.un.ID, account.RoleAdmin)
		b := f.browser()
		b.signIn("admin@un.example.org")
		secs, err := f.st.Sections(ctx, f.un.ID)
		if err != nil {
			t.Fatal(err)
		}
		tree := content.NewTree(secs)
		top := tree.Children(0)[0]
		oldEN := content.SectionPath("en", tree.Slugs(top.ID, "en"))
		// An article published in it keeps its address whatever happens.
		arts, err := f.st.Articles(ctx, store.ArticleQuery{SiteID: f.un.ID, SectionIDs: tree.Subtree(top.ID), Status: content.StatusPublished, Limit: 1})
		if err != nil || len(arts) == 0 {
			t.Fatalf("an article of the section: %v", err)
		}
		art := arts[0]

		// New section: names and slugs in every language, or an error
		// next to them, keeping what was typed.
		a := b.get("/admin/sites/un/sections")
		if a.status != http.StatusOK {
			t.Fatalf("sections page: %d", a.status)
		}
		a = b.post("/admin/sites/un/sections", url.Values{"do": {"save"}, "name_en": {"Press Releases"}, "name_zh": {""}, "parent": {"0"}})
		if a.status != http.StatusUnprocessableEntity || a.value("name_en") != "Press Releases" {
			t.Fatalf("section without a Chinese name: %d, %q", a.status, a.value("name_en"))
		}
		a = b.post("/admin/sites/un/sections", url.Values{"do": {"save"}, "name_en": {"Press Releases"}, "name_zh": {"新闻稿"}, "parent": {"0"}, "in_nav": {"on"}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "Press Releases") {
			t.Fatalf("new section: %d: %s", a.status, a.text())
		}
		if home := b.public("un.localhost", "/en/"); !strings.Contains(home.body, `href="/en/press-releases/"`) {
			t.Fatal("the new section is not in the top navigation")
		}
		// Renaming the first section's address: its old address redirects,
		// the article stays where it was.
		a = b.get("/admin/sites/un/sections?edit=" + strconv.FormatInt(top.ID, 10))
		form := url.Values{"do": {"save"}, "id": {strconv.FormatInt(top.ID, 10)}, "name_en": {a.value("name_en") + " (renamed)"},
			"slug_en": {"renamed"}, "name_zh": {a.value("name_zh")}, "slug_zh": {a.value("slug_zh")}, "parent": {"0"}}
		if top.InNav {
			form.Set("in_nav", "on")
		}
		if a = b.post("/admin/sites/un/sections", form); a.status != http.StatusOK {
			t.Fatalf("rename: %d: %s", a.status, a.text())
		}
		req, _ := http.NewRequest(http.MethodGet, f.srv.URL+oldEN, nil)
		req.Host = "un.localhost"
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/en/renamed/" {
			t.Fatalf("old section address: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		if again, _ := f.st.Article(ctx, art.ID); again.Path != art.Path {
			t.Fatalf("the article moved: %s → %s", art.Path, again.Path)
		}
		if p := b.public("un.localhost", art.Path); p.status != http.StatusOK {
			t.Fatalf("the article's address: %d", p.status)
		}
		// Move it under the new section: the old address still answers.
		secs, _ = f.st.Sections(ctx, f.un.ID)
		var press int64
		for _, s := range secs {
			if s.Names["en"] == "Press Releases" {
				press = s.ID
			}
		}
		form.Set("parent", strconv.FormatInt(press, 10))
		form.Del("in_nav")
		if a = b.post("/admin/sites/un/sections", form); a.status != http.StatusOK {
			t.Fatalf("move: %d: %s", a.status, a.text())
		}
		resp, err = http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/en/press-releases/renamed/" {
			t.Fatalf("first address after the move: %d → %q", resp.StatusCode, resp.Header.Get("Location"))
		}
		// A section cannot go below itself; a taken address segment is refused.
		form.Set("id", strconv.FormatInt(press, 10))
		form.Set("name_en", "Press Releases")
		form.Set("name_zh", "新闻稿")
		form.Set("slug_en", "press-releases")
		form.Set("slug_zh", "press-releases")
		form.Set("parent", strconv.FormatInt(top.ID, 10))
		if a = b.post("/admin/sites/un/sections", form); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("section below itself: %d", a.status)
		}
		// A new section with a sibling's address segment: refused with
		// what to do, in the interface's language, keeping what was typed.
		taken := url.Values{"do": {"save"}, "name_en": {"Press Releases Again"}, "slug_en": {"press-releases"},
			"name_zh": {"新闻稿二"}, "slug_zh": {"xinwengao-2"}, "parent": {"0"}}
		a = b.post("/admin/sites/un/sections", taken)
		if a.status != http.StatusConflict || !strings.Contains(a.text(), `The address segment "press-releases" (en) is taken by another section under the same parent`) ||
			strings.Contains(a.text(), ": conflict") || a.value("name_en") != "Press Releases Again" {
			t.Fatalf("taken address segment: %d, name %q: %s", a.status, a.value("name_en"), a.text())
		}
		u, _ := f.st.Accounts().UserByEmail(ctx, "admin@un.example.org")
		u.Language = "zh"
		if err := f.st.Accounts().UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		b.get("/admin/sites/un/sections")
		if a = b.post("/admin/sites/un/sections", taken); a.status != http.StatusConflict || !strings.Contains(a.text(), `地址段 "press-releases"（en）已被同一上级下的另一栏目使用`) {
			t.Fatalf("taken address segment, Chinese interface: %d: %s", a.status, a.text())
		}
		u.Language = "en"
		if err := f.st.Accounts().UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		// Order: the second top section moves up.
		secs, _ = f.st.Sections(ctx, f.un.ID)
		tree = content.NewTree(secs)
		second := tree.Children(0)[1]
		if a = b.post("/admin/sites/un/sections", url.Values{"do": {"up"}, "id": {strconv.FormatInt(second.ID, 10)}}); a.status != http.StatusOK {
			t.Fatalf("move up: %d", a.status)
		}
		secs, _ = f.st.Sections(ctx, f.un.ID)
		if got := content.NewTree(secs).Children(0)[0].ID; got != second.ID {
			t.Fatalf("first section after moving up = %d, want %d", got, second.ID)
		}
		log, err := f.st.Accounts().AuditLog(ctx, store.AuditQuery{SiteIDs: []int64{f.un.ID}, Limit: 10})
		if err != nil || len(log) < 4 || !strings.HasPrefix(log[0].Action, "section") {
			t.Fatalf("audit log: %+v, %v", log, err)
		}
	})
}
