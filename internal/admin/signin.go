package admin

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/content"
	"chancery/internal/store"
)

// SetupAddress makes the one-time path at which the first administrator
// chooses an e-mail address and a password, when the network has no user
// yet; it returns "" when it has one. Each call makes a new token, valid
// for SetupTTL or until used; serve prints the address at start.
func SetupAddress(ctx context.Context, st store.Store, now time.Time) (string, error) {
	q := st.Accounts()
	n, err := q.CountUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	secret, hash := auth.NewToken()
	if err := q.CreateToken(ctx, store.Token{Hash: hash, Purpose: store.TokenSetup, CreatedAt: now, ExpiresAt: now.Add(SetupTTL)}); err != nil {
		return "", err
	}
	return "/admin/setup/" + secret, nil
}

// Tidy removes what no longer counts: ended sessions, used-up tokens, and
// sign-in failures older than the throttle's window. Serve runs it every
// hour.
func Tidy(ctx context.Context, st store.Store, now time.Time) error {
	if err := st.Accounts().DeleteExpired(ctx, now); err != nil {
		return err
	}
	return st.Accounts().ForgetSignInFailures(ctx, now.Add(-auth.Window))
}

// PasswordAddress makes the one-time path at which a user chooses a new
// password, valid for SetupTTL; earlier ones of the user stop working.
func PasswordAddress(ctx context.Context, q store.Queries, userID int64, now time.Time) (string, error) {
	if err := q.Accounts().DeleteTokens(ctx, store.TokenPassword, userID, 0); err != nil {
		return "", err
	}
	secret, hash := auth.NewToken()
	if err := q.Accounts().CreateToken(ctx, store.Token{Hash: hash, Purpose: store.TokenPassword, UserID: userID, CreatedAt: now, ExpiresAt: now.Add(SetupTTL)}); err != nil {
		return "", err
	}
	return "/admin/password/" + secret, nil
}

// formView carries a form's values and the problem with each field.
type formView struct {
	Values map[string]string
	Errors map[string]string
}

func newForm() formView { return formView{Values: map[string]string{}, Errors: map[string]string{}} }

func (f formView) bad() bool { return len(f.Errors) > 0 }

// anonymous prepares a form shown before sign-in: a pre-session nonce in
// a cookie and the CSRF token bound to it.
func (h *Handler) anonymous(w http.ResponseWriter, r *http.Request, p *page) error {
	nonce := ""
	if c, err := h.cookie(r, preCookie); err == nil && auth.ValidTokenShape(c.Value) {
		nonce = c.Value
	} else {
		nonce, _ = auth.NewToken()
		h.setCookie(w, preCookie, nonce, int(SetupTTL/time.Second))
	}
	key, err := h.csrfKey(r.Context())
	if err != nil {
		return err
	}
	p.CSRF = auth.CSRFTokenAnonymous(key, nonce)
	return nil
}

// checkAnonymous checks a form posted before sign-in.
func (h *Handler) checkAnonymous(r *http.Request) (bool, error) {
	c, err := h.cookie(r, preCookie)
	if err != nil {
		return false, nil
	}
	key, err := h.csrfKey(r.Context())
	if err != nil {
		return false, err
	}
	return auth.CheckCSRFAnonymous(key, c.Value, r.PostFormValue("csrf")), nil
}

// refuseAnonymous answers a pre-sign-in form with a bad token: the same
// form again, with a fresh token and what was typed (passwords aside).
func (h *Handler) parseAnonymous(w http.ResponseWriter, r *http.Request, p *page) bool {
	if err := r.ParseForm(); err != nil {
		h.tooLarge(w, r, *p, err)
		return false
	}
	ok, err := h.checkAnonymous(r)
	if err != nil {
		h.fail(w, r, *p, err)
		return false
	}
	if !ok {
		p.Problem = p.T("This form had expired or did not come from this site, so it was not accepted. Check it and send it again.")
	}
	return ok
}

// setupForm shows the first administrator's form.
func (h *Handler) setupForm(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	if !h.setupValid(w, r, &p) {
		return
	}
	h.showSetup(w, r, p, newForm(), http.StatusOK)
}

func (h *Handler) setupValid(w http.ResponseWriter, r *http.Request, p *page) bool {
	secret := r.PathValue("token")
	_, err := h.opt.Store.Accounts().Token(r.Context(), store.TokenSetup, auth.HashToken(secret), h.now())
	if errors.Is(err, content.ErrNotFound) || !auth.ValidTokenShape(secret) {
		p.Title, p.Problem = p.T("Set-up address not valid"), p.T("This set-up address has been used or is more than 24 hours old. Restart chancery serve on a database without users to print a new one, or ask an administrator to add you with chancery user add.")
		h.render(w, http.StatusNotFound, "message", *p)
		return false
	}
	if err != nil {
		h.fail(w, r, *p, err)
		return false
	}
	return true
}

