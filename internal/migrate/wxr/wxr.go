// Package wxr reads WordPress export files (WXR 1.1 and 1.2: RSS 2.0 with
// the wp, content, excerpt and dc namespaces) into migrate entries: one
// Item per post or page, with the file's attachments hung on their posts.
package wxr

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html/charset"

	"chancery/internal/content"
	"chancery/internal/markup"
	"chancery/internal/migrate"
)

// Detect reports whether a file is a WordPress export, from its name and
// its first bytes: an .xml file whose head holds an <rss> element and the
// WordPress export namespace. A nil head asks about the name alone.
func Detect(name string, head []byte) bool {
	if !strings.HasSuffix(strings.ToLower(name), ".xml") {
		return false
	}
	if head == nil {
		return true // only the name is known yet
	}
	return bytes.Contains(head, []byte("<rss")) && bytes.Contains(head, []byte("wordpress.org/export"))
}

// Parse reads one export file into entries, in the order of the file's
// items: an Item for each post and page it imports, a Skip for the others
// (menus, revisions, trashed or private posts, attachments of no imported
// post) and, when the XML breaks off or is malformed, the items read
// before the fault followed by one Err naming its line. Parse never panics.
func Parse(f migrate.File) []migrate.Entry {
	r := reader{file: f.Name, cats: map[string]category{}}
	err := r.read(f.Data)
	return r.entries(err)
}

// category is a channel's <wp:category> definition.
type category struct {
	parent string // the parent's nicename, "" at the top
	name   string
}

// record is one <item> as the file has it, before it becomes an entry.
type record struct {
	title, link, pubDate           string
	body, excerpt                  string
	id, postType, status, postName string
	dateGMT, date                  string
	parent, attachmentURL, guid    string
	// catSlug and catName are the first category other than
	// "uncategorized", as the item names it.
	catSlug, catName string
}

// reader collects the records and categories of one file; items may
// refer to attachments and categories defined before or after them, so
// nothing is resolved until the whole file is read.
type reader struct {
	file     string
	language string
	cats     map[string]category
	records  []record
	channel  bool
}

// exportNS reports whether a namespace is one of WordPress's export
// namespaces (wp or excerpt), whatever the WXR version.
func exportNS(space string) bool {
	return strings.HasPrefix(space, "http://wordpress.org/export/") ||
		strings.HasPrefix(space, "https://wordpress.org/export/")
}

// read decodes the file, stopping at the first XML error, which it returns
// with its line so that the records read before it are kept.
func (r *reader) read(data []byte) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.CharsetReader = charset.NewReaderLabel
	root := true
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if root {
				return errors.New("not a WordPress export: the file has no XML element")
			}
			return nil
		}
		if err != nil {
			return xmlError(err, d)
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if root {
			if start.Name.Local != "rss" {
				return fmt.Errorf("not a WordPress export: the root element is <%s>, not <rss>", start.Name.Local)
			}
			root = false
			continue
		}
		switch {
		case start.Name.Local == "channel":
			r.channel = true
		case start.Name.Local == "language" && start.Name.Space == "":
			s, err := text(d)
			if err != nil {
				return xmlError(err, d)
			}
			r.language = language(s)
		case start.Name.Local == "category" && exportNS(start.Name.Space):
			if err := r.readCategory(d); err != nil {
				return xmlError(err, d)
			}
		case start.Name.Local == "item":
			rec, err := readItem(d)
			if err != nil {
				return xmlError(err, d)
			}
			r.records = append(r.records, rec)
		default:
			// The elements of interest are direct children of <channel>,
			// so anything else (the site's <title>, <wp:author>, <image>,
			// <wp:term>…) is passed over whole.
			if err := d.Skip(); err != nil {
				return xmlError(err, d)
			}
		}
	}
}

// xmlError turns a decoder error into one that says where the file broke.
func xmlError(err error, d *xml.Decoder) error {
	var syn *xml.SyntaxError
	if errors.As(err, &syn) {
		if strings.Contains(syn.Msg, "unexpected EOF") {
			return fmt.Errorf("truncated XML at line %d", syn.Line)
		}
		return fmt.Errorf("invalid XML at line %d: %s", syn.Line, syn.Msg)
	}
	line, _ := d.InputPos()
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("truncated XML at line %d", line)
	}
	return fmt.Errorf("invalid XML at line %d: %w", line, err)
}

