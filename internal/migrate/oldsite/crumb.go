package oldsite

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"chancery/internal/migrate"
)

// homeWords are the names breadcrumbs give the site's home page.
var homeWords = map[string]bool{"home": true, "homepage": true, "home page": true, "首页": true, "主页": true, "网站首页": true}

// crumbSections reads the sections a breadcrumb links, from the top: the
// code of each is the last directory of its link's address, its name the
// link's text. The home page and links to articles are left out.
func crumbSections(crumb *html.Node, own string) []migrate.SectionRef {
	var refs []migrate.SectionRef
	eachLink(crumb, func(a *html.Node) {
		p, ok := resolve(own, attr(a, "href"))
		name := text(a, textLimit)
		if !ok || homeWords[strings.ToLower(name)] || isHomePath(p) {
			return
		}
		s := sectionSlug(p)
		if s == "" || len(refs) > 0 && refs[len(refs)-1].Slug == s {
			return
		}
		if name == "" {
			name = s
		}
		refs = append(refs, migrate.SectionRef{Slug: s, Name: name})
	})
	return refs
}

// isHomePath reports whether a path is the site's home page or a
// channel's, the only pages at the top of the platform's tree: "/",
// "/eng/", "/eng/index.htm".
func isHomePath(p string) bool {
	d := strings.Trim(p, "/")
	if isIndexPath(p) {
		d = strings.Trim(dirOf(p), "/")
	}
	return !strings.Contains(d, "/")
}

// listingSections returns the sections of a listing page, its own last.
// The breadcrumb of a listing often names its own section as plain text
// after the links ("Home > China News"), which gives that section's name;
// without a breadcrumb the codes in the path are all there is.
func listingSections(crumb *html.Node, own string) []migrate.SectionRef {
	dirs := sectionDirs(own)
	if crumb == nil || len(dirs) == 0 {
		return pathSections(own)
	}
	self := dirs[len(dirs)-1]
	refs := crumbSections(crumb, own)
	if len(refs) > 0 && refs[len(refs)-1].Slug == self {
		return refs
	}
	name := trailingText(crumb)
	if name == "" {
		if len(refs) == 0 {
			return pathSections(own)
		}
		name = self
	}
	return append(refs, migrate.SectionRef{Slug: self, Name: name})
}

// trailingText returns the last step of a breadcrumb when it is text
// rather than a link: "China News" of "Home > China News".
func trailingText(crumb *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
			return
		case n.DataAtom == atom.A:
			b.Reset()
			return
		case n.DataAtom == atom.Script || n.DataAtom == atom.Style:
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(crumb)
	steps := strings.FieldsFunc(b.String(), func(r rune) bool { return strings.ContainsRune(">›»＞→", r) })
	if len(steps) == 0 {
		return ""
	}
	return strings.Join(strings.FieldsFunc(steps[len(steps)-1], isSpace), " ")
}
