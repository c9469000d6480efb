package export

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/brotli"
	"golang.org/x/net/html"

	"chancery/internal/content"
	"chancery/internal/demo"
	"chancery/internal/htmltest"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
	"chancery/internal/theme"
	"chancery/internal/web"
)

// demoNow is after the last demo article.
var demoNow = time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)

// demoStore is the demo network in a fresh SQLite database.
func demoStore(tb testing.TB) (store.Store, *theme.Theme) {
	tb.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tb.TempDir(), "chancery.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if err := demo.Load(ctx, st, demo.Build()); err != nil {
		tb.Fatal(err)
	}
	addNotes(tb, st, "un.localhost", 27)
	th, err := theme.Load("", nil)
	if err != nil {
		tb.Fatal(err)
	}
	return st, th
}

// addNotes adds n short articles in English and Chinese to the site's
// first section, over two years, so that its listings have later pages
// (the demo's sections hold fewer than site.PageSize articles).
func addNotes(tb testing.TB, st store.Store, host string, n int) {
	tb.Helper()
	ctx := context.Background()
	s, err := st.SiteByHost(ctx, host)
	if err != nil {
		tb.Fatal(err)
	}
	sections, err := st.Sections(ctx, s.ID)
	if err != nil || len(sections) == 0 {
		tb.Fatal(sections, err)
	}
	sec := content.NewTree(sections).Nav()[0]
	for i := range n {
		at := time.Date(2024, time.Month(1+i%12), 1+i, 9, 0, 0, 0, time.UTC)
		var group int64
		for _, lang := range []string{"en", "zh"} {
			title := fmt.Sprintf("Press note %d on cooperation", i+1)
			if lang == "zh" {
				title = fmt.Sprintf("新闻稿第%d号", i+1)
			}
			a, err := st.CreateArticle(ctx, content.Article{SiteID: s.ID, SectionID: sec.ID, Language: lang, Kind: content.KindNews,
				Status: content.StatusPublished, Title: title, Body: title, BodyHTML: "<p>" + title + "</p>",
				PublishedAt: at, CreatedAt: at, UpdatedAt: at, TranslationGroup: group})
			if err != nil {
				tb.Fatal(err)
			}
			group = a.TranslationGroup
		}
	}
}

func demoOptions(tb testing.TB, st store.Store, th *theme.Theme, host, out string) Options {
	tb.Helper()
	s, err := st.SiteByHost(context.Background(), host)
	if err != nil {
		tb.Fatal(err)
	}
	// Quality 4 keeps the tests quick; TestNginxServesExport and
	// TestPageStore use the default, the page store's.
	return Options{Store: st, Theme: th, Site: s, Out: out, Now: func() time.Time { return demoNow }, BrotliQuality: 4}
}

// current reads the manifest of the export out points to.
func current(t *testing.T, out string) (dir string, m manifest) {
	t.Helper()
	p := previous(out)
	if p.dir == "" {
		t.Fatalf("%s is not an export", out)
	}
	m, err := readManifest(filepath.Join(filepath.Dir(p.dir), "manifest.json"))
	if err != nil {
		t.Fatal(err)
	}
	return p.dir, m
}

// TestDemoExport exports both demo sites and checks the tree against its
// manifest: every file listed is there with its bytes and variants,
// nothing else is, and every link of every page leads to a file of the
// export (search and share excepted).
func TestDemoExport(t *testing.T) {
	st, th := demoStore(t)
	for _, host := range []string{"un.localhost", "embassy.localhost"} {
		t.Run(host, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "site")
			res, err := Run(context.Background(), demoOptions(t, st, th, host, out))
			if err != nil {
				t.Fatal(err)
			}
			dir, m := current(t, out)
			if res.Pages != len(m.Files) || res.Written != res.Pages || res.Reused != 0 {
				t.Errorf("result %+v for a manifest of %d files", res, len(m.Files))
			}
			listed := map[string]bool{}
			byAddress := map[string]manifestEntry{}
			kinds := map[string]int{}
			for _, e := range m.Files {
				byAddress[e.Address] = e
				checkFile(t, dir, e, listed)
				switch {
				case strings.HasPrefix(e.Address, "/static/"):
					kinds["asset"]++
				case strings.HasSuffix(e.Address, "/404.html"):
					kinds["404"]++
				case strings.Contains(e.Address, "/page/"):
					kinds["later page"]++
				case strings.HasSuffix(e.Address, ".xml") || strings.HasSuffix(e.Address, ".json"):
					kinds["feed or sitemap"]++
				case !strings.HasSuffix(e.Address, "/"):
					kinds["article"]++
				}
			}
			for _, k := range []string{"asset", "404", "later page", "feed or sitemap", "article"} {
				if kinds[k] == 0 && (k != "later page" || host == "un.localhost") {
					t.Errorf("the export has no %s", k)
				}
			}
			for _, a := range []string{"/robots.txt", "/sitemap.xml", "/404.html", "/en/", "/zh/", "/en/feed.xml", "/zh/atom.xml", "/en/feed.json", "/en/sitemap.xml", "/zh/opensearch.xml", "/en/404.html"} {
				if _, ok := byAddress[a]; !ok {
					t.Errorf("%s is not exported", a)
				}
			}
			filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				if !listed[filepath.ToSlash(rel)] {
					t.Errorf("%s is in the export but not in the manifest", rel)
				}
				return nil
			})
			checkLinks(t, dir, host, m, byAddress)
			sameAsHandler(t, st, th, dir, host, m)
		})
	}
}

