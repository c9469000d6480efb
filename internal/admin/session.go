package admin

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/store"
)

// The cookies: the session's token, and a nonce that binds the forms
// shown before sign-in.
const (
	sessionCookie = "chancery_session"
	preCookie     = "chancery_pre"
)

// visit is a signed-in request: who, their session, and the page to fill.
type visit struct {
	user    account.User
	session store.Session
	roles   map[int64]account.Role
	page    page
}

func (v *visit) actor(r *http.Request) editorial.Actor {
	return editorial.Actor{User: v.user, Roles: v.roles, Address: clientAddress(r)}
}

func (h *Handler) setCookie(w http.ResponseWriter, name, value string, maxAge int) {
	path := "/admin/"
	if h.opt.Secure {
		path = "/" // what the __Host- prefix requires
	}
	http.SetCookie(w, &http.Cookie{Name: h.cookieName(name), Value: value, Path: path, MaxAge: maxAge,
		HttpOnly: true, Secure: h.opt.Secure, SameSite: http.SameSiteLaxMode})
}

// cookieName is a cookie's name as sent. Over TLS it has the __Host-
// prefix: browsers then take it only from this very host, never from a
// sibling (the sites are often subdomains of one another) setting it for
// the whole domain, so no one can plant a session or a form nonce.
func (h *Handler) cookieName(name string) string {
	if h.opt.Secure {
		return "__Host-" + name
	}
	return name
}

// cookie reads one of the back office's cookies.
func (h *Handler) cookie(r *http.Request, name string) (*http.Cookie, error) {
	return r.Cookie(h.cookieName(name))
}

// startSession signs a user in: a new session, its cookie, and the end of
// the pre-session nonce. It returns the session's hash, to which the
// forms of the answer are bound.
func (h *Handler) startSession(ctx context.Context, w http.ResponseWriter, r *http.Request, u account.User, verified bool) ([]byte, error) {
	secret, hash := auth.NewToken()
	now := h.now()
	s := store.Session{Hash: hash, UserID: u.ID, Verified: verified, CreatedAt: now, SeenAt: now,
		ExpiresAt: now.Add(Idle), Address: clientAddress(r), UserAgent: truncate(r.UserAgent(), 200)}
	if err := h.opt.Store.Accounts().CreateSession(ctx, s); err != nil {
		return nil, err
	}
	h.setCookie(w, sessionCookie, secret, int(Absolute/time.Second))
	h.setCookie(w, preCookie, "", -1)
	return hash, nil
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

// errSignedOut means the request has no valid session.
var errSignedOut = errors.New("signed out")

// session finds the request's session and its user: errSignedOut when
// there is none, it has ended, or the user is disabled.
func (h *Handler) session(r *http.Request) (store.Session, account.User, error) {
	c, err := h.cookie(r, sessionCookie)
	if err != nil || !auth.ValidTokenShape(c.Value) {
		return store.Session{}, account.User{}, errSignedOut
	}
	ctx := r.Context()
	s, err := h.opt.Store.Accounts().Session(ctx, auth.HashToken(c.Value))
	if errors.Is(err, content.ErrNotFound) {
		return store.Session{}, account.User{}, errSignedOut
	}
	if err != nil {
		return store.Session{}, account.User{}, err
	}
	now := h.now()
	if !now.Before(s.ExpiresAt) || now.Sub(s.CreatedAt) > Absolute {
		return store.Session{}, account.User{}, errSignedOut
	}
	u, err := h.opt.Store.Accounts().User(ctx, s.UserID)
	if errors.Is(err, content.ErrNotFound) || (err == nil && u.Disabled) {
		return store.Session{}, account.User{}, errSignedOut
	}
	if err != nil {
		return store.Session{}, account.User{}, err
	}
	// Extend an active session, at most once a minute, never past its
	// absolute end.
	if now.Sub(s.SeenAt) > time.Minute {
		s.SeenAt, s.ExpiresAt = now, now.Add(Idle)
		if end := s.CreatedAt.Add(Absolute); s.ExpiresAt.After(end) {
			s.ExpiresAt = end
		}
		err := h.opt.Store.Accounts().UpdateSession(ctx, s)
		if errors.Is(err, content.ErrNotFound) {
			return store.Session{}, account.User{}, errSignedOut // ended meanwhile elsewhere
		}
		if err != nil {
			return store.Session{}, account.User{}, err
		}
	}
	return s, u, nil
}

// signedIn wraps a handler for signed-in people: the session is checked,
// and for a POST the CSRF token. A request without a valid session, or a
// POST with a bad token, gets the sign-in form or a refusal that keeps
// what the form carried.
func (h *Handler) signedIn(next func(http.ResponseWriter, *http.Request, *visit)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, ok := h.visitOf(w, r)
		if !ok {
			return
		}
		next(w, r, v)
	}
}

