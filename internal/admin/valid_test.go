package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/htmltest"
	"chancery/internal/testdb"
)

// TestPagesAreValidHTML renders every kind of back-office page, in
// English and in Chinese (a person whose Language is "zh"; before sign-in,
// ?lang=zh), through the fixture on SQLite: the set-up form, sign-in
// (empty, with a wrong password, and after the session ended mid-form),
// the two-factor form (empty and with a wrong code), the password-link
// form (empty and refused), home (with sites and with none), the article
// list with filters, the new-article editor (empty and refused), the
// editor of a published article with a draft edition and a missing change
// note, a new translation and a translation whose source changed (the
// paragraph table), a conflict (two saves from the same base), a preview
// link, a read-only article, a scheduled article, a withdrawn one and one
// that needs a second person to publish, revisions with a diff, the media
// page with an upload refused, the sections page with the edit form open
// (and with a refused save), people (and a new person's password link),
// settings (plain, saved and refused), the audit log, the account page
// (plain, with two-factor set-up in progress, with a wrong code, with
// recovery codes), the form-expired page, and the message pages for 404
// and 403.
//
// Each page is checked for what a person using a screen reader or the
// keyboard needs, without a validator: every visible form control has a
// label (<label for>, an enclosing <label>, aria-label or
// aria-labelledby), ids are unique, <html lang> is the page's language,
// and there is one <h1>, not empty, and one <main> (a <title> that does
// not name the page is logged). Then all of them go, in one run, to the
// Nu HTML Checker (the W3C validator), whose errors fail the test and
// whose warnings are logged. That part needs java and vnu.jar, named by
// CHANCERY_VNU_JAR; .ci/run installs both.
func TestPagesAreValidHTML(t *testing.T) {
	var sqlite testdb.Engine
	for _, e := range testdb.Engines() {
		if e.Name == "sqlite" {
			sqlite = e
		}
	}
	f := newFixture(t, sqlite.Open(t))
	pages := backOfficePages(t, f)

	t.Run("structure", func(t *testing.T) {
		for _, p := range pages {
			for _, problem := range pageStructureProblems(p.answer.doc, p.htmlLang()) {
				t.Errorf("%s (%s %s): %s", p.name, p.lang, p.path, problem)
			}
			// The window's title comes from the handler, not the
			// templates: one that does not name the page is a warning.
			if title := htmltest.Find(p.answer.doc, htmltest.Tag("title")); len(title) != 1 ||
				strings.TrimSpace(strings.TrimSuffix(htmltest.Text(title[0]), "· Chancery")) == "" {
				t.Logf("warning: %s (%s %s): the <title> does not name the page", p.name, p.lang, p.path)
			}
		}
	})

	t.Run("vnu", func(t *testing.T) {
		jar := os.Getenv("CHANCERY_VNU_JAR")
		if jar == "" {
			t.Skip("set CHANCERY_VNU_JAR to the Nu HTML Checker's vnu.jar to check HTML validity " +
				"(npm install vnu-jar, then node_modules/vnu-jar/build/dist/vnu.jar; it needs java: apt-get install default-jre-headless); .ci/run does this")
		}
		java, err := exec.LookPath("java")
		if err != nil {
			t.Fatal("CHANCERY_VNU_JAR is set but java is missing: apt-get install default-jre-headless")
		}
		dir := t.TempDir()
		files := make([]string, len(pages))
		byFile := map[string]renderedPage{}
		for i, p := range pages {
			name := fmt.Sprintf("%02d-%s-%s.html", i, p.lang, strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
					return r
				}
				return '-'
			}, strings.ToLower(p.name)))
			files[i] = filepath.Join(dir, name)
			byFile[name] = p
			if err := os.WriteFile(files[i], []byte(p.answer.body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		out, err := exec.Command(java, append([]string{"-jar", jar, "--format", "json", "--stdout"}, files...)...).Output()
		var report struct {
			Messages []struct {
				Type, SubType, URL, Message, Extract string
				LastLine                             int
			}
		}
		if jerr := json.Unmarshal(out, &report); jerr != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("the Nu HTML Checker's report cannot be read (%v; run: %v):\n%s\n%s", jerr, err, out, stderr)
		}
		failed := 0
		for _, m := range report.Messages {
			file := m.URL[strings.LastIndexByte(m.URL, '/')+1:]
			where := file
			if p, ok := byFile[file]; ok {
				where = fmt.Sprintf("%s (%s %s)", p.name, p.lang, p.path)
			}
			switch {
			case m.Type == "error" || m.Type == "non-document-error":
				failed++
				t.Errorf("%s: line %d: %s\n\t%s", where, m.LastLine, m.Message, strings.TrimSpace(m.Extract))
			case m.SubType == "warning":
				t.Logf("warning: %s: line %d: %s", where, m.LastLine, m.Message)
			}
		}
		if err != nil && failed == 0 {
			t.Fatalf("the Nu HTML Checker failed (%v) without reporting an error:\n%s", err, out)
		}
		t.Logf("the Nu HTML Checker read %d pages", len(files))
	})
}

