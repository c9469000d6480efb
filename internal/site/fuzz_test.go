package site

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzSitePaths sends arbitrary paths to a site and to the network host:
// every answer must be a page, a redirect or a 404, never a failure.
func FuzzSitePaths(f *testing.F) {
	for _, p := range []string{"/", "/en/", "/en", "/zh/hy/alh/2024/06/", "/en/news/page/2/", "/en/news/page/0/", "/en/news/2025/13/",
		"/en/meetings/security-council/2024/06/statement-on-water-security", "/static/site.css", "/../etc/passwd", "/en//news/", "/en/news/page/99999999999999999999/"} {
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
