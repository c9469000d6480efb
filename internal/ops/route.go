package ops

import "strings"

// Route classes: the route label of the request metrics. The set is
// fixed, so that no address a client makes up adds a series.
const (
	RouteHome       = "home"        // /en/
	RouteSection    = "section"     // /en/news/, /en/news/page/2/
	RouteArticle    = "article"     // /en/news/2025/05/a-statement
	RouteArchive    = "archive"     // /en/news/2025/, /en/news/2025/05/
	RouteSearch     = "search"      // /en/search/
	RouteSearchJSON = "search_json" // /en/search.json
	RouteOpenSearch = "opensearch"  // /en/opensearch.xml
	RouteStatic     = "static"      // /static/…
	RouteIndex      = "index"       // / (the network's index, or a site's language choice)
	RouteHealth     = "health"      // /healthz, /readyz
	RouteFeed       = "feed"        // /en/feed.xml, /en/news/atom.xml, …/feed.json
	RouteSitemap    = "sitemap"     // /sitemap.xml, /en/sitemap-2025.xml, /robots.txt
	RouteShare      = "share"       // /en/share/123/
	RouteOther      = "other"       // anything else
)

// Routes lists every route class.
var Routes = []string{RouteHome, RouteSection, RouteArticle, RouteArchive, RouteSearch, RouteSearchJSON,
	RouteOpenSearch, RouteStatic, RouteIndex, RouteHealth, RouteFeed, RouteSitemap, RouteShare, RouteOther}

// Route classifies a request path by its shape alone, without the store:
// the site decides later whether such a page exists (a 404 keeps its
// class and shows in the code label).
func Route(path string) string {
	switch path {
	case "/":
		return RouteIndex
	case HealthzPath, ReadyzPath:
		return RouteHealth
	case "/sitemap.xml", "/robots.txt":
		return RouteSitemap
	}
	if strings.HasPrefix(path, "/static/") {
		return RouteStatic
	}
	rest, ok := strings.CutPrefix(path, "/")
	if !ok {
		return RouteOther
	}
	lang, rest, _ := strings.Cut(rest, "/")
	if !isLanguage(lang) {
		return RouteOther
	}
	switch rest {
	case "":
		return RouteHome
	case "search/", "search":
		return RouteSearch
	case "search.json":
		return RouteSearchJSON
	case "opensearch.xml":
		return RouteOpenSearch
	}
	if strings.HasPrefix(rest, "share/") {
		return RouteShare
	}
	last := rest[strings.LastIndexByte(rest, '/')+1:]
	switch {
	case last == "feed.xml" || last == "atom.xml" || last == "feed.json":
		return RouteFeed
	case strings.HasPrefix(last, "sitemap") && strings.HasSuffix(last, ".xml") && !strings.Contains(rest, "/"):
		return RouteSitemap
	}
	if !strings.HasSuffix(rest, "/") {
		return RouteArticle
	}
	segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	n := len(segs)
	switch {
	case n >= 2 && isDigits(segs[n-2], 4) && isDigits(segs[n-1], 2):
		return RouteArchive // …/2025/05/
	case n >= 2 && isDigits(segs[n-1], 4):
		return RouteArchive // …/2025/
	}
	return RouteSection
}

// isLanguage reports whether s looks like a BCP 47 tag as sites use them
// in addresses: en, zh, zh-hant, pt-BR.
func isLanguage(s string) bool {
	primary, subtags, _ := strings.Cut(s, "-")
	if len(primary) < 2 || len(primary) > 3 || !isLetters(primary) {
		return false
	}
	for subtags != "" {
		var tag string
		tag, subtags, _ = strings.Cut(subtags, "-")
		if len(tag) < 2 || len(tag) > 8 || !isAlnum(tag) {
			return false
		}
	}
	return true
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

func isAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < '0' || c > '9') && (c|0x20 < 'a' || c|0x20 > 'z') {
			return false
		}
	}
	return true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
