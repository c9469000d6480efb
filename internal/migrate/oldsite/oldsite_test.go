package oldsite

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"chancery/internal/content"
	"chancery/internal/migrate"
)

// site is the saved copy of the invented mission site the tests read.
const site = "testdata/site"

func readFixture(t testing.TB, name string) migrate.File {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(site, filepath.FromSlash(name)))
	if err != nil {
		t.Fatal(err)
	}
	return migrate.File{Name: name, Data: data}
}

// parseOne parses a file and checks that it gave one entry, for that file.
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

func floating(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, time.UTC)
}

func TestParseArticle(t *testing.T) {
	tests := []struct {
		name string
		want migrate.Item
		// paragraphs are passages the body must hold.
		paragraphs []string
	}{
		{
			name: "eng/zgyw/202207/t20220730_10730785.htm",
			want: migrate.Item{
				Key:          "/eng/zgyw/202207/t20220730_10730785.htm",
				OldPaths:     []string{"/eng/zgyw/202207/t20220730_10730785.htm"},
				Language:     "en",
				Title:        "Chinese and Valdorian Scientists Open a Joint Seed Laboratory",
				Published:    floating(2022, 7, 29, 23, 45),
				Floating:     true,
				Sections:     []migrate.SectionRef{{Slug: "zgyw", Name: "China News"}},
				Attachments:  []migrate.Attachment{{Ref: "./P020220730512345678902.pdf", Title: "Memorandum on the Joint Seed Laboratory (PDF)"}},
				Translations: []string{"/chn/zgyw/202207/t20220730_10730791.htm"},
			},
			paragraphs: []string{
				"<p>On 29 July, a laboratory for drought-resistant seed varieties",
				`<p><img src="./W020220730512345678901.png" alt="Researchers at the opening of the laboratory"/></p>`,
				"train <strong>forty</strong> young technicians a year.</p>",
				`<a href="./P020220730512345678902.pdf">Memorandum on the Joint Seed Laboratory (PDF)</a>`,
			},
		},
		{
			// The title is a div of its own, the time a date after
			// "Date:", and a related-news list ends the text.
			name: "eng/zgyw/202208/t20220812_10741002.htm",
			want: migrate.Item{
				Key:          "/eng/zgyw/202208/t20220812_10741002.htm",
				OldPaths:     []string{"/eng/zgyw/202208/t20220812_10741002.htm"},
				Language:     "en",
				Title:        "Valdorian Youth Delegation Visits Western China",
				Published:    floating(2022, 8, 12, 0, 0),
				Floating:     true,
				Sections:     []migrate.SectionRef{{Slug: "zgyw", Name: "China News"}},
				Translations: []string{"/chn/zgyw/202208/t20220812_10741010.htm"},
			},
			paragraphs: []string{
				"<p>A delegation of twenty-five students",
				"<p>Several members of the delegation said they would return to study Chinese next year.<br/>The trip was the fourth of its kind since 2016.</p>",
			},
		},
		{
			// A standing page with no date anywhere: zero Published.
			name: "eng/zgyw/about.htm",
			want: migrate.Item{
				Key:      "/eng/zgyw/about.htm",
				OldPaths: []string{"/eng/zgyw/about.htm"},
				Language: "en",
				Title:    "About China News",
				Sections: []migrate.SectionRef{{Slug: "zgyw", Name: "China News"}},
			},
			paragraphs: []string{"<p>This section carries news from China"},
		},
		{
			// No title element and no time line: the title comes from
			// <title>, the date from the file name; lines in divs become
			// paragraphs; the "中文" link to the Chinese home is no
			// translation, the "中文版" link to the article is.
			name: "eng/xwfb/202209/t20220905_10762011.htm",
			want: migrate.Item{
				Key:          "/eng/xwfb/202209/t20220905_10762011.htm",
				OldPaths:     []string{"/eng/xwfb/202209/t20220905_10762011.htm"},
				Language:     "en",
				Title:        "Notice on New Opening Hours of the Consular Section",
				Published:    floating(2022, 9, 5, 0, 0),
				Floating:     true,
				Sections:     []migrate.SectionRef{{Slug: "xwfb", Name: "Press Releases"}},
				Translations: []string{"/chn/xwfb/202209/t20220905_10762020.htm"},
			},
			paragraphs: []string{
				"<p>From 15 September, the Consular Section",
				"<p>Applications for visas and travel documents may also be sent by post.<br/>Applicants are asked",
				"<p>Telephone enquiries remain open in the afternoon.</p>",
			},
		},
		{
			// Malformed and cut off in the middle of a word: what is
			// there is kept.
			name: "eng/xwfb/202210/t20221018_10785120.htm",
			want: migrate.Item{
				Key:       "/eng/xwfb/202210/t20221018_10785120.htm",
				OldPaths:  []string{"/eng/xwfb/202210/t20221018_10785120.htm"},
				Language:  "en",
				Title:     "Embassy Spokesperson Answers Questions on Consular Services",
				Published: floating(2022, 10, 18, 16, 20),
				Floating:  true,
				Sections:  []migrate.SectionRef{{Slug: "xwfb", Name: "Press Releases"}},
			},
			paragraphs: []string{
				"<p>Q: Many readers have asked whether expired passports",
				"<p><b>Q: How long does a renewal take at the Embassy?</b></p>",
				"when the new passport is ready for coll</p>",
			},
		},
		{
			// A nested section, a canonical link to the same address on
			// the old host, an attachment in a block after the text.
			name: "eng/sgxx/dsjh/202211/t20221103_10799001.htm",
			want: migrate.Item{
				Key:       "/eng/sgxx/dsjh/202211/t20221103_10799001.htm",
				OldPaths:  []string{"/eng/sgxx/dsjh/202211/t20221103_10799001.htm"},
				Language:  "en",
				Title:     "Ambassador Attends the Opening of the Lindhaven Chinese School",
				Published: floating(2022, 11, 3, 10, 30),
				Floating:  true,
				Sections: []migrate.SectionRef{
					{Slug: "sgxx", Name: "Embassy News"},
					{Slug: "dsjh", Name: "Ambassador's Activities"},
				},
				Attachments:  []migrate.Attachment{{Ref: "./P020221103400000000001.pdf", Title: "Programme of the Opening Ceremony"}},
				Translations: []string{"/chn/sgxx/dsjh/202211/t20221103_10799015.htm"},
			},
			paragraphs: []string{
				"<h3>A school built by parents</h3>",
				"<tr><td>Beginners</td><td>5</td></tr>",
				"<blockquote><p>&#34;Learning a language is the first step",
				"now has <em>eight</em> classes:</p>",
			},
		},
		{
			// Saved by wget -E under a name of its own: the canonical
			// address comes first.
			name: "eng/sgxx/202212/t20221209_10811234.shtml.html",
			want: migrate.Item{
				Key:       "/eng/sgxx/202212/t20221209_10811234.shtml",
				OldPaths:  []string{"/eng/sgxx/202212/t20221209_10811234.shtml", "/eng/sgxx/202212/t20221209_10811234.shtml.html"},
				Language:  "en",
				Title:     "Embassy Holds an Open Day for Local Schools",
				Published: floating(2022, 12, 9, 15, 0),
				Floating:  true,
				Sections:  []migrate.SectionRef{{Slug: "sgxx", Name: "Embassy News"}},
			},
			paragraphs: []string{"<p>On 9 December, the Embassy opened its doors"},
		},
		{
			// UTF-8 bytes under a gb2312 declaration; a Chinese time line.
			name: "chn/zgyw/202207/t20220730_10730791.htm",
			want: migrate.Item{
				Key:          "/chn/zgyw/202207/t20220730_10730791.htm",
				OldPaths:     []string{"/chn/zgyw/202207/t20220730_10730791.htm"},
				Language:     "zh",
				Title:        "中国和瓦尔多利亚科学家共建种子联合实验室",
				Published:    floating(2022, 7, 29, 23, 45),
				Floating:     true,
				Sections:     []migrate.SectionRef{{Slug: "zgyw", Name: "中国要闻"}},
				Translations: []string{"/eng/zgyw/202207/t20220730_10730785.htm"},
			},
			paragraphs: []string{"<p>7月29日，由中瓦两国农业研究机构共建的抗旱种子联合实验室在林港农学院揭牌。</p>"},
		},
		{
			// GBK under a gb2312 declaration.
			name: "chn/zgyw/202208/t20220812_10741010.htm",
			want: migrate.Item{
				Key:          "/chn/zgyw/202208/t20220812_10741010.htm",
				OldPaths:     []string{"/chn/zgyw/202208/t20220812_10741010.htm"},
				Language:     "zh",
				Title:        "瓦尔多利亚青年代表团访问中国西部",
				Published:    floating(2022, 8, 12, 9, 0),
				Floating:     true,
				Sections:     []migrate.SectionRef{{Slug: "zgyw", Name: "中国要闻"}},
				Translations: []string{"/eng/zgyw/202208/t20220812_10741002.htm"},
			},
			paragraphs: []string{"<p>代表团参观了太阳能发电站，了解了山区梯田耕作，并与中国大学生一起参加了夏令营。</p>"},
		},
		{
			// GBK under a utf-8 declaration.
			name: "chn/xwfb/202209/t20220905_10762020.htm",
			want: migrate.Item{
				Key:          "/chn/xwfb/202209/t20220905_10762020.htm",
				OldPaths:     []string{"/chn/xwfb/202209/t20220905_10762020.htm"},
				Language:     "zh",
				Title:        "关于领事部调整对外办公时间的通知",
				Published:    floating(2022, 9, 5, 0, 0),
				Floating:     true,
				Sections:     []migrate.SectionRef{{Slug: "xwfb", Name: "新闻发布"}},
				Translations: []string{"/eng/xwfb/202209/t20220905_10762011.htm"},
			},
			paragraphs: []string{"<p>自9月15日起，使馆领事部对外办公时间调整为每周一至周五上午9时至12时。</p>"},
		},
		{
			name: "chn/sgxx/dsjh/202211/t20221103_10799015.htm",
			want: migrate.Item{
				Key:       "/chn/sgxx/dsjh/202211/t20221103_10799015.htm",
				OldPaths:  []string{"/chn/sgxx/dsjh/202211/t20221103_10799015.htm"},
				Language:  "zh",
				Title:     "大使出席林港中文学校开学典礼",
				Published: floating(2022, 11, 3, 10, 30),
				Floating:  true,
				Sections: []migrate.SectionRef{
					{Slug: "sgxx", Name: "使馆新闻"},
					{Slug: "dsjh", Name: "大使活动"},
				},
				Attachments:  []migrate.Attachment{{Ref: "./P020221103400000000001.pdf", Title: "开学典礼议程"}},
				Translations: []string{"/eng/sgxx/dsjh/202211/t20221103_10799001.htm"},
			},
			paragraphs: []string{"<p>11月2日，大使出席林港中文学校开学典礼。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseOne(t, readFixture(t, tt.name))
			if e.Item == nil {
				t.Fatalf("got %+v, want an item", e)
			}
			got := *e.Item
			body := got.Body
			got.Body = ""
			want := tt.want
			want.HTML = true
			if !reflect.DeepEqual(got, want) {
				t.Errorf("item\n got %+v\nwant %+v", got, want)
			}
			for _, p := range tt.paragraphs {
				if !strings.Contains(body, p) {
					t.Errorf("body lacks %q; body:\n%s", p, body)
				}
			}
		})
	}
}

