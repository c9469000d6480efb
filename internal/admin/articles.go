package admin

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/markup"
	"chancery/internal/publish"
	"chancery/internal/store"
	"chancery/internal/textdiff"
)

const listPage = 50

type listView struct {
	Filter   map[string]string
	Rows     []listRow
	Sections []option
	Kinds    []option
	Statuses []option
	Langs    []option
	Total    int
	Prev     string
	Next     string
}

type listRow struct {
	ID                       int64
	Title, Lang, Section     string
	Kind, Status, State      string
	Updated, URL, PublicPath string
}

type option struct {
	Value, Label string
	Selected     bool
}

// sectionOptions lists a site's sections, indented by depth, in a
// language.
func sectionOptions(tree content.Tree, lang string, selected int64) []option {
	var out []option
	var walk func(parent int64, depth int)
	walk = func(parent int64, depth int) {
		for _, s := range tree.Children(parent) {
			out = append(out, option{Value: strconv.FormatInt(s.ID, 10), Label: strings.Repeat("— ", depth) + s.Name(lang), Selected: s.ID == selected})
			walk(s.ID, depth+1)
		}
	}
	walk(0, 0)
	return out
}

func (h *Handler) articleList(w http.ResponseWriter, r *http.Request, v *visit) {
	p := v.page
	s := *p.Site
	ctx := r.Context()
	qv := r.URL.Query()
	// "language" filters the articles; "lang" is the interface's.
	f := map[string]string{"language": qv.Get("language"), "section": qv.Get("section"), "kind": qv.Get("kind"), "status": qv.Get("status"), "q": qv.Get("q")}
	q := store.ArticleQuery{SiteID: s.ID, ByUpdate: true, Limit: listPage}
	if s.HasLanguage(f["language"]) {
		q.Language = f["language"]
	}
	secs, err := h.opt.Store.Sections(ctx, s.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	tree := content.NewTree(secs)
	if id, err := strconv.ParseInt(f["section"], 10, 64); err == nil {
		if _, ok := tree.Section(id); ok {
			q.SectionIDs = tree.Subtree(id)
		}
	}
	if k := content.Kind(f["kind"]); k.Valid() {
		q.Kind = k
	}
	if st := content.Status(f["status"]); st.Valid() {
		q.Status = st
	}
	q.TitleWords = strings.Fields(f["q"])
	if len(q.TitleWords) > 8 {
		q.TitleWords = q.TitleWords[:8]
	}
	pageNo, _ := strconv.Atoi(qv.Get("page"))
	pageNo = max(pageNo, 1)
	q.Offset = (pageNo - 1) * listPage
	arts, err := h.opt.Store.Articles(ctx, q)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	total, err := h.opt.Store.CountArticles(ctx, q)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	ids := make([]int64, len(arts))
	for i, a := range arts {
		ids[i] = a.ID
	}
	states, err := h.opt.Store.Accounts().ArticleStates(ctx, ids)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	lv := listView{Filter: f, Total: total, Sections: sectionOptions(tree, p.Lang, 0)}
	for i := range lv.Sections {
		lv.Sections[i].Selected = lv.Sections[i].Value == f["section"]
	}
	for _, k := range content.Kinds {
		lv.Kinds = append(lv.Kinds, option{Value: string(k), Label: p.T(string(k)), Selected: string(k) == f["kind"]})
	}
	for _, st := range []content.Status{content.StatusDraft, content.StatusScheduled, content.StatusPublished, content.StatusWithdrawn} {
		lv.Statuses = append(lv.Statuses, option{Value: string(st), Label: p.T(string(st)), Selected: string(st) == f["status"]})
	}
	for _, l := range s.Languages {
		lv.Langs = append(lv.Langs, option{Value: l, Label: l, Selected: l == f["language"]})
	}
	loc := s.Location()
	for _, a := range arts {
		sec, _ := tree.Section(a.SectionID)
		row := listRow{ID: a.ID, Title: a.Title, Lang: a.Language, Section: sec.Name(a.Language), Kind: p.T(string(a.Kind)),
			Status: p.T(string(a.Status)), Updated: a.UpdatedAt.In(loc).Format("2006-01-02 15:04"),
			URL: fmt.Sprintf("/admin/sites/%s/articles/%d", s.Key, a.ID), PublicPath: a.Path}
		st := states[a.ID]
		switch {
		case a.Status == content.StatusScheduled:
			row.State = p.T("for") + " " + a.PublishedAt.In(loc).Format("2006-01-02 15:04")
		case !st.EditionAt.IsZero():
			row.State = p.T("edition scheduled for") + " " + st.EditionAt.In(loc).Format("2006-01-02 15:04")
		case st.SubmittedRevision != 0:
			row.State = p.T("waiting for review")
		}
		lv.Rows = append(lv.Rows, row)
	}
	page := func(n int) string {
		u := url.Values{}
		for k, v := range f {
			if v != "" {
				u.Set(k, v)
			}
		}
		u.Set("page", strconv.Itoa(n))
		return "?" + u.Encode()
	}
	if pageNo > 1 {
		lv.Prev = page(pageNo - 1)
	}
	if pageNo*listPage < total {
		lv.Next = page(pageNo + 1)
	}
	p.Title, p.Body = p.T("Articles"), lv
	h.render(w, http.StatusOK, "articles", p)
}

// editorView is the article form and what surrounds it.
type editorView struct {
	formView
	New       bool
	ID        int64
	Base      int64
	Source    int64
	Of        int64
	Lang      string
	Status    string
	Public    bool
	Live      string
	Edition   bool
	Sections  []option
	Kinds     []option
	Langs     []option
	Versions  []version
	Paragraph []paragraph
	// Translation marks a translation, edited beside its source.
	Translation bool
	SourceLang  string
	SourceTitle string
	SourceURL   string
	// SourceChanged is the source's change since this translation's
	// source revision.
	SourceChanged template.HTML
	// Conflict is the difference between the latest saved text and the
	// refused one.
	Conflict template.HTML
	// State of the workflow, for the side panel.
	Scheduled, EditionAt, Submitted string
	Withdrawn, WithdrawnReason      string
	CanEdit, CanPublish, CanSubmit  bool
	NeedsForce                      bool
	Zone                            string
	PreviewLink                     string
	// Attached are the documents listed on the article's page; Documents
	// and Images the site's files to attach or insert.
	Attached          []attachedRow
	Documents, Images []option
}

type attachedRow struct {
	Key, Title, Type, Size, Path string
}

type version struct {
	Lang, Label, URL string
	Exists, Current  bool
}

type paragraph struct {
	Source, Text string
}

func (h *Handler) newArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	p := v.page
	if !p.Can(string(account.WriteArticle)) {
		h.fail(w, r, p, fmt.Errorf("%w: your role on this site (%s) does not let you write articles", editorial.ErrForbidden, p.Role))
		return
	}
	ev := editorView{formView: newForm(), New: true, Lang: p.Site.DefaultLanguage}
	if l := r.URL.Query().Get("lang"); p.Site.HasLanguage(l) {
		ev.Lang = l
	}
	ev.Values["kind"] = string(content.KindNews)
	if vals, ok := resumedValues(r); ok {
		fillValues(&ev.formView, vals)
		if p.Site.HasLanguage(vals.Get("language")) {
			ev.Lang = vals.Get("language")
		}
		ev.Base, ev.Source = formIntOf(vals, "base"), formIntOf(vals, "source")
		if of := formIntOf(vals, "of"); of != 0 {
			// A translation's form: beside its source again.
			ev.Translation = true
			if err := h.besideSource(r, v, of, &ev); err != nil {
				h.fail(w, r, p, err)
				return
			}
		}
		v.page.Flash = p.T("This is what you sent, not yet saved. Check it and save.")
	}
	h.showEditor(w, r, v, ev, http.StatusOK)
}

