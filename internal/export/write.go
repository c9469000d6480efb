package export

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/tls"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"

	"chancery/internal/publish"
	"chancery/internal/store"
	"chancery/internal/web"
)

// builder renders and writes one export tree.
type builder struct {
	o       Options
	now     time.Time
	dir     string // the new tree's root
	handler http.Handler
	failed  failures
	prev    prevExport
	// pages is the page store pages are taken from and kept in, under
	// epoch; nil when the export renders every page (see
	// Options.Fingerprint).
	pages store.PageQueries
	epoch int64
	dirs  sync.Map // directories made
	// redirects counts the old addresses written to redirects.conf.
	redirects int

	mu            sync.Mutex
	entries       []manifestEntry
	assets        map[string]bool
	seenAddresses map[string]bool
	written       int
	reused        int
	stored        int
	kept          int
	storeErrors   int
	storeError    error // the first of them
	files         int
	bytes         int64
}

// build writes every page, then the theme assets the pages link to.
func (b *builder) build(ctx context.Context) error {
	pages, err := b.addresses(ctx)
	if err != nil {
		return err
	}
	b.assets = map[string]bool{}
	b.seenAddresses = map[string]bool{}
	unique := pages[:0]
	for _, e := range pages {
		if !b.seenAddresses[e.address] {
			b.seenAddresses[e.address] = true
			unique = append(unique, e)
		}
	}
	if err := b.run(ctx, b.fromStore(unique)); err != nil {
		return err
	}
	var assets []entry
	for _, a := range sortedKeys(b.assets) {
		if !b.seenAddresses[a] {
			assets = append(assets, page(a))
		}
	}
	return b.run(ctx, rendering(assets))
}

// job is one address to write, with its page when the page store gave
// it, else nil to render it.
type job struct {
	entry
	stored *store.StoredPage
}

// A feeder hands run its jobs through send, which reports false once the
// export has stopped.
type feeder func(ctx context.Context, send func(job) bool)

// rendering feeds list to be rendered.
func rendering(list []entry) feeder {
	return func(_ context.Context, send func(job) bool) {
		for _, e := range list {
			if !send(job{entry: e}) {
				return
			}
		}
	}
}

// fromStore feeds the addresses of list the page store holds with their
// stored pages, read in one pass over the store (asking for each page by
// its address cost three times as much), then the others to be rendered.
func (b *builder) fromStore(list []entry) feeder {
	if b.pages == nil {
		return rendering(list)
	}
	return func(ctx context.Context, send func(job) bool) {
		waiting := make(map[string]int, len(list))
		for i, e := range list {
			if b.keeps(e) {
				waiting[e.request] = i
			}
		}
		stopped := errors.New("stopped")
		err := b.pages.EachPage(ctx, b.o.Site.ID, func(p store.StoredPage) error {
			i, ok := waiting[p.Path]
			if !ok {
				return nil
			}
			delete(waiting, p.Path)
			if !send(job{entry: list[i], stored: &p}) {
				return stopped
			}
			return nil
		})
		switch {
		case errors.Is(err, stopped) || ctx.Err() != nil:
			return
		case err != nil:
			// The store is a shortcut: what it did not give is rendered.
			b.storeFailed(len(waiting), "read the page store", err)
		}
		for _, e := range list {
			if _, left := waiting[e.request]; left || !b.keeps(e) {
				if !send(job{entry: e}) {
					return
				}
			}
		}
	}
}

// keeps reports whether the page store keeps e's page (and so may give
// it): when the export uses the store, for pages answered with 200.
func (b *builder) keeps(e entry) bool {
	return b.pages != nil && e.status == http.StatusOK && publish.Storable(e.request)
}

