package site

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"chancery/internal/content"
	"chancery/internal/store"
)

// The figures these benchmarks give are in bench/RESULTS.md. They measure;
// they assert nothing about speed.

// benchHost is the demo site the benchmarks read.
const benchHost = "un.localhost"

// benchSection is the first page of a large section listing of benchHost.
const benchSection = "/en/meetings-statements/"

// longestArticle returns the demo handler and the longest (by body) English
// article of benchHost, body included, with its site.
func longestArticle(b *testing.B) (*Handler, content.Site, content.Article) {
	b.Helper()
	hh, st := demoHandler(b)
	h, ok := hh.(*Handler)
	if !ok {
		b.Fatalf("demoHandler returned %T, not *Handler", hh)
	}
	ctx := context.Background()
	s, err := st.SiteByHost(ctx, benchHost)
	if err != nil {
		b.Fatal(err)
	}
	list, err := st.Articles(ctx, store.Published(s.ID, "en", demoNow))
	if err != nil {
		b.Fatal(err)
	}
	var longest content.Article
	for _, a := range list {
		full, err := st.Article(ctx, a.ID)
		if err != nil {
			b.Fatal(err)
		}
		if len(full.BodyHTML) > len(longest.BodyHTML) {
			longest = full
		}
	}
	if longest.ID == 0 {
		b.Fatalf("%s has no published English article", benchHost)
	}
	return h, s, longest
}

// BenchmarkRenderArticle renders the longest English demo article's page
// from a view built once: the theme's templates alone, no store.
func BenchmarkRenderArticle(b *testing.B) {
	h, s, a := longestArticle(b)
	ctx := context.Background()
	sections, err := h.store.Sections(ctx, s.ID)
	if err != nil {
		b.Fatal(err)
	}
	sr := siteRequest{site: s, lang: "en", tree: content.NewTree(sections), origin: "http://" + benchHost}
	p, err := h.articlePage(ctx, sr, a)
	if err != nil {
		b.Fatal(err)
	}
	body, err := h.theme.RenderBytes("article", p)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := h.theme.RenderBytes("article", p); err != nil {
			b.Fatal(err)
		}
	}
}

// serveOnce sends one GET through h and fails b unless it answers 200.
// It returns the response body's length.
func serveOnce(b *testing.B, h http.Handler, path string, gzip bool) int {
	r := httptest.NewRequest(http.MethodGet, "http://"+benchHost+path, nil)
	if gzip {
		r.Header.Set("Accept-Encoding", "gzip")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		b.Fatalf("GET %s%s = %d", benchHost, path, w.Code)
	}
	return w.Body.Len()
}

// benchServe measures whole requests for path through h: store reads,
// view, rendering, ETag and, with gzip, compression.
func benchServe(b *testing.B, h http.Handler, path string, gzip bool) {
	b.ReportAllocs()
	b.SetBytes(int64(serveOnce(b, h, path, gzip)))
	for b.Loop() {
		serveOnce(b, h, path, gzip)
	}
}

// BenchmarkServeArticle serves the longest English demo article, as sent
// plain and gzipped.
func BenchmarkServeArticle(b *testing.B) {
	h, _, a := longestArticle(b)
	b.Run("plain", func(b *testing.B) { benchServe(b, h, a.Path, false) })
	b.Run("gzip", func(b *testing.B) { benchServe(b, h, a.Path, true) })
}

// BenchmarkServeArticleParallel serves the same page from GOMAXPROCS
// goroutines at once, plain.
func BenchmarkServeArticleParallel(b *testing.B) {
	h, _, a := longestArticle(b)
	b.ReportAllocs()
	b.SetBytes(int64(serveOnce(b, h, a.Path, false)))
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			r := httptest.NewRequest(http.MethodGet, "http://"+benchHost+a.Path, nil)
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Errorf("GET %s%s = %d", benchHost, a.Path, w.Code)
				return
			}
		}
	})
}

// BenchmarkServeSection serves the first page of a large section listing,
// for comparison with an article.
func BenchmarkServeSection(b *testing.B) {
	h, _ := demoHandler(b)
	benchServe(b, h, benchSection, false)
}
