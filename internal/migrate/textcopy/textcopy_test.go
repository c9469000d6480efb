package textcopy

import (
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	textunicode "golang.org/x/text/encoding/unicode"

	"chancery/internal/migrate"
)

// seed is the reference page: a page copied from a real mission site, as
// the project's shared corpus holds it (testdata/README.md).
const seed = "testdata/reference.txt"

func read(t testing.TB, name string) migrate.File {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return migrate.File{Name: name, Data: data}
}

// parseItem parses a file that must give one item.
func parseItem(t *testing.T, f migrate.File) *migrate.Item {
	t.Helper()
	entries := Parse(f)
	if len(entries) != 1 || entries[0].File != f.Name {
		t.Fatalf("Parse(%s) = %+v, want one entry of that file", f.Name, entries)
	}
	if entries[0].Item == nil {
		t.Fatalf("Parse(%s): no item: %v", f.Name, entries[0].Err)
	}
	return entries[0].Item
}

func TestParseSeed(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	it := parseItem(t, migrate.File{Name: "000_f2f16d151fcc7faf.txt", Data: data})
	if want := "Xi Jinping Speaks with Iranian President Ebrahim Raisi on the Phone"; it.Title != want {
		t.Errorf("Title = %q, want %q", it.Title, want)
	}
	if want := time.Date(2022, 7, 29, 23, 45, 0, 0, time.UTC); !it.Published.Equal(want) || !it.Floating {
		t.Errorf("Published = %v (floating %v), want %v floating", it.Published, it.Floating, want)
	}
	if want := []migrate.SectionRef{{Slug: "china-news", Name: "China News"}}; !reflect.DeepEqual(it.Sections, want) {
		t.Errorf("Sections = %+v, want %+v", it.Sections, want)
	}
	if it.Language != "en" || it.Key != "text:000_f2f16d151fcc7faf.txt" || it.HTML || it.OldPaths != nil {
		t.Errorf("Language %q, Key %q, HTML %v, OldPaths %q", it.Language, it.Key, it.HTML, it.OldPaths)
	}
	if n := len(strings.Split(strings.TrimSpace(it.Body), "\n\n")); n != 4 {
		t.Errorf("body has %d paragraphs, want 4", n)
	}
	if !strings.HasPrefix(it.Body, "On the afternoon of July 29, 2022") {
		t.Errorf("body begins %q", it.Body[:min(len(it.Body), 60)])
	}
	for _, no := range []string{"Meetings & Statements", "Suggest to a friend", "中文", "Home >"} {
		if strings.Contains(it.Body, no) {
			t.Errorf("body contains %q", no)
		}
	}
	if !strings.HasSuffix(it.Body, "at large.\n") {
		t.Errorf("body ends %q", it.Body[max(0, len(it.Body)-40):])
	}
}

// zhBody is what testdata/zh.txt's body must read as Markdown.
const zhBody = "5月18日，维尔多利亚驻马伦兰大使馆举办首个使馆开放日，三百余名港口城市奥雷尔的民众走进使馆。\n\n" +
	"维斯克大使在致辞中表示，使馆的大门向马伦兰朋友敞开，希望两国人民像两条河流一样汇入同一片大海。\n\n" +
	"1\\. 参观者在花园里放飞了纸灯笼。\n\n" +
	"\\#开放日# 话题在当地社交媒体上受到关注。\n"

