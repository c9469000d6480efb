package admin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/htmltest"
	"chancery/internal/store"
)

func TestSessionCookie(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.get("/admin/sign-in")
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/admin/sign-in", strings.NewReader(url.Values{
			"email": {"editor@un.example.org"}, "password": {testPassword}, "csrf": {b.csrf}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		for _, c := range b.c.Jar.Cookies(req.URL) {
			req.AddCookie(c)
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		var session *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == sessionCookie && c.Value != "" {
				session = c
			}
		}
		if resp.StatusCode != http.StatusSeeOther || session == nil {
			t.Fatalf("sign-in: %d, cookie %v", resp.StatusCode, session)
		}
		if !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Path != "/admin/" || session.Secure {
			t.Fatalf("session cookie = %+v; want HttpOnly, SameSite=Lax, Path /admin/, not Secure over plain HTTP", session)
		}
		// The store keeps only the token's hash.
		if _, err := f.st.Accounts().Session(context.Background(), []byte(session.Value)); err == nil {
			t.Fatal("the session's token is stored as it is")
		}
		if _, err := f.st.Accounts().Session(context.Background(), auth.HashToken(session.Value)); err != nil {
			t.Fatalf("session by hash: %v", err)
		}
	})
}

func TestCSRF(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		section := strconv.FormatInt(f.firstSection(f.un), 10)
		form := url.Values{"language": {"en"}, "title": {"Typed at night"}, "body": {"Three careful paragraphs."}, "section": {section}, "kind": {"news"}, "do": {"save"}}
		for name, token := range map[string]string{"missing": "", "forged": "AAAA" + b.csrf[4:]} {
			vals := url.Values{}
			for k, v := range form {
				vals[k] = v
			}
			vals.Set("csrf", token)
			a := b.post("/admin/sites/un/articles/new", vals)
			if a.status != http.StatusForbidden {
				t.Fatalf("%s token: %d, want 403", name, a.status)
			}
			// Nothing was saved, and what was typed comes back.
			if n, _ := f.st.CountArticles(context.Background(), store.ArticleQuery{SiteID: f.un.ID, TitleWords: []string{"night"}}); n != 0 {
				t.Fatalf("%s token: the article was saved", name)
			}
			resume := a.value("resume")
			if resume == "" {
				t.Fatalf("%s token: the answer does not carry the form", name)
			}
			r := b.post("/admin/resume", url.Values{"resume": {resume}})
			if r.status != http.StatusOK || r.value("title") != "Typed at night" || r.value("body") != "Three careful paragraphs." {
				t.Fatalf("%s token: resumed form: %d, title %q, body %q", name, r.status, r.value("title"), r.value("body"))
			}
		}
		// A form sent from another site is refused by its origin.
		req, _ := http.NewRequest(http.MethodPost, f.srv.URL+"/admin/sites/un/articles/new", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if a := b.do(req); a.status != http.StatusForbidden {
			t.Fatalf("cross-site form: %d", a.status)
		}
		// Sign-out needs the token too.
		if a := b.post("/admin/sign-out", url.Values{"csrf": {"wrong"}}); a.status != http.StatusForbidden {
			t.Fatalf("sign-out with a forged token: %d", a.status)
		}
	})
}

func TestExpiredSessionKeepsText(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		b.get("/admin/sites/un/articles/new")
		// The session ends while the person writes.
		f.clock.at = time.Now().Add(Idle + time.Minute)
		section := strconv.FormatInt(f.firstSection(f.un), 10)
		a := b.post("/admin/sites/un/articles/new", url.Values{"language": {"en"}, "title": {"Long statement"},
			"body": {"Paragraph one.\n\nParagraph two."}, "section": {section}, "kind": {"news"}, "do": {"save"}})
		if a.status != http.StatusUnauthorized || a.value("resume") == "" || !strings.Contains(a.text(), "kept") {
			t.Fatalf("post after the session ended: %d, %s", a.status, a.text())
		}
		a = b.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {testPassword}, "resume": {a.value("resume")}})
		if a.status != http.StatusOK || a.value("resume") == "" {
			t.Fatalf("sign in again: %d: %s", a.status, a.text())
		}
		a = b.post("/admin/resume", url.Values{"resume": {a.value("resume")}})
		if a.status != http.StatusOK || a.value("title") != "Long statement" || a.value("body") != "Paragraph one.\n\nParagraph two." {
			t.Fatalf("resumed editor: %d, %q, %q", a.status, a.value("title"), a.value("body"))
		}
		// It saves from there.
		a = b.post("/admin/sites/un/articles/new", url.Values{"language": {"en"}, "title": {a.value("title")}, "body": {a.value("body")},
			"section": {section}, "kind": {"news"}, "do": {"save"}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "Saved.") {
			t.Fatalf("save after resuming: %d: %s", a.status, a.text())
		}
	})
}

