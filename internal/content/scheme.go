package content

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An address scheme is the form of a site's article addresses. The
// readable scheme (the empty string) gives
// "/en/meetings/2024/05/statement-on-climate". A site brought over from an
// old platform may keep that platform's form instead, so that its old
// addresses serve the articles themselves and new articles get addresses of
// the same form, such as
//
//	/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm
//
// which gives "/eng/zgyw/202207/t20220730_10730785.htm". The placeholders:
//
//	{lang}      the article's language tag ("en")
//	{channel}   the language's channel on the old platform (Site.Channels: "eng")
//	{section}   the slug of the article's section in its language
//	{sections}  the slugs of the section and its ancestors, joined by "/"
//	{yyyy} {mm} {dd} {yyyymm} {yyyymmdd}  the publication date in the site's zone
//	{number}    the article's ID
//	{slug}      the article's slug
//
// A scheme must name the article by {number} or {slug}, so that two
// articles of a month never share an address.
var schemeToken = regexp.MustCompile(`\{[a-z]+\}`)

var schemePlaceholders = []string{"{lang}", "{channel}", "{section}", "{sections}", "{yyyy}", "{mm}", "{dd}", "{yyyymm}", "{yyyymmdd}", "{number}", "{slug}"}

// schemeLiteral is what a scheme may hold between placeholders: the
// characters of an address that need no escaping.
var schemeLiteral = regexp.MustCompile(`^[A-Za-z0-9._/~-]*$`)

// CheckScheme returns a sentence saying what is wrong with an address
// scheme, or "".
func CheckScheme(scheme string) string {
	if scheme == "" {
		return ""
	}
	if !strings.HasPrefix(scheme, "/") {
		return fmt.Sprintf("address scheme %q must start with \"/\"", scheme)
	}
	if strings.HasSuffix(scheme, "/") {
		return fmt.Sprintf("address scheme %q must end with the article's own name, not \"/\"", scheme)
	}
	if strings.Contains(scheme, "//") {
		return fmt.Sprintf("address scheme %q has an empty segment (\"//\")", scheme)
	}
	for _, seg := range strings.Split(scheme, "/") {
		if seg == "." || seg == ".." {
			return fmt.Sprintf("address scheme %q has a %q segment", scheme, seg)
		}
	}
	for _, t := range schemeToken.FindAllString(scheme, -1) {
		if !slices.Contains(schemePlaceholders, t) {
			return fmt.Sprintf("address scheme %q: %s is not a placeholder; use %s", scheme, t, strings.Join(schemePlaceholders, " "))
		}
	}
	if lit := schemeToken.ReplaceAllString(scheme, ""); !schemeLiteral.MatchString(lit) {
		return fmt.Sprintf("address scheme %q may hold only letters, digits and . _ ~ - / besides its placeholders", scheme)
	}
	if !strings.Contains(scheme, "{number}") && !strings.Contains(scheme, "{slug}") {
		return fmt.Sprintf("address scheme %q must contain {number} or {slug}, so that every article has an address of its own", scheme)
	}
	return ""
}

// NeedsID reports whether the scheme's addresses carry the article's ID,
// which exists only once the article is stored.
func (s Site) NeedsID() bool { return strings.Contains(s.AddressScheme, "{number}") }

// Channel returns the language's channel: its path segment on the old
// platform ("eng" for "en"), or the tag itself when none is set.
func (s Site) Channel(lang string) string {
	if c := s.Channels[lang]; c != "" {
		return c
	}
	return lang
}

// ArticleAddress is the address the site's scheme gives an article
// published at published (in the site's zone) in the section with the
// given slugs, with slug and ID.
func (s Site) ArticleAddress(lang string, sectionSlugs []string, published time.Time, slug string, id int64) string {
	if s.AddressScheme == "" {
		return ArticlePath(lang, sectionSlugs, published, slug)
	}
	last := ""
	if len(sectionSlugs) > 0 {
		last = sectionSlugs[len(sectionSlugs)-1]
	}
	y, m, d := published.Date()
	r := strings.NewReplacer(
		"{lang}", lang,
		"{channel}", s.Channel(lang),
		"{sections}", strings.Join(sectionSlugs, "/"),
		"{section}", last,
		"{yyyymmdd}", fmt.Sprintf("%04d%02d%02d", y, int(m), d),
		"{yyyymm}", fmt.Sprintf("%04d%02d", y, int(m)),
		"{yyyy}", fmt.Sprintf("%04d", y),
		"{mm}", fmt.Sprintf("%02d", int(m)),
		"{dd}", fmt.Sprintf("%02d", d),
		"{number}", strconv.FormatInt(id, 10),
		"{slug}", slug,
	)
	// A top-level article has no section: its empty segments are dropped.
	p := r.Replace(s.AddressScheme)
	for strings.Contains(p, "//") {
		p = strings.ReplaceAll(p, "//", "/")
	}
	return p
}

// ParseChannels reads channels written as "en=eng,zh=chn" (spaces or
// commas between pairs).
func ParseChannels(text string) (map[string]string, error) {
	out := map[string]string{}
	for _, pair := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' }) {
		lang, ch, ok := strings.Cut(pair, "=")
		lang, ch = CanonicalLanguage(lang), strings.TrimSpace(ch)
		if !ok || lang == "" || ch == "" {
			return nil, fmt.Errorf("%q is not a language and its channel: write them as en=eng,zh=chn", pair)
		}
		out[lang] = ch
	}
	return out, nil
}

// FormatChannels writes channels as ParseChannels reads them, in the order
// of the tags.
func FormatChannels(channels map[string]string) string {
	var b strings.Builder
	for _, l := range slices.Sorted(maps.Keys(channels)) {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(l + "=" + channels[l])
	}
	return b.String()
}

var channelPattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// CheckPath returns a sentence saying why path cannot be an article's
// stored address, or "": it must be absolute, clean and free of query,
// fragment and spaces, and name a page rather than a directory.
func CheckPath(path string) string {
	switch {
	case !strings.HasPrefix(path, "/"):
		return fmt.Sprintf("address %q must start with \"/\"", path)
	case strings.HasSuffix(path, "/"):
		return fmt.Sprintf("address %q ends with \"/\": an article's address names a page", path)
	case strings.Contains(path, "//"), strings.Contains(path, "/./"), strings.Contains(path, "/../"), strings.HasSuffix(path, "/.."):
		return fmt.Sprintf("address %q is not a clean path", path)
	case strings.ContainsAny(path, "?#\\ \t\r\n\x00"):
		return fmt.Sprintf("address %q holds a character an address cannot (query, fragment, space or control)", path)
	case len(path) > 1000:
		return "the address is longer than 1,000 characters"
	}
	return ""
}
