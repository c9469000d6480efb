// Package feed turns a site's (or one section's) newest articles into RSS 2.0,
// Atom (RFC 4287) and JSON Feed 1.1 documents.
//
// It is pure: no store, no HTTP. The caller fills a Feed with absolute URLs
// and permanent ids and writes the bytes with the matching content type.
// Every text is cleaned of characters XML 1.0 forbids before output, and the
// same Feed always yields the same bytes.
package feed

import (
	"net"
	"strings"
	"time"
	"unicode/utf8"
)

// Content types to send with each format.
const (
	// RSSType is the content type of RSS output.
	RSSType = "application/rss+xml; charset=utf-8"
	// AtomType is the content type of Atom output.
	AtomType = "application/atom+xml; charset=utf-8"
	// JSONType is the content type of JSON Feed output.
	JSONType = "application/feed+json; charset=utf-8"
)

// Feed is one feed: a site's (or one section's) newest articles in one language.
type Feed struct {
	Title       string // e.g. "News – Embassy of the Republic of Example"
	Description string // one sentence; optional (RSS falls back to Title)
	Language    string // BCP 47 tag, "en", "zh"; optional
	HomeURL     string // absolute URL of the page the feed follows (site home or section page)
	RSSURL      string // absolute URL of the RSS format
	AtomURL     string // absolute URL of the Atom format
	JSONURL     string // absolute URL of the JSON Feed format
	ID          string // permanent id of the feed (a tag: URI); "" falls back to AtomURL
	Publisher   string // site name; the Atom and JSON Feed author ("" falls back to Title)
	// Updated is the newest change; zero means the newest entry's Updated,
	// or the Unix epoch if there are no entries.
	Updated time.Time
	Entries []Entry // newest first, as the caller orders them; the order is kept
}

// Entry is one article in a feed.
type Entry struct {
	ID      string // permanent id (tag: URI); never changes when the article is edited; "" falls back to URL
	URL     string // absolute permanent address
	Title   string
	Summary string // plain text
	HTML    string // full body HTML (already sanitised); "" means the feed carries summaries only
	// Published is when the article first appeared; zero means Updated,
	// and the Unix epoch when both are zero.
	Published time.Time
	Updated   time.Time // >= Published; zero (or earlier than Published) means Published
	Category  string    // section name, optional
}

// TagURI returns a permanent id "tag:HOST,YYYY-MM-DD:SPECIFIC" (RFC 4151),
// e.g. TagURI("embassy.example.org", published, "article/123").
//
// The host is lower-cased and loses any port and trailing dot; the date is
// taken in UTC, so the id does not depend on the location attached to date.
// Characters of specific that RFC 4151 does not allow (anything but
// unreserved, sub-delims, ":", "@", "/" and "?") are percent-encoded as
// UTF-8 bytes, "%" included.
func TagURI(host string, date time.Time, specific string) string {
	host = strings.ToLower(strings.TrimSpace(host))
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(host, ".")
	var b strings.Builder
	b.Grow(len("tag:,2006-01-02:") + len(host) + len(specific))
	b.WriteString("tag:")
	b.WriteString(host)
	b.WriteByte(',')
	b.WriteString(date.UTC().Format("2006-01-02"))
	b.WriteByte(':')
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(specific); i++ {
		c := specific[i]
		if tagSpecificByte(c) {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// tagSpecificByte reports whether c may appear as itself in the specific
// part of a tag URI: pchar, "/" or "?", without pct-encoded.
func tagSpecificByte(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("-._~!$&'()*+,;=:@/?", c) >= 0
}

// clean returns s with invalid UTF-8 replaced by U+FFFD and every character
// XML 1.0 does not allow (controls other than tab, newline and carriage
// return; surrogates; U+FFFE and U+FFFF) removed.
func clean(s string) string {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || !xmlChar(r) {
			return cleanFrom(s, i)
		}
		i += size
	}
	return s // the common case: nothing to do, no allocation
}

// cleanFrom does the work of clean once the first bad character is at i.
func cleanFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune(utf8.RuneError)
		case xmlChar(r):
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// xmlChar reports whether r is a Char of XML 1.0 (production [2]).
func xmlChar(r rune) bool {
	switch {
	case r == 0x09 || r == 0x0A || r == 0x0D:
		return true
	case 0x20 <= r && r <= 0xD7FF:
		return true
	case 0xE000 <= r && r <= 0xFFFD:
		return true
	case 0x10000 <= r && r <= utf8.MaxRune:
		return true
	}
	return false
}

// epoch is the date used when a feed or an entry has none.
var epoch = time.Unix(0, 0).UTC()

// entryDates returns an entry's publication and update times, in UTC,
// with the defaults of Entry applied.
func entryDates(e Entry) (published, updated time.Time) {
	published, updated = e.Published, e.Updated
	if published.IsZero() {
		published = updated
	}
	if published.IsZero() {
		published = epoch
	}
	if updated.IsZero() || updated.Before(published) {
		updated = published
	}
	return published.UTC(), updated.UTC()
}

// feedUpdated returns the feed's update time in UTC with the default of
// Feed.Updated applied.
func feedUpdated(f Feed) time.Time {
	if !f.Updated.IsZero() {
		return f.Updated.UTC()
	}
	var newest time.Time
	for _, e := range f.Entries {
		if _, u := entryDates(e); u.After(newest) {
			newest = u
		}
	}
	if newest.IsZero() {
		return epoch
	}
	return newest
}

// feedID returns the feed's id, cleaned, with its fallback.
func feedID(f Feed) string {
	if f.ID != "" {
		return clean(f.ID)
	}
	return clean(f.AtomURL)
}

// entryID returns the entry's id, cleaned, with its fallback.
func entryID(e Entry) string {
	if e.ID != "" {
		return clean(e.ID)
	}
	return clean(e.URL)
}

// publisher returns the name used where a format wants an author.
func publisher(f Feed) string {
	if f.Publisher != "" {
		return clean(f.Publisher)
	}
	return clean(f.Title)
}

// rfc3339 formats t for Atom and JSON Feed: RFC 3339, UTC, whole seconds.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// rfc1123z formats t for RSS: RFC 1123 with a numeric zone, UTC.
func rfc1123z(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }
