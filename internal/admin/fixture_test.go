package admin

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/content"
	"chancery/internal/demo"
	"chancery/internal/editorial"
	"chancery/internal/htmltest"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/testdb"
	"chancery/internal/theme"
)

// fixture is a network with the demo sites served as serve serves them:
// the back office at /admin/ and the public sites through the page store,
// on a real listener.
type fixture struct {
	t     *testing.T
	st    store.Store
	srv   *httptest.Server
	ed    *editorial.Service
	un    content.Site
	emb   content.Site
	clock *clock
}

// clock is a settable time shared by the handler and the service.
type clock struct{ at time.Time }

func (c *clock) now() time.Time {
	if c.at.IsZero() {
		return time.Now()
	}
	return c.at
}

func newFixture(t *testing.T, st store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	if err := demo.Load(ctx, st, demo.Build()); err != nil {
		t.Fatal(err)
	}
	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, st: st, clock: &clock{}}
	sites := site.New(site.Options{Store: st, Theme: th, NetworkHost: "localhost", Now: f.clock.now})
	pagesServer := publish.NewServer(publish.ServerOptions{Store: st, NetworkHost: "localhost", Next: sites})
	pub := &publish.Publisher{Store: st, Theme: th, NetworkHost: "localhost", Server: pagesServer, Now: f.clock.now}
	f.ed = &editorial.Service{Store: st, Publisher: pub, Now: f.clock.now}
	h, err := New(Options{Store: st, Editorial: f.ed, Site: sites, Now: f.clock.now, MaxUpload: testMaxUpload})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", h)
	mux.Handle("/", pagesServer)
	f.srv = httptest.NewServer(mux)
	t.Cleanup(f.srv.Close)
	if f.un, err = st.SiteByKey(ctx, "un"); err != nil {
		t.Fatal(err)
	}
	if f.emb, err = st.SiteByKey(ctx, "embassy"); err != nil {
		t.Fatal(err)
	}
	return f
}

// each runs a test on a fresh fixture on every engine.
func each(t *testing.T, fn func(t *testing.T, f *fixture)) {
	testdb.Each(t, func(t *testing.T, st store.Store) { fn(t, newFixture(t, st)) })
}

const testPassword = "correct horse battery staple"

// testMaxUpload is the fixture's upload limit, small to test it.
const testMaxUpload = 256 << 10

// user adds a person with a password and, when role is set, a role on
// site.
func (f *fixture) user(email string, siteID int64, role account.Role) account.User {
	f.t.Helper()
	ctx := context.Background()
	hash, err := auth.HashPassword(ctx, testPassword)
	if err != nil {
		f.t.Fatal(err)
	}
	u, err := f.st.Accounts().CreateUser(ctx, account.User{Email: email, Name: strings.Split(email, "@")[0], PasswordHash: hash})
	if err != nil {
		f.t.Fatal(err)
	}
	if role != "" {
		if err := f.st.Accounts().SetRole(ctx, u.ID, siteID, role); err != nil {
			f.t.Fatal(err)
		}
	}
	return u
}

// browser is one person's browser: cookies, and the CSRF token and the
// publish form's revision of the last page it loaded.
type browser struct {
	t        *testing.T
	f        *fixture
	c        *http.Client
	csrf     string
	revision string
}

func (f *fixture) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: f.t, f: f, c: &http.Client{Jar: jar}}
}

// answer is a response read whole.
type answer struct {
	status int
	url    string
	body   string
	doc    *html.Node
	header http.Header
}

func (b *browser) do(req *http.Request) answer {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, url: resp.Request.URL.Path, body: string(body), header: resp.Header}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		if a.doc, err = html.Parse(strings.NewReader(a.body)); err != nil {
			b.t.Fatal(err)
		}
		// A public page opens in another tab: the back office's stays.
		if strings.HasPrefix(a.url, "/admin/") {
			b.revision = ""
			for _, in := range htmltest.Find(a.doc, htmltest.Tag("input")) {
				switch htmltest.Attr(in, "name") {
				case "csrf":
					b.csrf = htmltest.Attr(in, "value")
				case "revision":
					b.revision = htmltest.Attr(in, "value")
				}
			}
		}
	}
	return a
}

