package publish

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"chancery/internal/content"
	"chancery/internal/pages"
	"chancery/internal/site"
	"chancery/internal/store"
	"chancery/internal/theme"
)

// Publisher makes changes to articles live: the store write and the pages
// it shows on, rendered again, in one transaction.
type Publisher struct {
	Store       store.Store
	Theme       *theme.Theme
	NetworkHost string
	Public      site.PublicOrigin
	// Server, when set, learns of each publish at once; other processes
	// learn of it from the epochs within their Refresh.
	Server *Server
	// Now tells the time; tests set it.
	Now func() time.Time
	// Lazy drops the pages a change shows on instead of rendering them;
	// servers render them when readers next ask. The command line
	// publishes this way: it does not know the public address the
	// servers render with.
	Lazy bool
	// Fingerprint, when set, is how this process renders pages (see
	// Prepare): when a site's store is marked otherwise (a newer binary,
	// or one with other settings, started on the same database), a
	// change drops its pages as Lazy does instead of storing pages that
	// the mark would vouch for.
	Fingerprint string
}

// Result says what a change did to the page store.
type Result struct {
	// Rendered pages were rendered again and stored.
	Rendered []string
	// Removed are the paths and path prefixes ("/en/news/page/…") whose
	// pages were dropped, to be rendered when next asked for.
	Removed []string
	// Epoch is the site's page epoch after the change.
	Epoch int64
}

// RenderError says which page could not be rendered, and why; the change
// was not made.
type RenderError struct {
	Path   string
	Status int
	Reason string
}

func (e *RenderError) Error() string {
	return fmt.Sprintf("page %s could not be rendered (status %d): %s; nothing was changed, the published pages are still served", e.Path, e.Status, e.Reason)
}

func (p *Publisher) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// SaveArticle stores a new (ID 0) or changed article and renders again
// every page the change shows on. When a page fails to render, nothing is
// stored and the error is a *RenderError.
func (p *Publisher) SaveArticle(ctx context.Context, a content.Article) (content.Article, Result, error) {
	return p.Apply(ctx, Edit{Article: a})
}

// Edit is one change to an article, made with the pages it shows on in
// one transaction.
type Edit struct {
	// Article is a new article (ID 0), or the changed article.
	Article content.Article
	// Change, when set, makes the change from the stored article with
	// Article's ID instead, after holding it against other writers; q is
	// the transaction. An error from it stops the edit and is returned as
	// it is.
	Change func(q store.Queries, old content.Article) (content.Article, error)
	// Also writes what goes with the change (a revision, the back
	// office's state, an audit entry) in its transaction, before the pages
	// are rendered, so they show it too.
	Also func(q store.Queries, saved content.Article) error
}

// errNotDue stops a scheduled publication another process has made, or
// whose time was moved, without changing anything.
var errNotDue = errors.New("not due")

// Apply makes an edit and renders again every page it shows on, all in
// one transaction; when a page fails to render, nothing is stored and the
// error is a *RenderError.
func (p *Publisher) Apply(ctx context.Context, e Edit) (content.Article, Result, error) {
	var (
		saved content.Article
		res   Result
	)
	a, change := e.Article, e.Change
	err := p.Store.InTx(ctx, func(q store.Queries) error {
		var old *content.Article
		if change != nil {
			if _, err := q.Imports().LockArticle(ctx, a.ID); err != nil {
				return err
			}
		}
		if a.ID != 0 {
			o, err := q.Article(ctx, a.ID)
			if err != nil {
				return err
			}
			old = &o
			if change != nil {
				if a, err = change(q, o); err != nil {
					return err
				}
			}
			if err := q.UpdateArticle(ctx, a); err != nil {
				return err
			}
		} else {
			created, err := q.CreateArticle(ctx, a)
			if err != nil {
				return err
			}
			a.ID = created.ID
		}
		var err error
		if saved, err = q.Article(ctx, a.ID); err != nil {
			return err
		}
		if e.Also != nil {
			if err := e.Also(q, saved); err != nil {
				return err
			}
		}
		s, err := q.Site(ctx, saved.SiteID)
		if err != nil {
			return err
		}
		secs, err := q.Sections(ctx, s.ID)
		if err != nil {
			return err
		}
		tree := content.NewTree(secs)
		versions, err := q.Translations(ctx, saved.TranslationGroup)
		if err != nil {
			return err
		}
		set := pages.ForArticle(s, tree, pages.ArticleChange{Old: old, New: &saved, Versions: versions}, p.now())
		if len(set) == 0 {
			// A draft: no page shows it, so the epoch stays and the
			// servers keep their pages.
			return nil
		}
		res, err = p.apply(ctx, q, s, tree, set)
		return err
	})
	if err != nil {
		return content.Article{}, Result{}, err
	}
	if p.Server != nil && res.Epoch != 0 {
		p.Server.Invalidate(saved.SiteID, res.Epoch)
	}
	return saved, res, nil
}