func TestSignInThrottle(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.get("/admin/sign-in")
		var a answer
		refused := 0
		for i := range 12 {
			a = b.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {"wrong password " + strconv.Itoa(i)}})
			switch a.status {
			case http.StatusUnauthorized:
				if !strings.Contains(a.text(), "wrong") || a.value("email") != "editor@un.example.org" {
					t.Fatalf("failed sign-in page: %s", a.text())
				}
			case http.StatusTooManyRequests:
				refused++
				if a.header.Get("Retry-After") == "" {
					t.Fatal("no Retry-After")
				}
			default:
				t.Fatalf("attempt %d: %d", i, a.status)
			}
		}
		if refused == 0 {
			t.Fatal("twelve wrong passwords in a row were never slowed down")
		}
		// Even the right password waits now.
		if a = b.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {testPassword}}); a.status != http.StatusTooManyRequests {
			t.Fatalf("right password during the wait: %d", a.status)
		}
		// After the wait it signs in, and the failures are in the log.
		f.clock.at = time.Now().Add(time.Hour)
		if a = b.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {testPassword}}); a.status != http.StatusOK || a.url == "/admin/sign-in" {
			t.Fatalf("after the wait: %d at %s", a.status, a.url)
		}
		log, err := f.st.Accounts().AuditLog(ctx, store.AuditQuery{Network: true, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		failed := 0
		for _, e := range log {
			if e.Action == "sign-in-failed" && e.Email == "editor@un.example.org" && e.Address != "" {
				failed++
			}
		}
		if failed == 0 || log[0].Action != "sign-in" {
			t.Fatalf("audit log: %d failures, latest %q", failed, log[0].Action)
		}
		// An unknown address fails the same way as a wrong password.
		if a = f.browser().post("/admin/sign-in", url.Values{"email": {"nobody@un.example.org"}, "password": {testPassword}}); a.status == http.StatusOK {
			t.Fatal("an unknown address signed in")
		}
	})
}

