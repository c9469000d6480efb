package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"strings"

	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/store"
)

// importer writes the entries of one run into its site.
type importer struct {
	st   store.Store
	opt  Options
	rep  *Report
	site content.Site
	tree content.Tree
	// borrowed marks section names copied from another language because
	// the source had none yet; a page in that language names it later.
	borrowed map[int64]map[string]bool
	// groups maps what translation links point at (RedirectKey of an old
	// address, an item's key, a shared translation key) to the
	// translation group of the article stored for it in this run.
	groups map[string]int64
	// claimed maps RedirectKey of each old address seen in this run to
	// the key of the item that claimed it first.
	claimed map[string]string
	// files are the keys of the files stored in this run.
	files map[string]bool
}

func newImporter(ctx context.Context, st store.Store, opt Options, rep *Report) (*importer, error) {
	im := &importer{st: st, opt: opt, rep: rep, site: opt.Site,
		borrowed: map[int64]map[string]bool{}, groups: map[string]int64{}, claimed: map[string]string{}, files: map[string]bool{}}
	return im, im.reloadTree(ctx)
}

func (im *importer) reloadTree(ctx context.Context) error {
	sections, err := im.st.Sections(ctx, im.site.ID)
	if err != nil {
		return err
	}
	im.tree = content.NewTree(sections)
	return nil
}

// apply writes one entry and reports it.
func (im *importer) apply(ctx context.Context, w *parsed, e Entry) {
	file := e.File
	if file == "" {
		file = w.file.name
	}
	switch {
	case e.Err != nil:
		im.rep.add(Line{Outcome: Failed, Source: w.source, File: file, Reason: e.Err.Error()})
	case e.Listing != nil:
		if err := im.listing(ctx, e.Listing); err != nil {
			im.rep.add(Line{Outcome: Failed, Source: w.source, File: file, Key: e.Listing.OldPath, Reason: "section listing: " + reasonOf(err)})
		}
	case e.Item != nil:
		l := im.item(ctx, w, file, e.Item)
		im.rep.add(l)
	default:
		im.rep.add(Line{Outcome: Skipped, Source: w.source, File: file, Reason: e.Skip})
	}
}

// listing records a section's old listing address as a redirect to the
// section's page.
func (im *importer) listing(ctx context.Context, l *Listing) error {
	lang, err := im.language(l.Language)
	if err != nil {
		return err
	}
	if content.CheckPath(strings.TrimSuffix(l.OldPath, "/")+"/x") != "" {
		return refuse("%q is not an address", l.OldPath)
	}
	id, err := im.section(ctx, l.Sections, lang)
	if err != nil {
		return err
	}
	if err := im.st.Imports().PutRedirect(ctx, store.Redirect{SiteID: im.site.ID, OldPath: l.OldPath, SectionID: id, Language: lang}); err != nil {
		return err
	}
	im.rep.Redirects++
	return nil
}

// language is the site's language of an item: its own, or the site's
// default when the source does not say.
func (im *importer) language(tag string) (string, error) {
	if tag == "" {
		return im.site.DefaultLanguage, nil
	}
	lang := content.CanonicalLanguage(tag)
	if !im.site.HasLanguage(lang) {
		return "", refuse("its language %q is not a language of site %q (it has %s): add it with \"chancery site edit %s --languages\" and import again",
			tag, im.site.Key, strings.Join(im.site.Languages, ", "), im.site.Key)
	}
	return lang, nil
}

