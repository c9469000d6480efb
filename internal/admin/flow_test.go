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
	"chancery/internal/store"
)

func TestSetupFirstAdministrator(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		path, err := SetupAddress(ctx, f.st, time.Now())
		if err != nil || !strings.HasPrefix(path, "/admin/setup/") {
			t.Fatalf("SetupAddress = %q, %v", path, err)
		}
		b := f.browser()
		if a := b.get("/admin/"); a.status != http.StatusUnauthorized || a.url != "/admin/" || !strings.Contains(a.text(), "Sign in") {
			t.Fatalf("back office before sign-in: %d at %s", a.status, a.url)
		}
		if a := b.get("/admin/setup/not-a-token-at-all-but-long-enough-000000"); a.status != http.StatusNotFound {
			t.Fatalf("unknown set-up token: %d", a.status)
		}
		a := b.get(path)
		if a.status != http.StatusOK {
			t.Fatalf("set-up form: %d", a.status)
		}
		// A short password: refused next to the field, the address kept.
		a = b.post(path, url.Values{"email": {"Head@Mission.example.org"}, "name": {"Head of Chancery"}, "password": {"short"}, "password2": {"short"}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("password") == "" || a.value("email") != "Head@Mission.example.org" {
			t.Fatalf("short password: %d, error %q, email %q", a.status, a.fieldError("password"), a.value("email"))
		}
		a = b.post(path, url.Values{"email": {"Head@Mission.example.org"}, "name": {"Head of Chancery"}, "password": {testPassword}, "password2": {testPassword + "x"}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("password2") == "" {
			t.Fatalf("different passwords: %d, %q", a.status, a.fieldError("password2"))
		}
		a = b.post(path, url.Values{"email": {"Head@Mission.example.org"}, "name": {"Head of Chancery"}, "password": {testPassword}, "password2": {testPassword}})
		if a.status != http.StatusOK || !strings.HasPrefix(a.url, "/admin/") || !strings.Contains(a.text(), "Your sites") {
			t.Fatalf("after set-up: %d at %s: %s", a.status, a.url, a.text())
		}
		u, err := f.st.Accounts().UserByEmail(ctx, "head@mission.example.org")
		if err != nil || !u.NetworkAdmin || u.PasswordHash == "" || strings.Contains(u.PasswordHash, testPassword) {
			t.Fatalf("first administrator = %+v, %v", u, err)
		}
		// The address works once; with a user, no new one is made.
		if a := f.browser().get(path); a.status != http.StatusNotFound {
			t.Fatalf("set-up address used twice: %d", a.status)
		}
		if again, err := SetupAddress(ctx, f.st, time.Now()); err != nil || again != "" {
			t.Fatalf("SetupAddress with a user = %q, %v", again, err)
		}
		// An expired address does not work.
		if err := f.st.Accounts().CreateToken(ctx, store.Token{Hash: hashOf("x" + strings.Repeat("A", 42)), Purpose: store.TokenSetup,
			CreatedAt: time.Now().Add(-25 * time.Hour), ExpiresAt: time.Now().Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
		if a := f.browser().get("/admin/setup/x" + strings.Repeat("A", 42)); a.status != http.StatusNotFound {
			t.Fatalf("expired set-up address: %d", a.status)
		}
		log, err := f.st.Accounts().AuditLog(ctx, store.AuditQuery{Network: true, Limit: 10})
		if err != nil || len(log) == 0 || log[len(log)-1].Action != "setup" {
			t.Fatalf("audit log after set-up: %+v, %v", log, err)
		}
	})
}

// newArticle writes an article through the editor and returns its ID.
func (b *browser) newArticle(s content.Site, lang, title, body string) int64 {
	b.t.Helper()
	b.get("/admin/sites/" + s.Key + "/articles/new")
	a := b.post("/admin/sites/"+s.Key+"/articles/new", url.Values{"language": {lang}, "title": {title}, "body": {body},
		"section": {strconv.FormatInt(b.f.firstSection(s), 10)}, "kind": {"news"}, "do": {"save"}})
	if a.status != http.StatusOK || !strings.Contains(a.url, "/articles/") {
		b.t.Fatalf("new article: %d at %s: %s", a.status, a.url, a.text())
	}
	id, err := strconv.ParseInt(a.url[strings.LastIndexByte(a.url, '/')+1:], 10, 64)
	if err != nil {
		b.t.Fatalf("new article at %s", a.url)
	}
	return id
}

func (b *browser) edit(s content.Site, id int64) answer {
	b.t.Helper()
	return b.get(fmt.Sprintf("/admin/sites/%s/articles/%d", s.Key, id))
}

func articlePath(s content.Site, id int64, action string) string {
	p := fmt.Sprintf("/admin/sites/%s/articles/%d", s.Key, id)
	if action != "" {
		p += "/" + action
	}
	return p
}

func TestWritePublishEditWithdraw(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")

		id := b.newArticle(f.un, "en", "Statement on the Ocean Conference", "The delegation welcomes the outcome.\n\nIt thanks the hosts.")
		// A preview is the public page, marked, and nothing is stored.
		b.edit(f.un, id)
		a := b.post(articlePath(f.un, id, ""), url.Values{"title": {"Statement on the Ocean Conference (preview)"}, "body": {"Previewed text."},
			"section": {strconv.FormatInt(f.firstSection(f.un), 10)}, "kind": {"news"}, "base": {b.edit(f.un, id).value("base")}, "do": {"preview"}})
		if a.status != http.StatusOK || !strings.Contains(a.body, "Previewed text.") || !strings.Contains(a.body, `class="notice preview"`) {
			t.Fatalf("preview: %d\n%s", a.status, a.body)
		}
		if art, _ := f.st.Article(ctx, id); art.Title != "Statement on the Ocean Conference" {
			t.Fatalf("the preview changed the article: %q", art.Title)
		}
		// Published now, it is on the public site.
		b.edit(f.un, id)
		a = b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "Published.") {
			t.Fatalf("publish: %d: %s", a.status, a.text())
		}
		art, err := f.st.Article(ctx, id)
		if err != nil || art.Status != content.StatusPublished || art.Path == "" {
			t.Fatalf("after publish: %+v, %v", art, err)
		}
		if p := b.public("un.localhost", art.Path); p.status != http.StatusOK || !strings.Contains(p.body, "It thanks the hosts.") {
			t.Fatalf("public page: %d", p.status)
		}
		// A change to the live article is a draft edition: readers keep
		// the published text until the edition is published, and the
		// change note is required.
		ed := b.edit(f.un, id)
		form := url.Values{"title": {art.Title}, "body": {"The delegation warmly welcomes the outcome.\n\nIt thanks the hosts."},
			"section": {strconv.FormatInt(art.SectionID, 10)}, "kind": {"news"}, "base": {ed.value("base")}, "do": {"save"}}
		a = b.post(articlePath(f.un, id, ""), form)
		if a.status != http.StatusUnprocessableEntity || a.fieldError("note") == "" || !strings.Contains(a.value("body"), "warmly") {
			t.Fatalf("edit without a change note: %d, %q", a.status, a.fieldError("note"))
		}
		form.Set("note", "Added a word of welcome.")
		form.Set("public_note", "on")
		if a = b.post(articlePath(f.un, id, ""), form); a.status != http.StatusOK || !strings.Contains(a.text(), "draft edition waits") {
			t.Fatalf("save edition: %d: %s", a.status, a.text())
		}
		if p := b.public("un.localhost", art.Path); strings.Contains(p.body, "warmly") {
			t.Fatal("a draft edition is shown to readers")
		}
		if a = b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}}); a.status != http.StatusOK {
			t.Fatalf("publish edition: %d: %s", a.status, a.text())
		}
		p := b.public("un.localhost", art.Path)
		if !strings.Contains(p.body, "warmly") || !strings.Contains(p.text(), "Added a word of welcome.") {
			t.Fatalf("published edition not shown with its public note:\n%s", p.text())
		}
		if again, _ := f.st.Article(ctx, id); again.Path != art.Path {
			t.Fatalf("the address moved: %s → %s", art.Path, again.Path)
		}
		// Withdrawing needs a reason; the page stays, with the date and
		// the reason.
		b.edit(f.un, id)
		if a = b.post(articlePath(f.un, id, "withdraw"), url.Values{"reason": {"  "}}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("withdraw without a reason: %d", a.status)
		}
		if a = b.post(articlePath(f.un, id, "withdraw"), url.Values{"reason": {"Issued in error; see the corrected statement."}}); a.status != http.StatusOK {
			t.Fatalf("withdraw: %d: %s", a.status, a.text())
		}
		p = b.public("un.localhost", art.Path)
		if p.status != http.StatusOK || !strings.Contains(p.text(), "Issued in error; see the corrected statement.") || !strings.Contains(p.text(), "Withdrawn on") {
			t.Fatalf("withdrawn page: %d\n%s", p.status, p.text())
		}
		log, err := f.st.Accounts().AuditLog(ctx, store.AuditQuery{SiteIDs: []int64{f.un.ID}, Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
		}
		if got := strings.Join(actions, ","); got != "withdraw,publish,publish,create" {
			t.Fatalf("audit log = %s", got)
		}
		if log[0].Email != "editor@un.example.org" || log[0].Detail == "" {
			t.Fatalf("withdraw entry = %+v", log[0])
		}
	})
}
