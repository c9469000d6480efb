package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

func page(siteID int64, path, body string) store.StoredPage {
	return store.StoredPage{SiteID: siteID, Path: path, ContentType: "text/html; charset=utf-8", ETag: `"` + body + `"`,
		Body: []byte(body), Gzip: []byte("gz:" + body), RenderedAt: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

// testPageStore stores, replaces and removes rendered pages, and checks
// that a page rendered under an old epoch is refused.
func testPageStore(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("embassy", "embassy.example.org"))
	pq := s.Pages()
	for _, p := range []store.StoredPage{page(site.ID, "/en/", "home"), page(site.ID, "/en/news/", "news"),
		page(site.ID, "/en/news/2024/06/statement", "statement"), page(site.ID, "/en/newsletter/", "letter"),
		page(site.ID, "/zh/新闻/", "中文"), page(other.ID, "/en/news/", "embassy news")} {
		if err := pq.PutPage(ctx, p); err != nil {
			t.Fatalf("PutPage(%s): %v", p.Path, err)
		}
	}
	got, err := pq.Page(ctx, site.ID, "/en/news/")
	// A variant not kept reads as nil on every engine (an empty one would
	// be written out as an empty .br file).
	if err != nil || string(got.Body) != "news" || string(got.Gzip) != "gz:news" || got.Brotli != nil || got.ETag != `"news"` ||
		got.ContentType != "text/html; charset=utf-8" || !got.RenderedAt.Equal(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)) {
		t.Fatalf("Page = %+v, %v", got, err)
	}
	if _, err := pq.Page(ctx, site.ID, "/en/nothing/"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("Page(missing) = %v; want ErrNotFound", err)
	}
	each := map[string]store.StoredPage{}
	if err := pq.EachPage(ctx, site.ID, func(p store.StoredPage) error { each[p.Path] = p; return nil }); err != nil {
		t.Fatalf("EachPage: %v", err)
	}
	if len(each) != 5 || string(each["/zh/新闻/"].Body) != "中文" || each["/en/news/"].SiteID != site.ID {
		t.Fatalf("EachPage gave %d pages: %v", len(each), each)
	}
	if p := each["/en/news/"]; p.ETag != got.ETag || string(p.Gzip) != "gz:news" || p.Brotli != nil || !p.RenderedAt.Equal(got.RenderedAt) || p.ContentType != got.ContentType {
		t.Fatalf("EachPage's /en/news/ = %+v; Page gave %+v", p, got)
	}
	stop := errors.New("stop")
	calls := 0
	if err := pq.EachPage(ctx, site.ID, func(store.StoredPage) error { calls++; return stop }); err != stop || calls != 1 {
		t.Fatalf("EachPage after fn's error = %v, %d calls; want that error after one", err, calls)
	}
	if err := pq.PutPage(ctx, page(site.ID, "/en/news/", "news, again")); err != nil {
		t.Fatal(err)
	}
	if got, _ := pq.Page(ctx, site.ID, "/en/news/"); string(got.Body) != "news, again" {
		t.Fatalf("after a replace, Page = %q", got.Body)
	}
	if err := pq.DeletePagesUnder(ctx, site.ID, "/en/news/"); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]bool{"/en/news/": false, "/en/news/2024/06/statement": false, "/en/newsletter/": true, "/en/": true, "/zh/新闻/": true} {
		if _, err := pq.Page(ctx, site.ID, path); (err == nil) != want {
			t.Errorf("after deleting under /en/news/, %s present = %v; want %v", path, err == nil, want)
		}
	}
	if _, err := pq.Page(ctx, other.ID, "/en/news/"); err != nil {
		t.Fatal("deleting one site's pages removed another's")
	}
	if err := pq.DeletePages(ctx, site.ID, []string{"/en/", "/zh/新闻/"}); err != nil {
		t.Fatal(err)
	}
	if n, err := pq.PageCount(ctx, site.ID); err != nil || n != 1 {
		t.Fatalf("PageCount = %d, %v; want 1", n, err)
	}
	if err := pq.DeletePagesUnder(ctx, site.ID, ""); err != nil {
		t.Fatal(err)
	}
	if n, _ := pq.PageCount(ctx, site.ID); n != 0 {
		t.Fatalf("after deleting everything, %d pages", n)
	}

	if e, err := pq.PageEpoch(ctx, site.ID); err != nil || e != 0 {
		t.Fatalf("PageEpoch of a new site = %d, %v", e, err)
	}
	if ok, err := pq.PutPageAt(ctx, page(site.ID, "/en/", "at 0"), 0); err != nil || !ok {
		t.Fatalf("PutPageAt(epoch 0) = %v, %v; want stored", ok, err)
	}
	err = s.InTx(ctx, func(q store.Queries) error {
		e, err := q.Pages().BumpPageEpoch(ctx, site.ID)
		if err == nil && e != 1 {
			t.Errorf("first BumpPageEpoch = %d", e)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := pq.PutPageAt(ctx, page(site.ID, "/en/", "stale"), 0); err != nil || ok {
		t.Fatalf("PutPageAt(old epoch) = %v, %v; want refused", ok, err)
	}
	if got, _ := pq.Page(ctx, site.ID, "/en/"); string(got.Body) != "at 0" {
		t.Fatalf("a stale page replaced the stored one: %q", got.Body)
	}
	if ok, _ := pq.PutPageAt(ctx, page(site.ID, "/en/", "at 1"), 1); !ok {
		t.Fatal("PutPageAt(current epoch) refused")
	}
	if e, _ := pq.BumpPageEpoch(ctx, site.ID); e != 2 {
		t.Fatalf("second bump = %d", e)
	}
	epochs, err := pq.PageEpochs(ctx)
	if err != nil || epochs[site.ID] != 2 || epochs[other.ID] != 0 {
		t.Fatalf("PageEpochs = %v, %v", epochs, err)
	}
}
