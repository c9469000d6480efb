package site

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

// FuzzSitePaths sends arbitrary paths to a site and to the network host:
// every answer must be a page, a redirect or a 404, never a failure.
func FuzzSitePaths(f *testing.F) {
	for _, p := range []string{"/", "/en/", "/en", "/zh/hy/alh/2024/06/", "/en/news/page/2/", "/en/news/page/0/", "/en/news/2025/13/",
		"/en/meetings/security-council/2024/06/statement-on-water-security", "/static/site.css", "/../etc/passwd", "/en//news/", "/en/news/page/99999999999999999999/",
		"/en/feed.xml", "/en/meetings/atom.xml", "/zh/feed.json", "/sitemap.xml", "/en/sitemap-2024.xml", "/en/sitemap-0000.xml", "/robots.txt",
		"/en/share/1/", "/en/share/99999999999999999999/", "/en/share/1/?sent=9"} {
		f.Add("un.example.test", p)
		f.Add("localhost", p)
	}
	fx := newFixture(f)
	f.Fuzz(func(t *testing.T, host, path string) {
		r := httptest.NewRequest(http.MethodGet, "http://un.example.test/", nil)
		r.Host = host
		r.URL.Path = path
		w := httptest.NewRecorder()
		fx.h.ServeHTTP(w, r)
		switch w.Code {
		case http.StatusOK, http.StatusMovedPermanently, http.StatusFound, http.StatusNotFound:
		default:
			t.Fatalf("GET %q on %q = %d: %s", path, host, w.Code, w.Body.String())
		}
	})
}

// FuzzSharePost posts arbitrary bodies to a share form with a valid or a
// made-up token: every answer is a redirect after queueing, or a refusal
// the reader can act on (400, 429), never a failure; nothing is queued
// without a valid token.
func FuzzSharePost(f *testing.F) {
	fx := shareFixture(f, ShareOptions{})
	path := shareURL(fx.statement)
	for _, body := range []string{"to=a%40example.org&name=Alex", "to=a%40example.org%0d%0aBcc:+x%40y.org&name=A",
		"to=&to=&to=&to=", "name=%ff%fe", "website=x", strings.Repeat("to=a%40b.org&", 60), "%zz", "token=abc&to=a%40b.org&name=B"} {
		f.Add(body, true)
		f.Add(body, false)
	}
	f.Fuzz(func(t *testing.T, body string, validToken bool) {
		before := fx.queued(t)
		if validToken {
			body += "&token=" + url.QueryEscape(fx.form(t, path))
			fx.now = fx.now.Add(10 * time.Second)
		}
		resp, page := fx.postRaw(t, path, "198.51.100.7", body)
		switch resp.StatusCode {
		case http.StatusSeeOther:
			if !validToken {
				t.Fatalf("a post without a valid token was taken: %q", body)
			}
		case http.StatusBadRequest, http.StatusTooManyRequests:
			if fx.queued(t) != before {
				t.Fatalf("a refused post queued mail: %q", body)
			}
		default:
			t.Fatalf("POST %q = %d: %s", body, resp.StatusCode, page)
		}
	})
}
