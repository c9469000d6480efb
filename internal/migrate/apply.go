package migrate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
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
	// journal undoes, newest first, what the entries of a batch changed
	// in the maps and counts above, when the batch is rolled back.
	journal []func()
	// lines are the report lines of the batch being written, added to
	// the report when it commits.
	lines []Line
	// recorded are the source keys the site had records of, and old the
	// RedirectKeys of the old addresses it had, when the run began: the
	// importer asks the database about an item only when it may know it.
	recorded, old map[string]bool
	// seen maps the key of each item written in this run to its file.
	seen map[string]string
}

func newImporter(ctx context.Context, st store.Store, opt Options, rep *Report) (*importer, error) {
	im := &importer{st: st, opt: opt, rep: rep, site: opt.Site,
		borrowed: map[int64]map[string]bool{}, groups: map[string]int64{}, claimed: map[string]string{}, files: map[string]bool{},
		recorded: map[string]bool{}, old: map[string]bool{}, seen: map[string]string{}}
	keys, err := st.Imports().ImportKeys(ctx, opt.Site.ID)
	if err != nil {
		return nil, err
	}
	for _, k := range keys {
		im.recorded[k] = true
	}
	redirects, err := st.Imports().Redirects(ctx, opt.Site.ID)
	if err != nil {
		return nil, err
	}
	for _, r := range redirects {
		im.old[store.RedirectKey(r.OldPath)] = true
	}
	return im, im.reloadTree(ctx, st)
}

func (im *importer) reloadTree(ctx context.Context, q store.Queries) error {
	sections, err := q.Sections(ctx, im.site.ID)
	if err != nil {
		return err
	}
	im.tree = content.NewTree(sections)
	return nil
}

// set changes m[k] to v, and journals how to undo it.
func set[K comparable, V any](im *importer, m map[K]V, k K, v V) {
	old, had := m[k]
	m[k] = v
	im.journal = append(im.journal, func() {
		if had {
			m[k] = old
		} else {
			delete(m, k)
		}
	})
}

// count adds n to a count of the report, and journals how to undo it.
func (im *importer) count(c *int, n int) {
	*c += n
	im.journal = append(im.journal, func() { *c -= n })
}

// pending is one entry to write, with the file it came from.
type pending struct {
	w *parsed
	e Entry
}

// batchSize is how many entries share a transaction: one commit (and one
// flush of the search index) per entry was most of an import's time.
const batchSize = 100

// write stores the entries of the parsed files as they become ready, a
// batch to a transaction. When any write of a batch fails, the batch is
// rolled back and its entries written again one to a transaction, so
// that the failure is reported against its own item and nothing else.
func (im *importer) write(ctx context.Context, work []*parsed, progress func(done, total int), slots chan struct{}) error {
	var batch []pending
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if err := im.batch(ctx, batch, false); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			for _, p := range batch {
				if err := im.batch(ctx, []pending{p}, true); err != nil {
					return err
				}
			}
		}
		batch = batch[:0]
		return nil
	}
	for i, w := range work {
		select {
		case <-w.ready:
		case <-ctx.Done():
			return ctx.Err()
		}
		entries := w.entries
		w.entries = nil // the batch holds them until they are written
		for _, e := range entries {
			batch = append(batch, pending{w, e})
			if len(batch) >= batchSize {
				if err := flush(); err != nil {
					return err
				}
			}
		}
		<-slots
		if progress != nil && len(batch) == 0 {
			progress(i+1, len(work))
		}
	}
	if err := flush(); err != nil {
		return err
	}
	if progress != nil {
		progress(len(work), len(work))
	}
	return nil
}