// Publish makes an article public now (or at its publication time, when
// that is set and still to come: it is then scheduled). A withdrawn
// article is refused: it stays withdrawn, with its notice, at its
// address (a correction is a new article), as the back office has it.
func (p *Publisher) Publish(ctx context.Context, id int64) (content.Article, Result, error) {
	return p.Apply(ctx, Edit{Article: content.Article{ID: id}, Change: func(_ store.Queries, a content.Article) (content.Article, error) {
		if a.Status == content.StatusWithdrawn {
			return a, fmt.Errorf("article %d was withdrawn: a withdrawn article stays withdrawn, with its notice, at its address; publish a correction as a new article", id)
		}
		a.Status = content.StatusPublished
		if a.PublishedAt.IsZero() {
			a.PublishedAt = p.now()
		}
		if a.PublishedAt.After(p.now()) {
			// The scheduler publishes it when its time comes (PublishDue).
			a.Status = content.StatusScheduled
		}
		return a, nil
	}})
}

// PublishDue publishes a scheduled article whose time has come, and
// renders the pages it shows on, unless another process has published it
// already (or its time was moved): then it does nothing and reports false.
// Several processes may run it for the same article; one publishes it.
func (p *Publisher) PublishDue(ctx context.Context, id int64) (content.Article, bool, error) {
	now := p.now()
	a, _, err := p.Apply(ctx, Edit{Article: content.Article{ID: id}, Change: func(_ store.Queries, old content.Article) (content.Article, error) {
		if old.Status != content.StatusScheduled || old.PublishedAt.After(now) {
			return old, errNotDue
		}
		old.Status = content.StatusPublished
		return old, nil
	}})
	if errors.Is(err, errNotDue) {
		return content.Article{}, false, nil
	}
	return a, err == nil, err
}

// Withdraw takes an article out of every listing; it stays at its address
// with the withdrawal notice, which gives reason. also, when set, writes
// what goes with it (an audit entry) in the same transaction.
func (p *Publisher) Withdraw(ctx context.Context, id int64, reason string, also func(store.Queries, content.Article) error) (content.Article, Result, error) {
	return p.Apply(ctx, Edit{Article: content.Article{ID: id}, Also: also, Change: func(q store.Queries, a content.Article) (content.Article, error) {
		if a.Status != content.StatusPublished {
			return a, fmt.Errorf("article %d is %s, not published: only a published article can be withdrawn", id, a.Status)
		}
		return MarkWithdrawn(ctx, q, a, reason, p.now())
	}})
}

// MarkWithdrawn is the withdrawal of a published article inside a
// change's transaction (Edit.Change): its state records when and why (the
// notice readers see), a pending edition is dropped, and the article is
// returned withdrawn, to be saved.
func MarkWithdrawn(ctx context.Context, q store.Queries, a content.Article, reason string, at time.Time) (content.Article, error) {
	st, err := q.Accounts().ArticleState(ctx, a.ID)
	if err != nil {
		return a, err
	}
	st.WithdrawnAt, st.WithdrawalReason, st.EditionAt = at, reason, time.Time{}
	if err := q.Accounts().PutArticleState(ctx, st); err != nil {
		return a, err
	}
	a.Status = content.StatusWithdrawn
	return a, nil
}