// sameAsHandler checks that every exported page holds the bytes the
// public handler answers on its own, reading the store directly: what the
// export keeps in memory (a listing read once for all its pages, the
// feeds' shared read) changes no page.
func sameAsHandler(t *testing.T, st store.Store, th *theme.Theme, dir, host string, m manifest) {
	t.Helper()
	h := site.New(site.Options{Store: st, Theme: th, NetworkHost: "localhost", Now: func() time.Time { return demoNow }, Public: PublicOrigin("https")})
	later := 0
	for _, e := range m.Files {
		if e.Status != http.StatusOK || strings.HasPrefix(e.Address, "/static/") {
			continue
		}
		if strings.Contains(e.Address, "/page/") {
			later++
		}
		want := web.NewRecorder()
		h.ServeHTTP(want, Request(context.Background(), "https", host, e.Address))
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.File)))
		if err != nil || !bytes.Equal(got, want.Body.Bytes()) {
			t.Errorf("%s: the exported file differs from the handler's answer (%v)", e.Address, err)
		}
	}
	if host == "un.localhost" && later == 0 {
		t.Error("no later listing page was compared")
	}
}

// checkFile checks one manifest entry against the tree and records the
// files it accounts for.
func checkFile(t *testing.T, dir string, e manifestEntry, listed map[string]bool) {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.File)))
	if err != nil {
		t.Errorf("%s: %v", e.Address, err)
		return
	}
	sum := sha256.Sum256(body)
	if hex.EncodeToString(sum[:]) != e.SHA256 || int64(len(body)) != e.Size {
		t.Errorf("%s: the file's bytes differ from the manifest", e.Address)
	}
	listed[e.File] = true
	if e.Gzip {
		listed[e.File+".gz"] = true
		z, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.File)+".gz"))
		if err != nil {
			t.Errorf("%s: %v", e.Address, err)
		} else if r, err := gzip.NewReader(bytes.NewReader(z)); err != nil {
			t.Errorf("%s.gz: %v", e.Address, err)
		} else if plain, err := io.ReadAll(r); err != nil || !bytes.Equal(plain, body) {
			t.Errorf("%s.gz does not hold the page (%v)", e.Address, err)
		} else if len(z) >= len(body) {
			t.Errorf("%s.gz is not smaller than the page", e.Address)
		}
	}
	if e.Brotli {
		listed[e.File+".br"] = true
		z, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.File)+".br"))
		if err != nil {
			t.Errorf("%s: %v", e.Address, err)
		} else if plain, err := io.ReadAll(brotli.NewReader(bytes.NewReader(z))); err != nil || !bytes.Equal(plain, body) {
			t.Errorf("%s.br does not hold the page (%v)", e.Address, err)
		}
	}
	if publish.Compressible(e.Type) && len(body) > 1024 && (!e.Gzip || !e.Brotli) {
		t.Errorf("%s (%d bytes of %s) has no .gz or .br", e.Address, len(body), e.Type)
	}
}

// checkLinks follows every link of every exported page.
func checkLinks(t *testing.T, dir, host string, m manifest, byAddress map[string]manifestEntry) {
	t.Helper()
	own := []string{"https://" + host, "http://" + host}
	links := 0
	for _, e := range m.Files {
		if !strings.HasPrefix(e.Type, "text/html") {
			continue
		}
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(e.File)))
		if err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Address, err)
		}
		for _, n := range htmltest.Find(doc, func(*html.Node) bool { return true }) {
			for _, attr := range []string{"href", "src", "action"} {
				ref := htmltest.Attr(n, attr)
				if ref == "" || strings.HasPrefix(ref, "mailto:") || strings.HasPrefix(ref, "#") {
					continue
				}
				for _, o := range own {
					if rest, ok := strings.CutPrefix(ref, o+"/"); ok {
						ref = "/" + rest
					}
				}
				if !strings.HasPrefix(ref, "/") || strings.HasPrefix(ref, "//") {
					continue // another site or the outside world
				}
				u, err := url.Parse(ref)
				if err != nil {
					t.Errorf("%s links to %q: %v", e.Address, ref, err)
					continue
				}
				p := u.Path
				if dynamic(p) {
					continue
				}
				links++
				if p == "/" {
					continue // the language redirect, nginx's job
				}
				if _, ok := byAddress[p]; !ok {
					t.Errorf("%s links to %s, which is not in the export", e.Address, p)
				}
			}
		}
	}
	if links < 1000 {
		t.Errorf("only %d links followed", links)
	}
}