// text reads the character data of the element just opened, up to its end
// tag. Markup nested inside (which WXR never has) adds its text, read
// without recursion so that hostile nesting costs no stack.
func text(d *xml.Decoder) (string, error) {
	var b strings.Builder
	for depth := 1; depth > 0; {
		tok, err := d.Token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return b.String(), nil
}

// readCategory reads a <wp:category> definition.
func (r *reader) readCategory(d *xml.Decoder) error {
	var c category
	var slug string
	for {
		tok, err := d.Token()
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			if slug != "" {
				r.cats[slug] = c
			}
			return nil
		case xml.StartElement:
			s, err := text(d)
			if err != nil {
				return err
			}
			switch t.Name.Local {
			case "category_nicename":
				slug = strings.TrimSpace(s)
			case "category_parent":
				c.parent = strings.TrimSpace(s)
			case "cat_name":
				// WordPress stores term names HTML-escaped ("Visas &amp; Residence").
				c.name = html.UnescapeString(strings.TrimSpace(s))
			}
		}
	}
}

// readItem reads an <item>, keeping the fields an entry is made of.
func readItem(d *xml.Decoder) (record, error) {
	var rec record
	for {
		tok, err := d.Token()
		if err != nil {
			return rec, err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return rec, nil
		case xml.StartElement:
			if t.Name.Local == "postmeta" || t.Name.Local == "comment" {
				if err := d.Skip(); err != nil {
					return rec, err
				}
				continue
			}
			s, err := text(d)
			if err != nil {
				return rec, err
			}
			rec.set(t, s)
		}
	}
}

// set stores the text of one child element of an <item>.
func (rec *record) set(el xml.StartElement, s string) {
	ns, local := el.Name.Space, el.Name.Local
	switch {
	case ns == "" && local == "title":
		rec.title = strings.TrimSpace(s)
	case ns == "" && local == "link":
		rec.link = strings.TrimSpace(s)
	case ns == "" && local == "pubDate":
		rec.pubDate = strings.TrimSpace(s)
	case ns == "" && local == "guid":
		rec.guid = strings.TrimSpace(s)
	case ns == "" && local == "category":
		rec.setCategory(el, s)
	case local == "encoded" && strings.HasSuffix(ns, "/excerpt/"):
		rec.excerpt = s
	case local == "encoded":
		rec.body = s
	case exportNS(ns):
		s = strings.TrimSpace(s)
		switch local {
		case "post_id":
			rec.id = s
		case "post_type":
			rec.postType = s
		case "status":
			rec.status = s
		case "post_name":
			rec.postName = s
		case "post_date_gmt":
			rec.dateGMT = s
		case "post_date":
			rec.date = s
		case "post_parent":
			rec.parent = s
		case "attachment_url":
			rec.attachmentURL = s
		}
	}
}

// setCategory keeps the item's first real category: WordPress files a
// post under "uncategorized" only when it has no other.
func (rec *record) setCategory(el xml.StartElement, s string) {
	if rec.catSlug != "" {
		return
	}
	var domain, nicename string
	for _, a := range el.Attr {
		switch a.Name.Local {
		case "domain":
			domain = a.Value
		case "nicename":
			nicename = a.Value
		}
	}
	if domain != "category" || nicename == "" || nicename == "uncategorized" {
		return
	}
	rec.catSlug, rec.catName = nicename, html.UnescapeString(strings.TrimSpace(s))
}

// entries turns the records into entries, hanging attachments on their
// posts, and appends readErr (the XML fault, if any) as a last Err.
func (r *reader) entries(readErr error) []migrate.Entry {
	if readErr == nil && !r.channel {
		readErr = errors.New("not a WordPress export: no <channel>")
	}
	out := make([]migrate.Entry, 0, len(r.records)+1)
	byID := make(map[string]*migrate.Item, len(r.records))
	var attachments []record
	for _, rec := range r.records {
		if rec.postType == "attachment" {
			attachments = append(attachments, rec)
			continue
		}
		e := r.entry(rec)
		if e.Item != nil {
			byID[rec.id] = e.Item
		}
		out = append(out, e)
	}
	for _, a := range attachments {
		ref := a.attachmentURL
		if ref == "" {
			ref = a.guid
		}
		it := byID[a.parent]
		if it == nil || ref == "" {
			out = append(out, migrate.Entry{File: r.file, Skip: fmt.Sprintf("attachment %s is not attached to an imported post", a.id)})
			continue
		}
		it.Attachments = append(it.Attachments, migrate.Attachment{Ref: ref, Title: a.title})
	}
	if readErr != nil {
		out = append(out, migrate.Entry{File: r.file, Err: readErr})
	}
	return out
}

