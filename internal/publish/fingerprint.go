package publish

import (
	"bytes"
	"context"
	"errors"
	"time"

	"chancery/internal/content"
	"chancery/internal/store"
)

// markerPath is where each site's page store records how its pages were
// rendered. Real addresses begin with "/", so no page can take it, and
// deleting every page of a site takes it too.
const markerPath = "#rendered-with"

// Prepare drops every stored page rendered otherwise than fingerprint
// says pages are rendered now (another binary, theme, public address or
// network host), site by site, marks each site's store with fingerprint,
// and returns how many sites it dropped pages of: a site whose store was
// empty and unmarked (a new database) is marked and not counted. The
// pages are rendered again as readers ask for them.
func Prepare(ctx context.Context, st store.Store, fingerprint string, now time.Time) (int, error) {
	sites, err := st.Sites(ctx)
	if err != nil {
		return 0, err
	}
	emptied := 0
	for _, s := range sites {
		p, err := st.Pages().Page(ctx, s.ID, markerPath)
		if err == nil && bytes.Equal(p.Body, []byte(fingerprint)) {
			continue
		}
		if err != nil && !errors.Is(err, content.ErrNotFound) {
			return emptied, err
		}
		had := err == nil // a mark of another rendering
		if !had {
			n, err := st.Pages().PageCount(ctx, s.ID)
			if err != nil {
				return emptied, err
			}
			had = n > 0
		}
		if err := prepareSite(ctx, st, s.ID, fingerprint, now); err != nil {
			return emptied, err
		}
		if had {
			emptied++
		}
	}
	return emptied, nil
}

// Rendered reports whether the site's stored pages are rendered as
// fingerprint says (Prepare marked them so), so that another renderer
// with the same settings (the static export) may take them and keep what
// it renders beside them. A site without a mark (added after serve
// started, or never served) is not: pages kept there unmarked may have
// been rendered otherwise.
func Rendered(ctx context.Context, st store.Store, siteID int64, fingerprint string) (bool, error) {
	return markedWith(ctx, st.Pages(), siteID, fingerprint)
}

// markedWith reports whether the site's page store is marked with
// fingerprint, read through pq (a transaction's, or the store's).
func markedWith(ctx context.Context, pq store.PageQueries, siteID int64, fingerprint string) (bool, error) {
	p, err := pq.Page(ctx, siteID, markerPath)
	if errors.Is(err, content.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return bytes.Equal(p.Body, []byte(fingerprint)), nil
}

// prepareSite empties the site's page store and marks it as holding pages
// rendered as fingerprint says.
func prepareSite(ctx context.Context, st store.Store, siteID int64, fingerprint string, now time.Time) error {
	return st.InTx(ctx, func(q store.Queries) error {
		pq := q.Pages()
		if _, err := pq.BumpPageEpoch(ctx, siteID); err != nil {
			return err
		}
		if err := pq.DeletePagesUnder(ctx, siteID, ""); err != nil {
			return err
		}
		return pq.PutPage(ctx, store.StoredPage{SiteID: siteID, Path: markerPath, ContentType: "text/plain",
			ETag: `"` + fingerprint + `"`, Body: []byte(fingerprint), RenderedAt: now})
	})
}
