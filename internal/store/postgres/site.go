package postgres

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
	if err := q.checkSiteUnique(ctx, s); err != nil {
		return content.Site{}, err
	}
	err := q.w.QueryRowContext(ctx, `INSERT INTO sites (key, default_language, time_zone, feed_summary, address_scheme, channels, require_review, require_two_factor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		s.Key, s.DefaultLanguage, s.TimeZone, s.FeedSummary, s.AddressScheme, content.FormatChannels(s.Channels), s.RequireReview, s.RequireTwoFactor).Scan(&s.ID)
	if isConstraint(err) {
		return content.Site{}, fmt.Errorf("site key %q is taken by another site: %w", s.Key, content.ErrConflict)
	}
	if err != nil {
		return content.Site{}, fmt.Errorf("postgres: create site %q: %w", s.Key, err)
	}
	// The site's page epoch exists from the start: PutPageAt locks it to
	// wait for a publish in progress, and a missing row locks nothing.
	if _, err := q.w.ExecContext(ctx, `INSERT INTO page_epochs (site_id, epoch) VALUES ($1, 0) ON CONFLICT (site_id) DO NOTHING`, s.ID); err != nil {
		return content.Site{}, fmt.Errorf("postgres: create site %q: its page epoch: %w", s.Key, err)
	}
	return s, q.writeSiteParts(ctx, s)
}

// checkSiteUnique refuses a site whose key or hosts another site has,
// before anything is written: in PostgreSQL a failed statement ends the
// transaction, and a caller of InTx may want to carry on after a
// conflict. (The unique indexes remain the last word.)
func (q queries) checkSiteUnique(ctx context.Context, s content.Site) error {
	var taken bool
	if err := q.w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM sites WHERE key = $1 AND id <> $2)`, s.Key, s.ID).Scan(&taken); err != nil {
		return fmt.Errorf("postgres: site %q: %w", s.Key, err)
	}
	if taken {
		return fmt.Errorf("site key %q is taken by another site: %w", s.Key, content.ErrConflict)
	}
	for _, h := range s.Hosts {
		if err := q.w.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM site_hosts WHERE host = $1 AND site_id <> $2)`, h, s.ID).Scan(&taken); err != nil {
			return fmt.Errorf("postgres: site %q host %q: %w", s.Key, h, err)
		}
		if taken {
			return fmt.Errorf("host %q already belongs to another site: %w", h, content.ErrConflict)
		}
	}
	return nil
}

// writeSiteParts stores a site's languages and hosts.
func (q queries) writeSiteParts(ctx context.Context, s content.Site) error {
	for i, l := range s.Languages {
		if _, err := q.w.ExecContext(ctx, `INSERT INTO site_languages (site_id, language, position, name) VALUES ($1, $2, $3, $4)`,
			s.ID, l, i, s.Names[l]); err != nil {
			return fmt.Errorf("postgres: site %q language %q: %w", s.Key, l, err)
		}
	}
	for i, h := range s.Hosts {
		_, err := q.w.ExecContext(ctx, `INSERT INTO site_hosts (host, site_id, position) VALUES ($1, $2, $3)`, h, s.ID, i)
		if isConstraint(err) {
			return fmt.Errorf("host %q already belongs to another site: %w", h, content.ErrConflict)
		}
		if err != nil {
			return fmt.Errorf("postgres: site %q host %q: %w", s.Key, h, err)
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
	if err := q.checkSiteUnique(ctx, s); err != nil {
		return err
	}
	if _, err := q.w.ExecContext(ctx, `UPDATE sites SET key = $1, default_language = $2, time_zone = $3, feed_summary = $4, address_scheme = $5, channels = $6, require_review = $7, require_two_factor = $8 WHERE id = $9`,
		s.Key, s.DefaultLanguage, s.TimeZone, s.FeedSummary, s.AddressScheme, content.FormatChannels(s.Channels), s.RequireReview, s.RequireTwoFactor, s.ID); err != nil {
		if isConstraint(err) {
			return fmt.Errorf("site key %q is taken by another site: %w", s.Key, content.ErrConflict)
		}
		return fmt.Errorf("postgres: update site %d: %w", s.ID, err)
	}
	for _, stmt := range []string{`DELETE FROM site_languages WHERE site_id = $1`, `DELETE FROM site_hosts WHERE site_id = $1`} {
		if _, err := q.w.ExecContext(ctx, stmt, s.ID); err != nil {
			return fmt.Errorf("postgres: update site %d: %w", s.ID, err)
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
			SELECT section_id, $1::text, name, slug, site_id, parent_key FROM section_names WHERE site_id = $2 AND language = $3
			ON CONFLICT DO NOTHING`, l, s.ID, old.DefaultLanguage); err != nil {
			return fmt.Errorf("postgres: site %d: name sections in %s: %w", s.ID, l, err)
		}
	}
	if old.TimeZone != s.TimeZone {
		return q.recomputeMonths(ctx, s)
	}
	return nil
}

