package oldsite

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// page is what one walk over a parsed page finds; the choices between its
// candidates are made afterwards, when all of them are known.
type page struct {
	lang      string // the lang attribute of <html>
	headTitle string // the text of <title>
	canonical string // the href of <link rel="canonical">
	metaDate  string // the content of a publication-date meta element
	refresh   bool   // whether a meta element sends the reader elsewhere
	titles    []*html.Node
	contents  [contentKinds][]*html.Node
	crumb     *html.Node
	links     []*html.Node
	hasText   bool
}

// The kinds of elements that hold an article's text on the old platform,
// surest first.
const (
	contentEditor  = iota // the editor's own container: TRS_Editor, News_Body_Txt_A
	contentNamed          // a container named for the article: news-main, article-content
	contentGeneric        // a container with a generic name: content, text, article
	contentKinds
)

// textLimit bounds how much text is gathered from an element whose text
// is only compared with short strings (titles, share words), so that a
// page of deeply nested elements stays linear to read.
const textLimit = 400

// read walks the parsed page once.
func read(doc *html.Node) *page {
	p := &page{}
	p.walk(doc, false)
	return p
}

// walk gathers what n and its descendants hold; chrome tells that n is
// inside the site's frame (navigation, breadcrumb, footer, share links),
// where no title or text of the article is.
func (p *page) walk(n *html.Node, chrome bool) {
	switch n.Type {
	case html.TextNode:
		if !p.hasText && strings.TrimFunc(n.Data, isSpace) != "" {
			p.hasText = true
		}
		return
	case html.ElementNode:
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Noscript, atom.Template:
			return
		case atom.Html:
			p.lang = attr(n, "lang")
		case atom.Title:
			if p.headTitle == "" {
				p.headTitle = text(n, textLimit)
				if p.headTitle != "" {
					p.hasText = true
				}
			}
			return
		case atom.Link:
			if p.canonical == "" && hasWord(attr(n, "rel"), "canonical") {
				p.canonical = attr(n, "href")
			}
		case atom.Meta:
			if p.metaDate == "" && isDateMeta(n) {
				p.metaDate = attr(n, "content")
			}
			if strings.EqualFold(attr(n, "http-equiv"), "refresh") {
				p.refresh = true
			}
		case atom.A:
			if _, ok := attrOK(n, "href"); ok {
				p.links = append(p.links, n)
			}
		}
		words := classWords(n)
		switch {
		case isCrumb(words):
			if p.crumb == nil {
				p.crumb = n
			}
			chrome = true
		case n.DataAtom == atom.Nav || n.DataAtom == atom.Header || n.DataAtom == atom.Footer ||
			n.DataAtom == atom.Aside || isChrome(words) || isRelated(words):
			chrome = true
		}
		if !chrome {
			if n.DataAtom == atom.H1 || isTitle(words) {
				p.titles = append(p.titles, n)
			}
			if k, ok := contentKind(n, words); ok {
				p.contents[k] = append(p.contents[k], n)
			}
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		p.walk(c, chrome)
	}
}

// title chooses the article's title and the element it came from (nil
// when it came from <title>): the first title-like element whose text the
// page's <title> repeats, else the first <h1>, else the first title-like
// element, else <title> without the site's name.
func (p *page) title() (string, *html.Node) {
	var first, h1 *html.Node
	var firstText, h1Text string
	head := stripSiteName(p.headTitle)
	for _, n := range p.titles {
		t := text(n, textLimit)
		if t == "" || len(t) > textLimit {
			continue
		}
		// A side box's heading ("News") may be a word of <title> too; the
		// article's title is most of it.
		if strings.Contains(p.headTitle, t) && 2*len(t) >= len(head) {
			return t, n
		}
		if first == nil {
			first, firstText = n, t
		}
		if h1 == nil && n.DataAtom == atom.H1 {
			h1, h1Text = n, t
		}
	}
	switch {
	case h1 != nil:
		return h1Text, h1
	case first != nil:
		return firstText, first
	}
	return head, nil
}

// stripSiteName drops the site's name from a page's <title>: the platform
// writes "Title - Site", "Title_Site" or "Title | Site".
func stripSiteName(t string) string {
	cut := -1
	for _, sep := range []string{" - ", " – ", " — ", "_", "|", "｜"} {
		if i := strings.LastIndex(t, sep); i > cut {
			cut = i
		}
	}
	if cut > 0 {
		if s := strings.TrimFunc(t[:cut], isSpace); s != "" {
			return s
		}
	}
	return t
}

// hasContent reports whether the page has an element that holds an
// article's text.
func (p *page) hasContent() bool {
	for _, kind := range p.contents {
		if len(kind) > 0 {
			return true
		}
	}
	return false
}

// content chooses the element that holds the article's text: of the
// surest kind found, the first that is not a wrapper around the title as
// well, else the first; nil when the page names no such element.
func (p *page) content(title *html.Node) *html.Node {
	for _, kind := range p.contents {
		for _, n := range kind {
			if title == nil || !contains(n, title) {
				return n
			}
		}
		if len(kind) > 0 {
			return kind[0]
		}
	}
	return nil
}