// dynamic reports whether a path is one of the addresses an export leaves
// to a running server: search and the share form.
func dynamic(p string) bool {
	segs := strings.Split(strings.TrimPrefix(p, "/"), "/")
	return len(segs) >= 2 && (segs[1] == "search" || segs[1] == "search.json" || segs[1] == "share")
}

// TestIncremental changes one article's title and exports again: only the
// pages whose bytes changed are written, every other file is the previous
// export's file (same inode), and the counts say so.
func TestIncremental(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	out := filepath.Join(t.TempDir(), "un")
	o := demoOptions(t, st, th, "un.localhost", out)
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	oldDir, oldM := current(t, out)

	// The same data: everything is reused.
	o.Incremental = true
	o.Now = func() time.Time { return demoNow.Add(time.Minute) }
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if res.Written != 0 || res.Reused != len(oldM.Files) || !res.Previous {
		t.Fatalf("unchanged network: %+v, want every one of %d pages reused", res, len(oldM.Files))
	}

	list, err := st.Articles(ctx, store.Published(o.Site.ID, "en", demoNow))
	if err != nil || len(list) < 10 {
		t.Fatal(list, err)
	}
	a, err := st.Article(ctx, list[len(list)-1].ID) // the oldest: on few listing pages
	if err != nil {
		t.Fatal(err)
	}
	a.Title += " (corrected)"
	if err := st.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	midDir, _ := current(t, out)
	o.Now = func() time.Time { return demoNow.Add(2 * time.Minute) }
	res, err = Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	newDir, newM := current(t, out)
	if newDir == midDir || newDir == oldDir {
		t.Fatal("the export was not replaced")
	}
	old := map[string]manifestEntry{}
	for _, e := range oldM.Files {
		old[e.Address] = e
	}
	changed := map[string]bool{}
	for _, e := range newM.Files {
		oe, ok := old[e.Address]
		if !ok || oe.SHA256 != e.SHA256 {
			changed[e.Address] = true
		}
		for _, ext := range []string{"", ".gz", ".br"} {
			if (ext == ".gz" && !e.Gzip) || (ext == ".br" && !e.Brotli) {
				continue
			}
			fNew, err1 := os.Stat(filepath.Join(newDir, filepath.FromSlash(e.File)+ext))
			fMid, err2 := os.Stat(filepath.Join(midDir, filepath.FromSlash(e.File)+ext))
			if err1 != nil {
				t.Fatal(err1)
			}
			same := err2 == nil && os.SameFile(fNew, fMid)
			if same == changed[e.Address] {
				t.Errorf("%s%s: changed %v but reused %v", e.Address, ext, changed[e.Address], same)
			}
			if changed[e.Address] && !fNew.ModTime().Equal(demoNow.Add(2*time.Minute)) {
				t.Errorf("%s%s: written file dated %v", e.Address, ext, fNew.ModTime())
			}
			if !changed[e.Address] && !fNew.ModTime().Equal(demoNow) {
				t.Errorf("%s%s: reused file dated %v, want the first export's time", e.Address, ext, fNew.ModTime())
			}
		}
	}
	if !changed[a.Path] || !changed["/en/"] && !changed["/en/feed.xml"] {
		t.Errorf("the edited article or the pages listing it did not change: %v", sortedKeys(changed))
	}
	if len(changed) > len(newM.Files)/4 {
		t.Errorf("%d of %d pages changed for one title", len(changed), len(newM.Files))
	}
	if res.Written != len(changed) || res.Reused != len(newM.Files)-len(changed) {
		t.Errorf("result %+v, want %d written and %d reused", res, len(changed), len(newM.Files)-len(changed))
	}
	t.Logf("one title changed: %d pages written, %d reused: %v", res.Written, res.Reused, sortedKeys(changed))
}

