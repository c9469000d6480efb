// Package pages decides which public pages a change shows on. It is pure:
// given the state of an article, a section or a site before and after a
// change, Affected returns the pages that must be rendered again, and
// nothing else, so that publishing into a site of 100,000 articles costs
// what it costs in a site of 1,000.
package pages

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"chancery/internal/content"
)

// Kind is a kind of public page, or of a group of pages.
type Kind string

// The kinds of page. The first group names one page each; the second names
// a group whose members the caller lists from the store (they can be many).
const (
	Article      Kind = "article"       // an article's page
	Home         Kind = "home"          // a language's home
	Section      Kind = "section"       // a section's first listing page
	Year         Kind = "year"          // a section's year archive
	Month        Kind = "month"         // a section's month archive, every page of it
	Feeds        Kind = "feeds"         // the RSS, Atom and JSON feeds of a language (SectionID 0) or a section
	SitemapIndex Kind = "sitemap-index" // /sitemap.xml
	SitemapLang  Kind = "sitemap-lang"  // /{lang}/sitemap.xml: home and sections
	SitemapYear  Kind = "sitemap-year"  // /{lang}/sitemap-YYYY.xml

	SectionPages Kind = "section-pages" // a section's listing pages after the first
	SectionAll   Kind = "section-all"   // every listing, archive and feed of a section
	Subtree      Kind = "subtree"       // every page below a section, its articles included
	AllFeeds     Kind = "all-feeds"     // every feed of a language
	All          Kind = "all"           // every page of a language
)

// Page names a page (or a group of pages, by Kind) of one site.
type Page struct {
	Kind      Kind
	Lang      string
	SectionID int64
	Year      int
	Month     int
	ArticleID int64
}

func (p Page) String() string {
	var b strings.Builder
	b.WriteString(string(p.Kind) + " " + p.Lang)
	if p.SectionID != 0 {
		fmt.Fprintf(&b, " section %d", p.SectionID)
	}
	if p.Year != 0 {
		fmt.Fprintf(&b, " %04d", p.Year)
	}
	if p.Month != 0 {
		fmt.Fprintf(&b, "-%02d", p.Month)
	}
	if p.ArticleID != 0 {
		fmt.Fprintf(&b, " article %d", p.ArticleID)
	}
	return b.String()
}

// Set is a set of pages.
type Set map[Page]struct{}

// Add puts pages into the set.
func (s Set) Add(ps ...Page) {
	for _, p := range ps {
		s[p] = struct{}{}
	}
}

// Has reports whether p is in the set.
func (s Set) Has(p Page) bool { _, ok := s[p]; return ok }

// Sorted lists the set in a stable order, for logs and tests.
func (s Set) Sorted() []Page {
	ps := slices.Collect(maps.Keys(s))
	slices.SortFunc(ps, func(a, b Page) int { return strings.Compare(a.String(), b.String()) })
	return ps
}

// Everything reports whether the set holds every page of lang (or of
// every language when it holds All for "").
func (s Set) Everything(lang string) bool {
	return s.Has(Page{Kind: All, Lang: lang}) || s.Has(Page{Kind: All})
}

// ArticleChange is one language version of an article before and after a
// change. Old is nil for a new article. Versions are the other language
// versions of the same piece, as they stand.
type ArticleChange struct {
	Old, New *content.Article
	Versions []content.Article
}

// ForArticle returns the pages an article change shows on: publishing,
// editing, moving to another section, scheduling, withdrawing, or adding a
// translation. tree is the site's section tree; now decides which
// publication times have come.
func ForArticle(site content.Site, tree content.Tree, c ArticleChange, now time.Time) Set {
	set := Set{}
	loc := site.Location()
	oldShown := c.Old != nil && c.Old.Visible(now)
	newShown := c.New != nil && c.New.Visible(now)
	if c.Old != nil && c.New != nil && oldShown && newShown && sameListing(*c.Old, *c.New) {
		// Only what the article page and the feeds show has changed (its
		// body, its summary): listings show titles and dates alone.
		set.Add(Page{Kind: Article, Lang: c.New.Language, ArticleID: c.New.ID})
		feeds(set, tree, *c.New)
		y, _ := yearMonth(*c.New, loc)
		set.Add(Page{Kind: SitemapYear, Lang: c.New.Language, Year: y})
		return set
	}
	for _, a := range []*content.Article{c.Old, c.New} {
		if a != nil {
			footprint(set, tree, *a, loc, now)
		}
	}
	// The other versions link to this one (language switch, hreflang, the
	// sitemap's alternates) when it is shown, and stop when it is not.
	if oldShown != newShown || (oldShown && c.Old.Path != c.New.Path) {
		for _, v := range c.Versions {
			if c.New != nil && v.ID == c.New.ID {
				continue
			}
			if v.Visible(now) || v.Status == content.StatusWithdrawn {
				set.Add(Page{Kind: Article, Lang: v.Language, ArticleID: v.ID})
			}
			if v.Visible(now) {
				y, _ := yearMonth(v, loc)
				set.Add(Page{Kind: SitemapYear, Lang: v.Language, Year: y})
			}
		}
	}
	return set
}

// sameListing reports whether two states of a shown article list the same
// way: same title, publication time, section and address.
func sameListing(a, b content.Article) bool {
	return a.Title == b.Title && a.PublishedAt.Equal(b.PublishedAt) && a.SectionID == b.SectionID && a.Path == b.Path && a.Language == b.Language
}

