package admin

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/store"
	"chancery/internal/textdiff"
)

type revisionsView struct {
	ArticleID   int64
	Title       string
	EditURL     string
	Rows        []revisionRow
	From, To    int64
	Diff        template.HTML
	Added, Gone int
	Latest      int64
	CanRestore  bool
}

type revisionRow struct {
	ID               int64
	At, Who, Note    string
	Public, Live     bool
	FromSel, ToSel   bool
	Translated, Kind string
}

// revisions lists an article's revisions and shows the word-level
// difference between any two.
func (h *Handler) revisions(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	h.revisionsPage(w, r, v, a, http.StatusOK)
}

func (h *Handler) revisionsPage(w http.ResponseWriter, r *http.Request, v *visit, a content.Article, status int) {
	ctx := r.Context()
	p := v.page
	revs, err := h.opt.Store.Accounts().Revisions(ctx, a.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	st, err := h.opt.Store.Accounts().ArticleState(ctx, a.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	rv := revisionsView{ArticleID: a.ID, Title: a.Title, EditURL: fmt.Sprintf("/admin/sites/%s/articles/%d", p.Site.Key, a.ID)}
	byID := map[int64]store.Revision{}
	for _, rev := range revs {
		byID[rev.ID] = rev
	}
	if len(revs) > 0 {
		rv.Latest = revs[0].ID
		rv.To = revs[0].ID
		if len(revs) > 1 {
			rv.From = revs[1].ID
		}
	}
	if n, err := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64); err == nil {
		if _, ok := byID[n]; ok {
			rv.From = n
		}
	}
	if n, err := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64); err == nil {
		if _, ok := byID[n]; ok {
			rv.To = n
		}
	}
	emails := map[int64]string{}
	loc := p.Site.Location()
	for _, rev := range revs {
		who, ok := emails[rev.UserID]
		if !ok && rev.UserID != 0 {
			if u, err := h.opt.Store.Accounts().User(ctx, rev.UserID); err == nil {
				who = u.Email
			}
			emails[rev.UserID] = who
		}
		if rev.UserID == 0 {
			who = p.T("command line or import")
		}
		rv.Rows = append(rv.Rows, revisionRow{ID: rev.ID, At: rev.CreatedAt.In(loc).Format("2006-01-02 15:04:05"), Who: who, Note: rev.Note,
			Public: rev.Public, Live: a.Public() && rev.ID == st.LiveRevision, FromSel: rev.ID == rv.From, ToSel: rev.ID == rv.To})
	}
	if from, ok := byID[rv.From]; ok {
		to := byID[rv.To]
		ops := textdiff.Diff(from.Title+"\n\n"+from.Summary+"\n\n"+from.Body, to.Title+"\n\n"+to.Summary+"\n\n"+to.Body)
		rv.Diff = textdiff.HTML(ops)
		rv.Added, rv.Gone = textdiff.Stats(ops)
	}
	rv.CanRestore = a.Status != content.StatusWithdrawn
	p.Title, p.Body = fmt.Sprintf(p.T("Revisions of %s"), a.Title), rv
	h.render(w, status, "revisions", p)
}

// restore saves an old revision as the newest draft.
func (h *Handler) restore(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	_, err = h.opt.Editorial.Restore(r.Context(), v.actor(r), a.ID, formInt(r, "revision"), formInt(r, "base"))
	var conflict *editorial.ConflictError
	if errors.As(err, &conflict) {
		v.page.Problem = v.page.T("Someone saved this article since you opened this page, so nothing was restored. The list below is up to date: restore again if you still want to.")
		r.URL.RawQuery = ""
		h.revisionsPage(w, r, v, a, http.StatusConflict)
		return
	}
	h.actionDone(w, r, v, a, err, "restored")
}
