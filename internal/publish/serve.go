// Package publish puts changes live and serves what is live.
//
// The Server answers the public sites from the page store: a page rendered
// once is kept, with its gzip and brotli variants, in the database (so a
// restart serves it at once) and in a bounded memory cache (so a hot page
// costs a map lookup and a write). What the store does not have yet is
// rendered by the dynamic site handler and kept on the way out.
//
// The Publisher makes a change and, in the same transaction, renders
// again exactly the pages the change shows on (package pages decides
// which): publishing costs what the change touches, not what the site
// holds. Each publish raises the site's page epoch, so that no page
// rendered before it can be stored after it, and so that every process
// drops what it keeps of that site within a second.
package publish

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/web"
)

// CacheControl is what stored pages tell browsers and shared caches: a
// minute, after which they revalidate with the ETag.
const CacheControl = "public, max-age=60"

// ServerOptions configure a Server.
type ServerOptions struct {
	Store store.Store
	// Next renders what the store does not have (the site handler).
	Next http.Handler
	// NetworkHost is the host of the network's index, which is not stored.
	NetworkHost string
	// Fingerprint, when set, is how this process renders pages (see
	// Prepare). A site whose store is marked otherwise (a newer binary,
	// or one with other settings, started on the same database) is
	// answered by rendering, without reading or keeping stored pages.
	Fingerprint string
	// MemoryBytes bounds the memory cache. Default 64 MB.
	MemoryBytes int64
	// Refresh is how often epochs are read, to see other processes'
	// publishes. Default one second; ten seconds on a store that
	// announces epochs as they are raised (store.EpochListener:
	// PostgreSQL), where the reading only heals a missed notification.
	Refresh time.Duration
	Log     *slog.Logger
	// Now tells the time; tests set it.
	Now func() time.Time
}

// Server serves public pages from the page store. It is safe for
// concurrent use.
type Server struct {
	o   ServerOptions
	mem *lru

	// How requests were answered, for the metrics.
	fromMemory, fromStore, rendered atomic.Uint64

	loadMu   sync.Mutex // one load at a time
	mu       sync.RWMutex
	hosts    map[string]int64 // host → site
	epochs   map[int64]int64  // site → page epoch
	others   map[int64]bool   // sites whose store is marked by another fingerprint
	warned   sync.Map         // site → true once its other mark was logged
	loadedAt time.Time
}

// NewServer returns a Server; Run keeps it in step with other processes.
func NewServer(o ServerOptions) *Server {
	if o.MemoryBytes <= 0 {
		o.MemoryBytes = 64 << 20
	}
	if _, ok := o.Store.(store.EpochListener); ok && o.Refresh <= 0 {
		o.Refresh = 10 * time.Second
	}
	if o.Refresh <= 0 {
		o.Refresh = time.Second
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Server{o: o, mem: newLRU(o.MemoryBytes)}
}

// Run keeps the server in step with other processes' publishes until ctx
// ends: it listens for raised epochs where the store announces them (a
// publish elsewhere reaches this process's memory as it commits), and
// reads every site's epoch every Refresh, which heals a missed
// notification and is the only way on SQLite.
func (s *Server) Run(ctx context.Context) {
	if l, ok := s.o.Store.(store.EpochListener); ok {
		go s.listen(ctx, l)
	}
	t := time.NewTicker(s.o.Refresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.load(ctx, false); err != nil && ctx.Err() == nil {
				s.o.Log.Warn("page store: cannot read the epochs; serving what is known", "err", err)
			}
		}
	}
}

// listen applies epochs as the store announces them, listening again
// after a failure (the database restarted) with a growing pause, and
// reading every epoch each time it starts, for what it missed meanwhile.
func (s *Server) listen(ctx context.Context, l store.EpochListener) {
	pause := time.Second
	for {
		err := l.ListenPageEpochs(ctx, func() {
			pause = time.Second
			if err := s.load(ctx, false); err != nil && ctx.Err() == nil {
				s.o.Log.Warn("page store: cannot read the epochs; serving what is known", "err", err)
			}
		}, func(siteID, epoch int64) { s.told(ctx, siteID, epoch) })
		if ctx.Err() != nil {
			return
		}
		s.o.Log.Warn("page store: not told of publishes; reading epochs every "+s.o.Refresh.String()+" until listening again", "err", err, "retry_in", pause)
		select {
		case <-ctx.Done():
			return
		case <-time.After(pause):
		}
		pause = min(2*pause, 30*time.Second)
	}
}

