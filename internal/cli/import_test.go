package cli

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"chancery/internal/migrate"
	"chancery/internal/testdb"
)

// importSources are the fixtures of every reader, as a newcomer would
// point the import at them.
var importSources = map[string]string{
	"oldsite": "../migrate/oldsite/testdata/site",
	"text":    "../migrate/textcopy/testdata/reference.txt",
	"wxr":     "../migrate/wxr/testdata/small.xml",
	"hugo":    "../migrate/mdtree/testdata/hugo",
	"jekyll":  "../migrate/mdtree/testdata/jekyll",
	"textzh":  "../migrate/textcopy/testdata/zh.txt",
}

// database is where one end-to-end run keeps its network: a fresh data
// directory, or a fresh PostgreSQL database.
type database struct {
	name string
	args []string
}

func databases(t *testing.T) []database {
	dbs := []database{{"sqlite", []string{"--data", filepath.Join(t.TempDir(), "data")}}}
	if os.Getenv("CHANCERY_TEST_POSTGRES") != "" {
		dbs = append(dbs, database{"postgres", []string{"--db", testdb.PostgresURL(t)}})
	}
	return dbs
}

// importInto makes an empty network with one bilingual site and imports
// source into it, returning the report.
func importInto(t *testing.T, db database, source string, siteArgs ...string) (*migrate.Report, string, error) {
	t.Helper()
	if _, _, err := run(t, append([]string{"init", "--empty"}, db.args...)...); err != nil && db.name == "sqlite" {
		t.Fatal(err)
	}
	args := append([]string{"site", "add", "--key", "embassy", "--host", "embassy.localhost", "--languages", "en,zh",
		"--name", "en=Embassy of Example", "--name", "zh=示例大使馆", "--time-zone", "Asia/Shanghai"}, siteArgs...)
	if _, _, err := run(t, append(args, db.args...)...); err != nil {
		t.Fatal(err)
	}
	return importAgain(t, db, source)
}

// importAgain imports source into the site importInto made.
func importAgain(t *testing.T, db database, source string) (*migrate.Report, string, error) {
	t.Helper()
	report := filepath.Join(t.TempDir(), "report.json")
	out, _, err := run(t, append(append([]string{"import", "--site", "embassy.localhost", "--report", report}, db.args...), source)...)
	b, rerr := os.ReadFile(report)
	if rerr != nil {
		t.Fatalf("no JSON report (%v); import said %q, %v", rerr, out, err)
	}
	var rep migrate.Report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	return &rep, out, err
}

// TestImportEndToEnd imports each fixture into a fresh network, starts the
// server, and asks for every old address: each answers with a permanent
// redirect, whatever its case or query, to a page that shows the article.
func TestImportEndToEnd(t *testing.T) {
	for name, source := range importSources {
		if _, err := os.Stat(source); err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
		t.Run(name, func(t *testing.T) {
			for _, db := range databases(t) {
				t.Run(db.name, func(t *testing.T) {
					rep, out, err := importInto(t, db, source)
					if rep.Counts[migrate.Failed] > 0 {
						if err == nil || !strings.Contains(err.Error(), "failed") {
							t.Errorf("an import with failures exited with %v", err)
						}
					} else if err != nil {
						t.Fatalf("import: %v\n%s", err, out)
					}
					if rep.Counts[migrate.Imported] == 0 {
						t.Fatalf("nothing imported from %s:\n%s", source, out)
					}
					addr := startServe(t, db.args...)
					checked := 0
					for _, l := range rep.Lines {
						if l.Outcome != migrate.Imported || l.Address == "" {
							continue
						}
						resp, page := do(t, addr, http.MethodGet, "embassy.localhost", l.Address, nil)
						if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(page), l.Title) {
							t.Errorf("%s: %d, title %q not on the page", l.Address, resp.StatusCode, l.Title)
						}
						for _, old := range l.OldAddresses {
							for _, variant := range []string{old, strings.ToUpper(old), old + "?from=search"} {
								resp, _ := do(t, addr, http.MethodGet, "embassy.localhost", variant, nil)
								if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != l.Address {
									t.Errorf("old address %s: %d to %q; want 301 to %s", variant, resp.StatusCode, resp.Header.Get("Location"), l.Address)
								}
							}
							checked++
						}
					}
					if name != "text" && name != "textzh" && checked == 0 {
						t.Errorf("no old address to check in %s", source)
					}
					// The same source again duplicates nothing.
					again, out, _ := importAgain(t, db, source)
					if again.Counts[migrate.Unchanged] != rep.Counts[migrate.Imported] || again.Counts[migrate.Imported]+again.Counts[migrate.Updated] != 0 {
						t.Errorf("second import: %v after %v\n%s", again.Counts, rep.Counts, out)
					}
				})
			}
		})
	}
}

