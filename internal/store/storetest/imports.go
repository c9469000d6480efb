package storetest

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

// testAddressScheme: a site that keeps an old platform's scheme gives new
// articles addresses of that form, keeps an address an import gives, and
// refuses one that is taken or malformed.
func testAddressScheme(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := newSite("old", "old.example.org")
	site.TimeZone = "Asia/Shanghai"
	site.AddressScheme = "/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm"
	site.Channels = map[string]string{"en": "eng", "zh": "chn"}
	site = mustSite(t, s, site)
	got, err := s.Site(ctx, site.ID)
	if err != nil || got.AddressScheme != site.AddressScheme || got.Channels["zh"] != "chn" || got.Channels["en"] != "eng" {
		t.Fatalf("site read back: scheme %q channels %v (%v)", got.AddressScheme, got.Channels, err)
	}
	news := mustSection(t, s, section(site.ID, 0, 1, "zgyw", "zgyw"))
	// 16:30 UTC on 29 July is 00:30 on 30 July in Shanghai.
	at := time.Date(2022, 7, 29, 16, 30, 0, 0, time.UTC)
	a := mustArticle(t, s, article(site, news, "zh", "外交部发言人答记者问", at))
	if want := "/chn/zgyw/202207/t20220730_" + content.IDSlug(a.ID) + ".htm"; a.Path != want {
		t.Fatalf("path = %q; want %q", a.Path, want)
	}
	if back, err := s.ArticleByPath(ctx, site.ID, a.Path); err != nil || back.ID != a.ID {
		t.Fatalf("ArticleByPath(%s) = %d, %v", a.Path, back.ID, err)
	}
	kept := article(site, news, "en", "Spokesperson's Remarks", at)
	kept.Path = "/eng/zgyw/202207/t20220730_10730785.htm"
	kept = mustArticle(t, s, kept)
	if kept.Path != "/eng/zgyw/202207/t20220730_10730785.htm" {
		t.Fatalf("given address not kept: %q", kept.Path)
	}
	clash := article(site, news, "en", "Another", at)
	clash.Path = kept.Path
	if _, err := s.CreateArticle(ctx, clash); !errors.Is(err, content.ErrConflict) {
		t.Fatalf("taken address: %v; want ErrConflict", err)
	}
	for _, bad := range []string{"eng/x.htm", "/eng/x/", "/eng//x.htm", "/eng/x.htm?id=1", "/eng/../x.htm"} {
		b := article(site, news, "en", "Bad", at)
		b.Path = bad
		_, err := s.CreateArticle(ctx, b)
		wantValidation(t, err, "path")
	}
	site.AddressScheme = "/{channel}/{section}/{yyyymm}/"
	wantValidation(t, s.UpdateSite(ctx, site), "address_scheme")
	site.AddressScheme = "/{channel}/{nothing}/{number}.htm"
	wantValidation(t, s.UpdateSite(ctx, site), "address_scheme")
}

// testRedirects: old addresses are found under the variants an old
// platform answered alike, and a second record of one replaces the first.
func testRedirects(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	sec := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	a := mustArticle(t, s, article(site, sec, "en", "Statement", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)))
	im := s.Imports()
	if err := im.PutRedirect(ctx, store.Redirect{SiteID: site.ID, OldPath: "/eng/zgyw/202207/t20220730_1.htm", ArticleID: a.ID}); err != nil {
		t.Fatal(err)
	}
	if err := im.PutRedirect(ctx, store.Redirect{SiteID: site.ID, OldPath: "/eng/zgyw/index.htm", SectionID: sec.ID, Language: "en"}); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/eng/zgyw/202207/t20220730_1.htm", "/ENG/ZGYW/202207/T20220730_1.HTM", "/eng//zgyw/202207/t20220730_1.htm"} {
		r, err := im.Redirect(ctx, site.ID, p)
		if err != nil || r.ArticleID != a.ID {
			t.Fatalf("Redirect(%s) = %+v, %v", p, r, err)
		}
	}
	for _, p := range []string{"/eng/zgyw/", "/eng/zgyw", "/Eng/Zgyw/INDEX.HTM", "/eng/zgyw/index.html"} {
		r, err := im.Redirect(ctx, site.ID, p)
		if err != nil || r.SectionID != sec.ID || r.Language != "en" || r.OldPath != "/eng/zgyw/index.htm" {
			t.Fatalf("Redirect(%s) = %+v, %v", p, r, err)
		}
	}
	if _, err := im.Redirect(ctx, site.ID, "/eng/other/"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("unknown old address: %v; want ErrNotFound", err)
	}
	if err := im.PutRedirect(ctx, store.Redirect{SiteID: site.ID, OldPath: "/eng/zgyw/", Target: "/en/news/"}); err != nil {
		t.Fatal(err)
	}
	all, err := im.Redirects(ctx, site.ID)
	if err != nil || len(all) != 2 {
		t.Fatalf("Redirects = %+v, %v; want 2 (the second listing record replaced the first)", all, err)
	}
	if r, _ := im.Redirect(ctx, site.ID, "/eng/zgyw/index.htm"); r.Target != "/en/news/" || r.SectionID != 0 {
		t.Fatalf("replaced redirect = %+v", r)
	}
}

