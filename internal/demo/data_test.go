package demo

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"

	"chancery/internal/content"
)

// wantNav is the navigation bar of each site, in order.
var wantNav = map[string][]string{
	"un":      {"Meetings & Statements", "Events & Activities", "Example & UN", "Documents", "About the Mission"},
	"embassy": {"Meetings & Statements", "Events & Activities", "Example & China", "Documents", "About the Embassy"},
}

// cutoff is the first instant no demo article may be published at.
var cutoff = time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)

func sites(t *testing.T) []Site {
	t.Helper()
	n := Build()
	var keys []string
	for _, s := range n.Sites {
		keys = append(keys, s.Site.Key)
	}
	if !reflect.DeepEqual(keys, []string{"un", "embassy"}) {
		t.Fatalf("sites = %v, want [un embassy]", keys)
	}
	return n.Sites
}

// forEachSite runs f as a subtest for every demo site.
func forEachSite(t *testing.T, f func(t *testing.T, s Site)) {
	for _, s := range sites(t) {
		t.Run(s.Site.Key, func(t *testing.T) { f(t, s) })
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	a, b := Build(), Build()
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two calls of Build returned different networks")
	}
	// The result is freshly allocated: changing one must not change the next.
	a.Sites[0].Sections[0].Names["en"] = "changed"
	a.Sites[0].Articles[0].Versions["en"] = Text{}
	a.Sites[0].Site.Languages[0] = "fr"
	if !reflect.DeepEqual(b, Build()) {
		t.Fatal("changing one network changed the next call of Build")
	}
}

func TestSitesValidate(t *testing.T) {
	hosts := map[string]string{"un": "un.localhost", "embassy": "embassy.localhost"}
	zones := map[string]string{"un": "America/New_York", "embassy": "Asia/Shanghai"}
	forEachSite(t, func(t *testing.T, s Site) {
		site := s.Site // Normalize has a pointer receiver: work on a copy.
		site.Normalize()
		if err := site.Validate(); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(site.Languages, []string{"en", "zh"}) || site.DefaultLanguage != "en" {
			t.Errorf("languages %v default %q, want [en zh] default en", site.Languages, site.DefaultLanguage)
		}
		if !reflect.DeepEqual(site.Hosts, []string{hosts[site.Key]}) {
			t.Errorf("hosts = %v, want [%s]", site.Hosts, hosts[site.Key])
		}
		if site.TimeZone != zones[site.Key] {
			t.Errorf("time zone = %q, want %q", site.TimeZone, zones[site.Key])
		}
		if !strings.Contains(site.Names["en"], "Republic of Example") || !strings.Contains(site.Names["zh"], "示例共和国") {
			t.Errorf("names = %v", site.Names)
		}
	})
}

// sectionIndex maps section keys to sections and checks that keys are
// unique.
func sectionIndex(t *testing.T, s Site) map[string]Section {
	t.Helper()
	idx := map[string]Section{}
	for _, sec := range s.Sections {
		if sec.Key == "" {
			t.Errorf("section %v has no key", sec.Names)
		}
		if _, dup := idx[sec.Key]; dup {
			t.Errorf("section key %q is used twice", sec.Key)
		}
		idx[sec.Key] = sec
	}
	return idx
}

// depth is 1 for a top-level section; 0 when the chain of parents is
// broken or loops.
func depth(idx map[string]Section, key string) int {
	d := 0
	for seen := map[string]bool{}; key != ""; d++ {
		sec, ok := idx[key]
		if !ok || seen[key] {
			return 0
		}
		seen[key] = true
		key = sec.Parent
	}
	return d
}

func TestSectionTree(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		idx := sectionIndex(t, s)
		maxDepth := 0
		for _, sec := range s.Sections {
			if sec.Parent != "" {
				if _, ok := idx[sec.Parent]; !ok {
					t.Errorf("section %q: parent %q does not exist", sec.Key, sec.Parent)
				}
				if sec.InNav {
					t.Errorf("section %q is nested but InNav", sec.Key)
				}
			}
			d := depth(idx, sec.Key)
			if d == 0 {
				t.Errorf("section %q: broken or looping chain of parents", sec.Key)
			}
			maxDepth = max(maxDepth, d)
		}
		if maxDepth < 3 {
			t.Errorf("deepest section is at level %d, want 3", maxDepth)
		}

		var nav []string
		hidden := 0
		for _, sec := range s.Sections {
			switch {
			case sec.Parent == "" && sec.InNav:
				nav = append(nav, sec.Names["en"])
			case sec.Parent == "":
				hidden++
			}
		}
		if !reflect.DeepEqual(nav, wantNav[s.Site.Key]) {
			t.Errorf("navigation = %q, want %q", nav, wantNav[s.Site.Key])
		}
		if hidden == 0 {
			t.Error("no top-level section is left out of the navigation")
		}
	})
}

