package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// The dates of the fixtures: deliberately not in UTC and with fractions of
// a second, which the formats drop.
var (
	beijing = time.FixedZone("CST", 8*3600)
	day1    = time.Date(2025, 3, 1, 9, 30, 15, 123456789, beijing)
	day2    = time.Date(2025, 3, 2, 18, 5, 0, 0, time.UTC)
	day3    = time.Date(2025, 3, 3, 7, 0, 59, 0, beijing)
)

func englishFeed() Feed {
	const home = "https://embassy.example.org/en/"
	return Feed{
		Title:       "News – Embassy of the Republic of Example",
		Description: "Statements and news from the Embassy.",
		Language:    "en",
		HomeURL:     home,
		RSSURL:      home + "feed.xml",
		AtomURL:     home + "atom.xml",
		JSONURL:     home + "feed.json",
		ID:          "tag:embassy.example.org,2024-01-01:en/feed",
		Publisher:   "Embassy of the Republic of Example",
		Entries: []Entry{
			{
				ID:        "tag:embassy.example.org,2025-03-03:article/3",
				URL:       home + "news/2025/03/ambassador-presents-credentials",
				Title:     "Ambassador presents credentials",
				Summary:   "The Ambassador presented her credentials to the President.",
				HTML:      "<p>The Ambassador presented her credentials.</p>\n<p>The ceremony took place at the palace &amp; lasted an hour.</p>",
				Published: day3,
				Updated:   day3.Add(2 * time.Hour),
				Category:  "News",
			},
			{
				ID:        "tag:embassy.example.org,2025-03-02:article/2",
				URL:       home + "consular/2025/03/visa-hours",
				Title:     "Visa section hours during the holiday",
				Summary:   "The visa section is closed on 5 March.",
				Published: day2,
				Category:  "Consular",
			},
			{
				ID:        "tag:embassy.example.org,2025-03-01:article/1",
				URL:       home + "2025/03/welcome",
				Title:     "Welcome",
				Summary:   "Welcome to our new website.",
				HTML:      "<p>Welcome to our <em>new</em> website.</p>",
				Published: day1,
			},
		},
	}
}

func chineseFeed() Feed {
	const home = "https://embassy.example.org/zh/"
	return Feed{
		Title:     "新闻 – 示例共和国大使馆",
		Language:  "zh",
		HomeURL:   home,
		RSSURL:    home + "feed.xml",
		AtomURL:   home + "atom.xml",
		JSONURL:   home + "feed.json",
		ID:        "tag:embassy.example.org,2024-01-01:zh/feed",
		Publisher: "示例共和国大使馆",
		Updated:   day3.Add(48 * time.Hour),
		Entries: []Entry{
			{
				ID:        "tag:embassy.example.org,2025-03-03:article/30",
				URL:       home + "news/2025/03/30",
				Title:     "外交部发言人答记者问",
				Summary:   "外交部发言人就有关问题答记者问。",
				HTML:      "<h2 id=\"问题\">问题</h2>\n<p>问：请介绍有关情况。</p>\n<p>答：谢谢。</p>",
				Published: day3,
				Updated:   day3.Add(26 * time.Hour),
				Category:  "新闻",
			},
			{
				ID:        "tag:embassy.example.org,2025-03-01:article/29",
				URL:       home + "consular/2025/03/29",
				Title:     "领事证件办理时间调整通知",
				Summary:   "3月5日签证处暂停对外办公。",
				Published: day1,
				Category:  "领事服务",
			},
		},
	}
}

// format names one output format and how gofeed sees it.
type format struct {
	name     string
	render   func(Feed) []byte
	feedType string
	self     func(Feed) string
}

var formats = []format{
	{"RSS", RSS, "rss", func(f Feed) string { return f.RSSURL }},
	{"Atom", Atom, "atom", func(f Feed) string { return f.AtomURL }},
	{"JSON", JSON, "json", func(f Feed) string { return f.JSONURL }},
}

// parse reads out the way a feed reader does, failing the test if it can't.
func parse(t testing.TB, out []byte) *gofeed.Feed {
	t.Helper()
	parsed, err := gofeed.NewParser().ParseString(string(out))
	if err != nil {
		t.Fatalf("gofeed cannot parse the output: %v\n%s", err, out)
	}
	return parsed
}