// snapshotTree maps every file under dir (links followed at the top) to
// its bytes.
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir+"/", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		files[strings.TrimPrefix(p, dir)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestCrashKeepsPreviousExport fails exports at several points: the
// previous export stays in place, whole, and nothing of the failed run is
// left; a run killed outright leaves a temporary tree that the next run
// removes.
func TestCrashKeepsPreviousExport(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	parent := t.TempDir()
	out := filepath.Join(parent, "un")
	o := demoOptions(t, st, th, "un.localhost", out)
	o.BrotliQuality = -1
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	before := snapshotTree(t, out)
	link, _ := os.Readlink(out)
	crash := errors.New("simulated crash")
	n := 0
	cases := map[string]func(*Options){
		"after 40 pages": func(o *Options) {
			o.afterPage = func(string) error {
				if n++; n == 40 {
					return crash
				}
				return nil
			}
		},
		"before the swap": func(o *Options) { o.beforeSwap = func() error { return crash } },
		"incremental, after 100 pages": func(o *Options) {
			o.Incremental = true
			o.afterPage = func(string) error {
				if n++; n == 100 {
					return crash
				}
				return nil
			}
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			n = 0
			o := o
			o.Now = func() time.Time { return demoNow.Add(time.Hour) }
			mutate(&o)
			if _, err := Run(ctx, o); !errors.Is(err, crash) {
				t.Fatalf("err = %v, want the crash", err)
			}
			if got, _ := os.Readlink(out); got != link {
				t.Errorf("%s points to %s, was %s", out, got, link)
			}
			after := snapshotTree(t, out)
			if len(after) != len(before) {
				t.Errorf("%d files after the crash, %d before", len(after), len(before))
			}
			for k, v := range before {
				if after[k] != v {
					t.Errorf("%s changed", k)
				}
			}
			entries, _ := os.ReadDir(versionsDir(out))
			for _, e := range entries {
				if strings.HasPrefix(e.Name(), ".tmp-") || (e.IsDir() && e.Name() != filepath.Base(filepath.Dir(link))) {
					t.Errorf("the failed run left %s", e.Name())
				}
			}
		})
	}

	// A run killed with SIGKILL leaves its temporary tree; the next one
	// cleans it up.
	stale := filepath.Join(versionsDir(out), ".tmp-20200101T000000Z", "site", "en")
	if err := os.MkdirAll(stale, 0o755); err != nil {
		t.Fatal(err)
	}
	o.Now = func() time.Time { return demoNow.Add(2 * time.Hour) }
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Dir(filepath.Dir(stale))); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the crashed run's tree is still there: %v", err)
	}
}

// TestVersionsKept keeps the current and the previous export only, and
// rolls back by pointing the link at the previous one.
func TestVersionsKept(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	out := filepath.Join(t.TempDir(), "un")
	o := demoOptions(t, st, th, "un.localhost", out)
	o.BrotliQuality = -1
	var links []string
	for i := range 3 {
		o.Now = func() time.Time { return demoNow.Add(time.Duration(i) * time.Minute) }
		o.Incremental = i%2 == 1
		if _, err := Run(ctx, o); err != nil {
			t.Fatal(err)
		}
		l, _ := os.Readlink(out)
		links = append(links, l)
	}
	entries, _ := os.ReadDir(versionsDir(out))
	var dirs []string
	for _, e := range entries {
		if e.IsDir() {
			dirs = append(dirs, e.Name())
		}
	}
	want := []string{filepath.Base(filepath.Dir(links[1])), filepath.Base(filepath.Dir(links[2]))}
	if strings.Join(dirs, " ") != strings.Join(want, " ") {
		t.Errorf("versions kept: %v, want %v", dirs, want)
	}
	// Two exports in the same second get distinct versions.
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	if l, _ := os.Readlink(out); l == links[2] {
		t.Error("a second export in the same second reused the version's name")
	}
}