// item imports one article: created the first time, updated when its
// source changed and nobody edited it in Chancery since, else left alone.
func (im *importer) item(ctx context.Context, w *parsed, file string, it *Item) Line {
	l := Line{Source: w.source, File: file, Key: it.Key, Title: it.Title, OldAddresses: it.OldPaths}
	if it.Key == "" {
		it.Key = file
		l.Key = file
	}
	fail := func(outcome Outcome, err error) Line {
		l.Outcome, l.Reason = outcome, reasonOf(err)
		return l
	}
	lang, err := im.language(it.Language)
	if err != nil {
		return fail(Failed, err)
	}
	switch {
	case strings.TrimSpace(it.Title) == "":
		return fail(Failed, refuse("the page has no title"))
	case it.Published.IsZero() && !it.Draft:
		return fail(Skipped, refuse("no publication date found; give the page one in the source and import again"))
	case strings.TrimSpace(markup.Text(it.Body)) == "" && !strings.Contains(it.Body, "<img"):
		return fail(Skipped, refuse("the page has a title but no text"))
	}
	for _, p := range it.OldPaths {
		if first, ok := im.claimed[store.RedirectKey(p)]; ok && first != it.Key {
			return fail(Failed, refuse("old address %s is also the address of %s, imported before it; this one was not imported", p, first))
		}
	}
	sum := digest(it)
	var old *content.Article
	rec, err := im.st.Imports().ImportRecord(ctx, im.site.ID, it.Key)
	switch {
	case err == nil:
		a, err := im.st.Article(ctx, rec.ArticleID)
		if err != nil {
			return fail(Failed, err)
		}
		l.ArticleID, l.Address = a.ID, a.Path
		switch {
		case rec.Digest == sum:
			im.remember(it, lang, a.TranslationGroup)
			l.Outcome = Unchanged
			return l
		case !a.UpdatedAt.Equal(rec.ArticleUpdatedAt):
			im.remember(it, lang, a.TranslationGroup)
			return fail(Skipped, refuse("changed in its source, but article %d was edited in Chancery since it was imported; the import does not overwrite it", a.ID))
		}
		old = &a
	case !errors.Is(err, content.ErrNotFound):
		return fail(Failed, err)
	}
	for _, p := range it.OldPaths {
		r, err := im.st.Imports().Redirect(ctx, im.site.ID, p)
		if err == nil && r.ArticleID != 0 && (old == nil || r.ArticleID != old.ID) {
			return fail(Failed, refuse("old address %s already leads to article %d, imported from another source; this one was not imported", p, r.ArticleID))
		}
	}
	sectionID, err := im.section(ctx, it.Sections, lang)
	if err != nil {
		return fail(Failed, err)
	}
	var saved content.Article
	var notes []string
	err = im.st.InTx(ctx, func(q store.Queries) error {
		notes = nil
		a := content.Article{SiteID: im.site.ID, Language: lang, Kind: content.KindNews}
		if old != nil {
			a = *old
		}
		a.SectionID, a.Title, a.Summary = sectionID, it.Title, strings.TrimSpace(it.Summary)
		if it.Kind != "" {
			a.Kind = it.Kind
		}
		if old == nil || !old.Public() {
			a.Status = content.StatusPublished
			if it.Draft {
				a.Status = content.StatusDraft
			}
		}
		a.PublishedAt = it.Published
		if it.Floating {
			a.PublishedAt = wallClock(it.Published, im.site.Location())
		}
		if old == nil && validSlug(it.Slug) {
			a.Slug = it.Slug
		}
		// A site that keeps its old platform's addresses keeps each
		// article at the one it had.
		if old == nil && a.Public() && im.site.AddressScheme != "" && len(it.OldPaths) > 0 && content.CheckPath(it.OldPaths[0]) == "" {
			a.Path = it.OldPaths[0]
		}
		body, n, err := im.body(ctx, q, w, file, it)
		if err != nil {
			return err
		}
		notes = n
		a.Body, a.BodyHTML = body.source, body.html
		if a.Summary == "" {
			a.Summary = summaryOf(a.BodyHTML)
		}
		group, note, err := im.group(ctx, q, it, lang, a.ID)
		if err != nil {
			return err
		}
		if note != "" {
			notes = append(notes, note)
		}
		if group != 0 {
			a.TranslationGroup = group
		}
		if old == nil {
			if a, err = q.CreateArticle(ctx, a); err != nil {
				return err
			}
		} else if err := q.UpdateArticle(ctx, a); err != nil {
			return err
		}
		// Read back what the store made of it: the address, the group
		// and the update time the record must remember.
		if saved, err = q.Article(ctx, a.ID); err != nil {
			return err
		}
		for _, p := range it.OldPaths {
			if err := q.Imports().PutRedirect(ctx, store.Redirect{SiteID: im.site.ID, OldPath: p, ArticleID: saved.ID}); err != nil {
				return err
			}
		}
		return q.Imports().PutImportRecord(ctx, store.ImportRecord{SiteID: im.site.ID, SourceKey: it.Key, ArticleID: saved.ID,
			Digest: sum, ArticleUpdatedAt: saved.UpdatedAt, ImportedAt: im.opt.Now()})
	})
	if err != nil {
		return fail(Failed, err)
	}
	im.rep.Redirects += len(it.OldPaths)
	im.remember(it, lang, saved.TranslationGroup)
	l.Outcome, l.ArticleID, l.Address, l.Notes = Imported, saved.ID, saved.Path, notes
	if old != nil {
		l.Outcome = Updated
	}
	return l
}

// remember notes what an item's translations may link to, and the old
// addresses it claimed.
func (im *importer) remember(it *Item, lang string, group int64) {
	im.groups[it.Key] = group
	for _, p := range it.OldPaths {
		im.groups[store.RedirectKey(p)] = group
		im.claimed[store.RedirectKey(p)] = it.Key
	}
	for _, t := range it.Translations {
		if strings.HasPrefix(t, sharedKeyPrefix) {
			im.groups[t] = group
		}
	}
}

// sharedKeyPrefix marks a translation link that is a key the versions
// share (Hugo's translationKey) rather than an address or item key.
const sharedKeyPrefix = "md-translation:"

