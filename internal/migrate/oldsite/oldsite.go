// Package oldsite reads the pages of a saved copy (a wget mirror) of an
// old mission website built on the platform Chinese missions' sites used:
// language channels in the path ("/eng/", "/chn/"), section codes as
// directories ("/eng/zgyw/"), articles at "/eng/zgyw/202207/t20220730_10730785.htm"
// and each section's listing at "/eng/zgyw/index.htm".
//
// Parse turns one page into an article (migrate.Item), a section's
// listing page (migrate.Listing), or a reason to leave it out. It reads
// what the platform's templates put on every article page: the
// breadcrumb for the sections, the title, the time line, the content
// element for the body, and the link to the other language's version.
package oldsite

import (
	"bytes"
	"errors"
	"fmt"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"chancery/internal/content"
	"chancery/internal/migrate"
)

var (
	errNoText    = errors.New("no text in the page")
	errTruncated = errors.New("article page with a title but no text: the file may be truncated")
)

// Detect reports whether a file is a page of a saved old site: by its name
// (.htm, .html, .shtml) and, when head (the first bytes) is given, that it
// looks like HTML.
func Detect(name string, head []byte) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".htm", ".html", ".shtml":
	default:
		return false
	}
	return len(head) == 0 || looksLikeHTML(head)
}

// looksLikeHTML reports whether the first bytes of a file are those of a
// web page: markup from the start, or the usual tags early on for pages
// that open with stray text.
func looksLikeHTML(head []byte) bool {
	if bytes.HasPrefix(head, bomUTF16LE) || bytes.HasPrefix(head, bomUTF16BE) {
		return true
	}
	head = bytes.TrimPrefix(head, bomUTF8)
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	head = bytes.TrimLeft(head, " \t\r\n\f")
	if len(head) > 0 && head[0] == '<' {
		return true
	}
	lower := bytes.ToLower(head[:min(len(head), 1024)])
	for _, tag := range []string{"<html", "<head", "<body", "<meta", "<title", "<div", "<p>", "<table"} {
		if bytes.Contains(lower, []byte(tag)) {
			return true
		}
	}
	return false
}

// Parse reads one page of a saved old site. It returns one entry: an
// Item for an article, a Listing for a section's listing page (any
// index.htm or default.htm below a channel, or a page that lists articles
// and has no text of its own), a Skip for a page that holds no article
// (a channel's home page, a redirect, a page without a title), or an Err
// for a file that cannot be read as a page (empty, binary, no text, an
// article page cut off before its text).
//
// The page's old address is "/" + f.Name, unless the page declares a
// canonical link: then that link's path comes first and the file's
// address second. An article with neither a time line nor a dated file
// name is returned with a zero Published, which the importer reports.
func Parse(f migrate.File) []migrate.Entry {
	e := parse(f)
	e.File = f.Name
	return []migrate.Entry{e}
}

func parse(f migrate.File) migrate.Entry {
	if len(bytes.TrimSpace(f.Data)) == 0 {
		return migrate.Entry{Err: errEmpty}
	}
	src, err := decode(f.Data)
	if err != nil {
		return migrate.Entry{Err: err}
	}
	doc, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return migrate.Entry{Err: fmt.Errorf("parse page: %w", err)}
	}
	p := read(doc)
	paths := oldPaths(f.Name, p.canonical)
	own := paths[0]
	lang := channelLanguage(own)
	if lang == "" {
		lang = pageLanguage(p.lang)
	}

	// A directory's page stands for its section: its address answers with
	// a redirect to the section. Unless it is the section's one page of
	// text ("About the Embassy", "The Ambassador"): a content element
	// with text, not a list of articles; that is imported as a standing
	// page at the section's address.
	standing := false
	if isIndexPath(own) {
		if isHomePath(own) {
			return migrate.Entry{Skip: "home page of the old site"}
		}
		_, titleNode := p.title()
		body := p.content(titleNode)
		if !p.hasText || !p.hasContent() || body == nil || mostlyLinks(body) || listsArticles(p.links, own) {
			return migrate.Entry{Listing: &migrate.Listing{
				OldPath:  listingPath(own),
				Language: lang,
				Sections: listingSections(p.crumb, own),
			}}
		}
		standing = true
		if dir := listingPath(own); dir != own {
			paths = append([]string{dir}, paths...)
			own = dir
		}
	}
	if p.refresh && !p.hasContent() {
		return migrate.Entry{Skip: "a redirect, not an article"}
	}
	if !p.hasText {
		return migrate.Entry{Err: errNoText}
	}

	title, titleNode := p.title()
	body := p.content(titleNode)
	if !isArticlePath(own) && (body == nil || mostlyLinks(body)) && listsArticles(p.links, own) {
		return migrate.Entry{Listing: &migrate.Listing{OldPath: own, Language: lang, Sections: listingSections(p.crumb, own)}}
	}
	if title == "" {
		return migrate.Entry{Skip: "not an article: no title"}
	}
	if body == nil {
		body = densest(doc)
	}

	published, line := p.published(doc, titleNode, body)
	floating := true
	if published.IsZero() {
		published, floating = nameDate(own)
	}
	cl := &cleaner{skip: map[*html.Node]bool{}}
	if titleNode != nil {
		cl.skip[titleNode] = true
	}
	if line != nil && line != body {
		cl.skip[line] = true
	}
	var bodyHTML string
	var attached []migrate.Attachment
	if body != nil {
		var tree *html.Node
		bodyHTML, tree = cl.body(body)
		attached = attachments(tree, body)
	}
	if bodyHTML == "" {
		if isArticlePath(own) {
			return migrate.Entry{Err: errTruncated}
		}
		return migrate.Entry{Skip: "not an article: no text"}
	}

	sections := crumbSections(p.crumb, own)
	if len(sections) == 0 {
		sections = pathSections(own)
	}
	kind := content.Kind("")
	if standing {
		sections, kind = listingSections(p.crumb, own), content.KindPage
	}
	return migrate.Entry{Item: &migrate.Item{
		Key:          own,
		OldPaths:     paths,
		Language:     lang,
		Kind:         kind,
		Title:        title,
		Body:         bodyHTML,
		HTML:         true,
		Published:    published,
		Floating:     floating,
		Sections:     sections,
		Attachments:  attached,
		Translations: translations(p.links, own, lang),
	}}
}

