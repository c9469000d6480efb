package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/publish"
	"chancery/internal/store"
	"chancery/internal/textdiff"
)

func TestTwoEditorsSaveTheSameArticle(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("ana@un.example.org", f.un.ID, account.RoleEditor)
		f.user("ben@un.example.org", f.un.ID, account.RoleEditor)
		ana, ben := f.browser(), f.browser()
		ana.signIn("ana@un.example.org")
		ben.signIn("ben@un.example.org")
		id := ana.newArticle(f.un, "en", "Joint statement", "First draft.")
		section := strconv.FormatInt(f.firstSection(f.un), 10)
		// Both open it.
		base := ana.edit(f.un, id).value("base")
		if ben.edit(f.un, id).value("base") != base {
			t.Fatal("the two editors opened different revisions")
		}
		save := func(b *browser, body, base string) answer {
			return b.post(articlePath(f.un, id, ""), url.Values{"title": {"Joint statement"}, "body": {body}, "section": {section},
				"kind": {"news"}, "base": {base}, "do": {"save"}})
		}
		if a := save(ana, "Ana's version of the text.", base); a.status != http.StatusOK {
			t.Fatalf("first save: %d", a.status)
		}
		a := save(ben, "Ben's version of the text.", base)
		if a.status != http.StatusConflict {
			t.Fatalf("second save: %d, want 409", a.status)
		}
		if !strings.Contains(a.text(), "ana@un.example.org") || a.value("body") != "Ben's version of the text." {
			t.Fatalf("refusal: %s / body %q", a.text(), a.value("body"))
		}
		if !strings.Contains(a.body, "<del>Ana") || !strings.Contains(a.body, "<ins>Ben") {
			t.Fatalf("refusal shows no difference:\n%s", a.body)
		}
		// Ana's text is stored; Ben's is in his form, and saving it now
		// (knowingly, over the latest) works.
		latest, err := f.st.Accounts().LatestRevision(ctx, id)
		if err != nil || latest.Body != "Ana's version of the text." {
			t.Fatalf("latest = %q, %v", latest.Body, err)
		}
		if a = save(ben, a.value("body"), a.value("base")); a.status != http.StatusOK {
			t.Fatalf("save after seeing the difference: %d", a.status)
		}
		revs, err := f.st.Accounts().Revisions(ctx, id)
		if err != nil || len(revs) != 3 {
			t.Fatalf("%d revisions, %v", len(revs), err)
		}
	})
}

func TestFormsKeepWhatWasTyped(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		b.get("/admin/sites/un/articles/new")
		a := b.post("/admin/sites/un/articles/new", url.Values{"language": {"en"}, "title": {"  "}, "body": {"A body without a title."},
			"section": {strconv.FormatInt(f.firstSection(f.un), 10)}, "kind": {"news"}, "do": {"save"}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("title") == "" || a.value("body") != "A body without a title." {
			t.Fatalf("no title: %d, error %q, body %q", a.status, a.fieldError("title"), a.value("body"))
		}
		// Too large a form is refused with a message, before it is read.
		big := strings.Repeat("x", maxForm+1)
		a = b.post("/admin/sites/un/articles/new", url.Values{"title": {"Big"}, "body": {big}})
		if a.status != http.StatusRequestEntityTooLarge {
			t.Fatalf("oversized form: %d", a.status)
		}
		// The Chinese interface shows the field's problem in Chinese.
		u, _ := f.st.Accounts().UserByEmail(context.Background(), "editor@un.example.org")
		u.Language = "zh"
		if err := f.st.Accounts().UpdateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		b.get("/admin/sites/un/articles/new")
		a = b.post("/admin/sites/un/articles/new", url.Values{"language": {"en"}, "title": {""}, "body": {"正文"},
			"section": {strconv.FormatInt(f.firstSection(f.un), 10)}, "kind": {"news"}, "do": {"save"}})
		if msg := a.fieldError("title"); msg == "" || msg == "the title is empty" {
			t.Fatalf("Chinese interface, no title: %q", msg)
		}
	})
}

