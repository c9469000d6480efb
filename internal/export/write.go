package export

import (
	"bytes"
	"compress/gzip"
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
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/andybalholm/brotli"

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

	mu            sync.Mutex
	entries       []manifestEntry
	assets        map[string]bool
	seenAddresses map[string]bool
	written       int
	reused        int
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
	if err := b.run(ctx, unique); err != nil {
		return err
	}
	var assets []entry
	for _, a := range sortedKeys(b.assets) {
		if !b.seenAddresses[a] {
			assets = append(assets, page(a))
		}
	}
	return b.run(ctx, assets)
}

// run writes list with o.Workers workers, stopping at the first error.
func (b *builder) run(ctx context.Context, list []entry) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	work := make(chan entry)
	var wg sync.WaitGroup
	for range min(b.o.Workers, max(1, len(list))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for e := range work {
				if err := b.one(ctx, e); err != nil {
					cancel(err)
				}
			}
		}()
	}
feed:
	for _, e := range list {
		select {
		case work <- e:
		case <-ctx.Done():
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return err
	}
	return nil
}

// Request returns the request the export makes of the public handler for
// path on host: a GET without Accept-Encoding (so the body is the plain
// bytes), over TLS when scheme is "https" so that absolute links in the
// page use it.
func Request(ctx context.Context, scheme, host, path string) *http.Request {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+path, nil)
	if err != nil {
		panic(err) // host and path come from the store and are valid
	}
	r.Host = host
	r.RequestURI = path
	if scheme == "https" {
		r.TLS = &tls.ConnectionState{HandshakeComplete: true, ServerName: host}
	}
	return r
}

// one renders e and writes its file and compressed variants, or links them
// from the previous export when the bytes are the same.
func (b *builder) one(ctx context.Context, e entry) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	resp := web.NewRecorder()
	b.handler.ServeHTTP(resp, Request(ctx, b.o.Scheme, b.o.Site.Hosts[0], e.request))
	if resp.Status != e.status {
		why := b.failed.why(e.request)
		if why == "" {
			why = firstLine(resp.Body.Bytes())
		}
		return fmt.Errorf("page %s answered status %d instead of %d: %s", e.address, resp.Status, e.status, why)
	}
	body := resp.Body.Bytes()
	ct := resp.Head.Get("Content-Type")
	sum := sha256.Sum256(body)
	me := manifestEntry{Address: e.address, File: filepath.ToSlash(e.file), SHA256: hex.EncodeToString(sum[:]),
		Size: int64(len(body)), Type: ct, Status: e.status, Modified: b.now.Format(time.RFC3339)}
	if strings.HasPrefix(ct, "text/html") {
		b.findAssets(body)
	}
	path := filepath.Join(b.dir, e.file)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return collision(e, err)
	}
	reused := false
	if old, ok := b.prev.files[e.address]; ok && b.o.Incremental && old.SHA256 == me.SHA256 && old.File == me.File {
		if b.link(old) == nil {
			reused = true
			me.Gzip, me.Brotli, me.Modified = old.Gzip, old.Brotli, old.Modified
		}
	}
	if !reused {
		var err error
		if me.Gzip, me.Brotli, err = b.write(path, ct, body); err != nil {
			return collision(e, err)
		}
	}
	files, size := 1, me.Size
	for _, v := range []struct {
		has bool
		ext string
	}{{me.Gzip, ".gz"}, {me.Brotli, ".br"}} {
		if v.has {
			files++
			if fi, err := os.Stat(path + v.ext); err == nil {
				size += fi.Size()
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
	b.mu.Unlock()
	if b.o.afterPage != nil {
		return b.o.afterPage(e.address)
	}
	return nil
}

// link hard-links a file of the previous export, with its variants, into
// the new tree. On failure nothing of it is left.
func (b *builder) link(old manifestEntry) error {
	from := filepath.Join(b.prev.dir, filepath.FromSlash(old.File))
	to := filepath.Join(b.dir, filepath.FromSlash(old.File))
	exts := []string{""}
	if old.Gzip {
		exts = append(exts, ".gz")
	}
	if old.Brotli {
		exts = append(exts, ".br")
	}
	for i, ext := range exts {
		if err := os.Link(from+ext, to+ext); err != nil {
			for _, done := range exts[:i] {
				os.Remove(to + done)
			}
			return err
		}
	}
	return nil
}

// write writes body at path, and its gzip and brotli variants when the
// type is text and they are smaller, all dated with the export's time.
func (b *builder) write(path, contentType string, body []byte) (gz, br bool, err error) {
	if err := writeFile(path, body, b.now); err != nil {
		return false, false, err
	}
	if !compressible(contentType) {
		return false, false, nil
	}
	if z := gzipBytes(body); len(z) < len(body) {
		if err := writeFile(path+".gz", z, b.now); err != nil {
			return false, false, err
		}
		gz = true
	}
	if b.o.BrotliQuality == 0 {
		return gz, false, nil
	}
	if z := brotliBytes(body, b.o.BrotliQuality); len(z) < len(body) {
		if err := writeFile(path+".br", z, b.now); err != nil {
			return false, false, err
		}
		br = true
	}
	return gz, br, nil
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

// compressible reports whether a content type is text worth precompressing.
func compressible(ct string) bool {
	return strings.HasPrefix(ct, "text/") || strings.Contains(ct, "json") || strings.Contains(ct, "xml") || strings.Contains(ct, "javascript")
}

var gzipPool = sync.Pool{New: func() any { w, _ := gzip.NewWriterLevel(nil, gzip.BestCompression); return w }}

func gzipBytes(body []byte) []byte {
	var buf bytes.Buffer
	w := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(w)
	w.Reset(&buf)
	w.Write(body)
	w.Close()
	return buf.Bytes()
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

// assetRef finds the theme's static files a page links to.
var assetRef = regexp.MustCompile(`(?:href|src)="(/static/[^"?#]+)"`)

// findAssets records the /static/ addresses a page refers to. Asset names
// carry a hash of their content, so every one a page can link to is found
// this way.
func (b *builder) findAssets(body []byte) {
	for _, m := range assetRef.FindAllSubmatch(body, -1) {
		a := string(m[1])
		b.mu.Lock()
		b.assets[a] = true
		b.mu.Unlock()
	}
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
	Format   int             `json:"format"`
	Host     string          `json:"host"`
	Scheme   string          `json:"scheme"`
	Exported string          `json:"exported"`
	Files    []manifestEntry `json:"files"`
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
	return manifest{Format: 1, Host: o.Site.Hosts[0], Scheme: o.Scheme, Exported: now.Format(time.RFC3339), Files: b.entries}
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