func fillValues(f *formView, vals url.Values) {
	for _, k := range []string{"title", "summary", "body", "section", "kind", "note", "public_note", "language"} {
		if vals.Has(k) {
			f.Values[k] = vals.Get(k)
		}
	}
	if paras, ok := vals["para"]; ok {
		f.Values["body"] = joinParagraphs(paras)
	}
}

// joinParagraphs makes a body of the paragraph boxes of the translation
// form, each split and trimmed as textdiff.Paragraphs splits a body (so an
// indented code block keeps its indentation, and a box that holds two
// paragraphs gives two), empty boxes left out.
func joinParagraphs(paras []string) string {
	var kept []string
	for _, p := range paras {
		kept = append(kept, textdiff.Paragraphs(p)...)
	}
	return strings.Join(kept, "\n\n")
}

// loadArticle reads the article of the path, which must be of the site.
func (h *Handler) loadArticle(r *http.Request, v *visit) (content.Article, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return content.Article{}, fmt.Errorf("article %q: %w", r.PathValue("id"), content.ErrNotFound)
	}
	a, err := h.opt.Store.Article(r.Context(), id)
	if err != nil {
		return content.Article{}, err
	}
	if a.SiteID != v.page.Site.ID {
		return content.Article{}, fmt.Errorf("article %d: %w", id, content.ErrNotFound)
	}
	return a, nil
}