// monthKey files a time under its month in loc, as year*100+month.
func monthKey(t time.Time, loc *time.Location) int {
	t = t.In(loc)
	return t.Year()*100 + int(t.Month())
}

// recomputeMonths files a site's articles under the months of its new time
// zone. Their addresses do not change.
func (q queries) recomputeMonths(ctx context.Context, s content.Site) error {
	rows, err := q.w.QueryContext(ctx, `SELECT id, published_at FROM articles WHERE site_id = $1 AND published_at IS NOT NULL`, s.ID)
	if err != nil {
		return fmt.Errorf("postgres: site %d months: %w", s.ID, err)
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
		if _, err := q.w.ExecContext(ctx, `UPDATE articles SET pub_month = $1 WHERE id = $2`, p.month, p.id); err != nil {
			return fmt.Errorf("postgres: site %d months: %w", s.ID, err)
		}
	}
	return nil
}

const siteColumns = `id, key, default_language, time_zone, feed_summary, address_scheme, channels, require_review, require_two_factor`

func (q queries) Sites(ctx context.Context) ([]content.Site, error) {
	return q.sites(ctx, `SELECT `+siteColumns+` FROM sites ORDER BY id`)
}

func (q queries) Site(ctx context.Context, id int64) (content.Site, error) {
	return q.site(ctx, "site", id, `SELECT `+siteColumns+` FROM sites WHERE id = $1`, id)
}

func (q queries) SiteByKey(ctx context.Context, key string) (content.Site, error) {
	return q.site(ctx, "site", key, `SELECT `+siteColumns+` FROM sites WHERE key = $1`, key)
}

func (q queries) SiteByHost(ctx context.Context, host string) (content.Site, error) {
	host = content.NormalizeHost(host)
	return q.site(ctx, "site for host", host,
		`SELECT `+siteColumns+` FROM sites WHERE id = (SELECT site_id FROM site_hosts WHERE host = $1)`, host)
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
		return nil, fmt.Errorf("postgres: sites: %w", err)
	}
	var sites []content.Site
	for rows.Next() {
		var s content.Site
		var channels string
		if err := rows.Scan(&s.ID, &s.Key, &s.DefaultLanguage, &s.TimeZone, &s.FeedSummary, &s.AddressScheme, &channels, &s.RequireReview, &s.RequireTwoFactor); err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: sites: %w", err)
		}
		// Stored channels were written by FormatChannels from a valid site.
		s.Channels, _ = content.ParseChannels(channels)
		sites = append(sites, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: sites: %w", err)
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
	rows, err := q.r.QueryContext(ctx, `SELECT language, name FROM site_languages WHERE site_id = $1 ORDER BY position`, s.ID)
	if err != nil {
		return fmt.Errorf("postgres: site %d languages: %w", s.ID, err)
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
	rows, err = q.r.QueryContext(ctx, `SELECT host FROM site_hosts WHERE site_id = $1 ORDER BY position, host`, s.ID)
	if err != nil {
		return fmt.Errorf("postgres: site %d hosts: %w", s.ID, err)
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