func (h *Handler) showSetup(w http.ResponseWriter, r *http.Request, p page, f formView, status int) {
	if err := h.anonymous(w, r, &p); err != nil {
		h.fail(w, r, p, err)
		return
	}
	p.Title, p.Body = p.T("Set up the first administrator"), f
	h.render(w, status, "setup", p)
}

// setup creates the first administrator and signs them in.
func (h *Handler) setup(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	if !h.setupValid(w, r, &p) {
		return
	}
	f := newForm()
	if !h.parseAnonymous(w, r, &p) {
		f.Values["email"], f.Values["name"] = r.PostFormValue("email"), r.PostFormValue("name")
		h.showSetup(w, r, p, f, http.StatusForbidden)
		return
	}
	u, ok := h.newUserFromForm(r, &f, p)
	if !ok {
		h.showSetup(w, r, p, f, http.StatusUnprocessableEntity)
		return
	}
	u.NetworkAdmin = true
	u.Language = p.Lang
	ctx := r.Context()
	err := h.opt.Store.InTx(ctx, func(q store.Queries) error {
		if _, err := q.Accounts().UseToken(ctx, store.TokenSetup, auth.HashToken(r.PathValue("token")), h.now()); err != nil {
			return err
		}
		if n, err := q.Accounts().CountUsers(ctx); err != nil || n > 0 {
			if err == nil {
				err = fmt.Errorf("the first administrator exists already: %w", content.ErrNotFound)
			}
			return err
		}
		created, err := q.Accounts().CreateUser(ctx, u)
		if err != nil {
			return err
		}
		u = created
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: u.ID, Email: u.Email, Action: "setup", Detail: "first administrator", Address: clientAddress(r)})
	})
	if errors.Is(err, content.ErrNotFound) {
		p.Title, p.Problem = p.T("Set-up address not valid"), p.T("This set-up address has just been used. Sign in instead.")
		h.render(w, http.StatusConflict, "message", p)
		return
	}
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if _, err := h.startSession(ctx, w, r, u, true); err != nil {
		h.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/admin/", http.StatusSeeOther)
}

// newUserFromForm reads an e-mail address, a name and a password twice.
func (h *Handler) newUserFromForm(r *http.Request, f *formView, p page) (account.User, bool) {
	u := account.User{Email: r.PostFormValue("email"), Name: r.PostFormValue("name")}
	f.Values["email"], f.Values["name"] = u.Email, u.Name
	if _, err := account.NormalizeEmail(u.Email); err != nil {
		f.Errors["email"] = emailProblem(p, u.Email)
	} else if err := u.Normalize(); err != nil {
		f.Errors["name"] = p.T(strings.TrimPrefix(err.Error(), account.ErrInvalid.Error()+": "))
	}
	hash, ok := h.newPassword(r, p, f, u.Email)
	if !ok || f.bad() {
		return u, false
	}
	u.PasswordHash = hash
	return u, true
}

// newPassword checks and hashes the password fields of a form, with its
// problems in the page's language.
func (h *Handler) newPassword(r *http.Request, p page, f *formView, email string) (string, bool) {
	pw, again := r.PostFormValue("password"), r.PostFormValue("password2")
	if err := account.CheckPassword(pw, email); err != nil {
		f.Errors["password"] = p.T(err.Error())
		return "", false
	}
	if pw != again {
		f.Errors["password2"] = p.T("the two passwords differ: type the same one twice")
		return "", false
	}
	hash, err := auth.HashPassword(r.Context(), pw)
	if err != nil {
		f.Errors["password"] = p.T("the server is busy: send the form again in a moment")
		return "", false
	}
	return hash, true
}

type signInView struct {
	formView
	// Next is where to go after signing in; Resume a form to continue.
	Next, Resume string
}

func (h *Handler) showSignIn(w http.ResponseWriter, r *http.Request, p page, v signInView, status int) {
	if err := h.anonymous(w, r, &p); err != nil {
		h.fail(w, r, p, err)
		return
	}
	if v.Values == nil {
		v.formView = newForm()
	}
	p.Title, p.Body = p.T("Sign in"), v
	h.render(w, status, "signin", p)
}