func TestScheduling(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		id := b.newArticle(f.un, "en", "Statement for tonight", "To be read at 23:45.")
		loc := f.un.Location()
		// A time that has passed is refused next to the field.
		b.edit(f.un, id)
		past := time.Now().In(loc).Add(-time.Hour).Format("2006-01-02T15:04")
		a := b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"schedule"}, "at": {past}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("at") == "" || a.value("at") != past {
			t.Fatalf("past time: %d, %q, kept %q", a.status, a.fieldError("at"), a.value("at"))
		}
		if a = b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"schedule"}, "at": {"tonight"}}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("unreadable time: %d", a.status)
		}
		// 23:45 site time tomorrow.
		tomorrow := time.Now().In(loc).AddDate(0, 0, 1)
		at := time.Date(tomorrow.Year(), tomorrow.Month(), tomorrow.Day(), 23, 45, 0, 0, loc)
		a = b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"schedule"}, "at": {at.Format("2006-01-02T15:04")}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "Scheduled for") {
			t.Fatalf("schedule: %d: %s", a.status, a.text())
		}
		art, err := f.st.Article(ctx, id)
		if err != nil || art.Status != content.StatusScheduled || !art.PublishedAt.Equal(at) {
			t.Fatalf("scheduled article = %s at %v (want %v), %v", art.Status, art.PublishedAt, at, err)
		}
		// Its time comes: the scheduler publishes it.
		f.clock.at = at.Add(2 * time.Second)
		if n, err := f.st.DueArticles(ctx, f.clock.at, 0, 10); err != nil || len(n) != 1 {
			t.Fatalf("due = %v, %v", n, err)
		}
		// The server's scheduler publishes articles and editions alike.
		scheduler := &publish.Scheduler{Publisher: f.ed.Publisher, Editions: f.ed}
		if n := scheduler.Once(ctx); n != 1 {
			t.Fatalf("the scheduler published %d", n)
		}
		if art, _ = f.st.Article(ctx, id); art.Status != content.StatusPublished || art.Path == "" {
			t.Fatalf("after its time: %s", art.Status)
		}
		// An edition of it can be scheduled too; readers keep the old text
		// until its time.
		f.clock.at = at.Add(time.Hour)
		b.signIn("editor@un.example.org") // a day has passed
		ed := b.edit(f.un, id)
		b.post(articlePath(f.un, id, ""), url.Values{"title": {art.Title}, "body": {"Corrected text."}, "section": {strconv.FormatInt(art.SectionID, 10)},
			"kind": {"news"}, "base": {ed.value("base")}, "note": {"Corrected."}, "public_note": {"on"}, "do": {"save"}})
		later := f.clock.at.Add(time.Hour)
		if a = b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"schedule"}, "at": {later.In(loc).Format("2006-01-02T15:04")}}); a.status != http.StatusOK {
			t.Fatalf("schedule an edition: %d: %s", a.status, a.text())
		}
		if p := b.public("un.localhost", art.Path); strings.Contains(p.body, "Corrected text.") {
			t.Fatal("a scheduled edition is shown before its time")
		}
		f.clock.at = later.Add(2 * time.Second)
		if n := scheduler.Once(ctx); n != 1 {
			t.Fatalf("the scheduler published %d editions", n)
		}
		if _, done, _ := f.ed.PublishEdition(ctx, id); done {
			t.Fatal("an edition was published twice")
		}
		if p := b.public("un.localhost", art.Path); !strings.Contains(p.body, "Corrected text.") {
			t.Fatal("the scheduled edition is not shown after its time")
		}
	})
}

