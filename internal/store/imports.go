package store

import (
	"context"
	"net/url"
	"strings"
	"time"
)

// Redirect is an old address of a site that answers with a permanent
// redirect: to an article (wherever it is published), to a section's page
// in a language, or to a fixed path such as a stored file's.
type Redirect struct {
	SiteID int64
	// OldPath is the address as the old site wrote it.
	OldPath   string
	ArticleID int64
	SectionID int64
	// Language is the section page's language.
	Language string
	// Target is a fixed path, when neither ArticleID nor SectionID is set.
	Target    string
	CreatedAt time.Time
}

// RedirectKey is the form in which old addresses are compared, so that the
// variants an old platform answered alike find the same redirect: the
// path decoded, lower-cased, without a trailing index file or slash. It
// takes the address as sent (escaped), which it decodes once.
// "/ENG/zgyw/Index.htm", "/eng/zgyw/" and "/eng/zgyw" share "/eng/zgyw".
func RedirectKey(path string) string {
	if p, err := url.PathUnescape(path); err == nil {
		path = p
	}
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	path = "/" + strings.ToLower(path)
	for strings.Contains(path, "//") {
		path = strings.ReplaceAll(path, "//", "/")
	}
	for trimmed := true; trimmed; {
		trimmed = false
		path = strings.TrimRight(path, "/")
		for _, index := range []string{"index.html", "index.htm", "index.shtml", "index.php", "default.html", "default.htm", "default.aspx"} {
			if strings.HasSuffix(path, "/"+index) {
				path, trimmed = strings.TrimSuffix(path, index), true
				break
			}
		}
	}
	if path = strings.TrimRight(path, "/"); path == "" {
		return "/"
	}
	return path
}

// ImportRecord is what an import wrote for one item of its source.
type ImportRecord struct {
	SiteID int64
	// SourceKey is the item's key in its source (migrate.Item.Key).
	SourceKey string
	ArticleID int64
	// Digest is the hash of the item as it was imported.
	Digest string
	// ArticleUpdatedAt is the article's updated_at right after the
	// import: a later one means someone edited it in Chancery since.
	ArticleUpdatedAt time.Time
	ImportedAt       time.Time
}

// Media is a file (image or document) stored once per site by its content.
type Media struct {
	ID     int64
	SiteID int64
	// Key is the first 16 hex digits of SHA256, which the file's address
	// carries.
	Key         string
	SHA256      string
	ContentType string
	Size        int64
	// Name is the file's name as uploaded or found, for its address and
	// for a download.
	Name      string
	Data      []byte
	CreatedAt time.Time
}

// Path is the file's public address on its site.
func (m Media) Path() string { return "/media/" + m.Key + "/" + m.Name }

// ImportQueries keep old addresses, import records and stored files,
// available on a Store and inside a transaction.
type ImportQueries interface {
	// PutRedirect records an old address, replacing the redirect with
	// the same RedirectKey.
	PutRedirect(ctx context.Context, r Redirect) error
	// Redirect returns the redirect for an old address (compared by
	// RedirectKey), or an error wrapping content.ErrNotFound.
	Redirect(ctx context.Context, siteID int64, path string) (Redirect, error)
	// Redirects lists a site's redirects, by old address.
	Redirects(ctx context.Context, siteID int64) ([]Redirect, error)

	// ImportRecord returns the record of a source item, or an error
	// wrapping content.ErrNotFound.
	ImportRecord(ctx context.Context, siteID int64, sourceKey string) (ImportRecord, error)
	// LockArticle holds an article against other writers until the
	// transaction ends (PostgreSQL; SQLite's writer holds the database
	// already) and returns its update time: an import tells an editor's
	// change from its own this way, and of several processes due to
	// publish a scheduled article, one does.
	LockArticle(ctx context.Context, id int64) (time.Time, error)
	// ImportKeys lists the source keys the site has records of.
	ImportKeys(ctx context.Context, siteID int64) ([]string, error)
	// PutImportRecord stores a record, replacing the one with its key.
	PutImportRecord(ctx context.Context, r ImportRecord) error

	// PutMedia stores a file unless the site already has the same bytes,
	// and returns the stored one (without Data).
	PutMedia(ctx context.Context, m Media) (Media, error)
	// Media returns a stored file by its key, Data included.
	Media(ctx context.Context, siteID int64, key string) (Media, error)
	// MediaList lists a site's files without their Data, oldest first.
	MediaList(ctx context.Context, siteID int64) ([]Media, error)
}
