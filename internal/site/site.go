// Package site serves the public websites of a network: each site on its
// own host names, in each of its languages, and an index of all sites on
// the network's own host. Pages need no JavaScript: one small script
// only adds a print button.
package site

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/theme"
	"chancery/internal/web"
)

// PageSize is how many entries a section listing shows per page.
const PageSize = 20

// Options configure a Handler.
type Options struct {
	Store store.Store
	Theme *theme.Theme
	// NetworkHost is the host name that shows the index of the network's
	// sites. Optional. Default is "localhost".
	NetworkHost string
	// Now tells the time; tests set it. Optional. Default is time.Now.
	Now func() time.Time
	// Log receives one line per failed request. Optional.
	Log *slog.Logger
	// SearchLimit limits searches per client address. Optional: nil
	// means no limit.
	SearchLimit *web.Limiter
	// Share configures "suggest to a friend" by e-mail. Optional: the
	// zero value offers readers a mailto: link.
	Share ShareOptions
	// Public is how readers reach the sites, for the absolute addresses
	// in pages, feeds, sitemaps and mail. Optional: the zero value takes
	// them from each request, which is right only when nothing stands
	// between readers and this server.
	Public PublicOrigin
}

// PublicOrigin is the scheme and port of the sites' public addresses.
type PublicOrigin struct {
	// Scheme is "http" or "https".
	Scheme string
	// Port is left out of addresses when it is the scheme's own (80, 443)
	// or 0.
	Port int
}

// Handler serves every public page of the network. It is safe for
// concurrent use.
type Handler struct {
	store       store.Store
	theme       *theme.Theme
	networkHost string
	now         func() time.Time
	log         *slog.Logger
	searchLimit *web.Limiter
	share       ShareOptions
	shareKey    formKey
	public      PublicOrigin

	// The last check of the database (databaseAway), kept a second so
	// that an outage's failed requests do not each wait for a ping.
	awayMu sync.Mutex
	awayAt time.Time
	away   bool
}

// New returns a Handler.
func New(o Options) *Handler {
	h := &Handler{store: o.Store, theme: o.Theme, networkHost: content.NormalizeHost(o.NetworkHost), now: o.Now, log: o.Log, searchLimit: o.SearchLimit, share: o.Share, public: o.Public}
	h.share.defaults()
	if h.networkHost == "" {
		h.networkHost = "localhost"
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h
}

// ServeHTTP routes by host name, then by path.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost && isSharePath(r.URL.Path) {
		// The share form is the one address that takes a post.
	} else if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "This address can only be read (GET or HEAD).", http.StatusMethodNotAllowed)
		return
	}
	if name, ok := strings.CutPrefix(r.URL.Path, "/static/"); ok {
		h.serveAsset(w, r, name)
		return
	}
	host := content.NormalizeHost(r.Host)
	var err error
	if r.URL.Path == "/robots.txt" {
		var s *content.Site
		if host != h.networkHost {
			found, err := h.store.SiteByHost(r.Context(), host)
			if err != nil && !errors.Is(err, content.ErrNotFound) {
				h.fail(w, r, err)
				return
			}
			if err == nil {
				s = &found
			}
		}
		h.robots(w, r, s)
		return
	}
	if host == h.networkHost {
		err = h.serveNetwork(w, r)
	} else {
		var s content.Site
		s, err = h.store.SiteByHost(r.Context(), host)
		if errors.Is(err, content.ErrNotFound) {
			err = h.serveUnknownHost(w, r)
		} else if err == nil {
			err = h.serveSite(w, r, s)
		}
	}
	if err != nil {
		h.fail(w, r, err)
	}
}

// fail answers a request whose handler returned an error: a plain page
// with a reference the log line repeats, never the error's text. When the
// database does not answer at all (it is restarting, the network to it is
// down), that is a 503 with Retry-After, which tells caches and crawlers
// to come back rather than that the page is broken.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, err error) {
	id := web.RequestID(r.Context())
	w.Header().Set("Cache-Control", "no-store")
	if r.Context().Err() == nil && h.databaseAway(r.Context()) {
		h.log.Error("request failed: the database is unreachable", "request_id", id, "host", r.Host, "path", r.URL.Path, "err", err)
		w.Header().Set("Retry-After", "30")
		http.Error(w, "This page cannot be read from the database at the moment. Please try again in a minute. Reference: "+id, http.StatusServiceUnavailable)
		return
	}
	h.log.Error("request failed", "request_id", id, "host", r.Host, "path", r.URL.Path, "err", err)
	http.Error(w, "Something went wrong on our side. Please try again in a moment. Reference: "+id, http.StatusInternalServerError)
}

// databaseAway reports whether the store fails to answer a ping within
// two seconds, asking it at most once a second.
func (h *Handler) databaseAway(ctx context.Context) bool {
	h.awayMu.Lock()
	defer h.awayMu.Unlock()
	if time.Since(h.awayAt) < time.Second {
		return h.away
	}
	// Not the request's context: a reader who leaves must not make the
	// database look away to the others.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	h.away, h.awayAt = h.store.Ping(ctx) != nil, time.Now()
	return h.away
}

func (h *Handler) serveAsset(w http.ResponseWriter, r *http.Request, name string) {
	a, ok := h.theme.Asset(name)
	if !ok {
		http.NotFound(w, r)
		return
	}
	web.Write(w, r, web.Page{ContentType: a.ContentType, Body: a.Body, CacheControl: "public, max-age=31536000, immutable"})
}

// render writes a page of the theme with the cache policy of public pages.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p page) error {
	cache := "public, max-age=60"
	if status != http.StatusOK {
		cache = "no-cache"
	}
	return h.renderWith(w, r, status, name, p, cache)
}