// TestCheckTarget refuses, writing nothing, every output path that cannot
// or must not be replaced.
func TestCheckTarget(t *testing.T) {
	root := t.TempDir()
	data := filepath.Join(root, "data")
	os.MkdirAll(data, 0o755)
	file := filepath.Join(root, "file.html")
	os.WriteFile(file, []byte("x"), 0o644)
	full := filepath.Join(root, "full")
	os.MkdirAll(full, 0o755)
	os.WriteFile(filepath.Join(full, "index.html"), []byte("x"), 0o644)
	empty := filepath.Join(root, "empty")
	os.MkdirAll(empty, 0o755)
	linkToData := filepath.Join(root, "data-link")
	os.Symlink(data, linkToData)
	// Where an export keeps its versions: a link, a directory with a file
	// no export made, a file.
	os.Symlink(data, filepath.Join(root, "linked.versions"))
	os.MkdirAll(filepath.Join(root, "foreign.versions", "photos"), 0o755)
	os.WriteFile(filepath.Join(root, "plain.versions"), []byte("x"), 0o644)

	for _, c := range []struct {
		name, out, want string
	}{
		{"a regular file", file, "is a file, not a directory"},
		{"a directory with files", full, "already holds files"},
		{"the data directory", data, "inside the data directory"},
		{"inside the data directory", filepath.Join(data, "export"), "inside the data directory"},
		{"inside it through a link", filepath.Join(linkToData, "export"), "inside the data directory"},
		{"a parent of the data directory", root + "/", "contains the data directory"},
		{"empty", "", "--out"},
		{"the current directory", ".", "names a directory that exists"},
		{"its parent", "..", "names a directory that exists"},
		{"versions kept through a link", filepath.Join(root, "linked"), "is a symbolic link"},
		{"versions among other files", filepath.Join(root, "foreign"), "holds photos, which no export made"},
		{"versions where a file is", filepath.Join(root, "plain"), "is a file"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := CheckTarget(c.out, data)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
	if err := CheckTarget(filepath.Join(root, "new", "site"), data); err != nil {
		t.Errorf("a new path: %v", err)
	}
	if err := CheckTarget(empty, data); err != nil {
		t.Errorf("an empty directory: %v", err)
	}
	// What an export leaves in its versions directory is no obstacle, and
	// an earlier export named with a trailing slash is the link.
	os.MkdirAll(filepath.Join(root, "earlier.versions", "20261130T000000Z", "site"), 0o755)
	os.MkdirAll(filepath.Join(root, "earlier.versions", ".tmp-20261130T000001Z-2"), 0o755)
	os.WriteFile(filepath.Join(root, "earlier.versions", ".lock"), nil, 0o644)
	os.WriteFile(filepath.Join(root, "earlier.versions", "20261130T000000Z", "site", "index.html"), []byte("x"), 0o644)
	os.Symlink(filepath.Join("earlier.versions", "20261130T000000Z", "site"), filepath.Join(root, "earlier"))
	for _, out := range []string{"earlier", "earlier/", "earlier/."} {
		if err := CheckTarget(root+"/"+out, data); err != nil {
			t.Errorf("an earlier export as %s: %v", out, err)
		}
	}
	// A data directory inside --out's versions is refused as well.
	if err := CheckTarget(filepath.Join(root, "x"), filepath.Join(root, "x.versions", "data")); err == nil {
		t.Error("a data directory inside the export's versions was accepted")
	}
}

// TestPruneKeepsWhatIsNotAVersion: deleting old versions touches only
// directories named as versions are.
func TestPruneKeepsWhatIsNotAVersion(t *testing.T) {
	versions := t.TempDir()
	for _, d := range []string{"20261128T100000Z", "20261129T100000Z", "20261130T100000Z-2", "photos", ".tmp-notes"} {
		os.MkdirAll(filepath.Join(versions, d, "site"), 0o755)
	}
	os.WriteFile(filepath.Join(versions, "20261127T100000Z"), []byte("a file, not a version"), 0o644)
	prune(versions, "20261130T100000Z-2", "20261129T100000Z")
	cleanStale(versions)
	var left []string
	entries, _ := os.ReadDir(versions)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if want := []string{".tmp-notes", "20261127T100000Z", "20261129T100000Z", "20261130T100000Z-2", "photos"}; !slices.Equal(left, want) {
		t.Errorf("after prune: %v; want %v", left, want)
	}
}

// TestIncrementalFollowsBrotliQuality: files are reused only when the
// previous export's .br files are of the quality asked for now, so that
// turning .br files on (or off) writes them (or leaves them out) for
// every page, not only for pages that changed.
func TestIncrementalFollowsBrotliQuality(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	out := filepath.Join(t.TempDir(), "un")
	o := demoOptions(t, st, th, "un.localhost", out)
	o.BrotliQuality = -1 // no .br files
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	count := func() (br int) {
		filepath.WalkDir(out+"/", func(p string, d fs.DirEntry, err error) error {
			if strings.HasSuffix(p, ".br") {
				br++
			}
			return nil
		})
		return br
	}
	if n := count(); n != 0 {
		t.Fatalf("%d .br files with quality 0", n)
	}
	o.BrotliQuality, o.Incremental, o.Out = 4, true, out+"/"
	o.Now = func() time.Time { return demoNow.Add(time.Minute) }
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if _, m := current(t, out); res.Reused != 0 || !res.Previous || !res.OtherVariants || count() == 0 || *m.BrotliQuality != 4 {
		t.Errorf("incremental export asking for .br files: %d reused, previous %t, %d .br files; want none reused, the previous found, .br files", res.Reused, res.Previous, count())
	}
	o.Now = func() time.Time { return demoNow.Add(2 * time.Minute) }
	if res, err := Run(ctx, o); err != nil || res.Written != 0 {
		t.Errorf("the same again: %d written, %v; want everything reused", res.Written, err)
	}
}

// TestRunChecksTheLinkFirst: when the link that puts the export in place
// cannot be made beside --out, the export says so before it renders or
// writes anything.
func TestRunChecksTheLinkFirst(t *testing.T) {
	st, th := demoStore(t)
	root := t.TempDir()
	out := filepath.Join(root, "un")
	// Something that is not ours already holds the link's name.
	os.MkdirAll(filepath.Join(linkName(out), "kept"), 0o755)
	_, err := Run(context.Background(), demoOptions(t, st, th, "un.localhost", out))
	if err == nil || !strings.Contains(err.Error(), "cannot write in "+root) {
		t.Fatalf("err = %v; want the directory named", err)
	}
	if exists(versionsDir(out)) || exists(out) || !exists(filepath.Join(linkName(out), "kept")) {
		t.Error("the export wrote something, or removed what held the link's name")
	}
}

// TestRunRefusesUnwritable runs an export into a read-only directory:
// a clear error and nothing written.
func TestRunRefusesUnwritable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root, which may write in a read-only directory; run the tests as another user to check this case")
	}
	st, th := demoStore(t)
	ro := filepath.Join(t.TempDir(), "ro")
	os.MkdirAll(ro, 0o555)
	t.Cleanup(func() { os.Chmod(ro, 0o755) })
	_, err := Run(context.Background(), demoOptions(t, st, th, "un.localhost", filepath.Join(ro, "un")))
	if err == nil || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v, want permission denied", err)
	}
	if entries, _ := os.ReadDir(ro); len(entries) != 0 {
		t.Errorf("wrote %v", entries)
	}
}

