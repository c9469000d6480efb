package postgres

import (
	"context"

	"chancery/internal/content"
	"chancery/internal/store"
)

// Writes on the Store itself run in a transaction of their own, so a write
// of several rows (a site with its hosts, an article and its derived
// address) is stored whole or not at all.

func (s *Store) CreateSite(ctx context.Context, site content.Site) (out content.Site, err error) {
	err = s.InTx(ctx, func(q store.Queries) error { out, err = q.CreateSite(ctx, site); return err })
	return out, err
}

func (s *Store) UpdateSite(ctx context.Context, site content.Site) error {
	return s.InTx(ctx, func(q store.Queries) error { return q.UpdateSite(ctx, site) })
}

func (s *Store) CreateSection(ctx context.Context, sec content.Section) (out content.Section, err error) {
	err = s.InTx(ctx, func(q store.Queries) error { out, err = q.CreateSection(ctx, sec); return err })
	return out, err
}

func (s *Store) UpdateSection(ctx context.Context, sec content.Section) error {
	return s.InTx(ctx, func(q store.Queries) error { return q.UpdateSection(ctx, sec) })
}

func (s *Store) CreateArticle(ctx context.Context, a content.Article) (out content.Article, err error) {
	err = s.InTx(ctx, func(q store.Queries) error { out, err = q.CreateArticle(ctx, a); return err })
	return out, err
}

func (s *Store) UpdateArticle(ctx context.Context, a content.Article) error {
	return s.InTx(ctx, func(q store.Queries) error { return q.UpdateArticle(ctx, a) })
}
