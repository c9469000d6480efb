package content

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/text/language"
)

// Site is one mission's website: an embassy, a consulate, a permanent
// mission. One Chancery network holds many sites; each answers on its own
// host names and is published in one or more languages.
type Site struct {
	ID int64
	// Key is the short name used on the command line and in logs ("un",
	// "embassy"): lower-case letters, digits and hyphens, unique in the
	// network.
	Key string
	// Names holds the site's name per language tag; every language of the
	// site must have one.
	Names map[string]string
	// Hosts are the host names the public site answers on, lower-case,
	// without port. Each host belongs to one site only.
	Hosts []string
	// Languages are the site's language tags (BCP 47, such as "en" or
	// "zh"), in the order the language switch shows them.
	Languages []string
	// DefaultLanguage is the language a visitor to "/" is sent to. It must
	// be one of Languages.
	DefaultLanguage string
	// TimeZone is the IANA name of the zone in which the site shows times,
	// such as "America/New_York". Times are stored in UTC.
	TimeZone string
	// FeedSummary makes the site's feeds carry each article's summary
	// instead of its whole text.
	FeedSummary bool
	// RequireReview makes publishing a second person's act: the one who
	// wrote an article's last change cannot publish it, except an editor
	// who gives a reason (kept in the audit log).
	RequireReview bool
	// RequireTwoFactor refuses the site's back office to people who sign
	// in without a second factor.
	RequireTwoFactor bool
	// AddressScheme is the form of new articles' addresses: "" for
	// Chancery's readable scheme, or an old platform's form kept after a
	// migration (see CheckScheme).
	AddressScheme string
	// Channels maps a language tag to its path segment on the old
	// platform ({channel} in AddressScheme): {"en": "eng", "zh": "chn"}.
	Channels map[string]string
}

