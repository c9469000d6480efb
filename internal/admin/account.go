package admin

import (
	"bytes"
	"net/http"
	"slices"
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
	TwoFactor                       bool
	Recovery                        int
	SetupKey, SetupURI, SetupSecret string
	SetupError                      string
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

// changePassword checks the current password and sets a new one; the
// person's other sessions end.
func (h *Handler) changePassword(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	f := newForm()
	ok, _, err := auth.VerifyPassword(ctx, v.user.PasswordHash, r.PostFormValue("current"))
	if err != nil && v.user.PasswordHash != "" {
		h.fail(w, r, v.page, err)
		return
	}
	if !ok {
		f.Errors["current"] = v.page.T("This is not your current password.")
		h.showAccount(w, r, v, accountView{Password: f}, http.StatusUnprocessableEntity)
		return
	}
	hash, ok := h.newPassword(r, v.page, &f, v.user.Email)
	if !ok {
		h.showAccount(w, r, v, accountView{Password: f}, http.StatusUnprocessableEntity)
		return
	}
	u := v.user
	u.PasswordHash = hash
	err = h.opt.Store.InTx(ctx, func(q store.Queries) error {
		if err := q.Accounts().UpdateUser(ctx, u); err != nil {
			return err
		}
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
// makes new recovery codes.
func (h *Handler) setTwoFactor(w http.ResponseWriter, r *http.Request, v *visit) {
	ctx := r.Context()
	p := v.page
	u := v.user
	switch r.PostFormValue("step") {
	case "start":
		secret := auth.NewTOTPSecret()
		h.showAccount(w, r, v, h.totpSetup(u, secret, ""), http.StatusOK)
		return
	case "confirm":
		secret, err := auth.ParseTOTPKey(r.PostFormValue("secret"))
		if err != nil {
			h.showAccount(w, r, v, accountView{Password: newForm()}, http.StatusBadRequest)
			return
		}
		step, ok := auth.CheckTOTP(secret, r.PostFormValue("code"), h.now(), 0)
		if !ok {
			h.showAccount(w, r, v, h.totpSetup(u, secret, p.T("This code is not the one the app shows for this key. Check the key, wait for a new code and type it.")), http.StatusUnprocessableEntity)
			return
		}
		codes, hashes := auth.NewRecoveryCodes(10)
		u.TOTPSecret, u.TOTPStep, u.RecoveryCodes = secret, step, hashes
		if err := h.saveUser(r, u, "two-factor-on"); err != nil {
			h.fail(w, r, p, err)
			return
		}
		v.user, v.page.User = u, &u
		v.page.Flash = v.page.T("Two-factor sign-in is on. Keep the recovery codes below somewhere safe: each signs you in once if you lose your phone. They are shown only now.")
		h.showAccount(w, r, v, accountView{Password: newForm(), Codes: codes}, http.StatusOK)
		return
	case "codes":
		if !u.TwoFactor() {
			break
		}
		codes, hashes := auth.NewRecoveryCodes(10)
		u.RecoveryCodes = hashes
		if err := h.saveUser(r, u, "recovery-codes"); err != nil {
			h.fail(w, r, p, err)
			return
		}
		v.user = u
		v.page.Flash = v.page.T("New recovery codes: the old ones no longer work. They are shown only now.")
		h.showAccount(w, r, v, accountView{Password: newForm(), Codes: codes}, http.StatusOK)
		return
	case "off":
		ok, _, err := auth.VerifyPassword(ctx, u.PasswordHash, r.PostFormValue("current"))
		if err != nil || !ok {
			f := newForm()
			f.Errors["off"] = p.T("This is not your current password.")
			h.showAccount(w, r, v, accountView{Password: f}, http.StatusUnprocessableEntity)
			return
		}
		u.TOTPSecret, u.TOTPStep, u.RecoveryCodes = nil, 0, nil
		if err := h.saveUser(r, u, "two-factor-off"); err != nil {
			h.fail(w, r, p, err)
			return
		}
		v.user = u
		v.page.Flash = v.page.T("Two-factor sign-in is off.")
		h.showAccount(w, r, v, accountView{Password: newForm()}, http.StatusOK)
		return
	}
	http.Redirect(w, r, "/admin/account", http.StatusSeeOther)
}

func (h *Handler) totpSetup(u account.User, secret []byte, problem string) accountView {
	return accountView{Password: newForm(), SetupKey: auth.TOTPKey(secret), SetupURI: auth.TOTPURI("Chancery", u.Email, secret),
		SetupSecret: strings.ReplaceAll(auth.TOTPKey(secret), " ", ""), SetupError: problem}
}

func (h *Handler) saveUser(r *http.Request, u account.User, action string) error {
	ctx := r.Context()
	return h.opt.Store.InTx(ctx, func(q store.Queries) error {
		if err := q.Accounts().UpdateUser(ctx, u); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: u.ID, Email: u.Email, Action: action, Address: clientAddress(r)})
	})
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