// testImportRecords: records are kept per site and key, and replaced.
func testImportRecords(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	sec := mustSection(t, s, section(site.ID, 0, 1, "news", "xw"))
	a := mustArticle(t, s, article(site, sec, "en", "Statement", time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)))
	im := s.Imports()
	if _, err := im.ImportRecord(ctx, site.ID, "wxr:12"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("no record yet: %v", err)
	}
	rec := store.ImportRecord{SiteID: site.ID, SourceKey: "wxr:12", ArticleID: a.ID, Digest: "d1", ArticleUpdatedAt: a.UpdatedAt}
	if err := im.PutImportRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	rec.Digest = "d2"
	if err := im.PutImportRecord(ctx, rec); err != nil {
		t.Fatal(err)
	}
	got, err := im.ImportRecord(ctx, site.ID, "wxr:12")
	if err != nil || got.ArticleID != a.ID || got.Digest != "d2" || !got.ArticleUpdatedAt.Equal(a.UpdatedAt) {
		t.Fatalf("ImportRecord = %+v, %v", got, err)
	}
	if keys, err := im.ImportKeys(ctx, site.ID); err != nil || len(keys) != 1 || keys[0] != "wxr:12" {
		t.Fatalf("ImportKeys = %v, %v", keys, err)
	}
	err = s.InTx(ctx, func(q store.Queries) error {
		at, err := q.Imports().LockArticle(ctx, a.ID)
		if err == nil && !at.Equal(a.UpdatedAt) {
			t.Errorf("LockArticle = %v; want %v", at, a.UpdatedAt)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := im.LockArticle(ctx, 999999); !errors.Is(err, content.ErrNotFound) {
		t.Errorf("LockArticle(missing) = %v; want ErrNotFound", err)
	}
}

// testMedia: a file is stored once per site by its bytes.
func testMedia(t *testing.T, s store.Store) {
	ctx := context.Background()
	site := mustSite(t, s, newSite("un", "un.example.org"))
	other := mustSite(t, s, newSite("geneva", "geneva.example.org"))
	data := []byte("%PDF-1.4\n% a small document\n")
	im := s.Imports()
	m, err := im.PutMedia(ctx, store.Media{SiteID: site.ID, ContentType: "application/pdf", Name: "report.pdf", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if m.ID == 0 || len(m.Key) != 16 || m.Size != int64(len(data)) || m.Path() != "/media/"+m.Key+"/report.pdf" {
		t.Fatalf("stored %+v", m)
	}
	again, err := im.PutMedia(ctx, store.Media{SiteID: site.ID, ContentType: "application/pdf", Name: "copy.pdf", Data: data})
	if err != nil || again.ID != m.ID || again.Name != "report.pdf" {
		t.Fatalf("the same bytes again: %+v, %v; want the first file", again, err)
	}
	elsewhere, err := im.PutMedia(ctx, store.Media{SiteID: other.ID, ContentType: "application/pdf", Name: "report.pdf", Data: data})
	if err != nil || elsewhere.ID == m.ID {
		t.Fatalf("another site's copy: %+v, %v", elsewhere, err)
	}
	got, err := im.Media(ctx, site.ID, m.Key)
	if err != nil || !bytes.Equal(got.Data, data) || got.ContentType != "application/pdf" {
		t.Fatalf("Media = %+v, %v", got, err)
	}
	if _, err := im.Media(ctx, site.ID, "0000000000000000"); !errors.Is(err, content.ErrNotFound) {
		t.Fatalf("unknown file: %v", err)
	}
	list, err := im.MediaList(ctx, site.ID)
	if err != nil || len(list) != 1 || list[0].Data != nil {
		t.Fatalf("MediaList = %+v, %v", list, err)
	}
}