func TestTwoFactor(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		b.get("/admin/account")
		a := b.post("/admin/account/two-factor", url.Values{"step": {"start"}})
		secret := a.value("secret")
		if a.status != http.StatusOK || secret == "" {
			t.Fatalf("start two-factor: %d", a.status)
		}
		key, err := auth.ParseTOTPKey(secret)
		if err != nil {
			t.Fatal(err)
		}
		if a = b.post("/admin/account/two-factor", url.Values{"step": {"confirm"}, "secret": {secret}, "code": {"000000"}, "current_tf": {testPassword}}); a.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong confirmation code: %d", a.status)
		}
		now := time.Now()
		// A session left open is not enough: the password is asked.
		if a = b.post("/admin/account/two-factor", url.Values{"step": {"confirm"}, "secret": {secret}, "code": {auth.TOTPCode(key, now)}}); a.status != http.StatusUnprocessableEntity ||
			a.fieldError("current_tf") == "" {
			t.Fatalf("two-factor without the password: %d", a.status)
		}
		other := f.browser()
		other.signIn("editor@un.example.org")
		a = b.post("/admin/account/two-factor", url.Values{"step": {"confirm"}, "secret": {secret}, "code": {auth.TOTPCode(key, now)}, "current_tf": {testPassword}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "Two-factor sign-in is on") {
			t.Fatalf("confirm two-factor: %d: %s", a.status, a.text())
		}
		recovery := recoveryCodes(a)
		if len(recovery) != 10 {
			t.Fatalf("%d recovery codes shown", len(recovery))
		}
		// The session signed in with the password alone has ended.
		if g := other.get("/admin/sites/un/"); g.status != http.StatusUnauthorized {
			t.Fatalf("a password-only session after two-factor was turned on: %d", g.status)
		}
		// New recovery codes need the password too.
		if g := b.post("/admin/account/two-factor", url.Values{"step": {"codes"}}); g.status != http.StatusUnprocessableEntity {
			t.Fatalf("new recovery codes without the password: %d", g.status)
		}
		// Signing in now asks for a code; the password alone gives
		// nothing.
		b2 := f.browser()
		b2.get("/admin/sign-in")
		a = b2.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {testPassword}})
		if a.status != http.StatusOK || a.value("code") != "" || !strings.Contains(a.text(), "Two-factor") {
			t.Fatalf("after the password: %d: %s", a.status, a.text())
		}
		if g := b2.get("/admin/sites/un/"); g.url != "/admin/two-factor" {
			t.Fatalf("the back office before the second factor: %s", g.url)
		}
		if a = b2.post("/admin/two-factor", url.Values{"code": {"123456"}}); a.status != http.StatusUnauthorized || a.fieldError("code") == "" {
			t.Fatalf("wrong code: %d", a.status)
		}
		// The code used to turn it on cannot be used again; the next one
		// works.
		if a = b2.post("/admin/two-factor", url.Values{"code": {auth.TOTPCode(key, now)}}); a.status != http.StatusUnauthorized {
			t.Fatalf("replayed code: %d", a.status)
		}
		if a = b2.post("/admin/two-factor", url.Values{"code": {auth.TOTPCode(key, now.Add(30*time.Second))}}); a.status != http.StatusOK || a.url == "/admin/two-factor" {
			t.Fatalf("next code: %d at %s", a.status, a.url)
		}
		// A recovery code works once.
		for i, want := range []int{http.StatusOK, http.StatusUnauthorized} {
			b3 := f.browser()
			b3.get("/admin/sign-in")
			b3.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {testPassword}})
			a = b3.post("/admin/two-factor", url.Values{"code": {recovery[0]}})
			if a.status != want {
				t.Fatalf("recovery code, use %d: %d", i+1, a.status)
			}
		}
		u, err := f.st.Accounts().UserByEmail(ctx, "editor@un.example.org")
		if err != nil || len(u.RecoveryCodes) != 9 {
			t.Fatalf("recovery codes left: %d, %v", len(u.RecoveryCodes), err)
		}
		// A site that requires two-factor sign-in refuses those without.
		f.user("author@un.example.org", f.un.ID, account.RoleAuthor)
		site := f.un
		site.RequireTwoFactor = true
		if err := f.st.UpdateSite(ctx, site); err != nil {
			t.Fatal(err)
		}
		author := f.browser()
		author.get("/admin/sign-in")
		author.post("/admin/sign-in", url.Values{"email": {"author@un.example.org"}, "password": {testPassword}})
		if a = author.get("/admin/sites/un/"); a.status != http.StatusForbidden || !strings.Contains(a.text(), "two-factor") {
			t.Fatalf("site requiring two-factor, author without: %d: %s", a.status, a.text())
		}
		if a = b2.get("/admin/sites/un/"); a.status != http.StatusOK {
			t.Fatalf("site requiring two-factor, editor with: %d", a.status)
		}
	})
}

// recoveryCodes are the codes the account page shows once.
func recoveryCodes(a answer) []string {
	var codes []string
	for _, list := range htmltest.Find(a.doc, htmltest.Class("codes")) {
		for _, li := range htmltest.Find(list, htmltest.Tag("li")) {
			codes = append(codes, htmltest.Text(li))
		}
	}
	return codes
}