// TestEmptyDirectoryReplaced exports into an empty directory an operator
// made beforehand: it becomes the link.
func TestEmptyDirectoryReplaced(t *testing.T) {
	st, th := demoStore(t)
	out := filepath.Join(t.TempDir(), "un")
	os.Mkdir(out, 0o755)
	if _, err := Run(context.Background(), demoOptions(t, st, th, "un.localhost", out)); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Lstat(out); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Fatalf("%s is not a link: %v", out, err)
	}
	if _, err := os.Stat(filepath.Join(out, "en", "index.html")); err != nil {
		t.Fatal(err)
	}
}

// TestWithdrawnArticleExported keeps a withdrawn article's page, as serve
// keeps answering at its address.
func TestWithdrawnArticleExported(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	o := demoOptions(t, st, th, "un.localhost", filepath.Join(t.TempDir(), "un"))
	list, err := st.Articles(ctx, store.Published(o.Site.ID, "zh", demoNow))
	if err != nil || len(list) == 0 {
		t.Fatal(list, err)
	}
	a, err := st.Article(ctx, list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	a.Status = content.StatusWithdrawn
	if err := st.UpdateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(o.Out, filepath.FromSlash(strings.TrimPrefix(a.Path, "/")))); err != nil {
		t.Errorf("the withdrawn article %s is not exported: %v", a.Path, err)
	}
}

// brokenStore fails to read an article's translations, so its page fails
// to render.
type brokenStore struct {
	store.Store
	group int64
}

func (b brokenStore) Translations(ctx context.Context, group int64) ([]content.Article, error) {
	if group == b.group {
		return nil, errors.New("disk on fire")
	}
	return b.Store.Translations(ctx, group)
}

// TestPageFailure makes one page fail to render: the export stops, names
// the page and the reason, and leaves the previous export in place.
func TestPageFailure(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	out := filepath.Join(t.TempDir(), "un")
	o := demoOptions(t, st, th, "un.localhost", out)
	o.BrotliQuality = -1
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	link, _ := os.Readlink(out)
	list, err := st.Articles(ctx, store.Published(o.Site.ID, "en", demoNow))
	if err != nil || len(list) == 0 {
		t.Fatal(list, err)
	}
	o.Store = brokenStore{Store: st, group: list[0].TranslationGroup}
	o.Now = func() time.Time { return demoNow.Add(time.Hour) }
	_, err = Run(ctx, o)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), "status 500") {
		t.Fatalf("err = %v, want the page and the reason", err)
	}
	if !strings.Contains(err.Error(), list[0].Path) && !strings.Contains(err.Error(), "/zh/") {
		t.Errorf("err = %v does not name the page", err)
	}
	if got, _ := os.Readlink(out); got != link {
		t.Errorf("%s points to %s, was %s", out, got, link)
	}
}

