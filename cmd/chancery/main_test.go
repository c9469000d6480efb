package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/htmltest"
)

// binary is the chancery command built once for these tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "chancery-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "chancery")
	// go test puts its own go first on the PATH.
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building chancery:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running chancery serve process.
type server struct {
	addr   string // 127.0.0.1:port
	port   string
	output *bytes.Buffer
	client *http.Client
	cmd    *exec.Cmd
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	_, port, _ := net.SplitHostPort(ln.Addr().String())
	return port
}

// startServer runs "chancery serve" with args (by default on a fresh data
// directory) and waits until it prints its addresses.
func startServer(t *testing.T, args ...string) *server {
	t.Helper()
	port := freePort(t)
	s := &server{addr: "127.0.0.1:" + port, port: port, output: &bytes.Buffer{}}
	if len(args) == 0 {
		args = []string{"--data", filepath.Join(t.TempDir(), "data")}
	}
	cmd := exec.Command(binary, append([]string{"serve", "--addr", s.addr}, args...)...)
	s.cmd = cmd
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
	})
	ready := make(chan struct{})
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			s.output.WriteString(sc.Text() + "\n")
			if strings.Contains(sc.Text(), "Press Ctrl+C") {
				close(ready)
			}
		}
	}()
	select {
	case <-ready:
	case <-time.After(60 * time.Second):
		t.Fatalf("chancery serve did not start: %s", s.output)
	}
	// Every host name reaches this server, as *.localhost does in a
	// browser.
	s.client = &http.Client{
		Transport: &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, network, s.addr)
		}},
		Timeout: 20 * time.Second,
	}
	return s
}

