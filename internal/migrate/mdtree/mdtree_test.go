package mdtree

import (
	"os"
	"path"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"chancery/internal/content"
	"chancery/internal/migrate"
)

// read reads a fixture under testdata/<tree>, named as the importer names
// it: by its path inside the tree.
func read(t testing.TB, tree, name string) migrate.File {
	t.Helper()
	data, err := os.ReadFile(path.Join("testdata", tree, name))
	if err != nil {
		t.Fatal(err)
	}
	return migrate.File{Name: name, Data: data}
}

// parseOne parses a file that must give exactly one entry.
func parseOne(t *testing.T, f migrate.File) migrate.Entry {
	t.Helper()
	entries := Parse(f)
	if len(entries) != 1 {
		t.Fatalf("Parse(%s) gave %d entries, want 1", f.Name, len(entries))
	}
	if entries[0].File != f.Name {
		t.Errorf("entry File = %q, want %q", entries[0].File, f.Name)
	}
	return entries[0]
}

func TestDetect(t *testing.T) {
	t.Parallel()
	tests := map[string]bool{
		"content/news/x.md":            true,
		"_posts/2024-01-01-x.markdown": true,
		"README.MD":                    true,
		"content/news/x.html":          false,
		"notes.txt":                    false,
	}
	for name, want := range tests {
		if got := Detect(name, nil); got != want {
			t.Errorf("Detect(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestParseFixtures(t *testing.T) {
	t.Parallel()
	floating := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		tree, name string
		want       migrate.Item
	}{
		{"hugo", "content/news/2024/lantern-festival.md", migrate.Item{
			Key:       "md:content/news/2024/lantern-festival.md",
			OldPaths:  []string{"/news/2024/lantern-festival-2024/", "/archive/2024/lantern.html", "/news/2024/lantern-old/"},
			Title:     "Embassy Celebrates the Lantern Festival",
			Summary:   "Friends of Veldoria gathered at the residence.",
			Body:      "More than two hundred guests gathered at the Ambassador's residence in Port Aurel\nto light lanterns for the new year.\n\n# Music and Lights\n\n- The Veldorian Harbour Choir sang three folk songs.\n- Children folded paper boats.\n",
			Published: time.Date(2024, 2, 24, 18, 30, 0, 0, time.UTC),
			Sections:  []migrate.SectionRef{{Slug: "embassy-news", Name: "Embassy News"}},
			Slug:      "lantern-festival-2024",
		}},
		{"hugo", "content/news/2024/trade-fair.md", migrate.Item{ // TOML, local date-time
			Key:       "md:content/news/2024/trade-fair.md",
			OldPaths:  []string{"/news/2024/trade-fair/"},
			Title:     "Veldorian Firms at the Marenland Trade Fair",
			Summary:   "Twelve companies showed their wares.",
			Body:      "Twelve Veldorian companies exhibited at this year's trade fair, from salt makers\nto shipwrights.\n",
			Published: floating(2024, 4, 18, 10, 0),
			Floating:  true,
			Sections:  []migrate.SectionRef{{Slug: "news", Name: "news"}},
		}},
		{"hugo", "content/news/2024/consular-hours.md", migrate.Item{ // JSON, draft
			Key:       "md:content/news/2024/consular-hours.md",
			OldPaths:  []string{"/news/2024/consular-hours/"},
			Kind:      content.KindPressRelease,
			Title:     "Summer Opening Hours of the Consular Section",
			Body:      "From 1 July to 31 August the consular section opens from 9:00 to 12:00.\n",
			Published: floating(2024, 6, 20, 0, 0),
			Floating:  true,
			Draft:     true,
			Sections:  []migrate.SectionRef{{Slug: "news", Name: "news"}},
		}},
		{"hugo", "content/statements/water-accord.md", migrate.Item{
			Key:          "md:content/statements/water-accord.md",
			OldPaths:     []string{"/statements/water-accord/"},
			Kind:         content.KindStatement,
			Title:        "Statement on the Regional Water Accord",
			Body:         "Veldoria welcomes the signing of the Regional Water Accord by the five river states.\n",
			Published:    time.Date(2024, 5, 2, 13, 0, 0, 0, time.UTC),
			Sections:     []migrate.SectionRef{{Slug: "statements", Name: "statements"}},
			Translations: []string{"md-translation:water-accord"},
		}},
		{"hugo", "content/statements/water-accord.zh.md", migrate.Item{
			Key:          "md:content/statements/water-accord.zh.md",
			OldPaths:     []string{"/zh/statements/water-accord/"},
			Language:     "zh",
			Kind:         content.KindStatement,
			Title:        "关于地区水资源协定的声明",
			Body:         "维尔多利亚欢迎五个沿河国家签署地区水资源协定。\n",
			Published:    time.Date(2024, 5, 2, 13, 0, 0, 0, time.UTC),
			Sections:     []migrate.SectionRef{{Slug: "statements", Name: "statements"}},
			Translations: []string{"md-translation:water-accord"},
		}},
		{"hugo", "content/about/index.md", migrate.Item{ // page bundle at the top
			Key:       "md:content/about/index.md",
			OldPaths:  []string{"/about/"},
			Kind:      content.KindPage,
			Title:     "About the Embassy",
			Body:      "The Embassy of Veldoria stands at 12 Lantern Street, Port Aurel.\n",
			Published: floating(2023, 11, 1, 0, 0),
			Floating:  true,
		}},
		{"jekyll", "_posts/2023-10-09-national-day-reception.md", migrate.Item{ // date from the name
			Key:       "md:_posts/2023-10-09-national-day-reception.md",
			OldPaths:  []string{"/events/2023/10/09/national-day-reception.html"},
			Title:     "National Day Reception",
			Body:      "The Embassy marked Veldoria's National Day with a reception for three hundred guests.\n",
			Published: floating(2023, 10, 9, 0, 0),
			Floating:  true,
			Sections:  []migrate.SectionRef{{Slug: "events", Name: "events"}},
		}},
		{"jekyll", "_posts/2023-12-01-new-consul.markdown", migrate.Item{ // published: false
			Key:       "md:_posts/2023-12-01-new-consul.markdown",
			OldPaths:  []string{"/2023/12/01/new-consul.html"},
			Title:     "A New Consul in Port Aurel",
			Body:      "Ms Ilsa Dorn has taken up her post as Consul.\n",
			Published: time.Date(2023, 12, 1, 8, 30, 0, 0, time.UTC),
			Draft:     true,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseOne(t, read(t, tt.tree, tt.name))
			if e.Item == nil {
				t.Fatalf("no item: %+v", e)
			}
			if !reflect.DeepEqual(*e.Item, tt.want) {
				t.Errorf("got  %+v\nwant %+v", *e.Item, tt.want)
			}
		})
	}
}

func TestParseSkipsAndErrors(t *testing.T) {
	t.Parallel()
	bomb := "---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		bomb += n + ": &" + n + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
		prev = n
	}
	bomb += "---\nboom\n"
	tests := []struct {
		name, file, data string
		skip, err        string
	}{
		{"section page", "content/news/_index.md", "---\ntitle: News\n---\n", "section page", ""},
		{"translated section page", "content/news/_index.zh.md", "", "section page", ""},
		{"broken YAML fixture", "content/statements/broken.md", "", "", "line 5: front matter is not valid YAML"},
		{"no front matter", "x.md", "# Title\n\nText", "", "no front matter"},
		{"unclosed YAML", "x.md", "---\ntitle: x\n\ntext", "", `front matter is not closed: no "---" line`},
		{"bad YAML line", "x.md", "---\ntitle: x\n  bad: [\n---\n", "", "line 3: front matter is not valid YAML"},
		{"YAML list", "x.md", "---\n- a\n- b\n---\n", "", "line 2: front matter is not a YAML mapping"},
		{"bad TOML", "x.md", "+++\ntitle = \"x\"\ndate = = 1\n+++\n", "", "line 3: front matter is not valid TOML"},
		{"bad JSON", "x.md", "{\n\"title\": \"x\",\n}\n", "", "line 3: front matter is not valid JSON"},
		{"bad date", "x.md", "---\ndate: next Tuesday\n---\n", "", `date "next Tuesday" is not a date`},
		{"too long", "x.md", "---\n" + strings.Repeat("k: v\n", 20000) + "---\n", "", "front matter is longer than 64 KiB"},
		{"JSON too long", "x.md", "{\"t\": \"" + strings.Repeat("v", 70000) + "\"}\n", "", "front matter is longer than 64 KiB"},
		{"billion laughs", "x.md", bomb, "", "front matter is not valid YAML"},
		{"nested inline tables", "x.md", "+++\na = " + strings.Repeat("{a=", 20000) + "\n+++\n", "", "more than 32 levels deep"},
		{"dotted key", "x.md", "+++\n" + strings.Repeat("a.", 16000) + "a = 1\n+++\n", "", "more than 32 levels deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := migrate.File{Name: tt.file, Data: []byte(tt.data)}
			if tt.data == "" && tt.file != "content/news/_index.zh.md" {
				f = read(t, "hugo", tt.file)
			}
			start := time.Now()
			e := parseOne(t, f)
			if d := time.Since(start); d > time.Second {
				t.Errorf("took %v", d)
			}
			switch {
			case tt.skip != "" && e.Skip != tt.skip:
				t.Errorf("got %+v, want skip %q", e, tt.skip)
			case tt.err != "" && (e.Err == nil || !strings.Contains(e.Err.Error(), tt.err)):
				t.Errorf("got %+v (error %v), want error containing %q", e, e.Err, tt.err)
			}
		})
	}
}

