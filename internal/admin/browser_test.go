package admin

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/target"
	"github.com/chromedp/chromedp"

	"chancery/internal/testdb"
)

// TestBrowser drives a real headless Chromium through the back office as
// a person would: it sets up the first administrator, signs out and in,
// writes, previews, publishes, translates, schedules and withdraws, and
// looks at the public pages. It saves a screenshot after each step, in
// $CHANCERY_ARTIFACTS/browser/ when that is set.
func TestBrowser(t *testing.T) {
	exe := findChromium(t)
	if testing.Short() {
		t.Skip("drives a browser; not in -short mode")
	}
	f := newFixture(t, testdb.Engines()[0].Open(t))
	setup, err := SetupAddress(context.Background(), f.st, time.Now())
	if err != nil || setup == "" {
		t.Fatalf("SetupAddress = %q, %v", setup, err)
	}
	port := f.srv.Listener.Addr().(*net.TCPAddr).Port
	// The public site is on its own host; Chromium resolves *.localhost
	// to the loopback address.
	public := fmt.Sprintf("http://un.localhost:%d", port)

	b := startBrowser(t, exe, f.srv.URL)
	defer b.close()

	const (
		email    = "head@mission.example.org"
		title    = "Statement on the Ocean Conference"
		para1    = "The delegation welcomes the outcome of the conference."
		para2    = "It thanks the hosts for their hospitality."
		zhTitle  = "关于海洋大会的声明"
		zhPara1  = "代表团欢迎大会的成果。"
		zhPara2  = "代表团感谢东道主的热情款待。"
		reason   = "Issued in error; see the corrected statement."
		title2   = "Ambassador to Attend the Climate Summit"
		section  = "Security Council"
		section2 = "Sustainable Development and Climate"
	)

	// 1. The one-time set-up address: the first administrator.
	b.open("set-up form", f.srv.URL+setup)
	b.see("set-up form", "main", "no administrator yet")
	b.typeInto("#f-email", email)
	b.typeInto("#f-name", "Head of Chancery")
	b.typeInto("#f-password", testPassword)
	b.typeInto("#f-password2", testPassword)
	b.submit("create the administrator", `form.stack button[type="submit"]`)
	b.see("back office after set-up", "main h1", "Your sites")
	b.see("back office after set-up", "header.top", email)
	b.shot("01-setup")

	// 2. Sign out, and in again.
	b.submit("sign out", `form[action="/admin/sign-out"] button`)
	b.see("sign-in form", "main h1", "Sign in")
	b.typeInto("#f-email", email)
	b.typeInto("#f-password", testPassword)
	b.submit("sign in", `form[action="/admin/sign-in"] button[type="submit"]`)
	b.see("back office after sign-in", "main h1", "Your sites")
	b.shot("02-signed-in")

	// 3. A new article on "un", saved, then previewed in a new tab.
	b.follow("open site un", `ul.cards a[href="/admin/sites/un/"]`)
	b.see("article list", "main h1", "Articles")
	b.follow("new article", `nav.sitenav a[href$="/articles/new"]`)
	b.see("new article form", "main h1", "New article")
	b.choose("#f-section", section)
	b.typeInto("#f-title", title)
	b.typeInto("#f-body", "The delegation **welcomes** the outcome of the conference.\n\n"+para2)
	b.submit("save the new article", `button[name="do"][value="save"]`)
	b.see("editor after save", "main .flash", "Saved.")
	b.see("editor after save", "main h1", title)
	b.see("editor after save", "main .state", "Status: Draft")
	first := b.location()
	b.shot("03-saved")

	preview, closePreview := b.newTab("preview", `button[name="do"][value="preview"]`)
	preview.see("preview", ".notice.preview", "Preview: this text is not published")
	preview.see("preview", "article h1", title)
	preview.see("preview", "article .body", para1)
	if strong := preview.text("preview", "article .body strong"); strong != "welcomes" {
		t.Errorf("preview: the Markdown emphasis is %q, want %q", strong, "welcomes")
	}
	preview.shot("03-preview")
	closePreview()

	// 4. Published now, and read at its public address.
	b.submit("publish now", `button[name="do"][value="now"]`)
	b.see("editor after publishing", "main .flash", "Published.")
	b.see("editor after publishing", "main .state", "Status: Published")
	b.shot("04-published")
	path := b.publicPath()
	if !strings.HasPrefix(path, "/en/") {
		t.Fatalf("public address %q: not a page of the English site", path)
	}
	b.open("public page", public+path)
	b.see("public page", "article h1", title)
	b.see("public page", "article .body", para1)
	b.see("public page", "article .body", para2)
	b.absent("public page", ".notice")
	b.shot("04-public")

	// 5. The Chinese translation, paragraph by paragraph, published.
	b.open("editor", first)
	b.followNamed("translate into zh", "Translate into zh")
	b.see("translation form", "main h1", "New translation (zh)")
	// The source is shown as written, in Markdown.
	b.see("translation form", "table.paragraphs tbody tr:nth-child(1) td.src", "The delegation **welcomes** the outcome")
	b.see("translation form", "table.paragraphs tbody tr:nth-child(2) td.src", para2)
	b.typeInto("#f-title", zhTitle)
	b.typeInto(`table.paragraphs tbody tr:nth-child(1) textarea[name="para"]`, zhPara1)
	b.typeInto(`table.paragraphs tbody tr:nth-child(2) textarea[name="para"]`, zhPara2)
	b.shot("05-translation-form")
	// The form is sent to the address it was shown at, as the browser
	// does with a form that names no action.
	b.submit("save the translation", `button[name="do"][value="save"]`)
	b.see("translation after save", "main .flash", "Saved.")
	b.see("translation after save", "main h1", zhTitle)
	b.submit("publish the translation", `button[name="do"][value="now"]`)
	b.see("translation after publishing", "main .flash", "Published.")
	b.see("translation after publishing", "main .state", "Status: Published")
	b.shot("05-translation-published")
	zhPath := b.publicPath()
	if !strings.HasPrefix(zhPath, "/zh/") {
		t.Fatalf("public address of the translation %q: not a page of the Chinese site", zhPath)
	}
	b.open("public Chinese page", public+zhPath)
	b.see("public Chinese page", "article h1", zhTitle)
	b.see("public Chinese page", "article .body", zhPara1)
	b.see("public Chinese page", "article .body", zhPara2)
	b.shot("05-public-zh")

	// 6. A second article, scheduled for a time in the site's zone.
	b.open("back office", f.srv.URL+"/admin/sites/un/")
	b.follow("new article", `nav.sitenav a[href$="/articles/new"]`)
	b.choose("#f-section", section2)
	b.typeInto("#f-title", title2)
	b.typeInto("#f-body", "The Ambassador will attend the climate summit.")
	b.submit("save the second article", `button[name="do"][value="save"]`)
	b.see("second article after save", "main .flash", "Saved.")
	loc := f.un.Location()
	if loc.String() != "America/New_York" {
		t.Fatalf("site un is in %s", loc)
	}
	at := time.Now().In(loc).AddDate(0, 1, 0)
	at = time.Date(at.Year(), at.Month(), at.Day(), 14, 30, 0, 0, loc)
	b.see("second article", "label[for=f-at]", "America/New_York")
	b.typeDateTime("#f-at", at)
	b.submit("schedule", `button[name="do"][value="schedule"]`)
	b.see("second article after scheduling", "main .flash", "Scheduled.")
	b.see("second article after scheduling", "main .state", "Scheduled for "+at.Format("2006-01-02 15:04")+" (America/New_York)")
	b.shot("06-scheduled")
	art, err := f.st.Article(context.Background(), b.articleID())
	if err != nil || !art.PublishedAt.Equal(at) {
		t.Errorf("scheduled article: published at %v, want %v (%v)", art.PublishedAt, at, err)
	}

	// 7. The first article withdrawn, with the reason on its public page.
	b.open("article list", f.srv.URL+"/admin/sites/un/")
	b.followNamed("first article in the list", title)
	b.see("editor", "main h1", title)
	b.typeInto("#f-wreason", reason)
	b.submit("withdraw", `form[action$="/withdraw"] button[type="submit"]`)
	b.see("editor after withdrawal", "main .flash", "Withdrawn.")
	b.see("editor after withdrawal", "main .state", "Withdrawn on")
	b.see("editor after withdrawal", "main .state", reason)
	b.shot("07-withdrawn")
	b.openFresh("withdrawn public page", public+path)
	b.see("withdrawn public page", ".notice", "This article has been withdrawn")
	b.see("withdrawn public page", ".notice", "Withdrawn on")
	b.see("withdrawn public page", ".notice", reason)
	b.see("withdrawn public page", "article h1", title)
	b.shot("07-public-withdrawn")

	// 8. On a phone, the list, the editor and the account page fit the
	// screen's width: nothing to scroll sideways.
	b.phone()
	for i, pg := range []struct{ what, addr string }{
		{"article list", f.srv.URL + "/admin/sites/un/"},
		{"editor", f.srv.URL + "/admin/sites/un/articles/new"},
		{"account", f.srv.URL + "/admin/account"},
	} {
		b.open(pg.what+" on a phone", pg.addr)
		b.fits(pg.what + " on a phone")
		b.shot(fmt.Sprintf("08-phone-%d", i+1))
	}
}