func (h *Handler) editArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	ev := editorView{formView: newForm(), ID: a.ID}
	latest, err := h.opt.Store.Accounts().LatestRevision(r.Context(), a.ID)
	switch {
	case errors.Is(err, content.ErrNotFound):
		setValues(&ev.formView, a.Title, a.Summary, a.Body, a.SectionID, a.Kind)
	case err != nil:
		h.fail(w, r, v.page, err)
		return
	default:
		ev.Base, ev.Source = latest.ID, latest.Source
		setValues(&ev.formView, latest.Title, latest.Summary, latest.Body, latest.SectionID, latest.Kind)
	}
	if vals, ok := resumedValues(r); ok {
		fillValues(&ev.formView, vals)
		ev.Base = formIntOf(vals, "base")
		ev.Source = formIntOf(vals, "source")
		v.page.Flash = v.page.T("This is what you sent, not yet saved. Check it and save.")
	}
	if action, vals, ok := resumedAction(r); ok {
		switch action {
		case "withdraw":
			ev.Values["wreason"] = vals.Get("reason")
		case "publish":
			ev.Values["at"], ev.Values["reason"] = vals.Get("at"), vals.Get("reason")
		}
		v.page.Flash = v.page.T("This is what you sent, not yet done. Check it and send it again.")
	}
	switch r.URL.Query().Get("done") {
	case "saved":
		v.page.Flash = v.page.T("Saved.")
	case "published":
		v.page.Flash = v.page.T("Published.")
	case "scheduled":
		v.page.Flash = v.page.T("Scheduled.")
	case "withdrawn":
		v.page.Flash = v.page.T("Withdrawn.")
	case "submitted":
		v.page.Flash = v.page.T("Submitted for review.")
	case "unscheduled":
		v.page.Flash = v.page.T("No longer scheduled.")
	case "restored":
		v.page.Flash = v.page.T("The old revision is now the newest draft.")
	}
	h.showArticle(w, r, v, a, ev, http.StatusOK)
}

func formIntOf(vals url.Values, name string) int64 {
	n, _ := strconv.ParseInt(vals.Get(name), 10, 64)
	return n
}

func setValues(f *formView, title, summary, body string, section int64, kind content.Kind) {
	f.Values["title"], f.Values["summary"], f.Values["body"] = title, summary, body
	f.Values["section"], f.Values["kind"] = strconv.FormatInt(section, 10), string(kind)
}

