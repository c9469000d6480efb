// Package export writes one site of the network, every language, as static
// files that a plain web server (nginx), a CDN or object storage can serve
// at the same addresses as chancery serve.
//
// Pages are rendered by the real public handler (site.Handler) in process,
// so an exported file holds exactly the bytes serve would answer. Next to
// every text file go a gzip (.gz) and a brotli (.br) version, when smaller,
// for nginx's gzip_static and brotli_static.
//
// # Layout and the swap
//
// An export to DIR lives in a version directory beside it:
//
//	DIR                      symbolic link → DIR.versions/<stamp>/site
//	DIR.versions/<stamp>/site/…          the public files
//	DIR.versions/<stamp>/manifest.json   address → file, SHA-256, type
//	DIR.versions/<stamp>/redirects.conf  the old addresses, for nginx (DIR/../redirects.conf)
//	DIR.versions/.tmp-<stamp>/           an export being written
//
// A run writes the whole new tree under .tmp-<stamp>, flushes it to disk,
// renames it to <stamp>, and only then replaces DIR: a new link is made
// under a temporary name and renamed over DIR (rename(2) replaces a link
// atomically). A crash or an error at any point before that rename leaves
// DIR pointing at the previous export, whole; after it, DIR points at the
// new one, whole. Readers never see a mixture, and a server that resolves
// DIR per request (nginx does) moves to the new export at once. The
// previous version is kept (for files still being read, and to roll back
// by hand with ln -sfn); older ones are deleted.
//
// # Incremental exports
//
// With Incremental, every page is still rendered (that is how a change is
// known), but a page whose bytes have the SHA-256 the previous manifest
// records is hard-linked from the previous version, with its compressed
// variants, instead of being compressed and written again. Linked files
// keep their modification time, so Last-Modified and nginx's ETag stay the
// same for unchanged pages; every file written by a run gets the run's
// time.
package export

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"chancery/internal/content"
	"chancery/internal/publish"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/theme"
)

// Options configure an export. Store, Theme, Site and Out are required.
type Options struct {
	Store store.Store
	Theme *theme.Theme
	// Site is the site to export; its first host names it in the pages'
	// absolute links (canonical, feeds, sitemaps).
	Site content.Site
	// Out is the path readers' server serves: after a successful export
	// it is a symbolic link to the new version (see the package comment).
	Out string
	// Incremental reuses the files of the previous export whose bytes did
	// not change.
	Incremental bool
	// Scheme is the scheme of the absolute links in the pages: "https" or
	// "http". Optional. Default is "https".
	Scheme string
	// NetworkHost is the network's own host name, as given to serve.
	// Optional. Default is "localhost".
	NetworkHost string
	// Now is the moment the export shows: articles published by then. It
	// also dates the written files. Optional. Default is time.Now.
	Now func() time.Time
	// BrotliQuality is the quality of the .br files, 1 (fast) to 11
	// (smallest, and slowest by far: about ten times quality 9's time for
	// files 15% smaller). A negative value writes no .br files. Optional.
	// Default (0) is DefaultBrotliQuality.
	BrotliQuality int
	// Workers is how many pages are rendered and compressed at once.
	// Optional. Default is GOMAXPROCS.
	Workers int
	// Fingerprint names how chancery serve renders the site for the
	// export's public address (see publish.Rendered). When serve has
	// marked the site's page store as holding pages rendered that way,
	// the export writes the stored pages as they are, rendering and
	// compressing only those the store lacks, and keeps those there for
	// serve and the next export. Optional. Empty renders every page and
	// keeps none.
	Fingerprint string

	// afterPage, when set, is called after each page is written; an error
	// stops the export as a crash would. Tests use it.
	afterPage func(address string) error
	// beforeSwap, when set, is called once the new tree is complete, just
	// before DIR is replaced. Tests use it.
	beforeSwap func() error
}

// DefaultBrotliQuality is the quality of .br files unless told otherwise:
// the page store's, so that pages taken from it are written with the
// variants it keeps. Profiling an export of 1,000 articles put 83% of its
// time in brotli at quality 11, whose files are only some 15% smaller
// than quality 9's; quality 9 costs twice quality 6 for 1% smaller files,
// and quality 5 makes files as small as 6 on a site's pages, a little
// sooner.
const DefaultBrotliQuality = publish.BrotliQuality

