package content

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Kind is what an article is: it decides nothing about storage, only how
// the article is labelled and, in later features, what facts it carries.
type Kind string

// The kinds of article.
const (
	KindNews         Kind = "news"
	KindStatement    Kind = "statement" // statement or speech
	KindReadout      Kind = "readout"   // account of a call, meeting or talks
	KindPressRelease Kind = "press-release"
	KindDocument     Kind = "document"
	KindPage         Kind = "page" // standing page: about, contact, ambassador
)

// Kinds lists every kind, in the order forms offer them.
var Kinds = []Kind{KindNews, KindStatement, KindReadout, KindPressRelease, KindDocument, KindPage}

// Valid reports whether k is one of Kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Status is where an article stands in its life. Only published articles
// are shown to readers; nothing is ever deleted, a withdrawn article keeps
// its address.
type Status string

// The statuses of an article.
const (
	StatusDraft     Status = "draft"
	StatusScheduled Status = "scheduled"
	StatusPublished Status = "published"
	StatusWithdrawn Status = "withdrawn"
)

// Valid reports whether s is a known status.
func (s Status) Valid() bool {
	switch s {
	case StatusDraft, StatusScheduled, StatusPublished, StatusWithdrawn:
		return true
	}
	return false
}

// Article is one language version of a piece of content. Versions of the
// same piece in other languages share its TranslationGroup.
type Article struct {
	ID        int64
	SiteID    int64
	SectionID int64
	// Language is one of the site's language tags.
	Language string
	Kind     Kind
	Status   Status
	Title    string
	// Summary is a plain-text sentence or two shown in listings. Optional.
	Summary string
	// Body is the author's Markdown.
	Body string
	// BodyHTML is Body rendered and sanitised; it is what readers see.
	BodyHTML string
	// Slug is the last segment of the article's address. Titles in Latin
	// script give a readable slug; others get the article's ID.
	Slug string
	// Path is the article's permanent public address, fixed when it is first
	// published and never changed afterwards; "" until then.
	Path string
	// PublishedAt is the publication time in UTC; zero for an article never
	// published or scheduled.
	PublishedAt time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	// TranslationGroup links the language versions of one piece: it is the
	// ID of the first version written. The store sets it to the article's
	// own ID when it is zero.
	TranslationGroup int64
}

// Normalize trims the article's text fields and puts them in Unicode NFC,
// so that the same words are always stored as the same bytes.
func (a *Article) Normalize() {
	a.Title = norm.NFC.String(strings.Join(strings.Fields(a.Title), " "))
	a.Summary = norm.NFC.String(strings.TrimSpace(a.Summary))
	a.Body = norm.NFC.String(strings.TrimSpace(strings.ReplaceAll(a.Body, "\r\n", "\n")))
	a.Language = CanonicalLanguage(a.Language)
	a.Slug = strings.TrimSpace(a.Slug)
}

// Validate checks the article against its site and section.
func (a Article) Validate(site Site, section Section) error {
	p := problems{what: "article"}
	if a.Title == "" {
		p.add("title", "the title is empty")
	} else if utf8.RuneCountInString(a.Title) > 300 {
		p.add("title", "the title is longer than 300 characters")
	}
	if !site.HasLanguage(a.Language) {
		p.add("language", "%q is not a language of site %q (it has %v)", a.Language, site.Key, site.Languages)
	}
	if !a.Kind.Valid() {
		p.add("kind", "%q is not a kind of article: use one of %v", a.Kind, Kinds)
	}
	if !a.Status.Valid() {
		p.add("status", "%q is not a status: use draft, scheduled, published or withdrawn", a.Status)
	}
	if section.ID == 0 || section.SiteID != site.ID {
		p.add("section", "the section does not belong to site %q", site.Key)
	}
	if a.Slug != "" && !slugPattern.MatchString(a.Slug) {
		p.add("slug", "%q is not a usable address segment: use lower-case letters, digits and hyphens", a.Slug)
	}
	if a.Path != "" {
		if msg := CheckPath(a.Path); msg != "" {
			p.add("path", "%s", msg)
		}
	}
	if (a.Status == StatusPublished || a.Status == StatusScheduled || a.Status == StatusWithdrawn) && a.PublishedAt.IsZero() {
		p.add("published_at", "a %s article needs a publication time", a.Status)
	}
	return p.err()
}

// Public reports whether the article has been published: published or
// withdrawn, either way at its permanent address.
func (a Article) Public() bool {
	return a.Status == StatusPublished || a.Status == StatusWithdrawn
}

// ClockSkew is how far behind the publishing process's clock another
// process's may be without leaving a just-published article out of what
// it renders (and keeps) at once: a published article counts as visible
// that long before its time. Publishing stamps the publishing process's
// time, and a listing rendered elsewhere a moment later, by a clock a
// little behind, would otherwise be stored without the article until the
// next change. Scheduled articles are not published before their time.
const ClockSkew = time.Second

// Visible reports whether readers may see the article at now.
func (a Article) Visible(now time.Time) bool {
	return a.Status == StatusPublished && !a.PublishedAt.After(now.Add(ClockSkew))
}

// maxSlugLen keeps addresses short enough to cite and to type.
const maxSlugLen = 80

// Slugify makes a readable address segment from a title in Latin script:
// accents are dropped, letters lower-cased, everything else turned into
// single hyphens, and the result cut at a word boundary. It returns "" for
// a title with letters of any other script (Chinese, Arabic…), whose
// articles get their ID as slug instead: a transliteration would not be
// stable or readable.
func Slugify(title string) string {
	var b strings.Builder
	pendingHyphen := false
	for _, r := range norm.NFKD.String(title) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case unicode.IsLetter(r) && !unicode.Is(unicode.Latin, r):
			return ""
		case r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if pendingHyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			pendingHyphen = false
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’':
			// "Minister's" reads better as "ministers" than "minister-s".
		default:
			pendingHyphen = true
		}
	}
	s := b.String()
	for len(s) > maxSlugLen {
		i := strings.LastIndexByte(s[:maxSlugLen], '-')
		if i <= 0 {
			s = s[:maxSlugLen]
			break
		}
		s = s[:i]
	}
	return s
}

// IDSlug is the slug of an article whose title gives no readable one.
func IDSlug(id int64) string { return strconv.FormatInt(id, 10) }

// ArticlePath is an article's address: its language, its section's slugs,
// the year and month of publication in the site's time zone, and its slug:
// "/en/meetings/2024/05/statement-on-climate".
func ArticlePath(lang string, sectionSlugs []string, published time.Time, slug string) string {
	return fmt.Sprintf("%s%04d/%02d/%s", SectionPath(lang, sectionSlugs), published.Year(), int(published.Month()), slug)
}