func TestPasswordChangeAndSignOutEverywhere(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		phone, desk := f.browser(), f.browser()
		phone.signIn("editor@un.example.org")
		desk.signIn("editor@un.example.org")
		desk.get("/admin/account")
		a := desk.post("/admin/account/password", url.Values{"current": {"not it"}, "password": {"a new long pass phrase"}, "password2": {"a new long pass phrase"}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("current") == "" {
			t.Fatalf("wrong current password: %d", a.status)
		}
		a = desk.post("/admin/account/password", url.Values{"current": {testPassword}, "password": {"a new long pass phrase"}, "password2": {"a new long pass phrase"}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "changed") {
			t.Fatalf("change password: %d: %s", a.status, a.text())
		}
		// The other session ended; this one goes on.
		if a = phone.get("/admin/sites/un/"); a.status != http.StatusUnauthorized {
			t.Fatalf("other session after a password change: %d", a.status)
		}
		if a = desk.get("/admin/sites/un/"); a.status != http.StatusOK {
			t.Fatalf("this session after a password change: %d", a.status)
		}
		desk.get("/admin/account")
		if a = desk.post("/admin/account/sign-out-everywhere", url.Values{}); a.url != "/admin/sign-in" {
			t.Fatalf("sign out everywhere: %s", a.url)
		}
		if a = desk.get("/admin/sites/un/"); a.status != http.StatusUnauthorized {
			t.Fatalf("after signing out everywhere: %d", a.status)
		}
	})
}

// TestSignInThrottleInParallel: wrong passwords sent all at once, to two
// processes, are counted before they are checked, so the throttle still
// stops them.
func TestSignInThrottleInParallel(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		// A second process of the network, on the same database.
		other, err := New(Options{Store: f.st, Editorial: f.ed, Now: f.clock.now})
		if err != nil {
			t.Fatal(err)
		}
		second := httptest.NewServer(other)
		defer second.Close()
		const n = 16
		statuses := make(chan int, n)
		var wg sync.WaitGroup
		for i := range n {
			b := f.browser()
			b.get("/admin/sign-in")
			target := f.srv.URL
			if i%2 == 1 {
				target = second.URL // the same form, posted to the other process
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, target+"/admin/sign-in", strings.NewReader(url.Values{
					"email": {"editor@un.example.org"}, "password": {"wrong " + strconv.Itoa(i)}, "csrf": {b.csrf}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				resp, err := b.c.Do(req)
				if err != nil {
					statuses <- 0
					return
				}
				resp.Body.Close()
				statuses <- resp.StatusCode
			}()
		}
		wg.Wait()
		close(statuses)
		refused := 0
		for s := range statuses {
			if s == http.StatusTooManyRequests {
				refused++
			}
		}
		if refused == 0 {
			t.Fatalf("%d wrong passwords at once were all checked", n)
		}
	})
}

// TestSecureCookies: behind TLS the cookies are __Host- cookies, which
// no sibling host can plant.
func TestSecureCookies(t *testing.T) {
	h := &Handler{opt: Options{Secure: true}}
	rec := httptest.NewRecorder()
	h.setCookie(rec, sessionCookie, "x", 60)
	c := rec.Result().Cookies()
	if len(c) != 1 || c[0].Name != "__Host-"+sessionCookie || !c[0].Secure || c[0].Path != "/" || c[0].Domain != "" || !c[0].HttpOnly {
		t.Fatalf("secure session cookie = %+v", c)
	}
}

// TestAbandonedSecondFactor: a sign-in left at the second factor starts
// again at the sign-in form, without a loop of redirects.
func TestAbandonedSecondFactor(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		ctx := context.Background()
		u := f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		u.TOTPSecret = auth.NewTOTPSecret()
		if err := f.st.Accounts().UpdateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		b := f.browser()
		b.get("/admin/sign-in")
		b.post("/admin/sign-in", url.Values{"email": {"editor@un.example.org"}, "password": {testPassword}})
		f.clock.at = time.Now().Add(11 * time.Minute)
		if a := b.get("/admin/sign-in"); a.status != http.StatusOK || a.url != "/admin/sign-in" {
			t.Fatalf("sign-in page after an abandoned second factor: %d at %s", a.status, a.url)
		}
	})
}

