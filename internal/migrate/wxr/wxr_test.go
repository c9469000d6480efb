package wxr

import (
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/migrate"
)

func read(t testing.TB, name string) migrate.File {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return migrate.File{Name: name, Data: data}
}

// items indexes a parse's items by key and collects its skips and errors.
func items(entries []migrate.Entry) (byKey map[string]*migrate.Item, skips []string, errs []error) {
	byKey = map[string]*migrate.Item{}
	for _, e := range entries {
		switch {
		case e.Item != nil:
			byKey[e.Item.Key] = e.Item
		case e.Skip != "":
			skips = append(skips, e.Skip)
		case e.Err != nil:
			errs = append(errs, e.Err)
		}
	}
	return byKey, skips, errs
}

func TestDetect(t *testing.T) {
	t.Parallel()
	small := read(t, "testdata/small.xml")
	tests := []struct {
		name string
		file string
		head []byte
		want bool
	}{
		{"export", "site.WordPress.2024-05-06.xml", small.Data[:512], true},
		{"upper-case extension", "EXPORT.XML", small.Data[:512], true},
		{"head too short to tell", "export.xml", small.Data[:20], false},
		{"plain RSS feed", "feed.xml", []byte(`<?xml version="1.0"?><rss version="2.0"><channel>`), false},
		{"not xml", "export.txt", small.Data[:512], false},
		{"name only (nil head)", "export.xml", nil, true},
		{"empty head", "export.xml", []byte{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Detect(tt.file, tt.head); got != tt.want {
				t.Errorf("Detect(%q) = %v, want %v", tt.file, got, tt.want)
			}
		})
	}
}

