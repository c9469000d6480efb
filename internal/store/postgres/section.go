package postgres

import (
	"context"
	"database/sql"
	"fmt"

	"chancery/internal/content"
)

func (q queries) CreateSection(ctx context.Context, s content.Section) (content.Section, error) {
	defer q.forget()
	site, err := q.checkSection(ctx, s)
	if err != nil {
		return content.Section{}, err
	}
	if err := q.checkSlugs(ctx, site, s); err != nil {
		return content.Section{}, err
	}
	err = q.w.QueryRowContext(ctx, `INSERT INTO sections (site_id, parent_id, position, in_nav) VALUES ($1, $2, $3, $4) RETURNING id`,
		s.SiteID, nullID(s.ParentID), s.Position, s.InNav).Scan(&s.ID)
	if err != nil {
		return content.Section{}, fmt.Errorf("postgres: create section: %w", err)
	}
	return s, q.writeSectionNames(ctx, site, s)
}

// checkSection validates a section and its parent against the stored site.
func (q queries) checkSection(ctx context.Context, s content.Section) (content.Site, error) {
	site, err := q.cachedSite(ctx, s.SiteID)
	if err != nil {
		return content.Site{}, err
	}
	if err := s.Validate(site); err != nil {
		return content.Site{}, err
	}
	if s.ParentID != 0 {
		tree, err := q.tree(ctx, s.SiteID)
		if err != nil {
			return content.Site{}, err
		}
		if _, ok := tree.Section(s.ParentID); !ok {
			return content.Site{}, &content.ValidationError{What: "section", Fields: map[string]string{
				"parent": fmt.Sprintf("section %d is not a section of site %q", s.ParentID, site.Key)}}
		}
		for _, a := range tree.Ancestry(s.ParentID) {
			if a.ID == s.ID {
				return content.Site{}, &content.ValidationError{What: "section", Fields: map[string]string{
					"parent": "a section cannot be moved below itself"}}
			}
		}
	}
	return site, nil
}

// checkSlugs refuses a section whose address segment a sibling has, in
// any language, before anything is written (see checkSiteUnique).
func (q queries) checkSlugs(ctx context.Context, site content.Site, s content.Section) error {
	for _, l := range site.Languages {
		var taken bool
		err := q.w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM section_names
			WHERE site_id = $1 AND parent_key = $2 AND language = $3 AND slug = $4 AND section_id <> $5)`,
			s.SiteID, s.ParentID, l, s.Slugs[l], s.ID).Scan(&taken)
		if err != nil {
			return fmt.Errorf("postgres: section %d names: %w", s.ID, err)
		}
		if taken {
			return fmt.Errorf("address segment %q (%s) is taken by a sibling section: %w", s.Slugs[l], l, content.ErrConflict)
		}
	}
	return nil
}

func (q queries) writeSectionNames(ctx context.Context, site content.Site, s content.Section) error {
	for _, l := range site.Languages {
		_, err := q.w.ExecContext(ctx, `INSERT INTO section_names (section_id, language, name, slug, site_id, parent_key) VALUES ($1, $2, $3, $4, $5, $6)`,
			s.ID, l, s.Names[l], s.Slugs[l], s.SiteID, s.ParentID)
		if isConstraint(err) {
			return fmt.Errorf("address segment %q (%s) is taken by a sibling section: %w", s.Slugs[l], l, content.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("postgres: section %d names: %w", s.ID, err)
		}
	}
	return nil
}

func (q queries) UpdateSection(ctx context.Context, s content.Section) error {
	defer q.forget()
	site, err := q.checkSection(ctx, s)
	if err != nil {
		return err
	}
	res, err := q.w.ExecContext(ctx, `UPDATE sections SET parent_id = $1, position = $2, in_nav = $3 WHERE id = $4 AND site_id = $5`,
		nullID(s.ParentID), s.Position, s.InNav, s.ID, s.SiteID)
	if err != nil {
		return fmt.Errorf("postgres: update section %d: %w", s.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("section %d of site %d: %w", s.ID, s.SiteID, content.ErrNotFound)
	}
	if err := q.checkSlugs(ctx, site, s); err != nil {
		return err
	}
	if _, err := q.w.ExecContext(ctx, `DELETE FROM section_names WHERE section_id = $1`, s.ID); err != nil {
		return fmt.Errorf("postgres: update section %d: %w", s.ID, err)
	}
	return q.writeSectionNames(ctx, site, s)
}

func (q queries) Sections(ctx context.Context, siteID int64) ([]content.Section, error) {
	rows, err := q.r.QueryContext(ctx, `
		SELECT s.id, s.parent_id, s.position, s.in_nav, n.language, n.name, n.slug
		FROM sections s JOIN section_names n ON n.section_id = s.id
		WHERE s.site_id = $1
		ORDER BY coalesce(s.parent_id, 0), s.position, s.id`, siteID)
	if err != nil {
		return nil, fmt.Errorf("postgres: sections of site %d: %w", siteID, err)
	}
	defer rows.Close()
	var sections []content.Section
	for rows.Next() {
		var (
			id               int64
			parent           sql.NullInt64
			position         int
			inNav            bool
			lang, name, slug string
		)
		if err := rows.Scan(&id, &parent, &position, &inNav, &lang, &name, &slug); err != nil {
			return nil, fmt.Errorf("postgres: sections of site %d: %w", siteID, err)
		}
		if n := len(sections); n == 0 || sections[n-1].ID != id {
			sections = append(sections, content.Section{ID: id, SiteID: siteID, ParentID: parent.Int64,
				Position: position, InNav: inNav, Names: map[string]string{}, Slugs: map[string]string{}})
		}
		s := &sections[len(sections)-1]
		s.Names[lang], s.Slugs[lang] = name, slug
	}
	return sections, rows.Err()
}

// tree is the site's section tree, remembered for the transaction.
func (q queries) tree(ctx context.Context, siteID int64) (content.Tree, error) {
	return q.cache.Tree(siteID, func() (content.Tree, error) {
		sections, err := q.Sections(ctx, siteID)
		if err != nil {
			return content.Tree{}, err
		}
		return content.NewTree(sections), nil
	})
}

func nullID(id int64) sql.NullInt64 {
	return sql.NullInt64{Int64: id, Valid: id != 0}
}
