package site

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"chancery/internal/content"
)

// elsewhere answers an address outside the site's language paths: an
// article kept at its old platform's address (a site that keeps that
// scheme), or an old address that has moved. It reports whether it
// answered.
func (h *Handler) elsewhere(w http.ResponseWriter, r *http.Request, s content.Site, path string) (bool, error) {
	if !strings.HasSuffix(path, "/") {
		a, err := h.store.ArticleByPath(r.Context(), s.ID, path)
		if err == nil && (a.Visible(h.now()) || a.Status == content.StatusWithdrawn) {
			sections, err := h.store.Sections(r.Context(), s.ID)
			if err != nil {
				return true, err
			}
			sr := siteRequest{site: s, lang: a.Language, tree: content.NewTree(sections), origin: h.origin(r, s.Hosts[0])}
			return true, h.article(w, r, sr, a)
		}
		if err != nil && !errors.Is(err, content.ErrNotFound) {
			return true, err
		}
	}
	return h.moved(w, r, s, path)
}

// moved answers an old address recorded by an import with a permanent
// redirect to where its content is now: compared as the old platform
// compared addresses (any case, with or without a trailing index file),
// and whatever query the old address carried, which the old platform
// ignored. It reports whether it answered.
func (h *Handler) moved(w http.ResponseWriter, r *http.Request, s content.Site, path string) (bool, error) {
	// The address as sent: the key decodes it once, as it decoded the
	// old address recorded.
	rd, err := h.store.Imports().Redirect(r.Context(), s.ID, r.URL.EscapedPath())
	if errors.Is(err, content.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return true, err
	}
	target := rd.Target
	switch {
	case rd.ArticleID != 0:
		a, err := h.store.Article(r.Context(), rd.ArticleID)
		if errors.Is(err, content.ErrNotFound) || (err == nil && !(a.Visible(h.now()) || a.Status == content.StatusWithdrawn)) {
			return false, nil
		}
		if err != nil {
			return true, err
		}
		target = a.Path
	case rd.SectionID != 0:
		sections, err := h.store.Sections(r.Context(), s.ID)
		if err != nil {
			return true, err
		}
		tree := content.NewTree(sections)
		if _, ok := tree.Section(rd.SectionID); !ok || !s.HasLanguage(rd.Language) {
			return false, nil
		}
		target = content.SectionPath(rd.Language, tree.Slugs(rd.SectionID, rd.Language))
	}
	// A target equal to the address asked for would loop; one equal
	// but for case or an index file is where the article really is.
	if target == "" || target == path || target == r.URL.EscapedPath() {
		return false, nil
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	http.Redirect(w, r, target, http.StatusMovedPermanently)
	return true, nil
}

// serveMedia answers /media/{key}/{name}: a stored file, cached for a
// year (its address changes with its bytes), with ranges and conditional
// requests. A known key under another name redirects to the file's name.
func (h *Handler) serveMedia(w http.ResponseWriter, r *http.Request, s content.Site, rest string) error {
	key, name, _ := strings.Cut(rest, "/")
	m, err := h.store.Imports().Media(r.Context(), s.ID, key)
	if errors.Is(err, content.ErrNotFound) {
		return h.notFound(w, r, s, negotiate(w, r, s.Languages, s.DefaultLanguage))
	}
	if err != nil {
		return err
	}
	if name != m.Name {
		http.Redirect(w, r, m.Path(), http.StatusMovedPermanently)
		return nil
	}
	hd := w.Header()
	hd.Set("Content-Type", m.ContentType)
	hd.Set("Cache-Control", "public, max-age=31536000, immutable")
	hd.Set("ETag", `"`+m.SHA256+`"`)
	hd.Set("X-Content-Type-Options", "nosniff")
	http.ServeContent(w, r, "", m.CreatedAt, bytes.NewReader(m.Data))
	return nil
}
