package oldsite

import (
	"path"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"chancery/internal/migrate"
)

// cleaner copies the article's text out of the page into a new tree of
// the few elements an article needs, leaving out the page's frame and
// every attribute but links, image sources and table spans.
type cleaner struct {
	// skip holds elements of the page to leave out wherever they are
	// found: the title and the time line, when the content element wraps
	// them too.
	skip map[*html.Node]bool
	// stop is set at a "Related news" heading: what follows it is the list
	// of related articles, not the article.
	stop bool
}

// body returns the cleaned HTML of the content element and the tree it was
// rendered from.
func (cl *cleaner) body(content *html.Node) (string, *html.Node) {
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	cl.block(content, root)
	prune(root)
	var b strings.Builder
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		// Render only fails when its writer does, and a Builder does not.
		_ = html.Render(&b, c)
	}
	return b.String(), root
}

// flow reports whether an element of the new tree holds blocks, so that
// loose text put into it goes into paragraphs.
func flow(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Div, atom.Blockquote, atom.Li, atom.Td, atom.Th:
		return true
	}
	return false
}

// blockish reports whether an element of the new tree is a block, which
// ends a run of loose text.
func blockish(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.DataAtom {
	case atom.P, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Li, atom.Table, atom.Blockquote:
		return true
	}
	return false
}

// block copies the children of a block element of the page that has no
// place in an article (a div, a section) into dst; in a flow element,
// its loose text and inline elements become paragraphs of their own, so
// that two divs of text do not run into one.
func (cl *cleaner) block(src, dst *html.Node) {
	if !flow(dst) {
		if dst.LastChild != nil {
			dst.AppendChild(&html.Node{Type: html.TextNode, Data: " "})
		}
		cl.children(src, dst)
		return
	}
	tmp := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	cl.children(src, tmp)
	var run *html.Node
	for c := tmp.FirstChild; c != nil; {
		next := c.NextSibling
		tmp.RemoveChild(c)
		switch {
		case blockish(c):
			if run != nil {
				dst.AppendChild(run)
				run = nil
			}
			dst.AppendChild(c)
		default:
			if run == nil {
				run = element(atom.P)
			}
			run.AppendChild(c)
		}
		c = next
	}
	if run != nil {
		dst.AppendChild(run)
	}
}

func (cl *cleaner) children(src, dst *html.Node) {
	for c := src.FirstChild; c != nil && !cl.stop; c = c.NextSibling {
		cl.node(c, dst)
	}
}

