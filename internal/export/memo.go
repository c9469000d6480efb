package export

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"

	"chancery/internal/content"
	"chancery/internal/store"
)

// memoStore answers repeated queries of one export from memory. Every page
// of a section's listing asks the same two questions (its months for the
// archive links, its total for the pager); on a site of 10,000 articles
// they were two thirds of an export's time. Later pages of a listing read
// their slice of one list read once (see Articles), instead of making the
// store skip the articles of every earlier page again, which made an
// export's time grow with the square of a section's size; the three feeds
// of a section share one read. The answers are the store's, so pages stay
// byte for byte what serve sends. An export reads page by page, not in one
// transaction: something published while it runs appears in the next one.
type memoStore struct {
	store.Store
	months   sync.Map // query key → []store.MonthCount
	counts   sync.Map // query key → int
	sites    sync.Map // host → content.Site
	sections sync.Map // site ID → []content.Section
	feeds    sync.Map // query key → []content.Article (with bodies)

	mu    sync.Mutex
	lists []*memoList // the listings read whole, newest use last
}

// memoList is one listing read whole: the articles a query without Limit
// and Offset returns. Its ready channel is closed once list (or err) is
// set, so that workers asking for pages of the same listing at once wait
// for one read instead of each making it.
type memoList struct {
	key   string
	ready chan struct{}
	list  []content.Article
	err   error
}

// keptLists is how many whole listings memoStore keeps. The export asks
// for a section's pages one after the other, so a listing is needed only
// while its pages are being written, by a few workers at once; keeping a
// few bounds memory on a site of 100,000 articles, whose largest sections
// hold tens of thousands.
const keptLists = 8

// SiteByHost and Sections are asked by every page (the handler finds the
// site and its section tree for each request); they do not change during
// an export.
func (m *memoStore) SiteByHost(ctx context.Context, host string) (content.Site, error) {
	return remembered(&m.sites, host, func() (content.Site, error) { return m.Store.SiteByHost(ctx, host) })
}

func (m *memoStore) Sections(ctx context.Context, siteID int64) ([]content.Section, error) {
	secs, err := remembered(&m.sections, siteID, func() ([]content.Section, error) { return m.Store.Sections(ctx, siteID) })
	return slices.Clone(secs), err
}

// remembered returns what m keeps under k, or what load returns, kept
// there when it is not an error.
func remembered[V any](m *sync.Map, k any, load func() (V, error)) (V, error) {
	if v, ok := m.Load(k); ok {
		return v.(V), nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	m.Store(k, v)
	return v, nil
}

func queryKey(q store.ArticleQuery) string { return fmt.Sprintf("%#v", q) }

func (m *memoStore) ArticleMonths(ctx context.Context, q store.ArticleQuery) ([]store.MonthCount, error) {
	q.Limit, q.Offset = 0, 0 // ignored by ArticleMonths
	months, err := remembered(&m.months, queryKey(q), func() ([]store.MonthCount, error) { return m.Store.ArticleMonths(ctx, q) })
	return slices.Clone(months), err
}

// Articles answers a later page of a listing (Offset > 0) from the whole
// listing, read once, and the feeds' queries (bodies, a Limit) from their
// first answer. Other queries (first pages, the home's blocks, an
// article's translations) are cheap for the store and go to it.
func (m *memoStore) Articles(ctx context.Context, q store.ArticleQuery) ([]content.Article, error) {
	switch {
	case q.WithBody:
		list, err := remembered(&m.feeds, queryKey(q), func() ([]content.Article, error) { return m.Store.Articles(ctx, q) })
		return slices.Clone(list), err
	case q.Offset > 0 && q.Limit > 0 && len(q.Groups) == 0:
		whole := q
		whole.Limit, whole.Offset = 0, 0
		list, err := m.whole(ctx, whole)
		if err != nil {
			return nil, err
		}
		from := min(q.Offset, len(list))
		return slices.Clone(list[from:min(from+q.Limit, len(list))]), nil
	}
	return m.Store.Articles(ctx, q)
}

// whole returns every article q lists, from memory when kept.
func (m *memoStore) whole(ctx context.Context, q store.ArticleQuery) ([]content.Article, error) {
	k := queryKey(q)
	m.mu.Lock()
	for i, l := range m.lists {
		if l.key == k {
			m.lists = append(slices.Delete(m.lists, i, i+1), l) // newest use last
			m.mu.Unlock()
			<-l.ready
			if l.err != nil {
				return m.Store.Articles(ctx, q)
			}
			return l.list, nil
		}
	}
	l := &memoList{key: k, ready: make(chan struct{})}
	if len(m.lists) == keptLists {
		m.lists = slices.Delete(m.lists, 0, 1)
	}
	m.lists = append(m.lists, l)
	m.mu.Unlock()
	l.list, l.err = m.Store.Articles(ctx, q)
	close(l.ready)
	if l.err != nil {
		m.mu.Lock()
		if i := slices.Index(m.lists, l); i >= 0 {
			m.lists = slices.Delete(m.lists, i, i+1)
		}
		m.mu.Unlock()
	}
	return l.list, l.err
}

func (m *memoStore) CountArticles(ctx context.Context, q store.ArticleQuery) (int, error) {
	q.Limit, q.Offset = 0, 0 // ignored by CountArticles
	return remembered(&m.counts, queryKey(q), func() (int, error) { return m.Store.CountArticles(ctx, q) })
}

// failures keeps, by path, why the public handler failed a request (it
// logs the reason and shows readers none), so an export can say which
// page failed and why.
type failures struct{ reasons *sync.Map }

func (f failures) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelError }

func (f failures) Handle(_ context.Context, r slog.Record) error {
	var path, reason string
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "path":
			path = a.Value.String()
		case "err":
			reason = a.Value.String()
		}
		return true
	})
	if path != "" {
		f.reasons.Store(path, reason)
	}
	return nil
}

func (f failures) WithAttrs([]slog.Attr) slog.Handler { return f }
func (f failures) WithGroup(string) slog.Handler      { return f }

// why returns the logged reason for a failed path, or "".
func (f failures) why(path string) string {
	v, _ := f.reasons.Load(path)
	s, _ := v.(string)
	return s
}