func TestParseChinese(t *testing.T) {
	t.Parallel()
	utf := read(t, "testdata/zh.txt")
	gb, err := simplifiedchinese.GB18030.NewEncoder().Bytes(utf.Data)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := textunicode.UTF16(textunicode.LittleEndian, textunicode.UseBOM).NewEncoder().Bytes(utf.Data)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"UTF-8", utf.Data},
		{"GB18030", gb},
		{"UTF-16 with BOM", u16},
		{"CRLF", []byte(strings.ReplaceAll(string(utf.Data), "\n", "\r\n"))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := migrate.File{Name: "zh.txt", Data: tt.data}
			if !Detect(f.Name, f.Data) {
				t.Errorf("Detect = false")
			}
			it := parseItem(t, f)
			want := migrate.Item{
				Key:       "text:zh.txt",
				Language:  "zh",
				Title:     "驻马伦兰大使馆举办首个使馆开放日",
				Body:      zhBody,
				Published: time.Date(2024, 5, 18, 10, 30, 0, 0, time.UTC),
				Floating:  true,
				Sections:  []migrate.SectionRef{{Slug: "", Name: "使馆新闻"}},
			}
			if !reflect.DeepEqual(*it, want) {
				t.Errorf("got  %+v\nwant %+v", *it, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, data, want string
	}{
		{"no date", string(read(t, "testdata/nodate.txt").Data), "no date line"},
		{"empty", "", "no breadcrumb"},
		{"no breadcrumb", "Ambassador Visits\n\n2024-05-01\n\nText.\n", "no breadcrumb"},
		{"breadcrumb too low", "a\nb\nc\nd\ne\nHome > News\nT\n2024-05-01\nText\n", "no breadcrumb"},
		{"no title", "Home > News\n2024-05-01\nText\n", "line 2: no title"},
		{"no text", "Home > News\nTitle\n\n2024-05-01 10:00\n\nPrint\n", "line 4: no text after the date"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			entries := Parse(migrate.File{Name: "x.txt", Data: []byte(tt.data)})
			if len(entries) != 1 || entries[0].Err == nil || !strings.Contains(entries[0].Err.Error(), tt.want) {
				t.Errorf("got %+v, want an error containing %q", entries, tt.want)
			}
		})
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	zh := read(t, "testdata/zh.txt").Data
	tests := []struct {
		name string
		file string
		head []byte
		want bool
	}{
		{"Chinese copy", "a.txt", zh, true},
		{"head cut inside a character", "a.txt", zh[:len(zh)-len("关闭】\n")+1], true},
		{"head before the date", "a.txt", zh[:60], false},
		{"no date", "a.txt", read(t, "testdata/nodate.txt").Data, false},
		{"not .txt", "a.htm", zh, false},
		{"name only (nil head)", "a.txt", nil, true},
		{"empty head", "a.txt", []byte{}, false},
		{"English, Date: prefix and » separators", "b.TXT", []byte("Home News English\n Home » Embassy » Visits\nA Visit\n\nDate: 2024/05/01\n\nText.\n"), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := Detect(tt.file, tt.head); got != tt.want {
				t.Errorf("Detect = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestTrimShare(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		in, want []string
	}{
		{"own line", []string{"Text.", "", "Suggest to a friend"}, []string{"Text."}},
		{"glued phrase", []string{"Text at large.Suggest to a friend"}, []string{"Text at large."}},
		{"several lines", []string{"Text.", "Suggest to a friend", "Print Close", ""}, []string{"Text."}},
		{"bracketed, glued", []string{"正文。【打印】 【关闭】"}, []string{"正文。"}},
		{"Chinese phrase glued", []string{"正文结束推荐给朋友"}, []string{"正文结束"}},
		{"bare word after a sentence", []string{"The end. Print"}, []string{"The end."}},
		{"word that ends a sentence", []string{"The meeting came to a Close"}, []string{"The meeting came to a Close"}},
		{"separators", []string{"Text.", "分享 | 打印 | 关闭"}, []string{"Text."}},
		{"nothing to drop", []string{"Text."}, []string{"Text."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := trimShare(tt.in); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("trimShare(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestDateLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2022-07-29 23:45", time.Date(2022, 7, 29, 23, 45, 0, 0, time.UTC), true},
		{"2022/07/29", time.Date(2022, 7, 29, 0, 0, 0, 0, time.UTC), true},
		{"Date: 2022-7-9 08:05:30", time.Date(2022, 7, 9, 8, 5, 30, 0, time.UTC), true},
		{"2022年7月29日 23:45", time.Date(2022, 7, 29, 23, 45, 0, 0, time.UTC), true},
		{"发布时间：2022年07月29日", time.Date(2022, 7, 29, 0, 0, 0, 0, time.UTC), true},
		{"2022-02-30", time.Time{}, false},
		{"2022-07-29 25:00", time.Time{}, false},
		{"Ambassador Visits", time.Time{}, false},
		{"On 2022-07-29 the Ambassador met the Governor of the Northern Province and discussed trade.", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := dateLine(tt.in)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("dateLine(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Plain text.":               "Plain text.",
		"# not a heading":           `\# not a heading`,
		"- not a list":              `\- not a list`,
		"1. not a list":             `1\. not a list`,
		"2022. A year":              `2022\. A year`,
		"> not a quote":             `\> not a quote`,
		"a *b* [c](d) `e` <f> \\":   `a \*b\* \[c\](d) \` + "`" + `e\` + "`" + ` \<f> \\`,
		"snake_case and _emphasis_": `snake_case and \_emphasis\_`,
		"Q&A &amp; more":            `Q&A \&amp; more`,
		"A - B":                     "A - B",
	}
	for in, want := range tests {
		if got := markdown(in); got != want {
			t.Errorf("markdown(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlug(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"China News":            "china-news",
		"China & UN":            "china-un",
		"Meetings & Statements": "meetings-statements",
		"中国要闻":                  "",
		"Café Diplomacy":        "",
		"  ":                    "",
	}
	for in, want := range tests {
		if got := slug(in); got != want {
			t.Errorf("slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, name := range []string{"testdata/zh.txt", "testdata/nodate.txt", seed} {
		f.Add(read(f, name).Data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		Detect("copy.txt", data)
		entries := Parse(migrate.File{Name: "copy.txt", Data: data})
		if len(entries) != 1 {
			t.Fatalf("%d entries", len(entries))
		}
		e := entries[0]
		if (e.Item == nil) == (e.Err == nil) || e.Listing != nil || e.Skip != "" || e.File != "copy.txt" {
			t.Fatalf("entry %+v", e)
		}
		it := e.Item
		if it == nil {
			return
		}
		strs := []string{it.Key, it.Language, it.Title, it.Summary, it.Body, it.Slug}
		for _, s := range it.Sections {
			strs = append(strs, s.Slug, s.Name)
		}
		for _, s := range strs {
			if !utf8.ValidString(s) {
				t.Fatalf("invalid UTF-8 %q in %+v", s, it)
			}
		}
		if it.OldPaths != nil || it.Published.IsZero() || !it.Floating {
			t.Fatalf("item %+v", it)
		}
	})
}
