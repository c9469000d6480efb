package site

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestSectionListing(t *testing.T) {
	f := newFixture(t)
	resp := f.get(t, "un.example.test", "/en/news/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /en/news/ = %d", resp.StatusCode)
	}
	d := doc(t, resp)
	items := find(d, class("listing"))
	if len(items) != 1 {
		t.Fatal("no listing")
	}
	lis := find(items[0], tag("li"))
	if len(lis) != PageSize {
		t.Fatalf("page 1 lists %d entries; want %d", len(lis), PageSize)
	}
	// Newest first, as "Title (YYYY-MM-DD)"; the draft is not listed, nor
	// the withdrawn article.
	if got := text(lis[0]); got != "News Item 24 (2025-03-14)" {
		t.Fatalf("first entry = %q", got)
	}
	for _, li := range lis {
		if s := text(li); strings.Contains(s, "Draft") || strings.Contains(s, "Withdrawn") {
			t.Fatalf("listed %q", s)
		}
	}
	next := find(d, func(n *html.Node) bool { return attr(n, "rel") == "next" })
	if len(next) != 1 || attr(next[0], "href") != "/en/news/page/2/" {
		t.Fatal("no link to page 2")
	}
	d2 := doc(t, f.get(t, "un.example.test", "/en/news/page/2/"))
	lis2 := find(find(d2, class("listing"))[0], tag("li"))
	if len(lis2) != 5 || text(lis2[4]) != "News Item 00 (2025-01-01)" {
		t.Fatalf("page 2 = %d entries", len(lis2))
	}
	if resp := f.get(t, "un.example.test", "/en/news/page/3/"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("page beyond the last = %d; want 404", resp.StatusCode)
	}
	if resp := f.get(t, "un.example.test", "/en/news/page/1/"); resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/en/news/" {
		t.Fatalf("page/1/ = %d → %s; want 301 to the section", resp.StatusCode, resp.Header.Get("Location"))
	}
	// Parent sections list their subsections' articles and link to them.
	dm := doc(t, f.get(t, "un.example.test", "/en/meetings/"))
	sub := find(find(dm, ariaLabel("Subsections"))[0], tag("a"))
	if len(sub) != 1 || attr(sub[0], "href") != "/en/meetings/security-council/" {
		t.Fatalf("subsection links = %v", sub)
	}
	if got := text(find(dm, class("listing"))[0]); !strings.Contains(got, "Statement on Water Security (2024-06-30)") {
		t.Fatalf("meetings listing = %q; want the Security Council statement dated in New York time", got)
	}
}

func TestMonthArchive(t *testing.T) {
	f := newFixture(t)
	d := doc(t, f.get(t, "un.example.test", "/en/news/"))
	arch := find(d, class("archive"))
	if len(arch) != 1 {
		t.Fatal("no archive on the section page")
	}
	hrefs := func(n *html.Node) []string {
		var links []string
		for _, a := range find(n, tag("a")) {
			links = append(links, attr(a, "href"))
		}
		return links
	}
	// The section lists its years, with their counts.
	if years := hrefs(arch[0]); !slices.Contains(years, "/en/news/2025/") || slices.ContainsFunc(years, func(l string) bool { return strings.Count(l, "/") > 4 }) {
		t.Fatalf("the section's archive links %v; want its years alone", years)
	}
	// A year lists its months.
	dy := doc(t, f.get(t, "un.example.test", "/en/news/2025/"))
	if months := hrefs(find(dy, class("archive"))[0]); !slices.Contains(months, "/en/news/2025/03/") || !slices.Contains(months, "/en/news/2025/01/") {
		t.Fatalf("the year's archive links %v; want its months", months)
	}
	resp := f.get(t, "un.example.test", "/en/news/2025/01/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("month archive = %d", resp.StatusCode)
	}
	dm := doc(t, resp)
	lis := find(find(dm, class("listing"))[0], tag("li"))
	if len(lis) != 11 { // days 1, 4, … 31 of January
		t.Fatalf("January lists %d; want 11", len(lis))
	}
	if h1 := text(find(dm, tag("h1"))[0]); h1 != "News: January 2025" {
		t.Fatalf("month heading = %q", h1)
	}
	// A month shows nothing of other months (a publish in another month
	// leaves its page as it is); its breadcrumb links its year.
	if arch := find(dm, class("archive")); len(arch) != 0 {
		t.Fatalf("the month's page has an archive: %q", text(arch[0]))
	}
	if !slices.Contains(hrefs(find(dm, ariaLabel("You are here"))[0]), "/en/news/2025/") {
		t.Fatalf("the month's breadcrumb links %v; want its year", hrefs(find(dm, ariaLabel("You are here"))[0]))
	}
	if resp := f.get(t, "un.example.test", "/en/news/2019/01/"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("empty month = %d; want 404", resp.StatusCode)
	}
	if resp := f.get(t, "un.example.test", "/en/news/2025/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("year archive = %d", resp.StatusCode)
	}
	for _, bad := range []string{"/en/news/2025/13/", "/en/news/2025/1/", "/en/news/abcd/", "/en/news/2025/01/page/x/"} {
		if resp := f.get(t, "un.example.test", bad); resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", bad, resp.StatusCode)
		}
	}
}