func (h *Handler) visitOf(w http.ResponseWriter, r *http.Request) (*visit, bool) {
	s, u, err := h.session(r)
	if errors.Is(err, errSignedOut) {
		h.interrupted(w, r, nil)
		return nil, false
	}
	if err != nil {
		h.fail(w, r, h.basePage(r), err)
		return nil, false
	}
	if !s.Verified {
		http.Redirect(w, r, "/admin/two-factor", http.StatusSeeOther)
		return nil, false
	}
	key, err := h.csrfKey(r.Context())
	if err != nil {
		h.fail(w, r, h.basePage(r), err)
		return nil, false
	}
	v := &visit{user: u, session: s, page: page{Lang: u.Language, User: &u, CSRF: auth.CSRFToken(key, s.Hash)}}
	if l := r.URL.Query().Get("lang"); l == "en" || l == "zh" {
		v.page.Lang = l
	}
	if r.Method == http.MethodPost {
		err := r.ParseForm()
		if err == nil && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
			// An upload: up to a megabyte in memory, the rest in a
			// temporary file that ends with the request.
			err = r.ParseMultipartForm(1 << 20)
		}
		if err != nil {
			h.tooLarge(w, r, v.page, err)
			return nil, false
		}
		if !auth.CheckCSRF(key, s.Hash, r.PostFormValue("csrf")) {
			h.interrupted(w, r, v)
			return nil, false
		}
	}
	if v.roles, err = h.opt.Store.Accounts().Roles(r.Context(), u.ID); err != nil {
		h.fail(w, r, v.page, err)
		return nil, false
	}
	sites, err := h.opt.Store.Sites(r.Context())
	if err != nil {
		h.fail(w, r, v.page, err)
		return nil, false
	}
	for _, s := range sites {
		if u.NetworkAdmin || v.roles[s.ID] != "" {
			v.page.Sites = append(v.page.Sites, siteLink{Key: s.Key, Name: s.Name(v.page.Lang)})
		}
	}
	return v, true
}

func (h *Handler) tooLarge(w http.ResponseWriter, r *http.Request, p page, err error) {
	var tooBig *http.MaxBytesError
	p.Title = p.T("Too large")
	if errors.As(err, &tooBig) {
		p.Problem = fmt.Sprintf(p.T("What was sent was larger than the server accepts (%s). Nothing was saved; send something smaller."), store.HumanSize(tooBig.Limit))
		h.render(w, http.StatusRequestEntityTooLarge, "message", p)
		return
	}
	p.Problem = p.T("The form could not be read. Nothing was saved; go back and send it again.")
	h.render(w, http.StatusBadRequest, "message", p)
}

// onSite wraps a handler for the pages of one site: the person must hold
// a role on it (a network administrator holds every site), and, where the
// site requires it, sign in with a second factor.
func (h *Handler) onSite(next func(http.ResponseWriter, *http.Request, *visit)) http.HandlerFunc {
	return h.signedIn(func(w http.ResponseWriter, r *http.Request, v *visit) {
		s, err := h.opt.Store.SiteByKey(r.Context(), r.PathValue("site"))
		if errors.Is(err, content.ErrNotFound) {
			h.fail(w, r, v.page, err)
			return
		}
		if err != nil {
			h.fail(w, r, v.page, err)
			return
		}
		role := v.roles[s.ID]
		if v.user.NetworkAdmin {
			role = account.RoleAdmin
		}
		if role == "" {
			// Another site's pages look the same as pages that do not
			// exist: nothing about it is told.
			h.fail(w, r, v.page, content.ErrNotFound)
			return
		}
		if s.RequireTwoFactor && !v.user.TwoFactor() {
			v.page.Title, v.page.Problem = v.page.T("Two-factor sign-in required"),
				v.page.T("This site's administrators require two-factor sign-in. Set it up on your account page, then come back.")
			h.render(w, http.StatusForbidden, "message", v.page)
			return
		}
		if !v.user.NetworkAdmin {
			// The actor's roles for this request: the site's only, so no
			// action reaches another site whatever the form names.
			v.roles = map[int64]account.Role{s.ID: role}
		}
		v.page.Site, v.page.Role = &s, role
		for i := range v.page.Sites {
			v.page.Sites[i].Current = v.page.Sites[i].Key == s.Key
		}
		next(w, r, v)
	})
}

// resumed is a form that could not be accepted (signed out, or a bad
// token), carried through the sign-in form so nothing typed is lost.
type resumed struct {
	Path   string     `json:"path"`
	Values url.Values `json:"values"`
}

// secretFields are never carried in a resumed form: they would be written
// into the page that carries it. Passwords and codes are typed again.
var secretFields = map[string]bool{
	"csrf": true, "resume": true, "password": true, "password2": true, "current": true, "current_tf": true,
	"current_codes": true, "off": true, "code": true, "secret": true,
}

