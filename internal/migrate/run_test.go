package migrate

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/testdb"
)

// jsonFormat reads test sources: a .json file holding a list of entries,
// so that these tests exercise the importer apart from any real reader.
var jsonFormat = Format{
	Name:   "json",
	Detect: func(name string, head []byte) bool { return strings.HasSuffix(name, ".json") },
	Parse: func(f File) []Entry {
		var entries []Entry
		var raw []struct {
			Item    *Item
			Listing *Listing
			Skip    string
			Err     string
		}
		if err := json.Unmarshal(f.Data, &raw); err != nil {
			return []Entry{{File: f.Name, Err: err}}
		}
		for _, r := range raw {
			e := Entry{File: f.Name, Item: r.Item, Listing: r.Listing, Skip: r.Skip}
			if r.Err != "" {
				e.Err = errString(r.Err)
			}
			entries = append(entries, e)
		}
		return entries
	},
}

type errString string

func (e errString) Error() string { return string(e) }

// pngBytes is a 1×1 PNG.
var pngBytes = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")

var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

func at(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

// oldSite is a small saved site: an English statement with an image and a
// document, its Chinese version, a listing page, and one of each kind of
// bad item.
func oldSite() []any {
	return []any{
		map[string]any{"Item": Item{Key: "/eng/zgyw/202207/t20220730_101.htm", OldPaths: []string{"/eng/zgyw/202207/t20220730_101.htm"},
			Language: "en", Title: "Ambassador Meets Students", Published: at("2022-07-30 09:15"), Floating: true,
			Sections: []SectionRef{{Slug: "zgyw", Name: "Embassy News"}},
			Body:     `<p>The ambassador met students.</p><p><img src="./W0101.png" alt="The meeting"></p><p><a href="./P0101.pdf">Programme</a></p>`,
			HTML:     true, Attachments: []Attachment{{Ref: "./P0101.pdf", Title: "Programme"}},
			Translations: []string{"/chn/zgyw/202207/t20220730_102.htm"}}},
		map[string]any{"Item": Item{Key: "/chn/zgyw/202207/t20220730_102.htm", OldPaths: []string{"/chn/zgyw/202207/t20220730_102.htm"},
			Language: "zh", Title: "大使会见留学生", Published: at("2022-07-30 09:15"), Floating: true,
			Sections: []SectionRef{{Slug: "zgyw", Name: "使馆新闻"}},
			Body:     `<p>大使会见了留学生。</p>`, HTML: true,
			Translations: []string{"/eng/zgyw/202207/t20220730_101.htm"}}},
		map[string]any{"Listing": Listing{OldPath: "/eng/zgyw/", Language: "en", Sections: []SectionRef{{Slug: "zgyw", Name: "Embassy News"}}}},
		map[string]any{"Item": Item{Key: "/eng/zgyw/nodate.htm", OldPaths: []string{"/eng/zgyw/nodate.htm"}, Language: "en",
			Title: "Undated", Body: "<p>Text.</p>", HTML: true}},
		map[string]any{"Item": Item{Key: "/fra/x.htm", Language: "fr", Title: "Déclaration", Published: at("2022-01-01 10:00"), Body: "Texte."}},
		map[string]any{"Item": Item{Key: "dup", OldPaths: []string{"/ENG/zgyw/202207/t20220730_101.htm"}, Language: "en",
			Title: "Same address", Published: at("2022-01-01 10:00"), Body: "Text."}},
		map[string]any{"Err": "truncated page: no body"},
		map[string]any{"Skip": "home page of the old site"},
	}
}

func writeSource(t *testing.T, dir string, entries []any) {
	t.Helper()
	b, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"eng/zgyw/202207/pages.json": b, "eng/zgyw/202207/W0101.png": pngBytes, "eng/zgyw/202207/P0101.pdf": pdfBytes} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func newSite(t *testing.T, st store.Store, scheme string) content.Site {
	t.Helper()
	s, err := st.CreateSite(context.Background(), content.Site{Key: "embassy", Hosts: []string{"embassy.example.test"},
		Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "Asia/Shanghai",
		Names:         map[string]string{"en": "Embassy of Example", "zh": "示例大使馆"},
		AddressScheme: scheme, Channels: map[string]string{"en": "eng", "zh": "chn"}})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func run(t *testing.T, st store.Store, site content.Site, sources ...string) *Report {
	t.Helper()
	rep, err := Run(context.Background(), st, sources, Options{Site: site, Formats: []Format{jsonFormat}, Limits: Limits{MaxFile: 1 << 20, MaxTotal: 4 << 20, MaxFiles: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func lineOf(t *testing.T, rep *Report, key string) Line {
	t.Helper()
	for _, l := range rep.Lines {
		if l.Key == key {
			return l
		}
	}
	t.Fatalf("no report line for %s in %+v", key, rep.Lines)
	return Line{}
}

func TestImport(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		site := newSite(t, st, "")
		dir := t.TempDir()
		writeSource(t, dir, oldSite())
		rep := run(t, st, site, dir)
		want := map[Outcome]int{Imported: 2, Skipped: 2, Failed: 3}
		for o, n := range want {
			if rep.Counts[o] != n {
				t.Errorf("%s: %d; want %d (%+v)", o, rep.Counts[o], n, rep.Lines)
			}
		}
		if l := lineOf(t, rep, "/eng/zgyw/nodate.htm"); l.Outcome != Skipped || !strings.Contains(l.Reason, "no publication date") {
			t.Errorf("undated page: %+v", l)
		}
		if l := lineOf(t, rep, "/fra/x.htm"); l.Outcome != Failed || !strings.Contains(l.Reason, `"fr" is not a language of site "embassy"`) || !strings.Contains(l.Reason, "site edit") {
			t.Errorf("foreign language: %+v", l)
		}
		if l := lineOf(t, rep, "dup"); l.Outcome != Failed || !strings.Contains(l.Reason, "also the address of /eng/zgyw/202207/t20220730_101.htm") {
			t.Errorf("duplicate old address: %+v", l)
		}

		en := lineOf(t, rep, "/eng/zgyw/202207/t20220730_101.htm")
		a, err := st.Article(ctx, en.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		// 09:15 in Shanghai is 01:15 UTC.
		if !a.PublishedAt.Equal(time.Date(2022, 7, 30, 1, 15, 0, 0, time.UTC)) || a.Status != content.StatusPublished {
			t.Errorf("published %v (%s); want 01:15 UTC", a.PublishedAt, a.Status)
		}
		if a.Path != "/en/zgyw/2022/07/ambassador-meets-students" || en.Address != a.Path {
			t.Errorf("address %q (report %q)", a.Path, en.Address)
		}
		files, err := st.Imports().MediaList(ctx, site.ID)
		if err != nil || len(files) != 2 || rep.Files != 2 {
			t.Fatalf("files %+v (%d in the report), %v; want the image and the document", files, rep.Files, err)
		}
		for _, m := range files {
			if !strings.Contains(a.BodyHTML, m.Path()) {
				t.Errorf("body %s does not link %s", a.BodyHTML, m.Path())
			}
			r, err := st.Imports().Redirect(ctx, site.ID, "/eng/zgyw/202207/"+m.Name)
			if err != nil || r.Target != m.Path() {
				t.Errorf("old address of %s: %+v, %v", m.Name, r, err)
			}
		}
		if strings.Contains(a.BodyHTML, "./W0101.png") || !strings.Contains(a.Body, "<p>The ambassador met students.</p>") {
			t.Errorf("body %q / source %q", a.BodyHTML, a.Body)
		}
		zh := lineOf(t, rep, "/chn/zgyw/202207/t20220730_102.htm")
		z, err := st.Article(ctx, zh.ArticleID)
		if err != nil || z.TranslationGroup != a.TranslationGroup {
			t.Errorf("Chinese version: group %d, English %d (%v)", z.TranslationGroup, a.TranslationGroup, err)
		}
		sections, _ := st.Sections(ctx, site.ID)
		if len(sections) != 1 || sections[0].Names["en"] != "Embassy News" || sections[0].Names["zh"] != "使馆新闻" || sections[0].Slugs["zh"] != "zgyw" {
			t.Errorf("sections %+v; want one, named in both languages", sections)
		}
		for old, id := range map[string]int64{"/eng/zgyw/202207/t20220730_101.htm": a.ID, "/CHN/zgyw/202207/T20220730_102.HTM": z.ID} {
			if r, err := st.Imports().Redirect(ctx, site.ID, old); err != nil || r.ArticleID != id {
				t.Errorf("redirect %s: %+v, %v", old, r, err)
			}
		}
		if r, err := st.Imports().Redirect(ctx, site.ID, "/eng/zgyw/index.htm"); err != nil || r.SectionID != sections[0].ID || r.Language != "en" {
			t.Errorf("listing redirect: %+v, %v", r, err)
		}

		// The same source again changes nothing.
		again := run(t, st, site, dir)
		if again.Counts[Unchanged] != 2 || again.Counts[Imported] != 0 || again.Counts[Updated] != 0 {
			t.Errorf("second run: %v", again.Counts)
		}
		all, _ := st.Articles(ctx, store.ArticleQuery{SiteID: site.ID})
		if len(all) != 2 {
			t.Errorf("%d articles after two runs; want 2", len(all))
		}

		// A changed source updates; an article edited in Chancery since
		// is left as the editor left it.
		entries := oldSite()
		first := entries[0].(map[string]any)["Item"].(Item)
		first.Title = "Ambassador Meets Students and Teachers"
		entries[0] = map[string]any{"Item": first}
		second := entries[1].(map[string]any)["Item"].(Item)
		second.Body = "<p>大使会见了留学生和老师。</p>"
		entries[1] = map[string]any{"Item": second}
		writeSource(t, dir, entries)
		z.Summary = "编辑改过的摘要"
		if err := st.UpdateArticle(ctx, z); err != nil {
			t.Fatal(err)
		}
		third := run(t, st, site, dir)
		if l := lineOf(t, third, first.Key); l.Outcome != Updated {
			t.Errorf("changed source: %+v", l)
		}
		if l := lineOf(t, third, second.Key); l.Outcome != Skipped || !strings.Contains(l.Reason, "edited in Chancery") {
			t.Errorf("edited article: %+v", l)
		}
		a2, _ := st.Article(ctx, a.ID)
		z2, _ := st.Article(ctx, z.ID)
		if a2.Title != first.Title || a2.Path != a.Path {
			t.Errorf("updated article: %q at %s", a2.Title, a2.Path)
		}
		if z2.Summary != "编辑改过的摘要" || z2.BodyHTML != z.BodyHTML {
			t.Errorf("the editor's change was overwritten: %+v", z2)
		}
		// The updated article's history keeps the text it replaced.
		revs, err := st.Accounts().Revisions(ctx, a.ID)
		if err != nil || len(revs) != 2 || revs[1].Title != a.Title || revs[0].Title != first.Title { // newest first
			t.Errorf("history of the updated article: %+v, %v; want the new text over the first import's", revs, err)
		}

		// An edition saved in the back office (a revision by a person,
		// the article's row unchanged) stands too.
		if _, err := st.Accounts().AddRevision(ctx, store.Revision{ArticleID: a.ID, UserID: 1, CreatedAt: time.Now(), SectionID: a2.SectionID,
			Kind: a2.Kind, Title: "The editor's title", Body: a2.Body, Note: "Corrected."}); err != nil {
			t.Fatal(err)
		}
		first.Title = "Ambassador Meets Students, Teachers and Parents"
		entries[0] = map[string]any{"Item": first}
		writeSource(t, dir, entries)
		fourth := run(t, st, site, dir)
		if l := lineOf(t, fourth, first.Key); l.Outcome != Skipped || !strings.Contains(l.Reason, "back office") {
			t.Errorf("article with an edition saved in the back office: %+v", l)
		}
		if a3, _ := st.Article(ctx, a.ID); a3.Title != a2.Title {
			t.Errorf("the import changed an article with a pending edition: %q", a3.Title)
		}
	})
}

// TestImportKeepsOldAddresses: a site that keeps its old platform's scheme
// serves imported articles at their old addresses, and new ones get the
// same form.
func TestImportKeepsOldAddresses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		ctx := context.Background()
		site := newSite(t, st, "/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm")
		// An article written in Chancery already holds one old address:
		// the store refuses the item that claims it, in the middle of a
		// batch, and the others of the batch are imported all the same.
		sec, err := st.CreateSection(ctx, content.Section{SiteID: site.ID, InNav: true, Names: map[string]string{"en": "Other", "zh": "其他"},
			Slugs: map[string]string{"en": "other", "zh": "qt"}})
		if err != nil {
			t.Fatal(err)
		}
		taken, err := st.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sec.ID, Language: "en", Kind: content.KindNews,
			Status: content.StatusPublished, Title: "Written Here", BodyHTML: "<p>Here.</p>", PublishedAt: at("2022-07-01 10:00"),
			Path: "/eng/other/202207/t20220701_5.htm"})
		if err != nil {
			t.Fatal(err)
		}
		clash := Item{Key: "clash", OldPaths: []string{taken.Path}, Language: "en", Title: "Claims a Taken Address",
			Published: at("2022-07-01 10:00"), Body: "Text."}
		dir := t.TempDir()
		writeSource(t, dir, append([]any{map[string]any{"Item": clash}}, oldSite()[:3]...))
		rep := run(t, st, site, dir)
		if rep.Counts[Imported] != 2 || rep.Counts[Failed] != 1 {
			t.Fatalf("counts %v: %+v", rep.Counts, rep.Lines)
		}
		if l := lineOf(t, rep, "clash"); !strings.Contains(l.Reason, "belongs to another article") {
			t.Errorf("taken address: %+v", l)
		}
		if got, err := st.ArticleByPath(ctx, site.ID, taken.Path); err != nil || got.ID != taken.ID || got.Title != "Written Here" {
			t.Errorf("the article already there: %+v, %v", got, err)
		}
		a, err := st.ArticleByPath(ctx, site.ID, "/eng/zgyw/202207/t20220730_101.htm")
		if err != nil || a.Title != "Ambassador Meets Students" {
			t.Fatalf("old address: %+v, %v", a, err)
		}
		sections, _ := st.Sections(ctx, site.ID)
		fresh, err := st.CreateArticle(ctx, content.Article{SiteID: site.ID, SectionID: sections[1].ID, Language: "zh", Kind: content.KindNews,
			Status: content.StatusPublished, Title: "新文章", BodyHTML: "<p>新。</p>", PublishedAt: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)})
		if err != nil {
			t.Fatal(err)
		}
		if want := "/chn/zgyw/202611/t20261128_" + content.IDSlug(fresh.ID) + ".htm"; fresh.Path != want {
			t.Errorf("new article at %s; want %s", fresh.Path, want)
		}
	})
}

