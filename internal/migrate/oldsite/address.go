package oldsite

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"

	"chancery/internal/migrate"
)

// channels maps the language channels of the old platform's addresses
// ("/eng/…", "/chn/…") to language tags.
var channels = map[string]string{
	"eng": "en", "en": "en", "english": "en",
	"chn": "zh", "cn": "zh", "zh": "zh", "chinese": "zh",
}

// indexName matches a directory's page and the further pages of a long
// listing (index_1.htm, index_2.htm…).
var indexName = regexp.MustCompile(`^(?:index|default)(_\d+)?\.s?html?$`)

// articleDate returns the yyyymmdd of a file name the platform gives an
// article, t{yyyymmdd}_{number}.htm, and false for any other name. It is
// written out rather than a regular expression because every link of
// every page goes through it.
func articleDate(name string) (string, bool) {
	if len(name) < len("t20220730_1.htm") || name[0] != 't' && name[0] != 'T' || name[9] != '_' {
		return "", false
	}
	date := name[1:9]
	for i := range len(date) {
		if !isDigit(date[i]) {
			return "", false
		}
	}
	rest := name[10:]
	n := 0
	for n < len(rest) && isDigit(rest[n]) {
		n++
	}
	if n == 0 {
		return "", false
	}
	switch strings.ToLower(rest[n:]) {
	case ".htm", ".html", ".shtml":
		return date, true
	}
	return "", false
}

// channelLanguage returns the language of the channel an absolute path
// starts with, or "" when its first segment is no known channel.
func channelLanguage(p string) string {
	first, _, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
	return channels[strings.ToLower(first)]
}

// isArticlePath reports whether p has the shape of an article's address.
func isArticlePath(p string) bool {
	_, ok := articleDate(p[strings.LastIndexByte(p, '/')+1:])
	return ok
}

// isIndexPath reports whether p names a directory's page: "/eng/zgyw/",
// "/eng/zgyw/index.htm", "/eng/zgyw/default.htm".
func isIndexPath(p string) bool {
	return strings.HasSuffix(p, "/") || indexName.MatchString(strings.ToLower(path.Base(p)))
}

// dirOf returns the directory a directory's page stands for, with a
// trailing slash: "/eng/zgyw/index.htm" and "/eng/zgyw/" give "/eng/zgyw/".
func dirOf(p string) string {
	if strings.HasSuffix(p, "/") {
		return p
	}
	d := path.Dir(p)
	if d == "/" {
		return d
	}
	return d + "/"
}

// listingPath returns the address a listing page answered on: its
// directory for the first page, the file itself for the further pages,
// which had addresses of their own.
func listingPath(p string) string {
	if m := indexName.FindStringSubmatch(strings.ToLower(path.Base(p))); m != nil && m[1] != "" {
		return p
	}
	return dirOf(p)
}

// resolve returns the absolute path a link on the page at base points to,
// without host, query or fragment, and false for links that lead nowhere
// on a site: empty, fragment-only, javascript: and mailto: links.
func resolve(base, href string) (string, bool) {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return "", false
	}
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "" && u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	if u.Host != "" || u.Scheme != "" {
		if u.Path == "" {
			return "/", true
		}
		return cleanPath(path.Clean("/"+u.Path) + trailingSlash(u.Path)), true
	}
	r := (&url.URL{Path: base}).ResolveReference(u)
	if r.Path == "" {
		return "/", true
	}
	return cleanPath(r.Path), true
}

// cleanPath percent-encodes the bytes of a path that are not UTF-8, as a
// browser addressed them: mirrors keep the raw bytes of addresses written
// in GBK, and an old address must be valid text.
func cleanPath(p string) string {
	if utf8.ValidString(p) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRuneInString(p[i:])
		if r == utf8.RuneError && size == 1 {
			fmt.Fprintf(&b, "%%%02X", p[i])
		} else {
			b.WriteString(p[i : i+size])
		}
		i += size
	}
	return b.String()
}

func trailingSlash(p string) string {
	if strings.HasSuffix(p, "/") && p != "/" {
		return "/"
	}
	return ""
}

// sectionDirs returns the section codes of a path: its directories after
// the first, which on the platform is always the channel (a language's
// half of the site, "eng", "chn", "fra"), without the yyyymm directories
// articles are filed in.
func sectionDirs(p string) []string {
	segs := strings.Split(strings.Trim(dirOf(p), "/"), "/")
	var out []string
	for _, s := range segs[1:] {
		if isDateDir(s) {
			continue
		}
		if s = slug(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// pathSections names the sections of a path by their codes alone: a page
// without a breadcrumb gives no better names.
func pathSections(p string) []migrate.SectionRef {
	var refs []migrate.SectionRef
	for _, s := range sectionDirs(p) {
		refs = append(refs, migrate.SectionRef{Slug: s, Name: s})
	}
	return refs
}

// isDateDir reports whether a directory is one of the yyyymm (or
// yyyymmdd) folders the platform files articles in.
func isDateDir(s string) bool {
	if len(s) != 6 && len(s) != 8 {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// slug lower-cases s and keeps only the characters a section code may
// have.
func slug(s string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(s) {
		if c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// sectionSlug returns the section code a breadcrumb link's resolved path
// names: its last directory ("/eng/zgyw/", "/eng/zgyw/index.htm" and
// "/eng/zgyw" all give "zgyw"), or "" for a link to an article.
func sectionSlug(p string) string {
	if isArticlePath(p) {
		return ""
	}
	switch strings.ToLower(path.Ext(p)) {
	case ".htm", ".html", ".shtml":
		p = path.Dir(p)
	}
	if !strings.Contains(strings.Trim(p, "/"), "/") {
		// The top of the tree holds the channels, which are no sections.
		return ""
	}
	return slug(path.Base(p))
}