func TestParseFields(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, file, data string
		check            func(*migrate.Item) bool
	}{
		{"case-insensitive keys", "x.md", "---\nTitle: T\nDRAFT: true\n---\n", func(it *migrate.Item) bool { return it.Title == "T" && it.Draft }},
		{"numeric title", "x.md", "---\ntitle: 2024\n---\n", func(it *migrate.Item) bool { return it.Title == "2024" }},
		{"zoned string date", "x.md", "---\ndate: \"2024-05-01T08:00:00+08:00\"\n---\n", func(it *migrate.Item) bool {
			return !it.Floating && it.Published.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
		}},
		{"minute date", "x.md", "---\ndate: 2024-05-01 08:15\n---\n", func(it *migrate.Item) bool {
			return it.Floating && it.Published.Equal(time.Date(2024, 5, 1, 8, 15, 0, 0, time.UTC))
		}},
		{"TOML offset date", "x.md", "+++\ndate = 2024-05-01T08:00:00+08:00\n+++\n", func(it *migrate.Item) bool {
			return !it.Floating && it.Published.Equal(time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))
		}},
		{"language", "x.md", "---\nlanguage: zh-Hans\n---\n", func(it *migrate.Item) bool { return it.Language == "zh" }},
		{"url", "x.md", "---\nurl: https://old.example/news/visit.html?x=1\n---\n", func(it *migrate.Item) bool {
			return reflect.DeepEqual(it.OldPaths, []string{"/news/visit.html"})
		}},
		{"permalink pattern", "page.md", "---\npermalink: /:categories/:title/\n---\n", func(it *migrate.Item) bool {
			return reflect.DeepEqual(it.OldPaths, []string{"/page/"})
		}},
		{"section over categories", "content/news/x.md", "---\nsection: Press Releases\ncategories: Events\n---\n", func(it *migrate.Item) bool {
			return reflect.DeepEqual(it.Sections, []migrate.SectionRef{{Slug: "press-releases", Name: "Press Releases"}})
		}},
		{"first category", "x.md", "---\ncategories: [Visits, Trade]\n---\n", func(it *migrate.Item) bool {
			return reflect.DeepEqual(it.Sections, []migrate.SectionRef{{Slug: "visits", Name: "Visits"}})
		}},
		{"tree without content/", "news/x.md", "---\ntitle: x\n---\n", func(it *migrate.Item) bool {
			return it.Sections[0].Slug == "news" && it.OldPaths[0] == "/news/x/"
		}},
		{"file at the top", "x.md", "---\ntitle: x\n---\n", func(it *migrate.Item) bool { return it.Sections == nil && it.OldPaths[0] == "/x/" }},
		{"home page content", "content/index.md", "---\ntitle: x\n---\n", func(it *migrate.Item) bool { return it.OldPaths == nil && it.Sections == nil }},
		{"news kind is the default", "x.md", "---\ntype: news\n---\n", func(it *migrate.Item) bool { return it.Kind == "" }},
		{"unknown kind", "x.md", "---\ntype: post\n---\n", func(it *migrate.Item) bool { return it.Kind == "" }},
		{"Jekyll draft folder", "_drafts/visit.md", "---\ntitle: x\n---\n", func(it *migrate.Item) bool { return it.Draft && it.OldPaths == nil }},
		{"CRLF", "x.md", "---\r\ntitle: x\r\n---\r\nBody\r\n", func(it *migrate.Item) bool { return it.Title == "x" && it.Body == "Body\r\n" }},
		{"TOML brackets in strings and comments", "x.md", "+++\n" +
			`title = "` + strings.Repeat("[{.", 40) + `" # ` + strings.Repeat("[", 40) + "\n" +
			"slug = '''" + strings.Repeat("{", 40) + "'''\n" +
			`summary = "\"["` + "\n+++\n", func(it *migrate.Item) bool {
			return it.Slug == strings.Repeat("{", 40) && it.Summary == `"[`
		}},
		{"byte order mark", "x.md", "\ufeff+++\ntitle = \"x\"\n+++\n", func(it *migrate.Item) bool { return it.Title == "x" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseOne(t, migrate.File{Name: tt.file, Data: []byte(tt.data)})
			if e.Item == nil || !tt.check(e.Item) {
				t.Errorf("got %+v (error %v)", e.Item, e.Err)
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	for _, fx := range []struct{ tree, name string }{
		{"hugo", "content/news/2024/lantern-festival.md"},
		{"hugo", "content/news/2024/trade-fair.md"},
		{"hugo", "content/news/2024/consular-hours.md"},
		{"hugo", "content/statements/water-accord.zh.md"},
		{"hugo", "content/statements/broken.md"},
		{"jekyll", "_posts/2023-10-09-national-day-reception.md"},
	} {
		file := read(f, fx.tree, fx.name)
		f.Add(file.Name, file.Data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if !utf8.ValidString(name) {
			return // the importer gives readers names as text (validNames)
		}
		entries := Parse(migrate.File{Name: name, Data: data})
		if len(entries) != 1 {
			t.Fatalf("%d entries", len(entries))
		}
		checkEntry(t, entries[0], name)
	})
}

// checkEntry checks what every entry of every reader must satisfy.
func checkEntry(t *testing.T, e migrate.Entry, name string) {
	t.Helper()
	if err := e.Check(); err != nil {
		t.Fatalf("%v: %+v", err, e)
	}
	if e.File != name {
		t.Fatalf("entry File = %q, want %q", e.File, name)
	}
}
