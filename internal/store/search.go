package store

import (
	"time"

	"chancery/internal/content"
	"chancery/internal/search"
)

// SearchQuery asks for the published articles of one site that match a
// reader's query. Zero fields do not filter.
type SearchQuery struct {
	Query  search.Query
	SiteID int64
	// Language keeps one language; "" searches every language of the site.
	Language   string
	SectionIDs []int64
	Kind       content.Kind
	// From and To keep articles published in [From, To).
	From, To time.Time
	// Now hides articles scheduled after it. Required.
	Now time.Time
	// ByDate orders newest first instead of by relevance.
	ByDate        bool
	Limit, Offset int
}

// SearchResult is one page of hits and how many there are in all.
type SearchResult struct {
	// Hits are the matching articles, with BodyHTML (for snippets) but
	// without Body.
	Hits []content.Article
	// Total is how many articles match; with More, how many of the newest
	// matches were ranked.
	Total int
	// More reports that more articles match than the engine ranks: it
	// ranks only the newest matches, so that a query costs the same on
	// any size of site. Readers narrow the query or filter by date to
	// reach the older ones.
	More bool
}

// IndexStats describes a rebuilt search index.
type IndexStats struct {
	Articles   int
	TextBytes  int64 // the indexed text (titles, summaries, bodies) in UTF-8
	IndexBytes int64 // what the engine stores for the index
}