// run writes what feed gives with o.Workers workers, stopping at the
// first error.
func (b *builder) run(ctx context.Context, feed feeder) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan job)
	var wg sync.WaitGroup
	for range b.o.Workers {
		wg.Go(func() {
			for j := range work {
				if err := b.one(ctx, j); err != nil {
					cancel(err)
				}
			}
		})
	}
	feed(ctx, func(j job) bool {
		select {
		case work <- j:
			return true
		case <-ctx.Done():
			return false
		}
	})
	close(work)
	wg.Wait()
	return context.Cause(ctx)
}

// Request returns the request the export makes of the public handler for
// path on host: a GET without Accept-Encoding (so the body is the plain
// bytes), over TLS when scheme is "https" so that absolute links in the
// page use it.
func Request(ctx context.Context, scheme, host, path string) *http.Request {
	r := web.PageRequest(ctx, host, path)
	if scheme == "https" {
		r.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: host}
	}
	return r
}

// one renders e, or takes it from the page store, and writes its file
// and compressed variants, or links them from the previous export when
// the bytes are the same.
func (b *builder) one(ctx context.Context, j job) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e := j.entry
	pg, from, err := b.page(ctx, j)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(pg.Body)
	me := manifestEntry{Address: e.address, File: filepath.ToSlash(e.file), SHA256: hex.EncodeToString(sum[:]),
		Size: int64(len(pg.Body)), Type: pg.ContentType, Status: e.status, Modified: b.now.Format(time.RFC3339)}
	if strings.HasPrefix(pg.ContentType, "text/html") {
		b.findAssets(pg.Body)
	}
	path := filepath.Join(b.dir, e.file)
	if err := b.mkdirAll(filepath.Dir(path)); err != nil {
		return collision(e, err)
	}
	reused := false
	files, size := 1, me.Size
	if old, ok := b.prev.files[e.address]; ok && b.o.Incremental && old.SHA256 == me.SHA256 && old.File == me.File {
		if n, err := b.link(old); err == nil {
			reused = true
			me.Gzip, me.Brotli, me.Modified = old.Gzip, old.Brotli, old.Modified
			files, size = n.files, n.bytes
		}
	}
	if !reused {
		gz, br := b.variants(pg, from)
		if err := b.write(path, pg.Body, gz, br); err != nil {
			return collision(e, err)
		}
		me.Gzip, me.Brotli = gz != nil, br != nil
		for _, v := range [][]byte{gz, br} {
			if v != nil {
				files++
				size += int64(len(v))
			}
		}
	}
	b.mu.Lock()
	b.entries = append(b.entries, me)
	b.files += files
	b.bytes += size
	if reused {
		b.reused++
	} else {
		b.written++
	}
	switch from {
	case fromStore:
		b.stored++
	case renderedKept:
		b.kept++
	}
	b.mu.Unlock()
	if b.o.afterPage != nil {
		return b.o.afterPage(e.address)
	}
	return nil
}