// TestResumeOtherForms: a short form refused for its token opens its page
// again.
func TestResumeOtherForms(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		id := b.newArticle(f.un, "en", "To withdraw later", "Text.")
		b.post(articlePath(f.un, id, "publish"), url.Values{"do": {"now"}})
		a := b.post(articlePath(f.un, id, "withdraw"), url.Values{"reason": {"Because."}, "csrf": {"forged"}})
		if a.status != http.StatusForbidden || a.value("resume") == "" {
			t.Fatalf("forged withdraw: %d", a.status)
		}
		a = b.post("/admin/resume", url.Values{"resume": {a.value("resume")}})
		if a.status != http.StatusOK || a.value("reason") != "Because." || !strings.Contains(a.text(), "not yet done") {
			t.Fatalf("resumed withdraw form: %d, reason %q", a.status, a.value("reason"))
		}
		// The people page keeps what was typed in it too.
		f.user("admin@un.example.org", f.un.ID, account.RoleAdmin)
		adm := f.browser()
		adm.signIn("admin@un.example.org")
		a = adm.post("/admin/sites/un/people", url.Values{"email": {"new.colleague@un.example.org"}, "name": {"New Colleague"}, "role": {"author"}, "csrf": {"forged"}})
		a = adm.post("/admin/resume", url.Values{"resume": {a.value("resume")}})
		if a.status != http.StatusOK || a.value("email") != "new.colleague@un.example.org" || a.value("role") != "author" {
			t.Fatalf("resumed people form: %d, %q, %q", a.status, a.value("email"), a.value("role"))
		}
		// The settings show the boxes as they were sent, not as stored.
		a = adm.post("/admin/sites/un/settings", url.Values{"do": {"save"}, "require_review": {"on"}, "csrf": {"forged"}})
		a = adm.post("/admin/resume", url.Values{"resume": {a.value("resume")}})
		if a.status != http.StatusOK || !strings.Contains(a.body, `name="require_review" checked`) || strings.Contains(a.body, `name="require_two_factor" checked`) ||
			!strings.Contains(a.text(), "not yet done") {
			t.Fatalf("resumed settings form: %d: %s", a.status, a.text())
		}
		if s, _ := f.st.SiteByKey(context.Background(), "un"); s.RequireReview {
			t.Fatal("a resumed form was saved before being sent again")
		}
		// A file's texts: as they were sent, in that file's row.
		adm.get("/admin/sites/un/media")
		adm.upload("/admin/sites/un/media", url.Values{"title_en": {"Position paper"}}, "paper.pdf", tinyPDF)
		files, err := f.st.Imports().MediaList(context.Background(), f.un.ID)
		if err != nil || len(files) != 1 {
			t.Fatalf("stored files: %v, %v", files, err)
		}
		texts := "/admin/sites/un/media/" + files[0].Key
		a = adm.post(texts, url.Values{"title_en": {"Position paper, revised"}, "title_zh": {"立场文件（修订）"}, "csrf": {"forged"}})
		a = adm.post("/admin/resume", url.Values{"resume": {a.value("resume")}})
		if a.status != http.StatusOK || !strings.Contains(a.body, `value="Position paper, revised"`) || !strings.Contains(a.body, `value="立场文件（修订）"`) {
			t.Fatalf("resumed file texts: %d: %s", a.status, a.body)
		}
		// Refused for a title too long: the problem next to that file's
		// field, which keeps what was typed.
		long := strings.Repeat("Long title ", 30)
		a = adm.post(texts, url.Values{"title_en": {long}, "title_zh": {"立场文件"}})
		if a.status != http.StatusUnprocessableEntity || !strings.Contains(a.body, `value="`+long+`"`) ||
			!strings.Contains(a.body, `id="e-`+files[0].Key+`-title_en"`) || strings.Contains(a.body, `id="e-title_en"`) {
			t.Fatalf("file title too long: %d: %s", a.status, a.body)
		}
		// A withdrawal without a reason says so at its own field.
		b.edit(f.un, id)
		a = b.post(articlePath(f.un, id, "withdraw"), url.Values{"reason": {" "}})
		if a.status != http.StatusUnprocessableEntity || a.fieldError("wreason") == "" {
			t.Fatalf("withdraw without a reason: %d, %q", a.status, a.fieldError("wreason"))
		}
	})
}

