// Package mdtree reads Markdown files with front matter, as Hugo and
// Jekyll sites keep them, into migrate entries: one Item per file.
//
// A file's place in the tree matters: Hugo derives a page's section and
// address from its path under content/, Jekyll a post's date and address
// from its name under _posts/. File.Name is therefore expected to be the
// path inside the site's source ("content/news/2024/visit.md",
// "_posts/2024-05-01-visit.md").
package mdtree

import (
	"bytes"
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/migrate"
)

// TranslationPrefix starts the Translations entry made from Hugo's
// translationKey: the importer links the items whose Translations hold the
// same "md-translation:" value as versions of one article, since no item
// knows the other versions' files.
const TranslationPrefix = "md-translation:"

// Detect reports whether a file is Markdown with front matter: by its name
// alone when head is nil, and then by its first bytes.
func Detect(name string, head []byte) bool {
	n := strings.ToLower(name)
	if !strings.HasSuffix(n, ".md") && !strings.HasSuffix(n, ".markdown") {
		return false
	}
	if head == nil {
		return true // only the name is known yet
	}
	// A Markdown file without front matter (a README beside the pages)
	// is not an article of the tree.
	h := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	return bytes.HasPrefix(h, []byte("---")) || bytes.HasPrefix(h, []byte("+++")) || bytes.HasPrefix(h, []byte("{"))
}

// Parse reads one Markdown file into a single entry: an Item, a Skip for a
// Hugo section page (_index.md), or an Err when the front matter is
// missing or malformed. Parse never panics.
func Parse(f migrate.File) []migrate.Entry {
	e := migrate.Entry{File: f.Name}
	if strings.HasPrefix(path.Base(f.Name), "_index.") {
		e.Skip = "section page"
		return []migrate.Entry{e}
	}
	it, err := parse(f)
	if err != nil {
		e.Err = err
	} else {
		e.Item = it
	}
	return []migrate.Entry{e}
}

// file is what the name of a file says about it.
type file struct {
	dir      string // the directory, relative to content/ for Hugo
	base     string // the name without extension and language suffix
	language string // the language suffix, "zh" in "visit.zh.md"
	jekyll   bool   // a post in _posts or _drafts
	draft    bool   // in Jekyll's _drafts
	// date and title are a Jekyll post's, from "2024-05-01-visit.md".
	date  time.Time
	title string
}