// frameWords are words of the fixtures' navigation bars, breadcrumbs,
// time lines, share and print links and footers, none of which belongs
// in an article's body.
var frameWords = map[string][]string{
	"en": {"Home", "Press Releases", "Embassy News", "Consular Services", "中文", "Suggest to a friend", "Print",
		"Close", "Related News", "Copyright", "Date:", "23:45", "Weibo", "分享到"},
	"zh": {"English", "首页", "中国要闻", "新闻发布", "使馆新闻", "领事服务", "分享到", "打印", "关闭", "版权所有",
		"发布时间", "日期", "当前位置"},
}

func TestBodyHasNoNavigation(t *testing.T) {
	for _, name := range fixtureNames(t) {
		e := Parse(readFixture(t, name))[0]
		if e.Item == nil {
			continue
		}
		t.Run(name, func(t *testing.T) {
			body := e.Item.Body
			for _, w := range frameWords[e.Item.Language] {
				if strings.Contains(body, w) {
					t.Errorf("body holds %q of the page's frame:\n%s", w, body)
				}
			}
			for _, w := range []string{"<script", "<div", "<span", "style=", "class=", "<p></p>", "javascript:"} {
				if strings.Contains(body, w) {
					t.Errorf("body holds %q:\n%s", w, body)
				}
			}
			if strings.Contains(body, ">"+e.Item.Title+"<") {
				t.Errorf("body repeats the title:\n%s", body)
			}
		})
	}
}