func (b *browser) get(path string) answer {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// public fetches a page of a site's public host.
func (b *browser) public(host, path string) answer {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, b.f.srv.URL+path, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Host = host
	return b.do(req)
}

// post sends a form with the browser's current CSRF token (unless the
// form names its own).
func (b *browser) post(path string, vals url.Values) answer {
	b.t.Helper()
	if !vals.Has("csrf") {
		vals.Set("csrf", b.csrf)
	}
	if strings.HasSuffix(path, "/publish") && !vals.Has("revision") {
		vals.Set("revision", b.revision) // as the publish form on the page has it
	}
	req, err := http.NewRequest(http.MethodPost, b.f.srv.URL+path, strings.NewReader(vals.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// upload sends a multipart form with one file.
func (b *browser) upload(path string, vals url.Values, name string, data []byte) answer {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if !vals.Has("csrf") {
		vals.Set("csrf", b.csrf)
	}
	for k, vs := range vals {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		b.t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, b.f.srv.URL+path, &body)
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return b.do(req)
}

// signIn signs the browser in as email.
func (b *browser) signIn(email string) {
	b.t.Helper()
	b.get("/admin/sign-in")
	a := b.post("/admin/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if a.status != http.StatusOK || a.url == "/admin/sign-in" {
		b.t.Fatalf("sign in as %s: %d at %s\n%s", email, a.status, a.url, a.body)
	}
}

// text is the visible text of an answer's main element.
func (a answer) text() string {
	if a.doc == nil {
		return a.body
	}
	if m := htmltest.Find(a.doc, htmltest.Tag("main")); len(m) > 0 {
		return htmltest.Text(m[0])
	}
	return htmltest.Text(a.doc)
}

// fieldError is the error shown next to a form field, "" when none.
func (a answer) fieldError(name string) string {
	for _, n := range htmltest.Find(a.doc, func(n *html.Node) bool { return htmltest.Attr(n, "id") == "e-"+name }) {
		return htmltest.Text(n)
	}
	for _, p := range htmltest.Find(a.doc, htmltest.Class("invalid")) {
		for _, in := range htmltest.Find(p, func(n *html.Node) bool { return htmltest.Attr(n, "name") == name }) {
			_ = in
			for _, e := range htmltest.Find(p, htmltest.Class("error")) {
				return htmltest.Text(e)
			}
		}
	}
	return ""
}

// value is the value of a form field (input, textarea or select) named
// name.
func (a answer) value(name string) string {
	if v := a.values(name); len(v) > 0 {
		return v[0]
	}
	return ""
}

// values are the values of every field named name, in order.
func (a answer) values(name string) []string {
	var out []string
	for _, n := range htmltest.Find(a.doc, func(n *html.Node) bool { return htmltest.Attr(n, "name") == name }) {
		switch n.Data {
		case "textarea":
			var b strings.Builder
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				b.WriteString(c.Data)
			}
			out = append(out, strings.TrimPrefix(b.String(), "\n"))
		case "select":
			for _, o := range htmltest.Find(n, htmltest.Tag("option")) {
				for _, at := range o.Attr {
					if at.Key == "selected" {
						out = append(out, htmltest.Attr(o, "value"))
					}
				}
			}
		default:
			out = append(out, htmltest.Attr(n, "value"))
		}
	}
	return out
}

// firstSection is the ID of a site's first top section.
func (f *fixture) firstSection(s content.Site) int64 {
	f.t.Helper()
	secs, err := f.st.Sections(context.Background(), s.ID)
	if err != nil || len(secs) == 0 {
		f.t.Fatalf("sections of %s: %v", s.Key, err)
	}
	return secs[0].ID
}