// showArticle shows the editor of an existing article with its state.
func (h *Handler) showArticle(w http.ResponseWriter, r *http.Request, v *visit, a content.Article, ev editorView, status int) {
	ctx := r.Context()
	p := v.page
	s := *p.Site
	loc := s.Location()
	st, err := h.opt.Store.Accounts().ArticleState(ctx, a.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	latest, err := h.opt.Store.Accounts().LatestRevision(ctx, a.ID)
	if err != nil && !errors.Is(err, content.ErrNotFound) {
		h.fail(w, r, p, err)
		return
	}
	ev.ID, ev.Lang, ev.Status, ev.Public = a.ID, a.Language, p.T(string(a.Status)), a.Public()
	if a.Path != "" {
		ev.Live = h.opt.Site.SiteURL(r, s, a.Path)
	}
	ev.Edition = (a.Public() || a.Status == content.StatusScheduled) && latest.ID > st.LiveRevision
	ev.Translation = a.TranslationGroup != a.ID
	if a.Status == content.StatusScheduled {
		ev.Scheduled = a.PublishedAt.In(loc).Format("2006-01-02 15:04")
	}
	if !st.EditionAt.IsZero() {
		ev.EditionAt = st.EditionAt.In(loc).Format("2006-01-02 15:04")
	}
	if st.SubmittedRevision != 0 {
		ev.Submitted = st.SubmittedAt.In(loc).Format("2006-01-02 15:04")
	}
	if a.Status == content.StatusWithdrawn {
		ev.Withdrawn, ev.WithdrawnReason = st.WithdrawnAt.In(loc).Format("2006-01-02 15:04"), st.WithdrawalReason
	}
	ev.CanEdit = a.Status != content.StatusWithdrawn && account.CanEdit(p.Role, v.user.ID,
		account.Edits{Translation: ev.Translation, Public: a.Public() || a.Status == content.StatusScheduled, CreatedBy: st.CreatedBy})
	ev.CanPublish = p.Can(string(account.Publish)) && a.Status != content.StatusWithdrawn
	ev.CanSubmit = ev.CanEdit && p.Can(string(account.SubmitForReview)) && !p.Can(string(account.Publish))
	ev.NeedsForce = s.RequireReview && latest.UserID == v.user.ID
	versions, err := h.opt.Store.Translations(ctx, a.TranslationGroup)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for _, l := range s.Languages {
		vr := version{Lang: l, Label: l, Current: l == a.Language}
		for _, other := range versions {
			if other.Language == l {
				vr.Exists, vr.URL = true, fmt.Sprintf("/admin/sites/%s/articles/%d", s.Key, other.ID)
			}
		}
		if !vr.Exists && p.Can(string(account.Translate)) {
			vr.URL = fmt.Sprintf("/admin/sites/%s/articles/%d/translate/%s", s.Key, a.ID, l)
		}
		ev.Versions = append(ev.Versions, vr)
	}
	if ev.Translation {
		if err := h.besideSource(r, v, a.TranslationGroup, &ev); err != nil {
			h.fail(w, r, p, err)
			return
		}
	}
	atts, err := h.opt.Store.Accounts().Attachments(ctx, a.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for _, at := range atts {
		ev.Attached = append(ev.Attached, attachedRow{Key: at.Key, Title: attachmentTitle(at, a.Language), Type: store.TypeName(at.ContentType),
			Size: store.HumanSize(at.Size), Path: at.Path()})
	}
	h.showEditor(w, r, v, ev, status)
}

// attachmentTitle is a file's title in a language, else its name.
func attachmentTitle(at store.Attachment, lang string) string {
	if t := at.Texts[lang].Title; t != "" {
		return t
	}
	return at.Name
}

// besideSource fills the source's paragraphs beside the translation's, and
// what changed in the source since the translation's source revision.
func (h *Handler) besideSource(r *http.Request, v *visit, group int64, ev *editorView) error {
	ctx := r.Context()
	src, err := h.opt.Store.Article(ctx, group)
	if err != nil {
		return err
	}
	if src.SiteID != v.page.Site.ID || src.TranslationGroup != src.ID {
		// The form names the source: only an article of this site that
		// others are translated from.
		return fmt.Errorf("article %d to translate: %w", group, content.ErrNotFound)
	}
	srcTitle, srcBody := src.Title, src.Body
	latest, err := h.opt.Store.Accounts().LatestRevision(ctx, src.ID)
	if err != nil && !errors.Is(err, content.ErrNotFound) {
		return err
	}
	if err == nil {
		srcTitle, srcBody = latest.Title, latest.Body
		if ev.Source == 0 && ev.New {
			ev.Source = latest.ID
		}
		if ev.Source != 0 && latest.ID > ev.Source {
			old, err := h.opt.Store.Accounts().Revision(ctx, ev.Source)
			if err != nil || old.ArticleID != src.ID {
				return fmt.Errorf("source revision %d: %w", ev.Source, content.ErrNotFound)
			}
			ops := textdiff.Diff(old.Title+"\n\n"+old.Body, latest.Title+"\n\n"+latest.Body)
			if textdiff.Changed(ops) {
				ev.SourceChanged = textdiff.HTML(ops)
			}
		}
	}
	ev.SourceTitle, ev.SourceLang = srcTitle, src.Language
	ev.SourceURL = fmt.Sprintf("/admin/sites/%s/articles/%d", v.page.Site.Key, src.ID)
	ev.Of = src.ID
	srcParas := textdiff.Paragraphs(srcBody)
	trParas := textdiff.Paragraphs(ev.Values["body"])
	n := max(len(srcParas), len(trParas))
	for i := range n {
		var pg paragraph
		if i < len(srcParas) {
			pg.Source = srcParas[i]
		}
		if i < len(trParas) {
			pg.Text = trParas[i]
		}
		ev.Paragraph = append(ev.Paragraph, pg)
	}
	// Room for a paragraph the source does not have yet.
	ev.Paragraph = append(ev.Paragraph, paragraph{})
	return nil
}

// translateForm starts a translation of an article into another language.
func (h *Handler) translateForm(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	p := v.page
	lang := r.PathValue("lang")
	if !p.Site.HasLanguage(lang) || lang == a.Language {
		h.fail(w, r, p, fmt.Errorf("language %q: %w", lang, content.ErrNotFound))
		return
	}
	if !p.Can(string(account.Translate)) {
		h.fail(w, r, p, fmt.Errorf("%w: your role on this site (%s) does not let you translate", editorial.ErrForbidden, p.Role))
		return
	}
	versions, err := h.opt.Store.Translations(r.Context(), a.TranslationGroup)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for _, other := range versions {
		if other.Language == lang {
			http.Redirect(w, r, fmt.Sprintf("/admin/sites/%s/articles/%d", p.Site.Key, other.ID), http.StatusSeeOther)
			return
		}
	}
	ev := editorView{formView: newForm(), New: true, Lang: lang, Translation: true}
	ev.Values["section"], ev.Values["kind"] = strconv.FormatInt(a.SectionID, 10), string(a.Kind)
	if err := h.besideSource(r, v, a.TranslationGroup, &ev); err != nil {
		h.fail(w, r, p, err)
		return
	}
	h.showEditor(w, r, v, ev, http.StatusOK)
}

func (h *Handler) showEditor(w http.ResponseWriter, r *http.Request, v *visit, ev editorView, status int) {
	p := v.page
	s := *p.Site
	secs, err := h.opt.Store.Sections(r.Context(), s.ID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	sel, _ := strconv.ParseInt(ev.Values["section"], 10, 64)
	ev.Sections = sectionOptions(content.NewTree(secs), ev.Lang, sel)
	for _, k := range content.Kinds {
		ev.Kinds = append(ev.Kinds, option{Value: string(k), Label: p.T(string(k)), Selected: string(k) == ev.Values["kind"]})
	}
	for _, l := range s.Languages {
		ev.Langs = append(ev.Langs, option{Value: l, Label: l, Selected: l == ev.Lang})
	}
	if ev.New {
		ev.CanEdit = true
	}
	rows, err := h.mediaRows(r, s)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for _, m := range rows {
		label := m.Name
		for _, t := range m.Texts {
			if t.Lang == ev.Lang && t.Title != "" {
				label = t.Title + " (" + m.Name + ")"
			}
		}
		o := option{Value: m.Key, Label: label + ", " + m.Size}
		if m.Image {
			ev.Images = append(ev.Images, o)
		} else {
			ev.Documents = append(ev.Documents, o)
		}
	}
	ev.Zone = s.TimeZone
	p.Title = strings.TrimSpace(ev.Values["title"])
	if p.Title == "" && ev.ID != 0 {
		if a, err := h.opt.Store.Article(r.Context(), ev.ID); err == nil {
			p.Title = a.Title
		}
	}
	if p.Title == "" {
		p.Title = p.T("New article")
	}
	p.Body = ev
	h.render(w, status, "editor", p)
}

// draftOf reads the editor form.
func draftOf(r *http.Request, s content.Site) editorial.Draft {
	d := editorial.Draft{SiteID: s.ID, Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"),
		Body: strings.ReplaceAll(r.PostFormValue("body"), "\r\n", "\n"), Kind: content.Kind(r.PostFormValue("kind")),
		Language: r.PostFormValue("language"), Note: r.PostFormValue("note"), PublicNote: r.PostFormValue("public_note") == "on",
		Base: formInt(r, "base"), Source: formInt(r, "source"), TranslationOf: formInt(r, "of")}
	if paras, ok := r.PostForm["para"]; ok {
		d.Body = joinParagraphs(paras)
	}
	d.SectionID = formInt(r, "section")
	return d
}

// saveArticle saves the editor form, or shows its preview.
func (h *Handler) saveArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	p := v.page
	s := *p.Site
	d := draftOf(r, s)
	var (
		a   content.Article
		err error
	)
	if id := r.PathValue("id"); id != "" {
		if a, err = h.loadArticle(r, v); err != nil {
			h.fail(w, r, p, err)
			return
		}
		d.ArticleID, d.Language = a.ID, a.Language
	}
	switch r.PostFormValue("do") {
	case "preview":
		h.preview(w, r, s, a, d)
		return
	case "insert":
		h.insertImage(w, r, v, a, d)
		return
	}
	saved, _, err := h.opt.Editorial.Save(r.Context(), v.actor(r), d)
	if err == nil {
		if r.PostFormValue("do") == "submit" {
			if err := h.opt.Editorial.Submit(r.Context(), v.actor(r), saved.ID); err != nil {
				h.fail(w, r, p, err)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/admin/sites/%s/articles/%d?done=submitted", s.Key, saved.ID), http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/admin/sites/%s/articles/%d?done=saved", s.Key, saved.ID), http.StatusSeeOther)
		return
	}
	// The form again, with what was typed and what is wrong.
	ev := editorView{formView: newForm(), New: d.ArticleID == 0, Lang: d.Language, Base: d.Base, Source: d.Source}
	fillValues(&ev.formView, r.PostForm)
	var (
		verr     *content.ValidationError
		conflict *editorial.ConflictError
	)
	status := http.StatusUnprocessableEntity
	switch {
	case errors.As(err, &verr):
		for k, msg := range verr.Fields {
			field := k
			if field == "section_id" {
				field = "section"
			}
			ev.Errors[field] = p.Explain(msg)
		}
		p.Problem = p.T("The article was not saved: correct what is marked below.")
	case errors.As(err, &conflict):
		status = http.StatusConflict
		who := conflict.Editor
		if who == "" {
			who = p.T("someone else")
		}
		p.Problem = fmt.Sprintf(p.T("%s saved this article at %s, after you opened it: your text was not saved; compare it with theirs below, merge, and save again"),
			who, conflict.Latest.CreatedAt.Format("15:04:05 MST"))
		ev.Conflict = textdiff.HTML(textdiff.Diff(conflict.Latest.Title+"\n\n"+conflict.Latest.Body, d.Title+"\n\n"+d.Body))
		// The next save is made knowingly over the latest revision.
		ev.Base = conflict.Latest.ID
	case errors.Is(err, editorial.ErrForbidden), errors.Is(err, content.ErrNotFound):
		h.fail(w, r, p, err)
		return
	case errors.Is(err, content.ErrConflict):
		status = http.StatusConflict
		p.Problem = conflictProblem(p.Lang, err)
	default:
		h.fail(w, r, p, err)
		return
	}
	v.page = p
	if ev.New {
		if d.TranslationOf != 0 {
			ev.Translation = true
			if err := h.besideSource(r, v, d.TranslationOf, &ev); err != nil {
				h.fail(w, r, p, err)
				return
			}
		}
		h.showEditor(w, r, v, ev, status)
		return
	}
	h.showArticle(w, r, v, a, ev, status)
}

// preview renders the form's text with the public templates.
func (h *Handler) preview(w http.ResponseWriter, r *http.Request, s content.Site, a content.Article, d editorial.Draft) {
	html, err := markup.Render(d.Body)
	if err != nil {
		html = template.HTMLEscapeString(d.Body)
	}
	if a.ID == 0 {
		a = content.Article{SiteID: s.ID, Language: d.Language, Status: content.StatusDraft}
		if !s.HasLanguage(a.Language) {
			a.Language = s.DefaultLanguage
		}
	}
	a.Title, a.Summary, a.Body, a.BodyHTML, a.Kind = d.Title, d.Summary, d.Body, html, d.Kind
	if a.TranslationGroup == a.ID || a.ID == 0 {
		a.SectionID = d.SectionID
	}
	if strings.TrimSpace(a.Title) == "" {
		a.Title = "—"
	}
	if err := h.opt.Site.Preview(w, r, s, a); err != nil {
		h.fail(w, r, h.basePage(r), err)
	}
}

// actionDone redirects to the article after an action, or shows the
// editor with the problem.
func (h *Handler) actionDone(w http.ResponseWriter, r *http.Request, v *visit, a content.Article, err error, done string) {
	if err == nil {
		http.Redirect(w, r, fmt.Sprintf("/admin/sites/%s/articles/%d?done=%s", v.page.Site.Key, a.ID, done), http.StatusSeeOther)
		return
	}
	var (
		verr *content.ValidationError
		rerr *publish.RenderError
	)
	switch {
	case errors.As(err, &verr):
		ev := editorView{formView: newForm()}
		for k, msg := range verr.Fields {
			ev.Errors[k] = v.page.Explain(msg)
		}
		ev.Values["at"], ev.Values["reason"] = r.PostFormValue("at"), r.PostFormValue("reason")
		if _, ok := ev.Errors["wreason"]; ok {
			ev.Values["wreason"], ev.Values["reason"] = r.PostFormValue("reason"), ""
		}
		v.page.Problem = v.page.T("This was not done: see the problem marked below.")
		h.reloadArticle(w, r, v, a, ev)
	case errors.Is(err, editorial.ErrNeedsReview):
		ev := editorView{formView: newForm()}
		ev.Errors["reason"] = strings.TrimPrefix(err.Error(), editorial.ErrNeedsReview.Error()+": ")
		ev.Values["at"], ev.Values["reason"] = r.PostFormValue("at"), r.PostFormValue("reason")
		v.page.Problem = v.page.T("This site requires a second person to publish.")
		h.reloadArticle(w, r, v, a, ev)
	case errors.As(err, &rerr):
		// A page that cannot be drawn (a broken theme): nothing changed,
		// and trying again will not help until the theme is mended.
		v.page.Problem = fmt.Sprintf(v.page.T("Nothing was changed: a page of the site could not be drawn (%s). Ask the site's administrator to check the theme."), rerr.Error())
		h.reloadArticle(w, r, v, a, editorView{formView: newForm()})
	default:
		h.fail(w, r, v.page, err)
	}
}

// reloadArticle shows the editor with the latest saved text and the
// values and problems of an action's form.
func (h *Handler) reloadArticle(w http.ResponseWriter, r *http.Request, v *visit, a content.Article, ev editorView) {
	latest, err := h.opt.Store.Accounts().LatestRevision(r.Context(), a.ID)
	switch {
	case errors.Is(err, content.ErrNotFound):
		setValues(&ev.formView, a.Title, a.Summary, a.Body, a.SectionID, a.Kind)
	case err != nil:
		h.fail(w, r, v.page, err)
		return
	default:
		ev.Base, ev.Source = latest.ID, latest.Source
		setValues(&ev.formView, latest.Title, latest.Summary, latest.Body, latest.SectionID, latest.Kind)
	}
	h.showArticle(w, r, v, a, ev, http.StatusUnprocessableEntity)
}

func (h *Handler) publishArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	o := editorial.PublishOptions{Force: r.PostFormValue("force") == "on", Reason: r.PostFormValue("reason"), Revision: formInt(r, "revision")}
	done := "published"
	if at := strings.TrimSpace(r.PostFormValue("at")); at != "" && r.PostFormValue("do") == "schedule" {
		t, err := time.ParseInLocation("2006-01-02T15:04", at, v.page.Site.Location())
		if err != nil {
			h.actionDone(w, r, v, a, &content.ValidationError{What: "schedule", Fields: map[string]string{"at": "give a date and time such as 2026-12-24T23:45"}}, "")
			return
		}
		o.At, done = t, "scheduled"
	} else if r.PostFormValue("do") == "schedule" {
		h.actionDone(w, r, v, a, &content.ValidationError{What: "schedule", Fields: map[string]string{"at": "choose the date and time to publish at"}}, "")
		return
	}
	_, err = h.opt.Editorial.Publish(r.Context(), v.actor(r), a.ID, o)
	h.actionDone(w, r, v, a, err, done)
}

func (h *Handler) withdrawArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	_, err = h.opt.Editorial.Withdraw(r.Context(), v.actor(r), a.ID, r.PostFormValue("reason"))
	var verr *content.ValidationError
	if errors.As(err, &verr) {
		// The withdrawal form's own field, apart from the publish form's.
		if msg, ok := verr.Fields["reason"]; ok {
			delete(verr.Fields, "reason")
			verr.Fields["wreason"] = msg
		}
	}
	h.actionDone(w, r, v, a, err, "withdrawn")
}