// phone makes the tab a phone's screen, 390 by 844 CSS pixels.
func (b *tab) phone() {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulateScale(3))); err != nil {
		b.fatalf("phone screen: %v", err)
	}
}

// fits fails when the page is wider than the screen.
func (b *tab) fits(what string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	wide, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - window.innerWidth`))
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if wide > 0 {
		b.fatalf("%s: the page is %d px wider than the screen", what, wide)
	}
}

// findChromium is the path of a Chromium or Chrome, or skips the test.
func findChromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("no browser: install Chromium to run this test (on Debian: apt-get install chromium)")
	return ""
}

// browserTimeout bounds the whole test, so that a hang fails it instead
// of stalling CI; stepTimeout bounds each action, so that a missing
// element fails with the step's name.
const (
	browserTimeout = 2 * time.Minute
	stepTimeout    = 20 * time.Second
)

// tab is one tab of the browser: its context, and where its screenshots
// go.
type tab struct {
	t    *testing.T
	ctx  context.Context
	dir  string
	base string
	// close ends the browser (for the first tab).
	close func()
}

func startBrowser(t *testing.T, exe, base string) *tab {
	t.Helper()
	dir := os.Getenv("CHANCERY_ARTIFACTS")
	if dir != "" {
		dir = filepath.Join(dir, "browser")
	} else {
		dir = filepath.Join(t.TempDir(), "browser")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// A failure's screenshot is of this run only.
	os.Remove(filepath.Join(dir, "failure.png"))
	t.Logf("screenshots in %s", dir)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US,en"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	ctx, cancelTimeout := context.WithTimeout(context.Background(), browserTimeout)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	bctx, cancelBrowser := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	b := &tab{t: t, ctx: bctx, dir: dir, base: base, close: func() {
		cancelBrowser()
		cancelAlloc()
		cancelTimeout()
	}}
	start := time.Now()
	if err := chromedp.Do(bctx); err != nil {
		b.close()
		t.Fatalf("start %s: %v", exe, err)
	}
	if v, err := chromedp.CallBrowser(bctx, cdpbrowser.GetVersion, cdp.Empty{}); err == nil {
		t.Logf("%s (%s) started in %v", v.Product, exe, time.Since(start).Round(time.Millisecond))
	}
	return b
}

// fatalf ends the test with a screenshot of what the tab shows.
func (b *tab) fatalf(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	if png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)); err == nil {
		name := filepath.Join(b.dir, "failure.png")
		if os.WriteFile(name, png, 0o644) == nil {
			args = append(args, name)
			format += " (screenshot: %s)"
		}
	}
	b.t.Fatalf(format, args...)
}

// step runs actions with the step timeout.
func (b *tab) step(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fatalf("%s: %v", what, err)
	}
}

// sel is a CSS selector.
func sel(s string) chromedp.CSS { return chromedp.CSS(s) }

// linkNamed is an XPath that finds a link by its text.
func linkNamed(text string) chromedp.Search {
	return chromedp.Search(fmt.Sprintf(`//a[normalize-space()=%q]`, text))
}

