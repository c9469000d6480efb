package site

import (
	"encoding/json"
	"encoding/xml"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"chancery/internal/theme"
	"chancery/internal/web"
)

func searchURL(lang string, params ...string) string {
	v := url.Values{}
	for i := 0; i+1 < len(params); i += 2 {
		v.Set(params[i], params[i+1])
	}
	return "/" + lang + "/search/?" + v.Encode()
}

// resultTitles returns the titles listed on a results page.
func resultTitles(t *testing.T, resp *http.Response) []string {
	t.Helper()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("search page = %d", resp.StatusCode)
	}
	var titles []string
	for _, ol := range find(doc(t, resp), class("results")) {
		for _, h2 := range find(ol, tag("h2")) {
			titles = append(titles, text(h2))
		}
	}
	return titles
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t)
	resp := f.get(t, "un.example.test", searchURL("en", "q", "water"))
	d := doc(t, resp)
	if attr(find(d, tag("html"))[0], "lang") != "en" {
		t.Fatal("results page is not lang=en")
	}
	ol := find(d, class("results"))
	if len(ol) != 1 {
		t.Fatal("no results list")
	}
	links := find(ol[0], tag("a"))
	if len(links) != 1 || attr(links[0], "href") != f.statement.Path {
		t.Fatalf("results = %v; want the water statement", links)
	}
	if marks := find(ol[0], tag("mark")); len(marks) == 0 || !strings.EqualFold(text(marks[0]), "water") {
		t.Fatal("the matched word is not highlighted")
	}
	if meta := text(find(ol[0], class("meta"))[0]); !strings.Contains(meta, "2024-06-30") || !strings.Contains(meta, "Security Council") {
		t.Fatalf("result meta = %q; want the date in New York time and the section", meta)
	}
	// The query stays in both search boxes.
	boxes := find(d, func(n *html.Node) bool { return n.Data == "input" && attr(n, "name") == "q" })
	if len(boxes) != 2 {
		t.Fatalf("%d search boxes; want the header's and the form's", len(boxes))
	}
	for _, in := range boxes {
		if attr(in, "value") != "water" {
			t.Fatalf("search box holds %q", attr(in, "value"))
		}
	}

	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("zh", "q", "水安全"))); len(got) != 1 || got[0] != "关于水安全的发言" {
		t.Fatalf("Chinese search = %v", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "水安全"))); len(got) != 0 {
		t.Fatalf("Chinese words on the English page found %v; the default is the page's language", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "水安全", "lang", "all"))); len(got) != 1 {
		t.Fatalf("all languages = %v", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "news item", "sort", "date"))); len(got) != PageSize || got[0] != "News Item 24" {
		t.Fatalf("newest first = %v", got)
	}
	// The withdrawn article is not found, though its page still answers.
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "withdrawn notice"))); len(got) != 0 {
		t.Fatalf("a withdrawn article was found: %v", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "unfinished draft"))); len(got) != 0 {
		t.Fatalf("a draft was found: %v", got)
	}
}