// articleBody is the text of the article's body on a page.
func articleBody(page string) string {
	_, rest, _ := strings.Cut(page, `<div class="body">`)
	body, _, _ := strings.Cut(rest, `</div>`)
	return body
}

// TestImportReferencePage: the reference page, as a reader copied it,
// becomes an article with its title, time, section (China News, under
// Home) and paragraphs, and none of the navigation or share words.
func TestImportReferencePage(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			rep, out, err := importInto(t, db, importSources["text"])
			if err != nil || rep.Counts[migrate.Imported] != 1 {
				t.Fatalf("import: %v\n%s", err, out)
			}
			l := rep.Lines[0]
			if l.Address != "/en/china-news/2022/07/xi-jinping-speaks-with-iranian-president-ebrahim-raisi-on-the-phone" {
				t.Errorf("address %s; want it under the China News section, in July 2022", l.Address)
			}
			addr := startServe(t, db.args...)
			_, page := do(t, addr, http.MethodGet, "embassy.localhost", l.Address, nil)
			for _, want := range []string{"<h1>Xi Jinping Speaks with Iranian President Ebrahim Raisi on the Phone</h1>",
				`datetime="2022-07-29T23:45:00&#43;08:00"`, `<a href="/en/china-news/">China News</a>`} {
				if !strings.Contains(page, want) {
					t.Errorf("the page lacks %s", want)
				}
			}
			body := articleBody(page)
			if n := strings.Count(body, "<p>"); n != 4 || !strings.HasPrefix(strings.TrimSpace(body), "<p>On the afternoon of July 29, 2022, President Xi Jinping") {
				t.Errorf("body has %d paragraphs:\n%s", n, body)
			}
			for _, nav := range []string{"Meetings &amp; Statements", "Events &amp; Activities", "About China", "中文", "Suggest to a friend", "Home &gt;"} {
				if strings.Contains(body, nav) {
					t.Errorf("the body holds the page's chrome %q", nav)
				}
			}
		})
	}
}

