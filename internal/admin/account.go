package admin

import (
	"bytes"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"chancery/internal/account"
	"chancery/internal/auth"
	"chancery/internal/store"
)

type accountView struct {
	Password formView
	Sessions []sessionRow
	// Setup is a two-factor set-up in progress: the key to type, the URI
	// for apps, and the secret carried to the confirmation.
	TwoFactor             bool
	Recovery              int
	SetupKey, SetupSecret string
	SetupURI              template.URL
	SetupError            string
	// Codes are new recovery codes, shown once.
	Codes []string
}

type sessionRow struct {
	Started, Seen, Address, Agent string
	Current                       bool
}

func (h *Handler) accountPage(w http.ResponseWriter, r *http.Request, v *visit) {
	h.showAccount(w, r, v, accountView{Password: newForm()}, http.StatusOK)
}

func (h *Handler) showAccount(w http.ResponseWriter, r *http.Request, v *visit, av accountView, status int) {
	sessions, err := h.opt.Store.Accounts().Sessions(r.Context(), v.user.ID)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	for _, s := range sessions {
		if !h.now().Before(s.ExpiresAt) {
			continue
		}
		av.Sessions = append(av.Sessions, sessionRow{Started: s.CreatedAt.Format("2006-01-02 15:04 MST"), Seen: s.SeenAt.Format("2006-01-02 15:04 MST"),
			Address: s.Address, Agent: s.UserAgent, Current: bytes.Equal(s.Hash, v.session.Hash)})
	}
	av.TwoFactor, av.Recovery = v.user.TwoFactor(), len(v.user.RecoveryCodes)
	p := v.page
	p.Title, p.Body = p.T("Your account"), av
	h.render(w, status, "account", p)
}

// currentPassword checks the password typed in the field named field,
// under the sign-in throttle; on a wrong one it shows the account page
// with the problem and returns false.
func (h *Handler) currentPassword(w http.ResponseWriter, r *http.Request, v *visit, field string, av accountView) bool {
	ctx := r.Context()
	typed := r.PostFormValue(field)
	ok, wait, err := h.attempt(ctx, r, v.user.Email, v.user.ID, "current password", func() (bool, error) {
		if v.user.PasswordHash == "" {
			return false, auth.DummyVerify(ctx, typed)
		}
		ok, _, err := auth.VerifyPassword(ctx, v.user.PasswordHash, typed)
		return ok, err
	})
	switch {
	case err != nil:
		h.fail(w, r, v.page, err)
	case wait > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		av.Password.Errors[field] = fmt.Sprintf(v.page.T("Too many failed sign-ins from this address or for this account. Try again in %s."), roundWait(wait))
		h.showAccount(w, r, v, av, http.StatusTooManyRequests)
	case !ok:
		av.Password.Errors[field] = v.page.T("This is not your current password.")
		h.showAccount(w, r, v, av, http.StatusUnprocessableEntity)
	}
	return err == nil && wait == 0 && ok
}

// changePassword checks the current password and sets a new one; the
// person's other sessions end.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	f := newForm()
	if !h.currentPassword(w, r, v, "current", accountView{Password: f}) {
		return
	}
	hash, ok := h.newPassword(r, v.page, &f, v.user.Email)
	if !ok {
		h.showAccount(w, r, v, accountView{Password: f}, http.StatusUnprocessableEntity)
		return
	}
	u, err := h.editUser(ctx, v.user.ID, func(q store.Queries, u *account.User) error {
		u.PasswordHash = hash
		if _, err := q.Accounts().DeleteSessions(ctx, u.ID, v.session.Hash); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: u.ID, Email: u.Email, Action: "password-changed", Address: clientAddress(r)})
	})
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	v.user = u
	v.page.Flash = v.page.T("Your password is changed. Your other sessions have ended.")
	h.showAccount(w, r, v, accountView{Password: newForm()}, http.StatusOK)
}

// signOutEverywhere ends every session of the person, this one included.
func (h *Handler) signOutEverywhere(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	err := h.opt.Store.InTx(ctx, func(q store.Queries) error {
		if _, err := q.Accounts().DeleteSessions(ctx, v.user.ID, nil); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, Action: "sign-out-everywhere", Address: clientAddress(r)})
	})
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	h.setCookie(w, sessionCookie, "", -1)
	http.Redirect(w, r, "/admin/sign-in", http.StatusSeeOther)
}

