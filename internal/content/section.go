package content

import (
	"cmp"
	"regexp"
	"slices"
	"strings"
)

// Section is one node of a site's section tree ("Meetings & Statements",
// "China & UN > Human Rights"). Names and slugs are per language; the
// address of a section in a language is its ancestors' slugs and its own.
type Section struct {
	ID     int64
	SiteID int64
	// ParentID is the enclosing section's ID, or 0 for a top-level section.
	ParentID int64
	// Position orders siblings, smallest first.
	Position int
	// InNav puts a top-level section in the site's top navigation bar.
	InNav bool
	// Names holds the section's name per language.
	Names map[string]string
	// Slugs holds the section's address segment per language: lower-case
	// ASCII letters, digits and hyphens, unique among its siblings.
	Slugs map[string]string
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// sectionSlugPattern also allows underscores, which old platforms put in
// their section codes ("zxxx_662805"): a migrated site keeps them.
var sectionSlugPattern = regexp.MustCompile(`^[a-z0-9]+([-_][a-z0-9]+)*$`)

// reservedSlugs cannot name a section, because the site's own addresses
// use them: /en/news/page/2/, /static/…, /en/search/.
var reservedSlugs = map[string]bool{"page": true, "static": true, "search": true, "share": true}

// Validate checks the section against the languages of its site.
func (s Section) Validate(site Site) error {
	p := problems{what: "section"}
	for _, l := range site.Languages {
		if strings.TrimSpace(s.Names[l]) == "" {
			p.add("names", "the section needs a name in every language of the site: none given for %q", l)
		}
		slug := s.Slugs[l]
		switch {
		case slug == "":
			p.add("slugs", "the section needs an address segment in every language of the site: none given for %q", l)
		case !sectionSlugPattern.MatchString(slug):
			p.add("slugs", "%q is not a usable address segment: use lower-case letters, digits, hyphens and underscores", slug)
		case reservedSlugs[slug]:
			p.add("slugs", "%q is reserved for the site's own addresses: choose another", slug)
		case strings.Trim(slug, "0123456789-_") == "":
			p.add("slugs", "%q has no letter: address segments of digits alone are taken by date archives", slug)
		}
	}
	for l := range s.Names {
		if !site.HasLanguage(l) {
			p.add("names", "a name is given for %q, which is not a language of the site", l)
		}
	}
	if s.ParentID != 0 && s.ParentID == s.ID {
		p.add("parent", "a section cannot be its own parent")
	}
	return p.err()
}

// Name returns the section's name in lang, or "" if it has none.
func (s Section) Name(lang string) string { return s.Names[lang] }

// Tree is a site's sections arranged for walking: by ID, by parent, and in
// sibling order. The zero Tree is empty. A Tree is read-only once built and
// safe for concurrent use.
type Tree struct {
	byID     map[int64]Section
	children map[int64][]Section
}

// NewTree arranges sections, which must all belong to one site. Children of
// a parent missing from sections are left out.
func NewTree(sections []Section) Tree {
	t := Tree{byID: make(map[int64]Section, len(sections)), children: map[int64][]Section{}}
	for _, s := range sections {
		t.byID[s.ID] = s
	}
	for _, s := range sections {
		if s.ParentID == 0 || t.byID[s.ParentID].ID != 0 {
			t.children[s.ParentID] = append(t.children[s.ParentID], s)
		}
	}
	for _, kids := range t.children {
		sortSections(kids)
	}
	return t
}

func sortSections(s []Section) {
	slices.SortFunc(s, func(a, b Section) int {
		if c := cmp.Compare(a.Position, b.Position); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
}

// Section returns the section with the given ID.
func (t Tree) Section(id int64) (Section, bool) {
	s, ok := t.byID[id]
	return s, ok
}

// Children returns the sections directly below parent (0 for the top
// level), in order.
func (t Tree) Children(parent int64) []Section { return t.children[parent] }

// Nav returns the top-level sections shown in the navigation bar, in order.
func (t Tree) Nav() []Section {
	var nav []Section
	for _, s := range t.children[0] {
		if s.InNav {
			nav = append(nav, s)
		}
	}
	return nav
}

// Ancestry returns the path from the top level down to the section itself.
// It returns nil for an unknown ID and stops at a cycle.
func (t Tree) Ancestry(id int64) []Section {
	var path []Section
	seen := map[int64]bool{}
	for id != 0 && !seen[id] {
		s, ok := t.byID[id]
		if !ok {
			return nil
		}
		seen[id] = true
		path = append(path, s)
		id = s.ParentID
	}
	for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
		path[i], path[j] = path[j], path[i]
	}
	return path
}

// Subtree returns the IDs of the section and every section below it.
func (t Tree) Subtree(id int64) []int64 {
	ids := []int64{id}
	seen := map[int64]bool{id: true}
	for i := 0; i < len(ids); i++ {
		for _, c := range t.children[ids[i]] {
			if !seen[c.ID] {
				seen[c.ID] = true
				ids = append(ids, c.ID)
			}
		}
	}
	return ids
}

// Slugs returns the address segments from the top level down to the
// section, in lang.
func (t Tree) Slugs(id int64, lang string) []string {
	var slugs []string
	for _, s := range t.Ancestry(id) {
		slugs = append(slugs, s.Slugs[lang])
	}
	return slugs
}

// Find follows address segments in lang from the top level down, as far as
// they name sections. It returns the deepest section reached and how many
// segments it used; ok is false when the first segment names no section.
func (t Tree) Find(lang string, segments []string) (s Section, used int, ok bool) {
	var parent int64
	for used < len(segments) {
		var next Section
		for _, c := range t.children[parent] {
			if c.Slugs[lang] == segments[used] {
				next = c
				break
			}
		}
		if next.ID == 0 {
			break
		}
		s, parent, ok = next, next.ID, true
		used++
	}
	return s, used, ok
}

// SectionPath is a section's address in lang: "/en/meetings/security-council/".
func SectionPath(lang string, slugs []string) string {
	if len(slugs) == 0 {
		return "/" + lang + "/"
	}
	return "/" + lang + "/" + strings.Join(slugs, "/") + "/"
}
