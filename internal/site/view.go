package site

import "html/template"

// page is what layout.html shows around every page; Body is the view of
// the page itself.
type page struct {
	Lang, Dir   string
	Title       string
	Description string
	SiteName    string
	HomeURL     string
	// Canonical is the page's absolute address.
	Canonical  string
	Nav        []navLink
	Switch     []langLink
	Alternates []langLink
	Breadcrumb []link
	// SearchURL is where the search box sends its query; "" hides the box.
	SearchURL   string
	SearchQuery string
	OpenSearch  *link
	// Robots, when set, is the robots meta tag's content.
	Robots string
	// OG fills the OpenGraph and Twitter card tags; render makes a
	// "website" one from the page's title when a page sets none.
	OG *openGraph
	// LD are the page's JSON-LD descriptions (schema.org).
	LD []any
	// Feeds are announced for autodiscovery, the most specific first.
	Feeds []feedLink
	L     Labels
	Body  any
}

type link struct {
	Name, URL string
}

type feedLink struct {
	Title, Type, URL string
}

type navLink struct {
	Name, URL string
	// Current is the aria-current value: "page" on the page itself,
	// "true" on the section that contains it.
	Current string
}

type langLink struct {
	Lang, Label, URL string
}

type item struct {
	Title, URL, Date, Datetime string
}

type homeView struct {
	Latest []item
	Blocks []homeBlock
}

type homeBlock struct {
	Name, URL string
	Items     []item
}

type sectionView struct {
	Heading     string
	Subsections []link
	Items       []item
	Pager       *pager
	// Years are a listing's archive by year; Archive a year's months.
	Years   []yearLink
	Archive []yearArchive
}

type pager struct {
	Label, Prev, Next string
}

type yearArchive struct {
	Year   int
	URL    string
	Months []monthLink
}

type monthLink struct {
	Label, URL string
	Count      int
}

type yearLink struct {
	Year  int
	URL   string
	Count int
}

type articleView struct {
	Title, Published, Datetime string
	HTML                       template.HTML
	ShareURL                   string
	Withdrawn                  bool
	// WithdrawnOn and WithdrawalReason date and explain a withdrawal made
	// from the back office.
	WithdrawnOn, WithdrawalReason string
	// Updates are the public change notes, oldest first.
	Updates []update
	// Documents are the files listed with the article.
	Documents []document
	// Preview marks a draft shown in the back office.
	Preview bool
}

type update struct {
	On, Datetime, Note string
}

type document struct {
	Title, URL, Type, Size string
}

type siteEntry struct {
	Host  string
	Names []siteName
}

type siteName struct {
	Lang, Dir, Name, URL string
}

type indexView struct {
	Heading, Intro string
	Sites          []siteEntry
}

type notFoundView struct {
	Heading, Message string
	Home             *link
	Sites            []siteEntry
}