func (h *Handler) signInForm(w http.ResponseWriter, r *http.Request) {
	if s, _, err := h.session(r); err == nil {
		if s.Verified {
			http.Redirect(w, r, "/admin/", http.StatusSeeOther)
			return
		}
		// A sign-in left at the second factor starts again.
		if err := h.opt.Store.Accounts().DeleteSession(r.Context(), s.Hash); err != nil {
			h.fail(w, r, h.basePage(r), err)
			return
		}
		h.setCookie(w, sessionCookie, "", -1)
	}
	h.showSignIn(w, r, h.basePage(r), signInView{Next: r.URL.Query().Get("next")}, http.StatusOK)
}

// safeNext keeps only back-office paths as places to go after sign-in.
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin/") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/admin/"
}

// signIn checks an e-mail address and password, within the throttle.
func (h *Handler) signIn(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	v := signInView{formView: newForm(), Next: r.PostFormValue("next"), Resume: r.PostFormValue("resume")}
	if !h.parseAnonymous(w, r, &p) {
		v.Values["email"] = r.PostFormValue("email")
		h.showSignIn(w, r, p, v, http.StatusForbidden)
		return
	}
	v.Next, v.Resume = r.PostFormValue("next"), r.PostFormValue("resume")
	ctx := r.Context()
	email, _ := account.NormalizeEmail(r.PostFormValue("email"))
	v.Values["email"] = r.PostFormValue("email")
	password := r.PostFormValue("password")
	u, err := h.opt.Store.Accounts().UserByEmail(ctx, email)
	if err != nil && !errors.Is(err, content.ErrNotFound) {
		h.fail(w, r, p, err)
		return
	}
	ok, wait, err := h.attempt(ctx, r, email, u.ID, "password", func() (bool, error) {
		if u.ID == 0 || email == "" || u.Disabled || u.PasswordHash == "" {
			return false, auth.DummyVerify(ctx, password) // the same time as a real check
		}
		ok, rehash, err := auth.VerifyPassword(ctx, u.PasswordHash, password)
		if err != nil || !ok {
			return false, err
		}
		if rehash {
			if hash, err := auth.HashPassword(ctx, password); err == nil {
				_, err = h.editUser(ctx, u.ID, func(_ store.Queries, fresh *account.User) error {
					fresh.PasswordHash = hash
					return nil
				})
				if err != nil {
					h.opt.Log.Warn("admin: store a rehashed password", "err", err)
				}
			}
		}
		return true, nil
	})
	switch {
	case err != nil:
		h.fail(w, r, p, err)
		return
	case wait > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		p.Problem = fmt.Sprintf(p.T("Too many failed sign-ins from this address or for this account. Try again in %s."), roundWait(wait))
		h.showSignIn(w, r, p, v, http.StatusTooManyRequests)
		return
	case !ok:
		p.Problem = p.T("The e-mail address or the password is wrong.")
		h.showSignIn(w, r, p, v, http.StatusUnauthorized)
		return
	}
	hash, err := h.startSession(ctx, w, r, u, !u.TwoFactor())
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if u.TwoFactor() {
		h.showTwoFactor(w, r, page{Lang: u.Language}, hash, twoFactorView{formView: newForm(), Next: v.Next, Resume: v.Resume}, http.StatusOK)
		return
	}
	h.signedInNow(w, r, u, hash, "password", v.Next, v.Resume)
}

// signedInNow finishes a sign-in to the session whose hash is given: the
// account's failures are forgotten, the audit log records it, and the
// person goes on, to a resumed form when one was carried.
func (h *Handler) signedInNow(w http.ResponseWriter, r *http.Request, u account.User, session []byte, how, next, resume string) {
	ctx := r.Context()
	if err := h.opt.Store.Accounts().ClearSignInFailures(ctx, "user:"+u.Email); err != nil {
		h.opt.Log.Error("admin: clear sign-in failures", "err", err)
	}
	if err := h.opt.Store.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: u.ID, Email: u.Email, Action: "sign-in", Detail: how, Address: clientAddress(r)}); err != nil {
		h.opt.Log.Error("admin: audit sign-in", "err", err)
	}
	if _, ok := decodeResume(resume); !ok {
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
		return
	}
	key, err := h.csrfKey(ctx)
	if err != nil {
		h.fail(w, r, page{Lang: u.Language}, err)
		return
	}
	p := page{Lang: u.Language, User: &u, CSRF: auth.CSRFToken(key, session)}
	p.Title, p.Flash, p.Body = p.T("Signed in"), p.T("You are signed in again. What you had sent is kept: continue to check it and save it."), resumeView{Resume: resume}
	h.render(w, http.StatusOK, "resume", p)
}

func roundWait(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", int(math.Ceil(d.Seconds())))
	}
	return fmt.Sprintf("%d min", int(math.Ceil(d.Minutes())))
}