// TestImportArchives: entries of an archive that would escape it or
// expand beyond the limits are refused one by one; the rest is imported.
func TestImportArchives(t *testing.T) {
	entries, err := json.Marshal(oldSite()[:2])
	if err != nil {
		t.Fatal(err)
	}
	huge := bytes.Repeat([]byte{' '}, 2<<20) // beyond the 1 MiB limit
	files := []struct {
		name string
		data []byte
	}{
		{"../escape.json", entries},
		{"/etc/absolute.json", entries},
		{"site/bomb.json", huge},
		{"site/eng/zgyw/202207/pages.json", entries},
		{"site/eng/zgyw/202207/W0101.png", pngBytes},
	}
	dir := t.TempDir()
	zipPath := filepath.Join(dir, "site.zip")
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for _, f := range files {
		w, err := zw.Create(f.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(f.data)
	}
	zw.Close()
	os.WriteFile(zipPath, zb.Bytes(), 0o644)

	tgzPath := filepath.Join(dir, "site.tar.gz")
	var tb bytes.Buffer
	gz := gzip.NewWriter(&tb)
	tw := tar.NewWriter(gz)
	for _, f := range files {
		tw.WriteHeader(&tar.Header{Name: f.name, Mode: 0o644, Size: int64(len(f.data)), Typeflag: tar.TypeReg})
		tw.Write(f.data)
	}
	tw.WriteHeader(&tar.Header{Name: "site/link.json", Linkname: "/etc/passwd", Typeflag: tar.TypeSymlink})
	tw.Close()
	gz.Close()
	os.WriteFile(tgzPath, tb.Bytes(), 0o644)
	// A copy cut short: the entries before the cut are read.
	cut := filepath.Join(dir, "cut.tar.gz")
	os.WriteFile(cut, tb.Bytes()[:tb.Len()*2/3], 0o644)

	for _, src := range []string{zipPath, tgzPath, cut} {
		t.Run(filepath.Base(src), func(t *testing.T) {
			testdb.Each(t, func(t *testing.T, st store.Store) {
				site := newSite(t, st, "")
				rep := run(t, st, site, src)
				reasons := map[string]string{}
				for _, l := range rep.Lines {
					if l.Outcome == Failed {
						reasons[l.File] = l.Reason
					}
				}
				if src == cut {
					if rep.Counts[Imported] == 0 && len(reasons) == 0 {
						t.Fatalf("a cut archive gave nothing and no reason: %+v", rep.Lines)
					}
					return
				}
				if rep.Counts[Imported] != 2 {
					t.Errorf("imported %d; want the 2 articles of the good entry (%+v)", rep.Counts[Imported], rep.Lines)
				}
				for name, want := range map[string]string{"../escape.json": "climbs out", "/etc/absolute.json": "absolute path", "site/bomb.json": "limit"} {
					if !strings.Contains(reasons[name], want) {
						t.Errorf("%s: reason %q; want one saying %q", name, reasons[name], want)
					}
				}
				if strings.HasSuffix(src, ".tar.gz") && !strings.Contains(reasons["site/link.json"], "not a regular file") {
					t.Errorf("symbolic link entry: %q", reasons["site/link.json"])
				}
			})
		})
	}
}

func TestRedirectKeyAndSlugs(t *testing.T) {
	for in, want := range map[string]string{
		"China News": "china-news", "": "s-e3b0c4", "zxxx_662805": "zxxx_662805", "Page": "s-page", "2024": "s-2024", "ZGYW": "zgyw",
	} {
		if got := sectionSlug(SectionRef{Slug: in, Name: in}); got != want {
			t.Errorf("sectionSlug(%q) = %q; want %q", in, got, want)
		}
	}
	if got := sectionSlug(SectionRef{Name: "中国要闻"}); !strings.HasPrefix(got, "s-") || len(got) != 8 {
		t.Errorf("Chinese section name gives %q", got)
	}
}

// TestImportMarkdownFiles: the Markdown an editor will edit links the
// stored files as the served HTML does, however it wrote the link.
func TestImportMarkdownFiles(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		site := newSite(t, st, "")
		dir := t.TempDir()
		body := "Text.\n\n![Photo](./W0101.png)\n\n<img src=\"./W0101.png\" alt=\"again\">\n\n[The programme][p]\n\n[p]: ./P0101.pdf\n"
		writeSource(t, dir, []any{map[string]any{"Item": Item{Key: "md:a.md", Language: "en", Title: "Markdown Links",
			Published: at("2024-05-01 10:00"), Body: body}}})
		rep := run(t, st, site, dir)
		l := lineOf(t, rep, "md:a.md")
		a, err := st.Article(context.Background(), l.ArticleID)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(a.Body, "./W0101.png") || strings.Contains(a.Body, "./P0101.pdf") || strings.Count(a.Body, "/media/") != 3 {
			t.Errorf("Markdown source still links the old files:\n%s", a.Body)
		}
	})
}