// open goes to an address, as typed in the address bar, and checks the
// page came.
func (b *tab) open(what, addr string) *network.Response {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.Run(ctx, chromedp.NavigateResponse(addr))
	if err != nil {
		b.fatalf("open %s (%s): %v", what, addr, err)
	}
	if resp == nil || resp.Status != http.StatusOK {
		b.fatalf("open %s (%s): %+v", what, addr, resp)
	}
	return resp
}

// openFresh opens an address like open, and reloads the page when the
// browser showed its cached copy, as a person who just changed the page
// does.
func (b *tab) openFresh(what, addr string) {
	b.t.Helper()
	resp := b.open(what, addr)
	if !resp.FromDiskCache {
		return
	}
	b.t.Logf("%s: the browser showed its cached copy (Cache-Control: %v); reloading", what, resp.Headers["Cache-Control"])
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Reload())
	if err != nil {
		b.fatalf("reload %s (%s): %v", what, addr, err)
	}
	if resp.Status != http.StatusOK || resp.FromDiskCache {
		b.fatalf("reload %s (%s): status %d, from the cache: %v", what, addr, resp.Status, resp.FromDiskCache)
	}
}

// typeInto types text into the field, after what it holds.
func (b *tab) typeInto(field, text string) {
	b.t.Helper()
	b.step("type into "+field, chromedp.WaitVisible(sel(field)), chromedp.SendKeys(sel(field), text))
	// SendKeys sends a new line as Enter, which a textarea keeps as "\n".
	if got := b.value(field); !strings.HasSuffix(got, text) {
		b.fatalf("typed %q into %s, it holds %q", text, field, got)
	}
}