func TestSearchFiltersAndPaging(t *testing.T) {
	f := newFixture(t)
	sections, _ := f.st.Sections(t.Context(), f.site.ID)
	var meetings string
	for _, s := range sections {
		if s.Slugs["en"] == "meetings" {
			meetings = itoa64(s.ID)
		}
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "statement OR remarks OR item", "section", meetings))); len(got) != 0 {
		t.Fatalf("OR is not an operator, so nothing has all three words: %v", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "water", "section", meetings))); len(got) != 1 {
		t.Fatalf("section filter with its subsections = %v", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "water", "kind", "news"))); len(got) != 0 {
		t.Fatalf("kind filter = %v", got)
	}
	// Dates are the site's: the statement is of 30 June in New York.
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "water", "from", "2024-06-30", "to", "2024-06-30"))); len(got) != 1 {
		t.Fatalf("date filter on the New York day = %v", got)
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "water", "from", "2024-07-01"))); len(got) != 0 {
		t.Fatalf("date filter after the New York day = %v", got)
	}
	resp := f.get(t, "un.example.test", searchURL("en", "q", "water", "from", "31/12/2024"))
	d := doc(t, resp)
	if alerts := find(d, func(n *html.Node) bool { return attr(n, "role") == "alert" }); len(alerts) != 1 || !strings.Contains(text(alerts[0]), "YYYY-MM-DD") {
		t.Fatal("a bad date is not explained")
	}
	if len(find(d, class("results"))) != 1 {
		t.Fatal("a bad date stopped the search instead of being left out")
	}
	// Paging keeps the query and filters.
	d = doc(t, f.get(t, "un.example.test", searchURL("en", "q", "news", "sort", "date")))
	next := find(d, func(n *html.Node) bool { return attr(n, "rel") == "next" })
	if len(next) != 1 {
		t.Fatal("no next page")
	}
	u, _ := url.Parse(attr(next[0], "href"))
	if u.Query().Get("page") != "2" || u.Query().Get("q") != "news" || u.Query().Get("sort") != "date" {
		t.Fatalf("next page link %q", attr(next[0], "href"))
	}
	if got := resultTitles(t, f.get(t, "un.example.test", "/en/search/"+attr(next[0], "href"))); len(got) != 5 {
		t.Fatalf("page 2 = %d results; want 5", len(got))
	}
	// A page past the last says how many there are and leads back.
	d = doc(t, f.get(t, "un.example.test", searchURL("en", "q", "news", "page", "9")))
	prev := find(d, func(n *html.Node) bool { return attr(n, "rel") == "prev" })
	if len(prev) != 1 || !strings.Contains(attr(prev[0], "href"), "page=2") || !strings.Contains(text(d), "25 results") {
		t.Fatal("a page past the last does not lead back")
	}
	// A page number whose offset would overflow is not a page number.
	for _, huge := range []string{"9223372036854775807", "461168601842738792"} {
		if d = doc(t, f.get(t, "un.example.test", searchURL("en", "q", "news", "page", huge))); strings.Contains(text(d), huge) || len(resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "news", "page", huge)))) != PageSize {
			t.Errorf("page %s: %q; want the first page", huge, text(d))
		}
	}
}

func itoa64(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// TestSearchBadInput sends what readers and attackers type: every answer is
// a page with a sensible result or message, never an error, and the data
// is untouched.
func TestSearchBadInput(t *testing.T) {
	f := newFixture(t)
	cases := map[string]string{
		"empty":            "",
		"spaces":           "   \u3000 ",
		"huge":             strings.Repeat("water ", 2000),
		"unbalanced quote": `"water security`,
		"engine syntax":    `* : ^ NEAR(water, 2) AND (OR) NOT water*`,
		"column filter":    `title:water body:water {title}:water`,
		"control chars":    "wa\x00ter\x07 \x1b[31m",
		"invalid utf-8":    "water \xff\xfe\xfd",
		"sql injection":    `'; DROP TABLE articles; -- " OR 1=1 --`,
		"only exclusions":  "-water -security",
		"lone minus":       "- -",
		"emoji":            "🌊💧",
		"bidi override":    "wa\u202eter",
	}
	for name, q := range cases {
		for _, path := range []string{"/en/search/?q=" + url.QueryEscape(q), "/en/search.json?q=" + url.QueryEscape(q)} {
			resp := f.get(t, "un.example.test", path)
			if resp.StatusCode != http.StatusOK {
				b, _ := io.ReadAll(resp.Body)
				t.Errorf("%s: %s = %d %.200s", name, path[:14], resp.StatusCode, b)
			}
		}
	}
	// Raw bytes straight in the query string, not escaped by a browser.
	r := httptest.NewRequest(http.MethodGet, "http://un.example.test/en/search/", nil)
	r.URL.RawQuery = "q=%ff%00%22&from=%ff&section=-1&page=-5&lang=%00&kind=%27"
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("raw bad bytes = %d", w.Code)
	}
	// Nothing was dropped or changed.
	if resp := f.get(t, "un.example.test", f.statement.Path); resp.StatusCode != http.StatusOK {
		t.Fatal("the article is gone after the injection attempts")
	}
	if got := resultTitles(t, f.get(t, "un.example.test", searchURL("en", "q", "water"))); len(got) != 1 {
		t.Fatalf("search after the attempts = %v", got)
	}
	// What is shown back is the cleaned query, with no control or
	// direction-changing characters.
	d := doc(t, f.get(t, "un.example.test", searchURL("en", "q", "wa\ater\u202e x")))
	if v := attr(find(d, func(n *html.Node) bool { return attr(n, "id") == "q" })[0], "value"); v != "wa ter  x" {
		t.Fatalf("the search box shows %q", v)
	}
	d = doc(t, f.get(t, "un.example.test", searchURL("en", "q", "-water")))
	if !strings.Contains(text(d), "Add at least one word") {
		t.Fatal("a query of exclusions only is not explained")
	}
}