func (h *Handler) unscheduleArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	_, err = h.opt.Editorial.Unschedule(r.Context(), v.actor(r), a.ID)
	h.actionDone(w, r, v, a, err, "unscheduled")
}

func (h *Handler) submitArticle(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	err = h.opt.Editorial.Submit(r.Context(), v.actor(r), a.ID)
	h.actionDone(w, r, v, a, err, "submitted")
}

func (h *Handler) makePreviewLink(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	secret, until, err := h.opt.Editorial.PreviewLink(r.Context(), v.actor(r), a.ID)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	ev := editorView{formView: newForm(), PreviewLink: "/admin/preview/" + secret}
	v.page.Flash = fmt.Sprintf(v.page.T("Anyone with this link can read the draft until %s."), until.In(v.page.Site.Location()).Format("2006-01-02 15:04"))
	latest, err := h.opt.Store.Accounts().LatestRevision(r.Context(), a.ID)
	if err == nil {
		ev.Base, ev.Source = latest.ID, latest.Source
		setValues(&ev.formView, latest.Title, latest.Summary, latest.Body, latest.SectionID, latest.Kind)
	} else {
		setValues(&ev.formView, a.Title, a.Summary, a.Body, a.SectionID, a.Kind)
	}
	h.showArticle(w, r, v, a, ev, http.StatusOK)
}