// mkdirAll makes dir and its parents, once per export: most pages share
// their directory's parents with others, and asking the file system again
// for each was a twentieth of an export's time.
func (b *builder) mkdirAll(dir string) error {
	if _, ok := b.dirs.Load(dir); ok {
		return nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	b.dirs.Store(dir, true)
	return nil
}

// Where a page's bytes came from.
const (
	rendered     = iota // rendered by the export alone
	renderedKept        // rendered, and kept in the page store
	fromStore           // taken from the page store
)

// page returns j's page: the page store's, or rendered by the public
// handler (and kept in the store when it keeps such pages).
func (b *builder) page(ctx context.Context, j job) (store.StoredPage, int, error) {
	if j.stored != nil {
		return *j.stored, fromStore, nil
	}
	e := j.entry
	resp := web.NewRecorder()
	b.handler.ServeHTTP(resp, Request(ctx, b.o.Scheme, b.o.Site.Hosts[0], e.request))
	if resp.Status != e.status {
		why := b.failed.why(e.request)
		if why == "" {
			why = firstLine(resp.Body.Bytes())
		}
		return store.StoredPage{}, 0, fmt.Errorf("page %s answered status %d instead of %d: %s", e.address, resp.Status, e.status, why)
	}
	ct := resp.Head.Get("Content-Type")
	if !b.keeps(e) || !publish.Compressible(ct) {
		return store.StoredPage{ContentType: ct, Body: resp.Body.Bytes()}, rendered, nil
	}
	p := publish.NewPage(b.o.Site.ID, e.request, ct, resp.Body.Bytes(), time.Now())
	ok, err := b.pages.PutPageAt(ctx, p, b.epoch)
	if err != nil {
		b.storeFailed(1, e.address, err)
	}
	if !ok {
		return p, rendered, nil
	}
	return p, renderedKept, nil
}

// storeFailed counts n pages the page store could not give or keep, and
// remembers the first reason; the export goes on without the store.
func (b *builder) storeFailed(n int, what string, err error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.storeErrors == 0 {
		b.storeError = fmt.Errorf("%s: %w", what, err)
	}
	b.storeErrors += n
}

// variants returns the .gz and .br files of a page, nil for those not
// written, compressed as the page store compresses (so pages that have
// been through it are written with its variants): gzip at the store's
// level, brotli at publish.BrotliQuality unless another quality is asked
// for; none for bodies under 512 bytes or where not smaller.
func (b *builder) variants(p store.StoredPage, from int) (gz, br []byte) {
	if !publish.Compressible(p.ContentType) {
		return nil, nil
	}
	if from == rendered {
		p.Gzip = publish.Gzip(p.Body)
		if b.o.BrotliQuality == publish.BrotliQuality {
			p.Brotli = publish.Brotli(p.Body)
		}
	}
	switch q := b.o.BrotliQuality; {
	case q == publish.BrotliQuality:
		return p.Gzip, p.Brotli
	case q > 0 && len(p.Body) >= 512:
		return p.Gzip, smaller(brotliBytes(p.Body, q), p.Body)
	}
	return p.Gzip, nil
}

func smaller(z, body []byte) []byte {
	if len(z) >= len(body) {
		return nil
	}
	return z
}

// linked is what link put in the new tree.
type linked struct {
	files int
	bytes int64
}

// link hard-links a file of the previous export, with its variants, into
// the new tree. On failure nothing of it is left.
func (b *builder) link(old manifestEntry) (linked, error) {
	from := filepath.Join(b.prev.dir, filepath.FromSlash(old.File))
	to := filepath.Join(b.dir, filepath.FromSlash(old.File))
	exts := []string{""}
	if old.Gzip {
		exts = append(exts, ".gz")
	}
	if old.Brotli {
		exts = append(exts, ".br")
	}
	var n linked
	for i, ext := range exts {
		err := os.Link(from+ext, to+ext)
		var fi os.FileInfo
		if err == nil {
			fi, err = os.Stat(to + ext)
		}
		if err != nil {
			for _, done := range exts[:i+1] {
				os.Remove(to + done)
			}
			return linked{}, err
		}
		n.files++
		n.bytes += fi.Size()
	}
	return n, nil
}

// write writes body at path, and its gzip and brotli variants when given,
// all dated with the export's time.
func (b *builder) write(path string, body, gz, br []byte) error {
	if err := writeFile(path, body, b.now); err != nil {
		return err
	}
	if gz != nil {
		if err := writeFile(path+".gz", gz, b.now); err != nil {
			return err
		}
	}
	if br != nil {
		if err := writeFile(path+".br", br, b.now); err != nil {
			return err
		}
	}
	return nil
}

func writeFile(path string, body []byte, mtime time.Time) error {
	if err := os.WriteFile(path, body, 0o644); err != nil {
		return err
	}
	return os.Chtimes(path, mtime, mtime)
}

// collision explains the one way two addresses can need the same name: an
// article whose slug is the name of a directory beside it.
func collision(e entry, err error) error {
	if errors.Is(err, syscall.ENOTDIR) || errors.Is(err, syscall.EISDIR) || errors.Is(err, os.ErrExist) {
		return fmt.Errorf("cannot write %s as %s: another address of the site needs the same name as a file and as a directory (%v)", e.address, e.file, err)
	}
	return fmt.Errorf("write %s: %w", e.address, err)
}

// brotliBytes compresses body at quality. The window is sized to the body
// (as brotli's one-shot C API does): the same bytes come out a little
// smaller, more than twice as fast as with the default 4 MB window, whose
// tables would be allocated and cleared for every page.
func brotliBytes(body []byte, quality int) []byte {
	var buf bytes.Buffer
	w := brotli.NewWriterOptions(&buf, brotli.WriterOptions{Quality: quality, LGWin: min(24, max(10, bits.Len(uint(len(body)))))})
	w.Write(body)
	w.Close()
	return buf.Bytes()
}

// findAssets records the /static/ addresses a page refers to in an href
// or src attribute. Asset names carry a hash of their content, so every
// one a page can link to is found this way. (A plain scan: a regular
// expression over every page was a tenth of an export's time.)
func (b *builder) findAssets(body []byte) {
	var found []string
	for rest := body; ; {
		i := bytes.Index(rest, []byte(`="/static/`))
		if i < 0 {
			break
		}
		attr := rest[:i]
		rest = rest[i+2:]
		if !bytes.HasSuffix(attr, []byte(" href")) && !bytes.HasSuffix(attr, []byte(" src")) {
			continue
		}
		end := bytes.IndexAny(rest, `"?#`)
		if end < 0 {
			break
		}
		found = append(found, string(rest[:end]))
	}
	if len(found) == 0 {
		return
	}
	b.mu.Lock()
	for _, a := range found {
		b.assets[a] = true
	}
	b.mu.Unlock()
}

func firstLine(body []byte) string {
	line, _, _ := bytes.Cut(body, []byte("\n"))
	if len(line) > 200 {
		line = line[:200]
	}
	return string(line)
}

// manifest describes an export: written beside its files (not among them,
// so it is never served), read by the next incremental export.
type manifest struct {
	Format int    `json:"format"`
	Host   string `json:"host"`
	Scheme string `json:"scheme"`
	// BrotliQuality is the quality of the .br files (0: none); absent
	// from the manifests of earlier binaries, whose files are then not
	// reused.
	BrotliQuality *int            `json:"brotli_quality,omitempty"`
	Exported      string          `json:"exported"`
	Files         []manifestEntry `json:"files"`
}

// manifestEntry is one exported address.
type manifestEntry struct {
	Address string `json:"address"`
	// File is the path below site/, with slashes.
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
	// Type is the Content-Type serve answers with.
	Type   string `json:"type"`
	Status int    `json:"status"`
	Gzip   bool   `json:"gzip,omitempty"`
	Brotli bool   `json:"brotli,omitempty"`
	// Modified is the time of the files: when these bytes were first
	// exported.
	Modified string `json:"modified"`
}

func (b *builder) manifest(o Options, now time.Time) manifest {
	sort.Slice(b.entries, func(i, j int) bool { return b.entries[i].Address < b.entries[j].Address })
	return manifest{Format: 1, Host: o.Site.Hosts[0], Scheme: o.Scheme, BrotliQuality: &o.BrotliQuality, Exported: now.Format(time.RFC3339), Files: b.entries}
}

func writeManifest(path string, m manifest) error {
	body, err := json.MarshalIndent(m, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(body, '\n'), 0o644)
}

func readManifest(path string) (manifest, error) {
	var m manifest
	body, err := os.ReadFile(path)
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(body, &m); err != nil {
		return m, fmt.Errorf("%s: %w", path, err)
	}
	if m.Format != 1 {
		return m, fmt.Errorf("%s: unknown manifest format %d", path, m.Format)
	}
	return m, nil
}
