package admin

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/store"
)

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, v *visit, act account.Action, what string) bool {
	if v.page.Can(string(act)) {
		return false
	}
	h.fail(w, r, v.page, fmt.Errorf("%w: your role on this site (%s) does not let you %s", editorial.ErrForbidden, v.page.Role, what))
	return true
}

type auditView struct {
	Rows []auditRow
	Next string
}

type auditRow struct {
	At, Who, Action, Article, ArticleURL, Detail, Address string
}

// auditLog shows the site's audit log, with the sign-ins of its people.
func (h *Handler) auditLog(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ViewAudit, "read the audit log") {
		return
	}
	ctx := r.Context()
	p := v.page
	s := *p.Site
	members, err := h.opt.Store.Accounts().Members(ctx, s.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	ofSite := map[int64]bool{}
	for _, m := range members {
		ofSite[m.User.ID] = true
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	const want = 100
	var av auditView
	loc := s.Location()
	// Network-wide entries (sign-ins) are shown for the site's people
	// only; reading on past the others keeps a page full.
	for len(av.Rows) < want {
		entries, err := h.opt.Store.Accounts().AuditLog(ctx, store.AuditQuery{SiteIDs: []int64{s.ID}, Network: true, Before: before, Limit: want})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		for _, e := range entries {
			before = e.ID
			if e.SiteID == 0 && !ofSite[e.UserID] && !v.user.NetworkAdmin {
				continue
			}
			row := auditRow{At: e.At.In(loc).Format("2006-01-02 15:04:05"), Who: e.Email, Action: p.T(e.Action), Detail: e.Detail, Address: e.Address}
			if e.ArticleID != 0 {
				row.Article = "#" + strconv.FormatInt(e.ArticleID, 10)
				row.ArticleURL = fmt.Sprintf("/admin/sites/%s/articles/%d", s.Key, e.ArticleID)
			}
			av.Rows = append(av.Rows, row)
		}
		if len(entries) < want {
			before = 0
			break
		}
	}
	if before != 0 {
		av.Next = "?before=" + strconv.FormatInt(before, 10)
	}
	p.Title, p.Body = p.T("Audit log"), av
	h.render(w, http.StatusOK, "audit", p)
}

type peopleView struct {
	formView
	Rows  []personRow
	Roles []option
	// Link is a new person's password link, to pass on.
	Link string
}

type personRow struct {
	ID                 int64
	Email, Name, Role  string
	TwoFactor, Blocked bool
}

func (h *Handler) people(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ManageUsers, "manage people") {
		return
	}
	pv := peopleView{formView: newForm()}
	if res, ok := resumedForm(r); ok && res.Path == r.URL.Path {
		pv.Values["email"], pv.Values["name"], pv.Values["role"] = res.Values.Get("email"), res.Values.Get("name"), res.Values.Get("role")
		v.page.Flash = v.page.T("This is what you sent, not yet done. Check it and send it again.")
	}
	h.showPeople(w, r, v, pv, http.StatusOK)
}

func (h *Handler) showPeople(w http.ResponseWriter, r *http.Request, v *visit, pv peopleView, status int) {
	members, err := h.opt.Store.Accounts().Members(r.Context(), v.page.Site.ID)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	for _, m := range members {
		pv.Rows = append(pv.Rows, personRow{ID: m.User.ID, Email: m.User.Email, Name: m.User.Name, Role: string(m.Role),
			TwoFactor: m.User.TwoFactor(), Blocked: m.User.Disabled})
	}
	for _, role := range account.Roles {
		pv.Roles = append(pv.Roles, option{Value: string(role), Label: v.page.T(string(role)), Selected: string(role) == pv.Values["role"]})
	}
	p := v.page
	p.Title, p.Body = p.T("People"), pv
	h.render(w, status, "people", p)
}

// existingAccount is an account that already existed when it was given a
// role on a site where it had none.
type existingAccount struct {
	Email string
	Since time.Time
	Sites []string // the keys of the sites where it has roles
}