// throttled returns how long the next attempt must still wait.
func (h *Handler) throttled(ctx context.Context, keys ...string) (time.Duration, error) {
	now := h.now()
	var wait time.Duration
	for i, key := range keys {
		n, last, err := h.opt.Store.Accounts().SignInFailures(ctx, key, now.Add(-auth.Window))
		if err != nil {
			return 0, err
		}
		delay := auth.AccountDelay(n)
		if i > 0 {
			delay = auth.AddressDelay(n)
		}
		if left := last.Add(delay).Sub(now); n > 0 && left > wait {
			wait = left
		}
	}
	return wait, nil
}

type twoFactorView struct {
	formView
	Next, Resume string
}

func (h *Handler) showTwoFactor(w http.ResponseWriter, r *http.Request, p page, session []byte, v twoFactorView, status int) {
	key, err := h.csrfKey(r.Context())
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	p.CSRF = auth.CSRFToken(key, session)
	p.Title, p.Body = p.T("Two-factor sign-in"), v
	h.render(w, status, "twofactor", p)
}

// pendingSession is a session between the password and the second factor.
func (h *Handler) pendingSession(r *http.Request) (store.Session, account.User, bool) {
	c, err := h.cookie(r, sessionCookie)
	if err != nil || !auth.ValidTokenShape(c.Value) {
		return store.Session{}, account.User{}, false
	}
	s, err := h.opt.Store.Accounts().Session(r.Context(), auth.HashToken(c.Value))
	if err != nil || s.Verified || !h.now().Before(s.ExpiresAt) || h.now().Sub(s.CreatedAt) > 10*time.Minute {
		return store.Session{}, account.User{}, false
	}
	u, err := h.opt.Store.Accounts().User(r.Context(), s.UserID)
	if err != nil || u.Disabled {
		return store.Session{}, account.User{}, false
	}
	return s, u, true
}

func (h *Handler) twoFactorForm(w http.ResponseWriter, r *http.Request) {
	s, u, ok := h.pendingSession(r)
	if !ok {
		http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
		return
	}
	h.showTwoFactor(w, r, page{Lang: u.Language}, s.Hash, twoFactorView{formView: newForm()}, http.StatusOK)
}