func (b *tab) value(field string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Value(sel(field)))
	if err != nil {
		b.fatalf("value of %s: %v", field, err)
	}
	return v
}

// choose picks the option of a select list by its label (without the
// dashes that show its depth).
func (b *tab) choose(list, label string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	value, err := chromedp.Run(ctx, chromedp.Evaluate[string](fmt.Sprintf(`(() => {
		const o = [...document.querySelector(%q).options].find(o => o.text.replace(/^(— )+/, "") === %q);
		return o ? o.value : "";
	})()`, list, label)))
	if err != nil || value == "" {
		b.fatalf("no option %q in %s (%v)", label, list, err)
	}
	b.step("choose "+label, chromedp.SetValue(sel(list), value))
}

// submit clicks a button that sends a form, and waits for the page it
// leads to (after redirects), which must be a success.
func (b *tab) submit(what, button string) {
	b.t.Helper()
	b.navigateBy(what, chromedp.Click(sel(button)))
}

// follow clicks a link (found by CSS) and waits for its page.
func (b *tab) follow(what, link string) {
	b.t.Helper()
	b.navigateBy(what, chromedp.Click(sel(link)))
}

// followNamed clicks the link with a text and waits for its page.
func (b *tab) followNamed(what, text string) {
	b.t.Helper()
	b.navigateBy(what, chromedp.Click(linkNamed(text)))
}

func (b *tab) navigateBy(what string, action chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, action)
	if err != nil {
		b.fatalf("%s: %v", what, err)
	}
	if resp.Status != http.StatusOK {
		b.fatalf("%s: status %d at %s: %s", what, resp.Status, resp.URL, b.text(what, "main"))
	}
}