func encodeResume(r *http.Request) string {
	if r.Method != http.MethodPost || r.PostForm == nil {
		return ""
	}
	vals := url.Values{}
	for k, v := range r.PostForm {
		if !secretFields[k] {
			vals[k] = v
		}
	}
	if len(vals) == 0 {
		return ""
	}
	b, _ := json.Marshal(resumed{Path: r.URL.Path, Values: vals})
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeResume(s string) (resumed, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return resumed{}, false
	}
	var res resumed
	if json.Unmarshal(b, &res) != nil || len(res.Path) < len("/admin/") || res.Path[:7] != "/admin/" {
		return resumed{}, false
	}
	return res, true
}

// interrupted answers a request whose session has ended (v nil) or whose
// CSRF token is wrong: a GET goes to the sign-in form and comes back
// after; a POST's fields are kept in the answer, so that after signing in
// (or at once, for a bad token) the person continues from what they
// typed.
func (h *Handler) interrupted(w http.ResponseWriter, r *http.Request, v *visit) {
	if r.Method == http.MethodPost && r.PostForm == nil {
		r.ParseForm() // a form that cannot be read carries nothing to keep
	}
	res := encodeResume(r)
	if v == nil {
		p := h.basePage(r)
		next := ""
		if r.Method == http.MethodGet {
			next = r.URL.RequestURI()
		}
		if res != "" {
			p.Problem = p.T("You were signed out, so what you sent was not saved. It is kept: sign in, and you will continue where you were.")
		}
		h.showSignIn(w, r, p, signInView{Next: next, Resume: res}, http.StatusUnauthorized)
		return
	}
	p := v.page
	p.Title = p.T("Form expired")
	p.Problem = p.T("This form's security token was missing or wrong (it may be older than your current sign-in), so nothing was saved. What you typed is kept: continue, and check it before saving.")
	p.Body = resumeView{Resume: res}
	h.render(w, http.StatusForbidden, "resume", p)
}

type resumeView struct{ Resume string }

// resume continues an interrupted form: it shows the form again with the
// values it carried, for the person to check and send.
func (h *Handler) resume(w http.ResponseWriter, r *http.Request, v *visit) {
	res, ok := decodeResume(r.PostFormValue("resume"))
	if !ok {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	u, err := url.Parse(res.Path)
	if err != nil {
		http.Redirect(w, r, "/admin/", http.StatusSeeOther)
		return
	}
	// The page that holds the form is shown with what was typed in it,
	// for the person to check and send again.
	target := u.Path
	if !editorPath.MatchString(target) {
		target = pageOf(target)
	}
	req := r.Clone(context.WithValue(r.Context(), resumeKey{}, res))
	req.Method = http.MethodGet
	req.URL = &url.URL{Path: target}
	req.Form, req.PostForm = url.Values{}, url.Values{}
	h.mux.ServeHTTP(w, req)
}

// editorPath is the address of the article editor's form.
var editorPath = regexp.MustCompile(`^/admin/sites/[^/]+/articles/(new|[0-9]+)$`)

// actionPath is the address of a form on an article's page or of a file's
// texts, and the page it is on.
var actionPath = regexp.MustCompile(`^(/admin/sites/[^/]+/(articles/[0-9]+|media))/[^/]+$|^(/admin/account)/[^/]+$`)

// pageOf is the page that holds the form posted to path.
func pageOf(path string) string {
	if m := actionPath.FindStringSubmatch(path); m != nil {
		return m[1] + m[3]
	}
	return path
}

// resumeKey marks a request that shows a resumed form's values.
type resumeKey struct{}

// resumedForm is the form a request shows again, with the address it was
// posted to.
func resumedForm(r *http.Request) (resumed, bool) {
	res, ok := r.Context().Value(resumeKey{}).(resumed)
	return res, ok
}

// resumedValues are the values of a resumed form posted to the request's
// own address (the editor's).
func resumedValues(r *http.Request) (url.Values, bool) {
	res, ok := resumedForm(r)
	if !ok || res.Path != r.URL.Path {
		return nil, false
	}
	return res.Values, true
}

// resumedAction is the values of a resumed form of a page's action
// (publish, withdraw…), with the action's name.
func resumedAction(r *http.Request) (string, url.Values, bool) {
	res, ok := resumedForm(r)
	if !ok || res.Path == r.URL.Path || !strings.HasPrefix(res.Path, r.URL.Path+"/") {
		return "", nil, false
	}
	return strings.TrimPrefix(res.Path, r.URL.Path+"/"), res.Values, true
}

// clientHost strips the port from an address.
func clientHost(addr string) string {
	if host, _, err := net.SplitHostPort(addr); err == nil {
		return host
	}
	return addr
}

func formInt(r *http.Request, name string) int64 {
	n, _ := strconv.ParseInt(r.FormValue(name), 10, 64)
	return n
}

// hashOf is the stored hash of a token from a path; nil, which matches
// nothing, for anything that is not shaped like a token.
func hashOf(secret string) []byte {
	if !auth.ValidTokenShape(secret) {
		return nil
	}
	return auth.HashToken(secret)
}