// jekyllName matches a Jekyll post's file name.
var jekyllName = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})-(.+)$`)

// langSuffix matches a language code in a Hugo file name ("zh", "en",
// "zh-cn"). Two letters only: a three-letter word ("notes.old.md") is more
// often part of the name than a language.
var langSuffix = regexp.MustCompile(`^[a-zA-Z]{2}(-[a-zA-Z0-9]{2,8})?$`)

// splitName reads a file's name as Hugo or Jekyll would.
func splitName(name string) file {
	var f file
	dir, base := path.Split(name)
	base = strings.TrimSuffix(base, path.Ext(base))
	if i := strings.LastIndexByte(base, '.'); i > 0 && langSuffix.MatchString(base[i+1:]) {
		f.language = language(base[i+1:])
		base = base[:i]
	}
	f.base = base
	dir = strings.Trim(dir, "/")
	parts := strings.Split(dir, "/")
	for i, p := range parts {
		switch p {
		case "content":
			// Hugo's content directory is the root of the site's addresses.
			dir = strings.Join(parts[i+1:], "/")
		case "_posts", "_drafts":
			f.jekyll, f.draft = true, p == "_drafts"
			// Directories above _posts are the post's categories in Jekyll.
			dir = strings.Join(parts[:i], "/")
		default:
			continue
		}
		break
	}
	f.dir = dir
	if m := jekyllName.FindStringSubmatch(base); f.jekyll && m != nil {
		if t, err := time.Parse("2006-01-02", m[1]+"-"+m[2]+"-"+m[3]); err == nil {
			f.date, f.title = t, m[4]
		}
	}
	return f
}

// parse makes the item of one file.
func parse(f migrate.File) (*migrate.Item, error) {
	fm, body, err := frontMatter(f.Data)
	if err != nil {
		return nil, err
	}
	name := splitName(f.Name)
	it := &migrate.Item{
		Key:      "md:" + f.Name,
		Title:    str(fm["title"]),
		Slug:     str(fm["slug"]),
		Summary:  first(str(fm["summary"]), str(fm["description"])),
		Body:     strings.TrimLeft(valid(string(body)), "\r\n"),
		Language: first(language(str(fm["lang"])), language(str(fm["language"])), name.language),
		Draft:    name.draft || truth(fm["draft"]) || falsehood(fm["published"]),
	}
	if k := content.Kind(strings.ToLower(first(str(fm["kind"]), str(fm["type"])))); k.Valid() && k != content.KindNews {
		// "" is news in an Item, so that every reader says news the same way.
		it.Kind = k
	}
	if key := str(fm["translationkey"]); key != "" {
		it.Translations = []string{TranslationPrefix + key}
	}

	wall := name.date
	if v, ok := fm["date"]; ok {
		t, floating, err := date(v)
		if err != nil {
			return nil, err
		}
		wall, it.Floating = t, floating
	} else if !name.date.IsZero() {
		it.Floating = true
	}
	if it.Floating {
		it.Published = time.Date(wall.Year(), wall.Month(), wall.Day(), wall.Hour(), wall.Minute(), wall.Second(), wall.Nanosecond(), time.UTC)
	} else if !wall.IsZero() {
		it.Published = wall.UTC()
	}

	categories := list(fm["categories"])
	if len(categories) == 0 {
		categories = list(fm["category"])
	}
	section := str(fm["section"])
	switch {
	case section != "":
	case len(categories) > 0:
		section = categories[0]
	case name.base == "index" && !name.jekyll:
		// A Hugo page bundle's directory is the page: its section is above it.
		if dir, _ := path.Split(name.dir); dir != "" {
			section, _, _ = strings.Cut(dir, "/")
		}
	default:
		// Hugo's section is the first directory under content/; Jekyll's
		// categories are the directories above _posts.
		section, _, _ = strings.Cut(name.dir, "/")
	}
	if section != "" {
		it.Sections = []migrate.SectionRef{{Slug: sectionSlug(section), Name: valid(section)}}
	}

	it.OldPaths = oldPaths(fm, name, it.Slug, wall, categories)
	return it, nil
}

// oldPaths lists the addresses the page answered on: its url or permalink
// if the front matter sets one, else the generator's default, then its
// aliases.
func oldPaths(fm map[string]any, name file, slug string, wall time.Time, categories []string) []string {
	var paths []string
	if p := urlPath(first(str(fm["url"]), str(fm["permalink"]))); p != "" && !strings.Contains(p, "/:") {
		// A permalink with ":title"-style placeholders is a pattern, not
		// an address.
		paths = append(paths, p)
	} else if name.jekyll {
		if p := jekyllPath(name, slug, wall, categories); p != "" {
			paths = append(paths, p)
		}
	} else if p := hugoPath(name, slug); p != "" {
		paths = append(paths, p)
	}
	for _, a := range list(fm["aliases"]) {
		p := urlPath(a)
		if p == "" {
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(a), "/") && len(paths) > 0 {
			// Hugo resolves a relative alias against the page's directory.
			p = path.Join(path.Dir(strings.TrimSuffix(paths[0], "/")), p[1:])
			if strings.HasSuffix(a, "/") {
				p += "/"
			}
		}
		paths = append(paths, p)
	}
	return paths
}

// hugoPath is Hugo's default address: the file's directory under content/
// and its slug or base name; a page bundle (visit/index.md) is named by
// its directory. A file with a language suffix (visit.zh.md) is taken to
// be in a language other than the site's default, which Hugo serves under
// /zh/; the default language's files have no suffix in a Hugo tree. The
// home page's content (content/index.md) gives "": "/" stays Chancery's.
func hugoPath(name file, slug string) string {
	dir, base := name.dir, name.base
	if base == "index" {
		dir, base = path.Split(dir)
	}
	if slug != "" {
		base = slug
	}
	p := path.Clean("/" + escapePath(path.Join(name.language, dir, base)))
	if p == "/" {
		return ""
	}
	return p + "/"
}

// escapePath percent-encodes each segment of a path built from file names,
// as the old site's addresses had them.
func escapePath(p string) string {
	segs := strings.Split(p, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return strings.Join(segs, "/")
}

// jekyllPath is Jekyll's default "date" permalink,
// /:categories/:year/:month/:day/:title.html.
func jekyllPath(name file, slug string, wall time.Time, categories []string) string {
	title := first(slug, name.title)
	if title == "" || wall.IsZero() {
		return ""
	}
	var segs []string
	if len(categories) == 0 && name.dir != "" {
		categories = strings.Split(name.dir, "/")
	}
	for _, c := range categories {
		segs = append(segs, url.PathEscape(strings.ToLower(c)))
	}
	segs = append(segs, wall.Format("2006/01/02"), url.PathEscape(title)+".html")
	return path.Clean("/" + strings.Join(segs, "/"))
}

// urlPath keeps the path of a url or permalink, absolute and without host
// or query; "" if there is none.
func urlPath(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	u, err := url.Parse(s)
	if err != nil || u.Path == "" {
		return ""
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}

// dateLayouts are the date forms Hugo and Jekyll front matter use, with a
// zone or without.
var dateLayouts = []struct {
	layout string
	zoned  bool
}{
	{time.RFC3339Nano, true},
	{"2006-01-02 15:04:05 -0700", true},
	{"2006-01-02 15:04:05 -07:00", true},
	{"2006-01-02 15:04:05Z07:00", true},
	{"2006-01-02T15:04:05", false},
	{"2006-01-02 15:04:05", false},
	{"2006-01-02T15:04", false},
	{"2006-01-02 15:04", false},
	{"2006-01-02", false},
}

// date reads a front matter date: a TOML datetime or a string. A time
// without a zone is floating, returned as its wall clock.
func date(v any) (t time.Time, floating bool, err error) {
	switch v := v.(type) {
	case time.Time:
		switch v.Location().String() {
		case "datetime-local", "date-local":
			// BurntSushi/toml marks TOML's local date-times with these zones.
			return v, true, nil
		}
		return v, false, nil
	case string:
		s := strings.TrimSpace(v)
		if s == "" {
			return time.Time{}, false, nil
		}
		for _, l := range dateLayouts {
			if t, err := time.Parse(l.layout, s); err == nil {
				return t, !l.zoned, nil
			}
		}
		return time.Time{}, false, fmt.Errorf("date %q is not a date: use 2006-01-02 or 2006-01-02T15:04:05Z07:00", s)
	case nil:
		return time.Time{}, false, nil
	}
	return time.Time{}, false, fmt.Errorf("date %v is not a date: use 2006-01-02 or 2006-01-02T15:04:05Z07:00", v)
}

// str is a front matter value as text; a list gives "" and a number its
// digits (a title of "2024" is read by YAML as a number).
func str(v any) string {
	switch v := v.(type) {
	case string:
		return valid(strings.TrimSpace(v))
	case int, int64, uint64, float64, bool:
		return fmt.Sprint(v)
	}
	return ""
}

// list reads a list of strings, or one string (Jekyll allows
// "categories: news events", space-separated, for its categories).
func list(v any) []string {
	switch v := v.(type) {
	case string:
		return strings.Fields(valid(v))
	case []any:
		var out []string
		for _, x := range v {
			if s := str(x); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// truth reports whether a front matter value says yes.
func truth(v any) bool {
	switch v := v.(type) {
	case bool:
		return v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "true")
	}
	return false
}

// falsehood reports whether a front matter value explicitly says no.
func falsehood(v any) bool {
	switch v := v.(type) {
	case bool:
		return !v
	case string:
		return strings.EqualFold(strings.TrimSpace(v), "false")
	}
	return false
}

// first returns the first non-empty string.
func first(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// valid replaces bytes that are not UTF-8, so that no reader downstream
// has to.
func valid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// language reduces a language tag ("en-US", "zh-Hans") to its primary
// subtag, the form Chancery's sites use.
func language(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// sectionSlug makes a section's address segment from its name: lower-case
// letters, digits, "_" and "-", with spaces as "-".
func sectionSlug(name string) string {
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c == ' ':
			b.WriteByte('-')
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '_', c == '-':
			b.WriteRune(c)
		}
	}
	return b.String()
}
