// Package store defines how Chancery persists its content. An engine
// (store/sqlite, and PostgreSQL later) implements Store; every engine must
// pass the shared suite in store/storetest, so that features behave the
// same whichever engine runs them.
//
// Reads are nouns (Site, Articles), writes are verbs (CreateSite). A read
// of something that does not exist returns an error wrapping
// content.ErrNotFound; a write that would break a uniqueness rule returns
// one wrapping content.ErrConflict; invalid input returns a
// *content.ValidationError and writes nothing.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"chancery/internal/content"
)

// Queries are the reads and writes available both on a Store and inside a
// transaction.
type Queries interface {
	// CreateSite validates and stores a new site, returning it with its ID.
	CreateSite(ctx context.Context, s content.Site) (content.Site, error)
	// UpdateSite replaces the stored site with the same ID. A language new
	// to the site gives every section a name and slug in it, copied from
	// the previous default language.
	UpdateSite(ctx context.Context, s content.Site) error
	// Sites returns every site of the network, ordered by ID.
	Sites(ctx context.Context) ([]content.Site, error)
	// Site returns the site with the given ID.
	Site(ctx context.Context, id int64) (content.Site, error)
	// SiteByKey returns the site with the given key.
	SiteByKey(ctx context.Context, key string) (content.Site, error)
	// SiteByHost returns the site answering on host (compared after
	// content.NormalizeHost).
	SiteByHost(ctx context.Context, host string) (content.Site, error)

	// CreateSection validates and stores a new section of an existing site.
	CreateSection(ctx context.Context, s content.Section) (content.Section, error)
	// UpdateSection replaces the stored section with the same ID.
	UpdateSection(ctx context.Context, s content.Section) error
	// Sections returns every section of a site, ordered by parent, position
	// and ID; content.NewTree arranges them.
	Sections(ctx context.Context, siteID int64) ([]content.Section, error)

	// CreateArticle validates and stores a new article. A zero
	// TranslationGroup becomes the article's own ID; an empty slug on an
	// article whose title gives none becomes its ID.
	CreateArticle(ctx context.Context, a content.Article) (content.Article, error)
	// UpdateArticle replaces the stored article with the same ID. A path,
	// once set, cannot change: the update is refused with
	// content.ErrConflict.
	UpdateArticle(ctx context.Context, a content.Article) error
	// Article returns the article with the given ID, body included.
	Article(ctx context.Context, id int64) (content.Article, error)
	// ArticleByPath returns the site's article at a public address.
	ArticleByPath(ctx context.Context, siteID int64, path string) (content.Article, error)
	// Articles lists articles newest first, without Body and BodyHTML
	// unless the query asks for them.
	Articles(ctx context.Context, q ArticleQuery) ([]content.Article, error)
	// CountArticles counts what Articles would list without Limit and Offset.
	CountArticles(ctx context.Context, q ArticleQuery) (int, error)
	// ArticleMonths counts the matching articles per month of publication
	// in the site's time zone, newest month first. Limit and Offset are
	// ignored.
	ArticleMonths(ctx context.Context, q ArticleQuery) ([]MonthCount, error)
	// Translations returns every language version in a translation group,
	// ordered by ID, without Body and BodyHTML.
	Translations(ctx context.Context, group int64) ([]content.Article, error)

	// Search finds the published articles that match a reader's query,
	// best match (or newest) first. A query with no positive term finds
	// nothing. The index follows every article write in its transaction.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)

	// DueArticles returns the IDs, above after and in order, of up to
	// limit articles scheduled for publication at or before now.
	DueArticles(ctx context.Context, now time.Time, after int64, limit int) ([]int64, error)

	// Mail gives the outbox and the form tokens, in the same transaction
	// inside InTx.
	Mail() MailQueries
	// Pages gives the page store, in the same transaction inside InTx.
	Pages() PageQueries
	// Imports gives old addresses, import records and stored files, in
	// the same transaction inside InTx.
	Imports() ImportQueries
	// Accounts gives the back office's users, sessions, audit log and
	// revisions, in the same transaction inside InTx.
	Accounts() AccountQueries
}