// densest returns the element with the most paragraph text among its own
// children, for pages that name no content element.
func densest(doc *html.Node) *html.Node {
	var best *html.Node
	bestLen := 0
	var walk func(n *html.Node, chrome bool)
	walk = func(n *html.Node, chrome bool) {
		if n.Type != html.ElementNode && n.Type != html.DocumentNode {
			return
		}
		switch n.DataAtom {
		case atom.Script, atom.Style, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.Head:
			return
		}
		words := classWords(n)
		if chrome || isCrumb(words) || isChrome(words) || isRelated(words) {
			return
		}
		size := 0
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.P {
				size += len(text(c, textLimit))
			}
			walk(c, false)
		}
		if size > bestLen {
			best, bestLen = n, size
		}
	}
	walk(doc, false)
	return best
}

// dateLine matches the publication times old pages print: "2022-07-29
// 23:45", "2022/07/29", "2022.07.29", "2022年07月29日 23:45",
// "2022-07-29T23:45:00+08:00".
var dateLine = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?:\s*日)?(?:[T\s]*(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?)?`)

// dateLineLimit is the most text, other than the date itself, that a
// line holding the publication time has: its labels ("发布时间：",
// "Date:") and the source. A longer text is the article's, and its dates
// are those of the events it tells.
const dateLineLimit = 60

// published finds the page's publication time: the first line that is
// mostly a date, outside the navigation, the breadcrumb, the title, the
// related articles and the article's text itself, unless the element
// holding the text wraps the title and so the time line too. It returns
// the element holding that line, for the body to leave it out, and falls
// back on a publication-date meta element.
func (p *page) published(doc, title, content *html.Node) (time.Time, *html.Node) {
	if content != nil && title != nil && contains(content, title) {
		content = nil
	}
	var found time.Time
	var line *html.Node
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			if t, ok := dateOnLine(n.Data); ok {
				found, line = t, n.Parent
				return true
			}
			return false
		case html.ElementNode:
			if n == title || n == p.crumb || n == content {
				return false
			}
			switch n.DataAtom {
			case atom.Head, atom.Script, atom.Style, atom.Nav, atom.Header, atom.Footer, atom.Aside, atom.A, atom.Select:
				return false
			}
			words := classWords(n)
			if isChrome(words) || isRelated(words) {
				return false
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if walk(c) {
				return true
			}
		}
		return false
	}
	if walk(doc) {
		return found, line
	}
	if t, ok := parseDate(p.metaDate); ok {
		return t, nil
	}
	return time.Time{}, nil
}

// dateOnLine reads the date of a line that holds little else.
func dateOnLine(s string) (time.Time, bool) {
	if len(s) > 4*(dateLineLimit+40) {
		return time.Time{}, false
	}
	t, n, ok := findDate(s)
	if !ok || utf8.RuneCountInString(strings.TrimFunc(s, isSpace))-n > dateLineLimit {
		return time.Time{}, false
	}
	return t, true
}

// parseDate reads the first date in s as a wall-clock time in UTC.
func parseDate(s string) (time.Time, bool) {
	t, _, ok := findDate(s)
	return t, ok
}

// findDate returns the first date in s and the length in runes of the
// text it was read from.
func findDate(s string) (time.Time, int, bool) {
	for _, m := range dateLine.FindAllStringSubmatchIndex(s, 4) {
		if m[0] > 0 && isDigit(s[m[0]-1]) || m[1] < len(s) && isDigit(s[m[1]]) {
			continue
		}
		n := func(i int) int {
			if m[2*i] < 0 {
				return 0
			}
			v, _ := strconv.Atoi(s[m[2*i]:m[2*i+1]])
			return v
		}
		if t, ok := validDate(n(1), n(2), n(3), n(4), n(5), n(6)); ok {
			return t, utf8.RuneCountInString(s[m[0]:m[1]]), true
		}
	}
	return time.Time{}, 0, false
}

// validDate builds the time and reports whether every field was in range
// (time.Date would quietly carry February 30 into March).
func validDate(y, mo, d, h, mi, sec int) (time.Time, bool) {
	if y < 1990 || y > 2100 || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, sec, 0, time.UTC)
	if t.Year() != y || int(t.Month()) != mo || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// nameDate reads the t{yyyymmdd} of an article's file name.
func nameDate(p string) (time.Time, bool) {
	d, ok := articleDate(p[strings.LastIndexByte(p, '/')+1:])
	if !ok {
		return time.Time{}, false
	}
	y, _ := strconv.Atoi(d[:4])
	mo, _ := strconv.Atoi(d[4:6])
	day, _ := strconv.Atoi(d[6:])
	return validDate(y, mo, day, 0, 0, 0)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isDateMeta reports whether a meta element gives the publication time, as
// the platform's <meta name="PubDate"> and Open Graph's
// article:published_time do.
func isDateMeta(n *html.Node) bool {
	switch strings.ToLower(attr(n, "name")) {
	case "pubdate", "publishdate", "firstpublishedtime", "publishtime":
		return true
	}
	return attr(n, "property") == "article:published_time"
}

// contentKind tells whether an element is one the platform puts an
// article's text in, and how sure that is.
func contentKind(n *html.Node, words []string) (int, bool) {
	if n.DataAtom != atom.Div && n.DataAtom != atom.Td && n.DataAtom != atom.Section && n.DataAtom != atom.Article {
		return 0, false
	}
	id := strings.ToLower(attr(n, "id"))
	if id == "news_body_txt_a" {
		return contentEditor, true
	}
	kind, ok := 0, false
	for _, c := range strings.Fields(strings.ToLower(attr(n, "class"))) {
		switch {
		case strings.HasPrefix(c, "trs_editor"), strings.HasPrefix(c, "trs_ueditor"):
			return contentEditor, true
		case c == "news-main", c == "news_main", c == "newsmain", c == "article-content", c == "article_content",
			c == "news-content", c == "news_content", c == "newscontent", c == "detail-content", c == "content-text",
			c == "zoom":
			kind, ok = contentNamed, true
		case !ok && (c == "content" || c == "contents" || c == "article" || c == "text" || c == "detail" || c == "txt"):
			kind, ok = contentGeneric, true
		}
	}
	switch id {
	case "zoom", "article_content", "news_content", "content_text":
		return contentNamed, true
	case "content", "article", "text":
		if !ok {
			return contentGeneric, true
		}
	}
	return kind, ok
}

// classWords returns the words of an element's class and id, lower-cased
// and split at hyphens and underscores: "news-title" gives "news" and
// "title", "BreadcrumbNav" gives "breadcrumbnav".
func classWords(n *html.Node) []string {
	var words []string
	for _, a := range n.Attr {
		if a.Namespace != "" || a.Key != "class" && a.Key != "id" {
			continue
		}
		words = append(words, strings.FieldsFunc(strings.ToLower(a.Val), func(r rune) bool {
			return r == '-' || r == '_' || isSpace(r)
		})...)
	}
	return words
}

func isCrumb(words []string) bool {
	for _, w := range words {
		if strings.Contains(w, "crumb") || strings.Contains(w, "curmb") ||
			w == "position" || w == "location" || w == "weizhi" || w == "dqwz" {
			return true
		}
	}
	return false
}

// isChrome reports whether class words name the site's frame around the
// article: navigation, header, footer, side bars, share and print tools.
func isChrome(words []string) bool {
	for _, w := range words {
		switch {
		case strings.HasPrefix(w, "nav"), strings.HasPrefix(w, "menu"), strings.HasPrefix(w, "header"),
			strings.HasPrefix(w, "footer"), strings.HasPrefix(w, "banner"), strings.HasPrefix(w, "copyright"),
			strings.HasPrefix(w, "sidebar"), strings.HasPrefix(w, "topbar"), strings.HasPrefix(w, "toolbar"),
			w == "top", w == "foot", w == "bottom", w == "side", w == "tools":
			return true
		case isShareWord(w):
			return true
		}
	}
	return false
}

func isShareWord(w string) bool {
	return strings.Contains(w, "share") || strings.Contains(w, "fenxiang") || strings.Contains(w, "jiathis") ||
		strings.HasPrefix(w, "print") || w == "dayin" || w == "close" || w == "guanbi"
}

// isRelated reports whether class words name a block of links to related
// articles.
func isRelated(words []string) bool {
	for _, w := range words {
		if strings.Contains(w, "relate") || strings.Contains(w, "relevant") || w == "xgxw" || w == "xgwz" || w == "xglj" {
			return true
		}
	}
	return false
}

func isTitle(words []string) bool {
	for _, w := range words {
		if strings.Contains(w, "title") || w == "tit" || w == "biaoti" {
			return true
		}
	}
	return false
}

// text returns the text of n with runs of white space made one space,
// stopping once it has more than limit bytes.
func text(n *html.Node, limit int) string {
	var b strings.Builder
	space := false
	var walk func(n *html.Node) bool
	walk = func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			for _, r := range n.Data {
				if isSpace(r) {
					space = b.Len() > 0
					continue
				}
				if space {
					b.WriteByte(' ')
					space = false
				}
				b.WriteRune(r)
			}
			return b.Len() <= limit
		case html.ElementNode:
			switch n.DataAtom {
			case atom.Script, atom.Style, atom.Noscript:
				return true
			case atom.Br, atom.P, atom.Div, atom.Li, atom.Td:
				space = b.Len() > 0
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if !walk(c) {
				return false
			}
		}
		return true
	}
	walk(n)
	return b.String()
}

// isSpace reports white space, counting the no-break and ideographic
// spaces old pages indent paragraphs with.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' || r == '\u200b' || r == '\ufeff'
}

func attr(n *html.Node, key string) string {
	v, _ := attrOK(n, key)
	return v
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Namespace == "" && a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

func hasWord(s, word string) bool {
	for _, w := range strings.Fields(s) {
		if strings.EqualFold(w, word) {
			return true
		}
	}
	return false
}

// contains reports whether d is n or inside it.
func contains(n, d *html.Node) bool {
	for ; d != nil; d = d.Parent {
		if d == n {
			return true
		}
	}
	return false
}
