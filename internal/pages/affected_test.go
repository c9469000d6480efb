package pages

import (
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
)

// A site in New York time: 03:45 UTC on 1 July 2024 is 23:45 on 30 June
// there, so archives file it under June.
var (
	site = content.Site{ID: 1, Key: "un", Languages: []string{"en", "zh"}, DefaultLanguage: "en", TimeZone: "America/New_York",
		Names: map[string]string{"en": "Mission", "zh": "代表团"}, Hosts: []string{"un.example.org"}}
	now  = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	late = time.Date(2024, 7, 1, 3, 45, 0, 0, time.UTC)
)

// sections: 1 Meetings (in the navigation) > 2 Security Council > 3 Open
// Debates; 4 News (not in the navigation); 5 About (navigation).
func sections() []content.Section {
	sec := func(id, parent int64, pos int, nav bool, en string) content.Section {
		return content.Section{ID: id, SiteID: 1, ParentID: parent, Position: pos, InNav: nav,
			Names: map[string]string{"en": en, "zh": en + "（中）"}, Slugs: map[string]string{"en": strings.ToLower(en), "zh": "s" + strings.ToLower(en)}}
	}
	return []content.Section{sec(1, 0, 1, true, "Meetings"), sec(2, 1, 1, false, "Council"), sec(3, 2, 1, false, "Debates"),
		sec(4, 0, 3, false, "News"), sec(5, 0, 2, true, "About")}
}

func article(id, section int64, lang string, status content.Status, at time.Time) *content.Article {
	return &content.Article{ID: id, SiteID: 1, SectionID: section, Language: lang, Status: status, Title: "Statement",
		PublishedAt: at, Path: "/" + lang + "/x/2024/06/statement", TranslationGroup: 10}
}

func with(a *content.Article, f func(*content.Article)) *content.Article {
	c := *a
	f(&c)
	return &c
}

// listed is what a shown article in section 3 (June 2024, English) is on.
func listed(lang string, id int64) []Page {
	ps := []Page{{Kind: Article, Lang: lang, ArticleID: id}, {Kind: Home, Lang: lang}, {Kind: SitemapYear, Lang: lang, Year: 2024},
		{Kind: SitemapLang, Lang: lang}, {Kind: SitemapIndex}, {Kind: Feeds, Lang: lang}}
	for _, s := range []int64{1, 2, 3} {
		ps = append(ps, Page{Kind: Section, Lang: lang, SectionID: s}, Page{Kind: SectionPages, Lang: lang, SectionID: s},
			Page{Kind: Year, Lang: lang, SectionID: s, Year: 2024}, Page{Kind: Month, Lang: lang, SectionID: s, Year: 2024, Month: 6},
			Page{Kind: Feeds, Lang: lang, SectionID: s})
	}
	return ps
}