// node copies one node of the page into dst.
func (cl *cleaner) node(n, dst *html.Node) {
	switch n.Type {
	case html.TextNode:
		dst.AppendChild(&html.Node{Type: html.TextNode, Data: n.Data})
		return
	case html.ElementNode:
	default:
		return
	}
	if cl.skip[n] {
		return
	}
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Nav, atom.Header, atom.Footer, atom.Aside,
		atom.Form, atom.Button, atom.Input, atom.Select, atom.Textarea, atom.Iframe, atom.Object, atom.Embed,
		atom.Svg, atom.Math, atom.Audio, atom.Video, atom.Canvas, atom.Map, atom.Link, atom.Meta, atom.Title,
		atom.Head, atom.Hr:
		return
	}
	words := classWords(n)
	if isCrumb(words) || isChrome(words) || isRelated(words) {
		return
	}
	if t, short := shortText(n); short {
		if isRelatedHeading(t) {
			cl.stop = true
			return
		}
		if t != "" && onlyShareWords(t) && !hasImage(n) {
			return
		}
	}
	switch a := n.DataAtom; a {
	case atom.P, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Ul, atom.Ol, atom.Li, atom.Blockquote,
		atom.Strong, atom.Em, atom.B, atom.I, atom.Br, atom.Table, atom.Caption, atom.Thead, atom.Tbody,
		atom.Tfoot, atom.Tr:
		e := element(a)
		dst.AppendChild(e)
		cl.children(n, e)
	case atom.H1:
		// The article's title is kept apart; a first-level heading
		// inside the text is a heading of the text.
		e := element(atom.H2)
		dst.AppendChild(e)
		cl.children(n, e)
	case atom.Td, atom.Th:
		e := element(a)
		for _, k := range []string{"colspan", "rowspan"} {
			if v, ok := attrOK(n, k); ok {
				e.Attr = append(e.Attr, html.Attribute{Key: k, Val: v})
			}
		}
		dst.AppendChild(e)
		cl.children(n, e)
	case atom.A:
		href := strings.TrimSpace(attr(n, "href"))
		if !usableLink(href) {
			cl.children(n, dst)
			return
		}
		e := element(atom.A)
		e.Attr = []html.Attribute{{Key: "href", Val: href}}
		dst.AppendChild(e)
		cl.children(n, e)
	case atom.Img:
		src := strings.TrimSpace(attr(n, "src"))
		if src == "" {
			return
		}
		e := element(atom.Img)
		e.Attr = []html.Attribute{{Key: "src", Val: src}}
		if alt, ok := attrOK(n, "alt"); ok {
			e.Attr = append(e.Attr, html.Attribute{Key: "alt", Val: alt})
		}
		dst.AppendChild(e)
	case atom.Div, atom.Section, atom.Article, atom.Main, atom.Center, atom.Figure, atom.Figcaption, atom.Dl,
		atom.Dt, atom.Dd, atom.Pre, atom.Address, atom.Fieldset:
		cl.block(n, dst)
	default:
		// Inline elements with no meaning an article needs (span, font,
		// u, sup) and unknown ones give their text only.
		cl.children(n, dst)
	}
}

func element(a atom.Atom) *html.Node {
	return &html.Node{Type: html.ElementNode, Data: a.String(), DataAtom: a}
}

// usableLink reports whether a link leads somewhere a reader can follow.
func usableLink(href string) bool {
	if href == "" || href == "#" {
		return false
	}
	scheme, _, ok := strings.Cut(href, ":")
	if !ok || strings.ContainsAny(scheme, "/?#") {
		return true
	}
	switch strings.ToLower(strings.TrimSpace(scheme)) {
	case "http", "https", "mailto", "ftp", "tel":
		return true
	}
	return false
}

// shortText returns the text of an element when it is short enough to be
// a heading or a line of share links.
func shortText(n *html.Node) (string, bool) {
	const limit = 80
	t := text(n, limit)
	return t, len(t) <= limit
}

// shareWords are the words of the share, print and close links old pages
// end with, lower-cased and without spaces or brackets.
var shareWords = []string{
	"suggesttoafriend", "sharethis", "shareto", "share", "printthispage", "print", "closethewindow",
	"closewindow", "close", "fontsize", "backtotop",
	"分享到", "分享", "打印本页", "打印", "关闭窗口", "关闭", "字体大中小", "字号大中小", "返回顶部",
}

// onlyShareWords reports whether a line is made of share words alone, such
// as "Suggest to a friend", "【打印】【关闭】" or "分享到：".
func onlyShareWords(t string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(t) {
		if !isSpace(r) && !strings.ContainsRune("【】[]()（）:：|｜·•/-", r) {
			b.WriteRune(r)
		}
	}
	rest := b.String()
	for rest != "" {
		matched := false
		for _, w := range shareWords {
			if strings.HasPrefix(rest, w) {
				rest, matched = rest[len(w):], true
				break
			}
		}
		if !matched {
			return false
		}
	}
	return true
}

// isRelatedHeading reports whether a line heads a list of related
// articles.
func isRelatedHeading(t string) bool {
	t = strings.ToLower(strings.Trim(t, " :：【】[]"))
	switch t {
	case "related news", "related articles", "related links", "related stories", "相关新闻", "相关链接", "相关报道", "相关文章":
		return true
	}
	return false
}

func hasImage(n *html.Node) bool {
	if n.DataAtom == atom.Img {
		return true
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if hasImage(c) {
			return true
		}
	}
	return false
}

