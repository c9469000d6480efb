// Package demo holds the demo network that `chancery serve` loads into an
// empty database: two sites of the imaginary Republic of Example, in English
// and Chinese, written for this project.
package demo

import (
	"time"

	"chancery/internal/content"
)

// Network is the whole demo: its sites, each with sections and articles.
type Network struct {
	Sites []Site
}

// Site is one demo site with its section tree and articles. Sections and
// articles refer to sections by Key, so the data needs no database IDs.
type Site struct {
	Site     content.Site
	Sections []Section
	Articles []Article
}

// Section is a node of the demo section tree.
type Section struct {
	// Key identifies the section inside the demo data ("statements").
	Key string
	// Parent is the Key of the enclosing section, "" for the top level.
	Parent string
	// InNav puts a top-level section in the navigation bar.
	InNav bool
	// Names and Slugs per language, as in content.Section.
	Names map[string]string
	Slugs map[string]string
}

// Article is one piece of demo content with its language versions. A
// piece with one version has no translation.
type Article struct {
	Section   string // Key of its section
	Kind      content.Kind
	Published time.Time // in UTC
	// Versions by language tag ("en", "zh").
	Versions map[string]Text
}

// Text is one language version of an article.
type Text struct {
	Title   string
	Summary string
	Body    string // Markdown
}