// footprint adds the pages one state of an article shows on.
func footprint(set Set, tree content.Tree, a content.Article, loc *time.Location, now time.Time) {
	switch {
	case a.Status == content.StatusWithdrawn && a.Path != "":
		// Still at its address, with the notice; gone from every list.
		set.Add(Page{Kind: Article, Lang: a.Language, ArticleID: a.ID})
		return
	case !a.Visible(now):
		return
	}
	y, m := yearMonth(a, loc)
	set.Add(Page{Kind: Article, Lang: a.Language, ArticleID: a.ID},
		Page{Kind: Home, Lang: a.Language},
		Page{Kind: SitemapYear, Lang: a.Language, Year: y},
		// The language's sitemap dates the home and each section by
		// their newest article.
		Page{Kind: SitemapLang, Lang: a.Language},
		// A first article of a year adds a file to the index.
		Page{Kind: SitemapIndex})
	feeds(set, tree, a)
	for _, s := range tree.Ancestry(a.SectionID) {
		set.Add(Page{Kind: Section, Lang: a.Language, SectionID: s.ID},
			Page{Kind: SectionPages, Lang: a.Language, SectionID: s.ID},
			Page{Kind: Year, Lang: a.Language, SectionID: s.ID, Year: y},
			Page{Kind: Month, Lang: a.Language, SectionID: s.ID, Year: y, Month: m})
	}
}

// feeds adds the feeds an article appears in: its language's and its
// sections'.
func feeds(set Set, tree content.Tree, a content.Article) {
	set.Add(Page{Kind: Feeds, Lang: a.Language})
	for _, s := range tree.Ancestry(a.SectionID) {
		set.Add(Page{Kind: Feeds, Lang: a.Language, SectionID: s.ID})
	}
}

// yearMonth is the year and month of an article's publication in the
// site's time zone, which is how archives file it.
func yearMonth(a content.Article, loc *time.Location) (int, int) {
	t := a.PublishedAt.In(loc)
	return t.Year(), int(t.Month())
}

// ForSection returns the pages a section change shows on: creating,
// renaming, moving, reordering, or showing it in or hiding it from the
// navigation. oldTree and newTree are the site's tree before and after;
// old is the zero Section for a new one.
func ForSection(site content.Site, oldTree, newTree content.Tree, old, new content.Section) Set {
	set := Set{}
	if old.InNav || new.InNav {
		if old.InNav != new.InNav || old.Position != new.Position || !sameNames(old, new, site.Languages) || old.ParentID != new.ParentID {
			// Every page shows the navigation.
			set.Add(Page{Kind: All})
			return set
		}
	}
	for _, lang := range site.Languages {
		moved := old.ID != 0 && old.ParentID != new.ParentID
		renamed := old.ID != 0 && (old.Names[lang] != new.Names[lang] || old.Slugs[lang] != new.Slugs[lang])
		if old.ID == 0 || moved || renamed || old.Position != new.Position {
			// Parents list their subsections; the home lists top-level
			// sections; the language's sitemap lists section addresses.
			for _, t := range []content.Tree{oldTree, newTree} {
				if p := parentOf(t, new.ID, old, new); p != 0 {
					set.Add(Page{Kind: Section, Lang: lang, SectionID: p})
				}
			}
			if old.ParentID == 0 || new.ParentID == 0 {
				set.Add(Page{Kind: Home, Lang: lang})
			}
			set.Add(Page{Kind: SitemapLang, Lang: lang})
		}
		if renamed || moved {
			// Breadcrumbs, headings and feed titles below it.
			set.Add(Page{Kind: Subtree, Lang: lang, SectionID: new.ID})
		}
		if moved {
			// Its articles leave the old ancestors' listings and join the
			// new ones'.
			for _, t := range []content.Tree{oldTree, newTree} {
				for _, a := range t.Ancestry(parentOf(t, new.ID, old, new)) {
					set.Add(Page{Kind: SectionAll, Lang: lang, SectionID: a.ID})
				}
			}
			set.Add(Page{Kind: Home, Lang: lang})
		}
	}
	return set
}

// parentOf is the section's parent in a tree, falling back to the parents
// the states name.
func parentOf(t content.Tree, id int64, old, new content.Section) int64 {
	if s, ok := t.Section(id); ok {
		return s.ParentID
	}
	if new.ParentID != 0 {
		return new.ParentID
	}
	return old.ParentID
}

func sameNames(a, b content.Section, langs []string) bool {
	for _, l := range langs {
		if a.Names[l] != b.Names[l] || a.Slugs[l] != b.Slugs[l] {
			return false
		}
	}
	return true
}

// ForSite returns the pages a change of the site's settings shows on.
func ForSite(old, new content.Site) Set {
	set := Set{}
	if old.FeedSummary != new.FeedSummary {
		for _, l := range new.Languages {
			set.Add(Page{Kind: AllFeeds, Lang: l})
		}
	}
	o, n := old, new
	o.FeedSummary, n.FeedSummary = false, false
	if !sameSite(o, n) {
		// Names, hosts, languages and the time zone show on every page.
		set.Add(Page{Kind: All})
	}
	return set
}

func sameSite(a, b content.Site) bool {
	return a.Key == b.Key && a.DefaultLanguage == b.DefaultLanguage && a.TimeZone == b.TimeZone &&
		slices.Equal(a.Hosts, b.Hosts) && slices.Equal(a.Languages, b.Languages) && maps.Equal(a.Names, b.Names)
}