// page fetches an address and parses it, failing unless it answers 200.
func (s *server) page(t *testing.T, u string) *html.Node {
	t.Helper()
	resp, err := s.client.Get(u)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s = %d: %.300s", u, resp.StatusCode, b)
	}
	d, err := html.Parse(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func resolve(base, ref string) string {
	b, _ := url.Parse(base)
	r, _ := url.Parse(ref)
	return b.ResolveReference(r).String()
}

var publishedTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$`)

// TestWalkTheNetwork starts the real binary on a fresh data directory and
// walks, as a reader would, from the network index to an article in each
// site and language, then across the language switch.
func TestWalkTheNetwork(t *testing.T) {
	s := startServer(t)
	for _, want := range []string{"http://localhost:" + s.port + "/", "http://un.localhost:" + s.port + "/", "http://embassy.localhost:" + s.port + "/"} {
		if !strings.Contains(s.output.String(), want) {
			t.Errorf("serve did not print %s:\n%s", want, s.output)
		}
	}
	index := "http://localhost:" + s.port + "/"
	var homes []string
	for _, a := range htmltest.Find(s.page(t, index), func(n *html.Node) bool { return n.Data == "a" }) {
		if h := htmltest.Attr(a, "href"); strings.HasSuffix(h, "/en/") || strings.HasSuffix(h, "/zh/") {
			homes = append(homes, h)
		}
	}
	for _, want := range []string{"un.localhost", "embassy.localhost"} {
		for _, lang := range []string{"/en/", "/zh/"} {
			if !slices.Contains(homes, "http://"+want+":"+s.port+lang) {
				t.Fatalf("index links %v; missing %s%s", homes, want, lang)
			}
		}
	}
	for _, home := range homes {
		t.Run(strings.TrimPrefix(home, "http://"), func(t *testing.T) {
			lang := strings.Trim(home[strings.LastIndex(strings.TrimSuffix(home, "/"), "/"):], "/")
			d := s.page(t, home)
			if got := htmltest.Attr(htmltest.Find(d, func(n *html.Node) bool { return n.Data == "html" })[0], "lang"); got != lang {
				t.Fatalf("home lang = %q; want %q", got, lang)
			}
			nav := htmltest.Find(d, func(n *html.Node) bool {
				return n.Data == "nav" && strings.Contains(htmltest.Attr(n, "class"), "topnav")
			})
			if len(nav) != 1 {
				t.Fatal("home has no top navigation")
			}
			navLinks := htmltest.Find(nav[0], func(n *html.Node) bool { return n.Data == "a" })
			if len(navLinks) != 6 {
				t.Fatalf("top navigation has %d links; want Home and five sections", len(navLinks))
			}
			section := resolve(home, htmltest.Attr(navLinks[1], "href"))
			listing := htmltest.Find(s.page(t, section), func(n *html.Node) bool {
				return n.Data == "ul" && strings.Contains(htmltest.Attr(n, "class"), "listing")
			})
			if len(listing) != 1 {
				t.Fatalf("%s has no listing", section)
			}
			first := htmltest.Find(listing[0], func(n *html.Node) bool { return n.Data == "a" })[0]
			article := resolve(section, htmltest.Attr(first, "href"))
			ad := s.page(t, article)
			h1 := htmltest.Find(ad, func(n *html.Node) bool { return n.Data == "h1" })
			if len(h1) != 1 || htmltest.Text(h1[0]) != htmltest.Text(first) {
				t.Fatalf("article title %v; want %q", h1, htmltest.Text(first))
			}
			tm := htmltest.Find(ad, func(n *html.Node) bool { return n.Data == "time" })
			if len(tm) != 1 || !publishedTime.MatchString(htmltest.Text(tm[0])) {
				t.Fatalf("article time %v", tm)
			}
			crumbs := htmltest.Find(ad, func(n *html.Node) bool { return n.Data == "li" && n.Parent.Data == "ol" })
			if len(crumbs) < 2 || (htmltest.Text(crumbs[0]) != "Home" && htmltest.Text(crumbs[0]) != "首页") {
				t.Fatalf("breadcrumb %v", crumbs)
			}
			share := htmltest.Find(ad, func(n *html.Node) bool {
				return n.Data == "a" && strings.HasPrefix(htmltest.Attr(n, "href"), "mailto:")
			})
			if len(share) != 1 {
				t.Fatal("no share link")
			}
			// The search box finds the article by its title.
			form := htmltest.Find(ad, func(n *html.Node) bool { return n.Data == "form" && htmltest.Attr(n, "role") == "search" })
			if len(form) != 1 {
				t.Fatal("no search box")
			}
			results := s.page(t, resolve(article, htmltest.Attr(form[0], "action")+"?q="+url.QueryEscape(htmltest.Text(h1[0]))))
			found := false
			for _, a := range htmltest.Find(results, func(n *html.Node) bool { return n.Data == "a" }) {
				found = found || resolve(article, htmltest.Attr(a, "href")) == article
			}
			if !found {
				t.Fatalf("searching for the title %q did not find the article", htmltest.Text(h1[0]))
			}
			langs := htmltest.Find(ad, func(n *html.Node) bool { return n.Data == "ul" && strings.Contains(htmltest.Attr(n, "class"), "langs") })
			if len(langs) != 1 {
				t.Fatal("no language switch")
			}
			other := htmltest.Find(langs[0], func(n *html.Node) bool { return n.Data == "a" })[0]
			od := s.page(t, resolve(article, htmltest.Attr(other, "href")))
			if got := htmltest.Attr(htmltest.Find(od, func(n *html.Node) bool { return n.Data == "html" })[0], "lang"); got == lang || got != htmltest.Attr(other, "lang") {
				t.Fatalf("language switch led to a page in %q", got)
			}
		})
	}
	resp, err := s.client.Get("http://nowhere.localhost:" + s.port + "/")
	if err != nil || resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown host: %v %v; want 404", resp, err)
	}
}

// TestStartupFailures runs the binary on a damaged database and on an
// address in use, and checks the exit status and the message.
func TestStartupFailures(t *testing.T) {
	data := t.TempDir()
	db := filepath.Join(data, "chancery.db")
	if err := os.WriteFile(db, []byte("not a database at all"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(binary, "serve", "--data", data, "--addr", "127.0.0.1:"+freePort(t)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), db) || !strings.Contains(string(out), "not changed") {
		t.Fatalf("damaged database: %v, %s", err, out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	out, err = exec.Command(binary, "serve", "--data", t.TempDir(), "--addr", ln.Addr().String()).CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() == 0 || !strings.Contains(string(out), ln.Addr().String()+": the address is already in use") {
		t.Fatalf("busy address: %v, %s", err, out)
	}
}