var (
	keyPattern  = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	hostPattern = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$`)
)

// Normalize puts a site's free-form fields into their stored form: hosts
// lower-cased with any port removed, names and tags trimmed, duplicate
// hosts and languages dropped. Validate expects a normalized site.
func (s *Site) Normalize() {
	s.Key = strings.ToLower(strings.TrimSpace(s.Key))
	s.TimeZone = strings.TrimSpace(s.TimeZone)
	s.DefaultLanguage = CanonicalLanguage(s.DefaultLanguage)
	var hosts []string
	for _, h := range s.Hosts {
		h = NormalizeHost(h)
		if h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	s.Hosts = hosts
	var langs []string
	for _, l := range s.Languages {
		l = CanonicalLanguage(l)
		if l != "" && !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	s.Languages = langs
	names := make(map[string]string, len(s.Names))
	for l, n := range s.Names {
		if n = strings.TrimSpace(n); n != "" {
			names[CanonicalLanguage(l)] = n
		}
	}
	s.Names = names
	s.AddressScheme = strings.TrimSpace(s.AddressScheme)
	channels := make(map[string]string, len(s.Channels))
	for l, c := range s.Channels {
		if c = strings.TrimSpace(c); c != "" {
			channels[CanonicalLanguage(l)] = c
		}
	}
	s.Channels = channels
}

// Validate reports every problem with the site at once, or nil.
func (s Site) Validate() error {
	p := problems{what: "site"}
	if !keyPattern.MatchString(s.Key) {
		p.add("key", "%q is not a usable key: use lower-case letters, digits and hyphens, such as \"un\" or \"embassy-london\"", s.Key)
	}
	if len(s.Hosts) == 0 {
		p.add("hosts", "give at least one host name, such as \"embassy.example.org\"")
	}
	for _, h := range s.Hosts {
		if !hostPattern.MatchString(h) || len(h) > 253 {
			p.add("hosts", "%q is not a host name: use letters, digits, hyphens and dots, without scheme or path", h)
		}
	}
	if len(s.Languages) == 0 {
		p.add("languages", "give at least one language tag, such as \"en\" or \"zh\"")
	}
	for _, l := range s.Languages {
		if err := CheckLanguage(l); err != nil {
			p.add("languages", "%v", err)
		}
	}
	if !slices.Contains(s.Languages, s.DefaultLanguage) {
		p.add("default_language", "%q is not one of the site's languages %v", s.DefaultLanguage, s.Languages)
	}
	for _, l := range s.Languages {
		if strings.TrimSpace(s.Names[l]) == "" {
			p.add("names", "the site needs a name in every language: none given for %q", l)
		}
	}
	for l := range s.Names {
		if !slices.Contains(s.Languages, l) {
			p.add("names", "a name is given for %q, which is not one of the site's languages", l)
		}
	}
	if s.TimeZone == "" {
		p.add("time_zone", "give an IANA time zone, such as \"Europe/Geneva\" or \"UTC\"")
	} else if _, err := time.LoadLocation(s.TimeZone); err != nil || strings.EqualFold(s.TimeZone, "local") {
		p.add("time_zone", "%q is not a known time zone: use an IANA name such as \"Asia/Shanghai\" or \"America/New_York\"", s.TimeZone)
	}
	if msg := CheckScheme(s.AddressScheme); msg != "" {
		p.add("address_scheme", "%s", msg)
	}
	for l, c := range s.Channels {
		if !slices.Contains(s.Languages, l) {
			p.add("channels", "a channel is given for %q, which is not one of the site's languages", l)
		}
		if !channelPattern.MatchString(c) {
			p.add("channels", "channel %q of %q must be one address segment of letters, digits, _ and -", c, l)
		}
	}
	return p.err()
}

// Location returns the site's time zone, or UTC when it cannot be loaded
// (which Validate prevents for stored sites).
func (s Site) Location() *time.Location {
	if loc, ok := locations.Load(s.TimeZone); ok {
		return loc.(*time.Location)
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return time.UTC
	}
	locations.Store(s.TimeZone, loc)
	return loc
}

// locations keeps the zones loaded: loading one reads and parses the
// zone database each time, and a time is placed in its site's zone for
// every article written or listed.
var locations sync.Map

// Name returns the site's name in lang, falling back to the default
// language's name.
func (s Site) Name(lang string) string {
	if n, ok := s.Names[lang]; ok {
		return n
	}
	return s.Names[s.DefaultLanguage]
}

// HasLanguage reports whether the site is published in lang.
func (s Site) HasLanguage(lang string) bool { return slices.Contains(s.Languages, lang) }

// NormalizeHost lower-cases a host and removes a port, so that
// "UN.localhost:8080" and "un.localhost" name the same site.
func NormalizeHost(h string) string {
	h = strings.ToLower(strings.TrimSpace(h))
	if strings.HasPrefix(h, "[") {
		if i := strings.Index(h, "]"); i > 0 {
			return h[:i+1]
		}
		return h
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && strings.Count(h, ":") == 1 && isDigits(h[i+1:]) {
		h = h[:i]
	}
	return strings.TrimSuffix(h, ".")
}

// CheckLanguage returns an error unless tag is a well-formed, registered
// BCP 47 language tag such as "en", "zh" or "pt-BR".
func CheckLanguage(tag string) error {
	if tag == "" {
		return &ValidationError{What: "language", Fields: map[string]string{"tag": "empty language tag"}}
	}
	t, err := language.Parse(tag)
	if err != nil {
		return &ValidationError{What: "language", Fields: map[string]string{"tag": tag + " is not a known language tag (use BCP 47, such as en, zh, fr, ar or pt-BR)"}}
	}
	if _, conf := t.Base(); conf != language.Exact {
		return &ValidationError{What: "language", Fields: map[string]string{"tag": tag + " names no language (use BCP 47, such as en, zh, fr, ar or pt-BR)"}}
	}
	return nil
}

// CanonicalLanguage trims a tag and gives it its canonical case ("zh-hant"
// becomes "zh-Hant"). A tag that does not parse is returned trimmed, for
// Validate to report.
func CanonicalLanguage(tag string) string {
	tag = strings.TrimSpace(tag)
	if t, err := language.Parse(tag); err == nil {
		return t.String()
	}
	return tag
}

var rtlScripts = map[string]bool{"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true, "Nkoo": true, "Adlm": true, "Rohg": true}

// Direction returns "rtl" for languages written right to left (Arabic,
// Persian, Hebrew, Urdu…) and "ltr" for all others.
func Direction(tag string) string {
	t, err := language.Parse(tag)
	if err != nil {
		return "ltr"
	}
	if script, _ := t.Script(); rtlScripts[script.String()] {
		return "rtl"
	}
	return "ltr"
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