// SiteChanged drops the pages a change of the site's settings or sections
// shows on, made by other means (the command line); they are rendered
// again when next asked for.
func (p *Publisher) SiteChanged(ctx context.Context, siteID int64, set pages.Set) (Result, error) {
	return p.ChangeSite(ctx, siteID, func(store.Queries) (pages.Set, error) { return set, nil })
}

// ChangeSite makes a change to a site's settings or sections with change,
// which returns the pages it shows on, and renders again (or drops) those
// pages, all in one transaction: a page that fails to render undoes the
// change.
func (p *Publisher) ChangeSite(ctx context.Context, siteID int64, change func(q store.Queries) (pages.Set, error)) (Result, error) {
	var res Result
	err := p.Store.InTx(ctx, func(q store.Queries) error {
		set, err := change(q)
		if err != nil || len(set) == 0 {
			// Nothing readers see changed: the pages and the epoch stay.
			return err
		}
		s, err := q.Site(ctx, siteID)
		if err != nil {
			return err
		}
		secs, err := q.Sections(ctx, siteID)
		if err != nil {
			return err
		}
		res, err = p.apply(ctx, q, s, content.NewTree(secs), set)
		return err
	})
	if err == nil && p.Server != nil && res.Epoch != 0 {
		p.Server.Forget()
		p.Server.Invalidate(siteID, res.Epoch)
	}
	return res, err
}

// apply renders again, or drops, the pages of set, and raises the site's
// epoch; q is the transaction of the change, so pages show the change.
func (p *Publisher) apply(ctx context.Context, q store.Queries, s content.Site, tree content.Tree, set pages.Set) (Result, error) {
	var res Result
	pq := q.Pages()
	// The epoch first: from here until commit, no page rendered from the
	// state before this change can be stored (see PutPageAt).
	epoch, err := pq.BumpPageEpoch(ctx, s.ID)
	if err != nil {
		return res, err
	}
	res.Epoch = epoch
	toRender, toDrop := map[string]bool{}, map[string]bool{}
	drop := func(prefix string) error {
		res.Removed = append(res.Removed, prefix)
		return pq.DeletePagesUnder(ctx, s.ID, prefix)
	}
	sectionPath := func(id int64, lang string) string { return content.SectionPath(lang, tree.Slugs(id, lang)) }
	if set.Everything("") {
		if err := drop(""); err != nil {
			return res, err
		}
		set = pages.Set{}
	}
	for _, pg := range set.Sorted() {
		if set.Everything(pg.Lang) || pg.Kind == pages.AllFeeds {
			if err := drop("/" + pg.Lang + "/"); err != nil {
				return res, err
			}
			continue
		}
		base := "/" + pg.Lang + "/"
		if pg.SectionID != 0 {
			base = sectionPath(pg.SectionID, pg.Lang)
		}
		var err error
		switch pg.Kind {
		case pages.Article:
			a, aerr := q.Article(ctx, pg.ArticleID)
			if aerr != nil {
				return res, aerr
			}
			if a.Path != "" {
				toRender[a.Path] = true
			}
		case pages.Home:
			toRender[base] = true
		// Listings, archives and sitemaps count or list a whole section
		// or year: rendering them would make a publish cost grow with the
		// site. Feeds are 20 whole articles in three formats for each
		// section above the article: compressing them was most of a
		// publish's time. All are dropped, and rendered once for their
		// next reader (or feed reader's next poll).
		case pages.Feeds:
			for _, f := range []string{"feed.xml", "atom.xml", "feed.json"} {
				toDrop[base+f] = true
			}
		case pages.Section:
			toDrop[base] = true
			err = drop(base + "page/")
		case pages.SectionPages:
			err = drop(base + "page/")
		case pages.Year:
			toDrop[base+strconv.Itoa(pg.Year)+"/"] = true
		case pages.Month:
			month := fmt.Sprintf("%s%04d/%02d/", base, pg.Year, pg.Month)
			toDrop[month] = true
			err = drop(month + "page/")
		case pages.SitemapIndex:
			toDrop["/sitemap.xml"] = true
		case pages.SitemapLang:
			toDrop["/"+pg.Lang+"/sitemap.xml"] = true
		case pages.SitemapYear:
			toDrop[fmt.Sprintf("/%s/sitemap-%d.xml", pg.Lang, pg.Year)] = true
			err = drop(fmt.Sprintf("/%s/sitemap-%d-", pg.Lang, pg.Year))
		case pages.SectionAll:
			err = drop(base)
		case pages.Subtree:
			if err = drop(base); err == nil {
				err = p.dropArticles(ctx, q, s, tree.Subtree(pg.SectionID), pg.Lang, &res)
			}
		}
		if err != nil {
			return res, err
		}
	}
	if paths := slices.Sorted(maps.Keys(toDrop)); len(paths) > 0 {
		if err := pq.DeletePages(ctx, s.ID, paths); err != nil {
			return res, err
		}
		res.Removed = append(res.Removed, paths...)
	}
	lazy := p.Lazy
	if !lazy && p.Fingerprint != "" {
		// Read after the epoch was raised: a Prepare that marks the store
		// otherwise either committed before (and is seen here) or waits
		// for this change's epoch row and then drops what it stored.
		ours, err := markedWith(ctx, pq, s.ID, p.Fingerprint)
		if err != nil {
			return res, err
		}
		lazy = !ours
	}
	if lazy {
		paths := slices.Sorted(maps.Keys(toRender))
		if err := pq.DeletePages(ctx, s.ID, paths); err != nil {
			return res, err
		}
		res.Removed = append(res.Removed, paths...)
		return res, nil
	}
	// What the handler logs while rendering says why a page failed.
	var failure bytes.Buffer
	h := site.New(site.Options{Store: txStore{q}, Theme: p.Theme, NetworkHost: p.NetworkHost, Now: p.now, Public: p.Public,
		Log: slog.New(slog.NewTextHandler(&failure, nil))})
	at := p.now()
	for _, path := range slices.Sorted(maps.Keys(toRender)) {
		failure.Reset()
		rec := render(ctx, h, s.Hosts[0], path)
		switch {
		case rec.Status == http.StatusOK:
			if err := pq.PutPage(ctx, NewPage(s.ID, path, rec.Head.Get("Content-Type"), rec.Body.Bytes(), at)); err != nil {
				return res, err
			}
			res.Rendered = append(res.Rendered, path)
		case rec.Status < 500:
			// No page there any more (an archive emptied, a redirect).
			if err := pq.DeletePages(ctx, s.ID, []string{path}); err != nil {
				return res, err
			}
			res.Removed = append(res.Removed, path)
		default:
			return res, &RenderError{Path: path, Status: rec.Status, Reason: reason(failure.String())}
		}
	}
	return res, nil
}