// setPerson gives a person a role on the site, creating their account
// (with a password link to pass on) when the address is new, or takes
// the role away.
func (h *Handler) setPerson(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ManageUsers, "manage people") {
		return
	}
	ctx := r.Context()
	p := v.page
	s := *p.Site
	pv := peopleView{formView: newForm()}
	pv.Values["email"], pv.Values["role"], pv.Values["name"] = r.PostFormValue("email"), r.PostFormValue("role"), r.PostFormValue("name")
	var role account.Role
	if r.PostFormValue("role") != "none" {
		var err error
		if role, err = account.ParseRole(r.PostFormValue("role")); err != nil {
			pv.Errors["role"] = p.T("choose a role from the list")
		}
	}
	email, err := account.NormalizeEmail(r.PostFormValue("email"))
	if err != nil {
		pv.Errors["email"] = emailProblem(p, r.PostFormValue("email"))
	}
	if pv.bad() {
		h.showPeople(w, r, v, pv, http.StatusUnprocessableEntity)
		return
	}
	var existing *existingAccount
	err = h.opt.Store.InTx(ctx, func(q store.Queries) error {
		existing = nil
		u, err := q.Accounts().UserByEmail(ctx, email)
		if errors.Is(err, content.ErrNotFound) {
			if role == "" {
				return err
			}
			u = account.User{Email: email, Name: r.PostFormValue("name"), Language: p.Lang}
			if err := u.Normalize(); err != nil {
				return err
			}
			if u, err = q.Accounts().CreateUser(ctx, u); err != nil {
				return err
			}
			if pv.Link, err = PasswordAddress(ctx, q, u.ID, h.now()); err != nil {
				return err
			}
			if err := q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, SiteID: s.ID,
				Action: "user-added", Detail: u.Email, Address: clientAddress(r)}); err != nil {
				return err
			}
		} else if err != nil {
			return err
		} else {
			// An account that exists gets the role as it is: with the
			// password whoever opened its password link chose. Say so,
			// with where it has roles, before anyone relies on it.
			roles, err := q.Accounts().Roles(ctx, u.ID)
			if err != nil {
				return err
			}
			if _, had := roles[s.ID]; !had {
				if role == "" {
					return content.ErrNotFound // the same answer as for an address no one has
				}
				existing = &existingAccount{Email: u.Email, Since: u.CreatedAt}
				for id := range roles {
					other, err := q.Site(ctx, id)
					if err != nil {
						return err
					}
					existing.Sites = append(existing.Sites, other.Key)
				}
				slices.Sort(existing.Sites)
			}
		}
		if u.NetworkAdmin && !v.user.NetworkAdmin {
			return fmt.Errorf("%w: %s is a network administrator; only another network administrator can change their roles", editorial.ErrForbidden, u.Email)
		}
		if err := q.Accounts().SetRole(ctx, u.ID, s.ID, role); err != nil {
			return err
		}
		detail := u.Email + ": " + string(role)
		if role == "" {
			detail = u.Email + ": none"
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, SiteID: s.ID,
			Action: "role", Detail: detail, Address: clientAddress(r)})
	})
	switch {
	case errors.Is(err, content.ErrNotFound):
		pv.Errors["email"] = p.T("No one with this address has a role here.")
		h.showPeople(w, r, v, pv, http.StatusUnprocessableEntity)
		return
	case errors.Is(err, account.ErrInvalid):
		pv.Errors["name"] = p.T(strings.TrimPrefix(err.Error(), account.ErrInvalid.Error()+": "))
		h.showPeople(w, r, v, pv, http.StatusUnprocessableEntity)
		return
	case err != nil:
		h.fail(w, r, p, err)
		return
	}
	v.page.Flash = p.T("Saved.")
	switch {
	case pv.Link != "":
		v.page.Flash = p.T("The account is made. Send the person this password link (valid 24 hours); they choose their password there.")
	case existing != nil:
		sites := p.T("none")
		if len(existing.Sites) > 0 {
			sites = strings.Join(existing.Sites, ", ")
		}
		v.page.Flash = fmt.Sprintf(p.T("Saved. %s already had an account, made on %s (roles on other sites: %s): it signs in with the password chosen when it was made. If you did not expect it, check with the person before relying on it, or give them a new password with: chancery user reset-password --email %s"),
			existing.Email, existing.Since.Format("2006-01-02"), sites, existing.Email)
	}
	h.showPeople(w, r, v, peopleView{formView: newForm(), Link: pv.Link}, http.StatusOK)
}

func (h *Handler) settingsForm(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ManageSite, "change the site's settings") {
		return
	}
	p := v.page
	p.Title = p.T("Site settings")
	if res, ok := resumedForm(r); ok && res.Path == r.URL.Path {
		// The boxes as they were sent, not as stored, for a second look.
		s := *p.Site
		s.RequireReview = res.Values.Get("require_review") == "on"
		s.RequireTwoFactor = res.Values.Get("require_two_factor") == "on"
		p.Site = &s
		p.Flash = p.T("This is what you sent, not yet done. Check it and send it again.")
	}
	h.render(w, http.StatusOK, "settings", p)
}

func (h *Handler) saveSettings(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.ManageSite, "change the site's settings") {
		return
	}
	ctx := r.Context()
	s := *v.page.Site
	s.RequireReview = r.PostFormValue("require_review") == "on"
	s.RequireTwoFactor = r.PostFormValue("require_two_factor") == "on"
	v.page.Title = v.page.T("Site settings")
	if s.RequireTwoFactor && !v.user.TwoFactor() {
		v.page.Problem = v.page.T("Turn on two-factor sign-in for yourself first, or you would lock yourself out of this site.")
		h.render(w, http.StatusUnprocessableEntity, "settings", v.page)
		return
	}
	err := h.opt.Store.InTx(ctx, func(q store.Queries) error {
		if err := q.UpdateSite(ctx, s); err != nil {
			return err
		}
		return q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, SiteID: s.ID, Action: "settings",
			Detail: fmt.Sprintf("review required: %t; two-factor required: %t", s.RequireReview, s.RequireTwoFactor), Address: clientAddress(r)})
	})
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	v.page.Site = &s
	v.page.Flash = v.page.T("Saved.")
	h.render(w, http.StatusOK, "settings", v.page)
}

// emailProblem says what is wrong with an address typed in a form, in the
// page's language.
func emailProblem(p page, typed string) string {
	if strings.TrimSpace(typed) == "" {
		return p.T("the e-mail address is empty")
	}
	return p.T("this is not an e-mail address like name@example.org")
}
