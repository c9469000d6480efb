package editorial_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"testing"
	"time"

	"chancery/internal/account"
	"chancery/internal/benchdata"
	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/store/dbcopy"
	"chancery/internal/store/postgres"
	"chancery/internal/store/sqlite"
	"chancery/internal/testdb"
	"chancery/internal/theme"
)

// The back office's benchmarks (issue #3): an editor saving a revision and
// publishing it, on the generated site of 10,000 pieces (18,559 English
// and Chinese versions; package benchdata), through editorial.Service as
// the back office calls it, with the Publisher serve gives it (pages
// rendered into the page store in the publish's transaction).
//
//	go test -run '^$' -bench SaveAndPublish -benchtime 200x ./internal/editorial
//
// The network is generated only when a benchmark runs, once: into
// .bench/backoffice-10000 at the repository's root (about 15 s, 210 MB),
// reused afterwards (made again when SQLite's migrations have changed
// since), or taken from CHANCERY_BENCH_DATA, a data directory made by
// chancery bench-data --articles 10000. The benchmark works on a copy,
// so the cached network never changes. With CHANCERY_TEST_POSTGRES set,
// the same runs on a fresh PostgreSQL database holding a copy of the
// network (store/dbcopy). bench/backoffice.sh runs it all.
//
// Each engine's copy is made once per go test: -count repeats the
// draft and edition benchmarks, not their parent, so the runs of a step
// share it. The rounds are numbered on across runs: each makes a new
// draft or edits another live article, and the drafts published stay
// (about a thousand more articles by the end of five runs of 200
// rounds).

// benchArticles is the size of the generated site the issue names.
const benchArticles = 10000

// benchDB returns the path of the cached generated network's database,
// generating it the first time.
func benchDB(b *testing.B) string {
	b.Helper()
	if dir := os.Getenv("CHANCERY_BENCH_DATA"); dir != "" {
		path := filepath.Join(dir, "chancery.db")
		if _, err := os.Stat(path); err != nil {
			b.Fatalf("CHANCERY_BENCH_DATA: %v (make it with chancery bench-data --articles %d --data DIR)", err, benchArticles)
		}
		return path
	}
	root, err := moduleRoot()
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Join(root, ".bench", fmt.Sprintf("backoffice-%d", benchArticles))
	path := filepath.Join(dir, "chancery.db")
	stamp, err := schemaStamp(root)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := os.Stat(path); err == nil {
		if had, _ := os.ReadFile(filepath.Join(dir, stampFile)); string(had) == stamp {
			return path
		}
		// Made under other migrations (one may have been edited in place
		// since): opening it would fail at the first missing column.
		b.Logf("%s was made under other migrations: making it again", dir)
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
	}
	// Generated aside and renamed into place, so that an interrupted run
	// leaves no partial network to be reused.
	b.Logf("generating %d articles into %s (once)", benchArticles, dir)
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		b.Fatal(err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".backoffice-*")
	if err != nil {
		b.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	if err := os.Chmod(tmp, 0o755); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(tmp, "chancery.db"))
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	err = benchdata.Generate(ctx, st, benchdata.Options{Articles: benchArticles}, nil)
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.WriteFile(filepath.Join(tmp, stampFile), []byte(stamp), 0o644)
	}
	if err != nil {
		b.Fatal(err)
	}
	if err := os.Rename(tmp, dir); err != nil {
		if _, serr := os.Stat(path); serr != nil { // not another run's, made meanwhile
			b.Fatal(err)
		}
	}
	b.Logf("generated in %s", time.Since(start).Round(100*time.Millisecond))
	return path
}

// stampFile, in a cached network's directory, holds the schemaStamp it
// was made under; bench/backoffice.sh writes and checks the same.
const stampFile = "schema.sha256"

// schemaStamp is the SHA-256, in hex, of SQLite's migrations one after
// the other in their names' order (as cat internal/store/sqlite/migrations/*.sql
// | sha256sum).
func schemaStamp(root string) (string, error) {
	files, err := filepath.Glob(filepath.Join(root, "internal", "store", "sqlite", "migrations", "*.sql"))
	if err != nil || len(files) == 0 {
		return "", fmt.Errorf("no SQLite migrations under %s (%v)", root, err)
	}
	h := sha256.New()
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			return "", err
		}
		h.Write(data)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// moduleRoot is the directory of go.mod above the working directory.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}