// dropArticles drops the pages of every article in sections, in lang:
// their addresses were fixed when they were published, so they need not
// sit under the sections' current addresses.
func (p *Publisher) dropArticles(ctx context.Context, q store.Queries, s content.Site, sections []int64, lang string, res *Result) error {
	list, err := q.Articles(ctx, store.ArticleQuery{SiteID: s.ID, Language: lang, SectionIDs: sections})
	if err != nil {
		return err
	}
	var paths []string
	for _, a := range list {
		if a.Path != "" {
			paths = append(paths, a.Path)
		}
	}
	res.Removed = append(res.Removed, paths...)
	return q.Pages().DeletePages(ctx, s.ID, paths)
}

// reason is the error in a line the handler logged, or a generic reason.
func reason(logged string) string {
	if i := strings.Index(logged, "err="); i >= 0 {
		return strings.TrimSpace(logged[i+4:])
	}
	return "the site handler failed"
}

// txStore lets the site handler read through a transaction's Queries, so
// the pages a publish renders show the change it has not committed yet.
type txStore struct{ store.Queries }

func (t txStore) InTx(ctx context.Context, fn func(store.Queries) error) error { return fn(t.Queries) }
func (t txStore) Reindex(context.Context, func(int, int)) (store.IndexStats, error) {
	return store.IndexStats{}, errors.ErrUnsupported
}
func (t txStore) Empty(context.Context) (bool, error) { return false, nil }
func (t txStore) Ping(context.Context) error          { return nil }
func (t txStore) CheckSchema(context.Context) error   { return nil }
func (t txStore) Close() error                        { return nil }
