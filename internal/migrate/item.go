// Package migrate brings an existing site into Chancery: it reads a source
// (a saved copy of an old mission site, the text of a page as a reader
// copied it, a WordPress export, a tree of Markdown files), turns each
// article it finds into an Item, and stores the items in one site, keeping
// every old address answering.
//
// The readers of each format live in subpackages and only parse: they turn
// one file into Entries and do no I/O. Run walks the source, hands each
// file to the format that claims it, and writes what they found.
package migrate

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
)

// File is one file of a source, already read.
type File struct {
	// Name is the file's slash-separated path inside the source,
	// "eng/zgyw/202207/t20220730_10730785.htm"; for a source that is one
	// file, its base name.
	Name string
	Data []byte
}

// Entry is what a reader made of one file, or of one record in it: an
// article (Item), a section's listing page (Listing), or a reason why there
// is nothing to import (Skip: not a problem, such as an asset or an index
// page of the old site's search) or why it could not be read (Err: a
// problem, reported as failed). Exactly one of the four is set.
type Entry struct {
	// File is the source file the entry comes from (File.Name).
	File    string
	Item    *Item
	Listing *Listing
	Skip    string
	Err     error
}

// Item is one language version of one article as the source had it.
type Item struct {
	// Key identifies the item in its source across runs, so that importing
	// the same source again updates instead of duplicating: the old
	// address for pages of a saved site, "wxr:" and the post's ID for
	// WordPress, "md:" and the file's path for Markdown.
	Key string
	// OldPaths are the addresses the article answered on before, as
	// absolute paths without host or query ("/eng/zgyw/202207/t20220730_10730785.htm");
	// the first is the canonical one. Empty when the source does not know.
	OldPaths []string
	// Language is the version's BCP 47 tag ("en", "zh"), or "" for the
	// site's default language.
	Language string
	// Kind is the kind of article; "" means news.
	Kind  content.Kind
	Title string
	// Summary is plain text, optional.
	Summary string
	// Body is the article's text: HTML when HTML is set (sanitised on
	// import), Markdown otherwise. Links and images are kept as the source
	// wrote them; the importer resolves relative ones against the first
	// old address (or the file's name) and stores what the source holds.
	Body string
	HTML bool
	// Published is the publication time; zero when the source gives none
	// (the item is then skipped unless Draft is set).
	Published time.Time
	// Floating means Published is a wall-clock time the source gave
	// without a zone (stored in UTC by the reader); the importer reads it
	// in the site's time zone instead.
	Floating bool
	// Draft keeps the article unpublished.
	Draft bool
	// Sections is the item's section path from the top, without the home
	// page: [{Slug: "zgyw", Name: "China News"}]. Empty puts it in the
	// site's first section.
	Sections []SectionRef
	// Slug is the old address segment to keep where the source has a
	// readable one (WordPress, Markdown); "" lets Chancery choose.
	Slug string
	// Attachments are documents the article links to, with the link as
	// written in the source (relative or absolute) and its text.
	Attachments []Attachment
	// Translations are the old addresses (absolute paths) or Keys of the
	// same article's versions in other languages, as the source links
	// them.
	Translations []string
}

// SectionRef names a section as the source does: its address segment and
// its name in the item's language.
type SectionRef struct {
	Slug string
	Name string
}

// Attachment is a document linked from an article.
type Attachment struct {
	// Ref is the link as written: "./P020220730.pdf", "/eng/doc/x.pdf",
	// "https://old.example/wp-content/uploads/x.pdf".
	Ref   string
	Title string
}

// Listing is a section's listing page on the old site: its address
// answers with a redirect to the section.
type Listing struct {
	// OldPath is the listing's address ("/eng/zgyw/" or "/eng/zgyw/index.htm").
	OldPath  string
	Language string
	Sections []SectionRef
}

// Check reports what makes an entry unusable, as every reader must avoid:
// not exactly one of Item, Listing, Skip and Err set, text that is not
// UTF-8, an old address that is not an absolute path.
func (e Entry) Check() error {
	set := 0
	for _, ok := range []bool{e.Item != nil, e.Listing != nil, e.Skip != "", e.Err != nil} {
		if ok {
			set++
		}
	}
	if set != 1 {
		return fmt.Errorf("the reader gave %d of an article, a listing, a skip and an error for one entry", set)
	}
	var texts, paths []string
	switch {
	case e.Listing != nil:
		paths = append(paths, e.Listing.OldPath)
		texts = append(texts, e.Listing.Language)
		for _, s := range e.Listing.Sections {
			texts = append(texts, s.Slug, s.Name)
		}
	case e.Item != nil:
		it := e.Item
		paths = it.OldPaths
		texts = append(texts, it.Key, it.Language, string(it.Kind), it.Title, it.Summary, it.Body, it.Slug)
		texts = append(texts, it.Translations...)
		for _, s := range it.Sections {
			texts = append(texts, s.Slug, s.Name)
		}
		for _, a := range it.Attachments {
			texts = append(texts, a.Ref, a.Title)
		}
	}
	for _, p := range paths {
		if !strings.HasPrefix(p, "/") {
			return fmt.Errorf("the reader gave the old address %q, which is not an absolute path", p)
		}
		texts = append(texts, p)
	}
	for _, t := range texts {
		if !utf8.ValidString(t) {
			return errors.New("the reader gave text that is not UTF-8")
		}
	}
	return nil
}