// TestImportKeepsEscapedAddresses: an old address the source gives
// escaped is kept as the server compares addresses, decoded.
func TestImportKeepsEscapedAddresses(t *testing.T) {
	testdb.Each(t, func(t *testing.T, st store.Store) {
		site := newSite(t, st, "/{channel}/{section}/{number}.htm")
		dir := t.TempDir()
		writeSource(t, dir, []any{map[string]any{"Item": Item{Key: "md:b.md", Language: "zh", Title: "国庆招待会",
			OldPaths: []string{"/2023/10/09/%E5%9B%BD%E5%BA%86.html"}, Published: at("2023-10-09 18:00"), Body: "正文。"}}})
		rep := run(t, st, site, dir)
		if l := lineOf(t, rep, "md:b.md"); l.Address != "/2023/10/09/国庆.html" {
			t.Errorf("kept address %q; want it decoded", l.Address)
		}
	})
}

// TestReaderPanic: a reader that panics fails its file, not the import.
func TestReaderPanic(t *testing.T) {
	st := testdb.Engines()[0].Open(t)
	site := newSite(t, st, "")
	dir := t.TempDir()
	writeSource(t, dir, oldSite()[:1])
	os.WriteFile(filepath.Join(dir, "boom.json"), []byte("[]"), 0o644)
	panicky := jsonFormat
	panicky.Parse = func(f File) []Entry {
		if strings.HasSuffix(f.Name, "boom.json") {
			panic("reader bug")
		}
		return jsonFormat.Parse(f)
	}
	rep, err := Run(context.Background(), st, []string{dir}, Options{Site: site, Formats: []Format{panicky}})
	if err != nil {
		t.Fatal(err)
	}
	if l := lineOf(t, rep, ""); l.File != "boom.json" || !strings.Contains(l.Reason, "reader bug") || rep.Counts[Imported] != 1 {
		t.Errorf("panicking reader: %+v, counts %v", l, rep.Counts)
	}
}