// setTwoFactor starts, confirms or turns off two-factor sign-in, and
// makes new recovery codes. Each change asks for the current password, so
// a session left open is not enough to change how one signs in.
func (h *Handler) setTwoFactor(w http.ResponseWriter, r *http.Request, v *visit) {
	p := v.page
	switch r.PostFormValue("step") {
	case "start":
		h.showAccount(w, r, v, h.totpSetup(v.user, auth.NewTOTPSecret(), ""), http.StatusOK)
		return
	case "confirm":
		secret, err := auth.ParseTOTPKey(r.PostFormValue("secret"))
		if err != nil {
			h.showAccount(w, r, v, accountView{Password: newForm()}, http.StatusBadRequest)
			return
		}
		if !h.currentPassword(w, r, v, "current_tf", h.totpSetup(v.user, secret, "")) {
			return
		}
		step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), h.now(), 0)
		if !ok {
			h.showAccount(w, r, v, h.totpSetup(v.user, secret, p.T("This code is not the one the app shows for this key. Check the key, wait for a new code and type it.")), http.StatusUnprocessableEntity)
			return
		}
		codes, hashes := auth.NewRecoveryCodes(10)
		// The other sessions signed in without this factor: they end, so
		// that every session of the person has passed it.
		u, err := h.changeTwoFactor(r, v, "two-factor-on", func(u *account.User) {
			u.TOTPSecret, u.TOTPStep, u.RecoveryCodes = secret, step, hashes
		})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		v.user, v.page.User = u, &u
		v.page.Flash = v.page.T("Two-factor sign-in is on. Keep the recovery codes below somewhere safe: each signs you in once if you lose your phone. They are shown only now.")
		h.showAccount(w, r, v, accountView{Password: newForm(), Codes: codes}, http.StatusOK)
		return
	case "codes":
		if !v.user.TwoFactor() || !h.currentPassword(w, r, v, "current_codes", accountView{Password: newForm()}) {
			break
		}
		codes, hashes := auth.NewRecoveryCodes(10)
		u, err := h.changeTwoFactor(r, v, "recovery-codes", func(u *account.User) { u.RecoveryCodes = hashes })
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		v.user = u
		v.page.Flash = v.page.T("New recovery codes: the old ones no longer work. They are shown only now.")
		h.showAccount(w, r, v, accountView{Password: newForm(), Codes: codes}, http.StatusOK)
		return
	case "off":
		if !h.currentPassword(w, r, v, "off", accountView{Password: newForm()}) {
			return
		}
		u, err := h.changeTwoFactor(r, v, "two-factor-off", func(u *account.User) { u.TOTPSecret, u.TOTPStep, u.RecoveryCodes = nil, 0, nil })
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		v.user = u
		v.page.Flash = v.page.T("Two-factor sign-in is off.")
		h.showAccount(w, r, v, accountView{Password: newForm()}, http.StatusOK)
		return
	}
	if w.Header().Get("Content-Type") == "" {
		http.Redirect(w, r, "/admin/account", http.StatusSeeOther)
	}
}

// changeTwoFactor changes the person's second factor as stored now, ends
// their other sessions, and records it.
func (h *Handler) changeTwoFactor(r *http.Request, v *visit, action string, change func(u *account.User)) (account.User, error) {
	ctx := r.Context()
	return h.editUser(ctx, v.user.ID, func(q store.Queries, u *account.User) error {
		change(u)
		if _, err := q.Accounts().DeleteSessions(ctx, u.ID, v.session.Hash); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: u.ID, Email: u.Email, Action: action, Address: clientAddress(r)})
	})
}

func (h *Handler) totpSetup(u account.User, secret []byte, problem string) accountView {
	// otpauth: is not a scheme html/template lets through on its own.
	return accountView{Password: newForm(), SetupKey: auth.TOTPKey(secret), SetupURI: template.URL(auth.TOTPURI("Chancery", u.Email, secret)),
		SetupSecret: strings.ReplaceAll(auth.TOTPKey(secret), " ", ""), SetupError: problem}
}

// home lists the person's sites; with one, it opens it.
func (h *Handler) home(w http.ResponseWriter, r *http.Request, v *visit) {
	if len(v.page.Sites) == 1 {
		http.Redirect(w, r, "/admin/sites/"+v.page.Sites[0].Key+"/", http.StatusSeeOther)
		return
	}
	p := v.page
	p.Title = p.T("Your sites")
	slices.SortFunc(p.Sites, func(a, b siteLink) int { return strings.Compare(a.Name, b.Name) })
	h.render(w, http.StatusOK, "home", p)
}