// load reads every site's epoch and, when one changed (or force is set,
// or the sites were forgotten), every site's hosts. One load runs at a
// time, so a later one always installs what was read later; requests go
// on with what is installed meanwhile.
func (s *Server) load(ctx context.Context, force bool) error {
	s.loadMu.Lock()
	defer s.loadMu.Unlock()
	epochs, err := s.o.Store.Pages().PageEpochs(ctx)
	if err != nil {
		return err
	}
	s.mu.RLock()
	same := !force && s.hosts != nil && len(epochs) == len(s.epochs)
	for id, e := range epochs {
		same = same && s.epochs[id] == e
	}
	s.mu.RUnlock()
	if same {
		return nil
	}
	sites, err := s.o.Store.Sites(ctx)
	if err != nil {
		return err
	}
	hosts := map[string]int64{}
	others := map[int64]bool{}
	for _, site := range sites {
		for _, h := range site.Hosts {
			hosts[h] = site.ID
		}
		// Read after the epochs: a Prepare committed since is either seen
		// here or raised the epoch, which refuses what is kept under the
		// one read.
		if s.o.Fingerprint != "" {
			ours, err := Rendered(ctx, s.o.Store, site.ID, s.o.Fingerprint)
			if err != nil {
				return err
			}
			others[site.ID] = !ours
		}
	}
	s.mu.Lock()
	// An epoch told meanwhile (Invalidate) may be newer than what was
	// read: a site's epoch only goes up.
	for id, e := range epochs {
		if old := s.epochs[id]; old > e {
			epochs[id] = old
		}
	}
	s.hosts, s.epochs, s.others, s.loadedAt = hosts, epochs, others, s.o.Now()
	s.mu.Unlock()
	return nil
}

// Invalidate tells the server of a publish, made in this process or
// announced by the store (store.EpochListener): pages of the site kept
// under an older epoch are no longer served.
func (s *Server) Invalidate(siteID, epoch int64) {
	s.mu.Lock()
	if s.epochs == nil {
		s.epochs = map[int64]int64{}
	}
	if epoch > s.epochs[siteID] {
		s.epochs[siteID] = epoch
	}
	s.mu.Unlock()
}

// told applies an epoch another process announced, then reads the sites
// again: the change behind it may be to a site itself (site edit moves a
// host), which only the sites show. It runs in the listening goroutine,
// one notice after the other; requests keep the installed hosts meanwhile.
func (s *Server) told(ctx context.Context, siteID, epoch int64) {
	s.Invalidate(siteID, epoch)
	if err := s.load(ctx, true); err != nil && ctx.Err() == nil {
		s.o.Log.Warn("page store: cannot read the sites after a publish elsewhere; serving what is known", "err", err)
	}
}

// Forget makes the server read sites and epochs again at the next request,
// after a change to the sites themselves (hosts, languages).
func (s *Server) Forget() {
	s.mu.Lock()
	s.hosts = nil
	s.mu.Unlock()
}