// batch writes entries in one transaction. A write that fails rolls the
// batch back and undoes what it changed in the importer; alone, the
// failure becomes its item's report line, otherwise it is returned.
func (im *importer) batch(ctx context.Context, entries []pending, alone bool) error {
	im.journal, im.lines = im.journal[:0], im.lines[:0]
	// Articles are written oldest first: the search index keeps what a
	// transaction adds in memory only while its keys (publication times)
	// rise, and writes it out at every step back.
	order := make([]int, len(entries))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return published(entries[a]).Compare(published(entries[b])) })
	dups := im.duplicates(entries)
	err := im.st.InTx(ctx, func(q store.Queries) error {
		for _, i := range order {
			n := len(im.lines)
			if err := im.apply(ctx, q, entries[i].w, entries[i].e, dups[i]); err != nil {
				return err
			}
			for j := n; j < len(im.lines); j++ {
				im.lines[j].order = i
			}
		}
		return nil
	})
	if err == nil {
		// The report keeps the order of the source.
		slices.SortStableFunc(im.lines, func(a, b Line) int { return a.order - b.order })
		for _, l := range im.lines {
			im.rep.add(l)
		}
		return nil
	}
	for i := len(im.journal) - 1; i >= 0; i-- {
		im.journal[i]()
	}
	if rerr := im.reloadTree(ctx, im.st); rerr != nil {
		return rerr
	}
	if !alone || ctx.Err() != nil {
		return err
	}
	p := entries[0]
	l := Line{Outcome: Failed, Source: p.w.source, File: entryFile(p), Reason: reasonOf(err)}
	if p.e.Item != nil {
		l.Key, l.Title, l.OldAddresses = p.e.Item.Key, p.e.Item.Title, p.e.Item.OldPaths
	} else if p.e.Listing != nil {
		l.Key, l.Reason = p.e.Listing.OldPath, "section listing: "+l.Reason
	}
	im.rep.add(l)
	return nil
}

// published is when an entry's article was published, as far as the
// order of writing needs: its time as the source gives it.
func published(p pending) time.Time {
	if p.e.Item != nil {
		return p.e.Item.Published
	}
	return time.Time{}
}

func entryFile(p pending) string {
	if p.e.File != "" {
		return p.e.File
	}
	return p.w.file.name
}

// apply writes one entry inside the batch's transaction q and notes its
// report line. It returns an error only when a write failed.
func (im *importer) apply(ctx context.Context, q store.Queries, w *parsed, e Entry, dup string) error {
	file := entryFile(pending{w, e})
	if err := e.Check(); err != nil {
		im.lines = append(im.lines, Line{Outcome: Failed, Source: w.source, File: file, Reason: err.Error()})
		return nil
	}
	switch {
	case e.Err != nil:
		im.lines = append(im.lines, Line{Outcome: Failed, Source: w.source, File: file, Reason: e.Err.Error()})
	case e.Listing != nil:
		return im.listing(ctx, q, w, file, e.Listing)
	case e.Item != nil:
		l, err := im.item(ctx, q, w, file, e.Item, dup)
		if err != nil {
			return err
		}
		im.lines = append(im.lines, l)
	default:
		im.lines = append(im.lines, Line{Outcome: Skipped, Source: w.source, File: file, Reason: e.Skip})
	}
	return nil
}

