// Package admin is the back office at /admin: server-rendered HTML forms,
// without scripts, in English and Chinese, for the people who write,
// translate, review and publish a network's articles and run its sites.
//
// Every request that changes something carries a CSRF token tied to the
// session (or, before sign-in, to a cookie nonce) and passes net/http's
// cross-origin protection; every action is checked against the person's
// role on the site (account.Can) by the editorial service, whatever the
// form showed. A form refused for an expired session or a bad token keeps
// what was typed: the answer carries it, and the person continues from it
// once signed in again.
package admin

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/site"
	"chancery/internal/store"
)

//go:embed templates/*.html static/*
var files embed.FS

// Options configure the back office.
type Options struct {
	Store store.Store
	// Editorial carries out the actions on articles.
	Editorial *editorial.Service
	// Site renders previews with the public templates.
	Site *site.Handler
	Log  *slog.Logger
	// Secure marks cookies Secure: the back office is reached over TLS
	// (directly or through a proxy that terminates it).
	Secure bool
	// MaxUpload is the largest file accepted, in bytes; 0 means
	// DefaultMaxUpload.
	MaxUpload int64
	// Now tells the time; tests set it.
	Now func() time.Time
}

// Handler serves /admin/. It is safe for concurrent use.
type Handler struct {
	opt   Options
	mux   *http.ServeMux
	pages map[string]*template.Template
	// guard refuses state-changing requests from other origins.
	guard *http.CrossOriginProtection
	// gate makes one account's sign-in attempts one at a time.
	gate keyedMutex
}

// Session lifetimes: a session ends after Idle without a request, and
// after Absolute in any case; people who write at night sign in again
// the next day.
const (
	Idle     = 12 * time.Hour
	Absolute = 7 * 24 * time.Hour
	// SetupTTL is how long the first administrator's set-up address and
	// a password link stay valid.
	SetupTTL = 24 * time.Hour
)

// New builds the handler.
func New(o Options) (*Handler, error) {
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
	h := &Handler{opt: o, mux: http.NewServeMux(), pages: map[string]*template.Template{}, guard: http.NewCrossOriginProtection()}
	h.guard.SetDenyHandler(http.HandlerFunc(h.crossOrigin))
	layout, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, name := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(name, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(files, name)
		if err != nil {
			return nil, fmt.Errorf("admin template %s: %w", name, err)
		}
		h.pages[base] = t
	}
	h.routes()
	return h, nil
}

func (h *Handler) now() time.Time {
	if h.opt.Now != nil {
		return h.opt.Now()
	}
	return time.Now()
}

