package admin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"chancery/internal/account"
	"chancery/internal/content"
	"chancery/internal/editorial"
	"chancery/internal/pages"
	"chancery/internal/store"
)

// uploadTypes are the files the back office stores: images for bodies,
// PDF for documents. Office files are left out (they open in an office
// suite, not the browser, and carry macros); SVG too (it can hold script).
var uploadTypes = map[string]bool{"image/jpeg": true, "image/png": true, "image/gif": true, "image/webp": true, "application/pdf": true}

// DefaultMaxUpload is the largest file the back office takes unless
// configured otherwise.
const DefaultMaxUpload = 20 << 20

func (h *Handler) maxUpload() int64 {
	if h.opt.MaxUpload > 0 {
		return h.opt.MaxUpload
	}
	return DefaultMaxUpload
}

type mediaView struct {
	formView
	Langs []string
	Rows  []mediaRow
	Limit string
	// Kept is the file whose texts are shown as they were sent (refused,
	// or interrupted by a sign-in), with those texts and their problems.
	Kept       string
	KeptTexts  url.Values
	KeptErrors map[string]string
}

type mediaRow struct {
	Key, Name, Type, Size, Path string
	Image                       bool
	Texts                       []mediaTextRow
}

type mediaTextRow struct{ Lang, Title, Alt, TitleError, AltError string }

func (h *Handler) media(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.UploadMedia, "upload files") {
		return
	}
	if r.URL.Query().Get("done") == "saved" {
		v.page.Flash = v.page.T("Saved.")
	}
	mv := mediaView{formView: newForm()}
	if key, vals, ok := resumedAction(r); ok {
		// A file's texts as they were sent, for a second look.
		mv.Kept, mv.KeptTexts = key, vals
		v.page.Flash = v.page.T("This is what you sent, not yet done. Check it and send it again.")
	}
	h.showMedia(w, r, v, mv, http.StatusOK)
}

func (h *Handler) showMedia(w http.ResponseWriter, r *http.Request, v *visit, mv mediaView, status int) {
	p := v.page
	s := *p.Site
	rows, err := h.mediaRows(r, s)
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	for i := range rows {
		if rows[i].Key != mv.Kept {
			continue
		}
		for j := range rows[i].Texts {
			t := &rows[i].Texts[j]
			t.Title, t.Alt = mv.KeptTexts.Get("title_"+t.Lang), mv.KeptTexts.Get("alt_"+t.Lang)
			t.TitleError, t.AltError = mv.KeptErrors["title_"+t.Lang], mv.KeptErrors["alt_"+t.Lang]
		}
	}
	mv.Rows, mv.Langs, mv.Limit = rows, s.Languages, store.HumanSize(h.maxUpload())
	p.Title, p.Body = p.T("Images and documents"), mv
	h.render(w, status, "media", p)
}

// mediaRows lists a site's files, newest first, with their texts.
func (h *Handler) mediaRows(r *http.Request, s content.Site) ([]mediaRow, error) {
	ctx := r.Context()
	files, err := h.opt.Store.Imports().MediaList(ctx, s.ID)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(files))
	for i, m := range files {
		ids[i] = m.ID
	}
	texts, err := h.opt.Store.Accounts().MediaTexts(ctx, ids)
	if err != nil {
		return nil, err
	}
	rows := make([]mediaRow, 0, len(files))
	for i := len(files) - 1; i >= 0; i-- {
		m := files[i]
		row := mediaRow{Key: m.Key, Name: m.Name, Type: store.TypeName(m.ContentType), Size: store.HumanSize(m.Size), Path: m.Path(),
			Image: strings.HasPrefix(m.ContentType, "image/")}
		for _, l := range s.Languages {
			t := texts[m.ID][l]
			row.Texts = append(row.Texts, mediaTextRow{Lang: l, Title: t.Title, Alt: t.Alt})
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// upload stores a file sent from the media page, typed from its content.
func (h *Handler) upload(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.UploadMedia, "upload files") {
		return
	}
	p := v.page
	s := *p.Site
	mv := mediaView{formView: newForm()}
	for _, l := range s.Languages {
		mv.Values["title_"+l], mv.Values["alt_"+l] = r.PostFormValue("title_"+l), r.PostFormValue("alt_"+l)
	}
	file, header, err := r.FormFile("file")
	if err != nil {
		mv.Errors["file"] = p.T("Choose a file to upload.")
		h.showMedia(w, r, v, mv, http.StatusUnprocessableEntity)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, h.maxUpload()+1))
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	if int64(len(data)) > h.maxUpload() {
		mv.Errors["file"] = fmt.Sprintf(p.T("The file is larger than %s, the most this server takes. Make it smaller (a PDF can be saved for the web; a photo exported smaller) and upload it again."), store.HumanSize(h.maxUpload()))
		h.showMedia(w, r, v, mv, http.StatusRequestEntityTooLarge)
		return
	}
	if len(data) == 0 {
		mv.Errors["file"] = p.T("The file is empty.")
		h.showMedia(w, r, v, mv, http.StatusUnprocessableEntity)
		return
	}
	ctype, _ := store.FileType(header.Filename, data)
	if !uploadTypes[ctype] {
		mv.Errors["file"] = fmt.Sprintf(p.T("This file is %s, judged from its content, not its name. Upload images (JPEG, PNG, GIF, WebP) or PDF documents."), ctype)
		h.showMedia(w, r, v, mv, http.StatusUnsupportedMediaType)
		return
	}
	texts, ok := mediaTexts(r, s, &mv.formView, p)
	if !ok {
		h.showMedia(w, r, v, mv, http.StatusUnprocessableEntity)
		return
	}
	ctx := r.Context()
	_, err = h.opt.Editorial.Publisher.ChangeSite(ctx, s.ID, func(q store.Queries) (pages.Set, error) {
		m, err := q.Imports().PutMedia(ctx, store.Media{SiteID: s.ID, ContentType: ctype, Name: store.FileName(header.Filename, ctype), Data: data, CreatedAt: h.now()})
		if err != nil {
			return nil, err
		}
		// The same file again (stored once): the texts typed now replace
		// those of their language, the others stay.
		set, err := h.putTexts(ctx, q, v, m, texts, true)
		if err != nil {
			return nil, err
		}
		return set, q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, SiteID: s.ID, Action: "upload",
			Detail: fmt.Sprintf("%s (%s, %s)", m.Path(), store.TypeName(ctype), store.HumanSize(m.Size)), Address: clientAddress(r)})
	})
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/admin/sites/"+s.Key+"/media?done=saved", http.StatusSeeOther)
}