func TestHomePage(t *testing.T) {
	f := newFixture(t)
	d := doc(t, f.get(t, "un.example.test", "/zh/"))
	if attr(find(d, tag("html"))[0], "lang") != "zh" {
		t.Fatal("Chinese home not lang=zh")
	}
	blocks := find(d, class("block"))
	if len(blocks) != 1 || !strings.Contains(text(blocks[0]), "关于水安全的发言") {
		t.Fatalf("Chinese home blocks = %d; want the meetings block with the statement", len(blocks))
	}
	den := doc(t, f.get(t, "un.example.test", "/en/"))
	if latest := find(den, class("latest")); len(latest) != 1 || len(find(latest[0], tag("li"))) != 8 {
		t.Fatal("English home has no list of the 8 latest items")
	}
}

func TestRedirects(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		path, lang, want string
		code             int
	}{
		{"/", "", "/en/", http.StatusFound},
		{"/", "zh-CN,zh;q=0.9,en;q=0.5", "/zh/", http.StatusFound},
		{"/en", "", "/en/", http.StatusMovedPermanently},
		{"/en/news", "", "/en/news/", http.StatusMovedPermanently},
		{"/en/news/2025/01", "", "/en/news/2025/01/", http.StatusMovedPermanently},
	}
	for _, c := range cases {
		resp := f.get(t, "un.example.test", c.path, "Accept-Language", c.lang)
		if resp.StatusCode != c.code || resp.Header.Get("Location") != c.want {
			t.Errorf("GET %s (Accept-Language %q) = %d → %q; want %d → %q", c.path, c.lang, resp.StatusCode, resp.Header.Get("Location"), c.code, c.want)
		}
	}
}

func TestNotFound(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		host, path, lang, heading string
	}{
		{"un.example.test", "/en/no/such/page", "en", "Page not found"},
		{"un.example.test", "/zh/没有", "zh", "页面不存在"},
		{"un.example.test", "/fr/", "en", "Page not found"},
		{"un.example.test", "/xx", "zh", "页面不存在"},
		{"un.example.test", "/en/news/2025/01/no-such-article", "en", "Page not found"},
		{"un.example.test", "/en/news/2026/01/unfinished-draft", "en", "Page not found"},
	}
	for _, c := range cases {
		accept := ""
		if c.lang == "zh" && !strings.HasPrefix(c.path, "/zh") {
			accept = "zh"
		}
		resp := f.get(t, c.host, c.path, "Accept-Language", accept)
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("GET %s = %d; want 404", c.path, resp.StatusCode)
			continue
		}
		d := doc(t, resp)
		if got := attr(find(d, tag("html"))[0], "lang"); got != c.lang {
			t.Errorf("404 for %s in %q; want %q", c.path, got, c.lang)
		}
		if h := text(find(d, tag("h1"))[0]); h != c.heading {
			t.Errorf("404 heading for %s = %q", c.path, h)
		}
	}
	if f.draft.Path != "" {
		t.Fatalf("the draft has an address: %s", f.draft.Path)
	}
}

func TestWithdrawnArticleKeepsItsAddress(t *testing.T) {
	f := newFixture(t)
	resp := f.get(t, "un.example.test", f.withdrawn.Path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("withdrawn article = %d; want 200 with a notice", resp.StatusCode)
	}
	if n := find(doc(t, resp), class("notice")); len(n) != 1 || !strings.Contains(text(n[0]), "withdrawn") {
		t.Fatal("no withdrawal notice")
	}
}

func TestHostRouting(t *testing.T) {
	f := newFixture(t)
	// The network's own host lists every site, linking each language's home.
	d := doc(t, f.get(t, "localhost:8080", "/"))
	var homes []string
	for _, a := range find(d, tag("a")) {
		homes = append(homes, attr(a, "href"))
	}
	for _, want := range []string{"http://un.example.test:8080/en/", "http://un.example.test:8080/zh/", "http://ar.example.test:8080/ar/"} {
		if !slices.Contains(homes, want) {
			t.Errorf("network index lacks %s (has %v)", want, homes)
		}
	}
	// Any host of a site, in any case and with a port, reaches it.
	if resp := f.get(t, "WWW.UN.example.test:8080", "/en/"); resp.StatusCode != http.StatusOK {
		t.Fatalf("second host = %d", resp.StatusCode)
	}
	// An unknown host gets a 404 that lists the network's sites.
	resp := f.get(t, "nobody.example.test", "/en/")
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown host = %d; want 404", resp.StatusCode)
	}
	if body := text(doc(t, resp)); !strings.Contains(body, "Mission of Example to the UN") || !strings.Contains(body, "سفارة مثال") {
		t.Fatalf("unknown-host page does not list the sites: %q", body)
	}
}