// text is the visible text of the first element sel matches.
func (b *tab) text(what, s string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	txt, err := chromedp.Run(ctx, chromedp.Text(sel(s), chromedp.NodeVisible))
	if err != nil {
		b.fatalf("%s: no visible %s: %v", what, s, err)
	}
	return strings.Join(strings.Fields(txt), " ")
}

// see checks that an element shows a text.
func (b *tab) see(what, s, want string) {
	b.t.Helper()
	if got := b.text(what, s); !strings.Contains(got, want) {
		b.fatalf("%s: %s shows %q, want %q in it", what, s, got, want)
	}
}

// absent checks that nothing matches a selector once the page is loaded.
func (b *tab) absent(what, s string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	n, err := chromedp.Run(ctx, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, s)))
	if err != nil || n != 0 {
		b.fatalf("%s: %d of %s (%v), want none", what, n, s, err)
	}
}

// publicPath is the path of the editor's "public address" link. The
// public pages are on the site's own host, which the test server
// reaches at its port, so the test opens the path there.
func (b *tab) publicPath() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.AttributeValue(linkNamed("public address"), "href"))
	if err != nil || !v.Exists {
		b.fatalf("no link %q (%v)", "public address", err)
	}
	u, err := url.Parse(v.Value)
	if err != nil || u.Path == "" {
		b.fatalf("public address %q: %v", v.Value, err)
	}
	return u.Path
}

// location is the address of the page shown.
func (b *tab) location() string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	u, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.fatalf("location: %v", err)
	}
	return u
}

// articleID is the ID of the article whose editor is shown.
func (b *tab) articleID() int64 {
	b.t.Helper()
	u := b.location()
	u, _, _ = strings.Cut(u, "?")
	var id int64
	if _, err := fmt.Sscanf(u[strings.LastIndexByte(u, '/')+1:], "%d", &id); err != nil {
		b.fatalf("no article ID in %s", u)
	}
	return id
}

// typeDateTime types a date and time into a datetime-local field as a
// person does with Chromium's en-US field (the browser runs with
// --lang=en-US): month, day, year, Tab to the time, hour, minute, and A
// or P.
func (b *tab) typeDateTime(field string, at time.Time) {
	b.t.Helper()
	keys := at.Format("01") + at.Format("02") + at.Format("2006") + "\t" + at.Format("03") + at.Format("04") + at.Format("PM")[:1]
	b.step("type into "+field, chromedp.WaitVisible(sel(field)), chromedp.Click(sel(field)), chromedp.SendKeys(sel(field), keys))
	if got, want := b.value(field), at.Format("2006-01-02T15:04"); got != want {
		b.fatalf("typed %q into %s, it holds %q, want %q", keys, field, got, want)
	}
}

// newTab clicks a button that opens its page in a new tab (a form with
// formtarget="_blank"), and returns that tab and the func that closes it.
func (b *tab) newTab(what, button string) (*tab, func()) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	// The tab opens on about:blank, then loads the page the form was sent
	// to; take it once it is there.
	opened := chromedp.WaitNewTarget(ctx, func(info *target.Info) bool {
		return info.Type == "page" && strings.HasPrefix(info.URL, b.base)
	})
	b.step(what, chromedp.Click(sel(button)))
	var id target.ID
	select {
	case id = <-opened:
	case <-ctx.Done():
		b.fatalf("%s: no new tab opened", what)
	}
	tctx, closeTab := chromedp.NewContext(b.ctx, chromedp.WithTargetID(id))
	// The first action attaches to the tab for as long as tctx lives, so
	// it runs without the step timeout.
	if err := chromedp.Do(tctx); err != nil {
		closeTab()
		b.fatalf("%s: attach to the new tab: %v", what, err)
	}
	return &tab{t: b.t, ctx: tctx, dir: b.dir, base: b.base}, closeTab
}

// shot saves a screenshot of the whole page.
func (b *tab) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}