// site returns the site answering on host and its epoch.
// site returns the site answering on host, its epoch, and whether its
// store is marked by another fingerprint than this process's.
func (s *Server) site(ctx context.Context, host string) (id, epoch int64, other, ok bool, err error) {
	s.mu.RLock()
	loaded := s.hosts != nil
	id, ok = s.hosts[host]
	epoch, other = s.epochs[id], s.others[id]
	s.mu.RUnlock()
	if loaded {
		return id, epoch, other, ok, nil
	}
	if err := s.load(ctx, false); err != nil {
		return 0, 0, false, false, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	id, ok = s.hosts[host]
	return id, s.epochs[id], s.others[id], ok, nil
}

// storable reports whether a request asks for a page the store keeps: GET
// or HEAD of a Storable address without a query.
func storable(r *http.Request) bool {
	return (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.RawQuery == "" && Storable(r.URL.Path)
}

// Storable reports whether the page store keeps the page at path: any
// address of a site other than the dynamic ones (search, the share form),
// the theme's files (kept in memory by the theme already) and stored
// files (images and documents, served from the database with ranges).
func Storable(path string) bool {
	if path == "/" || strings.HasPrefix(path, "/static/") || strings.HasPrefix(path, "/media/") || !strings.HasPrefix(path, "/") || strings.Contains(path, "//") || !web.TextPath(path) {
		return false
	}
	_, rest, _ := strings.Cut(path[1:], "/")
	return !strings.HasPrefix(rest, "search") && !strings.HasPrefix(rest, "share/")
}

// Keeps reports whether r asks for a page the server answers from the
// page store: GET or HEAD of a Storable address on a host other than the
// network's. Such an answer always has a known length and no streaming;
// serve answers these requests on its fast path.
func (s *Server) Keeps(r *http.Request) bool {
	return storable(r) && content.NormalizeHost(r.Host) != s.o.NetworkHost
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	host := content.NormalizeHost(r.Host)
	if !storable(r) || host == s.o.NetworkHost {
		s.o.Next.ServeHTTP(w, r)
		return
	}
	siteID, epoch, other, ok, err := s.site(r.Context(), host)
	if err != nil || !ok {
		// An unknown host, or a database away: the handler answers (and
		// says what went wrong).
		s.o.Next.ServeHTTP(w, r)
		return
	}
	if other {
		// Another build or setting marked the store (a newer process
		// started on this database): its pages are not this process's
		// to serve, and this process's are not to be kept under its
		// mark. Render, keep nothing.
		if _, logged := s.warned.LoadOrStore(siteID, true); !logged {
			s.o.Log.Warn("page store: marked by a process that renders pages otherwise (another build, theme, public address, network host or mail set-up); this one renders every page of the site and keeps none. Stop the older processes, or start them all alike", "site", siteID)
		}
		s.rendered.Add(1)
		s.o.Next.ServeHTTP(w, r)
		return
	}
	key := pageKey{siteID, r.URL.Path}
	if p, ok := s.mem.get(key, epoch); ok {
		s.fromMemory.Add(1)
		write(w, r, p)
		return
	}
	p, err := s.o.Store.Pages().Page(r.Context(), siteID, r.URL.Path)
	if err == nil {
		s.fromStore.Add(1)
		s.mem.put(key, epoch, p)
		write(w, r, p)
		return
	}
	if !errors.Is(err, content.ErrNotFound) {
		s.o.Log.Warn("page store: cannot read a page; rendering it", "path", r.URL.Path, "err", err)
	}
	s.rendered.Add(1)
	s.renderAndKeep(w, r, key, epoch)
}

// Stats counts the page requests answered from memory, from the page
// store in the database, and by rendering, since the server started, and
// what the memory holds.
type Stats struct {
	FromMemory, FromStore, Rendered uint64
	MemoryPages                     int
	MemoryBytes                     int64
}

// Stats reports how the server has answered.
func (s *Server) Stats() Stats {
	pages, bytes := s.mem.stats()
	return Stats{FromMemory: s.fromMemory.Load(), FromStore: s.fromStore.Load(), Rendered: s.rendered.Load(), MemoryPages: pages, MemoryBytes: bytes}
}

// renderAndKeep renders a page the store lacks through the site handler
// and, when it is a page (200, text), keeps it for the next reader; any
// other answer (a redirect, a 404, an error) goes out as it came.
func (s *Server) renderAndKeep(w http.ResponseWriter, r *http.Request, key pageKey, epoch int64) {
	rec := render(r.Context(), s.o.Next, r.Host, r.URL.Path)
	ct := rec.Head.Get("Content-Type")
	if rec.Status != http.StatusOK || !Compressible(ct) {
		copyTo(rec, w, r)
		return
	}
	p := NewPage(key.site, key.path, ct, rec.Body.Bytes(), s.o.Now())
	stored, err := s.o.Store.Pages().PutPageAt(r.Context(), p, epoch)
	if err != nil {
		s.o.Log.Warn("page store: cannot keep a page", "path", key.path, "err", err)
	}
	if stored {
		s.mem.put(key, epoch, p)
	}
	write(w, r, p)
}

func write(w http.ResponseWriter, r *http.Request, p store.StoredPage) {
	web.WriteStored(w, r, web.Stored{ContentType: p.ContentType, ETag: p.ETag, CacheControl: CacheControl,
		Body: p.Body, Gzip: p.Gzip, Brotli: p.Brotli})
}

// copyTo sends a recorded answer as it is.
func copyTo(rec *web.Recorder, w http.ResponseWriter, r *http.Request) {
	for k, v := range rec.Head {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Status)
	if r.Method != http.MethodHead {
		w.Write(rec.Body.Bytes())
	}
}

// render asks handler for a page as a plain GET, uncompressed and
// unconditional, on host.
func render(ctx context.Context, handler http.Handler, host, path string) *web.Recorder {
	req := web.PageRequest(ctx, host, path)
	req.RemoteAddr = "127.0.0.1:0"
	rec := web.NewRecorder()
	handler.ServeHTTP(rec, req)
	if rec.Status == 0 {
		rec.Status = http.StatusOK
	}
	return rec
}
