package demo

import (
	"strings"
	"time"

	"chancery/internal/content"
)

// Build returns the demo network: the Permanent Mission of the Republic of
// Example to the United Nations (site "un") and the Embassy of the Republic
// of Example in China (site "embassy"), each in English and Chinese.
//
// Build is pure data: it reads no clock and no randomness, and every call
// returns an equal, freshly allocated value that the caller may change.
// The people, places and events of the Republic of Example are invented;
// real organisations appear only as the setting of its diplomacy.
func Build() Network {
	return Network{Sites: []Site{unSite(), embassySite()}}
}

// siteLanguages are the languages of both demo sites, in switch order.
func siteLanguages() []string { return []string{"en", "zh"} }

// sec is a section with its English and Chinese name and address segment.
func sec(key, parent string, inNav bool, enName, enSlug, zhName, zhSlug string) Section {
	return Section{
		Key:    key,
		Parent: parent,
		InNav:  inNav,
		Names:  map[string]string{"en": enName, "zh": zhName},
		Slugs:  map[string]string{"en": enSlug, "zh": zhSlug},
	}
}

// at is a publication time, given in UTC.
func at(year int, month time.Month, day, hour, minute int) time.Time {
	return time.Date(year, month, day, hour, minute, 0, 0, time.UTC)
}

// txt is one language version; its body is the Markdown blocks given,
// separated by blank lines.
func txt(title, summary string, blocks ...string) Text {
	return Text{Title: title, Summary: summary, Body: strings.Join(blocks, "\n\n")}
}

// lines joins the lines of one Markdown block: a list, an address.
func lines(l ...string) string { return strings.Join(l, "\n") }

// both is a piece published in English and in Chinese.
func both(section string, kind content.Kind, published time.Time, en, zh Text) Article {
	return Article{Section: section, Kind: kind, Published: published, Versions: map[string]Text{"en": en, "zh": zh}}
}

// enOnly is a piece with no Chinese version.
func enOnly(section string, kind content.Kind, published time.Time, en Text) Article {
	return Article{Section: section, Kind: kind, Published: published, Versions: map[string]Text{"en": en}}
}

// zhOnly is a piece written for Chinese readers only.
func zhOnly(section string, kind content.Kind, published time.Time, zh Text) Article {
	return Article{Section: section, Kind: kind, Published: published, Versions: map[string]Text{"zh": zh}}
}