// prune removes from the new tree the elements left with nothing in them
// (the empty paragraphs old editors leave between real ones, links whose
// text was a share word) and trims the indentation paragraphs start with.
func prune(n *html.Node) {
	for c := n.FirstChild; c != nil; {
		next := c.NextSibling
		if c.Type == html.ElementNode {
			prune(c)
			if removable(c) {
				n.RemoveChild(c)
			}
		}
		c = next
	}
	switch n.DataAtom {
	case atom.P, atom.Li, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		trimEdges(n)
	}
}

func removable(n *html.Node) bool {
	switch n.DataAtom {
	case atom.P, atom.Li, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Blockquote, atom.Ul, atom.Ol,
		atom.Strong, atom.Em, atom.B, atom.I, atom.A, atom.Table, atom.Caption:
		return !hasContent(n)
	}
	return false
}

// hasContent reports whether an element holds words or an image.
func hasContent(n *html.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimFunc(c.Data, isSpace) != "":
			return true
		case c.DataAtom == atom.Img, c.Type == html.ElementNode && hasContent(c):
			return true
		}
	}
	return false
}

// trimEdges drops the white space and line breaks a block starts or ends
// with.
func trimEdges(n *html.Node) {
	for c := n.FirstChild; c != nil && edge(c, strings.TrimLeftFunc); c = n.FirstChild {
		n.RemoveChild(c)
	}
	for c := n.LastChild; c != nil && edge(c, strings.TrimRightFunc); c = n.LastChild {
		n.RemoveChild(c)
	}
}

// edge trims a text node at a block's edge and reports whether it, or a
// line break there, is left with nothing and should go.
func edge(c *html.Node, trim func(string, func(rune) bool) string) bool {
	switch {
	case c.Type == html.TextNode:
		c.Data = trim(c.Data, isSpace)
		return c.Data == ""
	case c.DataAtom == atom.Br:
		return true
	}
	return false
}

// documentExts are the extensions of the files an article attaches.
var documentExts = map[string]bool{
	".pdf": true, ".doc": true, ".docx": true, ".xls": true, ".xlsx": true, ".ppt": true, ".pptx": true,
	".odt": true, ".ods": true, ".wps": true, ".rtf": true, ".zip": true, ".rar": true, ".7z": true,
}

// isDocument reports whether a link points to a document file.
func isDocument(href string) bool {
	if i := strings.IndexAny(href, "?#"); i >= 0 {
		href = href[:i]
	}
	return documentExts[strings.ToLower(path.Ext(href))]
}

// attachments gathers the document links of the cleaned body, then those
// of the attachments block the platform puts right after the content
// element ("附件：", class "fujian", "attachment", "appendix").
func attachments(body, content *html.Node) []migrate.Attachment {
	var out []migrate.Attachment
	seen := map[string]bool{}
	add := func(a *html.Node) {
		href := strings.TrimSpace(attr(a, "href"))
		if !isDocument(href) || seen[href] {
			return
		}
		seen[href] = true
		title := text(a, textLimit)
		if title == "" {
			title = path.Base(href)
		}
		out = append(out, migrate.Attachment{Ref: href, Title: title})
	}
	eachLink(body, add)
	for _, n := range []*html.Node{content, content.Parent} {
		for s := n; s != nil; s = s.NextSibling {
			if s != n && isAttachmentBlock(s) {
				eachLink(s, add)
			}
		}
	}
	return out
}

func eachLink(n *html.Node, f func(*html.Node)) {
	if n == nil {
		return
	}
	if n.Type == html.ElementNode && n.DataAtom == atom.A {
		f(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		eachLink(c, f)
	}
}

func isAttachmentBlock(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	for _, w := range classWords(n) {
		if strings.HasPrefix(w, "attach") || strings.HasPrefix(w, "fujian") || strings.HasPrefix(w, "appendix") ||
			w == "fj" || w == "files" || w == "download" {
			return true
		}
	}
	return false
}