// entry makes the entry of one post or page record.
func (r *reader) entry(rec record) migrate.Entry {
	e := migrate.Entry{File: r.file}
	it := &migrate.Item{HTML: true, Language: r.language}
	switch rec.postType {
	case "post":
	case "page":
		it.Kind = content.KindPage
	case "":
		e.Skip = fmt.Sprintf("item %q has no post type", rec.title)
		return e
	default:
		e.Skip = fmt.Sprintf("post type %q", rec.postType)
		return e
	}
	switch rec.status {
	case "publish":
	case "draft", "pending", "future":
		it.Draft = true
	default:
		e.Skip = fmt.Sprintf("%s %s has status %q", rec.postType, rec.id, rec.status)
		return e
	}
	if rec.id == "" {
		e.Err = fmt.Errorf("%s %q has no wp:post_id", rec.postType, rec.title)
		return e
	}
	it.Key = "wxr:" + rec.id
	if p := oldPath(rec.link); p != "" {
		it.OldPaths = []string{p}
	}
	it.Title = rec.title
	it.Body = autop(rec.body)
	it.Summary = strings.Join(strings.Fields(markup.Text(rec.excerpt)), " ")
	it.Published, it.Floating = published(rec)
	it.Slug = slug(rec.postName)
	it.Sections = r.sections(rec.catSlug, rec.catName)
	e.Item = it
	return e
}

// oldPath is the path of a post's permalink, or "" when the link is
// WordPress's plain form (?p=12, ?page_id=7), whose path is only the blog's.
func oldPath(link string) string {
	u, err := url.Parse(link)
	if err != nil {
		return ""
	}
	q := u.Query()
	if q.Has("p") || q.Has("page_id") || q.Has("attachment_id") {
		return ""
	}
	p := u.EscapedPath()
	if !strings.HasPrefix(p, "/") || p == "/" {
		return ""
	}
	return p
}

// wpTime is the layout of wp:post_date and wp:post_date_gmt.
const wpTime = "2006-01-02 15:04:05"

// published returns the post's time: the GMT date when WordPress set one
// (drafts have zeros there), else the local date, which carries no zone
// and so is floating, else the RSS pubDate.
func published(rec record) (time.Time, bool) {
	if t, err := time.Parse(wpTime, rec.dateGMT); err == nil && !strings.HasPrefix(rec.dateGMT, "0000") {
		return t, false
	}
	if t, err := time.Parse(wpTime, rec.date); err == nil && !strings.HasPrefix(rec.date, "0000") {
		return t, true
	}
	if t, err := time.Parse(time.RFC1123Z, rec.pubDate); err == nil && t.Year() > 0 {
		return t.UTC(), false
	}
	return time.Time{}, false
}

// slug keeps a post name as Chancery can use it: lower-case ASCII letters,
// digits and hyphens. WordPress stores non-ASCII names percent-encoded;
// such a name gives "" so that Chancery chooses one.
func slug(name string) string {
	if dec, err := url.PathUnescape(name); err == nil {
		name = dec
	}
	var b strings.Builder
	for _, c := range strings.ToLower(name) {
		switch {
		case c >= 0x80:
			return ""
		case c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '-':
			b.WriteRune(c)
		}
	}
	return b.String()
}

// sections resolves a category and its parents into a section path from
// the top.
func (r *reader) sections(nicename, name string) []migrate.SectionRef {
	if nicename == "" {
		return nil
	}
	var path []migrate.SectionRef
	// seen stops at a parent chain that a broken file makes circular.
	seen := map[string]bool{}
	for n := nicename; n != "" && !seen[n]; {
		seen[n] = true
		c, ok := r.cats[n]
		if !ok {
			c = category{}
			if n == nicename {
				c.name = name
			}
		}
		if c.name == "" {
			c.name = n
		}
		path = append(path, migrate.SectionRef{Slug: slug(n), Name: c.name})
		n = c.parent
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// language reduces a channel's language ("en-US", "zh-CN", "zh-Hans") to
// its primary subtag, the form Chancery's sites use.
func language(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}