func TestParseListing(t *testing.T) {
	tests := []struct {
		name string
		want migrate.Listing
	}{
		{"eng/zgyw/index.htm", migrate.Listing{OldPath: "/eng/zgyw/", Language: "en",
			Sections: []migrate.SectionRef{{Slug: "zgyw", Name: "China News"}}}},
		{"eng/xwfb/index.htm", migrate.Listing{OldPath: "/eng/xwfb/", Language: "en",
			Sections: []migrate.SectionRef{{Slug: "xwfb", Name: "Press Releases"}}}},
		{"eng/sgxx/index.htm", migrate.Listing{OldPath: "/eng/sgxx/", Language: "en",
			Sections: []migrate.SectionRef{{Slug: "sgxx", Name: "Embassy News"}}}},
		{"eng/sgxx/dsjh/index.htm", migrate.Listing{OldPath: "/eng/sgxx/dsjh/", Language: "en",
			Sections: []migrate.SectionRef{{Slug: "sgxx", Name: "Embassy News"}, {Slug: "dsjh", Name: "Ambassador's Activities"}}}},
		{"chn/zgyw/index.htm", migrate.Listing{OldPath: "/chn/zgyw/", Language: "zh",
			Sections: []migrate.SectionRef{{Slug: "zgyw", Name: "中国要闻"}}}},
		{"chn/xwfb/index.htm", migrate.Listing{OldPath: "/chn/xwfb/", Language: "zh",
			Sections: []migrate.SectionRef{{Slug: "xwfb", Name: "新闻发布"}}}},
		{"chn/sgxx/index.htm", migrate.Listing{OldPath: "/chn/sgxx/", Language: "zh",
			Sections: []migrate.SectionRef{{Slug: "sgxx", Name: "使馆新闻"}}}},
		{"chn/sgxx/dsjh/index.htm", migrate.Listing{OldPath: "/chn/sgxx/dsjh/", Language: "zh",
			Sections: []migrate.SectionRef{{Slug: "sgxx", Name: "使馆新闻"}, {Slug: "dsjh", Name: "大使活动"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := parseOne(t, readFixture(t, tt.name))
			if e.Listing == nil {
				t.Fatalf("got %+v, want a listing", e)
			}
			if !reflect.DeepEqual(*e.Listing, tt.want) {
				t.Errorf("listing\n got %+v\nwant %+v", *e.Listing, tt.want)
			}
		})
	}
}

// htmlPage builds a small page of the old platform around a body.
func htmlPage(head, body string) []byte {
	return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + head + `</title></head><body>` + body + `</body></html>`)
}

func TestParseOtherPages(t *testing.T) {
	article := `<div class="BreadcrumbNav"><a href="../../">Home</a> &gt; <a href="../">China News</a></div>
<h1>A Title</h1><div class="time">2023-03-01 08:00</div><div class="TRS_Editor"><p>Some text.</p></div>`
	tests := []struct {
		name string
		file migrate.File
		// check looks at the entry.
		check func(t *testing.T, e migrate.Entry)
	}{
		{"empty", migrate.File{Name: "eng/zgyw/202301/t20230101_1.htm"}, wantErr("empty file")},
		{"blank", migrate.File{Name: "eng/zgyw/202301/t20230101_1.htm", Data: []byte(" \r\n\t ")}, wantErr("empty file")},
		{"binary", migrate.File{Name: "eng/zgyw/202301/t20230101_1.htm", Data: []byte("GIF89a\x01\x00\x01\x00\x00\xff")}, wantErr("binary data, not a web page")},
		{"pdf saved as htm", migrate.File{Name: "eng/x.htm", Data: []byte("%PDF-1.4\n1 0 obj\n<< >>\nendobj\n")}, wantErr("binary data, not a web page")},
		{"no text", migrate.File{Name: "eng/zgyw/202301/t20230101_1.htm", Data: []byte("<html><head><script>var a = 1;</script></head><body><div> </div></body></html>")}, wantErr("no text in the page")},
		{"no title", migrate.File{Name: "eng/zgyw/202301/t20230101_1.htm", Data: []byte("<html><body><div class=\"content\"><p>Text without any title.</p></div></body></html>")}, wantSkip("not an article: no title")},
		{"truncated before the text", migrate.File{Name: "eng/zgyw/202301/t20230101_1.htm", Data: htmlPage("A Title", "<h1>A Title</h1><div class=\"time\">2023-01-01</div><div class=\"TRS_Edi")},
			wantErr("article page with a title but no text: the file may be truncated")},
		{"channel home", migrate.File{Name: "eng/index.html", Data: htmlPage("Home", "<p>Welcome</p>")}, wantSkip("home page of the old site")},
		{"site home", migrate.File{Name: "index.htm", Data: htmlPage("Home", "<p>Welcome</p>")}, wantSkip("home page of the old site")},
		{"index.html", migrate.File{Name: "eng/zgyw/index.html", Data: htmlPage("China News", `<div class="position"><a href="/eng/">Home</a> » China News</div>`)},
			wantListing(migrate.Listing{OldPath: "/eng/zgyw/", Language: "en", Sections: []migrate.SectionRef{{Slug: "zgyw", Name: "China News"}}})},
		{"default.htm without breadcrumb", migrate.File{Name: "chn/sgxx/dsjh/default.htm", Data: htmlPage("大使活动", "<ul><li>x</li></ul>")},
			wantListing(migrate.Listing{OldPath: "/chn/sgxx/dsjh/", Language: "zh", Sections: []migrate.SectionRef{{Slug: "sgxx", Name: "sgxx"}, {Slug: "dsjh", Name: "dsjh"}}})},
		{"a section's one page of text", migrate.File{Name: "eng/gywm/index.htm", Data: htmlPage("About the Embassy",
			`<div class="BreadcrumbNav"><a href="../">Home</a> &gt; <a href="./">About the Embassy</a></div><h1>About the Embassy</h1>
<div class="TRS_Editor"><p>The Embassy of the People's Republic of China in the Republic of Valdoria opened in 1975.</p><p>Its consular section serves the whole country.</p></div>`)},
			func(t *testing.T, e migrate.Entry) {
				it := e.Item
				if it == nil {
					t.Fatalf("got %+v; want a standing page", e)
				}
				if it.Kind != content.KindPage || it.Key != "/eng/gywm/" || len(it.OldPaths) != 2 || it.OldPaths[1] != "/eng/gywm/index.htm" ||
					it.Title != "About the Embassy" || !strings.Contains(it.Body, "opened in 1975") {
					t.Errorf("standing page %+v", it)
				}
				if len(it.Sections) != 1 || it.Sections[0].Slug != "gywm" || it.Sections[0].Name != "About the Embassy" {
					t.Errorf("sections %+v", it.Sections)
				}
			}},
		{"second page of a listing", migrate.File{Name: "eng/zgyw/index_2.htm", Data: htmlPage("China News", "<ul><li>x</li></ul>")},
			wantListing(migrate.Listing{OldPath: "/eng/zgyw/index_2.htm", Language: "en", Sections: []migrate.SectionRef{{Slug: "zgyw", Name: "zgyw"}}})},
		{"list of articles under another name", migrate.File{Name: "eng/zgyw/list.htm", Data: htmlPage("China News",
			`<ul><li><a href="202301/t20230101_1.htm">One</a></li><li><a href="202301/t20230102_2.htm">Two</a></li></ul>`)},
			wantListing(migrate.Listing{OldPath: "/eng/zgyw/list.htm", Language: "en", Sections: []migrate.SectionRef{{Slug: "zgyw", Name: "zgyw"}}})},
		{"redirect", migrate.File{Name: "eng/zgyw/moved.htm", Data: []byte(`<html><head><meta http-equiv="refresh" content="0; url=../xwfb/"></head><body></body></html>`)},
			wantSkip("a redirect, not an article")},
		{"list of articles in a content element", migrate.File{Name: "eng/xwfb/list.htm", Data: htmlPage("Press Releases",
			`<div class="content"><ul><li><a href="202301/t20230101_1.htm">One statement</a> 2023-01-01</li><li><a href="202301/t20230102_2.htm">Another statement</a> 2023-01-02</li></ul></div>`)},
			wantListing(migrate.Listing{OldPath: "/eng/xwfb/list.htm", Language: "en", Sections: []migrate.SectionRef{{Slug: "xwfb", Name: "xwfb"}}})},
		{"canonical link to the section is not the page's", migrate.File{Name: "eng/zgyw/202303/t20230301_5.htm", Data: []byte(`<html><head><link rel="canonical" href="/eng/zgyw/"></head><body>` + article + `</body></html>`)},
			func(t *testing.T, e migrate.Entry) {
				want := []string{"/eng/zgyw/202303/t20230301_5.htm"}
				if e.Item == nil || !reflect.DeepEqual(e.Item.OldPaths, want) {
					t.Errorf("got %+v, want old paths %v", e, want)
				}
			}},
		{"canonical link, relative", migrate.File{Name: "eng/zgyw/202303/t20230301_5.htm", Data: []byte(`<html><head><link rel="canonical" href="../202302/t20230301_5.htm?x=1#top"></head><body>` + article + `</body></html>`)},
			func(t *testing.T, e migrate.Entry) {
				want := []string{"/eng/zgyw/202302/t20230301_5.htm", "/eng/zgyw/202303/t20230301_5.htm"}
				if e.Item == nil || e.Item.Key != want[0] || !reflect.DeepEqual(e.Item.OldPaths, want) {
					t.Errorf("got %+v, want old paths %v", e, want)
				}
			}},
		{"no breadcrumb: sections from the path", migrate.File{Name: "eng/sgxx/dsjh/202303/t20230301_5.htm", Data: htmlPage("A Title", "<h1>A Title</h1><div class=\"content\"><p>Text.</p></div>")},
			func(t *testing.T, e migrate.Entry) {
				want := []migrate.SectionRef{{Slug: "sgxx", Name: "sgxx"}, {Slug: "dsjh", Name: "dsjh"}}
				if e.Item == nil || !reflect.DeepEqual(e.Item.Sections, want) {
					t.Errorf("got %+v, want sections %v", e, want)
				}
				if e.Item != nil && !e.Item.Published.Equal(floating(2023, 3, 1, 0, 0)) {
					t.Errorf("Published = %v, want the date of the file name", e.Item.Published)
				}
			}},
		{"other channel: language from <html lang>", migrate.File{Name: "fra/zgyw/202303/t20230301_5.htm", Data: []byte(`<html lang="fr-FR"><body>` + article + `</body></html>`)},
			func(t *testing.T, e migrate.Entry) {
				if e.Item == nil || e.Item.Language != "fr-FR" {
					t.Errorf("got %+v, want language fr-FR", e)
				}
			}},
		{"title from <title> without the site's name", migrate.File{Name: "eng/zgyw/202303/t20230301_5.htm", Data: htmlPage("Talks in the Capital | Embassy", `<div class="TRS_Editor"><p>Text.</p></div>`)},
			func(t *testing.T, e migrate.Entry) {
				if e.Item == nil || e.Item.Title != "Talks in the Capital" {
					t.Errorf("got %+v, want title %q", e, "Talks in the Capital")
				}
			}},
		{"a date in the text is not the time line", migrate.File{Name: "eng/zgyw/about.htm", Data: htmlPage("About", `<h1>About</h1><div class="content"><p>The section opened on 2008-01-15, when the site was launched, and has carried news every day since.</p></div>`)},
			func(t *testing.T, e migrate.Entry) {
				if e.Item == nil || !e.Item.Published.IsZero() {
					t.Errorf("got %+v, want zero Published", e)
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.check(t, parseOne(t, tt.file))
		})
	}
}

func wantErr(msg string) func(*testing.T, migrate.Entry) {
	return func(t *testing.T, e migrate.Entry) {
		t.Helper()
		if e.Err == nil || e.Err.Error() != msg || e.Item != nil || e.Listing != nil || e.Skip != "" {
			t.Errorf("got %+v, want only the error %q", e, msg)
		}
	}
}

func wantSkip(reason string) func(*testing.T, migrate.Entry) {
	return func(t *testing.T, e migrate.Entry) {
		t.Helper()
		if e.Skip != reason || e.Item != nil || e.Listing != nil || e.Err != nil {
			t.Errorf("got %+v, want only the skip %q", e, reason)
		}
	}
}

func wantListing(l migrate.Listing) func(*testing.T, migrate.Entry) {
	return func(t *testing.T, e migrate.Entry) {
		t.Helper()
		if e.Listing == nil || !reflect.DeepEqual(*e.Listing, l) {
			t.Errorf("got %+v, want listing %+v", e, l)
		}
	}
}

func TestParseFixtureAssets(t *testing.T) {
	for _, name := range []string{"eng/zgyw/202207/W020220730512345678901.png", "eng/zgyw/202207/P020220730512345678902.pdf"} {
		if Detect(name, readFixture(t, name).Data) {
			t.Errorf("Detect(%s) = true", name)
		}
		wantErr("binary data, not a web page")(t, parseOne(t, readFixture(t, name)))
	}
	for _, name := range []string{"eng/index.htm", "chn/index.htm"} {
		wantSkip("home page of the old site")(t, parseOne(t, readFixture(t, name)))
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		head string
		want bool
	}{
		{"eng/zgyw/202207/t20220730_10730785.htm", "", true},
		{"eng/zgyw/index.HTML", "", true},
		{"chn/zgyw/a.shtml", "", true},
		{"eng/zgyw/a.htm", "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\">", true},
		{"eng/zgyw/a.htm", "\xEF\xBB\xBF\r\n  <html>", true},
		{"eng/zgyw/a.htm", "\xFF\xFE<\x00h\x00", true},
		{"eng/zgyw/a.htm", "Moved here: <a href=\"/eng/\">home</a><p>", true},
		{"eng/zgyw/a.htm", "\x89PNG\r\n\x1a\n\x00\x00", false},
		{"eng/zgyw/a.htm", "just some words", false},
		{"eng/zgyw/a.pdf", "<html>", false},
		{"eng/zgyw/a.jpg", "", false},
		{"eng/zgyw/htm", "", false},
	}
	for _, tt := range tests {
		if got := Detect(tt.name, []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q, %q) = %v, want %v", tt.name, tt.head, got, tt.want)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{"2022-07-29 23:45", floating(2022, 7, 29, 23, 45)},
		{"Date: 2022/07/29", floating(2022, 7, 29, 0, 0)},
		{"发布时间：2022年07月29日 23:45", floating(2022, 7, 29, 23, 45)},
		{"2022年7月9日", floating(2022, 7, 9, 0, 0)},
		{"2022.07.29 08:05:30", time.Date(2022, 7, 29, 8, 5, 30, 0, time.UTC)},
		{"2022-07-30T10:08:15+08:00", time.Date(2022, 7, 30, 10, 8, 15, 0, time.UTC)},
		{"【2022-07-29】", floating(2022, 7, 29, 0, 0)},
		{"2022-02-30", time.Time{}},
		{"12022-07-29", time.Time{}},
		{"Tel: 1234-5678-9012", time.Time{}},
		{"1800-01-01", time.Time{}},
		{"no date", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if ok == tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
		}
	}
}

func TestPaths(t *testing.T) {
	tests := []struct {
		base, href, want string
		ok               bool
	}{
		{"/eng/zgyw/202207/t1.htm", "../", "/eng/zgyw/", true},
		{"/eng/zgyw/202207/t1.htm", "../../", "/eng/", true},
		{"/eng/zgyw/202207/t1.htm", "../../../chn/zgyw/202207/t2.htm", "/chn/zgyw/202207/t2.htm", true},
		{"/eng/zgyw/202207/t1.htm", "https://old.example/eng/zgyw/?a=1", "/eng/zgyw/", true},
		{"/eng/zgyw/202207/t1.htm", "//old.example", "/", true},
		{"/eng/zgyw/202207/t1.htm", "javascript:window.print()", "", false},
		{"/eng/zgyw/202207/t1.htm", "#top", "", false},
		{"/chn/\xD6\xD0.htm", "./a.htm", "/chn/a.htm", true},
		{"/chn/a.htm", "%D6%D0.htm", "/chn/%D6%D0.htm", true},
	}
	for _, tt := range tests {
		got, ok := resolve(tt.base, tt.href)
		if got != tt.want || ok != tt.ok {
			t.Errorf("resolve(%q, %q) = %q, %v; want %q, %v", tt.base, tt.href, got, ok, tt.want, tt.ok)
		}
	}
	for in, want := range map[string]string{
		"/eng/zgyw/": "zgyw", "/eng/zgyw/index.htm": "zgyw", "/eng/zgyw": "zgyw", "/eng/ZG.yw/": "zgyw",
		"/eng/zgyw/202207/t20220730_1.htm": "", "/": "",
	} {
		if got := sectionSlug(in); got != want {
			t.Errorf("sectionSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// fixtureNames lists every file of the saved site, slash-separated.
func fixtureNames(t testing.TB) []string {
	t.Helper()
	var names []string
	err := filepath.WalkDir(site, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(site, p)
		names = append(names, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

func BenchmarkParse(b *testing.B) {
	f := benchPage(b)
	b.SetBytes(int64(len(f.Data)))
	b.ReportAllocs()
	for b.Loop() {
		if e := Parse(f)[0]; e.Item == nil {
			b.Fatalf("got %+v", e)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// benchPage returns an article page as large as those of the real
// platform: the fixture grown by a menu of some hundred links and a
// longer text.
func benchPage(b *testing.B) migrate.File {
	f := readFixture(b, "eng/zgyw/202207/t20220730_10730785.htm")
	src := string(f.Data)
	var menu, text strings.Builder
	for i := range 120 {
		menu.WriteString(`<li><a href="../../../eng/sec` + string(rune('a'+i%26)) + `/">A section of the site</a></li>` + "\n")
	}
	for range 12 {
		text.WriteString("<p style=\"text-indent: 2em;\">The two sides agreed to expand exchanges in education, agriculture and culture, to open more flights between their capitals, and to hold the next round of consultations in the coming year.</p>\n")
	}
	src = strings.Replace(src, "<ul>", "<ul>\n"+menu.String(), 1)
	src = strings.Replace(src, "<p></p>", text.String(), 1)
	f.Data = []byte(src)
	return f
}
