package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"

	"chancery/internal/content"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/web"
)

// brotliModule is where Debian's libnginx-mod-http-brotli-static puts the
// module.
const brotliModule = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"

// nginxBinary finds Debian's nginx, which lives in /usr/sbin (often not on
// a user's PATH).
func nginxBinary() string {
	if p, err := exec.LookPath("nginx"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/nginx"); err == nil {
		return "/usr/sbin/nginx"
	}
	return ""
}

// startNginx runs nginx in the foreground on docs/nginx-export.conf, with
// the export at root for host, as an unprivileged configuration: its own
// prefix, pid, temporary paths and error log, on a free loopback port. It
// returns the base URL and whether brotli is served.
func startNginx(t *testing.T, root, host, defaultLang string) (string, bool) {
	t.Helper()
	bin := nginxBinary()
	if bin == "" {
		t.Skip("nginx is not installed: apt-get install --no-install-recommends nginx-light libnginx-mod-http-brotli-static (CI installs them)")
	}
	if runtime.GOOS != "linux" {
		t.Skip("the nginx comparison runs on Linux")
	}
	conf, err := os.ReadFile(filepath.Join("..", "..", "docs", "nginx-export.conf"))
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()

	_, brErr := os.Stat(brotliModule)
	hasBrotli := brErr == nil
	text := string(conf)
	for _, r := range []struct{ old, new string }{
		{"listen 80;", "listen " + addr + ";"},
		{"server_name embassy.example.org;", "server_name " + host + ";"},
		{"root /srv/chancery/export/embassy;", "root " + root + ";"},
		{"include /srv/chancery/export/embassy/../redirects.conf;", "include " + root + "/../redirects.conf;"},
		{"return 302 /en/;", "return 302 /" + defaultLang + "/;"},
	} {
		if !strings.Contains(text, r.old) {
			t.Fatalf("docs/nginx-export.conf no longer has %q, which the test replaces", r.old)
		}
		text = strings.Replace(text, r.old, r.new, 1)
	}
	if !hasBrotli {
		t.Logf("no brotli module (%s): apt-get install libnginx-mod-http-brotli-static; testing gzip only", brotliModule)
		text = strings.Replace(text, "brotli_static on;", "", 1)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "site.conf"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	var main strings.Builder
	if hasBrotli {
		fmt.Fprintf(&main, "load_module %s;\n", brotliModule)
	}
	fmt.Fprintf(&main, `daemon off;
master_process off;
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    include %[1]s/site.conf;
}
`, dir)
	if err := os.WriteFile(filepath.Join(dir, "nginx.conf"), []byte(main.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-t", "-p", dir+"/", "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log")).CombinedOutput(); err != nil {
		t.Fatalf("nginx -t: %v\n%s", err, out)
	} else if bytes.Contains(out, []byte("[warn]")) {
		t.Errorf("nginx -t warns:\n%s", out)
	}
	cmd := exec.Command(bin, "-p", dir+"/", "-c", filepath.Join(dir, "nginx.conf"), "-e", filepath.Join(dir, "error.log"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Logf("nginx error log:\n%s%s", log, stderr.Bytes())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "error.log"))
			t.Fatalf("nginx did not start: %v\n%s%s", err, log, stderr.Bytes())
		}
		time.Sleep(20 * time.Millisecond)
	}
	return "http://" + addr, hasBrotli
}

// answer is a response reduced to what the comparison looks at.
type answer struct {
	status   int
	header   http.Header
	body     []byte
	encoding string
}

