package sqlite

import (
	"context"
	"fmt"
	"time"

	"chancery/internal/content"
)

func (q queries) CreateSite(ctx context.Context, s content.Site) (content.Site, error) {
	defer q.forget()
	s.Normalize()
	if err := s.Validate(); err != nil {
		return content.Site{}, err
	}
	res, err := q.w.ExecContext(ctx, `INSERT INTO sites (key, default_language, time_zone, feed_summary, address_scheme, channels, require_review, require_two_factor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		s.Key, s.DefaultLanguage, s.TimeZone, s.FeedSummary, s.AddressScheme, content.FormatChannels(s.Channels), s.RequireReview, s.RequireTwoFactor)
	if isConstraint(err) {
		return content.Site{}, fmt.Errorf("site key %q is taken by another site: %w", s.Key, content.ErrConflict)
	}
	if err != nil {
		return content.Site{}, fmt.Errorf("sqlite: create site %q: %w", s.Key, err)
	}
	if s.ID, err = res.LastInsertId(); err != nil {
		return content.Site{}, err
	}
	return s, q.writeSiteParts(ctx, s)
}

// writeSiteParts stores a site's languages and hosts.
func (q queries) writeSiteParts(ctx context.Context, s content.Site) error {
	for i, l := range s.Languages {
		if _, err := q.w.ExecContext(ctx, `INSERT INTO site_languages (site_id, language, position, name) VALUES (?, ?, ?, ?)`,
			s.ID, l, i, s.Names[l]); err != nil {
			return fmt.Errorf("sqlite: site %q language %q: %w", s.Key, l, err)
		}
	}
	for _, h := range s.Hosts {
		_, err := q.w.ExecContext(ctx, `INSERT INTO site_hosts (host, site_id) VALUES (?, ?)`, h, s.ID)
		if isConstraint(err) {
			return fmt.Errorf("host %q already belongs to another site: %w", h, content.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("sqlite: site %q host %q: %w", s.Key, h, err)
		}
	}
	return nil
}

func (q queries) UpdateSite(ctx context.Context, s content.Site) error {
	defer q.forget()
	s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	old, err := q.Site(ctx, s.ID)
	if err != nil {
		return err
	}
	if _, err := q.w.ExecContext(ctx, `UPDATE sites SET key = ?, default_language = ?, time_zone = ?, feed_summary = ?, address_scheme = ?, channels = ?, require_review = ?, require_two_factor = ? WHERE id = ?`,
		s.Key, s.DefaultLanguage, s.TimeZone, s.FeedSummary, s.AddressScheme, content.FormatChannels(s.Channels), s.RequireReview, s.RequireTwoFactor, s.ID); err != nil {
		if isConstraint(err) {
			return fmt.Errorf("site key %q is taken by another site: %w", s.Key, content.ErrConflict)
		}
		return fmt.Errorf("sqlite: update site %d: %w", s.ID, err)
	}
	for _, stmt := range []string{`DELETE FROM site_languages WHERE site_id = ?`, `DELETE FROM site_hosts WHERE site_id = ?`} {
		if _, err := q.w.ExecContext(ctx, stmt, s.ID); err != nil {
			return fmt.Errorf("sqlite: update site %d: %w", s.ID, err)
		}
	}
	if err := q.writeSiteParts(ctx, s); err != nil {
		return err
	}
	// A language added to the site starts with the sections named as in
	// the old default language, so its pages have a navigation at once;
	// editors translate the names later.
	for _, l := range s.Languages {
		if old.HasLanguage(l) {
			continue
		}
		if _, err := q.w.ExecContext(ctx, `
			INSERT INTO section_names (section_id, language, name, slug, site_id, parent_key)
			SELECT section_id, ?, name, slug, site_id, parent_key FROM section_names WHERE site_id = ? AND language = ?
			ON CONFLICT DO NOTHING`, l, s.ID, old.DefaultLanguage); err != nil {
			return fmt.Errorf("sqlite: site %d: name sections in %s: %w", s.ID, l, err)
		}
	}
	if old.TimeZone != s.TimeZone {
		return q.recomputeMonths(ctx, s)
	}
	return nil
}

// recomputeMonths files a site's articles under the months of its new time
// zone. Their addresses do not change.
func (q queries) recomputeMonths(ctx context.Context, s content.Site) error {
	rows, err := q.w.QueryContext(ctx, `SELECT id, published_at FROM articles WHERE site_id = ? AND published_at IS NOT NULL`, s.ID)
	if err != nil {
		return fmt.Errorf("sqlite: site %d months: %w", s.ID, err)
	}
	type pub struct {
		id    int64
		month int
	}
	var pubs []pub
	loc := s.Location()
	for rows.Next() {
		var p pub
		var at int64
		if err := rows.Scan(&p.id, &at); err != nil {
			rows.Close()
			return err
		}
		p.month = monthKey(time.UnixMicro(at), loc)
		pubs = append(pubs, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, p := range pubs {
		if _, err := q.w.ExecContext(ctx, `UPDATE articles SET pub_month = ? WHERE id = ?`, p.month, p.id); err != nil {
			return fmt.Errorf("sqlite: site %d months: %w", s.ID, err)
		}
	}
	return nil
}

const siteColumns = `id, key, default_language, time_zone, feed_summary, address_scheme, channels, require_review, require_two_factor`

func (q queries) Sites(ctx context.Context) ([]content.Site, error) {
	return q.sites(ctx, `SELECT `+siteColumns+` FROM sites ORDER BY id`)
}

func (q queries) Site(ctx context.Context, id int64) (content.Site, error) {
	return q.site(ctx, "site", id, `SELECT `+siteColumns+` FROM sites WHERE id = ?`, id)
}

func (q queries) SiteByKey(ctx context.Context, key string) (content.Site, error) {
	return q.site(ctx, "site", key, `SELECT `+siteColumns+` FROM sites WHERE key = ?`, key)
}

func (q queries) SiteByHost(ctx context.Context, host string) (content.Site, error) {
	host = content.NormalizeHost(host)
	return q.site(ctx, "site for host", host,
		`SELECT `+siteColumns+` FROM sites WHERE id = (SELECT site_id FROM site_hosts WHERE host = ?)`, host)
}

func (q queries) site(ctx context.Context, what string, key any, query string, args ...any) (content.Site, error) {
	sites, err := q.sites(ctx, query, args...)
	if err != nil {
		return content.Site{}, err
	}
	if len(sites) == 0 {
		return content.Site{}, fmt.Errorf("%s %v: %w", what, key, content.ErrNotFound)
	}
	return sites[0], nil
}

func (q queries) sites(ctx context.Context, query string, args ...any) ([]content.Site, error) {
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: sites: %w", err)
	}
	var sites []content.Site
	for rows.Next() {
		var s content.Site
		var channels string
		if err := rows.Scan(&s.ID, &s.Key, &s.DefaultLanguage, &s.TimeZone, &s.FeedSummary, &s.AddressScheme, &channels, &s.RequireReview, &s.RequireTwoFactor); err != nil {
			rows.Close()
			return nil, fmt.Errorf("sqlite: sites: %w", err)
		}
		// Stored channels were written by FormatChannels from a valid site.
		s.Channels, _ = content.ParseChannels(channels)
		sites = append(sites, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: sites: %w", err)
	}
	for i := range sites {
		if err := q.fillSite(ctx, &sites[i]); err != nil {
			return nil, err
		}
	}
	return sites, nil
}

func (q queries) fillSite(ctx context.Context, s *content.Site) error {
	s.Names = map[string]string{}
	rows, err := q.r.QueryContext(ctx, `SELECT language, name FROM site_languages WHERE site_id = ? ORDER BY position`, s.ID)
	if err != nil {
		return fmt.Errorf("sqlite: site %d languages: %w", s.ID, err)
	}
	for rows.Next() {
		var l, n string
		if err := rows.Scan(&l, &n); err != nil {
			rows.Close()
			return err
		}
		s.Languages = append(s.Languages, l)
		s.Names[l] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = q.r.QueryContext(ctx, `SELECT host FROM site_hosts WHERE site_id = ? ORDER BY rowid`, s.ID)
	if err != nil {
		return fmt.Errorf("sqlite: site %d hosts: %w", s.ID, err)
	}
	defer rows.Close()
	for rows.Next() {
		var h string
		if err := rows.Scan(&h); err != nil {
			return err
		}
		s.Hosts = append(s.Hosts, h)
	}
	return rows.Err()
}