func TestSectionsValidate(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		site := s.Site
		site.Normalize()
		type sibling struct{ parent, lang, slug string }
		seen := map[sibling]string{}
		for i, sec := range s.Sections {
			cs := content.Section{ID: int64(i + 1), InNav: sec.InNav, Names: sec.Names, Slugs: sec.Slugs}
			if err := cs.Validate(site); err != nil {
				t.Errorf("section %q: %v", sec.Key, err)
			}
			for l := range sec.Slugs {
				if !site.HasLanguage(l) {
					t.Errorf("section %q: slug for %q, not a language of the site", sec.Key, l)
				}
			}
			for _, l := range site.Languages {
				k := sibling{sec.Parent, l, sec.Slugs[l]}
				if other, dup := seen[k]; dup {
					t.Errorf("sections %q and %q are siblings with the same %s slug %q", other, sec.Key, l, k.slug)
				}
				seen[k] = sec.Key
			}
			if l := "zh"; !hasHan(sec.Names[l]) {
				t.Errorf("section %q: Chinese name %q has no Chinese characters", sec.Key, sec.Names[l])
			}
		}
	})
}

func TestEverySectionHoldsArticles(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		idx := sectionIndex(t, s)
		held := map[string]int{}
		for _, a := range s.Articles {
			// Count the article in its section and every ancestor.
			for key, seen := a.Section, map[string]bool{}; key != "" && !seen[key]; key = idx[key].Parent {
				seen[key] = true
				held[key]++
			}
		}
		for _, sec := range s.Sections {
			if held[sec.Key] == 0 {
				t.Errorf("section %q holds no article in its subtree", sec.Key)
			}
		}
	})
}

func TestArticleCounts(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		perLang := map[string]int{}
		translated, enOnly, zhOnly := 0, 0, 0
		for _, a := range s.Articles {
			for l := range a.Versions {
				perLang[l]++
			}
			_, en := a.Versions["en"]
			_, zh := a.Versions["zh"]
			switch {
			case en && zh:
				translated++
			case en:
				enOnly++
			case zh:
				zhOnly++
			}
		}
		if len(s.Articles) < 36 {
			t.Errorf("%d pieces, want at least 36", len(s.Articles))
		}
		for _, l := range []string{"en", "zh"} {
			if perLang[l] < 30 {
				t.Errorf("%d articles in %s, want at least 30", perLang[l], l)
			}
		}
		if 5*translated < 4*len(s.Articles) {
			t.Errorf("%d of %d pieces translated, want at least 80%%", translated, len(s.Articles))
		}
		if enOnly < 3 {
			t.Errorf("%d pieces only in English, want at least 3", enOnly)
		}
		if zhOnly < 2 {
			t.Errorf("%d pieces only in Chinese, want at least 2", zhOnly)
		}
		t.Logf("%d pieces: en %d, zh %d, translated %d, en only %d, zh only %d",
			len(s.Articles), perLang["en"], perLang["zh"], translated, enOnly, zhOnly)
	})
}

func TestArticlesValidate(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		site := s.Site
		site.Normalize()
		idx := sectionIndex(t, s)
		for i, a := range s.Articles {
			name := articleName(a, i)
			if _, ok := idx[a.Section]; !ok {
				t.Errorf("%s: section %q does not exist", name, a.Section)
			}
			if !a.Kind.Valid() {
				t.Errorf("%s: kind %q is not valid", name, a.Kind)
			}
			if len(a.Versions) == 0 {
				t.Errorf("%s: no versions", name)
			}
			for l, v := range a.Versions {
				if !site.HasLanguage(l) {
					t.Errorf("%s: version in %q, not a language of the site", name, l)
				}
				if strings.TrimSpace(v.Title) == "" || strings.TrimSpace(v.Body) == "" || strings.TrimSpace(v.Summary) == "" {
					t.Errorf("%s (%s): empty title, summary or body", name, l)
				}
				ca := content.Article{
					Language: l, Kind: a.Kind, Status: content.StatusPublished,
					Title: v.Title, Summary: v.Summary, Body: v.Body, PublishedAt: a.Published,
				}
				ca.Normalize()
				if err := ca.Validate(site, content.Section{ID: 1, SiteID: site.ID}); err != nil {
					t.Errorf("%s (%s): %v", name, l, err)
				}
				if l == "zh" && (!hasHan(v.Title) || !hasHan(v.Summary) || !hasHan(v.Body)) {
					t.Errorf("%s: Chinese version without Chinese text", name)
				}
			}
		}
	})
}

func TestAboutPagesArePages(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		idx := sectionIndex(t, s)
		for i, a := range s.Articles {
			if key := topLevel(idx, a.Section); key == "about" && a.Kind != content.KindPage {
				t.Errorf("%s: in About but of kind %q", articleName(a, i), a.Kind)
			}
		}
	})
}