// wellFormed decodes out with encoding/xml to the end.
func wellFormed(out []byte) error {
	d := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// checkSyntax checks out is well-formed XML (RSS, Atom) or valid JSON.
func checkSyntax(t testing.TB, fm format, out []byte) {
	t.Helper()
	if fm.feedType == "json" {
		if !json.Valid(out) {
			t.Fatalf("%s: invalid JSON:\n%s", fm.name, out)
		}
		return
	}
	if !bytes.HasPrefix(out, []byte(`<?xml version="1.0" encoding="utf-8"?>`)) {
		t.Errorf("%s: output does not begin with the XML declaration: %.60q", fm.name, out)
	}
	if err := wellFormed(out); err != nil {
		t.Fatalf("%s: not well-formed XML: %v\n%s", fm.name, err, out)
	}
}

func sameSecond(t *testing.T, what string, got *time.Time, want time.Time) {
	t.Helper()
	if got == nil {
		t.Errorf("%s: missing, want %v", what, want.UTC())
		return
	}
	if !got.Equal(want.Truncate(time.Second)) {
		t.Errorf("%s = %v, want %v", what, got.UTC(), want.UTC())
	}
}

func TestFormatsRoundTrip(t *testing.T) {
	fixtures := []struct {
		name string
		feed Feed
	}{
		{"English", englishFeed()},
		{"Chinese", chineseFeed()},
	}
	for _, fx := range fixtures {
		for _, fm := range formats {
			t.Run(fx.name+"/"+fm.name, func(t *testing.T) {
				f := fx.feed
				out := fm.render(f)
				checkSyntax(t, fm, out)
				got := parse(t, out)

				if got.FeedType != fm.feedType {
					t.Errorf("feed type = %q, want %q", got.FeedType, fm.feedType)
				}
				if got.Title != f.Title {
					t.Errorf("title = %q, want %q", got.Title, f.Title)
				}
				if got.Language != f.Language {
					t.Errorf("language = %q, want %q", got.Language, f.Language)
				}
				if got.Link != f.HomeURL {
					t.Errorf("link = %q, want %q", got.Link, f.HomeURL)
				}
				if want := fm.self(f); got.FeedLink != want {
					t.Errorf("self link = %q, want %q", got.FeedLink, want)
				}
				if fm.feedType != "rss" { // RSS has no author without an e-mail address
					if len(got.Authors) != 1 || got.Authors[0].Name != f.Publisher {
						t.Errorf("authors = %v, want %q", got.Authors, f.Publisher)
					}
				}
				if fm.feedType != "json" { // JSON Feed has no feed-level date
					sameSecond(t, "feed updated", got.UpdatedParsed, feedUpdated(f))
				}

				if len(got.Items) != len(f.Entries) {
					t.Fatalf("%d items, want %d", len(got.Items), len(f.Entries))
				}
				for i, e := range f.Entries {
					it := got.Items[i] // the order is kept
					if it.GUID != e.ID {
						t.Errorf("item %d: id = %q, want %q", i, it.GUID, e.ID)
					}
					if it.Link != e.URL {
						t.Errorf("item %d: link = %q, want %q", i, it.Link, e.URL)
					}
					if it.Title != e.Title {
						t.Errorf("item %d: title = %q, want %q", i, it.Title, e.Title)
					}
					if it.Description != e.Summary {
						t.Errorf("item %d: summary = %q, want %q", i, it.Description, e.Summary)
					}
					wantContent := e.HTML
					if e.HTML == "" && fm.feedType == "json" {
						wantContent = e.Summary // content_text: every JSON item has content
					}
					if it.Content != wantContent {
						t.Errorf("item %d: content = %q, want %q", i, it.Content, wantContent)
					}
					published, updated := e.Published, e.Updated
					if updated.IsZero() {
						updated = published
					}
					sameSecond(t, fmt.Sprintf("item %d: published", i), it.PublishedParsed, published)
					sameSecond(t, fmt.Sprintf("item %d: updated", i), it.UpdatedParsed, updated)
					var wantCats []string
					if e.Category != "" {
						wantCats = []string{e.Category}
					}
					if fmt.Sprint(it.Categories) != fmt.Sprint(wantCats) {
						t.Errorf("item %d: categories = %q, want %q", i, it.Categories, wantCats)
					}
				}
			})
		}
	}
}

// TestUpdatedEntriesKeepTheirID edits an entry the way an editor does and
// checks a reader would see the same item, changed, not a new one.
func TestUpdatedEntriesKeepTheirID(t *testing.T) {
	for _, fm := range formats {
		t.Run(fm.name, func(t *testing.T) {
			before := chineseFeed()
			after := chineseFeed()
			after.Entries = append([]Entry(nil), after.Entries...)
			edited := &after.Entries[1]
			edited.Title = "领事证件办理时间调整通知（更新）"
			edited.HTML = "<p>更正：3月6日签证处暂停对外办公。</p>"
			edited.Updated = day3.Add(72 * time.Hour)
			after.Updated = edited.Updated

			b, a := parse(t, fm.render(before)), parse(t, fm.render(after))
			for i := range b.Items {
				if a.Items[i].GUID != b.Items[i].GUID || a.Items[i].Link != b.Items[i].Link {
					t.Errorf("item %d: id/link %q %q became %q %q", i,
						b.Items[i].GUID, b.Items[i].Link, a.Items[i].GUID, a.Items[i].Link)
				}
			}
			got := a.Items[1]
			if got.Title != edited.Title || got.Content != edited.HTML {
				t.Errorf("edited item reads %q / %q, want %q / %q", got.Title, got.Content, edited.Title, edited.HTML)
			}
			sameSecond(t, "published", got.PublishedParsed, day1)
			sameSecond(t, "updated", got.UpdatedParsed, edited.Updated)
		})
	}
}

func TestHostileStrings(t *testing.T) {
	cases := []struct {
		name, in, want string
	}{
		{"closing tag and script", "</title><script>alert(1)</script>", "</title><script>alert(1)</script>"},
		{"CDATA end", "a ]]> b <![CDATA[ c", "a ]]> b <![CDATA[ c"},
		{"entities", `&amp; &lt; "quoted" 'single' &#0;`, `&amp; &lt; "quoted" 'single' &#0;`},
		{"control characters", "nul\x00 esc\x1b bell\x07 ok", "nul esc bell ok"},
		{"noncharacters", "a\uFFFEb\uFFFFc", "abc"},
		{"invalid UTF-8", "bad \xff\xfe byte \xe5\xa4", "bad \uFFFD\uFFFD byte \uFFFD\uFFFD"},
		{"Chinese with NUL", "外交部\x00发言人", "外交部发言人"},
		{"comment end", "a --> b <!-- c", "a --> b <!-- c"},
	}
	for _, tc := range cases {
		for _, fm := range formats {
			t.Run(tc.name+"/"+fm.name, func(t *testing.T) {
				f := englishFeed()
				f.Title = tc.in
				f.Publisher = tc.in
				f.Entries = []Entry{{
					ID:        "tag:embassy.example.org,2025-03-01:article/1",
					URL:       "https://embassy.example.org/en/a?x=1&y=2",
					Title:     tc.in,
					Summary:   tc.in,
					HTML:      "<p>" + tc.in + "</p>",
					Published: day1,
					Category:  tc.in,
				}}
				out := fm.render(f)
				checkSyntax(t, fm, out)
				if bytes.Contains(out, []byte("<script>")) {
					t.Errorf("output carries a raw <script>:\n%s", out)
				}
				got := parse(t, out)
				if got.Title != tc.want {
					t.Errorf("title = %q, want %q", got.Title, tc.want)
				}
				it := got.Items[0]
				if it.Title != tc.want || it.Description != tc.want {
					t.Errorf("item title, summary = %q, %q, want %q", it.Title, it.Description, tc.want)
				}
				if want := "<p>" + tc.want + "</p>"; it.Content != want {
					t.Errorf("content = %q, want %q", it.Content, want)
				}
				if len(it.Categories) != 1 || it.Categories[0] != tc.want {
					t.Errorf("categories = %q, want [%q]", it.Categories, tc.want)
				}
				if it.Link != f.Entries[0].URL {
					t.Errorf("link = %q, want %q", it.Link, f.Entries[0].URL)
				}
			})
		}
	}
}

func TestEmptyFeed(t *testing.T) {
	feeds := map[string]Feed{
		"zero value": {},
		"no entries": {
			Title:   "Speeches",
			HomeURL: "https://embassy.example.org/en/speeches/",
			RSSURL:  "https://embassy.example.org/en/speeches/feed.xml",
			AtomURL: "https://embassy.example.org/en/speeches/atom.xml",
			JSONURL: "https://embassy.example.org/en/speeches/feed.json",
		},
	}
	for name, f := range feeds {
		for _, fm := range formats {
			t.Run(name+"/"+fm.name, func(t *testing.T) {
				out := fm.render(f)
				checkSyntax(t, fm, out)
				got := parse(t, out)
				if len(got.Items) != 0 {
					t.Errorf("%d items, want none", len(got.Items))
				}
				if got.Title != f.Title {
					t.Errorf("title = %q, want %q", got.Title, f.Title)
				}
				if fm.feedType != "json" {
					sameSecond(t, "updated", got.UpdatedParsed, time.Unix(0, 0))
				}
				if fm.feedType == "json" && !bytes.Contains(out, []byte(`"items": []`)) {
					t.Errorf("JSON Feed needs an items array, even empty:\n%s", out)
				}
			})
		}
	}
}

func TestDates(t *testing.T) {
	t.Run("feed updated defaults to the newest entry", func(t *testing.T) {
		f := englishFeed() // Updated zero; the first entry was updated latest
		if got, want := feedUpdated(f), day3.Add(2*time.Hour).UTC(); !got.Equal(want) {
			t.Errorf("feedUpdated = %v, want %v", got, want)
		}
		f.Entries[1].Updated = day3.Add(5 * time.Hour) // not in order: the newest still wins
		if got, want := feedUpdated(f), day3.Add(5*time.Hour).UTC(); !got.Equal(want) {
			t.Errorf("feedUpdated = %v, want %v", got, want)
		}
	})
	t.Run("entry defaults", func(t *testing.T) {
		cases := []struct {
			name                string
			in                  Entry
			wantPub, wantUpdate time.Time
		}{
			{"updated zero", Entry{Published: day2}, day2, day2},
			{"published zero", Entry{Updated: day2}, day2, day2},
			{"both zero", Entry{}, time.Unix(0, 0), time.Unix(0, 0)},
			{"updated before published", Entry{Published: day2, Updated: day1}, day2, day2},
			{"both set", Entry{Published: day1, Updated: day2}, day1, day2},
		}
		for _, tc := range cases {
			p, u := entryDates(tc.in)
			if !p.Equal(tc.wantPub) || !u.Equal(tc.wantUpdate) || p.Location() != time.UTC || u.Location() != time.UTC {
				t.Errorf("%s: entryDates = %v, %v; want %v, %v in UTC", tc.name, p, u, tc.wantPub, tc.wantUpdate)
			}
		}
	})
	t.Run("layouts", func(t *testing.T) {
		f := Feed{Updated: day1, Entries: []Entry{{Published: day1, Updated: day3}}}
		rss, atom, js := string(RSS(f)), string(Atom(f)), string(JSON(f))
		for _, want := range []string{
			"<lastBuildDate>Sat, 01 Mar 2025 01:30:15 +0000</lastBuildDate>",
			"<pubDate>Sat, 01 Mar 2025 01:30:15 +0000</pubDate>",
			"<atom:updated>2025-03-02T23:00:59Z</atom:updated>",
		} {
			if !strings.Contains(rss, want) {
				t.Errorf("RSS lacks %s:\n%s", want, rss)
			}
		}
		for _, want := range []string{
			"<updated>2025-03-01T01:30:15Z</updated>",
			"<published>2025-03-01T01:30:15Z</published>",
			"<updated>2025-03-02T23:00:59Z</updated>",
		} {
			if !strings.Contains(atom, want) {
				t.Errorf("Atom lacks %s:\n%s", want, atom)
			}
		}
		for _, want := range []string{
			`"date_published": "2025-03-01T01:30:15Z"`,
			`"date_modified": "2025-03-02T23:00:59Z"`,
		} {
			if !strings.Contains(js, want) {
				t.Errorf("JSON lacks %s:\n%s", want, js)
			}
		}
	})
}

// TestMarkup checks the parts of each format a reader's parser may not
// expose: namespaces, guid, text construct types.
func TestMarkup(t *testing.T) {
	f := englishFeed()
	rss, atom, js := string(RSS(f)), string(Atom(f)), string(JSON(f))
	checks := []struct {
		name, out string
		want      []string
	}{
		{"RSS", rss, []string{
			`<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/">`,
			`<atom:link rel="self" type="application/rss+xml" href="https://embassy.example.org/en/feed.xml">`,
			`<guid isPermaLink="false">tag:embassy.example.org,2025-03-03:article/3</guid>`,
			`<content:encoded>&lt;p&gt;The Ambassador`,
		}},
		{"Atom", atom, []string{
			`<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">`,
			`<id>tag:embassy.example.org,2024-01-01:en/feed</id>`,
			`<link rel="alternate" type="text/html" href="https://embassy.example.org/en/">`,
			`<link rel="self" type="application/atom+xml" href="https://embassy.example.org/en/atom.xml">`,
			`<summary type="text">The Ambassador presented`,
			`<content type="html">&lt;p&gt;The Ambassador`,
			`<category term="Consular">`,
		}},
		{"JSON", js, []string{
			`"version": "https://jsonfeed.org/version/1.1"`,
			`"content_text": "The visa section is closed on 5 March."`,
			`"tags": [`,
		}},
	}
	for _, c := range checks {
		for _, w := range c.want {
			if !strings.Contains(c.out, w) {
				t.Errorf("%s lacks %s:\n%s", c.name, w, c.out)
			}
		}
	}
	// Entries without HTML carry no content element in the XML formats.
	if n := strings.Count(rss, "<content:encoded>"); n != 2 {
		t.Errorf("RSS has %d content:encoded, want 2", n)
	}
	if n := strings.Count(atom, `<content type="html">`); n != 2 {
		t.Errorf("Atom has %d content, want 2", n)
	}
	var doc struct {
		Items []map[string]any `json:"items"`
	}
	if err := json.Unmarshal([]byte(js), &doc); err != nil {
		t.Fatal(err)
	}
	for i, it := range doc.Items {
		_, hasHTML := it["content_html"]
		_, hasText := it["content_text"]
		if hasHTML == hasText || hasHTML != (f.Entries[i].HTML != "") {
			t.Errorf("JSON item %d: content_html %v, content_text %v", i, hasHTML, hasText)
		}
	}
}

func TestDeterministic(t *testing.T) {
	for _, fm := range formats {
		a, b := fm.render(chineseFeed()), fm.render(chineseFeed())
		if !bytes.Equal(a, b) {
			t.Errorf("%s: two renderings of the same feed differ", fm.name)
		}
	}
}

func TestFallbacks(t *testing.T) {
	f := Feed{
		Title:   "Press releases",
		AtomURL: "https://embassy.example.org/en/press/atom.xml",
		Entries: []Entry{{URL: "https://embassy.example.org/en/press/1", Title: "One", Published: day1}},
	}
	for _, fm := range formats {
		got := parse(t, fm.render(f))
		if got.Items[0].GUID != f.Entries[0].URL {
			t.Errorf("%s: id of an entry without ID = %q, want its URL", fm.name, got.Items[0].GUID)
		}
		if fm.feedType == "rss" && got.Description != f.Title {
			t.Errorf("RSS description = %q, want the title", got.Description)
		}
		if fm.feedType != "rss" && (len(got.Authors) != 1 || got.Authors[0].Name != f.Title) {
			t.Errorf("%s: author of a feed without Publisher = %v, want the title", fm.name, got.Authors)
		}
	}
	if a := string(Atom(f)); !strings.Contains(a, "<id>"+f.AtomURL+"</id>") {
		t.Errorf("Atom id of a feed without ID is not its AtomURL:\n%s", a)
	}
}

func TestClean(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"tab\tnl\ncr\r", "tab\tnl\ncr\r"},
		{"\x00\x01\x08\x0b\x0c\x1f\x7f", "\x7f"}, // DEL is allowed in XML 1.0
		{"\ufffe\uffff\ufffd", "\ufffd"},
		{"\xed\xa0\x80", "\ufffd\ufffd\ufffd"}, // an encoded surrogate is invalid UTF-8
		{"外交部\xc0", "外交部\ufffd"},
		{"\U0001F600 emoji", "\U0001F600 emoji"},
	}
	for _, tc := range cases {
		if got := clean(tc.in); got != tc.want {
			t.Errorf("clean(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestTagURI(t *testing.T) {
	cases := []struct {
		host     string
		date     time.Time
		specific string
		want     string
	}{
		{"embassy.example.org", time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC), "article/123",
			"tag:embassy.example.org,2025-03-01:article/123"},
		// 07:00 in Beijing on 1 March is still 28 February in UTC.
		{"embassy.example.org", time.Date(2025, 3, 1, 7, 0, 0, 0, beijing), "article/123",
			"tag:embassy.example.org,2025-02-28:article/123"},
		{"Embassy.Example.ORG.", day2, "feed", "tag:embassy.example.org,2025-03-02:feed"},
		{"localhost:8080", day2, "zh/feed", "tag:localhost,2025-03-02:zh/feed"},
		{"example.org", day2, "a b%c#d", "tag:example.org,2025-03-02:a%20b%25c%23d"},
		{"example.org", day2, "新闻?x=1&y=@:", "tag:example.org,2025-03-02:%E6%96%B0%E9%97%BB?x=1&y=@:"},
	}
	for _, tc := range cases {
		if got := TagURI(tc.host, tc.date, tc.specific); got != tc.want {
			t.Errorf("TagURI(%q, %v, %q) = %q, want %q", tc.host, tc.date, tc.specific, got, tc.want)
		}
	}
}

func FuzzFeeds(f *testing.F) {
	f.Add("News", "en", "https://e.org/", "Title", "Summary", "<p>body</p>", "Section", int64(1740000000))
	f.Add("外交部发言人答记者问", "zh", "https://e.org/zh/", "外交部发言人答记者问", "答记者问", "<p>问：</p>", "新闻", int64(0))
	f.Add("</title><script>", "\x00", "]]>", "\x1b\xff", "a\uFFFEb", "<![CDATA[x]]>", "&amp;", int64(-1))
	f.Add("", "", "", "", "", "", "", int64(253402300799))
	f.Fuzz(func(t *testing.T, title, lang, url, entryTitle, summary, html, category string, unix int64) {
		// Years outside 0000–9999 have no RFC 3339 form; keep the dates in range.
		date := time.Unix(unix%253402300799, 0)
		if date.Year() < 1 {
			date = time.Unix(0, 0)
		}
		fd := Feed{
			Title: title, Description: summary, Language: lang, HomeURL: url,
			RSSURL: url, AtomURL: url, JSONURL: url, ID: url, Publisher: title,
			Entries: []Entry{
				{ID: url, URL: url, Title: entryTitle, Summary: summary, HTML: html,
					Published: date, Updated: date.Add(time.Hour), Category: category},
				{Title: title, Summary: html, Published: date},
			},
		}
		for _, fm := range formats {
			out := fm.render(fd)
			if fm.feedType == "json" {
				if !json.Valid(out) {
					t.Fatalf("invalid JSON:\n%s", out)
				}
				continue
			}
			if err := wellFormed(out); err != nil {
				t.Fatalf("%s: not well-formed XML: %v\n%s", fm.name, err, out)
			}
		}
	})
}

// benchFeed is 20 entries with about 5 KB of HTML each.
func benchFeed() Feed {
	para := "<p>" + strings.Repeat("The Ambassador met the Minister &amp; discussed trade. 大使会见部长。", 4) + "</p>\n"
	body := strings.Repeat(para, 5*1024/len(para)+1)
	f := englishFeed()
	f.Entries = nil
	for i := range 20 {
		f.Entries = append(f.Entries, Entry{
			ID:        TagURI("embassy.example.org", day1, fmt.Sprintf("article/%d", i)),
			URL:       fmt.Sprintf("https://embassy.example.org/en/news/2025/03/article-%d", i),
			Title:     fmt.Sprintf("Article %d", i),
			Summary:   "The Ambassador met the Minister.",
			HTML:      body,
			Published: day1.Add(time.Duration(i) * time.Hour),
			Category:  "News",
		})
	}
	return f
}

func BenchmarkRSS(b *testing.B) {
	f := benchFeed()
	b.ReportAllocs()
	for b.Loop() {
		RSS(f)
	}
}

func BenchmarkAtom(b *testing.B) {
	f := benchFeed()
	b.ReportAllocs()
	for b.Loop() {
		Atom(f)
	}
}

func BenchmarkJSON(b *testing.B) {
	f := benchFeed()
	b.ReportAllocs()
	for b.Loop() {
		JSON(f)
	}
}