// previewLink shows the latest revision of an article to anyone with a
// preview link.
func (h *Handler) previewLink(w http.ResponseWriter, r *http.Request) {
	p := h.basePage(r)
	t, err := h.opt.Store.Accounts().Token(r.Context(), store.TokenPreview, hashOf(r.PathValue("token")), h.now())
	if errors.Is(err, content.ErrNotFound) {
		p.Title, p.Problem = p.T("Preview link not valid"), p.T("This preview link has expired or is wrong. Ask the editor who sent it for a new one.")
		h.render(w, http.StatusNotFound, "message", p)
		return
	}
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	a, err := h.opt.Store.Article(r.Context(), t.ArticleID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	// A link works only while the one who made it may still see the
	// article: a person disabled or moved off the site takes their links
	// with them.
	if !h.stillAllowed(r.Context(), t.CreatedBy, a) {
		p.Title, p.Problem = p.T("Preview link not valid"), p.T("This preview link has expired or is wrong. Ask the editor who sent it for a new one.")
		h.render(w, http.StatusNotFound, "message", p)
		return
	}
	s, err := h.opt.Store.Site(r.Context(), a.SiteID)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if latest, err := h.opt.Store.Accounts().LatestRevision(r.Context(), a.ID); err == nil {
		html, err := markup.Render(latest.Body)
		if err == nil {
			a.Title, a.Summary, a.Body, a.BodyHTML = latest.Title, latest.Summary, latest.Body, html
		}
	}
	w.Header().Set("Referrer-Policy", "no-referrer")
	if err := h.opt.Site.Preview(w, r, s, a); err != nil {
		h.fail(w, r, p, err)
	}
}

// insertImage shows the editor again with an image's Markdown added at
// the end of the text, for the person to move and save: nothing is saved.
func (h *Handler) insertImage(w http.ResponseWriter, r *http.Request, v *visit, a content.Article, d editorial.Draft) {
	p := v.page
	ev := editorView{formView: newForm(), New: d.ArticleID == 0, Lang: d.Language, Base: d.Base, Source: d.Source}
	fillValues(&ev.formView, r.PostForm)
	m, err := h.opt.Store.Imports().Media(r.Context(), p.Site.ID, r.PostFormValue("image"))
	if err != nil || !strings.HasPrefix(m.ContentType, "image/") {
		ev.Errors["image"] = p.T("choose a stored image")
	} else {
		texts, err := h.opt.Store.Accounts().MediaTexts(r.Context(), []int64{m.ID})
		if err != nil {
			h.fail(w, r, p, err)
			return
		}
		alt := texts[m.ID][d.Language].Alt
		alt = strings.NewReplacer("[", "(", "]", ")", "\n", " ").Replace(alt)
		ev.Values["body"] = strings.TrimRight(ev.Values["body"], "\n") + "\n\n![" + alt + "](" + m.Path() + ")\n"
		v.page.Flash = p.T("The image is added at the end of the text: move it where it belongs, then save.")
	}
	if ev.New {
		if d.TranslationOf != 0 {
			ev.Translation = true
			if err := h.besideSource(r, v, d.TranslationOf, &ev); err != nil {
				h.fail(w, r, p, err)
				return
			}
		}
		h.showEditor(w, r, v, ev, http.StatusOK)
		return
	}
	h.showArticle(w, r, v, a, ev, http.StatusOK)
}

// stillAllowed reports whether the maker of a preview link may still
// show the article: active, and now as then allowed to change or publish
// it, with the second factor its site may require.
func (h *Handler) stillAllowed(ctx context.Context, userID int64, a content.Article) bool {
	u, err := h.opt.Store.Accounts().User(ctx, userID)
	if err != nil || u.Disabled {
		return false
	}
	s, err := h.opt.Store.Site(ctx, a.SiteID)
	if err != nil || (s.RequireTwoFactor && !u.TwoFactor()) {
		return false
	}
	roles, err := h.opt.Store.Accounts().Roles(ctx, userID)
	if err != nil {
		return false
	}
	st, err := h.opt.Store.Accounts().ArticleState(ctx, a.ID)
	if err != nil {
		return false
	}
	actor := editorial.Actor{User: u, Roles: roles}
	return actor.MayShow(a, st)
}