func TestKindsAndYears(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		kinds := map[content.Kind]bool{}
		years := map[int]bool{}
		for i, a := range s.Articles {
			kinds[a.Kind] = true
			years[a.Published.Year()] = true
			if a.Published.Location() != time.UTC {
				t.Errorf("%s: published at %v, not in UTC", articleName(a, i), a.Published)
			}
			if !a.Published.Before(cutoff) {
				t.Errorf("%s: published %v, not before %v", articleName(a, i), a.Published, cutoff)
			}
			if a.Published.Year() < 2021 {
				t.Errorf("%s: published %v, before 2021", articleName(a, i), a.Published)
			}
		}
		for _, k := range content.Kinds {
			if !kinds[k] {
				t.Errorf("no article of kind %q", k)
			}
		}
		if len(years) < 4 {
			t.Errorf("articles span %d years, want at least 4", len(years))
		}
	})
}

func TestTitlesAndAddressesUnique(t *testing.T) {
	forEachSite(t, func(t *testing.T, s Site) {
		loc, err := time.LoadLocation(s.Site.TimeZone)
		if err != nil {
			t.Fatal(err)
		}
		titles := map[string]bool{}
		addresses := map[string]bool{}
		for i, a := range s.Articles {
			en, ok := a.Versions["en"]
			if !ok {
				continue
			}
			if titles[en.Title] {
				t.Errorf("English title %q is used twice", en.Title)
			}
			titles[en.Title] = true
			slug := content.Slugify(en.Title)
			if slug == "" {
				t.Errorf("%s: English title gives no slug", articleName(a, i))
			}
			local := a.Published.In(loc)
			addr := fmt.Sprintf("%s/%d/%d/%s", a.Section, local.Year(), local.Month(), slug)
			if addresses[addr] {
				t.Errorf("%s: address %s is used twice", articleName(a, i), addr)
			}
			addresses[addr] = true
		}
	})
}

func TestLocalDateDiffersFromUTC(t *testing.T) {
	for _, s := range sites(t) {
		if s.Site.Key != "un" {
			continue
		}
		loc, err := time.LoadLocation("America/New_York")
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for _, a := range s.Articles {
			ly, lm, ld := a.Published.In(loc).Date()
			uy, um, ud := a.Published.UTC().Date()
			if ly != uy || lm != um || ld != ud {
				found++
			}
		}
		if found == 0 {
			t.Error("no article of the un site has a New York date different from its UTC date")
		}
	}
}

func TestBodies(t *testing.T) {
	features := map[string]bool{}
	forEachSite(t, func(t *testing.T, s Site) {
		for i, a := range s.Articles {
			for l, v := range a.Versions {
				blocks := 0
				for _, b := range strings.Split(v.Body, "\n\n") {
					b = strings.TrimSpace(b)
					if b == "" {
						t.Errorf("%s (%s): empty paragraph", articleName(a, i), l)
					}
					if !strings.HasPrefix(b, "#") {
						blocks++
					}
				}
				if blocks < 3 || blocks > 6 {
					t.Errorf("%s (%s): %d paragraphs, want 3 to 6", articleName(a, i), l, blocks)
				}
				if l == "en" {
					if w := len(strings.Fields(v.Body)); w < 120 || w > 400 {
						t.Errorf("%s: %d words, want 120 to 400", articleName(a, i), w)
					}
				}
				if strings.Count(v.Summary, ". ") > 0 || strings.Count(v.Summary, "。") > 1 {
					t.Errorf("%s (%s): summary is more than one sentence", articleName(a, i), l)
				}
				for _, line := range strings.Split(v.Body, "\n") {
					switch {
					case strings.HasPrefix(line, "- "):
						features["list"] = true
					case strings.HasPrefix(line, "> "):
						features["blockquote"] = true
					case strings.HasPrefix(line, "## "):
						features["heading"] = true
					}
				}
				if strings.Contains(v.Body, "](https://") {
					features["link"] = true
				}
			}
		}
	})
	for _, f := range []string{"list", "blockquote", "heading", "link"} {
		if !features[f] {
			t.Errorf("no article body uses a Markdown %s", f)
		}
	}
}

func topLevel(idx map[string]Section, key string) string {
	for seen := map[string]bool{}; idx[key].Parent != "" && !seen[key]; key = idx[key].Parent {
		seen[key] = true
	}
	return key
}

func articleName(a Article, i int) string {
	for _, l := range []string{"en", "zh"} {
		if v, ok := a.Versions[l]; ok {
			return fmt.Sprintf("article %d %q", i, v.Title)
		}
	}
	return fmt.Sprintf("article %d", i)
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