func TestSearchJSON(t *testing.T) {
	f := newFixture(t)
	resp := f.get(t, "un.example.test", "/en/search.json?q=water&lang=all")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("JSON search = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out struct {
		Query   string `json:"query"`
		Total   int    `json:"total"`
		Results []struct {
			Title, URL, Published, Language, Kind, Section, Snippet string
		} `json:"results"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	if out.Query != "water" || out.Total != 1 || len(out.Results) != 1 {
		t.Fatalf("JSON = %+v", out)
	}
	r := out.Results[0]
	if r.URL != "http://un.example.test"+f.statement.Path || r.Published != "2024-06-30T23:45:00-04:00" || r.Language != "en" ||
		r.Section != "Security Council" || r.Kind != "statement" {
		t.Fatalf("JSON result = %+v", r)
	}
	// "water" is in the title and the summary, not the body: the snippet
	// is cut from the same text the index holds, so it shows the match.
	if !strings.Contains(r.Snippet, "<mark>water</mark>") {
		t.Fatalf("snippet %q does not show the matched word", r.Snippet)
	}
}

func TestOpenSearch(t *testing.T) {
	f := newFixture(t)
	d := doc(t, f.get(t, "un.example.test", "/en/"))
	var href string
	for _, l := range find(d, tag("link")) {
		if attr(l, "rel") == "search" && attr(l, "type") == "application/opensearchdescription+xml" {
			href = attr(l, "href")
		}
	}
	if href != "/en/opensearch.xml" {
		t.Fatalf("OpenSearch link = %q", href)
	}
	resp := f.get(t, "un.example.test", href)
	var desc struct {
		XMLName   xml.Name
		ShortName string `xml:"ShortName"`
		URLs      []struct {
			Type     string `xml:"type,attr"`
			Template string `xml:"template,attr"`
		} `xml:"Url"`
	}
	if err := xml.NewDecoder(resp.Body).Decode(&desc); err != nil {
		t.Fatal(err)
	}
	if desc.XMLName.Space != "http://a9.com/-/spec/opensearch/1.1/" || len([]rune(desc.ShortName)) > 16 || len(desc.URLs) != 2 ||
		desc.URLs[0].Template != "http://un.example.test/en/search/?q={searchTerms}" {
		t.Fatalf("OpenSearch description = %+v", desc)
	}
}

func TestSearchBoxOnEveryPage(t *testing.T) {
	f := newFixture(t)
	for _, p := range []string{"/en/", "/zh/", "/en/news/", f.statement.Path, f.zh.Path, "/en/missing", "/en/search/"} {
		d := doc(t, f.get(t, "un.example.test", p))
		forms := find(d, func(n *html.Node) bool { return n.Data == "form" && attr(n, "role") == "search" })
		if len(forms) != 1 || attr(forms[0], "method") != "get" || !strings.HasSuffix(attr(forms[0], "action"), "/search/") {
			t.Errorf("%s: no search form", p)
		}
	}
}

func TestSearchRateLimit(t *testing.T) {
	f := newFixture(t)
	th, err := theme.Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	h := New(Options{Store: f.st, Theme: th, Now: func() time.Time { return f.now }, SearchLimit: web.NewLimiter(6, 2)})
	get := func(path, addr string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "http://un.example.test"+path, nil)
		r.RemoteAddr = addr
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	for i := range 2 {
		if w := get("/en/search/?q=water", "192.0.2.1:1000"); w.Code != http.StatusOK {
			t.Fatalf("search %d = %d", i+1, w.Code)
		}
	}
	w := get("/zh/search/?q=water", "192.0.2.1:1001")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") == "" || !strings.Contains(w.Body.String(), "请等待") {
		t.Fatalf("over the limit: %d, Retry-After %q", w.Code, w.Header().Get("Retry-After"))
	}
	if w := get("/en/search.json?q=water", "192.0.2.1:1002"); w.Code != http.StatusTooManyRequests || !strings.Contains(w.Body.String(), "error") {
		t.Fatalf("JSON over the limit: %d", w.Code)
	}
	if w := get("/en/search/?q=water", "198.51.100.7:1000"); w.Code != http.StatusOK {
		t.Fatal("another address was limited")
	}
	if w := get("/en/", "192.0.2.1:1003"); w.Code != http.StatusOK {
		t.Fatal("reading pages was limited along with searching")
	}
}