// Store is a connection to one network's database. It is safe for
// concurrent use.
type Store interface {
	Queries
	// InTx runs fn in one transaction: committed when fn returns nil,
	// rolled back otherwise. fn must use only the Queries it is given.
	InTx(ctx context.Context, fn func(Queries) error) error
	// Reindex rebuilds the search index from the articles, replacing the
	// old index in one step; progress, if not nil, is called as it goes.
	Reindex(ctx context.Context, progress func(done, total int)) (IndexStats, error)
	// Empty reports whether the network has no site yet.
	Empty(ctx context.Context) (bool, error)
	// Ping checks that the database answers.
	Ping(ctx context.Context) error
	// CheckSchema checks that the database's schema is the one this
	// binary migrated it to: a newer binary sharing the database may have
	// migrated it further since this one started (a SchemaError).
	CheckSchema(ctx context.Context) error
	// Close releases the database. It is safe to call once.
	Close() error
}

// ArticleQuery selects articles for listings. Zero fields select
// everything.
type ArticleQuery struct {
	SiteID   int64
	Language string
	// SectionIDs keeps articles in any of these sections.
	SectionIDs []int64
	// Kind keeps one kind of article.
	Kind content.Kind
	// Status keeps one status.
	Status content.Status
	// PublishedBy keeps articles published at or before this time.
	PublishedBy time.Time
	// Month keeps articles published in one month of the site's time
	// zone, as year*100+month (202405).
	Month int
	// Year keeps articles published in one year of the site's time zone.
	Year int
	// Groups keeps articles of these translation groups.
	Groups []int64
	// TitleWords keeps articles whose title holds every one of these
	// words, in any case (lower case folds ASCII only on SQLite).
	TitleWords []string
	// ByUpdate orders by the latest change, newest first, instead of by
	// publication: the back office's list, where drafts have no date.
	ByUpdate bool
	// WithBody lists Body and BodyHTML too.
	WithBody bool
	Limit    int
	Offset   int
}

// Raw is offered by both engines for moving a whole network between
// them (dbcopy): the database handle that may write, and the engine's
// name, "sqlite" or "postgres".
type Raw interface {
	Raw() (*sql.DB, string)
}

// PoolReporter is offered by engines whose connection pools can be
// watched (both): the pools by name, as database/sql counts them.
type PoolReporter interface {
	Pools() map[string]sql.DBStats
}

// Published returns the query for what readers of a site may see at now.
func Published(siteID int64, lang string, now time.Time) ArticleQuery {
	return ArticleQuery{SiteID: siteID, Language: lang, Status: content.StatusPublished, PublishedBy: now.Add(content.ClockSkew)}
}

// MonthCount is how many articles a month holds.
type MonthCount struct {
	Year, Month, Count int
}

// Key returns the month as year*100+month, the form ArticleQuery.Month
// takes.
func (m MonthCount) Key() int { return m.Year*100 + m.Month }

// Errors returned by Open in every engine, so that the command line can
// tell a person what to do.
var (
	// ErrNotChancery means the database exists but was not made by
	// Chancery. Nothing in it was changed.
	ErrNotChancery = errors.New("not a Chancery database")
	// ErrCorrupt means the database file cannot be read as a database.
	ErrCorrupt = errors.New("database file is damaged or not a database")
	// ErrTooNew means the database was written by a newer Chancery whose
	// schema this binary does not know.
	ErrTooNew = errors.New("database schema is newer than this chancery binary")
)

// SchemaError carries the versions behind ErrTooNew.
type SchemaError struct {
	Have, Know int
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("database schema version %d is newer than the %d this binary knows", e.Have, e.Know)
}

func (e *SchemaError) Unwrap() error { return ErrTooNew }

// CompareSchema is CheckSchema's verdict for an engine whose database is at
// schema version have when this binary migrated it to know: a
// SchemaError when a newer binary has migrated it further, an error when
// it is older than the binary left it.
func CompareSchema(engine string, have, know int) error {
	if have > know {
		return &SchemaError{Have: have, Know: know}
	}
	if have < know {
		return fmt.Errorf("%s: schema version %d, older than the %d this binary migrated it to", engine, have, know)
	}
	return nil
}

// LikeContains is the LIKE pattern (with ESCAPE '\') that matches text
// holding word, in lower case.
func LikeContains(word string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(word)) + "%"
}