// listing records a section's old listing address as a redirect to the
// section's page.
// A listing that cannot be recorded is a failed line; a failed write
// is returned.
func (im *importer) listing(ctx context.Context, q store.Queries, w *parsed, file string, l *Listing) error {
	lang, err := im.language(l.Language)
	if err == nil && content.CheckPath(strings.TrimSuffix(l.OldPath, "/")+"/x") != "" {
		err = refuse("%q is not an address", l.OldPath)
	}
	if err != nil {
		im.lines = append(im.lines, Line{Outcome: Failed, Source: w.source, File: file, Key: l.OldPath, Reason: "section listing: " + reasonOf(err)})
		return nil
	}
	id, err := im.section(ctx, q, l.Sections, lang)
	if err != nil {
		return err
	}
	if err := q.Imports().PutRedirect(ctx, store.Redirect{SiteID: im.site.ID, OldPath: l.OldPath, SectionID: id, Language: lang}); err != nil {
		return err
	}
	im.count(&im.rep.Redirects, 1)
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
// It returns the item's report line, or an error when a write failed.
func (im *importer) item(ctx context.Context, q store.Queries, w *parsed, file string, it *Item, dup string) (Line, error) {
	l := Line{Source: w.source, File: file, Key: it.Key, Title: it.Title, OldAddresses: it.OldPaths}
	fail := func(outcome Outcome, err error) (Line, error) {
		l.Outcome, l.Reason = outcome, reasonOf(err)
		return l, nil
	}
	lang, outcome, err := im.check(it)
	if err != nil {
		return fail(outcome, err)
	}
	if dup != "" {
		return fail(Failed, refuse("%s", dup))
	}
	sum := digest(it)
	var old *content.Article
	hasHistory := false // the article has revisions (an earlier import's)
	rec, err := store.ImportRecord{}, error(content.ErrNotFound)
	if im.recorded[it.Key] {
		rec, err = q.Imports().ImportRecord(ctx, im.site.ID, it.Key)
	}
	switch {
	case err == nil:
		// The article is held until the batch commits, so an editor's
		// save cannot land between this check and the update.
		if _, err := q.Imports().LockArticle(ctx, rec.ArticleID); err != nil {
			return l, err
		}
		a, err := q.Article(ctx, rec.ArticleID)
		if err != nil {
			return l, err
		}
		l.ArticleID, l.Address = a.ID, a.Path
		switch {
		case rec.Digest == sum:
			im.remember(it, file, a.TranslationGroup)
			l.Outcome = Unchanged
			return l, nil
		case !a.UpdatedAt.Equal(rec.ArticleUpdatedAt):
			im.remember(it, file, a.TranslationGroup)
			return fail(Skipped, refuse("changed in its source, but article %d was edited in Chancery since it was imported; the import does not overwrite it", a.ID))
		}
		// A back office save (a draft edition, which leaves the article's
		// row as it is) is a revision by a person: the editor's work
		// stands, and an import publishing over it would be undone when
		// the edition is published.
		switch r, err := q.Accounts().LatestRevision(ctx, a.ID); {
		case err == nil && r.UserID != 0:
			im.remember(it, file, a.TranslationGroup)
			return fail(Skipped, refuse("changed in its source, but article %d has an edition saved in the back office since it was imported; the import does not overwrite it", a.ID))
		case err != nil && !errors.Is(err, content.ErrNotFound):
			return l, err
		default:
			hasHistory = err == nil
		}
		old = &a
	case !errors.Is(err, content.ErrNotFound):
		return l, err
	}
	for _, p := range it.OldPaths {
		if !im.old[store.RedirectKey(p)] {
			continue
		}
		r, err := q.Imports().Redirect(ctx, im.site.ID, p)
		if err == nil && r.ArticleID != 0 && (old == nil || r.ArticleID != old.ID) {
			return fail(Failed, refuse("old address %s already leads to article %d, imported from another source; this one was not imported", p, r.ArticleID))
		}
		if err != nil && !errors.Is(err, content.ErrNotFound) {
			return l, err
		}
	}
	sectionID, err := im.section(ctx, q, it.Sections, lang)
	if err != nil {
		return l, err
	}
	a := content.Article{SiteID: im.site.ID, Language: lang, Kind: content.KindNews}
	if old != nil {
		a = *old
	}
	a.SectionID, a.Title, a.Summary = sectionID, it.Title, strings.TrimSpace(it.Summary)
	if it.Kind != "" {
		a.Kind = it.Kind
	}
	a.PublishedAt = it.Published
	if it.Floating {
		a.PublishedAt = wallClock(it.Published, im.site.Location())
	}
	var undated string
	if it.Published.IsZero() && !it.Draft {
		// A standing page (about the embassy, the ambassador) often has
		// no date: it is published as of the import.
		undated = "the page has no date in the source; it is published as of the import"
		a.PublishedAt = im.opt.Now().UTC().Truncate(time.Second)
		if old != nil {
			a.PublishedAt = old.PublishedAt // the date of its first import
		}
	}
	if old == nil || !old.Public() {
		switch {
		case it.Draft:
			a.Status = content.StatusDraft
		case a.PublishedAt.After(im.opt.Now()):
			// Dated in the future: published by the server when the
			// time comes.
			a.Status = content.StatusScheduled
		default:
			a.Status = content.StatusPublished
		}
	}
	if old == nil && validSlug(it.Slug) {
		a.Slug = it.Slug
	}
	// A site that keeps its old platform's addresses keeps each article
	// at the one it had.
	if old == nil && a.Public() && im.site.AddressScheme != "" && len(it.OldPaths) > 0 {
		a.Path = keptPath(it.OldPaths[0])
	}
	body, notes, err := im.body(ctx, q, w, file, it)
	if err != nil {
		return l, err
	}
	if undated != "" && old == nil {
		notes = append(notes, undated)
	}
	a.Body, a.BodyHTML = body.source, body.html
	if a.Summary == "" {
		a.Summary = summaryOf(a.BodyHTML)
	}
	group, note, err := im.group(ctx, q, it, lang, a.ID)
	if err != nil {
		return l, err
	}
	if note != "" {
		notes = append(notes, note)
	}
	if group != 0 {
		a.TranslationGroup = group
	}
	saved := a
	if old == nil {
		if saved, err = q.CreateArticle(ctx, a); err != nil {
			return l, err
		}
	} else {
		// The published text is never changed silently: the article's
		// history keeps the text the import replaces, and the new one.
		at := im.opt.Now()
		revs := []store.Revision{{ArticleID: a.ID, CreatedAt: at, SectionID: a.SectionID, Kind: a.Kind, Title: a.Title, Summary: a.Summary, Body: a.Body,
			Note: "Imported again: its source changed."}}
		if !hasHistory { // the first import's text is not in the history yet
			revs = append([]store.Revision{{ArticleID: old.ID, CreatedAt: at, SectionID: old.SectionID, Kind: old.Kind, Title: old.Title, Summary: old.Summary, Body: old.Body,
				Note: "As imported before its source changed."}}, revs...)
		}
		for _, r := range revs {
			if _, err := q.Accounts().AddRevision(ctx, r); err != nil {
				return l, err
			}
		}
		if err := q.UpdateArticle(ctx, a); err != nil {
			return l, err
		}
		// Read back the update time the store gave it, which the
		// record must remember.
		if saved, err = q.Article(ctx, a.ID); err != nil {
			return l, err
		}
	}
	for _, p := range it.OldPaths {
		if err := q.Imports().PutRedirect(ctx, store.Redirect{SiteID: im.site.ID, OldPath: p, ArticleID: saved.ID}); err != nil {
			return l, err
		}
	}
	if err := q.Imports().PutImportRecord(ctx, store.ImportRecord{SiteID: im.site.ID, SourceKey: it.Key, ArticleID: saved.ID,
		Digest: sum, ArticleUpdatedAt: saved.UpdatedAt, ImportedAt: im.opt.Now()}); err != nil {
		return l, err
	}
	im.count(&im.rep.Redirects, len(it.OldPaths))
	im.remember(it, file, saved.TranslationGroup)
	l.Outcome, l.ArticleID, l.Address, l.Notes = Imported, saved.ID, saved.Path, notes
	if old != nil {
		l.Outcome = Updated
	}
	return l, nil
}

// keptPath is the stored address an old one becomes on a site that keeps
// its old platform's addresses: decoded, as the server compares addresses
// (readers write them as sent, escaped); "" when it cannot be an
// article's address.
func keptPath(old string) string {
	p, err := url.PathUnescape(old)
	if err != nil || content.CheckPath(p) != "" || !utf8.ValidString(p) {
		return ""
	}
	return p
}

// check refuses an item that cannot be imported whatever the site holds,
// saying whether it is skipped or failed; else it returns the item's
// language.
func (im *importer) check(it *Item) (string, Outcome, error) {
	lang, err := im.language(it.Language)
	if err != nil {
		return "", Failed, err
	}
	switch {
	case strings.TrimSpace(it.Title) == "":
		return "", Failed, refuse("the page has no title")
	case it.Published.IsZero() && !it.Draft && it.Kind != content.KindPage:
		return "", Skipped, refuse("no publication date found; give the page one in the source and import again")
	case !hasText(it.Body) && !strings.Contains(it.Body, "<img"):
		return "", Skipped, refuse("the page has a title but no text")
	}
	return lang, "", nil
}

// duplicates finds, in the order of the source, the items of a batch
// whose old address an earlier item has claimed: the first one keeps it,
// whatever order the batch is written in. It returns the reason per
// entry.
func (im *importer) duplicates(entries []pending) map[int]string {
	dups := map[int]string{}
	local := map[string]string{}
	files := map[string]string{}
	for i, p := range entries {
		it := p.e.Item
		if it == nil {
			continue
		}
		if it.Key == "" {
			it.Key = entryFile(p)
		}
		if _, _, err := im.check(it); err != nil {
			continue
		}
		first, ok := files[it.Key]
		if !ok {
			first, ok = im.seen[it.Key]
		}
		if ok {
			dups[i] = fmt.Sprintf("the same article as one in %s (both are %s); only that one was imported", first, it.Key)
			continue
		}
		files[it.Key] = entryFile(p)
		for _, path := range it.OldPaths {
			k := store.RedirectKey(path)
			first, ok := local[k]
			if !ok {
				first, ok = im.claimed[k]
			}
			if ok && first != it.Key {
				dups[i] = fmt.Sprintf("old address %s is also the address of %s, imported before it; this one was not imported", path, first)
				break
			}
		}
		if dups[i] == "" {
			for _, path := range it.OldPaths {
				local[store.RedirectKey(path)] = it.Key
			}
		}
	}
	return dups
}

// hasText reports whether a text holds anything to read besides markup
// and spaces.
func hasText(body string) bool {
	inTag := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case inTag || c == ' ' || c == '\t' || c == '\n' || c == '\r':
		case c == '&' && strings.HasPrefix(body[i:], "&nbsp;"):
			i += len("&nbsp;") - 1
		default:
			return true
		}
	}
	return false
}