func TestRightToLeft(t *testing.T) {
	f := newFixture(t)
	d := doc(t, f.get(t, "ar.example.test", "/ar/"))
	root := find(d, tag("html"))[0]
	if attr(root, "lang") != "ar" || attr(root, "dir") != "rtl" {
		t.Fatalf("Arabic home: lang=%q dir=%q; want ar, rtl", attr(root, "lang"), attr(root, "dir"))
	}
	d = doc(t, f.get(t, "ar.example.test", "/en/"))
	if attr(find(d, tag("html"))[0], "dir") != "ltr" {
		t.Fatal("English page of the Arabic site is not ltr")
	}
}

func TestConditionalGetAndGzip(t *testing.T) {
	f := newFixture(t)
	first := f.get(t, "un.example.test", f.statement.Path)
	tag := first.Header.Get("ETag")
	if tag == "" || !strings.HasPrefix(tag, `"`) {
		t.Fatalf("ETag = %q; want a strong validator", tag)
	}
	again := f.get(t, "un.example.test", f.statement.Path, "If-None-Match", tag)
	if again.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional GET = %d; want 304", again.StatusCode)
	}
	if b, _ := io.ReadAll(again.Body); len(b) != 0 {
		t.Fatal("304 with a body")
	}
	plain, _ := io.ReadAll(first.Body)
	zipped := f.get(t, "un.example.test", f.statement.Path, "Accept-Encoding", "gzip, br")
	if zipped.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
		t.Fatalf("gzip response headers: %v", zipped.Header)
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	unzipped, _ := io.ReadAll(zr)
	if string(unzipped) != string(plain) {
		t.Fatal("gzip body differs from the plain page")
	}
	if again := f.get(t, "un.example.test", f.statement.Path, "Accept-Encoding", "gzip", "If-None-Match", zipped.Header.Get("ETag")); again.StatusCode != http.StatusNotModified {
		t.Fatalf("conditional GET with the gzip tag = %d; want 304", again.StatusCode)
	}
	if refused := f.get(t, "un.example.test", f.statement.Path, "Accept-Encoding", "gzip;q=0"); refused.Header.Get("Content-Encoding") != "" {
		t.Fatal("gzip sent although refused with q=0")
	}
}

func TestHeadAndMethods(t *testing.T) {
	f := newFixture(t)
	r := httptest.NewRequest(http.MethodHead, "http://un.example.test"+f.statement.Path, nil)
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK || w.Body.Len() != 0 || w.Header().Get("Content-Length") == "0" {
		t.Fatalf("HEAD = %d with %d body bytes, Content-Length %s", w.Code, w.Body.Len(), w.Header().Get("Content-Length"))
	}
	r = httptest.NewRequest(http.MethodPost, "http://un.example.test/en/", nil)
	w = httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusMethodNotAllowed || w.Header().Get("Allow") != "GET, HEAD" {
		t.Fatalf("POST = %d", w.Code)
	}
}

func TestStaticAssets(t *testing.T) {
	f := newFixture(t)
	d := doc(t, f.get(t, "un.example.test", "/en/"))
	var sheets []string
	for _, l := range find(d, tag("link")) {
		if attr(l, "rel") == "stylesheet" {
			sheets = append(sheets, attr(l, "href")+" "+attr(l, "media"))
		}
	}
	if len(sheets) != 2 || !strings.HasSuffix(sheets[1], " print") {
		t.Fatalf("style sheets = %v; want a screen and a print sheet", sheets)
	}
	href := strings.Fields(sheets[0])[0]
	resp := f.get(t, "un.example.test", href)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/css") ||
		!strings.Contains(resp.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("GET %s = %d %v", href, resp.StatusCode, resp.Header)
	}
	if resp := f.get(t, "un.example.test", "/static/site.00000000.css"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unknown asset = %d", resp.StatusCode)
	}
}

// TestNegotiatedAnswersVary: an answer chosen by Accept-Language says so
// in Vary, so that a shared cache does not give one reader's language to
// another; a page at a language's own address does not.
func TestNegotiatedAnswersVary(t *testing.T) {
	f := newFixture(t)
	for _, c := range []struct {
		host, path string
		varies     bool
	}{
		{"un.example.test", "/", true},
		{"un.example.test", "/xx", true},
		{"localhost", "/", true},
		{"localhost", "/nothing", true},
		{"nobody.example.test", "/", true},
		{"un.example.test", "/en/", false},
		{"un.example.test", "/zh/没有", false},
	} {
		resp := f.get(t, c.host, c.path, "Accept-Language", "zh")
		vary := strings.Join(resp.Header.Values("Vary"), ", ")
		if got := strings.Contains(vary, "Accept-Language"); got != c.varies {
			t.Errorf("%s%s (%d): Vary %q; want Accept-Language in it: %t", c.host, c.path, resp.StatusCode, vary, c.varies)
		}
	}
}