// TestImportFutureDated: an item dated in the future is scheduled, for
// the server to publish when its time comes.
func TestImportFutureDated(t *testing.T) {
	st := testdb.Engines()[0].Open(t)
	site := newSite(t, st, "")
	dir := t.TempDir()
	writeSource(t, dir, []any{map[string]any{"Item": Item{Key: "later", Language: "en", Title: "Next Year's Statement",
		Published: time.Now().AddDate(1, 0, 0), Body: "Later."}}})
	l := lineOf(t, run(t, st, site, dir), "later")
	a, err := st.Article(context.Background(), l.ArticleID)
	if err != nil || a.Status != content.StatusScheduled || a.Path != "" {
		t.Errorf("future-dated item: %s at %q (%v); want scheduled, no address yet", a.Status, a.Path, err)
	}
}

// TestImportUndatedPage: a standing page without a date is published as
// of the import, with a note; an undated article is still skipped.
func TestImportUndatedPage(t *testing.T) {
	st := testdb.Engines()[0].Open(t)
	site := newSite(t, st, "")
	dir := t.TempDir()
	writeSource(t, dir, []any{map[string]any{"Item": Item{Key: "/eng/gywm/", OldPaths: []string{"/eng/gywm/", "/eng/gywm/index.htm"},
		Language: "en", Kind: content.KindPage, Title: "About the Embassy", Body: "<p>Opened in 1975.</p>", HTML: true,
		Sections: []SectionRef{{Slug: "gywm", Name: "About the Embassy"}}}}})
	rep := run(t, st, site, dir)
	l := lineOf(t, rep, "/eng/gywm/")
	if l.Outcome != Imported || len(l.Notes) != 1 || !strings.Contains(l.Notes[0], "no date") {
		t.Fatalf("undated standing page: %+v", l)
	}
	a, err := st.Article(context.Background(), l.ArticleID)
	if err != nil || a.Kind != content.KindPage || a.Status != content.StatusPublished || time.Since(a.PublishedAt) > time.Minute {
		t.Errorf("page %+v, %v", a, err)
	}
	if again := run(t, st, site, dir); again.Counts[Unchanged] != 1 {
		t.Errorf("second run: %v", again.Counts)
	}
}