func (h *Handler) routes() {
	m := h.mux
	m.HandleFunc("GET /admin/static/admin.css", h.stylesheet)
	m.HandleFunc("GET /admin/{$}", h.signedIn(h.home))
	m.HandleFunc("GET /admin/setup/{token}", h.setupForm)
	m.HandleFunc("POST /admin/setup/{token}", h.setup)
	m.HandleFunc("GET /admin/sign-in", h.signInForm)
	m.HandleFunc("POST /admin/sign-in", h.signIn)
	m.HandleFunc("POST /admin/sign-out", h.signOut)
	m.HandleFunc("GET /admin/two-factor", h.twoFactorForm)
	m.HandleFunc("POST /admin/two-factor", h.twoFactor)
	m.HandleFunc("GET /admin/password/{token}", h.passwordLinkForm)
	m.HandleFunc("POST /admin/password/{token}", h.passwordLink)
	m.HandleFunc("GET /admin/account", h.signedIn(h.accountPage))
	m.HandleFunc("POST /admin/account/password", h.signedIn(h.changePassword))
	m.HandleFunc("POST /admin/account/sign-out-everywhere", h.signedIn(h.signOutEverywhere))
	m.HandleFunc("POST /admin/account/two-factor", h.signedIn(h.setTwoFactor))
	m.HandleFunc("POST /admin/resume", h.signedIn(h.resume))
	m.HandleFunc("GET /admin/preview/{token}", h.previewLink)

	m.HandleFunc("GET /admin/sites/{site}/{$}", h.onSite(h.articleList))
	m.HandleFunc("GET /admin/sites/{site}/articles/new", h.onSite(h.newArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/new", h.onSite(h.saveArticle))
	m.HandleFunc("GET /admin/sites/{site}/articles/{id}", h.onSite(h.editArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}", h.onSite(h.saveArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/publish", h.onSite(h.publishArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/withdraw", h.onSite(h.withdrawArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/unschedule", h.onSite(h.unscheduleArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/submit", h.onSite(h.submitArticle))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/preview-link", h.onSite(h.makePreviewLink))
	m.HandleFunc("GET /admin/sites/{site}/articles/{id}/revisions", h.onSite(h.revisions))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/restore", h.onSite(h.restore))
	m.HandleFunc("GET /admin/sites/{site}/articles/{id}/translate/{lang}", h.onSite(h.translateForm))
	m.HandleFunc("GET /admin/sites/{site}/audit", h.onSite(h.auditLog))
	m.HandleFunc("GET /admin/sites/{site}/people", h.onSite(h.people))
	m.HandleFunc("POST /admin/sites/{site}/people", h.onSite(h.setPerson))
	m.HandleFunc("GET /admin/sites/{site}/sections", h.onSite(h.sections))
	m.HandleFunc("POST /admin/sites/{site}/sections", h.onSite(h.saveSection))
	m.HandleFunc("GET /admin/sites/{site}/media", h.onSite(h.media))
	m.HandleFunc("POST /admin/sites/{site}/media", h.onSite(h.upload))
	m.HandleFunc("POST /admin/sites/{site}/media/{key}", h.onSite(h.saveMediaTexts))
	m.HandleFunc("POST /admin/sites/{site}/articles/{id}/attach", h.onSite(h.attach))
	m.HandleFunc("GET /admin/sites/{site}/settings", h.onSite(h.settingsForm))
	m.HandleFunc("POST /admin/sites/{site}/settings", h.onSite(h.saveSettings))
	m.HandleFunc("/admin/", h.notFound)
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	hd := w.Header()
	// Back-office pages are personal and change with every action.
	hd.Set("Cache-Control", "no-store")
	hd.Set("X-Robots-Tag", "noindex, nofollow")
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		h.mux.ServeHTTP(w, r)
		return
	}
	// A form may carry a whole article, an upload a file; anything bigger
	// is refused before it is read.
	limit := int64(maxForm)
	if strings.HasSuffix(r.URL.Path, "/media") {
		limit = h.maxUpload() + 1<<20
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	h.guard.Handler(h.mux).ServeHTTP(w, r)
}

// maxForm bounds a form's size: the longest article plus its fields.
const maxForm = 4 << 20

// page is what every template gets.
type page struct {
	Lang  string
	Title string
	// User is the person signed in; nil before sign-in.
	User *account.User
	CSRF string
	// Sites are the sites the person has a role on, for the menu.
	Sites []siteLink
	// Site is the site being worked on, and Role the person's role there.
	Site *content.Site
	Role account.Role
	// Flash is a message about what was just done; Problem about what
	// went wrong.
	Flash, Problem string
	Body           any
}

type siteLink struct {
	Key, Name string
	Current   bool
}

// T translates a phrase of the interface.
func (p page) T(s string) string { return translate(p.Lang, s) }

// Explain translates a problem shown next to a field, values and all.
func (p page) Explain(s string) string { return translateProblem(p.Lang, s) }

// Can reports whether the person may do an action on the current site.
func (p page) Can(a string) bool {
	return p.User != nil && p.Site != nil && !p.User.Disabled && account.Can(p.Role, account.Action(a))
}

var funcs = template.FuncMap{
	"siteName": func(s *content.Site, lang string) string { return s.Name(lang) },
	"dict":     dict,
	"inc":      func(i int) int { return i + 1 },
}

// render writes a page with its status.
func (h *Handler) render(w http.ResponseWriter, status int, name string, p page) {
	t, ok := h.pages[name]
	if !ok {
		h.opt.Log.Error("admin: no template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	var b strings.Builder
	if err := t.ExecuteTemplate(&b, "layout.html", p); err != nil {
		h.opt.Log.Error("admin: render", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	fmt.Fprint(w, b.String())
}

// fail answers an error that is not the person's doing.
func (h *Handler) fail(w http.ResponseWriter, r *http.Request, p page, err error) {
	switch {
	case errors.Is(err, content.ErrNotFound):
		p.Title, p.Problem = p.T("Not found"), p.T("There is nothing at this address, or it is not on this site.")
		h.render(w, http.StatusNotFound, "message", p)
	case errors.Is(err, editorial.ErrForbidden):
		p.Title, p.Problem = p.T("Not allowed"), strings.TrimPrefix(err.Error(), editorial.ErrForbidden.Error()+": ")
		h.render(w, http.StatusForbidden, "message", p)
	default:
		h.opt.Log.Error("admin", "path", r.URL.Path, "err", err)
		p.Title, p.Problem = p.T("Something went wrong"), p.T("The server could not do this. Nothing you saved before is lost; try again in a moment.")
		h.render(w, http.StatusInternalServerError, "message", p)
	}
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	if _, u, err := h.session(r); err == nil {
		p.Lang = u.Language
	}
	h.fail(w, r, p, content.ErrNotFound)
}

func (h *Handler) stylesheet(w http.ResponseWriter, r *http.Request) {
	b, err := files.ReadFile("static/admin.css")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=3600")
	w.Write(b)
}

// basePage is the page for a request before anything is known of who
// sends it: the language from the request.
func (h *Handler) basePage(r *http.Request) page {
	return page{Lang: requestLanguage(r)}
}

// requestLanguage picks the interface's language before sign-in: an
// explicit ?lang=, else the first of en and zh the browser names.
func requestLanguage(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		return l
	}
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag := strings.ToLower(strings.TrimSpace(strings.SplitN(part, ";", 2)[0]))
		switch {
		case strings.HasPrefix(tag, "zh"):
			return "zh"
		case strings.HasPrefix(tag, "en"):
			return "en"
		}
	}
	return "en"
}

// crossOrigin answers a state-changing request from another site.
func (h *Handler) crossOrigin(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	p.Title, p.Problem = p.T("Refused"), p.T("This form was sent from another site, so it was refused. If you sent it, open the back office at its own address and try again.")
	h.render(w, http.StatusForbidden, "message", p)
}

// clientAddress is the request's client, as web.FromProxies left it.
func clientAddress(r *http.Request) string { return clientHost(r.RemoteAddr) }

// csrfKey is the network's key for CSRF tokens, shared by every process.
func (h *Handler) csrfKey(ctx context.Context) ([]byte, error) {
	return h.opt.Store.Mail().Secret(ctx, "admin-csrf", auth.NewCSRFKey)
}