func TestReviewRequired(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		site := f.un
		site.RequireReview = true
		if err := f.st.UpdateSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		f.user("ana@un.example.org", f.un.ID, account.RoleEditor)
		f.user("ben@un.example.org", f.un.ID, account.RoleEditor)
		f.user("author@un.example.org", f.un.ID, account.RoleAuthor)
		ana, ben, author := f.browser(), f.browser(), f.browser()
		ana.signIn("ana@un.example.org")
		ben.signIn("ben@un.example.org")
		author.signIn("author@un.example.org")

		// An author submits; an editor publishes.
		id := author.newArticle(f.un, "en", "Author's note", "Text.")
		author.edit(f.un, id)
		if a := author.post(articlePath(f.un, id, "submit"), url.Values{}); a.status != http.StatusOK || !strings.Contains(a.text(), "Submitted") {
			t.Fatalf("submit: %d: %s", a.status, a.text())
		}
		if a := ben.get("/admin/sites/un/"); !strings.Contains(a.text(), "waiting for review") {
			t.Fatal("the list does not show what waits for review")
		}
		ben.edit(f.un, id)
		if a := ben.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}}); a.status != http.StatusOK {
			t.Fatalf("second person publishes: %d: %s", a.status, a.text())
		}
		// The one who wrote the last change cannot publish it alone …
		id = ana.newArticle(f.un, "en", "Ana's statement", "Text.")
		ana.edit(f.un, id)
		a := ana.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("reason") == "" {
			t.Fatalf("publishing one's own change: %d: %s", a.status, a.text())
		}
		// … unless forcing it with a reason, which the audit log keeps.
		if a = ana.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}, "force": {"on"}, "reason": {" "}}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("force without a reason: %d", a.status)
		}
		if a = ana.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}, "force": {"on"}, "reason": {"The minister speaks in ten minutes."}}); a.status != http.StatusOK {
			t.Fatalf("force with a reason: %d: %s", a.status, a.text())
		}
		log, err := f.st.Accounts().AuditLog(ctx, store.AuditQuery{SiteIDs: []int64{f.un.ID}, Limit: 1})
		if err != nil || log[0].Action != "force-publish" || log[0].Detail != "The minister speaks in ten minutes." || log[0].Email != "ana@un.example.org" {
			t.Fatalf("audit = %+v, %v", log, err)
		}
		// A translator can neither publish nor force.
		f.user("tr@un.example.org", f.un.ID, account.RoleTranslator)
		tr := f.browser()
		tr.signIn("tr@un.example.org")
		other := f.articleBy(f.mustUser("ben@un.example.org"), account.RoleEditor, f.un, "en", "Ben's draft")
		tr.get("/admin/sites/un/")
		if a = tr.post(articlePath(f.un, other.ID, "publish"), url.Values{"do": {"now"}, "force": {"on"}, "reason": {"Because."}}); a.status != http.StatusForbidden {
			t.Fatalf("translator forcing: %d", a.status)
		}
	})
}

func (f *fixture) mustUser(email string) account.User {
	f.t.Helper()
	u, err := f.st.Accounts().UserByEmail(context.Background(), email)
	if err != nil {
		f.t.Fatal(err)
	}
	return u
}

func TestTranslationBesideItsSource(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		f.user("tr@un.example.org", f.un.ID, account.RoleTranslator)
		ed, tr := f.browser(), f.browser()
		ed.signIn("editor@un.example.org")
		tr.signIn("tr@un.example.org")
		src := ed.newArticle(f.un, "en", "Statement on water", "The delegation thanks the chair.\n\nWater is life.")
		ed.edit(f.un, src)
		ed.post(articlePath(f.un, src, "publish"), url.Values{"do": {"now"}})

		// The translator sees the source paragraph by paragraph.
		a := tr.get(fmt.Sprintf("/admin/sites/un/articles/%d/translate/zh", src))
		if a.status != http.StatusOK || !strings.Contains(a.text(), "Water is life.") || len(a.values("para")) < 2 {
			t.Fatalf("translation form: %d, %d boxes", a.status, len(a.values("para")))
		}
		a = tr.post("/admin/sites/un/articles/new", url.Values{"language": {"zh"}, "of": {strconv.FormatInt(src, 10)}, "source": {a.value("source")},
			"title": {"关于水的声明"}, "para": {"代表团感谢主席。", "水是生命之源。", ""}, "do": {"save"}})
		if a.status != http.StatusOK || !strings.Contains(a.url, "/articles/") {
			t.Fatalf("save translation: %d: %s", a.status, a.text())
		}
		trID, _ := strconv.ParseInt(a.url[strings.LastIndexByte(a.url, '/')+1:], 10, 64)
		zh, err := f.st.Article(ctx, trID)
		if err != nil || zh.Body != "代表团感谢主席。\n\n水是生命之源。" || zh.Language != "zh" {
			t.Fatalf("translation = %q (%s), %v", zh.Body, zh.Language, err)
		}
		if zh.TranslationGroup != src {
			t.Fatalf("translation group = %d, want %d", zh.TranslationGroup, src)
		}
		// The translator cannot publish it.
		if a = tr.post(articlePath(f.un, trID, "publish"), url.Values{"do": {"now"}}); a.status != http.StatusForbidden {
			t.Fatalf("translator publishing: %d", a.status)
		}
		// The source changes: the translation says so, with the change.
		e := ed.edit(f.un, src)
		ed.post(articlePath(f.un, src, ""), url.Values{"title": {"Statement on water"}, "body": {"The delegation thanks the chair.\n\nClean water is life."},
			"section": {e.value("section")}, "kind": {"news"}, "base": {e.value("base")}, "note": {"Clarified."}, "do": {"save"}})
		a = tr.edit(f.un, trID)
		if !strings.Contains(a.text(), "Source changed") || !strings.Contains(a.body, "<ins>Clean") {
			t.Fatalf("no source-changed flag:\n%s", a.text())
		}
		// Publishing one language leaves the other as it was.
		ed.edit(f.un, trID)
		if a = ed.post(articlePath(f.un, trID, "publish"), url.Values{"do": {"now"}}); a.status != http.StatusOK {
			t.Fatalf("publish translation: %d", a.status)
		}
		en, _ := f.st.Article(ctx, src)
		if p := ed.public("un.localhost", en.Path); strings.Contains(p.body, "Clean water") {
			t.Fatal("publishing the translation published the source's draft edition")
		}
		zh, _ = f.st.Article(ctx, trID)
		if zh.Status != content.StatusPublished {
			t.Fatalf("translation is %s", zh.Status)
		}
	})
}