// twoFactor checks the code of an authenticator app, or a recovery code.
func (h *Handler) twoFactor(w http.ResponseWriter, r *http.Request) {
	s, u, ok := h.pendingSession(r)
	if !ok {
		p := h.basePage(r)
		p.Problem = p.T("The sign-in took too long. Sign in again.")
		h.showSignIn(w, r, p, signInView{}, http.StatusUnauthorized)
		return
	}
	p := page{Lang: u.Language}
	ctx := r.Context()
	key, err := h.csrfKey(ctx)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	v := twoFactorView{formView: newForm(), Next: r.PostFormValue("next"), Resume: r.PostFormValue("resume")}
	if !auth.CheckCSRF(key, s.Hash, r.PostFormValue("csrf")) {
		p.Problem = p.T("This form had expired or did not come from this site, so it was not accepted. Check it and send it again.")
		h.showTwoFactor(w, r, p, s.Hash, v, http.StatusForbidden)
		return
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	how := ""
	ok, wait, err := h.attempt(ctx, r, u.Email, u.ID, "second factor", func() (bool, error) {
		// Checked against the user as stored now, in the transaction that
		// records the code's use: a code or a recovery code works once,
		// even for two requests at the same moment.
		fresh, err := h.editUser(ctx, u.ID, func(q store.Queries, fresh *account.User) error {
			if step, ok := auth.CheckTOTP(fresh.TOTPSecret, code, h.now(), fresh.TOTPStep); ok {
				fresh.TOTPStep, how = step, "password and code"
			} else if rest, ok := auth.UseRecoveryCode(fresh.RecoveryCodes, code); ok {
				fresh.RecoveryCodes, how = rest, "password and recovery code"
			} else {
				return errUnchanged
			}
			s.Verified = true
			return q.Accounts().UpdateSession(ctx, s)
		})
		if errors.Is(err, errUnchanged) {
			return false, nil
		}
		u = fresh
		return err == nil, err
	})
	switch {
	case err != nil:
		h.fail(w, r, p, err)
		return
	case wait > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		p.Problem = fmt.Sprintf(p.T("Too many failed sign-ins from this address or for this account. Try again in %s."), roundWait(wait))
		h.showTwoFactor(w, r, p, s.Hash, v, http.StatusTooManyRequests)
		return
	case !ok:
		v.Errors["code"] = p.T("This code is wrong or was used already. Type the 6 digits your app shows now, or one of your recovery codes.")
		h.showTwoFactor(w, r, p, s.Hash, v, http.StatusUnauthorized)
		return
	}
	h.signedInNow(w, r, u, s.Hash, how, v.Next, v.Resume)
}

// signOut ends this browser's session.
func (h *Handler) signOut(w http.ResponseWriter, r *http.Request) {
	if c, err := h.cookie(r, sessionCookie); err == nil && auth.ValidTokenShape(c.Value) {
		hash := auth.HashToken(c.Value)
		key, err := h.csrfKey(r.Context())
		if err != nil {
			h.fail(w, r, h.basePage(r), err)
			return
		}
		if !auth.CheckCSRF(key, hash, r.PostFormValue("csrf")) {
			p := h.basePage(r)
			p.Title, p.Problem = p.T("Refused"), p.T("This form had expired or did not come from this site, so it was not accepted. Check it and send it again.")
			h.render(w, http.StatusForbidden, "message", p)
			return
		}
		if err := h.opt.Store.Accounts().DeleteSession(r.Context(), hash); err != nil {
			h.fail(w, r, h.basePage(r), err)
			return
		}
	}
	h.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
}

// passwordLinkForm shows the form of a password link (chancery user add
// or reset-password).
func (h *Handler) passwordLinkForm(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	u, ok := h.passwordToken(w, r, &p)
	if !ok {
		return
	}
	f := newForm()
	f.Values["email"] = u.Email
	h.showPasswordLink(w, r, p, f, http.StatusOK)
}

func (h *Handler) passwordToken(w http.ResponseWriter, r *http.Request, p *page) (account.User, bool) {
	secret := r.PathValue("token")
	t, err := h.opt.Store.Accounts().Token(r.Context(), store.TokenPassword, auth.HashToken(secret), h.now())
	var u account.User
	if err == nil {
		u, err = h.opt.Store.Accounts().User(r.Context(), t.UserID)
	}
	if errors.Is(err, content.ErrNotFound) || !auth.ValidTokenShape(secret) || (err == nil && u.Disabled) {
		p.Title, p.Problem = p.T("Password link not valid"), p.T("This password link has been used or is more than 24 hours old. Ask an administrator for a new one (chancery user reset-password).")
		h.render(w, http.StatusNotFound, "message", *p)
		return u, false
	}
	if err != nil {
		h.fail(w, r, *p, err)
		return u, false
	}
	p.Lang = u.Language
	return u, true
}

func (h *Handler) showPasswordLink(w http.ResponseWriter, r *http.Request, p page, f formView, status int) {
	if err := h.anonymous(w, r, &p); err != nil {
		h.fail(w, r, p, err)
		return
	}
	p.Title, p.Body = p.T("Choose a password"), f
	h.render(w, status, "password", p)
}

func (h *Handler) passwordLink(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	u, ok := h.passwordToken(w, r, &p)
	if !ok {
		return
	}
	f := newForm()
	f.Values["email"] = u.Email
	if !h.parseAnonymous(w, r, &p) {
		h.showPasswordLink(w, r, p, f, http.StatusForbidden)
		return
	}
	hash, ok := h.newPassword(r, p, &f, u.Email)
	if !ok {
		h.showPasswordLink(w, r, p, f, http.StatusUnprocessableEntity)
		return
	}
	ctx := r.Context()
	// The user as stored now: one disabled while the password was hashed
	// stays disabled, and is not signed in.
	u, err := h.editUser(ctx, u.ID, func(q store.Queries, fresh *account.User) error {
		if fresh.Disabled {
			return fmt.Errorf("user %d is disabled: %w", fresh.ID, content.ErrNotFound)
		}
		if _, err := q.Accounts().UseToken(ctx, store.TokenPassword, auth.HashToken(r.PathValue("token")), h.now()); err != nil {
			return err
		}
		fresh.PasswordHash = hash
		if _, err := q.Accounts().DeleteSessions(ctx, fresh.ID, nil); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: fresh.ID, Email: fresh.Email, Action: "password-set", Detail: "password link", Address: clientAddress(r)})
	})
	if errors.Is(err, content.ErrNotFound) {
		p.Title, p.Problem = p.T("Password link not valid"), p.T("This password link has been used or is more than 24 hours old. Ask an administrator for a new one (chancery user reset-password).")
		h.render(w, http.StatusNotFound, "message", p)
		return
	}
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	session, err := h.startSession(ctx, w, r, u, !u.TwoFactor())
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if u.TwoFactor() {
		http.Redirect(w, r, "/admin/two-factor", http.StatusSeeOther)
		return
	}
	h.signedInNow(w, r, u, session, "password link", "/admin/", "")
}