// TestResumeCarriesNoPassword: a password form refused for its token does
// not write the passwords into the page that carries the form.
func TestResumeCarriesNoPassword(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("editor@un.example.org", f.un.ID, account.RoleEditor)
		b := f.browser()
		b.signIn("editor@un.example.org")
		a := b.post("/admin/account/password", url.Values{"current": {testPassword}, "password": {"a brand new pass phrase"},
			"password2": {"a brand new pass phrase"}, "csrf": {"forged"}})
		if a.status != http.StatusForbidden {
			t.Fatalf("forged password form: %d", a.status)
		}
		res, ok := decodeResume(a.value("resume"))
		if strings.Contains(a.body, "brand new") || strings.Contains(a.body, "horse") || (ok && (res.Values.Has("password") || res.Values.Has("current"))) {
			t.Fatal("the refused form's passwords are written into the page")
		}
	})
}

// TestPeopleNameProblemTranslated: a name refused on the people page is
// explained in the interface's language, at the name's field.
func TestPeopleNameProblemTranslated(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		u := f.user("admin@un.example.org", f.un.ID, account.RoleAdmin)
		u.Language = "zh"
		if err := f.st.Accounts().UpdateUser(context.Background(), u); err != nil {
			t.Fatal(err)
		}
		b := f.browser()
		b.signIn("admin@un.example.org")
		b.get("/admin/sites/un/people")
		a := b.post("/admin/sites/un/people", url.Values{"email": {"new.colleague@un.example.org"}, "name": {strings.Repeat("名", 101)}, "role": {"author"}})
		if want := zh["the name is longer than 100 characters"]; a.status != http.StatusUnprocessableEntity || a.fieldError("name") != want {
			t.Fatalf("name too long, Chinese interface: %d, %q; want 422, %q", a.status, a.fieldError("name"), want)
		}
	})
}

// TestExistingAccountNamed: giving a role to an address that already has
// an account (made, and its password chosen, through another site's
// administrator) says so, with where it has roles, instead of a bare
// "Saved."; taking away a role it does not have here answers as for an
// address no one has, so the people page does not tell which accounts
// exist elsewhere.
func TestExistingAccountNamed(t *testing.T) {
	each(t, func(t *testing.T, f *fixture) {
		f.user("admin@un.example.org", f.un.ID, account.RoleAdmin)
		f.user("admin@emb.example.org", f.emb.ID, account.RoleAdmin)
		un, emb := f.browser(), f.browser()
		un.signIn("admin@un.example.org")
		emb.signIn("admin@emb.example.org")
		un.get("/admin/sites/un/people")
		if a := un.post("/admin/sites/un/people", url.Values{"email": {"consul@example.org"}, "role": {"translator"}}); !strings.Contains(a.body, "/admin/password/") {
			t.Fatalf("new account: %d: %s", a.status, a.text())
		}
		people := "/admin/sites/" + f.emb.Key + "/people"
		emb.get(people)
		unknown := emb.post(people, url.Values{"email": {"nobody@example.org"}, "role": {"none"}})
		known := emb.post(people, url.Values{"email": {"consul@example.org"}, "role": {"none"}})
		if unknown.status != http.StatusUnprocessableEntity || known.status != unknown.status || known.fieldError("email") != unknown.fieldError("email") {
			t.Errorf("taking away a role not held: %d %q for an unknown address, %d %q for an account elsewhere; want the same answer",
				unknown.status, unknown.fieldError("email"), known.status, known.fieldError("email"))
		}
		a := emb.post(people, url.Values{"email": {"consul@example.org"}, "role": {"editor"}})
		if a.status != http.StatusOK || !strings.Contains(a.text(), "consul@example.org already had an account") || !strings.Contains(a.text(), "roles on other sites: un") ||
			strings.Contains(a.body, "/admin/password/") {
			t.Fatalf("role for an existing account: %d: %s", a.status, a.text())
		}
		if a = emb.post(people, url.Values{"email": {"consul@example.org"}, "role": {"author"}}); strings.Contains(a.text(), "already had an account") {
			t.Errorf("changing a role held here names the account as existing: %s", a.text())
		}
	})
}