func TestRevisionsDiffAndRestore(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		id := b.newArticle(f.un, "en", "Talks", "Talks were held on Monday.")
		for _, body := range []string{"Talks were held on Tuesday.", "Talks were held on Tuesday in Geneva."} {
			e := b.edit(f.un, id)
			b.post(articlePath(f.un, id, ""), url.Values{"title": {"Talks"}, "body": {body}, "section": {e.value("section")}, "kind": {"news"},
				"base": {e.value("base")}, "do": {"save"}})
		}
		revs, err := f.st.Accounts().Revisions(ctx, id)
		if err != nil || len(revs) != 3 {
			t.Fatalf("%d revisions, %v", len(revs), err)
		}
		a := b.get(fmt.Sprintf("/admin/sites/un/articles/%d/revisions?from=%d&to=%d", id, revs[2].ID, revs[0].ID))
		if a.status != http.StatusOK || !strings.Contains(a.body, "<del>Monday</del>") || !strings.Contains(a.body, "<ins>Tuesday") {
			t.Fatalf("diff of the first and last:\n%s", a.body)
		}
		a = b.post(articlePath(f.un, id, "restore"), url.Values{"revision": {strconv.FormatInt(revs[2].ID, 10)}, "base": {strconv.FormatInt(revs[0].ID, 10)}})
		if a.status != http.StatusOK || a.value("body") != "Talks were held on Monday." {
			t.Fatalf("restore: %d, body %q", a.status, a.value("body"))
		}
		revs, _ = f.st.Accounts().Revisions(ctx, id)
		if len(revs) != 4 || revs[0].Body != "Talks were held on Monday." || !strings.Contains(revs[0].Note, "Restored") {
			t.Fatalf("after restore: %d revisions, latest %q (%q)", len(revs), revs[0].Body, revs[0].Note)
		}
	})
}