// TestPageStore exports with a fingerprint: a store no serve has marked is
// left alone; once marked, the first run renders every page and keeps it
// in the page store, the second writes the stored pages
// as they are (the same bytes, without rendering), a store marked for
// other settings is neither read nor changed, and a publish during an
// export keeps what was rendered before it out of the store.
func TestPageStore(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	dir := t.TempDir()
	o := demoOptions(t, st, th, "un.localhost", filepath.Join(dir, "unmarked"))
	o.BrotliQuality, o.Fingerprint = 0, "fingerprint-a"
	// No serve has marked the store: it is neither read nor written.
	unmarked, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if unmarked.Stored != 0 || unmarked.Kept != 0 {
		t.Fatalf("export of an unmarked page store: %+v; want it left alone", unmarked)
	}
	if _, err := publish.Prepare(ctx, st, "fingerprint-a", demoNow); err != nil {
		t.Fatal(err)
	}
	o.Out = filepath.Join(dir, "first")
	first, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	// Every page but the theme's files and the 404 pages is kept.
	if first.Stored != 0 || first.Kept == 0 || first.Kept > first.Pages-4 {
		t.Fatalf("first export: %+v; want every page rendered and most kept", first)
	}
	stored, err := st.Pages().PageCount(ctx, o.Site.ID)
	if err != nil || stored != first.Kept+1 { // + the marker
		t.Fatalf("the page store holds %d pages (%v); want the %d kept and the marker", stored, err, first.Kept)
	}
	_, firstM := current(t, o.Out)

	o.Out = filepath.Join(dir, "second")
	second, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if second.Stored != first.Kept || second.Kept != 0 {
		t.Fatalf("second export: %+v; want the %d kept pages taken from the store", second, first.Kept)
	}
	secondDir, secondM := current(t, o.Out)
	listed := map[string]bool{}
	for i, e := range secondM.Files {
		checkFile(t, secondDir, e, listed)
		if f := firstM.Files[i]; f.Address != e.Address || f.SHA256 != e.SHA256 || f.Gzip != e.Gzip || f.Brotli != e.Brotli {
			t.Errorf("%s differs between the rendered and the stored export: %+v, %+v", e.Address, f, e)
		}
	}

	// A store that fails while it is read: the pages it did not give are
	// rendered (the same bytes), and the failure is counted.
	o.Out, o.Store = filepath.Join(dir, "broken-read"), failingReads{st, 3}
	broken, err := Run(ctx, o)
	o.Store = st
	if err != nil {
		t.Fatal(err)
	}
	// (The three rows given may include the store's marker.)
	if broken.Stored == 0 || broken.Stored > 3 || broken.Stored+broken.StoreErrors != first.Kept || broken.Kept != broken.StoreErrors ||
		!strings.Contains(fmt.Sprint(broken.StoreError), "disk I/O error") {
		t.Fatalf("export with a store failing after 3 pages: %+v; want those stored and the other %d rendered and kept", broken, first.Kept)
	}
	brokenDir, brokenM := current(t, o.Out)
	for i, e := range brokenM.Files {
		checkFile(t, brokenDir, e, map[string]bool{})
		if f := firstM.Files[i]; f.Address != e.Address || f.SHA256 != e.SHA256 {
			t.Errorf("%s differs between the rendered export and the one whose store failed: %+v, %+v", e.Address, f, e)
		}
	}

	// What the store holds is what is written, even bytes no renderer
	// would make.
	p, err := st.Pages().Page(ctx, o.Site.ID, "/en/")
	if err != nil {
		t.Fatal(err)
	}
	p.Body, p.Gzip, p.Brotli = []byte("<!doctype html><title>stored</title>"), nil, nil
	if err := st.Pages().PutPage(ctx, p); err != nil {
		t.Fatal(err)
	}
	o.Out = filepath.Join(dir, "third")
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	thirdDir, _ := current(t, o.Out)
	if b, err := os.ReadFile(filepath.Join(thirdDir, "en", "index.html")); err != nil || string(b) != string(p.Body) {
		t.Fatalf("/en/ = %q, %v; want the stored page", b, err)
	}
	if _, err := os.Stat(filepath.Join(thirdDir, "en", "index.html.gz")); !os.IsNotExist(err) {
		t.Errorf("/en/ has a .gz though the stored page has none: %v", err)
	}

	// Another fingerprint: every page rendered, the store left as it is.
	o.Fingerprint, o.Out = "fingerprint-b", filepath.Join(dir, "other")
	other, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if other.Stored != 0 || other.Kept != 0 {
		t.Fatalf("export with another fingerprint: %+v; want the store neither read nor written", other)
	}
	otherDir, _ := current(t, o.Out)
	if b, _ := os.ReadFile(filepath.Join(otherDir, "en", "index.html")); string(b) == string(p.Body) {
		t.Error("an export with another fingerprint wrote the stored page")
	}
	if n, err := st.Pages().PageCount(ctx, o.Site.ID); err != nil || n != stored {
		t.Fatalf("after an export with another fingerprint, the store holds %d pages (%v); want %d", n, err, stored)
	}

	// A publish (here its epoch) while an export runs: what is rendered
	// after it is not kept, and the export is built again (see
	// TestPublishDuringExport), keeping the rest then.
	if err := st.Pages().DeletePagesUnder(ctx, o.Site.ID, "/zh/"); err != nil {
		t.Fatal(err)
	}
	base, _ := st.Pages().PageCount(ctx, o.Site.ID)
	o.Fingerprint, o.Out, o.Workers = "fingerprint-a", filepath.Join(dir, "during"), 1
	bumped := false
	o.afterPage = func(address string) error {
		if strings.HasPrefix(address, "/zh/") && !bumped {
			bumped = true
			_, err := st.Pages().BumpPageEpoch(ctx, o.Site.ID)
			return err
		}
		return nil
	}
	firstKept := -1
	o.beforeSwap = func() error {
		if firstKept < 0 {
			n, err := st.Pages().PageCount(ctx, o.Site.ID)
			firstKept = n - base
			return err
		}
		return nil
	}
	during, err := Run(ctx, o)
	if err != nil {
		t.Fatal(err)
	}
	if firstKept != 1 || during.Kept < 2 {
		t.Fatalf("export with a publish after its first Chinese page: %d kept by the first build (want that page only), then %+v", firstKept, during)
	}
}