// group finds the translation group an item joins: that of a version in
// another language it links, stored in this run or an earlier one. A
// version already present in the item's language is not joined (note).
func (im *importer) group(ctx context.Context, q store.Queries, it *Item, lang string, self int64) (int64, string, error) {
	for _, ref := range it.Translations {
		group, ok := im.groups[ref]
		if !ok {
			group, ok = im.groups[store.RedirectKey(ref)]
		}
		if !ok && !strings.HasPrefix(ref, sharedKeyPrefix) {
			r, err := q.Imports().Redirect(ctx, im.site.ID, ref)
			if errors.Is(err, content.ErrNotFound) {
				continue
			}
			if err != nil {
				return 0, "", err
			}
			if r.ArticleID == 0 {
				continue
			}
			a, err := q.Article(ctx, r.ArticleID)
			if err != nil {
				return 0, "", err
			}
			group, ok = a.TranslationGroup, true
		}
		if !ok || group == 0 {
			continue
		}
		versions, err := q.Translations(ctx, group)
		if err != nil {
			return 0, "", err
		}
		for _, v := range versions {
			if v.Language == lang && v.ID != self {
				return 0, fmt.Sprintf("the version it links as its translation (%s) already has a %s version, article %d; it was not linked", ref, lang, v.ID), nil
			}
		}
		return group, "", nil
	}
	return 0, "", nil
}

// section finds the section a path of section references names, creating
// what is missing, and returns its ID. An empty path is the site's first
// section (a "News" section is made when the site has none).
func (im *importer) section(ctx context.Context, refs []SectionRef, lang string) (int64, error) {
	if len(refs) == 0 {
		if top := im.tree.Children(0); len(top) > 0 {
			return top[0].ID, nil
		}
		refs = []SectionRef{{Slug: "news", Name: defaultSectionName(lang)}}
	}
	var parent int64
	for _, ref := range refs {
		slug := sectionSlug(ref)
		name := strings.TrimSpace(ref.Name)
		if name == "" {
			name = slug
		}
		found, ok := im.child(parent, lang, slug, name)
		if !ok {
			created, err := im.createSection(ctx, parent, lang, slug, name)
			if err != nil {
				return 0, err
			}
			parent = created
			continue
		}
		if im.borrowed[found.ID][lang] && found.Names[lang] != name {
			found.Names = maps.Clone(found.Names)
			found.Names[lang] = name
			if err := im.st.UpdateSection(ctx, found); err != nil {
				return 0, fmt.Errorf("section %s: %w", slug, err)
			}
			delete(im.borrowed[found.ID], lang)
			if err := im.reloadTree(ctx); err != nil {
				return 0, err
			}
		}
		parent = found.ID
	}
	return parent, nil
}

// child finds a section below parent by its address segment in lang, in
// any language, or by its name in lang.
func (im *importer) child(parent int64, lang, slug, name string) (content.Section, bool) {
	kids := im.tree.Children(parent)
	for _, s := range kids {
		if s.Slugs[lang] == slug {
			return s, true
		}
	}
	for _, s := range kids {
		for _, other := range s.Slugs {
			if other == slug {
				return s, true
			}
		}
	}
	for _, s := range kids {
		if s.Names[lang] == name {
			return s, true
		}
	}
	return content.Section{}, false
}

func (im *importer) createSection(ctx context.Context, parent int64, lang, slug, name string) (int64, error) {
	sec := content.Section{SiteID: im.site.ID, ParentID: parent, Position: len(im.tree.Children(parent)) + 1, InNav: parent == 0,
		Names: map[string]string{}, Slugs: map[string]string{}}
	borrowed := map[string]bool{}
	for _, l := range im.site.Languages {
		sec.Names[l], sec.Slugs[l] = name, slug
		if l != lang {
			borrowed[l] = true
		}
	}
	created, err := im.st.CreateSection(ctx, sec)
	if err != nil {
		return 0, fmt.Errorf("cannot create section %q (%s): %w", name, slug, err)
	}
	im.borrowed[created.ID] = borrowed
	im.rep.Sections = append(im.rep.Sections, im.sectionTitle(parent, name))
	return created.ID, im.reloadTree(ctx)
}

// sectionTitle names a new section with its parents for the report.
func (im *importer) sectionTitle(parent int64, name string) string {
	var names []string
	for id := parent; id != 0; {
		s, ok := im.tree.Section(id)
		if !ok {
			break
		}
		names = append([]string{s.Names[im.site.DefaultLanguage]}, names...)
		id = s.ParentID
	}
	return strings.Join(append(names, name), " > ")
}

func defaultSectionName(lang string) string {
	if strings.HasPrefix(lang, "zh") {
		return "新闻"
	}
	return "News"
}

var reservedSectionSlugs = map[string]bool{"page": true, "static": true, "search": true, "share": true, "media": true}

// sectionSlug makes a section's address segment from the source's: lower
// case, only letters, digits, hyphens and underscores; from the name when
// the source has none; from a hash of the name for a name in another
// script.
func sectionSlug(ref SectionRef) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(ref.Slug)) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		case r == ' ' || r == '.':
			b.WriteByte('-')
		}
	}
	slug := strings.Trim(b.String(), "-_")
	if slug == "" {
		slug = content.Slugify(ref.Name)
	}
	if slug == "" {
		sum := sha256.Sum256([]byte(ref.Name))
		slug = "s-" + hex.EncodeToString(sum[:3])
	}
	if reservedSectionSlugs[slug] || strings.Trim(slug, "0123456789-_") == "" {
		slug = "s-" + slug
	}
	return slug
}

// validSlug reports whether a source's slug can be an article's.
func validSlug(s string) bool {
	if s == "" || len(s) > 80 {
		return false
	}
	return content.Slugify(s) == s
}
