package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/store"
)

// Load writes the network into st in one transaction: all of it, or
// nothing. It is meant for an empty database.
func Load(ctx context.Context, st store.Store, n Network) error {
	return st.InTx(ctx, func(q store.Queries) error {
		for _, s := range n.Sites {
			if err := loadSite(ctx, q, s); err != nil {
				return fmt.Errorf("demo site %q: %w", s.Site.Key, err)
			}
		}
		return nil
	})
}

func loadSite(ctx context.Context, q store.Queries, s Site) error {
	site, err := q.CreateSite(ctx, s.Site)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	pending := s.Sections
	for len(pending) > 0 {
		var later []Section
		for i, sec := range pending {
			parent, ok := ids[sec.Parent]
			if sec.Parent != "" && !ok {
				later = append(later, sec)
				continue
			}
			created, err := q.CreateSection(ctx, content.Section{SiteID: site.ID, ParentID: parent, Position: i,
				InNav: sec.InNav, Names: sec.Names, Slugs: sec.Slugs})
			if err != nil {
				return fmt.Errorf("section %q: %w", sec.Key, err)
			}
			ids[sec.Key] = created.ID
		}
		if len(later) == len(pending) {
			return fmt.Errorf("section %q: parent %q does not exist", later[0].Key, later[0].Parent)
		}
		pending = later
	}
	for _, a := range s.Articles {
		section, ok := ids[a.Section]
		if !ok {
			return fmt.Errorf("article in unknown section %q", a.Section)
		}
		var group int64
		for _, lang := range site.Languages {
			text, ok := a.Versions[lang]
			if !ok {
				continue
			}
			html, err := markup.Render(text.Body)
			if err != nil {
				return err
			}
			created, err := q.CreateArticle(ctx, content.Article{
				SiteID: site.ID, SectionID: section, Language: lang, Kind: a.Kind, Status: content.StatusPublished,
				Title: text.Title, Summary: text.Summary, Body: text.Body, BodyHTML: html,
				PublishedAt: a.Published, CreatedAt: a.Published, UpdatedAt: a.Published, TranslationGroup: group,
			})
			if err != nil {
				return fmt.Errorf("article %q: %w", text.Title, err)
			}
			if group == 0 {
				group = created.ID
			}
		}
		if group == 0 {
			return fmt.Errorf("an article in %q has no version in the site's languages %v (it has %v)", a.Section, site.Languages, slices.Sorted(maps.Keys(a.Versions)))
		}
	}
	return nil
}