// putTexts stores a file's texts and returns the public pages that show
// them: the articles it is attached to. Changing what a published page
// shows is publishing, so it needs the role to publish. keep leaves a
// language's texts alone when both are typed empty.
func (h *Handler) putTexts(ctx context.Context, q store.Queries, v *visit, m store.Media, texts map[string]store.MediaText, keep bool) (pages.Set, error) {
	ids, err := q.Accounts().AttachedTo(ctx, m.ID)
	if err != nil {
		return nil, err
	}
	set := pages.Set{}
	for _, id := range ids {
		a, err := q.Article(ctx, id)
		if err != nil {
			return nil, err
		}
		if a.Public() {
			set.Add(pages.Page{Kind: pages.Article, Lang: a.Language, ArticleID: a.ID})
		}
	}
	old, err := q.Accounts().MediaTexts(ctx, []int64{m.ID})
	if err != nil {
		return nil, err
	}
	changed := false
	for l, t := range texts {
		if keep && t == (store.MediaText{}) {
			continue
		}
		if old[m.ID][l] == t {
			continue
		}
		changed = true
		if err := q.Accounts().PutMediaText(ctx, m.ID, l, t); err != nil {
			return nil, err
		}
	}
	if changed && len(set) > 0 && !v.page.Can(string(account.Publish)) {
		return nil, fmt.Errorf("%w: this file is listed on published articles, and your role on this site (%s) does not let you change what readers see", editorial.ErrForbidden, v.page.Role)
	}
	if !changed {
		return pages.Set{}, nil
	}
	return set, nil
}

// mediaTexts reads the title and alternative text of each language.
func mediaTexts(r *http.Request, s content.Site, f *formView, p page) (map[string]store.MediaText, bool) {
	texts := map[string]store.MediaText{}
	ok := true
	for _, l := range s.Languages {
		t := store.MediaText{Title: strings.TrimSpace(r.PostFormValue("title_" + l)), Alt: strings.TrimSpace(r.PostFormValue("alt_" + l))}
		if utf8.RuneCountInString(t.Title) > 300 {
			f.Errors["title_"+l], ok = p.T("the title is longer than 300 characters"), false
		}
		if utf8.RuneCountInString(t.Alt) > 500 {
			f.Errors["alt_"+l], ok = p.T("the description is longer than 500 characters"), false
		}
		texts[l] = t
	}
	return texts, ok
}

// saveMediaTexts changes a stored file's titles and descriptions.
func (h *Handler) saveMediaTexts(w http.ResponseWriter, r *http.Request, v *visit) {
	if h.refuse(w, r, v, account.UploadMedia, "change files") {
		return
	}
	p := v.page
	s := *p.Site
	ctx := r.Context()
	m, err := h.opt.Store.Imports().Media(ctx, s.ID, r.PathValue("key"))
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	kept := newForm()
	texts, ok := mediaTexts(r, s, &kept, p)
	if !ok {
		// The problems go next to this file's fields, which keep what
		// was typed.
		mv := mediaView{formView: newForm(), Kept: m.Key, KeptTexts: r.PostForm, KeptErrors: kept.Errors}
		h.showMedia(w, r, v, mv, http.StatusUnprocessableEntity)
		return
	}
	// The pages that list the file show the new texts: they are
	// rendered again with the change.
	_, err = h.opt.Editorial.Publisher.ChangeSite(ctx, s.ID, func(q store.Queries) (pages.Set, error) {
		set, err := h.putTexts(ctx, q, v, m, texts, false)
		if err != nil {
			return nil, err
		}
		return set, q.Accounts().Audit(ctx, store.AuditEntry{At: h.now(), UserID: v.user.ID, Email: v.user.Email, SiteID: s.ID,
			Action: "file-texts", Detail: m.Path(), Address: clientAddress(r)})
	})
	if err != nil {
		h.fail(w, r, p, err)
		return
	}
	http.Redirect(w, r, "/admin/sites/"+s.Key+"/media?done=saved", http.StatusSeeOther)
}

// attach lists a stored file on an article's page, or takes it off.
func (h *Handler) attach(w http.ResponseWriter, r *http.Request, v *visit) {
	a, err := h.loadArticle(r, v)
	if err != nil {
		h.fail(w, r, v.page, err)
		return
	}
	ctx := r.Context()
	m, err := h.opt.Store.Imports().Media(ctx, a.SiteID, r.PostFormValue("media"))
	if err != nil {
		if errors.Is(err, content.ErrNotFound) {
			h.actionDone(w, r, v, a, &content.ValidationError{What: "attachment", Fields: map[string]string{"media": "choose a stored document"}}, "")
			return
		}
		h.fail(w, r, v.page, err)
		return
	}
	err = h.opt.Editorial.Attach(ctx, v.actor(r), a.ID, m, r.PostFormValue("do") == "detach")
	h.actionDone(w, r, v, a, err, "saved")
}