func TestPreviewLink(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		id := b.newArticle(f.un, "en", "Draft for the ambassador", "Not public yet.")
		b.edit(f.un, id)
		a := b.post(articlePath(f.un, id, "preview-link"), url.Values{})
		var link string
		if i := strings.Index(a.body, "/admin/preview/"); i >= 0 {
			link = a.body[i:]
			link = link[:strings.IndexAny(link, `"<`)]
		}
		if a.status != http.StatusOK || link == "" {
			t.Fatalf("preview link: %d", a.status)
		}
		// Anyone with it reads the draft, without signing in.
		p := f.browser().get(link)
		if p.status != http.StatusOK || !strings.Contains(p.body, "Not public yet.") || !strings.Contains(p.body, "noindex") {
			t.Fatalf("preview link opened: %d", p.status)
		}
		if p = f.browser().get(link + "x"); p.status != http.StatusNotFound {
			t.Fatalf("wrong preview link: %d", p.status)
		}
		// A translator may not show a colleague's draft outside.
		f.user("tr@un.example.org", f.un.ID, account.RoleTranslator)
		tr := f.browser()
		tr.signIn("tr@un.example.org")
		if a := tr.post(articlePath(f.un, id, "preview-link"), url.Values{}); a.status != http.StatusForbidden {
			t.Fatalf("translator making a preview link: %d", a.status)
		}
		// The link ends with its maker's access.
		ed, _ := f.st.Accounts().UserByEmail(context.Background(), "editor@un.example.org")
		if err := f.st.Accounts().SetRole(context.Background(), ed.ID, f.un.ID, ""); err != nil {
			t.Fatal(err)
		}
		if p = f.browser().get(link); p.status != http.StatusNotFound {
			t.Fatalf("preview link of someone who lost the site: %d", p.status)
		}
		if err := f.st.Accounts().SetRole(context.Background(), ed.ID, f.un.ID, account.RoleEditor); err != nil {
			t.Fatal(err)
		}
		f.clock.at = time.Now().Add(73 * time.Hour)
		if p = f.browser().get(link); p.status != http.StatusNotFound {
			t.Fatalf("expired preview link: %d", p.status)
		}
	})
}

// TestNoTextOfAnotherSite checks that the form fields naming a source
// article or revision cannot show another site's text.
func TestNoTextOfAnotherSite(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		editor := f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		f.user("tr@embassy.example.org", f.emb.ID, account.RoleTranslator)
		secret := f.articleBy(editor, account.RoleEditor, f.un, "en", "Embargoed UN draft")
		revs, err := f.st.Accounts().Revisions(context.Background(), secret.ID)
		if err != nil || len(revs) == 0 {
			t.Fatal(err)
		}
		b := f.browser()
		b.signIn("tr@embassy.example.org")
		b.get("/admin/sites/embassy/")
		for name, vals := range map[string]url.Values{
			"of":       {"language": {"zh"}, "of": {strconv.FormatInt(secret.ID, 10)}, "title": {"x"}, "para": {"x"}, "do": {"insert"}, "image": {"none"}},
			"of, save": {"language": {"zh"}, "of": {strconv.FormatInt(secret.ID, 10)}, "title": {"x"}, "para": {"x"}, "do": {"save"}},
		} {
			a := b.post("/admin/sites/embassy/articles/new", vals)
			if a.status == http.StatusOK || strings.Contains(a.body, "Embargoed") {
				t.Fatalf("%s: %d, and the other site's draft shows: %v", name, a.status, strings.Contains(a.body, "Embargoed"))
			}
		}
		// A translation of the translator's own site naming another
		// site's revision as its source is refused.
		arts, err := f.st.Articles(context.Background(), store.ArticleQuery{SiteID: f.emb.ID, Language: "en", Status: content.StatusPublished, Limit: 1})
		if err != nil || len(arts) == 0 {
			t.Fatal(err)
		}
		vals := url.Values{"language": {"zh"}, "of": {strconv.FormatInt(arts[0].TranslationGroup, 10)}, "source": {strconv.FormatInt(revs[0].ID, 10)},
			"title": {"译文"}, "para": {"译文。"}, "do": {"save"}}
		a := b.post("/admin/sites/embassy/articles/new", vals)
		if (a.status != http.StatusUnprocessableEntity && a.status != http.StatusNotFound) || strings.Contains(a.body, "Embargoed") {
			t.Fatalf("another site's revision as the source: %d", a.status)
		}
	})
}

