package main

import (
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/htmltest"
)

// browser is a client of s with a cookie jar that follows redirects, as a
// browser does.
func (s *server) browser(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Transport: s.client.Transport, Jar: jar, Timeout: 20 * time.Second}
}

// formPage is a back-office page with one form whose fields are read.
type formPage struct {
	url    *url.URL
	status int
	doc    *html.Node
	body   string
}

func fetch(t *testing.T, c *http.Client, req *http.Request) formPage {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return formPage{url: resp.Request.URL, status: resp.StatusCode, doc: doc, body: string(b)}
}

func get(t *testing.T, c *http.Client, u string) formPage {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return fetch(t, c, req)
}

// post sends a form from the page at from as a browser does: from the
// same origin, with the page's hidden csrf field.
func post(t *testing.T, c *http.Client, from formPage, action string, values url.Values) formPage {
	t.Helper()
	forms := htmltest.Find(from.doc, func(n *html.Node) bool { return n.Data == "form" && htmltest.Attr(n, "method") == "post" })
	var csrf string
	for _, f := range forms {
		if a := htmltest.Attr(f, "action"); a != "" && a != action {
			continue
		}
		for _, in := range htmltest.Find(f, func(n *html.Node) bool { return n.Data == "input" && htmltest.Attr(n, "name") == "csrf" }) {
			csrf = htmltest.Attr(in, "value")
		}
	}
	if csrf == "" {
		t.Fatalf("%s has no form posting to %q with a csrf field:\n%.1500s", from.url, action, from.body)
	}
	values.Set("csrf", csrf)
	to := from.url.ResolveReference(&url.URL{Path: action})
	req, err := http.NewRequest(http.MethodPost, to.String(), strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", from.url.Scheme+"://"+from.url.Host)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return fetch(t, c, req)
}

func cookie(c *http.Client, u *url.URL, name string) string {
	for _, k := range c.Jar.Cookies(u) {
		if k.Name == name {
			return k.Value
		}
	}
	return ""
}

var setupAddress = regexp.MustCompile(`Set up the first administrator, once, within 24 hours:\n  (http://\S+/admin/setup/[A-Za-z0-9_-]{43})\n`)

// TestSetUpFirstAdministrator starts the real binary on an empty data
// directory, follows the set-up address it prints as a browser would to
// the back office, signed in, and starts it again: the network has an
// administrator, so no set-up address is printed, and they sign in.
func TestSetUpFirstAdministrator(t *testing.T) {
	data := filepath.Join(t.TempDir(), "data")
	s := startServer(t, "--data", data)
	out := s.output.String()
	m := setupAddress.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("serve on an empty data directory printed no set-up address:\n%s", out)
	}
	if !strings.Contains(m[1], "//"+s.addr+"/") {
		t.Fatalf("set-up address %s is not on the address serve listens on, %s", m[1], s.addr)
	}
	setup := m[1]

	b := s.browser(t)
	form := get(t, b, setup)
	if form.status != http.StatusOK || !strings.Contains(form.body, "Set up the first administrator") {
		t.Fatalf("GET %s = %d; want the set-up form:\n%.1500s", setup, form.status, form.body)
	}
	for _, name := range []string{"email", "name", "password", "password2"} {
		if len(htmltest.Find(form.doc, func(n *html.Node) bool { return n.Data == "input" && htmltest.Attr(n, "name") == name })) != 1 {
			t.Fatalf("the set-up form has no %s field", name)
		}
	}
	if cookie(b, form.url, "chancery_pre") == "" {
		t.Fatal("the set-up form set no chancery_pre cookie")
	}

	const email, password = "chief@example.org", "correct horse battery staple"
	home := post(t, b, form, form.url.Path, url.Values{"email": {"Chief@Example.org"}, "name": {"The Chief"}, "password": {password}, "password2": {password}})
	if home.status != http.StatusOK || home.url.Path != "/admin/" {
		t.Fatalf("after the set-up form: %d at %s; want the back office's home:\n%.1500s", home.status, home.url, home.body)
	}
	signedIn := func(p formPage) {
		t.Helper()
		for _, want := range []string{"Your sites", `href="/admin/sites/un/"`, `href="/admin/sites/embassy/"`, "/admin/sign-out"} {
			if !strings.Contains(p.body, want) {
				t.Fatalf("the back office's home lacks %q; want the network administrator signed in:\n%.2000s", want, p.body)
			}
		}
	}
	signedIn(home)
	if cookie(b, home.url, "chancery_session") == "" || cookie(b, home.url, "chancery_pre") != "" {
		t.Fatal("after set-up: want a session cookie and no chancery_pre")
	}
	if p := get(t, b, "http://"+s.addr+"/admin/account"); p.status != http.StatusOK || !strings.Contains(p.body, email) {
		t.Fatalf("/admin/account = %d; want the account of %s", p.status, email)
	}
	// The address works once.
	if p := get(t, s.browser(t), setup); p.status != http.StatusNotFound {
		t.Fatalf("the set-up address used = %d; want 404", p.status)
	}

	s.cmd.Process.Signal(os.Interrupt)
	if err := s.cmd.Wait(); err != nil {
		t.Fatalf("serve after Ctrl+C: %v", err)
	}
	again := startServer(t, "--data", data)
	if out := again.output.String(); strings.Contains(out, "/admin/setup/") || strings.Contains(out, "Set up the first administrator") || strings.Contains(out, "loaded the demo") {
		t.Fatalf("the second start printed a set-up address or loaded the demo again:\n%s", out)
	}
	b = again.browser(t)
	signIn := get(t, b, "http://"+again.addr+"/admin/sign-in")
	if signIn.status != http.StatusOK {
		t.Fatalf("GET /admin/sign-in = %d", signIn.status)
	}
	home = post(t, b, signIn, "/admin/sign-in", url.Values{"email": {email}, "password": {password}})
	if home.status != http.StatusOK || home.url.Path != "/admin/" {
		t.Fatalf("after signing in: %d at %s:\n%.1500s", home.status, home.url, home.body)
	}
	signedIn(home)
}