func TestParseSmall(t *testing.T) {
	t.Parallel()
	f := read(t, "testdata/small.xml")
	entries := Parse(f)
	for _, e := range entries {
		if e.File != f.Name {
			t.Errorf("entry File = %q, want %q", e.File, f.Name)
		}
	}
	byKey, skips, errs := items(entries)
	if len(errs) != 0 {
		t.Fatalf("errors: %v", errs)
	}
	wantSkips := []string{`post 90 has status "trash"`, `post type "nav_menu_item"`}
	if !reflect.DeepEqual(skips, wantSkips) {
		t.Errorf("skips = %q, want %q", skips, wantSkips)
	}
	if len(byKey) != 6 {
		t.Errorf("got %d items, want 6", len(byKey))
	}

	tests := []struct {
		key   string
		check func(t *testing.T, it *migrate.Item)
	}{
		{"wxr:101", func(t *testing.T, it *migrate.Item) {
			want := migrate.Item{
				Key:       "wxr:101",
				OldPaths:  []string{"/2024/03/12/ambassador-presents-credentials/"},
				Language:  "en",
				Title:     "Ambassador Orlen Vask Presents Credentials",
				Summary:   "The new Ambassador of Veldoria & his first day.",
				HTML:      true,
				Published: time.Date(2024, 3, 12, 8, 30, 0, 0, time.UTC),
				Sections:  []migrate.SectionRef{{Slug: "news", Name: "Embassy News"}},
				Slug:      "ambassador-presents-credentials",
				Body: "<p>On 11 March, Ambassador Orlen Vask presented his credentials to the Head of State of Marenland.</p>\n" +
					"<p>The Ambassador conveyed the greetings of the people of Veldoria<br>\n" +
					"and expressed the hope that the two harbour cities would soon be twinned.</p>\n" +
					"<blockquote><p>Our rivers run to the same sea.</p></blockquote>\n" +
					"<ul>\n<li>Trade</li>\n<li>Culture</li>\n</ul>",
			}
			if !reflect.DeepEqual(*it, want) {
				t.Errorf("got  %+v\nwant %+v", *it, want)
			}
		}},
		{"wxr:120", func(t *testing.T, it *migrate.Item) {
			// The attachment comes before its post in the file, and the
			// nested category is defined after both.
			wantAtt := []migrate.Attachment{{
				Ref:   "https://veldoria-embassy.example/wp-content/uploads/2024/04/visa-form.pdf",
				Title: "Visa Application Form (PDF)",
			}}
			if !reflect.DeepEqual(it.Attachments, wantAtt) {
				t.Errorf("Attachments = %+v, want %+v", it.Attachments, wantAtt)
			}
			wantSec := []migrate.SectionRef{{Slug: "consular", Name: "Consular Services"}, {Slug: "visas", Name: "Visas & Residence"}}
			if !reflect.DeepEqual(it.Sections, wantSec) {
				t.Errorf("Sections = %+v, want %+v", it.Sections, wantSec)
			}
			if strings.Contains(it.Body, "wp:") || strings.Contains(it.Body, "<p><p") {
				t.Errorf("block comments left or paragraphs doubled: %q", it.Body)
			}
		}},
		{"wxr:130", func(t *testing.T, it *migrate.Item) {
			if !it.Draft || it.Floating || !it.Published.Equal(time.Date(2024, 9, 20, 16, 0, 0, 0, time.UTC)) {
				t.Errorf("scheduled post: Draft %v, Published %v (floating %v)", it.Draft, it.Published, it.Floating)
			}
			if it.OldPaths != nil {
				t.Errorf("?p= link gave OldPaths %q", it.OldPaths)
			}
			if it.Sections != nil {
				t.Errorf("uncategorized gave Sections %+v", it.Sections)
			}
		}},
		{"wxr:150", func(t *testing.T, it *migrate.Item) {
			if it.Slug != "" {
				t.Errorf("percent-encoded Chinese slug gave %q", it.Slug)
			}
		}},
		{"wxr:160", func(t *testing.T, it *migrate.Item) {
			if !it.Draft || !it.Floating || !it.Published.Equal(time.Date(2024, 7, 3, 11, 20, 0, 0, time.UTC)) {
				t.Errorf("draft: Draft %v, Published %v (floating %v)", it.Draft, it.Published, it.Floating)
			}
		}},
		{"wxr:2", func(t *testing.T, it *migrate.Item) {
			if it.Kind != content.KindPage {
				t.Errorf("Kind = %q, want page", it.Kind)
			}
			if !strings.Contains(it.Body, "<pre>Mon–Fri  9:00–12:00\n\nSat      closed</pre>") {
				t.Errorf("preformatted text changed: %q", it.Body)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			it := byKey[tt.key]
			if it == nil {
				t.Fatalf("no item %s", tt.key)
			}
			tt.check(t, it)
		})
	}
}

func TestParseTruncated(t *testing.T) {
	t.Parallel()
	entries := Parse(read(t, "testdata/truncated.xml"))
	byKey, _, errs := items(entries)
	if len(byKey) != 2 || byKey["wxr:101"] == nil || byKey["wxr:120"] == nil {
		t.Errorf("items = %v, want wxr:101 and wxr:120", byKey)
	}
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "truncated XML at line 124") {
		t.Errorf("errors = %v, want one truncation at line 124", errs)
	}
	if last := entries[len(entries)-1]; last.Err == nil {
		t.Errorf("the error is not the last entry")
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	const head = `<?xml version="1.0"?><rss xmlns:wp="http://wordpress.org/export/1.2/">`
	tests := []struct {
		name string
		data string
		want string
	}{
		{"empty", "", "no XML element"},
		{"not rss", `<?xml version="1.0"?><feed></feed>`, "root element is <feed>"},
		{"no channel", head + `</rss>`, "no <channel>"},
		{"bad markup", head + "<channel>\n<item>\n<title>a</titel>\n</item></channel></rss>", "invalid XML at line 3"},
		{"unknown charset", `<?xml version="1.0" encoding="x-nonesuch"?><rss/>`, "invalid XML"},
		{"post without id", head + `<channel><item><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>`, "has no wp:post_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, errs := items(Parse(migrate.File{Name: "x.xml", Data: []byte(tt.data)}))
			if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
				t.Errorf("errors = %v, want one containing %q", errs, tt.want)
			}
		})
	}
}

func TestParseLatin1(t *testing.T) {
	t.Parallel()
	data := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>" +
		`<rss xmlns:wp="http://wordpress.org/export/1.1/"><channel><language>fr-FR</language><item>` +
		"<title>Caf\xe9</title><wp:post_id>7</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status>" +
		`</item></channel></rss>`
	byKey, _, errs := items(Parse(migrate.File{Name: "x.xml", Data: []byte(data)}))
	it := byKey["wxr:7"]
	if len(errs) != 0 || it == nil || it.Title != "Café" || it.Language != "fr" {
		t.Errorf("got %+v, errors %v", it, errs)
	}
}

func TestParseCircularCategories(t *testing.T) {
	t.Parallel()
	data := `<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>
<wp:category><wp:category_nicename>a</wp:category_nicename><wp:category_parent>b</wp:category_parent><wp:cat_name>A</wp:cat_name></wp:category>
<wp:category><wp:category_nicename>b</wp:category_nicename><wp:category_parent>a</wp:category_parent><wp:cat_name>B</wp:cat_name></wp:category>
<item><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status><category domain="category" nicename="a">A</category></item>
</channel></rss>`
	byKey, _, _ := items(Parse(migrate.File{Name: "x.xml", Data: []byte(data)}))
	want := []migrate.SectionRef{{Slug: "b", Name: "B"}, {Slug: "a", Name: "A"}}
	if it := byKey["wxr:1"]; it == nil || !reflect.DeepEqual(it.Sections, want) {
		t.Errorf("got %+v, want sections %+v", it, want)
	}
}