// PublicOrigin is the public address an export's pages name for scheme:
// the scheme's own port, which addresses leave out.
func PublicOrigin(scheme string) site.PublicOrigin {
	if scheme == "http" {
		return site.PublicOrigin{Scheme: "http", Port: 80}
	}
	return site.PublicOrigin{Scheme: "https", Port: 443}
}

// Result says what an export did.
type Result struct {
	// Version is the directory DIR now points to.
	Version string
	// Pages counts the exported addresses (pages, feeds, sitemaps,
	// assets, 404 pages); Written of them were rendered to new files and
	// Reused were linked from the previous export.
	Pages, Written, Reused int
	// Files counts every file of the export, compressed variants included,
	// and Bytes their size.
	Files int
	Bytes int64
	// Redirects counts the old addresses written to redirects.conf.
	Redirects int
	// Stored counts the pages taken from the page store, and Kept the
	// rendered ones put there (see Options.Fingerprint). StoreErrors
	// counts the pages the store failed to give or keep (they were
	// rendered, or not kept); StoreError is the first failure.
	Stored, Kept, StoreErrors int
	StoreError                error
	// Previous is true when an earlier export was found (and, with
	// Incremental, reused unless OtherVariants: its .br files are of
	// another quality, or of one its manifest does not record).
	Previous, OtherVariants bool
	// Duration is how long the export took.
	Duration time.Duration
}

// versionsDir is where the versions of an export to out are kept.
func versionsDir(out string) string { return filepath.Clean(out) + ".versions" }

// What an export keeps in its versions directory besides the versions:
// the lock of the run writing there, and the prefix of a run's tree until
// it is whole.
const (
	lockFile  = ".lock"
	tmpPrefix = ".tmp-"
)