func TestForArticle(t *testing.T) {
	tree := content.NewTree(sections())
	draft := article(7, 3, "en", content.StatusDraft, time.Time{})
	published := article(7, 3, "en", content.StatusPublished, late)
	zh := article(8, 3, "zh", content.StatusPublished, late)
	zhDraft := with(zh, func(a *content.Article) { a.Status = content.StatusDraft })
	for _, tt := range []struct {
		name     string
		change   ArticleChange
		want     []Page
		wantNot  []Page
		wantSize int
	}{
		{name: "publish", change: ArticleChange{Old: draft, New: published}, want: listed("en", 7), wantSize: len(listed("en", 7))},
		{name: "publish a new article at once", change: ArticleChange{New: published}, want: listed("en", 7), wantSize: len(listed("en", 7))},
		{name: "save a draft", change: ArticleChange{Old: draft, New: with(draft, func(a *content.Article) { a.Title = "New" })}, wantSize: 0},
		{name: "schedule for later", change: ArticleChange{Old: draft, New: with(published, func(a *content.Article) {
			a.Status, a.PublishedAt = content.StatusScheduled, now.Add(time.Hour)
		})}, wantSize: 0},
		{name: "scheduled time comes", change: ArticleChange{Old: with(published, func(a *content.Article) { a.Status = content.StatusScheduled }), New: published},
			want: listed("en", 7), wantSize: len(listed("en", 7))},
		{name: "edit the body", change: ArticleChange{Old: published, New: with(published, func(a *content.Article) { a.BodyHTML = "<p>new</p>"; a.Summary = "new" })},
			want:    []Page{{Kind: Article, Lang: "en", ArticleID: 7}, {Kind: Feeds, Lang: "en"}, {Kind: Feeds, Lang: "en", SectionID: 3}, {Kind: SitemapYear, Lang: "en", Year: 2024}},
			wantNot: []Page{{Kind: Home, Lang: "en"}, {Kind: Section, Lang: "en", SectionID: 3}}, wantSize: 6},
		{name: "edit the title", change: ArticleChange{Old: published, New: with(published, func(a *content.Article) { a.Title = "Corrected" })},
			want: listed("en", 7), wantSize: len(listed("en", 7))},
		{name: "move to another section", change: ArticleChange{Old: published, New: with(published, func(a *content.Article) { a.SectionID = 4 })},
			want: append(listed("en", 7), Page{Kind: Section, Lang: "en", SectionID: 4}, Page{Kind: Month, Lang: "en", SectionID: 4, Year: 2024, Month: 6},
				Page{Kind: Feeds, Lang: "en", SectionID: 4}, Page{Kind: Year, Lang: "en", SectionID: 4, Year: 2024})},
		{name: "withdraw", change: ArticleChange{Old: published, New: with(published, func(a *content.Article) { a.Status = content.StatusWithdrawn })},
			want: listed("en", 7), wantSize: len(listed("en", 7))},
		{name: "translate: publish the Chinese version", change: ArticleChange{Old: zhDraft, New: zh, Versions: []content.Article{*published, *zh}},
			want:    append(listed("zh", 8), Page{Kind: Article, Lang: "en", ArticleID: 7}, Page{Kind: SitemapYear, Lang: "en", Year: 2024}),
			wantNot: []Page{{Kind: Home, Lang: "en"}, {Kind: Section, Lang: "en", SectionID: 3}}},
		{name: "withdraw a translation", change: ArticleChange{Old: zh, New: with(zh, func(a *content.Article) { a.Status = content.StatusWithdrawn }), Versions: []content.Article{*published, *zh}},
			want: append(listed("zh", 8), Page{Kind: Article, Lang: "en", ArticleID: 7})},
		{name: "edit a translation's body", change: ArticleChange{Old: zh, New: with(zh, func(a *content.Article) { a.BodyHTML = "x" }), Versions: []content.Article{*published, *zh}},
			wantNot: []Page{{Kind: Article, Lang: "en", ArticleID: 7}}, wantSize: 6},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := ForArticle(site, tree, tt.change, now)
			for _, p := range tt.want {
				if !got.Has(p) {
					t.Errorf("missing %v", p)
				}
			}
			for _, p := range tt.wantNot {
				if got.Has(p) {
					t.Errorf("has %v, which the change does not show on", p)
				}
			}
			if tt.wantSize != 0 || len(tt.want) == 0 {
				if len(got) != tt.wantSize {
					t.Errorf("%d pages; want %d: %v", len(got), tt.wantSize, got.Sorted())
				}
			}
			if got.Everything("en") {
				t.Error("an article change re-renders the whole site")
			}
		})
	}
}

// TestForArticleCostsTheSameAtAnySize: the pages of a publish depend on
// the depth of its section, never on how many articles the site holds.
func TestForArticleCostsTheSameAtAnySize(t *testing.T) {
	tree := content.NewTree(sections())
	a := ForArticle(site, tree, ArticleChange{New: article(7, 3, "en", content.StatusPublished, late)}, now)
	b := ForArticle(site, tree, ArticleChange{New: article(700000, 3, "en", content.StatusPublished, late)}, now)
	if len(a) != len(b) {
		t.Fatalf("%d pages for article 7, %d for article 700000", len(a), len(b))
	}
}

