package site

import (
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/feed"
	"chancery/internal/markup"
	"chancery/internal/store"
	"chancery/internal/web"
)

// FeedSize is how many of the newest articles a feed carries.
const FeedSize = 20

// feedFormat is one of the three feed formats, by the file name it answers
// on at the end of a site's or a section's address.
type feedFormat struct {
	file, contentType, label string
	build                    func(feed.Feed) []byte
}

var feedFormats = []feedFormat{
	{"feed.xml", feed.RSSType, "RSS", feed.RSS},
	{"atom.xml", feed.AtomType, "Atom", feed.Atom},
	{"feed.json", feed.JSONType, "JSON Feed", feed.JSON},
}

// feedFile returns the format a path's last segment names, if any.
func feedFile(name string) (feedFormat, bool) {
	for _, f := range feedFormats {
		if f.file == name {
			return f, true
		}
	}
	return feedFormat{}, false
}

// feedLinks are the autodiscovery links of the feeds at base (a site's or a
// section's address), titled with name.
func feedLinks(base, name string) []feedLink {
	links := make([]feedLink, len(feedFormats))
	for i, f := range feedFormats {
		links[i] = feedLink{Title: name + " (" + f.label + ")", Type: strings.Split(f.contentType, ";")[0], URL: base + f.file}
	}
	return links
}

// feedEpoch dates the feeds' and entries' tag: ids; it must never change,
// or every reader would see every entry as new. (Ids name the site's first
// host: reordering a site's hosts changes them.)
var feedEpoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// serveFeed writes the feed of a site's language, or of one section (sec
// zero for the whole site), in format f.
func (h *Handler) serveFeed(w http.ResponseWriter, r *http.Request, sr siteRequest, sec content.Section, f feedFormat) error {
	base := "/" + sr.lang + "/"
	title := sr.site.Name(sr.lang)
	id := "site/" + sr.site.Key + "/" + sr.lang
	q := store.Published(sr.site.ID, sr.lang, h.now())
	if sec.ID != 0 {
		base = content.SectionPath(sr.lang, sr.tree.Slugs(sec.ID, sr.lang))
		title = sec.Name(sr.lang) + " – " + title
		id = "section/" + strconv.FormatInt(sec.ID, 10) + "/" + sr.lang
		q.SectionIDs = sr.tree.Subtree(sec.ID)
	}
	q.Limit = FeedSize
	// Bodies for the full text, or for a summary an article lacks.
	q.WithBody = true
	list, err := h.store.Articles(r.Context(), q)
	if err != nil {
		return err
	}
	host := sr.site.Hosts[0]
	fd := feed.Feed{
		Title: title, Language: sr.lang, Publisher: sr.site.Name(sr.lang),
		HomeURL: sr.origin + base,
		RSSURL:  sr.origin + base + "feed.xml", AtomURL: sr.origin + base + "atom.xml", JSONURL: sr.origin + base + "feed.json",
		ID: feed.TagURI(host, feedEpoch, id),
	}
	for _, a := range list {
		e := feed.Entry{
			// The epoch, not the publication date: moving an article's date
			// must not make it a new entry.
			ID:  feed.TagURI(host, feedEpoch, "article/"+strconv.FormatInt(a.ID, 10)),
			URL: sr.origin + a.Path, Title: a.Title, Summary: summaryOf(a),
			Published: a.PublishedAt, Updated: a.UpdatedAt,
		}
		if s, ok := sr.tree.Section(a.SectionID); ok {
			e.Category = s.Name(sr.lang)
		}
		if !sr.site.FeedSummary {
			e.HTML = absoluteLinks(a.BodyHTML, sr.origin)
		}
		fd.Entries = append(fd.Entries, e)
	}
	web.Write(w, r, web.Page{ContentType: f.contentType, Body: f.build(fd), CacheControl: "public, max-age=300"})
	return nil
}

// absoluteLinks makes the site-relative addresses of an article's HTML
// (href="/…" and src="/…": the back office inserts images and links so)
// absolute on origin: a feed has no address of its own to resolve them
// against, so readers would show broken images and links. The HTML is
// the sanitiser's, which writes every attribute in double quotes.
func absoluteLinks(body, origin string) string {
	var b strings.Builder
	for {
		i := nextRelative(body)
		if i < 0 {
			if b.Len() == 0 {
				return body
			}
			b.WriteString(body)
			return b.String()
		}
		b.WriteString(body[:i])
		b.WriteString(origin)
		body = body[i:]
	}
}

// nextRelative is the index in body of the first "/" that begins a
// site-relative href or src value, or -1.
func nextRelative(body string) int {
	best := -1
	for _, attr := range []string{` href="/`, ` src="/`} {
		from := 0
		for {
			i := strings.Index(body[from:], attr)
			if i < 0 {
				break
			}
			at := from + i + len(attr) - 1
			if at+1 < len(body) && body[at+1] == '/' {
				from = at + 1 // "//host/…": another site, left as it is
				continue
			}
			if best < 0 || at < best {
				best = at
			}
			break
		}
	}
	return best
}

// SummaryLength is how many characters of an article's text stand in for
// a summary it lacks.
const SummaryLength = 200

// summaryOf is an article's summary, or the beginning of its text cut at
// a word (or, in scripts without spaces, at a character) when it has none.
func summaryOf(a content.Article) string {
	if a.Summary != "" {
		return a.Summary
	}
	words := strings.Fields(markup.Text(a.BodyHTML))
	text := strings.Join(words, " ")
	if utf8.RuneCountInString(text) <= SummaryLength {
		return text
	}
	cut := []rune(text)[:SummaryLength]
	if i := strings.LastIndexByte(string(cut), ' '); i > SummaryLength/2 {
		return string(cut)[:i] + " …"
	}
	return string(cut) + "…"
}
