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

// memoStore answers repeated ArticleMonths and CountArticles queries of one
// export from memory. Every page of a section's listing asks the same two
// questions (its months for the archive links, its total for the pager);
// on a site of 10,000 articles they were two thirds of an export's time.
// The answers are the store's, so pages stay byte for byte what serve
// sends. An export reads page by page, not in one transaction: something
// published while it runs appears in the next one.
type memoStore struct {
	store.Store
	months   sync.Map // query key → []store.MonthCount
	counts   sync.Map // query key → int
	sites    sync.Map // host → content.Site
	sections sync.Map // site ID → []content.Section
}

// SiteByHost and Sections are asked by every page (the handler finds the
// site and its section tree for each request); they do not change during
// an export.
func (m *memoStore) SiteByHost(ctx context.Context, host string) (content.Site, error) {
	if v, ok := m.sites.Load(host); ok {
		return v.(content.Site), nil
	}
	s, err := m.Store.SiteByHost(ctx, host)
	if err != nil {
		return s, err
	}
	m.sites.Store(host, s)
	return s, nil
}

func (m *memoStore) Sections(ctx context.Context, siteID int64) ([]content.Section, error) {
	if v, ok := m.sections.Load(siteID); ok {
		return slices.Clone(v.([]content.Section)), nil
	}
	secs, err := m.Store.Sections(ctx, siteID)
	if err != nil {
		return nil, err
	}
	m.sections.Store(siteID, secs)
	return slices.Clone(secs), nil
}

func queryKey(q store.ArticleQuery) string { return fmt.Sprintf("%#v", q) }

func (m *memoStore) ArticleMonths(ctx context.Context, q store.ArticleQuery) ([]store.MonthCount, error) {
	q.Limit, q.Offset = 0, 0 // ignored by ArticleMonths
	k := queryKey(q)
	if v, ok := m.months.Load(k); ok {
		return append([]store.MonthCount(nil), v.([]store.MonthCount)...), nil
	}
	months, err := m.Store.ArticleMonths(ctx, q)
	if err != nil {
		return nil, err
	}
	m.months.Store(k, months)
	return append([]store.MonthCount(nil), months...), nil
}

func (m *memoStore) CountArticles(ctx context.Context, q store.ArticleQuery) (int, error) {
	q.Limit, q.Offset = 0, 0 // ignored by CountArticles
	k := queryKey(q)
	if v, ok := m.counts.Load(k); ok {
		return v.(int), nil
	}
	n, err := m.Store.CountArticles(ctx, q)
	if err != nil {
		return 0, err
	}
	m.counts.Store(k, n)
	return n, nil
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
