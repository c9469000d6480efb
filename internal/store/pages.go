package store

import (
	"context"
	"time"
)

// StoredPage is a public page rendered once and kept, with its compressed
// variants, so that serving it is a lookup and a write.
type StoredPage struct {
	SiteID int64
	// Path is the page's address on its site, query string excluded.
	Path        string
	ContentType string
	// ETag is a strong entity tag of Body (quoted); the compressed
	// variants derive theirs from it.
	ETag         string
	Body         []byte
	Gzip, Brotli []byte
	RenderedAt   time.Time
}

// PageQueries keep the rendered pages, available on a Store and inside a
// transaction. Pages are filled when published and when first asked for;
// a change removes or replaces exactly the pages it shows on.
//
// Each site has an epoch, raised by every change to its pages: a page
// rendered from what was read under an older epoch is not stored
// (PutPageAt refuses it), so a page rendered while a publish commits can
// never hide the publish. Processes compare epochs to know when to drop
// what they keep in memory.
type PageQueries interface {
	// Page returns the stored page at path, or an error wrapping
	// content.ErrNotFound.
	Page(ctx context.Context, siteID int64, path string) (StoredPage, error)
	// EachPage calls fn with each of the site's stored pages, in no
	// particular order, read in one pass (one query, one snapshot); it
	// stops at fn's first error and returns it. Reading a whole site this
	// way costs a third of asking for its pages one by one.
	EachPage(ctx context.Context, siteID int64, fn func(StoredPage) error) error
	// PutPage stores a page, replacing the one at its path.
	PutPage(ctx context.Context, p StoredPage) error
	// PutPageAt stores a page only while the site's epoch is still epoch;
	// it reports whether it did.
	PutPageAt(ctx context.Context, p StoredPage, epoch int64) (bool, error)
	// DeletePages removes the pages at paths.
	DeletePages(ctx context.Context, siteID int64, paths []string) error
	// DeletePagesUnder removes every page whose path starts with prefix;
	// "" removes all the site's pages.
	DeletePagesUnder(ctx context.Context, siteID int64, prefix string) error
	// PageEpoch returns the site's epoch (0 before its first change).
	PageEpoch(ctx context.Context, siteID int64) (int64, error)
	// PageEpochs returns every site's epoch.
	PageEpochs(ctx context.Context) (map[int64]int64, error)
	// BumpPageEpoch raises the site's epoch and returns the new one.
	BumpPageEpoch(ctx context.Context, siteID int64) (int64, error)
	// PageCount counts the site's stored pages.
	PageCount(ctx context.Context, siteID int64) (int, error)
}