func TestForSection(t *testing.T) {
	old := sections()
	tree := content.NewTree(old)
	change := func(id int64, f func(*content.Section)) ([]content.Section, content.Section, content.Section) {
		next := make([]content.Section, len(old))
		for i, s := range old {
			s.Names = map[string]string{"en": s.Names["en"], "zh": s.Names["zh"]}
			s.Slugs = map[string]string{"en": s.Slugs["en"], "zh": s.Slugs["zh"]}
			next[i] = s
		}
		var before, after content.Section
		for i := range next {
			if next[i].ID == id {
				before = old[i]
				f(&next[i])
				after = next[i]
			}
		}
		return next, before, after
	}
	for _, tt := range []struct {
		name    string
		id      int64
		f       func(*content.Section)
		all     bool
		want    []Page
		wantNot []Page
	}{
		{name: "rename a section outside the navigation", id: 2, f: func(s *content.Section) { s.Names["en"] = "Security Council" },
			want:    []Page{{Kind: Subtree, Lang: "en", SectionID: 2}, {Kind: Section, Lang: "en", SectionID: 1}, {Kind: SitemapLang, Lang: "en"}},
			wantNot: []Page{{Kind: Subtree, Lang: "zh", SectionID: 2}, {Kind: Home, Lang: "en"}}},
		{name: "rename a section of the navigation", id: 1, f: func(s *content.Section) { s.Names["zh"] = "会议" }, all: true},
		{name: "show a section in the navigation", id: 4, f: func(s *content.Section) { s.InNav = true }, all: true},
		{name: "reorder the navigation", id: 5, f: func(s *content.Section) { s.Position = 9 }, all: true},
		{name: "move a section", id: 3, f: func(s *content.Section) { s.ParentID = 4 },
			want: []Page{{Kind: Subtree, Lang: "en", SectionID: 3}, {Kind: Subtree, Lang: "zh", SectionID: 3},
				{Kind: SectionAll, Lang: "en", SectionID: 1}, {Kind: SectionAll, Lang: "en", SectionID: 2}, {Kind: SectionAll, Lang: "en", SectionID: 4},
				{Kind: Section, Lang: "en", SectionID: 2}, {Kind: Section, Lang: "en", SectionID: 4}, {Kind: Home, Lang: "zh"}}},
		{name: "reorder subsections", id: 3, f: func(s *content.Section) { s.Position = 5 },
			want:    []Page{{Kind: Section, Lang: "en", SectionID: 2}, {Kind: Section, Lang: "zh", SectionID: 2}},
			wantNot: []Page{{Kind: Subtree, Lang: "en", SectionID: 3}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			next, before, after := change(tt.id, tt.f)
			got := ForSection(site, tree, content.NewTree(next), before, after)
			if got.Everything("en") != tt.all {
				t.Fatalf("every page = %v; want %v (%v)", got.Everything("en"), tt.all, got.Sorted())
			}
			for _, p := range tt.want {
				if !got.Has(p) {
					t.Errorf("missing %v in %v", p, got.Sorted())
				}
			}
			for _, p := range tt.wantNot {
				if got.Has(p) {
					t.Errorf("has %v", p)
				}
			}
		})
	}
	created := content.Section{ID: 6, SiteID: 1, ParentID: 4, Names: map[string]string{"en": "Briefings", "zh": "吹风会"}, Slugs: map[string]string{"en": "briefings", "zh": "cfh"}}
	got := ForSection(site, tree, content.NewTree(append(sections(), created)), content.Section{}, created)
	if !got.Has(Page{Kind: Section, Lang: "en", SectionID: 4}) || !got.Has(Page{Kind: SitemapLang, Lang: "zh"}) || got.Everything("en") {
		t.Fatalf("a new section under News: %v", got.Sorted())
	}
}

func TestForSite(t *testing.T) {
	summary := site
	summary.FeedSummary = true
	got := ForSite(site, summary)
	if len(got) != 2 || !got.Has(Page{Kind: AllFeeds, Lang: "en"}) || !got.Has(Page{Kind: AllFeeds, Lang: "zh"}) {
		t.Fatalf("feed setting: %v", got.Sorted())
	}
	renamed := site
	renamed.Names = map[string]string{"en": "Permanent Mission", "zh": "代表团"}
	if got := ForSite(site, renamed); !got.Everything("zh") {
		t.Fatalf("site renamed: %v", got.Sorted())
	}
	if got := ForSite(site, site); len(got) != 0 {
		t.Fatalf("no change: %v", got.Sorted())
	}
}