func TestAutop(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"empty", " \n ", ""},
		{"one line", "Hello.", "<p>Hello.</p>"},
		{"two paragraphs", "One.\r\n\r\nTwo.", "<p>One.</p>\n<p>Two.</p>"},
		{"line break", "One\nTwo", "<p>One<br>\nTwo</p>"},
		{"existing paragraphs", "<p>One</p>\n<p>Two</p>", "<p>One</p>\n<p>Two</p>"},
		{"heading then text", "<h3>T</h3>\nText", "<h3>T</h3>\n<p>Text</p>"},
		{"newline inside a tag", "See <a\nhref=\"/x\">this</a>.", "<p>See <a href=\"/x\">this</a>.</p>"},
		{"double br", "One<br><br>Two", "<p>One</p>\n<p>Two</p>"},
		{"block comments", "<!-- wp:paragraph -->\n<p>A</p>\n<!-- /wp:paragraph -->\n\n\n<!-- wp:paragraph -->\n<p>B</p>\n<!-- /wp:paragraph -->", "<p>A</p>\n\n<p>B</p>"},
		{"pre", "<pre>a\n\nb</pre>\n\nc", "<pre>a\n\nb</pre>\n<p>c</p>"},
		{"forged pre mark", "<pre wp-pre-tag-9></pre>", "<pre wp-pre-tag-9></pre>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := autop(tt.in); got != tt.want {
				t.Errorf("autop(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestOldPathAndSlug(t *testing.T) {
	t.Parallel()
	paths := map[string]string{
		"https://e.example/2024/05/01/visit/":        "/2024/05/01/visit/",
		"https://e.example/news/visit":               "/news/visit",
		"https://e.example/news/visit/?lang=en":      "/news/visit/",
		"https://e.example/?p=12":                    "",
		"https://e.example/blog/?page_id=7":          "",
		"https://e.example/":                         "",
		"https://e.example/2024/%E4%B8%AD%E6%96%87/": "/2024/%E4%B8%AD%E6%96%87/",
		"":   "",
		"::": "",
	}
	for link, want := range paths {
		if got := oldPath(link); got != want {
			t.Errorf("oldPath(%q) = %q, want %q", link, got, want)
		}
	}
	slugs := map[string]string{
		"Visit-To-Port-Aurel": "visit-to-port-aurel",
		"visit_2024!":         "visit2024",
		"%e4%b8%ad%e6%96%87":  "",
		"caf%C3%A9":           "",
		"100%":                "100",
	}
	for name, want := range slugs {
		if got := slug(name); got != want {
			t.Errorf("slug(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestParseManyItems checks that a large export parses in linear time: a
// quadratic step would make this test take minutes instead of a second.
func TestParseManyItems(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(`<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel>`)
	const n = 50000
	for i := range n {
		b.WriteString(`<item><wp:post_id>`)
		b.WriteString(strconv.Itoa(i + 2))
		b.WriteString(`</wp:post_id><wp:post_type>attachment</wp:post_type><wp:post_parent>1</wp:post_parent><wp:attachment_url>/a.pdf</wp:attachment_url></item>`)
	}
	b.WriteString(`<item><wp:post_id>1</wp:post_id><wp:post_type>post</wp:post_type><wp:status>publish</wp:status></item></channel></rss>`)
	byKey, _, errs := items(Parse(migrate.File{Name: "x.xml", Data: []byte(b.String())}))
	if len(errs) != 0 || byKey["wxr:1"] == nil || len(byKey["wxr:1"].Attachments) != n {
		t.Errorf("errors %v; item %v", errs, byKey["wxr:1"] != nil)
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/small.xml", "testdata/truncated.xml"} {
		f.Add(read(f, name).Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, e := range Parse(migrate.File{Name: "export.xml", Data: data}) {
			checkEntry(t, e)
		}
	})
}

// checkEntry checks what every entry of every reader must satisfy.
func checkEntry(t *testing.T, e migrate.Entry) {
	t.Helper()
	if err := e.Check(); err != nil {
		t.Fatalf("%v: %+v", err, e)
	}
	if e.File != "export.xml" {
		t.Fatalf("entry File = %q", e.File)
	}
}