// oldPaths returns the addresses a page answered on: the path of its
// canonical link, when it has one, then its file's address.
func oldPaths(name, canonical string) []string {
	file := cleanPath("/" + strings.TrimPrefix(name, "/"))
	if canonical == "" {
		return []string{file}
	}
	c, ok := resolve(file, canonical)
	// Some templates give every page the canonical link of the section or
	// of the home page; such a link names another page, not this one.
	if !ok || c == file || isIndexPath(c) != isIndexPath(file) {
		return []string{file}
	}
	return []string{c, file}
}

// pageLanguage reads the lang attribute of a page outside the known
// channels, or "" when it has none that parses.
func pageLanguage(lang string) string {
	lang = strings.ReplaceAll(strings.TrimSpace(lang), "_", "-")
	if lang == "" || content.CheckLanguage(lang) != nil {
		return ""
	}
	return content.CanonicalLanguage(lang)
}

// listsArticles reports whether a page without an article's text is a
// list of articles: it links at least two article-shaped addresses in its
// own channel.
func listsArticles(links []*html.Node, own string) bool {
	n := 0
	for _, a := range links {
		href := attr(a, "href")
		if !linksArticle(href) {
			continue
		}
		if p, ok := resolve(own, href); ok && isArticlePath(p) && sameChannel(p, own) {
			n++
		}
	}
	return n >= 2
}

// linksArticle tells from its last segment, before any resolving, whether
// a link may lead to an article: most links of a page do not.
func linksArticle(href string) bool {
	if i := strings.IndexAny(href, "?#"); i >= 0 {
		href = href[:i]
	}
	return isArticlePath(strings.TrimSpace(href))
}

// mostlyLinks reports whether most of an element's text is the text of
// links, as in a list of articles.
func mostlyLinks(n *html.Node) bool {
	var all, linked int
	var walk func(n *html.Node, inLink bool)
	walk = func(n *html.Node, inLink bool) {
		if n.Type == html.TextNode {
			l := len(strings.TrimFunc(n.Data, isSpace))
			all += l
			if inLink {
				linked += l
			}
			return
		}
		inLink = inLink || n.DataAtom == atom.A
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	walk(n, false)
	return linked*2 > all
}

func sameChannel(a, b string) bool {
	first := func(p string) string {
		s, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		return strings.ToLower(s)
	}
	return first(a) == first(b)
}

// translations returns the addresses of the articles in another language
// that the page links: the "中文" or "English" link of the navigation
// when it leads to the same article in the other channel. A link to the
// other channel's home page does not count.
func translations(links []*html.Node, own, lang string) []string {
	var out []string
	for _, a := range links {
		href := attr(a, "href")
		if !linksArticle(href) {
			continue
		}
		p, ok := resolve(own, href)
		if !ok || !isArticlePath(p) {
			continue
		}
		if l := channelLanguage(p); l == "" || l == lang || sameChannel(p, own) {
			continue
		}
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}