// renderedPage is a back-office page as the browser got it.
type renderedPage struct {
	name, lang, path string
	answer           answer
}

// htmlLang is the <html lang> a page in lang must have.
func (p renderedPage) htmlLang() string {
	if p.lang == "zh" {
		return "zh-Hans"
	}
	return "en"
}

// backOfficePages goes through the back office in English and in Chinese
// and returns one page of every kind, each checked to be the page meant:
// its status, and a piece of its markup that only that state shows.
func backOfficePages(t *testing.T, f *fixture) []renderedPage {
	t.Helper()
	ctx := context.Background()
	setup, err := SetupAddress(ctx, f.st, time.Now())
	if err != nil || setup == "" {
		t.Fatalf("SetupAddress = %q, %v", setup, err)
	}
	var pages []renderedPage
	for _, lang := range []string{"en", "zh"} {
		var b *browser
		// keep records a page after checking it is the one meant.
		keep := func(name string, a answer, status int, marks ...string) {
			t.Helper()
			if a.status != status {
				t.Fatalf("%s (%s): %d at %s, want %d\n%s", name, lang, a.status, a.url, status, a.text())
			}
			if a.doc == nil {
				t.Fatalf("%s (%s): not an HTML page", name, lang)
			}
			for _, m := range marks {
				if !strings.Contains(a.body, m) {
					t.Fatalf("%s (%s) at %s: no %q in the page; not the page meant?\n%s", name, lang, a.url, m, a.text())
				}
			}
			pages = append(pages, renderedPage{name: name, lang: lang, path: a.url, answer: a})
		}
		email := func(who string) string { return who + "." + lang + "@un.example.org" }
		q := "?lang=" + lang

		// Before sign-in: the language is the request's.
		b = f.browser()
		keep("set-up form", b.get(setup+q), http.StatusOK, `name="password2"`)
		keep("set-up form, refused", b.post(setup+q, url.Values{"email": {"head@mission.example.org"}, "name": {"Head"},
			"password": {"short"}, "password2": {"short"}}), http.StatusUnprocessableEntity, `id="e-password"`)
		keep("sign-in form", b.get("/admin/sign-in"+q), http.StatusOK, `name="email"`)
		keep("sign-in form, wrong password", b.post("/admin/sign-in"+q, url.Values{"email": {email("admin")}, "password": {"not the password"}}),
			http.StatusUnauthorized, `class="problem"`)
		keep("sign-in form, signed out mid-form", b.post("/admin/sites/un/articles/new"+q, url.Values{"title": {"Typed at night"}, "body": {"Text."}}),
			http.StatusUnauthorized, `name="resume"`)

		// The people of this language.
		f.validUser(email("admin"), lang, account.RoleAdmin, f.un.ID, f.emb.ID)
		f.validUser(email("translator"), lang, account.RoleTranslator, f.un.ID)
		tf := f.validUser(email("twofactor"), lang, "")
		newcomer := f.validUser(email("newcomer"), lang, "")

		// A password link.
		link, err := PasswordAddress(ctx, f.st, newcomer.ID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		b = f.browser()
		keep("password-link form", b.get(link), http.StatusOK, `name="password2"`)
		keep("password-link form, refused", b.post(link, url.Values{"password": {testPassword}, "password2": {testPassword + "!"}}),
			http.StatusUnprocessableEntity, `id="e-password2"`)

		// Two-factor sign-in, set up on the account page by someone with
		// no role yet.
		b = f.browser()
		b.signIn(tf.Email)
		keep("home, no site", b.get("/admin/"), http.StatusOK)
		keep("account", b.get("/admin/account"), http.StatusOK, `name="current"`)
		a := b.post("/admin/account/two-factor", url.Values{"step": {"start"}})
		keep("account, two-factor set-up in progress", a, http.StatusOK, `id="f-code"`)
		secret := a.value("secret")
		keep("account, two-factor set-up, wrong code", b.post("/admin/account/two-factor", url.Values{"step": {"confirm"}, "secret": {secret}, "code": {"000000"}, "current_tf": {testPassword}}),
			http.StatusUnprocessableEntity, `id="e-code"`)
		key, err := auth.ParseTOTPKey(secret)
		if err != nil {
			t.Fatal(err)
		}
		keep("account, recovery codes", b.post("/admin/account/two-factor", url.Values{"step": {"confirm"}, "secret": {secret}, "code": {auth.TOTPCode(key, time.Now())}, "current_tf": {testPassword}}),
			http.StatusOK, `class="codes"`)
		b = f.browser()
		b.get("/admin/sign-in")
		keep("two-factor form", b.post("/admin/sign-in", url.Values{"email": {tf.Email}, "password": {testPassword}}), http.StatusOK, `name="code"`)
		keep("two-factor form, wrong code", b.post("/admin/two-factor", url.Values{"code": {"123456"}}), http.StatusUnauthorized, `id="e-code"`)

		// The administrator of the site, on two sites.
		b = f.browser()
		b.signIn(email("admin"))
		keep("home", b.get("/admin/"), http.StatusOK, `class="cards"`)
		b.get("/admin/sites/un/media")
		if a := b.upload("/admin/sites/un/media", url.Values{"title_en": {"Position paper"}, "title_zh": {"立场文件"}}, "paper.pdf", tinyPDF); a.status != http.StatusOK {
			t.Fatalf("upload a PDF: %d: %s", a.status, a.text())
		}
		if a := b.upload("/admin/sites/un/media", url.Values{"alt_en": {"The ambassador speaks"}, "alt_zh": {"大使发言"}}, "photo.png", tinyPNG); a.status != http.StatusOK {
			t.Fatalf("upload an image: %d: %s", a.status, a.text())
		}
		keep("media, upload refused", b.upload("/admin/sites/un/media", url.Values{"title_zh": {"立场文件"}}, "paper.pdf", []byte("just some text, not a PDF")),
			http.StatusUnsupportedMediaType, `id="e-file"`, `<table class="list">`)
		files, err := f.st.Imports().MediaList(ctx, f.un.ID)
		if err != nil || len(files) == 0 {
			t.Fatalf("stored files: %v, %v", files, err)
		}
		section := strconv.FormatInt(f.firstSection(f.un), 10)
		keep("article list, filtered", b.get("/admin/sites/un/?status=published&section="+section), http.StatusOK, `<table class="list">`)
		keep("article list, nothing matches", b.get("/admin/sites/un/?q=zzyzx&kind=news&status=draft"), http.StatusOK, `name="q" type="search" value="zzyzx"`)
		keep("new article", b.get("/admin/sites/un/articles/new"), http.StatusOK, `id="f-body"`, `id="f-image"`)
		keep("new article, refused", b.post("/admin/sites/un/articles/new", url.Values{"language": {"en"}, "title": {" "}, "body": {"A body without a title."},
			"section": {section}, "kind": {"news"}, "do": {"save"}}), http.StatusUnprocessableEntity, `id="e-title"`)

		// A published article, its translation, then a draft edition of it.
		src := b.newArticle(f.un, "en", "Statement on water ("+lang+")", "The delegation thanks the chair.\n\nWater is life.")
		b.edit(f.un, src)
		if a := b.post(articlePath(f.un, src, "publish"), url.Values{"do": {"now"}}); a.status != http.StatusOK {
			t.Fatalf("publish: %d: %s", a.status, a.text())
		}
		if a := b.post(articlePath(f.un, src, "attach"), url.Values{"media": {files[0].Key}}); a.status != http.StatusOK {
			t.Fatalf("attach: %d: %s", a.status, a.text())
		}
		a = b.get(fmt.Sprintf("/admin/sites/un/articles/%d/translate/zh", src))
		keep("new translation", a, http.StatusOK, `class="paragraphs"`)
		a = b.post("/admin/sites/un/articles/new", url.Values{"language": {"zh"}, "of": {strconv.FormatInt(src, 10)}, "source": {a.value("source")},
			"title": {"关于水的声明"}, "para": {"代表团感谢主席。", "水是生命之源。", ""}, "do": {"save"}})
		if a.status != http.StatusOK || !strings.Contains(a.url, "/articles/") {
			t.Fatalf("save the translation: %d: %s", a.status, a.text())
		}
		tr, _ := strconv.ParseInt(a.url[strings.LastIndexByte(a.url, '/')+1:], 10, 64)
		e := b.edit(f.un, src)
		edition := url.Values{"title": {e.value("title")}, "body": {"The delegation thanks the chair.\n\nClean water is life."}, "section": {e.value("section")},
			"kind": {e.value("kind")}, "base": {e.value("base")}, "note": {"Clarified."}, "public_note": {"on"}, "do": {"save"}}
		if a := b.post(articlePath(f.un, src, ""), edition); a.status != http.StatusOK {
			t.Fatalf("save an edition: %d: %s", a.status, a.text())
		}
		e = b.edit(f.un, src)
		edition.Set("base", e.value("base"))
		edition.Set("body", "The delegation warmly thanks the chair.\n\nClean water is life.")
		edition.Del("note")
		keep("editor, published, draft edition, no change note", b.post(articlePath(f.un, src, ""), edition),
			http.StatusUnprocessableEntity, `id="e-note"`, `id="f-wreason"`, `id="f-media"`)
		keep("translation, source changed", b.edit(f.un, tr), http.StatusOK, `id="changed"`, `class="paragraphs"`, `<ins>`)
		keep("editor, preview link", b.post(articlePath(f.un, src, "preview-link"), url.Values{}), http.StatusOK, `/admin/preview/`)

		// Two saves from the same base.
		c := b.newArticle(f.un, "en", "Joint statement ("+lang+")", "First draft.")
		base := b.edit(f.un, c).value("base")
		save := func(body string) answer {
			return b.post(articlePath(f.un, c, ""), url.Values{"title": {"Joint statement (" + lang + ")"}, "body": {body}, "section": {section},
				"kind": {"news"}, "base": {base}, "do": {"save"}})
		}
		if a := save("Ana's version of the text."); a.status != http.StatusOK {
			t.Fatalf("first save: %d: %s", a.status, a.text())
		}
		keep("editor, conflict", save("Ben's version of the text."), http.StatusConflict, `id="conflict"`, `<del>`)
		revs, err := f.st.Accounts().Revisions(ctx, c)
		if err != nil || len(revs) < 2 {
			t.Fatalf("%d revisions, %v", len(revs), err)
		}
		keep("revisions, a difference", b.get(fmt.Sprintf("/admin/sites/un/articles/%d/revisions?from=%d&to=%d", c, revs[len(revs)-1].ID, revs[0].ID)),
			http.StatusOK, `class="diff"`, `<ins>`)

		// Scheduled, withdrawn, and waiting for a second person.
		tomorrow := time.Now().In(f.un.Location()).AddDate(0, 0, 1).Format("2006-01-02T15:04")
		b.edit(f.un, c)
		keep("editor, scheduled", b.post(articlePath(f.un, c, "publish"), url.Values{"do": {"schedule"}, "at": {tomorrow}}), http.StatusOK, `/unschedule"`)
		w := b.newArticle(f.un, "en", "Statement issued in error ("+lang+")", "Text.")
		b.edit(f.un, w)
		if a := b.post(articlePath(f.un, w, "publish"), url.Values{"do": {"now"}}); a.status != http.StatusOK {
			t.Fatalf("publish: %d: %s", a.status, a.text())
		}
		keep("editor, withdrawn", b.post(articlePath(f.un, w, "withdraw"), url.Values{"reason": {"Issued in error."}}), http.StatusOK, `class="readonly"`)
		keep("settings, saved", b.post("/admin/sites/un/settings", url.Values{"require_review": {"on"}}), http.StatusOK, `id="f-review" name="require_review" checked`)
		keep("editor, review required", b.edit(f.un, c), http.StatusOK, `id="f-force"`)
		keep("settings, refused", b.post("/admin/sites/un/settings", url.Values{"require_two_factor": {"on"}}), http.StatusUnprocessableEntity, `class="problem"`)
		if a := b.post("/admin/sites/un/settings", url.Values{}); a.status != http.StatusOK {
			t.Fatalf("settings: %d: %s", a.status, a.text())
		}

		// The site's pages.
		keep("sections, editing one", b.get("/admin/sites/un/sections?edit="+section), http.StatusOK, `name="id" value="`+section+`"`)
		keep("sections, refused", b.post("/admin/sites/un/sections", url.Values{"do": {"save"}, "name_en": {"Press Releases"}, "name_zh": {""}, "parent": {"0"}}),
			http.StatusUnprocessableEntity, `class="error"`)
		keep("people", b.get("/admin/sites/un/people"), http.StatusOK, `id="f-role"`)
		keep("people, a password link", b.post("/admin/sites/un/people", url.Values{"email": {email("new")}, "name": {"New"}, "role": {"author"}}),
			http.StatusOK, `/admin/password/`)
		keep("settings", b.get("/admin/sites/un/settings"), http.StatusOK, `id="f-review"`)
		keep("audit log", b.get("/admin/sites/un/audit"), http.StatusOK, `<table class="list">`)
		keep("form expired", b.post("/admin/sites/un/articles/new", url.Values{"csrf": {"wrong"}, "title": {"Typed at night"}, "body": {"Text."}}),
			http.StatusForbidden, `name="resume"`)
		keep("not found", b.get("/admin/sites/un/articles/987654321"), http.StatusNotFound)

		// What a translator may not do.
		b = f.browser()
		b.signIn(email("translator"))
		keep("read-only article", b.edit(f.un, src), http.StatusOK, `class="readonly"`)
		keep("not allowed", b.get("/admin/sites/un/people"), http.StatusForbidden)
	}
	return pages
}

// validUser adds a person whose back office speaks lang, with role on
// each of sites.
func (f *fixture) validUser(email, lang string, role account.Role, sites ...int64) account.User {
	f.t.Helper()
	ctx := context.Background()
	u := f.user(email, 0, "")
	u.Language = lang
	if err := f.st.Accounts().UpdateUser(ctx, u); err != nil {
		f.t.Fatal(err)
	}
	for _, s := range sites {
		if err := f.st.Accounts().SetRole(ctx, u.ID, s, role); err != nil {
			f.t.Fatal(err)
		}
	}
	return u
}

// pageStructureProblems checks what the validator does not: every form
// control a person sees has a label, ids are unique, the page says its
// language, and it has one <h1>, with text, and one <main>.
func pageStructureProblems(doc *html.Node, lang string) []string {
	var problems []string
	if hs := htmltest.Find(doc, htmltest.Tag("html")); len(hs) != 1 || htmltest.Attr(hs[0], "lang") != lang {
		got := ""
		if len(hs) > 0 {
			got = htmltest.Attr(hs[0], "lang")
		}
		problems = append(problems, fmt.Sprintf("<html lang=%q>, want %q", got, lang))
	}
	for _, tag := range []string{"h1", "main"} {
		if n := len(htmltest.Find(doc, htmltest.Tag(tag))); n != 1 {
			problems = append(problems, fmt.Sprintf("%d <%s> elements, want one", n, tag))
		}
	}
	for _, h := range htmltest.Find(doc, htmltest.Tag("h1")) {
		if htmltest.Text(h) == "" {
			problems = append(problems, "the <h1> is empty")
		}
	}
	ids := map[string]*html.Node{}
	for _, n := range htmltest.Find(doc, func(n *html.Node) bool { return htmltest.Attr(n, "id") != "" }) {
		id := htmltest.Attr(n, "id")
		if _, dup := ids[id]; dup {
			problems = append(problems, fmt.Sprintf("id %q is used twice", id))
		}
		ids[id] = n
	}
	labels := map[string]string{}
	for _, l := range htmltest.Find(doc, htmltest.Tag("label")) {
		if id := htmltest.Attr(l, "for"); id != "" {
			labels[id] += " " + htmltest.Text(l)
		}
	}
	controls := htmltest.Find(doc, func(n *html.Node) bool {
		switch n.Data {
		case "select", "textarea":
			return true
		case "input":
			// Hidden fields are not seen; buttons are named by their value.
			switch strings.ToLower(htmltest.Attr(n, "type")) {
			case "hidden", "submit", "reset", "button", "image":
				return false
			}
			return true
		}
		return false
	})
	for _, c := range controls {
		if name := controlLabel(c, ids, labels); strings.TrimSpace(name) == "" {
			problems = append(problems, fmt.Sprintf("%s has no label (<label for>, an enclosing <label>, aria-label or aria-labelledby)", describeControl(c)))
		}
	}
	return problems
}

// controlLabel is the text that labels a form control, "" when none.
func controlLabel(c *html.Node, ids map[string]*html.Node, labels map[string]string) string {
	if l := htmltest.Attr(c, "aria-label"); strings.TrimSpace(l) != "" {
		return l
	}
	var by []string
	for _, id := range strings.Fields(htmltest.Attr(c, "aria-labelledby")) {
		if n, ok := ids[id]; ok {
			by = append(by, htmltest.Text(n))
		}
	}
	if len(by) > 0 {
		return strings.Join(by, " ")
	}
	if id := htmltest.Attr(c, "id"); id != "" {
		if l, ok := labels[id]; ok {
			return l
		}
	}
	// A label around the control labels it too.
	for p := c.Parent; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == "label" && htmltest.Attr(p, "for") == "" {
			return htmltest.Text(p)
		}
	}
	return ""
}

// describeControl names a form control for a message.
func describeControl(c *html.Node) string {
	var b strings.Builder
	b.WriteString("<" + c.Data)
	for _, k := range []string{"type", "name", "id"} {
		if v := htmltest.Attr(c, k); v != "" {
			fmt.Fprintf(&b, " %s=%q", k, v)
		}
	}
	b.WriteString(">")
	return b.String()
}