// Run exports the site to o.Out. On error, o.Out and what it pointed to are
// unchanged and nothing of the failed run is left behind.
func Run(ctx context.Context, o Options) (Result, error) {
	start := time.Now()
	if err := o.defaults(); err != nil {
		return Result{}, err
	}
	if err := CheckTarget(o.Out, ""); err != nil {
		return Result{}, err
	}
	now := o.Now().UTC().Truncate(time.Second)
	// The new export is put in place by a link made beside out: find out
	// now, not after rendering every page, if that cannot be written.
	if err := canLink(o.Out); err != nil {
		return Result{}, err
	}
	versions := versionsDir(o.Out)
	if err := os.MkdirAll(versions, 0o755); err != nil {
		return Result{}, explainWrite(versions, err)
	}
	unlock, err := lock(filepath.Join(versions, lockFile))
	if err != nil {
		return Result{}, err
	}
	defer unlock()
	cleanStale(versions)

	stamp := now.Format("20060102T150405Z")
	for i := 2; exists(filepath.Join(versions, stamp)); i++ {
		stamp = fmt.Sprintf("%s-%d", now.Format("20060102T150405Z"), i)
	}
	tmp := filepath.Join(versions, tmpPrefix+stamp)
	if err := os.Mkdir(tmp, 0o755); err != nil {
		return Result{}, explainWrite(versions, err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()

	prev := previous(o.Out)
	sameVariants := prev.brotliQuality != nil && *prev.brotliQuality == o.BrotliQuality
	res := Result{Previous: prev.dir != "", OtherVariants: prev.dir != "" && !sameVariants}
	// A change published while the export runs would leave a tree whose
	// pages disagree (a home listing an article whose page was not
	// written): the site's epoch, raised by every change, is read before
	// and after, and a tree built across a change is built again.
	var b *builder
	for attempt := 1; ; attempt++ {
		epoch, err := o.Store.Pages().PageEpoch(ctx, o.Site.ID)
		if err != nil {
			return Result{}, fmt.Errorf("read the page store of %s: %w", o.Site.Key, err)
		}
		if b, err = build(ctx, o, now, tmp, prev, sameVariants, epoch); err != nil {
			return Result{}, err
		}
		after, err := o.Store.Pages().PageEpoch(ctx, o.Site.ID)
		if err != nil {
			return Result{}, fmt.Errorf("read the page store of %s: %w", o.Site.Key, err)
		}
		if after == epoch {
			break
		}
		if attempt == maxAttempts {
			return Result{}, fmt.Errorf("%s changed during each of %d exports (articles were being published); run the export again when publishing is quieter", o.Site.Key, maxAttempts)
		}
		if err := os.RemoveAll(tmp); err != nil {
			return Result{}, fmt.Errorf("start the export again: %w", err)
		}
		if err := os.Mkdir(tmp, 0o755); err != nil {
			return Result{}, explainWrite(versions, err)
		}
	}
	res.Redirects = b.redirects
	final := filepath.Join(versions, stamp)
	if err := os.Rename(tmp, final); err != nil {
		return Result{}, fmt.Errorf("name the new export %s: %w", final, err)
	}
	done = true
	if err := swap(o.Out, filepath.Join(filepath.Base(versions), stamp, "site")); err != nil {
		os.RemoveAll(final)
		return Result{}, err
	}
	prune(versions, stamp, prev.version)
	res.Version = filepath.Join(final, "site")
	res.Pages, res.Written, res.Reused = len(b.entries), b.written, b.reused
	res.Stored, res.Kept, res.StoreErrors, res.StoreError = b.stored, b.kept, b.storeErrors, b.storeError
	res.Files, res.Bytes = b.files, b.bytes
	res.Duration = time.Since(start)
	return res, nil
}

func (o *Options) defaults() error {
	if o.Store == nil || o.Theme == nil {
		return errors.New("export: Store and Theme are required")
	}
	if len(o.Site.Hosts) == 0 {
		return fmt.Errorf("site %q has no host name; give it one with \"chancery site edit %s --host NAME\"", o.Site.Key, o.Site.Key)
	}
	if o.Out == "" {
		return errors.New("export: no output directory")
	}
	o.Out = filepath.Clean(o.Out)
	switch o.Scheme {
	case "":
		o.Scheme = "https"
	case "http", "https":
	default:
		return fmt.Errorf("scheme %q: use https or http", o.Scheme)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	switch {
	case o.BrotliQuality == 0:
		o.BrotliQuality = DefaultBrotliQuality
	case o.BrotliQuality < 0:
		o.BrotliQuality = 0
	case o.BrotliQuality > 11:
		return fmt.Errorf("brotli quality %d: use 0 (no .br files) to 11", o.BrotliQuality)
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	return nil
}

// maxAttempts is how many times an export builds its tree when the site
// changes while it runs.
const maxAttempts = 3

// build writes the export's tree, its manifest and redirects into tmp:
// the pages as of epoch, the site's page epoch read before it began.
func build(ctx context.Context, o Options, now time.Time, tmp string, prev prevExport, sameVariants bool, epoch int64) (*builder, error) {
	memo := &memoStore{Store: o.Store}
	o.Store = memo
	failed := failures{reasons: &sync.Map{}}
	b := &builder{o: o, now: now, dir: filepath.Join(tmp, "site"), failed: failed, handler: site.New(site.Options{
		Store: memo, Theme: o.Theme, NetworkHost: o.NetworkHost, Now: func() time.Time { return now }, Log: slog.New(failed),
		Public: PublicOrigin(o.Scheme),
	})}
	if prev.dir != "" && sameVariants {
		// Files are linked from the previous export only when its
		// variants are the ones asked for now.
		b.prev = prev
	}
	if o.Fingerprint != "" {
		ok, err := publish.Rendered(ctx, o.Store, o.Site.ID, o.Fingerprint)
		if err != nil {
			return nil, fmt.Errorf("read the page store of %s: %w", o.Site.Key, err)
		}
		if ok {
			// Pages are kept under the epoch read before any is rendered,
			// so that a publish during the export (which raises it) keeps
			// what was rendered from older content out of the store.
			b.epoch, b.pages = epoch, o.Store.Pages()
		}
	}
	if err := b.build(ctx); err != nil {
		return nil, err
	}
	if err := writeManifest(filepath.Join(tmp, "manifest.json"), b.manifest(o, now)); err != nil {
		return nil, err
	}
	var err error
	if b.redirects, err = b.writeRedirects(ctx, filepath.Join(tmp, redirectsFile)); err != nil {
		return nil, err
	}
	if err := syncTree(tmp); err != nil {
		return nil, fmt.Errorf("flush the export to disk: %w", err)
	}
	if o.beforeSwap != nil {
		if err := o.beforeSwap(); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// linkName is the temporary name beside out of the link swap renames
// over it.
func linkName(out string) string {
	return filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".link-"+fmt.Sprint(os.Getpid()))
}

// canLink makes and removes the link swap will make. A directory of out
// still to be made is made with the versions' directory, by this user.
func canLink(out string) error {
	if _, err := os.Stat(filepath.Dir(out)); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	link := linkName(out)
	os.Remove(link)
	if err := os.Symlink(".", link); err != nil {
		return explainWrite(filepath.Dir(out), err)
	}
	return os.Remove(link)
}

// swap points out at target (relative to out's directory) with one
// rename(2): a new link is made under a temporary name beside out and
// renamed over it, so out is at every moment either the old link or the
// new one. An empty directory at out (made by an operator before the first
// export) is removed first; it held nothing to serve.
func swap(out, target string) error {
	link := linkName(out)
	os.Remove(link)
	if err := os.Symlink(target, link); err != nil {
		return explainWrite(filepath.Dir(out), err)
	}
	if fi, err := os.Lstat(out); err == nil && fi.IsDir() {
		if err := os.Remove(out); err != nil {
			os.Remove(link)
			return fmt.Errorf("replace the empty directory %s with the export: %w", out, err)
		}
	}
	if err := os.Rename(link, out); err != nil {
		os.Remove(link)
		return fmt.Errorf("point %s at the new export: %w", out, err)
	}
	syncDir(filepath.Dir(out))
	return nil
}

// prevExport is the export out pointed to before this run.
type prevExport struct {
	// dir is the previous version's site directory, "" when none.
	dir string
	// version is its stamp.
	version string
	files   map[string]manifestEntry
	// brotliQuality is the quality of its .br files (nil: not known).
	brotliQuality *int
}

// previous reads the export out points to, if it is one of ours.
func previous(out string) prevExport {
	target, err := os.Readlink(out)
	if err != nil {
		return prevExport{}
	}
	if !filepath.IsAbs(target) {
		target = filepath.Join(filepath.Dir(filepath.Clean(out)), target)
	}
	version := filepath.Dir(target)
	m, err := readManifest(filepath.Join(version, "manifest.json"))
	if err != nil {
		return prevExport{}
	}
	p := prevExport{dir: target, version: filepath.Base(version), files: map[string]manifestEntry{}, brotliQuality: m.BrotliQuality}
	for _, e := range m.Files {
		p.files[e.Address] = e
	}
	return p
}

// prune deletes the versions other than the current and the previous one,
// and leftovers of runs that crashed (this run holds the lock, so no other
// run is writing).
func prune(versions, current, previous string) {
	entries, err := os.ReadDir(versions)
	if err != nil {
		return
	}
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || name == current || name == previous || !stampPattern.MatchString(name) {
			continue
		}
		os.RemoveAll(filepath.Join(versions, name))
	}
}

// cleanStale removes the temporary trees of runs that crashed.
func cleanStale(versions string) {
	entries, _ := os.ReadDir(versions)
	for _, e := range entries {
		if name := e.Name(); e.IsDir() && strings.HasPrefix(name, tmpPrefix) && stampPattern.MatchString(strings.TrimPrefix(name, tmpPrefix)) {
			os.RemoveAll(filepath.Join(versions, name))
		}
	}
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// explainWrite turns a failure to create something under dir into advice.
func explainWrite(dir string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return fmt.Errorf("cannot write in %s: permission denied. Choose a directory you may write to with --out, or change its permissions", dir)
	}
	return fmt.Errorf("cannot write in %s: %w", dir, err)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
