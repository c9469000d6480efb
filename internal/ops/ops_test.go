package ops_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"chancery/internal/ops"
	"chancery/internal/store/sqlite"
)

// site stands for the public handler: it answers "site" with 404 on any
// address, as the site does for a host it does not know.
var site = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "site", http.StatusNotFound)
})

func get(t *testing.T, h http.Handler, host, path string) (int, string, http.Header) {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Host = host
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

func TestHealthOnAnyHost(t *testing.T) {
	h := ops.Health(site, ops.Check{Reason: "database unreachable", Run: func(context.Context) error { return nil }})
	for _, host := range []string{"localhost", "un.localhost", "unknown.example", "192.0.2.10:8080", ""} {
		for path, want := range map[string]string{"/healthz": "ok\n", "/readyz": "ready\n"} {
			code, body, hdr := get(t, h, host, path)
			if code != http.StatusOK || body != want {
				t.Errorf("%s%s = %d %q; want 200 %q", host, path, code, body, want)
			}
			if hdr.Get("Cache-Control") != "no-store" {
				t.Errorf("%s%s Cache-Control = %q; want no-store", host, path, hdr.Get("Cache-Control"))
			}
		}
		for _, path := range []string{"/", "/healthz/", "/en/healthz", "/readyz.json"} {
			if code, body, _ := get(t, h, host, path); code != http.StatusNotFound || body != "site\n" {
				t.Errorf("%s%s = %d %q; want the site's answer", host, path, code, body)
			}
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/healthz", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST /healthz = %d; want 405", w.Code)
	}
}

func TestReadyzFailsWithoutDetail(t *testing.T) {
	var deadline bool
	h := ops.Health(site, ops.Check{Reason: "database unreachable", Run: func(ctx context.Context) error {
		_, deadline = ctx.Deadline()
		return errors.New("dial tcp 10.0.0.5:5432: connection refused for user secret")
	}})
	code, body, hdr := get(t, h, "unknown.example", "/readyz")
	if code != http.StatusServiceUnavailable || body != "database unreachable\n" {
		t.Fatalf("/readyz = %d %q; want 503 %q", code, body, "database unreachable\n")
	}
	if !deadline {
		t.Error("the check ran without a deadline")
	}
	if hdr.Get("Cache-Control") != "no-store" {
		t.Errorf("Cache-Control = %q; want no-store", hdr.Get("Cache-Control"))
	}
	if code, body, _ := get(t, h, "unknown.example", "/healthz"); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz while not ready = %d %q; want 200 ok", code, body)
	}
}

func TestReadyzWithSQLite(t *testing.T) {
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	h := ops.Health(site, ops.Check{Reason: "database unreachable", Run: st.Ping})
	if code, body, _ := get(t, h, "192.0.2.1", "/readyz"); code != http.StatusOK || body != "ready\n" {
		t.Fatalf("/readyz = %d %q; want 200 ready", code, body)
	}
	st.Close()
	if code, body, _ := get(t, h, "192.0.2.1", "/readyz"); code != http.StatusServiceUnavailable || body != "database unreachable\n" {
		t.Fatalf("/readyz after Close = %d %q; want 503 database unreachable", code, body)
	}
}

func TestRoute(t *testing.T) {
	for path, want := range map[string]string{
		"/":                         ops.RouteIndex,
		"/healthz":                  ops.RouteHealth,
		"/readyz":                   ops.RouteHealth,
		"/static/style.css":         ops.RouteStatic,
		"/en/":                      ops.RouteHome,
		"/en":                       ops.RouteHome,
		"/zh-hant/":                 ops.RouteHome,
		"/pt-BR/":                   ops.RouteHome,
		"/en/search/":               ops.RouteSearch,
		"/en/search":                ops.RouteSearch,
		"/zh/search.json":           ops.RouteSearchJSON,
		"/en/opensearch.xml":        ops.RouteOpenSearch,
		"/en/feed.xml":              ops.RouteFeed,
		"/zh/hy/alh/atom.xml":       ops.RouteFeed,
		"/en/news/feed.json":        ops.RouteFeed,
		"/sitemap.xml":              ops.RouteSitemap,
		"/robots.txt":               ops.RouteSitemap,
		"/en/sitemap-2025.xml":      ops.RouteSitemap,
		"/en/news/sitemap-2025.xml": ops.RouteArticle,
		"/en/share/12/":             ops.RouteShare,
		"/en/meetings-statements/":  ops.RouteSection,
		"/en/meetings-statements/security-council/page/2/": ops.RouteSection,
		"/en/meetings-statements/2025/":                    ops.RouteArchive,
		"/en/meetings-statements/2025/05/":                 ops.RouteArchive,
		"/en/news/2025/05/statement-by-the-ambassador":     ops.RouteArticle,
		"/zh/hyyfy/alh/gkblh/2025/05/2":                    ops.RouteArticle,
		"/wp-login.php":                                    ops.RouteOther,
		"/favicon.ico":                                     ops.RouteOther,
		"/english/":                                        ops.RouteOther,
		"/e1/":                                             ops.RouteOther,
		"":                                                 ops.RouteOther,
		"/healthz/":                                        ops.RouteOther,
		"/en-x/":                                           ops.RouteOther,
	} {
		if got := ops.Route(path); got != want {
			t.Errorf("Route(%q) = %q; want %q", path, got, want)
		}
	}
}

func TestMetricsCountRequests(t *testing.T) {
	m := ops.NewMetrics()
	h := m.Instrument(ops.Health(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/en/":
			w.Write([]byte("home"))
		case "/panic":
			panic("boom")
		case "/en/search/":
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			http.NotFound(w, r)
		}
	})))
	for _, path := range []string{"/en/", "/en/", "/en/search/", "/secret-probe-xyz.php", "/en/news/2025/05/secret-article-slug", "/healthz"} {
		get(t, h, "embassy.localhost", path)
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic did not reach the outer handler")
			}
		}()
		get(t, h, "embassy.localhost", "/panic")
	}()

	_, text, _ := get(t, m.Handler(), "127.0.0.1", "/metrics")
	for _, want := range []string{
		`chancery_http_requests_total{code="200",route="home"} 2`,
		`chancery_http_requests_total{code="429",route="search"} 1`,
		`chancery_http_requests_total{code="404",route="other"} 1`,
		`chancery_http_requests_total{code="404",route="article"} 1`,
		`chancery_http_requests_total{code="200",route="health"} 1`,
		`chancery_http_requests_total{code="500",route="other"} 1`,
		`chancery_http_request_duration_seconds_count{route="home"} 2`,
		`chancery_http_request_duration_seconds_bucket{route="article",le="+Inf"} 1`,
		"go_goroutines",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("metrics lack %s", want)
		}
	}
	for _, raw := range []string{"secret", "/en/", "panic", "embassy"} {
		if strings.Contains(text, raw) {
			t.Errorf("metrics contain the raw %q", raw)
		}
	}
}