// sqliteCopy copies the cached network's database into the benchmark's
// temporary directory and opens it.
func sqliteCopy(b *testing.B) store.Store {
	b.Helper()
	src := benchDB(b)
	dst := filepath.Join(b.TempDir(), "chancery.db")
	for _, suffix := range []string{"", "-wal"} {
		if err := copyFile(src+suffix, dst+suffix); err != nil && (suffix == "" || !errors.Is(err, os.ErrNotExist)) {
			b.Fatal(err)
		}
	}
	st, err := sqlite.Open(context.Background(), dst)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// benchEngines are the stores the benchmark runs on: a copy of the
// network in SQLite, and in a fresh PostgreSQL database when
// CHANCERY_TEST_POSTGRES is set.
var benchEngines = []struct {
	name string
	open func(b *testing.B) store.Store
}{
	{"sqlite", sqliteCopy},
	{"postgres", func(b *testing.B) store.Store {
		url := testdb.PostgresURL(b) // skips without CHANCERY_TEST_POSTGRES
		ctx := context.Background()
		st, err := postgres.Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { st.Close() })
		start := time.Now()
		if _, err := dbcopy.Copy(ctx, sqliteCopy(b), st); err != nil {
			b.Fatal(err)
		}
		b.Logf("network copied into PostgreSQL in %s", time.Since(start).Round(100*time.Millisecond))
		return st
	}},
}

// backOffice is the service on one store, an editor of the generated
// site, and published articles to take drafts' shapes from and to edit.
type backOffice struct {
	svc    *editorial.Service
	editor editorial.Actor
	site   content.Site
	// live are published articles of the site, English and Chinese
	// alternately, drawn with a fixed seed over the whole archive:
	// enough for each edition round of five runs of 200 to take its own.
	live []content.Article
	// base is each article's latest revision, which the next save starts
	// from as the editing form would.
	base map[int64]int64
	// drafts and editions number the rounds of each step, across runs.
	drafts, editions int
}

func newBackOffice(b *testing.B, st store.Store) *backOffice {
	b.Helper()
	ctx := context.Background()
	s, err := st.SiteByKey(ctx, benchdata.SiteKey)
	if err != nil {
		b.Fatal(err)
	}
	if n, err := st.CountArticles(ctx, store.ArticleQuery{SiteID: s.ID}); err != nil || n < benchArticles {
		b.Fatalf("the bench site holds %d language versions (%v), fewer than %d", n, err, benchArticles)
	}
	th, err := theme.Load("", nil)
	if err != nil {
		b.Fatal(err)
	}
	// As serve makes them (internal/cli/serve.go), without a page server
	// in memory to tell: pages are rendered and stored, not dropped.
	pub := &publish.Publisher{Store: st, Theme: th, NetworkHost: "localhost", Public: site.PublicOrigin{Scheme: "https"}}
	u, err := st.Accounts().CreateUser(ctx, account.User{Email: "editor@bench.localhost", Name: "Bench Editor"})
	if err != nil {
		b.Fatal(err)
	}
	if err := st.Accounts().SetRole(ctx, u.ID, s.ID, account.RoleEditor); err != nil {
		b.Fatal(err)
	}
	roles, err := st.Accounts().Roles(ctx, u.ID) // as a request reads them
	if err != nil {
		b.Fatal(err)
	}
	bo := &backOffice{
		svc:    &editorial.Service{Store: st, Publisher: pub},
		editor: editorial.Actor{User: u, Roles: roles, Address: "192.0.2.1"},
		site:   s,
		base:   map[int64]int64{},
	}
	rng := rand.New(rand.NewPCG(3, 3))
	var byLang [][]content.Article
	for _, lang := range []string{"en", "zh"} {
		all, err := st.Articles(ctx, store.ArticleQuery{SiteID: s.ID, Language: lang, Status: content.StatusPublished, WithBody: true})
		if err != nil {
			b.Fatal(err)
		}
		if len(all) == 0 {
			b.Fatalf("no published %s article on the bench site", lang)
		}
		rng.Shuffle(len(all), func(i, j int) { all[i], all[j] = all[j], all[i] })
		byLang = append(byLang, all[:min(len(all), 600)])
	}
	for i := range min(len(byLang[0]), len(byLang[1])) {
		bo.live = append(bo.live, byLang[0][i], byLang[1][i])
	}
	return bo
}

// draft makes a new draft shaped like a live article (same language,
// section, kind and length), as an editor's first save; it returns its
// ID.
func (bo *backOffice) draft(b *testing.B, like content.Article, n int) int64 {
	a, rev, err := bo.svc.Save(context.Background(), bo.editor, editorial.Draft{SiteID: bo.site.ID, SectionID: like.SectionID,
		Language: like.Language, Kind: like.Kind, Title: fmt.Sprintf("Draft %d: %s", n, like.Title), Summary: like.Summary, Body: like.Body})
	if err != nil {
		b.Fatal(err)
	}
	bo.base[a.ID] = rev.ID
	return a.ID
}