// TestScheduledTextIsWhatWasScheduled: a scheduled article, or a scheduled
// edition, goes out as it was when it was scheduled, whatever is saved
// after.
func TestScheduledTextIsWhatWasScheduled(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("ana@un.example.org", f.un.ID, account.RoleEditor)
		f.user("ben@un.example.org", f.un.ID, account.RoleEditor)
		f.user("author@un.example.org", f.un.ID, account.RoleAuthor)
		ana, ben, author := f.browser(), f.browser(), f.browser()
		ana.signIn("ana@un.example.org")
		ben.signIn("ben@un.example.org")
		author.signIn("author@un.example.org")
		loc := f.un.Location()
		at := time.Now().In(loc).Add(2 * time.Hour).Truncate(time.Minute)
		save := func(b *browser, id int64, title, note string) answer {
			e := b.edit(f.un, id)
			return b.post(articlePath(f.un, id, ""), url.Values{"title": {title}, "body": {title + "."}, "section": {e.value("section")},
				"kind": {"news"}, "base": {e.value("base")}, "note": {note}, "do": {"save"}})
		}
		schedule := func(b *browser, id int64) answer {
			e := b.edit(f.un, id)
			return b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"schedule"}, "at": {at.Format("2006-01-02T15:04")}, "revision": {e.value("revision")}})
		}

		// The author's draft, scheduled by an editor: the author can no
		// longer change it, an editor's change waits as an edition.
		id := author.newArticle(f.un, "en", "Reviewed text", "Reviewed text.")
		if a := schedule(ana, id); a.status != http.StatusOK {
			t.Fatalf("schedule: %d: %s", a.status, a.text())
		}
		if a := save(author, id, "Unreviewed text", ""); a.status != http.StatusForbidden {
			t.Fatalf("author changing a scheduled article: %d", a.status)
		}
		if a := save(ben, id, "Later text", ""); a.status != http.StatusOK || !strings.Contains(a.text(), "draft edition waits") {
			t.Fatalf("editor changing a scheduled article: %d: %s", a.status, a.text())
		}
		f.clock.at = at.Add(2 * time.Second)
		if _, done, err := f.ed.Publisher.PublishDue(ctx, id); err != nil || !done {
			t.Fatalf("PublishDue: %v, %v", done, err)
		}
		if art, _ := f.st.Article(ctx, id); art.Title != "Reviewed text" {
			t.Fatalf("scheduled article went out as %q", art.Title)
		}
		f.clock.at = time.Time{}

		// A scheduled edition: the revision scheduled goes out, not a
		// later save.
		id = ana.newArticle(f.un, "en", "Live text", "Live text.")
		ana.edit(f.un, id)
		ana.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}})
		save(ana, id, "Edition A", "A.")
		if a := schedule(ben, id); a.status != http.StatusOK {
			t.Fatalf("schedule edition: %d: %s", a.status, a.text())
		}
		save(ana, id, "Edition B", "B.")
		f.clock.at = at.Add(2 * time.Second)
		if _, done, err := f.ed.PublishEdition(ctx, id); err != nil || !done {
			t.Fatalf("PublishEdition: %v, %v", done, err)
		}
		if art, _ := f.st.Article(ctx, id); art.Title != "Edition A" {
			t.Fatalf("scheduled edition went out as %q", art.Title)
		}
		f.clock.at = time.Time{}
		// Publishing from a page older than the latest save publishes
		// nothing.
		stale := ben.edit(f.un, id).value("revision")
		save(ana, id, "Edition C", "C.")
		if a := ben.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}, "revision": {stale}}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("publish from a stale page: %d", a.status)
		}
		if art, _ := f.st.Article(ctx, id); art.Title != "Edition A" {
			t.Fatalf("a stale publish went out: %q", art.Title)
		}
	})
}