// remember notes what an item's translations may link to, and the old
// addresses it claimed.
func (im *importer) remember(it *Item, file string, group int64) {
	set(im, im.seen, it.Key, file)
	set(im, im.groups, it.Key, group)
	for _, p := range it.OldPaths {
		set(im, im.groups, store.RedirectKey(p), group)
		set(im, im.claimed, store.RedirectKey(p), it.Key)
	}
	for _, t := range it.Translations {
		if strings.HasPrefix(t, sharedKeyPrefix) {
			set(im, im.groups, t, group)
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
		if !ok && !strings.HasPrefix(ref, sharedKeyPrefix) && im.old[store.RedirectKey(ref)] {
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
func (im *importer) section(ctx context.Context, q store.Queries, refs []SectionRef, lang string) (int64, error) {
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
			created, err := im.createSection(ctx, q, parent, lang, slug, name)
			if err != nil {
				return 0, err
			}
			parent = created
			continue
		}
		if im.borrowed[found.ID][lang] && found.Names[lang] != name {
			found.Names = maps.Clone(found.Names)
			found.Names[lang] = name
			if err := q.UpdateSection(ctx, found); err != nil {
				return 0, fmt.Errorf("section %s: %w", slug, err)
			}
			set(im, im.borrowed[found.ID], lang, false)
			if err := im.reloadTree(ctx, q); err != nil {
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

func (im *importer) createSection(ctx context.Context, q store.Queries, parent int64, lang, slug, name string) (int64, error) {
	sec := content.Section{SiteID: im.site.ID, ParentID: parent, Position: len(im.tree.Children(parent)) + 1, InNav: parent == 0,
		Names: map[string]string{}, Slugs: map[string]string{}}
	borrowed := map[string]bool{}
	for _, l := range im.site.Languages {
		sec.Names[l], sec.Slugs[l] = name, slug
		if l != lang {
			borrowed[l] = true
		}
	}
	created, err := q.CreateSection(ctx, sec)
	if err != nil {
		return 0, fmt.Errorf("cannot create section %q (%s): %w", name, slug, err)
	}
	set(im, im.borrowed, created.ID, borrowed)
	n := len(im.rep.Sections)
	im.rep.Sections = append(im.rep.Sections, im.sectionTitle(parent, name))
	im.journal = append(im.journal, func() { im.rep.Sections = im.rep.Sections[:n] })
	return created.ID, im.reloadTree(ctx, q)
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