// TestImportOldSite: the saved old site's listing pages, images and
// documents keep answering, GBK pages read right, and the language
// versions link each other; a site that keeps the old scheme serves the
// articles at their old addresses themselves.
func TestImportOldSite(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			rep, out, err := importInto(t, db, importSources["oldsite"])
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			addr := startServe(t, db.args...)
			get := func(path string) (*http.Response, string) {
				return do(t, addr, http.MethodGet, "embassy.localhost", path, nil)
			}
			for old, want := range map[string]string{"/eng/zgyw/": "/en/zgyw/", "/eng/zgyw/index.htm": "/en/zgyw/", "/chn/sgxx/dsjh/": "/zh/sgxx/dsjh/"} {
				if resp, _ := get(old); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != want {
					t.Errorf("listing %s: %d to %q; want %s", old, resp.StatusCode, resp.Header.Get("Location"), want)
				}
			}
			if _, page := get("/zh/sgxx/dsjh/"); !strings.Contains(page, "大使活动") {
				t.Errorf("the Chinese section has lost its Chinese name:\n%.400s", page)
			}
			resp, _ := get("/eng/zgyw/202207/W020220730512345678901.png")
			media := resp.Header.Get("Location")
			if resp.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(media, "/media/") {
				t.Fatalf("old image address: %d to %q", resp.StatusCode, media)
			}
			if resp, _ := get(media); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
				t.Errorf("image: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var en, zh, gbk migrate.Line
			for _, l := range rep.Lines {
				switch l.Key {
				case "/eng/zgyw/202207/t20220730_10730785.htm":
					en = l
				case "/chn/zgyw/202207/t20220730_10730791.htm":
					zh = l
				case "/chn/zgyw/202208/t20220812_10741010.htm":
					gbk = l
				}
			}
			_, page := get(en.Address)
			if !strings.Contains(page, `href="`+zh.Address+`"`) || !strings.Contains(articleBody(page), media) {
				t.Errorf("the English page links neither its Chinese version %s nor the image %s", zh.Address, media)
			}
			if _, page := get(gbk.Address); !strings.Contains(page, "瓦尔多利亚青年代表团访问中国西部") {
				t.Errorf("the GBK page is not read right:\n%.600s", page)
			}
		})
	}
	for _, db := range databases(t) {
		t.Run(db.name+"/old-scheme", func(t *testing.T) {
			rep, out, err := importInto(t, db, importSources["oldsite"], "--addresses", "/{channel}/{section}/{yyyymm}/t{yyyymmdd}_{number}.htm", "--channels", "en=eng,zh=chn")
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			addr := startServe(t, db.args...)
			kept := 0
			for _, l := range rep.Lines {
				if l.Outcome != migrate.Imported {
					continue
				}
				if l.Address != l.OldAddresses[0] {
					t.Errorf("%s is at %s, not at its old address", l.Key, l.Address)
					continue
				}
				resp, page := do(t, addr, http.MethodGet, "embassy.localhost", l.Address, nil)
				if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(page), l.Title) {
					t.Errorf("%s: %d", l.Address, resp.StatusCode)
				}
				resp, _ = do(t, addr, http.MethodGet, "embassy.localhost", strings.ToUpper(l.Address), nil)
				if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != l.Address {
					t.Errorf("%s in capitals: %d to %q", l.Address, resp.StatusCode, resp.Header.Get("Location"))
				}
				kept++
			}
			if kept < 9 {
				t.Errorf("only %d articles kept their addresses", kept)
			}
		})
	}
}