// failingReads is a store whose page store fails after giving n pages of
// a site.
type failingReads struct {
	store.Store
	n int
}

func (s failingReads) Pages() store.PageQueries { return failingPageReads{s.Store.Pages(), s.n} }

type failingPageReads struct {
	store.PageQueries
	n int
}

func (p failingPageReads) EachPage(ctx context.Context, siteID int64, fn func(store.StoredPage) error) error {
	given := 0
	return p.PageQueries.EachPage(ctx, siteID, func(sp store.StoredPage) error {
		if given == p.n {
			return errors.New("disk I/O error")
		}
		given++
		return fn(sp)
	})
}

// fullPageStore is a page store that cannot keep anything.
type fullPageStore struct{ store.PageQueries }

func (fullPageStore) PutPageAt(context.Context, store.StoredPage, int64) (bool, error) {
	return false, errors.New("database or disk is full")
}

type fullStore struct{ store.Store }

func (s fullStore) Pages() store.PageQueries { return fullPageStore{s.Store.Pages()} }

// TestPageStoreFailure: a page store that fails to keep pages does not
// stop the export; the pages are written, and the failure is counted.
func TestPageStoreFailure(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	if _, err := publish.Prepare(ctx, st, "fingerprint-a", demoNow); err != nil {
		t.Fatal(err)
	}
	o := demoOptions(t, fullStore{st}, th, "embassy.localhost", filepath.Join(t.TempDir(), "embassy"))
	o.Fingerprint = "fingerprint-a"
	res, err := Run(ctx, o)
	if err != nil {
		t.Fatalf("export with a full page store: %v", err)
	}
	if res.Kept != 0 || res.StoreErrors == 0 || res.StoreErrors < res.Pages/2 || !strings.Contains(fmt.Sprint(res.StoreError), "disk is full") {
		t.Fatalf("export with a full page store: %+v", res)
	}
	dir, m := current(t, o.Out)
	listed := map[string]bool{}
	for _, e := range m.Files {
		checkFile(t, dir, e, listed)
	}
}

// TestPublishDuringExport: an article published while the export runs
// does not leave a tree whose pages link to a page it lacks: the tree is
// built again, and the export has the article.
func TestPublishDuringExport(t *testing.T) {
	ctx := context.Background()
	st, th := demoStore(t)
	o := demoOptions(t, st, th, "un.localhost", filepath.Join(t.TempDir(), "un"))
	secs, err := st.Sections(ctx, o.Site.ID)
	if err != nil {
		t.Fatal(err)
	}
	draft, err := st.CreateArticle(ctx, content.Article{SiteID: o.Site.ID, SectionID: secs[0].ID, Language: "en", Kind: content.KindNews,
		Status: content.StatusDraft, Title: "Published during the export", Body: "Text.", BodyHTML: "<p>Text.</p>", PublishedAt: demoNow.Add(-time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	builds := 0
	o.beforeSwap = func() error {
		if builds++; builds == 1 {
			_, _, err := (&publish.Publisher{Store: st, Lazy: true, Now: func() time.Time { return demoNow }}).Publish(ctx, draft.ID)
			return err
		}
		return nil
	}
	if _, err := Run(ctx, o); err != nil {
		t.Fatal(err)
	}
	a, err := st.Article(ctx, draft.ID)
	if err != nil || a.Path == "" {
		t.Fatalf("the article: %+v, %v", a, err)
	}
	_, m := current(t, o.Out)
	found := false
	for _, e := range m.Files {
		found = found || e.Address == a.Path
	}
	if builds != 2 || !found {
		t.Errorf("built %d times; the export has %s: %t; want it built again, with the article", builds, a.Path, found)
	}
}