// fetch asks nginx for path on host, with the given Accept-Encoding, and
// decodes the body.
func fetch(t *testing.T, base, host, path, encoding string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	if encoding != "" {
		req.Header.Set("Accept-Encoding", encoding)
	}
	client := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	a := answer{status: resp.StatusCode, header: resp.Header, encoding: resp.Header.Get("Content-Encoding")}
	switch a.encoding {
	case "gzip":
		zr, err := gzip.NewReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, err = io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	case "br":
		body, err = io.ReadAll(brotli.NewReader(bytes.NewReader(body)))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	a.body = body
	return a
}

// TestNginxServesExport exports the demo site, serves it with Debian's
// nginx on docs/nginx-export.conf, and compares nginx's answers for a
// sample of addresses in both languages with those of the public handler
// (as serve runs it): status, body bytes, media type and charset, cache
// and security headers, redirects, and gzip and brotli variants that
// decode to the same bytes.
func TestNginxServesExport(t *testing.T) {
	if nginxBinary() == "" {
		t.Skip("nginx is not installed: apt-get install --no-install-recommends nginx-light libnginx-mod-http-brotli-static (CI installs them)")
	}
	ctx := context.Background()
	st, th := demoStore(t)
	const host = "un.localhost"
	out := filepath.Join(t.TempDir(), "un")
	o := demoOptions(t, st, th, host, out)
	o.BrotliQuality = 0 // the default, the page store's
	oldPaths := migrated(t, st, o.Site)
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Redirects == 0 {
		t.Fatal("no old address written for nginx")
	}
	_, m := current(t, out)
	base, hasBrotli := startNginx(t, out, host, o.Site.DefaultLanguage)
	serve := web.SecurityHeaders(site.New(site.Options{Store: st, Theme: th, Now: func() time.Time { return demoNow }}))

	byAddress := map[string]manifestEntry{}
	var addresses []string
	for _, e := range m.Files {
		byAddress[e.Address] = e
		addresses = append(addresses, e.Address)
	}
	pick := func(pattern string) string {
		re := regexp.MustCompile(pattern)
		for _, a := range addresses {
			if re.MatchString(a) {
				return a
			}
		}
		t.Fatalf("no exported address matches %s", pattern)
		return ""
	}
	section := pick(`^/en/[a-z0-9-]+/$`)
	sample := []string{
		"/en/", "/zh/", section, pick(`^/zh/[a-z0-9-]+/[a-z0-9-]+/$`),
		pick(`^/en/.+/page/2/$`), pick(`^/zh/.+/page/2/$`),
		pick(`^/en/[a-z0-9/-]+/\d{4}/$`), pick(`^/zh/[a-z0-9/-]+/\d{4}/\d{2}/$`),
		pick(`^/en/[a-z0-9/-]+/\d{4}/\d{2}/[a-z0-9-]+$`), pick(`^/zh/[a-z0-9/-]+/\d{4}/\d{2}/[0-9]+$`),
		"/en/feed.xml", "/zh/atom.xml", "/en/feed.json", section + "feed.xml", section + "atom.xml",
		"/sitemap.xml", "/en/sitemap.xml", pick(`^/zh/sitemap-\d{4}\.xml$`), "/en/opensearch.xml",
		"/robots.txt", pick(`^/static/.+\.css$`), pick(`^/static/.+\.js$`),
		// Not found, in the address's language or the default one.
		"/en/no-such-page", "/zh/no/such/page", "/xx/nothing", "/en/404.html", "/en/index.html", "/en/feed.xml.gz",
		section + "2024/13/",
		// Redirects.
		"/", "/en", strings.TrimSuffix(section, "/"), pick(`^/en/.+/page/2/$`)[:len(pick(`^/en/.+/page/2/$`))-2] + "1/",
	}
	// A migrated site's old addresses and files.
	sample = append(sample, oldPaths...)
	for _, path := range sample {
		t.Run(strings.ReplaceAll(path, "/", "_"), func(t *testing.T) {
			want := web.NewRecorder()
			serve.ServeHTTP(want, Request(ctx, "https", host, path))
			got := fetch(t, base, host, path, "")
			if got.status != want.Status {
				t.Fatalf("status %d from nginx, %d from chancery", got.status, want.Status)
			}
			if want.Status >= 300 && want.Status < 400 {
				if g, w := got.header.Get("Location"), want.Head.Get("Location"); g != w {
					t.Errorf("Location %q from nginx, %q from chancery", g, w)
				}
				return
			}
			if !bytes.Equal(got.body, want.Body.Bytes()) {
				t.Errorf("nginx answered %d different bytes (chancery %d)", len(got.body), want.Body.Len())
			}
			gt, gp, _ := mime.ParseMediaType(got.header.Get("Content-Type"))
			wt, wp, _ := mime.ParseMediaType(want.Head.Get("Content-Type"))
			if gt != wt || !strings.EqualFold(gp["charset"], wp["charset"]) {
				t.Errorf("Content-Type %q from nginx, %q from chancery", got.header.Get("Content-Type"), want.Head.Get("Content-Type"))
			}
			for _, h := range []string{"Cache-Control", "Content-Security-Policy", "Referrer-Policy", "X-Frame-Options", "X-Content-Type-Options"} {
				if g, w := got.header.Get(h), want.Head.Get(h); g != w {
					t.Errorf("%s %q from nginx, %q from chancery", h, g, w)
				}
			}
			if got.encoding != "" {
				t.Errorf("nginx compressed (%s) for a client that did not ask", got.encoding)
			}
			e, exported := byAddress[path]
			if !exported {
				e = byAddress[strings.TrimSuffix(path, "/")+"/"]
			}
			if want.Status == http.StatusNotFound {
				e = byAddress["/404.html"]
				if strings.HasPrefix(path, "/zh/") {
					e = byAddress["/zh/404.html"]
				}
			}
			encodings := []struct {
				accept, want string
				has          bool
			}{
				{"gzip", "gzip", e.Gzip},
				{"gzip, deflate, br", "br", e.Brotli && hasBrotli},
				{"br;q=0, gzip", "gzip", e.Gzip},
			}
			if hasBrotli {
				encodings = append(encodings, struct {
					accept, want string
					has          bool
				}{"br", "br", e.Brotli})
			}
			for _, enc := range encodings {
				c := fetch(t, base, host, path, enc.accept)
				switch {
				case !enc.has && c.encoding != "" && !slices.Contains([]string{"gzip", "br"}, c.encoding):
					t.Errorf("Accept-Encoding %q: unexpected %q", enc.accept, c.encoding)
				case enc.has && c.encoding != enc.want:
					t.Errorf("Accept-Encoding %q: nginx answered %q, want %q", enc.accept, c.encoding, enc.want)
				}
				if c.status != want.Status || !bytes.Equal(c.body, want.Body.Bytes()) {
					t.Errorf("Accept-Encoding %q: status %d, %d bytes after decoding, want %d and the page's %d", enc.accept, c.status, len(c.body), want.Status, want.Body.Len())
				}
			}
		})
	}
}

// migrated gives the site what an import leaves: a stored image and a
// document, and old addresses of an article, a section listing and the
// files. It returns addresses to compare, in the forms nginx answers.
func migrated(t *testing.T, st store.Store, s content.Site) []string {
	t.Helper()
	ctx := context.Background()
	im := st.Imports()
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89")
	img, err := im.PutMedia(ctx, store.Media{SiteID: s.ID, ContentType: "image/png", Name: "W020220730.png", Data: png})
	if err != nil {
		t.Fatal(err)
	}
	doc, err := im.PutMedia(ctx, store.Media{SiteID: s.ID, ContentType: "application/pdf", Name: "P020220730.pdf", Data: []byte("%PDF-1.4\n%%EOF\n")})
	if err != nil {
		t.Fatal(err)
	}
	articles, err := st.Articles(ctx, store.Published(s.ID, "en", demoNow))
	if err != nil || len(articles) == 0 {
		t.Fatalf("no article to redirect to: %v", err)
	}
	sections, err := st.Sections(ctx, s.ID)
	if err != nil || len(sections) == 0 {
		t.Fatalf("no section to redirect to: %v", err)
	}
	for _, r := range []store.Redirect{
		{SiteID: s.ID, OldPath: "/eng/zgyw/202207/t20220730_10730785.htm", ArticleID: articles[0].ID},
		{SiteID: s.ID, OldPath: "/eng/zgyw/index.htm", SectionID: sections[0].ID, Language: "en"},
		{SiteID: s.ID, OldPath: "/eng/zgyw/202207/W020220730.png", Target: img.Path()},
		{SiteID: s.ID, OldPath: "/eng/zgyw/202207/P020220730.pdf", Target: doc.Path()},
	} {
		if err := im.PutRedirect(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"/eng/zgyw/202207/t20220730_10730785.htm", "/eng/zgyw/index.htm", "/eng/zgyw/", "/eng/zgyw",
		"/eng/zgyw/index.html", "/eng/zgyw/202207/W020220730.png", img.Path(), doc.Path()}
}

// TestNginxTarget: a redirect's target with characters nginx would read
// as the end of the string or a variable is written percent-encoded, the
// same address for a browser.
func TestNginxTarget(t *testing.T) {
	for _, target := range []string{"/en/news/2024/05/plain", `/old/say "hello"$1\n`, "/old/tab\there", "/en/新闻"} {
		got := nginxTarget(target)
		if strings.ContainsAny(got, "\"$\\ \t") || !nginxSafe(got) {
			t.Errorf("nginxTarget(%q) = %q, which nginx would misread", target, got)
		}
		if back, err := url.PathUnescape(got); err != nil || back != target {
			t.Errorf("nginxTarget(%q) = %q, which leads to %q (%v)", target, got, back, err)
		}
	}
}