// TestSecondReviewFindings covers what the second review found: a publish
// from a page opened before any revision, an author's documents on a
// scheduled article, a preview link of someone demoted, and an upload
// that changes no page.
func TestSecondReviewFindings(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("ana@un.example.org", f.un.ID, account.RoleEditor)
		f.user("ben@un.example.org", f.un.ID, account.RoleEditor)
		ana, ben := f.browser(), f.browser()
		ana.signIn("ana@un.example.org")
		ben.signIn("ben@un.example.org")

		// An article of the command line has no revision: a page opened
		// then does not publish what was saved after it.
		art, err := f.st.CreateArticle(ctx, content.Article{SiteID: f.un.ID, SectionID: f.firstSection(f.un), Language: "en",
			Kind: content.KindNews, Status: content.StatusDraft, Title: "From the command line", Body: "Text."})
		if err != nil {
			t.Fatal(err)
		}
		stale := ana.edit(f.un, art.ID).value("revision")
		e := ben.edit(f.un, art.ID)
		ben.post(articlePath(f.un, art.ID, ""), url.Values{"title": {"Ben's unseen title"}, "body": {"Text."}, "section": {e.value("section")},
			"kind": {"news"}, "base": {e.value("base")}, "do": {"save"}})
		if a := ana.post(articlePath(f.un, art.ID, "publish"), url.Values{"do": {"now"}, "revision": {stale}}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("publish from a page opened before the first revision: %d", a.status)
		}

		// An author's scheduled article: its documents are fixed too.
		f.user("author@un.example.org", f.un.ID, account.RoleAuthor)
		au := f.browser()
		au.signIn("author@un.example.org")
		id := au.newArticle(f.un, "en", "Author's scheduled text", "Text.")
		ana.edit(f.un, id)
		at := time.Now().In(f.un.Location()).Add(3 * time.Hour).Format("2006-01-02T15:04")
		if a := ana.post(articlePath(f.un, id, "publish"), url.Values{"do": {"schedule"}, "at": {at}}); a.status != http.StatusOK {
			t.Fatalf("schedule: %d", a.status)
		}
		epoch, _ := f.st.Pages().PageEpoch(ctx, f.un.ID)
		ana.get("/admin/sites/un/media")
		ana.upload("/admin/sites/un/media", url.Values{"title_en": {"Annex"}}, "annex.pdf", tinyPDF)
		if after, _ := f.st.Pages().PageEpoch(ctx, f.un.ID); after != epoch {
			t.Fatalf("an upload listed nowhere raised the page epoch: %d → %d", epoch, after)
		}
		files, _ := f.st.Imports().MediaList(ctx, f.un.ID)
		au.edit(f.un, id)
		if a := au.post(articlePath(f.un, id, "attach"), url.Values{"media": {files[0].Key}}); a.status != http.StatusForbidden {
			t.Fatalf("author attaching to a scheduled article: %d", a.status)
		}

		// A preview link stops when its maker may no longer show the draft.
		ana.edit(f.un, id)
		a := ana.post(articlePath(f.un, id, "preview-link"), url.Values{})
		i := strings.Index(a.body, "/admin/preview/")
		if i < 0 {
			t.Fatalf("no preview link: %d", a.status)
		}
		link := a.body[i:]
		link = link[:strings.IndexAny(link, `"<`)]
		if p := f.browser().get(link); p.status != http.StatusOK {
			t.Fatalf("preview link: %d", p.status)
		}
		u := f.mustUser("ana@un.example.org")
		if err := f.st.Accounts().SetRole(ctx, u.ID, f.un.ID, account.RoleTranslator); err != nil {
			t.Fatal(err)
		}
		if p := f.browser().get(link); p.status != http.StatusNotFound {
			t.Fatalf("preview link of someone now a translator: %d", p.status)
		}
	})
}

// TestJoinParagraphs: the translation form's boxes make the body the
// source's blocks would: an indented code block keeps its indentation
// (trimming it would make it a paragraph), boxes are trimmed, empty ones
// left out, and the body splits back into the same boxes.
func TestJoinParagraphs(t *testing.T) {
	for _, c := range []struct {
		boxes []string
		want  string
	}{
		{[]string{"  代表团感谢主席。 ", "", "水是生命之源。\r\n"}, "代表团感谢主席。\n\n水是生命之源。"},
		{[]string{"前言", "    代码行\n    更多代码", "结语"}, "前言\n\n    代码行\n    更多代码\n\n结语"},
		{[]string{"\n\n    缩进的代码\n\n"}, "    缩进的代码"},
		{[]string{"第一段\n\n\n第二段"}, "第一段\n\n第二段"},
		{[]string{"```\n代码\n\n仍是代码\n```"}, "```\n代码\n\n仍是代码\n```"},
	} {
		got := joinParagraphs(c.boxes)
		if got != c.want {
			t.Errorf("joinParagraphs(%q) = %q; want %q", c.boxes, got, c.want)
		}
		if again := joinParagraphs(textdiff.Paragraphs(got)); again != got {
			t.Errorf("the body %q, split into boxes and joined again, is %q", got, again)
		}
	}
}