// save saves a change to an article's body (and, for a draft, to its
// title): one revision.
func (bo *backOffice) save(b *testing.B, a content.Article, n int, note string) {
	d := editorial.Draft{ArticleID: a.ID, SiteID: a.SiteID, SectionID: a.SectionID, Language: a.Language, Kind: a.Kind,
		Title: a.Title, Summary: a.Summary, Body: a.Body + fmt.Sprintf("\n\nCorrected on review, change %d.\n", n),
		Base: bo.base[a.ID], Note: note}
	if note == "" {
		d.Title = fmt.Sprintf("%s (revised %d)", a.Title, n)
	}
	_, rev, err := bo.svc.Save(context.Background(), bo.editor, d)
	if err != nil {
		b.Fatal(err)
	}
	bo.base[a.ID] = rev.ID
}

func (bo *backOffice) publish(b *testing.B, id int64) {
	if _, err := bo.svc.Publish(context.Background(), bo.editor, id, editorial.PublishOptions{Revision: bo.base[id]}); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSaveAndPublish times an editor's two steps, each on its own,
// on the generated 10,000-article site:
//
//   - draft: saving a change to a draft (one transaction: a revision and
//     the article's row), then publishing it (the article's page and its
//     language's home rendered, the listings, archives, feeds and
//     sitemaps it shows on dropped). The draft is made, untimed, before
//     each round, in the section and language of a live article and as
//     long as it.
//   - edition: saving an edition of a live article (one transaction
//     writing only a revision, with a change note: readers keep the live
//     text), then publishing that edition (the article's page rendered,
//     its feeds and sitemap dropped).
//
// Rounds alternate English and Chinese. ns/op is a round (save and
// publish); save-p50-ms, save-p99-ms, publish-p50-ms and publish-p99-ms
// are each step's median and 99th percentile over the rounds.
func BenchmarkSaveAndPublish(b *testing.B) {
	for _, e := range benchEngines {
		b.Run(e.name, func(b *testing.B) {
			bo := newBackOffice(b, e.open(b))
			ctx := context.Background()
			b.Run("draft", func(b *testing.B) {
				rounds(b, &bo.drafts, func(n int) (time.Duration, time.Duration) {
					b.StopTimer()
					id := bo.draft(b, bo.live[n%len(bo.live)], n)
					a, err := bo.svc.Store.Article(ctx, id)
					if err != nil {
						b.Fatal(err)
					}
					b.StartTimer()
					return timed(e.name+"/draft-save", func() { bo.save(b, a, n, "") }),
						timed(e.name+"/draft-publish", func() { bo.publish(b, id) })
				})
			})
			b.Run("edition", func(b *testing.B) {
				rounds(b, &bo.editions, func(n int) (time.Duration, time.Duration) {
					// The live article as it stands (the form shows it).
					a, err := bo.svc.Store.Article(ctx, bo.live[n%len(bo.live)].ID)
					if err != nil {
						b.Fatal(err)
					}
					return timed(e.name+"/edition-save", func() { bo.save(b, a, n, "Corrected a figure.") }),
						timed(e.name+"/edition-publish", func() { bo.publish(b, a.ID) })
				})
			})
		})
	}
}

// rounds runs round as the benchmark's loop, after a few rounds that
// warm the caches and are not counted, and reports each step's
// percentiles. round gets the round's number, taken from *next (which
// it advances), and returns how long its save and its publish took.
func rounds(b *testing.B, next *int, round func(n int) (save, pub time.Duration)) {
	const warm = 4
	for range warm {
		round(*next)
		*next++
	}
	var saves, pubs []time.Duration
	for b.Loop() {
		s, p := round(*next)
		saves, pubs = append(saves, s), append(pubs, p)
		*next++
	}
	reportSteps(b, saves, pubs)
}

// timed runs fn with a profiler label naming the engine and step, so
// that a CPU profile shows each step on its own (go tool pprof -tagfocus
// step=sqlite/draft-publish), and returns how long it took.
func timed(step string, fn func()) time.Duration {
	var d time.Duration
	pprof.Do(context.Background(), pprof.Labels("step", step), func(context.Context) {
		start := time.Now()
		fn()
		d = time.Since(start)
	})
	return d
}

// reportSteps adds each step's median and 99th percentile, in
// milliseconds, as the search benchmarks report theirs.
func reportSteps(b *testing.B, saves, pubs []time.Duration) {
	for _, s := range []struct {
		name string
		lat  []time.Duration
	}{{"save", saves}, {"publish", pubs}} {
		if len(s.lat) == 0 {
			continue
		}
		slices.Sort(s.lat)
		pct := func(p float64) float64 {
			return float64(s.lat[min(len(s.lat)-1, int(p*float64(len(s.lat))))].Microseconds()) / 1000
		}
		b.ReportMetric(pct(0.50), s.name+"-p50-ms")
		b.ReportMetric(pct(0.99), s.name+"-p99-ms")
	}
}