// renderWith writes a page of the theme with the given Cache-Control.
func (h *Handler) renderWith(w http.ResponseWriter, r *http.Request, status int, name string, p page, cache string) error {
	if p.OG == nil && p.Canonical != "" {
		p.OG = &openGraph{Type: "website", Title: p.Title, Description: p.Description, URL: p.Canonical, SiteName: p.SiteName, Locale: ogLocales[p.Lang]}
	}
	body, err := h.theme.RenderBytes(name, p)
	if err != nil {
		return err
	}
	web.Write(w, r, web.Page{Status: status, ContentType: "text/html; charset=utf-8", Body: body, CacheControl: cache})
	return nil
}

// negotiate picks the best of langs for the request's Accept-Language,
// falling back to fallback. The answer then depends on that header, which
// it adds to the answer's Vary for caches.
func negotiate(w http.ResponseWriter, r *http.Request, langs []string, fallback string) string {
	w.Header().Add("Vary", "Accept-Language")
	if len(langs) == 0 {
		return fallback
	}
	tags := make([]language.Tag, 0, len(langs)+1)
	tags = append(tags, language.Make(fallback))
	for _, l := range langs {
		tags = append(tags, language.Make(l))
	}
	prefs, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(prefs) == 0 {
		return fallback
	}
	_, i, conf := language.NewMatcher(tags).Match(prefs...)
	if conf == language.No || i == 0 {
		return fallback
	}
	return langs[i-1]
}

// origin is the scheme and host:port readers use to reach a host: the
// configured public scheme and port, or, when none is configured, those
// of the request itself.
// SiteURL is the absolute address of a path on a site, as readers reach
// it: the back office links to public pages with it, whatever host name
// it is itself reached on.
func (h *Handler) SiteURL(r *http.Request, s content.Site, path string) string {
	if len(s.Hosts) == 0 {
		return path
	}
	return h.origin(r, s.Hosts[0]) + path
}

func (h *Handler) origin(r *http.Request, host string) string {
	if h.public.Scheme != "" {
		if p := h.public.Port; p != 0 && !(h.public.Scheme == "http" && p == 80) && !(h.public.Scheme == "https" && p == 443) {
			host = net.JoinHostPort(host, strconv.Itoa(p))
		}
		return h.public.Scheme + "://" + host
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	if _, port, err := net.SplitHostPort(r.Host); err == nil && port != "" && port != "80" && port != "443" {
		host = net.JoinHostPort(host, port)
	}
	return scheme + "://" + host
}

// siteEntries lists the network's sites for the index and the unknown-host
// page, each name linking to that language's home.
func (h *Handler) siteEntries(r *http.Request) ([]siteEntry, error) {
	sites, err := h.store.Sites(r.Context())
	if err != nil {
		return nil, err
	}
	entries := make([]siteEntry, 0, len(sites))
	for _, s := range sites {
		if len(s.Hosts) == 0 {
			continue
		}
		o := h.origin(r, s.Hosts[0])
		e := siteEntry{Host: s.Hosts[0]}
		for _, l := range s.Languages {
			e.Names = append(e.Names, siteName{Lang: l, Dir: content.Direction(l), Name: s.Names[l], URL: o + "/" + l + "/"})
		}
		entries = append(entries, e)
	}
	return entries, nil
}

var labelLanguages = []string{"en", "zh"}

func (h *Handler) serveNetwork(w http.ResponseWriter, r *http.Request) error {
	lang := negotiate(w, r, labelLanguages, "en")
	L := labelsFor(lang)
	entries, err := h.siteEntries(r)
	if err != nil {
		return err
	}
	p := page{Lang: lang, Dir: content.Direction(lang), L: L, SiteName: L.Network, HomeURL: "/"}
	if r.URL.Path != "/" {
		p.Title = L.NotFound + " – " + L.Network
		p.Body = notFoundView{Heading: L.NotFound, Message: L.NotFoundText, Home: &link{Name: L.Network, URL: "/"}, Sites: entries}
		return h.render(w, r, http.StatusNotFound, "notfound", p)
	}
	p.Title = L.Network
	p.Canonical = h.origin(r, h.networkHost) + "/"
	p.Body = indexView{Heading: L.Network, Intro: L.NetworkIntro, Sites: entries}
	return h.render(w, r, http.StatusOK, "index", p)
}

func (h *Handler) serveUnknownHost(w http.ResponseWriter, r *http.Request) error {
	lang := negotiate(w, r, labelLanguages, "en")
	L := labelsFor(lang)
	entries, err := h.siteEntries(r)
	if err != nil {
		return err
	}
	p := page{Lang: lang, Dir: content.Direction(lang), L: L, Title: L.NoSite, SiteName: L.Network,
		HomeURL: h.origin(r, h.networkHost) + "/",
		Body:    notFoundView{Heading: L.NoSite, Message: L.NoSiteText, Sites: entries}}
	return h.render(w, r, http.StatusNotFound, "notfound", p)
}

// formatDate and formatTime show times as the reference page does, in the
// site's zone.
func formatDate(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02") }
func formatTime(t time.Time, loc *time.Location) string { return t.In(loc).Format("2006-01-02 15:04") }

// maxPage is the highest page number taken: far beyond any listing or
// search, and low enough that a page's offset cannot overflow.
const maxPage = 1_000_000

func pageNumber(s string) (int, bool) {
	var n int
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n < 1 || n > maxPage || fmt.Sprint(n) != s {
		return 0, false
	}
	return n, true
}
