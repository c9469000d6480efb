package benchdata

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/store"
	"chancery/internal/store/sqlite"
)

func generate(t *testing.T, o Options) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "chancery.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := Generate(context.Background(), st, o, nil); err != nil {
		t.Fatal(err)
	}
	return st
}

func allArticles(t *testing.T, st store.Store) []content.Article {
	t.Helper()
	list, err := st.Articles(context.Background(), store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := make([]content.Article, len(list))
	for i, a := range list {
		if out[i], err = st.Article(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestDeterministic(t *testing.T) {
	a := allArticles(t, generate(t, Options{Articles: 300}))
	b := allArticles(t, generate(t, Options{Articles: 300}))
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d and %d articles", len(a), len(b))
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Language != y.Language || x.Title != y.Title || x.Path != y.Path || !x.PublishedAt.Equal(y.PublishedAt) || x.Body != y.Body {
			t.Fatalf("article %d differs between two runs:\n%+v\n%+v", i, x, y)
		}
	}
	c := allArticles(t, generate(t, Options{Articles: 300, Seed: 2}))
	same := 0
	for i := range min(len(a), len(c)) {
		if a[i].Title == c[i].Title {
			same++
		}
	}
	if same > len(a)/10 {
		t.Fatalf("another seed gave %d of %d identical titles", same, len(a))
	}
}

func TestNetworkShape(t *testing.T) {
	ctx := context.Background()
	st := generate(t, Options{Articles: 1000})
	site, err := st.SiteByKey(ctx, SiteKey)
	if err != nil || site.Hosts[0] != DefaultHost || len(site.Languages) != 2 {
		t.Fatalf("site = %+v, %v", site, err)
	}
	arts := allArticles(t, st)
	groups := map[int64][]string{}
	years := map[int]bool{}
	bySection := map[int64]int{}
	for _, a := range arts {
		groups[a.TranslationGroup] = append(groups[a.TranslationGroup], a.Language)
		years[a.PublishedAt.Year()] = true
		bySection[a.SectionID]++
		if a.Status != content.StatusPublished || a.Path == "" {
			t.Fatalf("article %d is %s at %q", a.ID, a.Status, a.Path)
		}
		text := []rune(a.Body)
		switch a.Language {
		case "en":
			if n := len(strings.Fields(a.Body)); n < 200 || n > 800 {
				t.Errorf("English body of %d has %d words", a.ID, n)
			}
		case "zh":
			han := 0
			for _, r := range text {
				if unicode.Is(unicode.Han, r) {
					han++
				}
			}
			if han < 300 || !strings.ContainsFunc(a.Title, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
				t.Errorf("Chinese article %d: %d Han characters, title %q", a.ID, han, a.Title)
			}
		}
		if !utf8.ValidString(a.Body) || a.BodyHTML == "" {
			t.Fatalf("article %d has no rendered body", a.ID)
		}
	}
	if len(groups) != 1000 {
		t.Fatalf("%d pieces; want 1000", len(groups))
	}
	both := 0
	for _, langs := range groups {
		if len(langs) == 2 {
			both++
		}
	}
	if both < 800 || both == 1000 {
		t.Fatalf("%d of 1000 pieces in both languages; want most, not all", both)
	}
	if len(years) < 10 {
		t.Fatalf("articles span %d years; want at least 10", len(years))
	}
	sections, _ := st.Sections(ctx, site.ID)
	tree := content.NewTree(sections)
	for _, s := range sections {
		n := 0
		for _, id := range tree.Subtree(s.ID) {
			n += bySection[id]
		}
		if n == 0 {
			t.Errorf("section %s has no articles", s.Slugs["en"])
		}
	}
	if nav := tree.Nav(); len(nav) != 5 {
		t.Fatalf("navigation has %d sections; want the reference's five", len(nav))
	}
	if last := arts[0].PublishedAt; last.After(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("an article is published at %v, after the generated period", last)
	}
}

func TestTitlesAreDistinct(t *testing.T) {
	o, err := Options{Articles: 10000}.normalize()
	if err != nil {
		t.Fatal(err)
	}
	c := newComposer()
	seen := map[string]bool{}
	english := 0
	for i := range o.Articles {
		p := c.build(&o, i, o.Articles)
		if p.has[0] {
			english++
			seen[p.text[0].title] = true
		}
	}
	if float64(len(seen)) < 0.95*float64(english) {
		t.Fatalf("%d distinct English titles of %d", len(seen), english)
	}
}

func TestOptionsRefused(t *testing.T) {
	for _, o := range []Options{{Articles: -1}, {Articles: 10, Languages: []string{"fr"}}, {Articles: 10, Languages: []string{"en", "en"}}} {
		st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "chancery.db"))
		if err != nil {
			t.Fatal(err)
		}
		if err := Generate(context.Background(), st, o, nil); err == nil {
			t.Errorf("options %+v accepted", o)
		}
		if empty, _ := st.Empty(context.Background()); !empty {
			t.Errorf("options %+v wrote something", o)
		}
		st.Close()
	}
}