// TestImportBadInput: a source full of what goes wrong — empty, binary,
// truncated and malformed files, a page without a date, two pages
// claiming one old address, an archive whose entries escape it — is
// imported as far as it can be, each bad item reported with its reason,
// and what an earlier import brought in is neither lost nor changed.
func TestImportBadInput(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			first, out, err := importInto(t, db, importSources["oldsite"])
			if err != nil {
				t.Fatalf("first import: %v\n%s", err, out)
			}
			page, err := os.ReadFile("../migrate/oldsite/testdata/site/eng/zgyw/202208/t20220812_10741002.htm")
			if err != nil {
				t.Fatal(err)
			}
			truncated, err := os.ReadFile("../migrate/wxr/testdata/truncated.xml")
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			canonical := `<link rel="canonical" href="/eng/zgyw/202301/t20230101_1.htm" />`
			withCanonical := strings.Replace(string(page), "</head>", canonical+"</head>", 1)
			files := map[string]string{
				"eng/zgyw/202301/empty.htm":              "",
				"eng/zgyw/202301/binary.htm":             "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01",
				"eng/zgyw/202301/t20230101_1.htm":        withCanonical,
				"eng/zgyw/202301/t20230101_2.htm":        strings.Replace(withCanonical, "Valdorian Youth Delegation", "Another Page", -1),
				"eng/zgyw/202301/notdated.htm":           "<html><head><title>No Date</title></head><body><h1>No Date</h1><div class=\"content\"><p>Text without a date.</p></div></body></html>",
				"export/truncated.xml":                   string(truncated),
				"content/news/broken.md":                 "---\ntitle: [unclosed\n---\nText.\n",
				"content/news/2023/ok.md":                "---\ntitle: A Good Note\ndate: 2023-01-02\n---\nA good note.\n",
				"eng/zgyw/202208/t20220812_10741002.htm": "<html><body><p>truncated",
			}
			for name, data := range files {
				p := filepath.Join(dir, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rep, out, err := importAgain(t, db, dir)
			if err == nil || !strings.Contains(err.Error(), "failed") {
				t.Errorf("an import with failures exited with %v", err)
			}
			reasons := map[string]string{}
			for _, l := range rep.Lines {
				if l.Outcome == migrate.Failed || l.Outcome == migrate.Skipped {
					reasons[l.File] += l.Reason + ";"
				}
			}
			for file, want := range map[string]string{
				"eng/zgyw/202301/empty.htm":              "empty",
				"eng/zgyw/202301/binary.htm":             "binary",
				"eng/zgyw/202301/t20230101_2.htm":        "the same article as one in eng/zgyw/202301/t20230101_1.htm",
				"eng/zgyw/202301/notdated.htm":           "no publication date",
				"export/truncated.xml":                   "line",
				"content/news/broken.md":                 "YAML",
				"eng/zgyw/202208/t20220812_10741002.htm": "",
			} {
				got, ok := reasons[file]
				if !ok || !strings.Contains(got, want) {
					t.Errorf("%s: reason %q; want one saying %q\n%s", file, got, want, out)
				}
			}
			imported := map[string]bool{}
			for _, l := range rep.Lines {
				if l.Outcome == migrate.Imported {
					imported[l.File] = true
				}
			}
			for _, file := range []string{"eng/zgyw/202301/t20230101_1.htm", "content/news/2023/ok.md", "export/truncated.xml"} {
				if !imported[file] {
					t.Errorf("%s was not imported beside the bad files:\n%s", file, out)
				}
			}
			// What the first import brought in is unchanged, and its
			// pages still answer.
			again, _, _ := importAgain(t, db, importSources["oldsite"])
			if again.Counts[migrate.Unchanged] != first.Counts[migrate.Imported] {
				t.Errorf("after the bad import, the first source gives %v; want all %d unchanged", again.Counts, first.Counts[migrate.Imported])
			}
		})
	}
}

// TestImportKeepsJekyllAddresses: on a site that keeps its old scheme,
// Jekyll posts keep their addresses, one with Chinese words in it too.
func TestImportKeepsJekyllAddresses(t *testing.T) {
	for _, db := range databases(t) {
		t.Run(db.name, func(t *testing.T) {
			src := t.TempDir()
			for name, text := range map[string]string{
				"_posts/2023-10-09-国庆招待会.md":        "---\ntitle: 国庆招待会\nlang: zh\n---\n使馆举行国庆招待会。\n",
				"_posts/2023-10-10-national-day.md": "---\ntitle: National Day Reception\n---\nThe Embassy held a reception.\n",
			} {
				p := filepath.Join(src, filepath.FromSlash(name))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rep, out, err := importInto(t, db, src, "--addresses", "/{yyyy}/{mm}/{dd}/{slug}.html")
			if err != nil {
				t.Fatalf("import: %v\n%s", err, out)
			}
			addr := startServe(t, db.args...)
			nonASCII := 0
			for _, l := range rep.Lines {
				if l.Outcome != migrate.Imported {
					continue
				}
				if old, _ := url.PathUnescape(l.OldAddresses[0]); l.Address != old {
					t.Errorf("%s is at %s, not at its old address %s", l.Key, l.Address, old)
				}
				if strings.ContainsFunc(l.Address, func(r rune) bool { return r > 127 }) {
					nonASCII++
				}
				resp, page := do(t, addr, http.MethodGet, "embassy.localhost", l.OldAddresses[0], nil)
				if resp.StatusCode != http.StatusOK || !strings.Contains(html.UnescapeString(page), l.Title) {
					t.Errorf("%s: %d to %q", l.OldAddresses[0], resp.StatusCode, resp.Header.Get("Location"))
				}
			}
			if nonASCII != 1 || rep.Counts[migrate.Imported] != 2 {
				t.Errorf("%d imported, %d with other than ASCII letters; want 2 and 1\n%s", rep.Counts[migrate.Imported], nonASCII, out)
			}
		})
	}
}
